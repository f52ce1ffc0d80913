/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics: every user-facing problem is a struct sf_msg, formatted only by main. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Exit statuses of the launcher (sysfence(1) "Exit status"). */
enum sf_exit {
	SF_EXIT_OK = 0,
	SF_EXIT_INVALID = 1,	/* --check found problems */
	SF_EXIT_FAILURE = 125,	/* sysfence itself failed: usage, profile, setup */
	SF_EXIT_NOEXEC = 126,	/* the program exists but cannot be executed */
	SF_EXIT_NOTFOUND = 127,	/* the program was not found */
};

struct sf_msg {
	char *file;		/* NULL when the message has no location */
	unsigned line;		/* 0 when the message has no line */
	int err;		/* positive errno appended as strerror, or 0 */
	bool warning;		/* printed, but does not fail the run */
	char *text;
};

/* A list of messages. Most callers stop at the first error; the profile
 * reader keeps going so that --check can report every problem. */
struct sf_diag {
	struct sf_msg *msgs;
	size_t n;
	size_t n_errors;
};

/* Append an error and return -EINVAL-like code: returns ret if ret < 0,
 * else -EINVAL, so callers can write `return diag_set(...)`.
 * err is a positive errno to show as strerror, or 0. */
int diag_set(struct sf_diag *d, const char *file, unsigned line, int ret, int err,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Where a profile value came from, for messages. file is NULL for the
 * command line; line 0 when there is no line. */
struct sf_origin {
	const char *file;
	unsigned line;
};

/* The common shapes of diag_set(), each one short call; all return what
 * diag_set() returns. */

/* At origin o, without strerror: a problem with the input. */
int diag_at(struct sf_diag *d, struct sf_origin o, int ret, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* No location, without strerror: "sysfence: TEXT". */
int diag_msg(struct sf_diag *d, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* No location, a failed call: neg is a negative errno, shown as strerror
 * ("sysfence: TEXT: No such file or directory"). */
int diag_fail(struct sf_diag *d, int neg, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* As diag_fail() with the current errno: write it right after the failed
 * call, before anything that may change errno. */
#define diag_errno(d, ...) diag_fail((d), -errno, __VA_ARGS__)

/* Append a warning (never fails the run). */
void diag_warn(struct sf_diag *d, const char *file, unsigned line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Format one message as "sysfence: FILE:LINE: text: strerror". Caller frees. */
char *diag_format(const struct sf_msg *m);

bool diag_has_errors(const struct sf_diag *d);
void diag_clear(struct sf_diag *d);

/* Levenshtein-based "did you mean" helper: returns the closest candidate
 * within a small edit distance, or NULL. candidates is NULL-terminated. */
const char *diag_closest(const char *word, const char *const *candidates);
