/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the INI reading and the profile model: profile_parse_text() on the
 * input as a profile file. Invariants: no crash or sanitizer report; every
 * entry is complete and has a line inside the text; every message formats
 * as FILE:LINE; an error is reported exactly when the result is negative. */
#include "diag.h"
#include "fuzz.h"
#include "profile.h"

#include <stdlib.h>
#include <string.h>

#define FILE_NAME "fuzz.ini"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sf_diag d = { 0 };
	struct sf_profile *p = profile_new();
	unsigned lines = 1;
	int r;

	if (!p)
		return 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	r = profile_parse_text(p, FILE_NAME, (const char *)data, size, &d);
	FUZZ_ASSERT((r < 0) == diag_has_errors(&d));
	for (size_t i = 0; i < p->n_entries; i++) {
		const struct sf_entry *e = &p->entries[i];

		FUZZ_ASSERT(e->section && e->key && e->value && e->file);
		FUZZ_ASSERT(strcmp(e->file, FILE_NAME) == 0);
		FUZZ_ASSERT(e->line >= 1 && e->line <= lines);
		/* The reader refuses NUL and control bytes, so values are whole. */
		FUZZ_ASSERT(strlen(e->value) < size);
		FUZZ_ASSERT(!strchr(e->value, '\n'));
	}
	for (size_t i = 0; i < d.n; i++) {
		char *s = diag_format(&d.msgs[i]);

		FUZZ_ASSERT(s);
		FUZZ_ASSERT(strncmp(s, "sysfence: ", 10) == 0);
		FUZZ_ASSERT(!strchr(s, '\n'));
		free(s);
	}
	diag_clear(&d);
	profile_free(p);
	return 0;
}
