/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "diag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages are few and short; running out of memory while reporting one is
 * handled by recording a fixed text rather than losing the error. */
static struct sf_msg *diag_push(struct sf_diag *d)
{
	struct sf_msg *n = realloc(d->msgs, (d->n + 1) * sizeof(*n));

	if (!n)
		return NULL;
	d->msgs = n;
	memset(&d->msgs[d->n], 0, sizeof(d->msgs[d->n]));
	return &d->msgs[d->n++];
}

__attribute__((format(printf, 6, 0)))
static void diag_vadd(struct sf_diag *d, bool warning, const char *file, unsigned line, int err,
    const char *fmt, va_list ap)
{
	struct sf_msg *m;

	if (!d)
		return;
	m = diag_push(d);
	if (!m)
		return;
	m->warning = warning;
	m->file = file ? strdup(file) : NULL;
	m->line = line;
	m->err = err;
	if (vasprintf(&m->text, fmt, ap) < 0)
		m->text = NULL;
	if (!warning)
		d->n_errors++;
}

int diag_set(struct sf_diag *d, const char *file, unsigned line, int ret, int err,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, false, file, line, err, fmt, ap);
	va_end(ap);
	return ret < 0 ? ret : -EINVAL;
}

int diag_at(struct sf_diag *d, struct sf_origin o, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, false, o.file, o.line, 0, fmt, ap);
	va_end(ap);
	return ret < 0 ? ret : -EINVAL;
}

int diag_msg(struct sf_diag *d, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, false, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return ret < 0 ? ret : -EINVAL;
}

int diag_fail(struct sf_diag *d, int neg, const char *fmt, ...)
{
	/* A caller may pass -errno of a call that did not set it. */
	int ret = neg < 0 ? neg : -EIO;
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, false, NULL, 0, -ret, fmt, ap);
	va_end(ap);
	return ret;
}

void diag_warn(struct sf_diag *d, const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, true, file, line, 0, fmt, ap);
	va_end(ap);
}

char *diag_format(const struct sf_msg *m)
{
	char *out = NULL;
	char loc[4200] = "";
	char tail[256] = "";

	if (m->file && m->line)
		snprintf(loc, sizeof(loc), "%s:%u: ", m->file, m->line);
	else if (m->file)
		snprintf(loc, sizeof(loc), "%s: ", m->file);
	if (m->err > 0)
		snprintf(tail, sizeof(tail), ": %s", strerror(m->err));
	if (asprintf(&out, "sysfence: %s%s%s%s", m->warning ? "warning: " : "", loc,
	    m->text ? m->text : "out of memory", tail) < 0)
		return NULL;
	return out;
}

bool diag_has_errors(const struct sf_diag *d)
{
	return d && d->n_errors > 0;
}

void diag_clear(struct sf_diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->msgs[i].file);
		free(d->msgs[i].text);
	}
	free(d->msgs);
	d->msgs = NULL;
	d->n = d->n_errors = 0;
}

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and transpositions of neighbours ("opne" is one step from "open"). */
static size_t edit_distance(const char *a, const char *b)
{
	enum { MAX = 64 };
	size_t la = strlen(a), lb = strlen(b);
	size_t dp[MAX + 1][MAX + 1];

	if (la > MAX || lb > MAX)
		return (size_t)-1;
	for (size_t i = 0; i <= la; i++)
		dp[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		dp[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = dp[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (dp[i - 1][j] + 1 < best)
				best = dp[i - 1][j] + 1;
			if (dp[i][j - 1] + 1 < best)
				best = dp[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && dp[i - 2][j - 2] + 1 < best)
				best = dp[i - 2][j - 2] + 1;
			dp[i][j] = best;
		}
	return dp[la][lb];
}

const char *diag_closest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	size_t wl = strlen(word);
	size_t limit = wl <= 4 ? 1 : wl <= 8 ? 2 : 3;

	for (size_t i = 0; candidates && candidates[i]; i++) {
		size_t cl = strlen(candidates[i]), dist;

		/* The distance is at least the difference in length: a
		 * candidate that far away cannot be the hint, so skip the
		 * quadratic work (thousands of constant names per unknown
		 * one). */
		if ((cl > wl ? cl - wl : wl - cl) > limit)
			continue;
		dist = edit_distance(word, candidates[i]);

		if (dist < best_d) {
			best_d = dist;
			best = candidates[i];
		}
	}
	if (best_d <= limit)
		return best;
	/* A truncated name ("net_bin") is a prefix of the one meant. */
	if (wl >= 4)
		for (size_t i = 0; candidates && candidates[i]; i++)
			if (strncmp(candidates[i], word, wl - 1) == 0)
				return candidates[i];
	return NULL;
}
