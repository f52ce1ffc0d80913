/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe's [sandbox] actions (see the table at the top of probe.c): set-id
 * modes, openat2, signals, /proc/PID/mem and unix sockets. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

/* A syscall's number on this ABI. The legacy path calls (chmod, mkdir,
 * mknod, creat, open) exist on x86-64 but not on arm64, where libseccomp
 * gives a negative pseudo number and syscall() fails with ENOSYS. */
#define NR(name) seccomp_syscall_resolve_name(name)

/* The calls that take a path and a mode (see the table at the top). */
static int do_mode(const char *action, const char *path, uint64_t mode)
{
	long rc = -2;
	int err;

	if (strcmp(action, "chmod") == 0)
		rc = syscall(NR("chmod"), path, mode);
	else if (strcmp(action, "fchmod") == 0) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return report(-1, errno);
		rc = syscall(SYS_fchmod, fd, mode);
		err = errno;
		close(fd);
		return report(rc, err);
	} else if (strcmp(action, "fchmodat") == 0)
		rc = syscall(SYS_fchmodat, AT_FDCWD, path, mode, 0);
	else if (strcmp(action, "fchmodat2") == 0)
		rc = syscall(seccomp_syscall_resolve_name("fchmodat2"), AT_FDCWD, path, mode, 0);
	else if (strcmp(action, "mkdir-mode") == 0)
		rc = syscall(NR("mkdir"), path, mode);
	else if (strcmp(action, "mknod") == 0)
		rc = syscall(NR("mknod"), path, S_IFREG | mode, 0);
	else if (strcmp(action, "mknodat") == 0)
		rc = syscall(SYS_mknodat, AT_FDCWD, path, S_IFREG | mode, 0);
	else if (strcmp(action, "creat") == 0)
		rc = syscall(NR("creat"), path, mode);
	else if (strcmp(action, "open-create") == 0)
		rc = syscall(NR("open"), path, O_WRONLY | O_CREAT | O_CLOEXEC, mode);
	else if (strcmp(action, "openat-create") == 0)
		rc = syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_CLOEXEC, mode);
	else if (strcmp(action, "open-tmpfile") == 0)
		rc = syscall(NR("open"), path, O_WRONLY | O_TMPFILE | O_CLOEXEC, mode);
	if (rc == -2)
		return usage();
	return report(rc, errno);
}

static bool is_mode_action(const char *a)
{
	static const char *const names[] = { "chmod", "fchmod", "fchmodat", "fchmodat2", "mkdir-mode", "mknod",
		"mknodat", "creat", "open-create", "openat-create", "open-tmpfile", NULL };

	for (size_t i = 0; names[i]; i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

static int do_openat2(const char *path)
{
	struct {
		uint64_t flags, mode, resolve;
	} how = { O_RDONLY | O_CLOEXEC, 0, 0 };
	long rc = syscall(seccomp_syscall_resolve_name("openat2"), AT_FDCWD, path, &how, sizeof(how));

	return report(rc, errno);
}

static int do_kill_child(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return report(-1, errno);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (kill(pid, SIGTERM) < 0) {
		int err = errno;

		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, 0);
		return report(-1, err);
	}
	if (waitpid(pid, &status, 0) < 0)
		return report(-1, errno);
	return report(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM ? 0 : -1, EINVAL);
}

static int do_write_mem(const char *pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/mem", pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return report(-1, errno);
	close(fd);
	return report(0, 0);
}

static int do_unix_connect(const char *addr)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(addr);
	socklen_t len;
	int fd, rc, err;

	if (n >= sizeof(sa.sun_path))
		return usage();
	memcpy(sa.sun_path, addr, n);
	if (addr[0] == '@')
		sa.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (addr[0] == '@' ? 0 : 1));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	rc = connect(fd, (struct sockaddr *)&sa, len);
	err = errno;
	close(fd);
	return report(rc, err);
}

int probe_sandbox(const char *action, int argc, char **argv)
{
	uint64_t a, b;
	long rc;

	if (is_mode_action(action)) {
		if (argc != 2 || !parse_u64(argv[1], &a))
			return usage();
		return do_mode(action, argv[0], a);
	}
	if (strcmp(action, "kill") == 0) {
		if (argc != 2 || !parse_u64(argv[0], &a) || !parse_u64(argv[1], &b))
			return usage();
		rc = kill((pid_t)a, (int)b);
		return report(rc, errno);
	}
	if (argc == 1 && strcmp(action, "openat2") == 0)
		return do_openat2(argv[0]);
	if (argc == 1 && strcmp(action, "write-mem") == 0)
		return do_write_mem(argv[0]);
	if (argc == 1 && strcmp(action, "unix-connect") == 0)
		return do_unix_connect(argv[0]);
	if (argc == 0 && strcmp(action, "kill-child") == 0)
		return do_kill_child();
	return -1;
}
