/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One profile file, opened and read: see profile_file.h. */
#include "profile_file.h"
#include "cleanup.h"
#include "io.h"
#include "rootrule.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

int profile_read_fd(int fd, off_t size_hint, size_t cap, char **ret, size_t *ret_len)
{
	size_t want = size_hint > 0 && (size_t)size_hint < cap ? (size_t)size_hint + 1 : cap;
	_cleanup_free_ char *buf = malloc(want);
	size_t n = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t k;

		if (n == want) {
			char *b;

			if (want == cap)
				break;
			want = want * 2 < cap ? want * 2 : cap;
			b = realloc(buf, want);
			if (!b)
				return -ENOMEM;
			buf = b;
		}
		k = read_retry(fd, buf + n, want - n);
		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		n += (size_t)k;
	}
	*ret = TAKE_PTR(buf);
	*ret_len = n;
	return 0;
}

int profile_open_file(const char *path, bool root_rule, off_t *ret_size)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct sf_diag scratch = { 0 };
	struct stat st;
	int r;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (root_rule) {
		r = root_rule_check(path, fd, &st, NULL, 0, &scratch);
		diag_clear(&scratch);
		if (r < 0)
			return r;
	}
	*ret_size = st.st_size;
	return TAKE_FD(fd);
}
