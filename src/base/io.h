/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The read and write loops every file reader needs: interrupted calls are
 * retried (EINTR), short transfers continued. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* read(2), retried on EINTR. Returns what read(2) returns, or -errno. */
ssize_t read_retry(int fd, void *buf, size_t len);

/* Write all of len bytes. Returns 0 or a negative errno. */
int write_all(int fd, const void *buf, size_t len);

/* Read fd to its end into a new buffer (NUL-terminated, not counted in
 * *ret_len); more than max bytes is -EFBIG. Returns 0 with *ret (free it),
 * or a negative errno. */
int read_all(int fd, size_t max, char **ret, size_t *ret_len);
