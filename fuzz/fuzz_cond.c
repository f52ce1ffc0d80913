/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the condition parser: cond_parse() on the input (up to its first NUL)
 * as the text after "if". Invariants: no crash or sanitizer report; on
 * success every comparison names arg0..arg5 and a known operator, and the
 * condition printed back (cond_to_string) parses to the same condition; on
 * failure exactly one message, at the given file and line. */
#include "cond.h"
#include "diag.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#define FILE_NAME "fuzz.ini"
#define LINE 7

static bool same_cond(const struct sf_cond *a, const struct sf_cond *b)
{
	if (a->n != b->n)
		return false;
	for (size_t t = 0; t < a->n; t++) {
		if (a->terms[t].n != b->terms[t].n)
			return false;
		for (size_t i = 0; i < a->terms[t].n; i++) {
			const struct sf_cmp *x = &a->terms[t].cmps[i], *y = &b->terms[t].cmps[i];

			if (x->arg != y->arg || x->op != y->op || x->value != y->value)
				return false;
			if ((x->op == SF_CMP_MASKED_EQ || x->op == SF_CMP_ANY_BITS) && x->mask != y->mask)
				return false;
		}
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sf_diag d = { 0 };
	struct sf_cond *c = NULL, *again = NULL;
	char *text = malloc(size + 1), *printed = NULL;
	int r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	r = cond_parse(text, FILE_NAME, LINE, &c, &d);
	if (r < 0) {
		FUZZ_ASSERT(!c);
		FUZZ_ASSERT(d.n == 1 && d.n_errors == 1);
		FUZZ_ASSERT(d.msgs[0].line == LINE && strcmp(d.msgs[0].file, FILE_NAME) == 0);
	} else {
		FUZZ_ASSERT(r == 0 && c && d.n == 0);
		FUZZ_ASSERT(c->n >= 1);
		for (size_t t = 0; t < c->n; t++) {
			FUZZ_ASSERT(c->terms[t].n >= 1);
			for (size_t i = 0; i < c->terms[t].n; i++) {
				FUZZ_ASSERT(c->terms[t].cmps[i].arg <= 5);
				FUZZ_ASSERT(c->terms[t].cmps[i].op <= SF_CMP_ANY_BITS);
			}
		}
		printed = cond_to_string(c);
		FUZZ_ASSERT(printed);
		r = cond_parse(printed, FILE_NAME, LINE, &again, &d);
		FUZZ_ASSERT(r == 0);
		FUZZ_ASSERT(same_cond(c, again));
	}
	diag_clear(&d);

	cond_free(c);
	cond_free(again);
	free(printed);
	free(text);
	return 0;
}
