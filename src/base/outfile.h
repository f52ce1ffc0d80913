/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where --export -o FILE and --learn=FILE write. A new file is written
 * next to FILE and renamed over it (or, for a FILE that must be new, linked
 * in without replacing anything), so FILE is never seen half written.
 * As root (the root rule), no symlink is followed, anywhere in FILE, and
 * nothing but a regular file sysfence creates, or a pipe, socket or
 * terminal the caller passed as /dev/stdout, /dev/stderr, /dev/fd/N or
 * /proc/self/fd/N, is written. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

struct sf_outfile {
	const char *path;	/* as given, for messages; not owned */
	int fd;			/* where the bytes go */
	int dirfd;		/* the directory holding tmp, or -1: fd is written in place */
	char *tmp;		/* the new file's name in dirfd, renamed over base */
	char *base;
	bool no_replace;	/* SF_OUTFILE_NEW: link in, never replace */
};

enum sf_outfile_mode {
	/* Replace a regular file; refuse anything else. */
	SF_OUTFILE_REPLACE,
	/* Replace a regular file; write into one that exists and is not
	 * regular (/dev/null, a FIFO) instead of refusing it; not as root. */
	SF_OUTFILE_REPLACE_OR_INTO,
	/* FILE must not exist ("it already exists"), except a pipe or a
	 * terminal the caller passed, which is written into. */
	SF_OUTFILE_NEW,
};

/* Open path for writing. On success *ret is ready for outfile_write(), and
 * must end with outfile_commit() or outfile_abort(). Returns 0 or a negative
 * errno with "cannot write \"PATH\"..." in d. */
int outfile_open(const char *path, enum sf_outfile_mode mode, struct sf_outfile *ret, struct sf_diag *d);

/* Append len bytes. Returns 0 or a negative errno. */
int outfile_write(struct sf_outfile *o, const char *data, size_t len);

/* Mode 0644, flushed, renamed over the target; frees o's resources.
 * Returns 0 or a negative errno with a message in d (the target is then
 * untouched). */
int outfile_commit(struct sf_outfile *o, struct sf_diag *d);

/* Remove the new file and free o's resources, after a successful
 * outfile_open() (again after outfile_commit() is harmless). */
void outfile_abort(struct sf_outfile *o);
