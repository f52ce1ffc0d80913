/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A line reader for libinih's ini_parse_stream() over text in memory.
 *
 * Debian's libinih gives its handler no line number, cuts lines at its
 * buffer size and reports only the first malformed line. This reader closes
 * those gaps: it counts lines (the handler reads r->line), refuses an
 * over-long line, a NUL or control byte, or text past a size cap (a hard
 * error: it stops feeding inih), sees section headers itself (so an unknown
 * section is an error even when it holds no keys), and reports every line
 * inih did not turn into a handler call as malformed.
 *
 * Use: ini_reader_init(), ini_parse_stream(ini_reader_read, &r, handler, ...)
 * with a handler that calls ini_reader_handled() first, then
 * ini_reader_finish(). Messages go to the sf_diag given to init. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

struct sf_ini_reader {
	/* Input, set by ini_reader_init(). */
	const char *text;
	size_t len;
	size_t max_size;		/* bytes; text past this is an error */
	const char *file;		/* for messages */
	const char *const *sections;	/* known section names, NULL-terminated */
	struct sf_diag *d;

	/* The line inih is parsing, for its handler. */
	unsigned line;			/* 1-based; 0 before the first line */
	const char *raw;		/* the line as in the text: no BOM, no "\r\n" */
	size_t raw_len;
	const char *section;		/* an element of sections, or NULL before the
					 * first header and inside an unknown section */
	bool in_unknown_section;	/* a header named an unknown section (reported) */
	bool continuation;		/* the line continues the previous key's value */

	/* private */
	size_t pos;			/* offset of the next line */
	bool expect_call;		/* inih should call the handler for this line */
	bool called;
	bool have_key;			/* mirrors inih: a key exists to continue */
	bool stopped;
	int error;			/* first negative errno, or 0 */
};

/* Prepare r to read text[0..len). Nothing is copied: text, file, sections
 * and d must outlive r. */
void ini_reader_init(struct sf_ini_reader *r, const char *text, size_t len, size_t max_size,
    const char *file, const char *const *sections, struct sf_diag *d);

/* The ini_reader callback for ini_parse_stream(); stream is the
 * struct sf_ini_reader. Returns str, or NULL at the end of the text and
 * after a hard error. */
char *ini_reader_read(char *str, int num, void *stream);

/* The handler must call this first on every call, with the name inih
 * passed: the reader learns that inih accepted the current line. */
void ini_reader_handled(struct sf_ini_reader *r, const char *name);

/* Report a problem at the current line (FILE:LINE of the reader). With
 * stop, no further line is read (a hard error, e.g. a cap); otherwise
 * reading goes on. err is a negative errno kept for ini_reader_finish().
 * Returns err. */
int ini_reader_error(struct sf_ini_reader *r, int err, bool stop, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Stop reading after the current line without a message of the reader's
 * own (the caller reported it). err as for ini_reader_error(). */
void ini_reader_stop(struct sf_ini_reader *r, int err);

/* After ini_parse_stream() returned rc: check the last line and report an
 * inih error the reader did not see. Returns 0, or the first negative errno
 * (-EINVAL when only messages were added). */
int ini_reader_finish(struct sf_ini_reader *r, int rc);
