/* Where --learn=FILE writes the learned profile. A profile is never
 * written over an existing file: FILE must not exist, or be a terminal or
 * a pipe the caller passed (--learn=/dev/stdout into a pipe). As root, a
 * symlink is never followed, and only a regular file created here, a
 * terminal or a pipe is written into. */
#pragma once

#include "diag.h"

#include <stdbool.h>

struct learn_file {
	const char *path; /* FILE as given; not owned */
	char *tmp; /* the new file, next to FILE, until it is linked in; NULL: writing into fd */
	int fd;
};

/* Check FILE and get ready to write it, before the program runs. A new
 * FILE is made as a temporary file next to it. Returns 0 (release lf with
 * learn_file_close()), or a negative errno with a message in d:
 * 'cannot write "FILE": it already exists (...)' for an existing FILE. */
int learn_file_open(struct learn_file *lf, const char *path, bool root, struct sf_diag *d);

/* Write text; a new FILE is then linked in under its name, mode 0644,
 * never replacing what may have appeared there meanwhile. Returns 0 or a
 * negative errno with a message in d. */
int learn_file_commit(struct learn_file *lf, const char *text, struct sf_diag *d);

/* Close lf; the temporary file of a FILE not committed is removed. */
void learn_file_close(struct learn_file *lf);
