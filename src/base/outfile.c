/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "outfile.h"
#include "cleanup.h"
#include "io.h"
#include "rootrule.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The caller's descriptor a path names: /dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N. Returns N, or -1. */
static int caller_fd(const char *path)
{
	static const char *const prefixes[] = { "/dev/fd/", "/proc/self/fd/" };
	char *end = NULL;
	long n;

	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	for (size_t i = 0; i < ELEMENTSOF(prefixes); i++) {
		size_t len = strlen(prefixes[i]);

		if (strncmp(path, prefixes[i], len) != 0 || path[len] < '0' || path[len] > '9')
			continue;
		errno = 0;
		n = strtol(path + len, &end, 10);
		if (errno == 0 && !*end && n <= 1024 * 1024)
			return (int)n;
	}
	return -1;
}

/* As root, a descriptor the caller passed: a pipe, a socket or a
 * terminal, written in place. */
static int open_caller_fd(const char *path, int n, struct sf_outfile *o, struct sf_diag *d)
{
	struct stat st;
	int fd = fcntl(n, F_DUPFD_CLOEXEC, 3);

	if (fd < 0)
		return diag_errno(d, "cannot write \"%s\"", path);
	if (fstat(fd, &st) < 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(fd))) {
		close(fd);
		return diag_msg(d, -EPERM,
		    "cannot write \"%s\": as root, sysfence writes only a regular file it creates, a pipe or a terminal",
		    path);
	}
	o->fd = fd;
	return 0;
}

/* The directory holding path's last component; as root, reached without
 * following any symlink (openat2's RESOLVE_NO_SYMLINKS). */
static int open_dir(const char *path, const char *dir, bool strict, struct sf_diag *d)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC };
	int fd;

	if (!strict)
		fd = open(dir, (int)how.flags);
	else {
		how.resolve = RESOLVE_NO_SYMLINKS;
		fd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));
		/* Before Linux 5.6 (and under valgrind): the same walk by hand. */
		if (fd < 0 && errno == ENOSYS && (fd = root_walk_dir(dir, /* create= */ false, NULL)) < 0)
			errno = -fd;
		if (fd < 0 && errno == ELOOP)
			return diag_msg(d, -ELOOP,
			    "cannot write \"%s\": as root, sysfence follows no symbolic link, and \"%s\" has one", path,
			    dir);
	}
	if (fd < 0)
		return diag_errno(d, "cannot write \"%s\"", path);
	return fd;
}

/* A new file ".BASE.XXXXXX" in dirfd, made with O_EXCL (which follows
 * no symlink). */
