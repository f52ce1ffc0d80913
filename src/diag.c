#include "diag.h"
#include "cleanup.h"

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

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	_cleanup_free_ size_t *row = NULL;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	row = calloc(lb + 1, sizeof(*row));
	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *diag_closest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	size_t limit = strlen(word) <= 4 ? 1 : 2;

	for (size_t i = 0; candidates && candidates[i]; i++) {
		size_t dist = edit_distance(word, candidates[i]);

		if (dist < best_d) {
			best_d = dist;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}
