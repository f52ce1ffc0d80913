/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "io.h"
#include "cleanup.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

ssize_t read_retry(int fd, void *buf, size_t len)
{
	for (;;) {
		ssize_t k = read(fd, buf, len);

		if (k >= 0)
			return k;
		if (errno != EINTR)
			return -errno;
	}
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

int read_all(int fd, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *buf = NULL;
	size_t n = 0, cap = 0;

	for (;;) {
		ssize_t k;

		if (n + 1 >= cap) {
			size_t want = cap ? cap * 2 : 4096;
			char *b;

			if (cap > max + 1)
				return -EFBIG;
			b = realloc(buf, want);
			if (!b)
				return -ENOMEM;
			buf = b;
			cap = want;
		}
		k = read_retry(fd, buf + n, cap - n - 1);
		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		n += (size_t)k;
		if (n > max)
			return -EFBIG;
	}
	buf[n] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = n;
	return 0;
}
