/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "process.h"
#include "array.h"
#include "cleanup.h"
#include "expand.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* ---- environment ---- */

void process_env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

static bool kept(const struct sf_process_settings *s, const char *var)
{
	const char *eq = strchr(var, '=');
	_cleanup_free_ char *name = eq ? strndup(var, (size_t)(eq - var)) : strdup(var);

	for (size_t i = 0; name && i < s->n_env_keep; i++)
		if (fnmatch(s->env_keep[i].text, name, 0) == 0)
			return true;
	return false;
}

struct envv {
	char **v;
	size_t n, cap;
};

static int envv_push(struct envv *e, char *s)
{
	if (!s)
		return -ENOMEM;
	if (ARRAY_RESERVE(e->v, e->cap, e->n + 2) < 0) { /* room for the NULL too */
		free(s);
		return -ENOMEM;
	}
	e->v[e->n++] = s;
	e->v[e->n] = NULL;
	return 0;
}

int process_build_env(const struct sf_process_settings *s, char *const *envp, char ***ret, struct sf_diag *d)
{
	struct envv e = { 0 };
	int r;

	/* An empty, NULL-terminated vector to start from. */
	e.v = calloc(16, sizeof(*e.v));
	if (!e.v)
		return -ENOMEM;
	e.cap = 16;
	for (size_t i = 0; envp && envp[i]; i++) {
		if (s->env_clear && !kept(s, envp[i]))
			continue;
		r = envv_push(&e, strdup(envp[i]));
		if (r < 0)
			goto fail;
	}
	for (size_t i = 0; i < s->n_env_set; i++) {
		const struct sf_env_item *it = &s->env_set[i];
		size_t nlen = strcspn(it->text, "=");
		_cleanup_free_ char *value = NULL;
		char *var = NULL;
		size_t k = 0;

		/* Values expand from the launcher's environment, as paths do. */
		r = expand_value(it->text + nlen + 1, envp, it->origin.file, it->origin.line, &value, d);
		if (r < 0)
			goto fail;
		if (asprintf(&var, "%.*s=%s", (int)nlen, it->text, value) < 0) {
			r = -ENOMEM;
			goto fail;
		}
		for (; k < e.n; k++)
			if (strncmp(e.v[k], it->text, nlen + 1) == 0)
				break;
		if (k < e.n) {
			free(e.v[k]);
			e.v[k] = var;
		} else if ((r = envv_push(&e, var)) < 0)
			goto fail;
	}
	*ret = e.v;
	return 0;
fail:
	process_env_free(e.v);
	return r;
}

/* ---- descriptors ---- */

static int parse_int(const char *s, long max, long *ret)
{
	long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		v = v * 10 + (*p - '0');
		if (v > max)
			return -ERANGE;
	}
	*ret = v;
	return 0;
}

int process_listen_fds(const char *listen_pid, const char *listen_fds, pid_t self, int *ret_n)
{
	long pid, n;

	/* Not for us (or not socket activation): nothing is kept. */
	if (parse_int(listen_pid, INT_MAX, &pid) < 0 || pid != (long)self) {
		*ret_n = 0;
		return 0;
	}
	if (parse_int(listen_fds, INT_MAX - 3, &n) < 0)
		return -EINVAL;
	*ret_n = (int)n;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

size_t process_close_ranges(int listen_fds, const int *keep, size_t n_keep, struct sf_fd_range *out)
{
	_cleanup_free_ int *k = malloc((n_keep + 1) * sizeof(*k));
	unsigned next = 3 + (unsigned)listen_fds;	/* lowest descriptor that may be closed */
	size_t n = 0;

	if (!k)
		return 0;
	if (n_keep)
		memcpy(k, keep, n_keep * sizeof(*k));
	qsort(k, n_keep, sizeof(*k), cmp_int);
	for (size_t i = 0; i < n_keep; i++) {
		if (k[i] < 0 || (unsigned)k[i] < next)
			continue;
		if ((unsigned)k[i] > next)
			out[n++] = (struct sf_fd_range){ next, (unsigned)k[i] - 1 };
		next = (unsigned)k[i] + 1;
	}
	out[n++] = (struct sf_fd_range){ next, ~0U };
	return n;
}

/* Without close_range(2) (Linux < 5.9): close what /proc/self/fd lists. */
static int close_listed(const struct sf_fd_range *ranges, size_t n)
{
	DIR *dir = opendir("/proc/self/fd");
	_cleanup_free_ int *fds = NULL;
	size_t nfds = 0, cap = 0;
	struct dirent *de;

	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		long fd;

		if (parse_int(de->d_name, INT_MAX, &fd) < 0 || fd == dirfd(dir))
			continue;
		if (ARRAY_RESERVE(fds, cap, nfds + 1) < 0) {
			closedir(dir);
			return -ENOMEM;
		}
		fds[nfds++] = (int)fd;
	}
	closedir(dir);
	for (size_t i = 0; i < nfds; i++)
		for (size_t k = 0; k < n; k++)
			if ((unsigned)fds[i] >= ranges[k].lo && (unsigned)fds[i] <= ranges[k].hi)
				close(fds[i]);
	return 0;
}

