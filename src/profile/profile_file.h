/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One profile file, opened and read as profile_load() does it, for the
 * reader and for replaying a precompiled policy's record (inputs.h). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Open one profile file as profile_load() does: a regular file, and with
 * root_rule the root rule (sysfence(1), SECURITY) (check_owner of sf_profile_opts). Problems
 * are not reported (replaying a precompiled policy only needs to know
 * the file is not what it was). Returns the descriptor (close-on-exec) and
 * its size in *ret_size, or a negative errno. */
int profile_open_file(const char *path, bool root_rule, off_t *ret_size);

/* Read fd to its end, but no more than cap bytes: the reader passes one
 * byte past its size cap, enough to report the line where the cap is
 * crossed. size_hint (the file's size, or 0) sizes the first buffer.
 * Returns 0 and *ret (free it) with its length in *ret_len, or a negative
 * errno. */
int profile_read_fd(int fd, off_t size_hint, size_t cap, char **ret, size_t *ret_len);
