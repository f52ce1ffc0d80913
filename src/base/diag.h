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