static int close_fds(int listen_fds, const int *keep, size_t n_keep)
{
	_cleanup_free_ struct sf_fd_range *ranges = calloc(n_keep + 1, sizeof(*ranges));
	size_t n;

	if (!ranges)
		return -ENOMEM;
	n = process_close_ranges(listen_fds, keep, n_keep, ranges);
	for (size_t i = 0; i < n; i++)
		if (syscall(SYS_close_range, ranges[i].lo, ranges[i].hi, 0) < 0) {
			if (errno == ENOSYS)
				return close_listed(ranges, n);
			return -errno;
		}
	return 0;
}

/* ---- plan and apply ---- */

int process_plan(const struct sf_process_settings *s, char *const *envp, bool will_run,
    struct sf_process_plan *ret, struct sf_diag *d)
{
	struct sf_process_plan p = { .chdir_fd = -1 };
	int r;

	p.set_umask = s->has_umask;
	p.umask = s->umask;
	if (s->chdir) {
		struct stat st;

		r = expand_value(s->chdir, envp, s->chdir_origin.file, s->chdir_origin.line, &p.chdir_path, d);
		if (r < 0)
			goto fail;
		if (p.chdir_path[0] != '/') {
			r = diag_at(
			    d, s->chdir_origin, -EINVAL, "chdir needs an absolute path, found \"%s\"", p.chdir_path);
			goto fail;
		}
		/* Opened now, so that the directory checked is the one entered. */
		p.chdir_fd = open(p.chdir_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (p.chdir_fd < 0 || fstat(p.chdir_fd, &st) < 0) {
			r = diag_set(d, s->chdir_origin.file, s->chdir_origin.line, -errno, errno,
			    "cannot use \"%s\" as working directory", p.chdir_path);
			goto fail;
		}
	}
	if (s->env_clear || s->n_env_set) {
		r = process_build_env(s, envp, &p.env, d);
		if (r < 0)
			goto fail;
	}
	if (s->close_fds) {
		p.close_fds = true;
		r = process_listen_fds(expand_getenv(envp, "LISTEN_PID"), expand_getenv(envp, "LISTEN_FDS"), getpid(),
		    &p.listen_fds);
		if (r < 0) {
			r = diag_at(d, s->close_fds_origin, r,
			    "close-fds: LISTEN_PID names this process but LISTEN_FDS is not a number of descriptors (\"%s\")",
			    expand_getenv(envp, "LISTEN_FDS") ? expand_getenv(envp, "LISTEN_FDS") : "");
			goto fail;
		}
	}
	if (s->new_session) {
		p.new_session = true;
		/* setsid(2) fails for a process group leader; a session leader
		 * already has a session of its own. We cannot fork (we exec in
		 * place), so say it now rather than fail in step 2. */
		if (will_run && getsid(0) != getpid() && getpgrp() == getpid()) {
			r = diag_at(d, s->new_session_origin, -EPERM,
			    "new-session: sysfence leads its process group (as when an interactive shell starts it), so it cannot start a session; run it as \"setsid sysfence ...\"");
			goto fail;
		}
	}
	if (s->die_with_parent) {
		p.die_with_parent = true;
		p.parent = getppid();
	}
	*ret = p;
	return 0;
fail:
	process_plan_clear(&p);
	return r;
}

static int set_parent_death(const struct sf_process_plan *p, struct sf_diag *d)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return diag_errno(d, "cannot set the parent-death signal");
	/* The parent may have died before the signal was armed: then we were
	 * reparented and no signal will ever come. */
	if (getppid() != p->parent)
		return diag_msg(d, -ESRCH, "die-with-parent: the parent process has already exited");
	return 0;
}

int process_apply(const struct sf_process_plan *p, const int *keep_fds, size_t n_keep, struct sf_diag *d)
{
	int r;

	if (p->set_umask)
		umask(p->umask);
	if (p->chdir_fd >= 0 && fchdir(p->chdir_fd) < 0)
		return diag_errno(d, "cannot change directory to \"%s\"", p->chdir_path);
	if (p->env)
		environ = p->env;
	if (p->close_fds) {
		r = close_fds(p->listen_fds, keep_fds, n_keep);
		if (r < 0)
			return diag_fail(d, r, "cannot close inherited descriptors");
	}
	if (p->new_session && getsid(0) != getpid() && setsid() < 0)
		return diag_errno(d, "cannot start a new session");
	if (p->die_with_parent)
		return set_parent_death(p, d);
	return 0;
}

int process_rearm_parent_death(const struct sf_process_plan *p, struct sf_diag *d)
{
	return p->die_with_parent ? set_parent_death(p, d) : 0;
}

void process_plan_clear(struct sf_process_plan *p)
{
	if (p->chdir_fd >= 0)
		close(p->chdir_fd);
	free(p->chdir_path);
	process_env_free(p->env);
	*p = (struct sf_process_plan){ .chdir_fd = -1 };
}