static int create_tmp(struct sf_outfile *o)
{
	for (int tries = 0; tries < 100; tries++) {
		uint32_t rnd = 0;

		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			return -errno;
		free(o->tmp);
		if (asprintf(&o->tmp, ".%s.%08x", o->base, rnd) < 0) {
			o->tmp = NULL;
			return -ENOMEM;
		}
		o->fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (o->fd >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	free(o->tmp);
	o->tmp = NULL;
	return -errno;
}

static int already_exists(const char *path, struct sf_diag *d)
{
	return diag_msg(
	    d, -EEXIST, "cannot write \"%s\": it already exists (remove it, or name a file that does not exist)", path);
}

/* Not as root: an existing FILE that is a FIFO or a terminal, written
 * into. O_NONBLOCK: a FIFO nobody reads fails (ENXIO) instead of hanging. */
static int open_into(const char *path, bool only_pipe_or_tty, struct sf_outfile *o, struct sf_diag *d)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return diag_errno(d, "cannot write \"%s\"", path);
	if (only_pipe_or_tty && (fstat(fd, &st) < 0 || !(S_ISFIFO(st.st_mode) || isatty(fd)))) {
		close(fd);
		return already_exists(path, d);
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		close(fd);
		return diag_errno(d, "cannot write \"%s\"", path);
	}
	o->fd = fd;
	return 0;
}

/* A new file next to path's last component, to be renamed or linked in. */
static int open_new(const char *path, const char *dir, const char *slash, bool strict, struct sf_outfile *o,
    struct sf_diag *d)
{
	struct stat st;
	int r;

	o->base = strdup(slash ? slash + 1 : path);
	if (!o->base)
		return -ENOMEM;
	r = open_dir(path, dir, strict, d);
	o->dirfd = r;
	if (r >= 0 && fstatat(o->dirfd, o->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		/* As root a symlink is refused, so that nobody is misled; a
		 * user's is replaced by the rename (never written through). */
		if (S_ISLNK(st.st_mode) && strict)
			r = diag_msg(
			    d, -EPERM, "cannot write \"%s\": it is a symbolic link, which root does not follow", path);
		else if (o->no_replace)
			r = already_exists(path, d);
		else if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
			r = diag_msg(d, -EPERM, "cannot write \"%s\": not a regular file", path);
	}
	if (r >= 0 && (r = create_tmp(o)) < 0)
		diag_fail(d, r, "cannot write \"%s\"", path);
	return r < 0 ? r : 0;
}

int outfile_open(const char *path, enum sf_outfile_mode mode, struct sf_outfile *ret, struct sf_diag *d)
{
	const bool strict = geteuid() == 0;
	const char *slash = strrchr(path, '/');
	_cleanup_free_ char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	struct sf_outfile o = { .path = path, .fd = -1, .dirfd = -1, .no_replace = mode == SF_OUTFILE_NEW };
	struct stat st;
	int r;

	if (!dir)
		return -ENOMEM;
	if (strict && caller_fd(path) >= 0)
		r = open_caller_fd(path, caller_fd(path), &o, d);
	else if (!strict && mode != SF_OUTFILE_REPLACE && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		/* Renaming over /dev/null would turn the device into a plain
		 * file for the whole system: write into it. */
		r = open_into(path, mode == SF_OUTFILE_NEW, &o, d);
	else if (!strict && mode == SF_OUTFILE_REPLACE && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		r = diag_msg(d, -EISDIR, "cannot write \"%s\": not a regular file", path);
	else
		r = open_new(path, dir, slash, strict, &o, d);
	if (r < 0) {
		outfile_abort(&o);
		return r;
	}
	*ret = o;
	return 0;
}

int outfile_write(struct sf_outfile *o, const char *data, size_t len)
{
	return write_all(o->fd, data, len);
}

/* Give the new file its name unless something took it meanwhile. */
static int link_in(struct sf_outfile *o)
{
	if (renameat2(o->dirfd, o->tmp, o->dirfd, o->base, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* A file system without RENAME_NOREPLACE: link(2) never replaces. */
	if (linkat(o->dirfd, o->tmp, o->dirfd, o->base, 0) < 0)
		return -errno;
	(void)unlinkat(o->dirfd, o->tmp, 0);
	return 0;
}

int outfile_commit(struct sf_outfile *o, struct sf_diag *d)
{
	int r = 0;

	if (o->tmp) {
		/* The new file is 0600; a profile or a policy is not secret. */
		if (fchmod(o->fd, 0644) < 0 || fsync(o->fd) < 0)
			r = -errno;
		if (close(o->fd) < 0 && r == 0)
			r = -errno;
		o->fd = -1;
		/* renameat(2) replaces the name, even a symlink put there
		 * since: it never writes through one. */
		if (r == 0)
			r = o->no_replace ? link_in(o) : renameat(o->dirfd, o->tmp, o->dirfd, o->base) < 0 ? -errno : 0;
		if (r == -EEXIST) {
			outfile_abort(o);
			return already_exists(o->path, d);
		}
		if (r == 0) {
			free(o->tmp);
			o->tmp = NULL;
		}
	}
	if (r < 0)
		diag_fail(d, r, "cannot write \"%s\"", o->path);
	outfile_abort(o);
	return r;
}

void outfile_abort(struct sf_outfile *o)
{
	if (o->tmp && o->dirfd >= 0)
		(void)unlinkat(o->dirfd, o->tmp, 0);
	if (o->fd >= 0)
		close(o->fd);
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->tmp);
	free(o->base);
	*o = (struct sf_outfile){ .fd = -1, .dirfd = -1 };
}
