/* Where --learn=FILE writes (see learn_file.h). */
#include "learn_file.h"

#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *path, struct sf_diag *d)
{
	return diag_set(d, NULL, 0, -EEXIST, 0,
	    "cannot write \"%s\": it already exists (remove it, or name a file that does not exist)", path);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static bool tty_or_pipe(int fd, const struct stat *st)
{
	return S_ISFIFO(st->st_mode) || (S_ISCHR(st->st_mode) && isatty(fd));
}

/* A descriptor for an existing FILE that is a terminal or a pipe the caller
 * passed, or -1. One of our standard descriptors (/dev/stdout,
 * /dev/fd/1) is duplicated, not opened by name. Otherwise FILE is opened
 * (without following a symlink as root) and must be the object it named. */
static int open_tty_or_pipe(const char *path, bool root, const struct stat *lst)
{
	struct stat st, fst;
	int fd;

	if (stat(path, &st) < 0)
		return -1;
	for (int n = 0; n <= 2; n++)
		if (fstat(n, &fst) == 0 && same_file(&st, &fst) && tty_or_pipe(n, &fst))
			return fcntl(n, F_DUPFD_CLOEXEC, 3);
	if (root && S_ISLNK(lst->st_mode))
		return -1;
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		return -1;
	/* O_NONBLOCK: a FIFO nobody reads fails (ENXIO) instead of hanging. */
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (root ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -1;
	if (fstat(fd, &fst) < 0 || !same_file(&st, &fst) || !tty_or_pipe(fd, &fst) ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int learn_file_open(struct learn_file *lf, const char *path, bool root, struct sf_diag *d)
{
	struct stat lst;

	*lf = (struct learn_file){ .path = path, .fd = -1 };
	if (lstat(path, &lst) == 0) {
		lf->fd = open_tty_or_pipe(path, root, &lst);
		return lf->fd >= 0 ? 0 : exists(path, d);
	}
	if (errno != ENOENT)
		return diag_set(d, NULL, 0, -errno, errno, "cannot write \"%s\"", path);
	/* A new file: made next to FILE, so that linking it in stays on one
	 * file system; O_EXCL (mkostemp) never follows a symlink. */
	if (asprintf(&lf->tmp, "%s.XXXXXX", path) < 0) {
		lf->tmp = NULL;
		return -ENOMEM;
	}
	lf->fd = mkostemp(lf->tmp, O_CLOEXEC);
	if (lf->fd < 0) {
		int e = errno;

		free(lf->tmp);
		lf->tmp = NULL;
		return diag_set(d, NULL, 0, -e, e, "cannot write \"%s\"", path);
	}
	return 0;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Give the new file FILE's name unless something took it meanwhile. */
static int link_in(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* A file system without RENAME_NOREPLACE: link(2) never replaces. */
	if (link(tmp, path) < 0)
		return -errno;
	unlink(tmp);
	return 0;
}

int learn_file_commit(struct learn_file *lf, const char *text, struct sf_diag *d)
{
	int r = write_all(lf->fd, text, strlen(text));

	if (r == 0 && lf->tmp && fchmod(lf->fd, 0644) < 0)
		r = -errno;
	if (r == 0 && close(TAKE_FD(lf->fd)) < 0)
		r = -errno;
	if (r == 0 && lf->tmp) {
		r = link_in(lf->tmp, lf->path);
		if (r == -EEXIST)
			return exists(lf->path, d);
		if (r == 0) {
			free(lf->tmp);
			lf->tmp = NULL;
		}
	}
	if (r < 0)
		return diag_set(d, NULL, 0, r, -r, "cannot write \"%s\"", lf->path);
	return 0;
}

void learn_file_close(struct learn_file *lf)
{
	if (lf->fd >= 0)
		close(lf->fd);
	lf->fd = -1;
	if (lf->tmp)
		unlink(lf->tmp);
	free(lf->tmp);
	lf->tmp = NULL;
}
