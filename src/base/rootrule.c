/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rootrule.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

bool root_only(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/* The rule for a directory. With ret_fd, the directory is opened (O_PATH)
 * and checked through that descriptor, which is handed back so the caller
 * can look inside the very directory checked (-1 when no descriptor was
 * left: then it was checked by name). */
static int check_dir(const char *path, const char *dir, const char *file, unsigned line, struct stat *ret_st,
    int *ret_fd, struct sf_diag *d)
{
	_cleanup_close_ int dfd = -1;
	struct stat st;

	/* Out of descriptors (a tiny RLIMIT_NOFILE), check by name. */
	if (ret_fd && (dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 && errno != EMFILE && errno != ENFILE)
		return diag_set(d, file, line, -errno, errno, "refusing \"%s\": cannot check directory \"%s\"", path,
		    dir);
	if (dfd >= 0 ? fstat(dfd, &st) < 0 : stat(dir, &st) < 0)
		return diag_set(d, file, line, -errno, errno, "refusing \"%s\": cannot check directory \"%s\"", path,
		    dir);
	if (st.st_uid != 0)
		return diag_set(d, file, line, -EPERM, 0, "refusing \"%s\": directory \"%s\" is not owned by root", path,
		    dir);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return diag_set(d, file, line, -EPERM, 0,
		    "refusing \"%s\": directory \"%s\" is writable by group or others", path, dir);
	if (ret_st)
		*ret_st = st;
	if (ret_fd)
		*ret_fd = TAKE_FD(dfd);
	return 0;
}

/* The name the kernel has for an open file, from /proc/self/fd: one
 * readlink instead of realpath(3)'s one per path component, and about the
 * very file opened. NULL when /proc is not there or the file is no longer
 * linked (the caller then asks realpath). */
static char *fd_path(int fd)
{
	static const char deleted[] = " (deleted)";
	char link[32], buf[PATH_MAX];
	ssize_t n;

	{
		/* "/proc/self/fd/" and the number, without stdio. */
		char num[12];
		size_t i = sizeof(num);
		unsigned v = (unsigned)fd;

		do
			num[--i] = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		memcpy(link, "/proc/self/fd/", 14);
		memcpy(link + 14, num + i, sizeof(num) - i);
		link[14 + sizeof(num) - i] = '\0';
	}
	n = readlink(link, buf, sizeof(buf));
	if (n <= 0 || (size_t)n >= sizeof(buf) || buf[0] != '/')
		return NULL;
	buf[n] = '\0';
	if ((size_t)n >= sizeof(deleted) - 1 && strcmp(buf + n - (sizeof(deleted) - 1), deleted) == 0)
		return NULL;
	return strdup(buf);
}

int root_rule_check(const char *path, int fd, const struct stat *st, const char *file, unsigned line,
    struct sf_diag *d)
{
	_cleanup_free_ char *dir = NULL, *real = NULL, *real_dir = NULL;
	_cleanup_close_ int dfd = -1;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct stat dst = { 0 }, rst;
	int r;

	if (st->st_uid != 0)
		return diag_set(d, file, line, -EPERM, 0, "refusing \"%s\": not owned by root", path);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return diag_set(d, file, line, -EPERM, 0, "refusing \"%s\": writable by group or others", path);
	dir = path_dir(path);
	if (!dir)
		return -ENOMEM;
	r = check_dir(path, dir, file, line, &dst, &dfd, d);
	if (r < 0)
		return r;
	/* The usual case: the name's last component is the file itself, in
	 * the directory just checked through its descriptor. Nothing can be
	 * swapped in between, and no other name needs resolving. */
	if (dfd >= 0 && fstatat(dfd, base, &rst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(rst.st_mode) &&
	    rst.st_dev == st->st_dev && rst.st_ino == st->st_ino)
		return 0;
	/* A symlink, or the name no longer leads to the file: find where the
	 * file really is and check that directory too. */
	real = fd >= 0 ? fd_path(fd) : NULL;
	if (!real)
		real = realpath(path, NULL);
	if (!real)
		return diag_set(d, file, line, -errno, errno, "cannot resolve \"%s\"", path);
	/* The checks go by name, the reading by descriptor: make sure the
	 * name still leads to the file that was opened, or a symlink swapped
	 * in between would have another file's directory checked. */
	if (stat(real, &rst) < 0 || rst.st_dev != st->st_dev || rst.st_ino != st->st_ino)
		return diag_set(d, file, line, -EPERM, 0, "refusing \"%s\": it was replaced while being read", path);
	real_dir = path_dir(real);
	if (!real_dir)
		return -ENOMEM;
	if (stat(real_dir, &rst) == 0 && rst.st_dev == dst.st_dev && rst.st_ino == dst.st_ino)
		return 0;
	return check_dir(path, real_dir, file, line, NULL, NULL, d);
}

int root_walk_dir(const char *dir, bool create, char **ret_link)
{
	_cleanup_free_ char *copy = strdup(dir);
	_cleanup_close_ int fd = -1;
	char *save = NULL;

	if (!copy)
		return -ENOMEM;
	fd = open(dir[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		bool made = create && mkdirat(fd, c, 0755) == 0;
		int next;

		if (create && !made && errno != EEXIST)
			return -errno;
		/* O_NOFOLLOW | O_DIRECTORY: a symlink fails with ENOTDIR or
		 * ELOOP instead of being followed. Not O_PATH where we made
		 * the directory: fchmod() needs a real descriptor. */
		next = openat(fd, c, (made ? O_RDONLY : O_PATH) | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			struct stat st;
			int e = errno;

			if (fstatat(fd, c, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
				if (ret_link)
					*ret_link = strdup(c);
				return -ELOOP;
			}
			return -e;
		}
		close(fd);
		fd = next;
		/* mkdirat() applied the umask; the directory must be readable
		 * by everyone who runs sysfence. */
		if (made && fchmod(fd, 0755) < 0)
			return -errno;
	}
	return TAKE_FD(fd);
}

int root_mkdir_p(const char *dir, struct sf_diag *d)
{
	_cleanup_free_ char *link = NULL;
	int fd = root_walk_dir(dir, /* create= */ true, &link);

	if (fd == -ELOOP && link)
		return diag_msg(d, -ELOOP,
		    "cannot create \"%s\": \"%s\" on the way is a symbolic link, which is not followed", dir, link);
	if (fd < 0)
		return diag_fail(d, fd, "cannot create \"%s\"", dir);
	close(fd);
	return 0;
}
