/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "policy_store.h"
#include "array.h"

#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Syscalls are found by their native number (libseccomp's, resolved once
 * per name while checking it), confirmed by name: an open-addressing table
 * whose hash is a multiply, not a pass over the text. Names known only on
 * another architecture have distinct negative pseudo numbers; two names with
 * one number (the filter compiler reports those) share a probe sequence. */
struct sc_index {
	size_t cap; /* power of two */
	long *slots; /* index into filter.syscalls, -1 empty */
};

struct policy_store {
	struct sc_index index; /* syscall name -> filter.syscalls index */
	size_t cap_syscalls; /* of filter.syscalls */
	int **group_nrs; /* per group: see policy_group_nrs() */
	size_t n_group_nrs;
};

static struct policy_store *store_of(struct sf_policy *pol)
{
	if (!pol->store)
		pol->store = calloc(1, sizeof(*pol->store));
	return pol->store;
}

const char *policy_intern_file(struct sf_policy *pol, const char *file)
{
	const char *s = NULL;

	if (!file)
		return NULL;
	return strpool_intern(&pol->pool, file, &s) < 0 ? NULL : s;
}

void *policy_arena_alloc(struct sf_policy *pol, size_t size)
{
	return strpool_alloc(&pol->pool, size);
}

/* isspace() of the C locale, ',' and the terminating NUL. */
static const bool word_sep[256] = {
	['\0'] = true,
	[' '] = true,
	[','] = true,
	['\t'] = true,
	['\n'] = true,
	['\v'] = true,
	['\f'] = true,
	['\r'] = true,
};

int policy_words_split(struct sf_policy *pol, const char *s, struct policy_words *ret)
{
	size_t len = strlen(s), n = 0;
	char *buf, *end;
	char **v;

	/* A copy with the separators cut to NULs; the words are counted on the
	 * way, and the vector, allocated at its size, filled in a second pass. */
	buf = policy_arena_alloc(pol, len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, s, len + 1);
	end = buf + len;
	for (char *p = buf; p < end;) {
		if (word_sep[(unsigned char)*p]) {
			*p++ = '\0';
			continue;
		}
		n++;
		while (!word_sep[(unsigned char)*p]) /* stops at the NUL at end */
			p++;
	}
	v = policy_arena_alloc(pol, (n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		while (!*buf)
			buf++;
		v[k] = buf;
		buf += strlen(buf);
	}
	v[n] = NULL;
	*ret = (struct policy_words){ .v = v, .n = n };
	return 0;
}

static size_t hash_nr(int nr, size_t cap)
{
	return (size_t)(((uint32_t)nr * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (cap - 1);
}

/* The native number of a syscall name, or __NR_SCMP_ERROR when libseccomp
 * knows it on no architecture (names.h: syscall_name_known()). */
int policy_syscall_nr(const char *name)
{
	return seccomp_syscall_resolve_name(name);
}

static long index_lookup(const struct sf_policy *pol, const char *name, int nr)
{
	const struct sc_index *ix = pol->store ? &pol->store->index : NULL;

	if (!ix || ix->cap == 0)
		return -1;
	for (size_t i = hash_nr(nr, ix->cap);; i = (i + 1) & (ix->cap - 1)) {
		long at = ix->slots[i];

		if (at < 0)
			return -1;
		if (pol->filter.syscalls[at].native_nr == nr && strcmp(pol->filter.syscalls[at].name, name) == 0)
			return at;
	}
}

static void index_place(struct sc_index *ix, int nr, long at)
{
	size_t i = hash_nr(nr, ix->cap);

	while (ix->slots[i] >= 0)
		i = (i + 1) & (ix->cap - 1);
	ix->slots[i] = at;
}

/* Index filter.syscalls[at], the last one; the table is rebuilt twice
 * as large when it would become more than half full. */
static int index_insert(struct sf_policy *pol, int nr, long at)
{
	struct sc_index *ix = &pol->store->index;
	size_t cap;
	long *slots;

	if ((pol->filter.n_syscalls + 1) * 2 <= ix->cap) {
		index_place(ix, nr, at);
		return 0;
	}
	cap = ix->cap ? ix->cap * 2 : 1024;
	slots = malloc(cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		slots[i] = -1;
	free(ix->slots);
	*ix = (struct sc_index){ .cap = cap, .slots = slots };
	for (size_t k = 0; k < pol->filter.n_syscalls; k++)
		index_place(ix, pol->filter.syscalls[k].native_nr, (long)k);
	return 0;
}

struct sf_syscall_rules *policy_syscall_lookup(const struct sf_policy *pol, const char *name)
{
	int nr = policy_syscall_nr(name);
	long at = nr == __NR_SCMP_ERROR ? -1 : index_lookup(pol, name, nr);

	return at >= 0 ? &pol->filter.syscalls[at] : NULL;
}

struct sf_syscall_rules *policy_syscall_get(struct sf_policy *pol, char *name, int nr)
{
	long at = index_lookup(pol, name, nr);
	struct policy_store *st;

	if (at >= 0)
		return &pol->filter.syscalls[at];
	st = store_of(pol);
	/* A profile names hundreds of syscalls: the array grows by doubling. */
	if (!st || ARRAY_RESERVE(pol->filter.syscalls, st->cap_syscalls, pol->filter.n_syscalls + 1) < 0)
		return NULL;
	at = (long)pol->filter.n_syscalls++;
	pol->filter.syscalls[at] = (struct sf_syscall_rules){ .name = name, .has_native_nr = true, .native_nr = nr };
	if (index_insert(pol, nr, at) < 0)
		return NULL;
	return &pol->filter.syscalls[at];
}

/* What policy_group_check() found for each member of a group: the native
 * number of a syscall (policy_syscall_nr()), or the index of a group in
 * pol->groups. A group is expanded each time a rule names it; this spares
 * each expansion resolving names and finding groups again. */
int *policy_group_nrs(struct sf_policy *pol, const struct sf_group *g)
{
	struct policy_store *st = store_of(pol);
	size_t gi = (size_t)(g - pol->groups);

	if (!st)
		return NULL;
	if (gi >= st->n_group_nrs) {
		size_t cap = st->n_group_nrs;

		if (ARRAY_RESERVE(st->group_nrs, cap, pol->n_groups) < 0)
			return NULL;
		memset(&st->group_nrs[st->n_group_nrs], 0, (cap - st->n_group_nrs) * sizeof(*st->group_nrs));
		st->n_group_nrs = cap;
	}
	/* Groups are complete before the first is checked: n_words is final. */
	if (!st->group_nrs[gi])
		st->group_nrs[gi] = policy_arena_alloc(pol, (g->n_words + 1) * sizeof(int));
	return st->group_nrs[gi];
}

void policy_store_free(struct sf_policy *pol)
{
	struct policy_store *st = pol->store;

	strpool_done(&pol->pool);
	if (!st)
		return;
	free(st->group_nrs); /* each points into the pool */
	free(st->index.slots);
	free(st);
	pol->store = NULL;
}
