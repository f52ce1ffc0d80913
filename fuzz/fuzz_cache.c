/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the precompiled-policy decoder: cache_decode() on the input as an
 * entry file. Invariants: no crash or sanitizer report; anything refused
 * is -EBADMSG (or -ENOMEM) and hands nothing back; what is accepted is
 * well-formed (a filter exactly when has_filter, file inputs borrowing
 * bytes inside the input, no [groups] or [seccomp] entry, every entry's
 * file listed), and encoding it again gives an entry that decodes to the
 * same key, inputs, program and entries, whose own encoding is the same
 * bytes (the encoding of a decoded entry is canonical). */
#include "cache.h"
#include "fuzz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool same_inputs(const struct sf_inputs *a, const struct sf_inputs *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct sf_input *x = &a->v[i], *y = &b->v[i];

		if (x->kind != y->kind || strcmp(x->name, y->name) != 0 || x->n_paths != y->n_paths ||
		    x->len != y->len || (x->len && memcmp(x->data, y->data, x->len) != 0))
			return false;
		for (size_t k = 0; k < x->n_paths; k++)
			if (strcmp(x->paths[k], y->paths[k]) != 0)
				return false;
	}
	return true;
}

static bool same_filter(const struct sf_cache_entry *a, const struct sf_cache_entry *b)
{
	if (a->has_filter != b->has_filter || !a->filter != !b->filter)
		return false;
	return !a->filter ||
	    (a->filter->n == b->filter->n && memcmp(a->filter->insns, b->filter->insns,
	    a->filter->n * sizeof(*a->filter->insns)) == 0);
}

static bool same_entries(const struct sf_profile *a, const struct sf_profile *b)
{
	if (a->n_entries != b->n_entries || a->n_files != b->n_files || strcmp(a->name, b->name) != 0 ||
	    strcmp(a->path, b->path) != 0)
		return false;
	for (size_t i = 0; i < a->n_files; i++)
		if (strcmp(a->files[i], b->files[i]) != 0)
			return false;
	for (size_t i = 0; i < a->n_entries; i++) {
		const struct sf_entry *x = &a->entries[i], *y = &b->entries[i];

		if (x->section != y->section || strcmp(x->key, y->key) != 0 || strcmp(x->value, y->value) != 0 ||
		    strcmp(x->file, y->file) != 0 || x->line != y->line)
			return false;
	}
	return true;
}

static bool listed(const struct sf_profile *p, const char *file)
{
	for (size_t i = 0; i < p->n_files; i++)
		if (p->files[i] == file)
			return true;
	return false;
}

/* What any decoded entry must look like; data/size: the bytes decoded. */
static void check_well_formed(const struct sf_cache_entry *e, const uint8_t *data, size_t size)
{
	FUZZ_ASSERT(e->key && e->profile && e->profile->name && e->profile->path);
	FUZZ_ASSERT(e->has_filter == (e->filter != NULL));
	FUZZ_ASSERT(!e->filter || (e->filter->n >= 1 && e->filter->insns));
	for (size_t i = 0; i < e->inputs.n; i++) {
		const struct sf_input *x = &e->inputs.v[i];

		FUZZ_ASSERT(x->name);
		switch (x->kind) {
		case SF_INPUT_LOOKUP:
			FUZZ_ASSERT(x->n_paths <= 1 && !x->data);
			break;
		case SF_INPUT_LOOKUP_ALL:
			FUZZ_ASSERT(!x->data);
			break;
		case SF_INPUT_FILE:
			FUZZ_ASSERT(x->n_paths == 0 && x->borrowed && x->data);
			FUZZ_ASSERT((const uint8_t *)x->data >= data && x->len <= size &&
			    (const uint8_t *)x->data - data <= (ptrdiff_t)(size - x->len));
			break;
		default:
			FUZZ_ASSERT(!"a known kind");
		}
	}
	for (size_t i = 0; i < e->profile->n_entries; i++) {
		const struct sf_entry *x = &e->profile->entries[i];

		FUZZ_ASSERT(strcmp(x->section, "groups") != 0 && strcmp(x->section, "seccomp") != 0);
		FUZZ_ASSERT(listed(e->profile, x->file));
	}
}

static int encode(const struct sf_cache_entry *e, char **ret, size_t *ret_len)
{
	return cache_encode(e->key, &e->inputs, e->profile, e->filter, e->filter_root, e->n_syscalls, ret, ret_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sf_cache_entry *e = NULL, *again = NULL;
	char *buf = NULL, *buf2 = NULL;
	size_t len = 0, len2 = 0;
	int r = cache_decode((const char *)data, size, &e);

	if (r < 0) {
		FUZZ_ASSERT(r == -EBADMSG || r == -ENOMEM);
		FUZZ_ASSERT(!e);
		return 0;
	}
	FUZZ_ASSERT(r == 0 && e);
	check_well_formed(e, data, size);

	r = encode(e, &buf, &len);
	FUZZ_ASSERT(r == 0 || r == -ENOMEM);
	if (r == 0) {
		/* Only a file listed twice is written once. */
		FUZZ_ASSERT(len <= size);
		r = cache_decode(buf, len, &again);
		FUZZ_ASSERT(r == 0 || r == -ENOMEM);
	}
	if (r == 0) {
		check_well_formed(again, (const uint8_t *)buf, len);
		FUZZ_ASSERT(strcmp(e->key, again->key) == 0);
		FUZZ_ASSERT(same_inputs(&e->inputs, &again->inputs));
		FUZZ_ASSERT(same_filter(e, again));
		FUZZ_ASSERT(e->n_syscalls == again->n_syscalls);
		FUZZ_ASSERT(same_entries(e->profile, again->profile));
		r = encode(again, &buf2, &len2);
		FUZZ_ASSERT(r == 0 || r == -ENOMEM);
		FUZZ_ASSERT(r < 0 || (len2 == len && memcmp(buf, buf2, len) == 0));
	}
	cache_entry_free(again);
	cache_entry_free(e);
	free(buf2);
	free(buf);
	return 0;
}
