/* SPDX-License-Identifier: GPL-2.0-or-later */
/* minilaunch: the least a seccomp launcher can do, as a yardstick for
 * sysfence's own cost (bench/run). Drops every capability, sets
 * no_new_privs, loads a filter, execs in place. Built static. Part of
 * bench/, not of sysfence.
 *
 *   minilaunch -f FILTER.bpf PROGRAM [ARG...]
 *       load a precompiled filter (raw struct sock_filter, as
 *       `sysfence --export=bpf` writes it)
 *   minilaunch -l RULES PROGRAM [ARG...]
 *       build the filter with libseccomp at every launch: RULES has lines
 *       "ACTION NAME" (ACTION is allow or an errno name among EPERM,
 *       ENOSYS, EACCES) and one "default ACTION" line */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "minilaunch: %s: %s\n", what, strerror(errno));
	exit(125);
}

static void drop_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };

	/* The bounding set, up to the first number the kernel does not know;
	 * without CAP_SETPCAP (not root) it cannot shrink and is left. */
	for (int c = 0; c < 64; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break;
			if (errno == EPERM)
				break;
			die("PR_CAPBSET_DROP");
		}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		die("PR_CAP_AMBIENT_CLEAR_ALL");
	if (syscall(SYS_capset, &h, d) < 0)
		die("capset");
}

static void load_file(const char *path)
{
	struct stat st;
	struct sock_fprog prog;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		die(path);
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) || st.st_size > 4096 * 8) {
		errno = EINVAL;
		die(path);
	}
	prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	prog.filter = malloc((size_t)st.st_size);
	if (!prog.filter || read(fd, prog.filter, (size_t)st.st_size) != st.st_size)
		die(path);
	close(fd);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		die("seccomp");
}

static uint32_t parse_action(const char *s)
{
	if (strcmp(s, "allow") == 0)
		return SCMP_ACT_ALLOW;
	if (strcmp(s, "EPERM") == 0)
		return SCMP_ACT_ERRNO(EPERM);
	if (strcmp(s, "ENOSYS") == 0)
		return SCMP_ACT_ERRNO(ENOSYS);
	if (strcmp(s, "EACCES") == 0)
		return SCMP_ACT_ERRNO(EACCES);
	fprintf(stderr, "minilaunch: unknown action \"%s\"\n", s);
	exit(125);
}

static void build_and_load(const char *path)
{
	FILE *f = fopen(path, "re");
	char action[32], name[64];
	uint32_t dflt = SCMP_ACT_KILL_PROCESS;
	scmp_filter_ctx ctx;
	int r;

	if (!f)
		die(path);
	/* The default action comes first in the file, as seccomp_init wants it. */
	if (fscanf(f, "default %31s", action) != 1) {
		fprintf(stderr, "minilaunch: %s: no default line first\n", path);
		exit(125);
	}
	dflt = parse_action(action);
	ctx = seccomp_init(dflt);
	if (!ctx)
		die("seccomp_init");
	/* We set no_new_privs ourselves, like sysfence. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0)
		die("SCMP_FLTATR_CTL_NNP");
	while (fscanf(f, "%31s %63s", action, name) == 2) {
		int nr = seccomp_syscall_resolve_name(name);
		uint32_t a = parse_action(action);

		if (nr == __NR_SCMP_ERROR || nr < 0 || a == dflt)
			continue; /* not a native syscall, or nothing to add */
		r = seccomp_rule_add(ctx, a, nr, 0);
		if (r < 0) {
			errno = -r;
			die(name);
		}
	}
	fclose(f);
	r = seccomp_load(ctx);
	if (r < 0) {
		errno = -r;
		die("seccomp_load");
	}
	seccomp_release(ctx);
}

int main(int argc, char **argv)
{
	if (argc < 4 || (strcmp(argv[1], "-f") != 0 && strcmp(argv[1], "-l") != 0)) {
		fprintf(stderr, "usage: minilaunch -f FILTER.bpf | -l RULES PROGRAM [ARG...]\n");
		return 125;
	}
	drop_caps();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("no_new_privs");
	if (argv[1][1] == 'f')
		load_file(argv[2]);
	else
		build_and_load(argv[2]);
	execv(argv[3], argv + 3);
	die(argv[3]);
	return 125;
}
