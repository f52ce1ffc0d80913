/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy's storage, shared by the resolver's files (policy.c,
 * policy_groups.c, policy_confine.c, policy_multiplex.c): its pool of
 * names and words, its interned file names, and the index that finds a
 * syscall's rules. Uses the policy model only, never the builder. */
#pragma once

#include "policy_model.h"

#include <stddef.h>

/* The policy's copy of a file name (few files, many rules); NULL stays
 * NULL. NULL on ENOMEM too. */
const char *policy_intern_file(struct sf_policy *pol, const char *file);

/* size bytes from the policy's pool, freed with the policy; NULL on ENOMEM. */
void *policy_arena_alloc(struct sf_policy *pol, size_t size);

/* A list split on white space and commas: a NULL-terminated vector of
 * pointers into one copy of the text, both in the policy's pool, so the
 * words may be kept (as syscall names, group members) without copying. */
struct policy_words {
	char **v;
	size_t n;
};

/* Split s into *ret. Returns 0 or -ENOMEM. */
int policy_words_split(struct sf_policy *pol, const char *s, struct policy_words *ret);

/* A syscall name's native number (libseccomp), a negative pseudo number for
 * one of another architecture, or __NR_SCMP_ERROR when unknown everywhere. */
int policy_syscall_nr(const char *name);

/* The rules of a syscall, added empty if new; name must live as long as the
 * policy (its pool, or a string literal); nr is its policy_syscall_nr().
 * NULL on ENOMEM. */
struct sf_syscall_rules *policy_syscall_get(struct sf_policy *pol, char *name, int nr);

/* The rules of a syscall already added, or NULL. */
struct sf_syscall_rules *policy_syscall_lookup(const struct sf_policy *pol, const char *name);

/* Room for what checking group g found for each member (policy_groups.c):
 * n_words + 1 ints, allocated on the first call, the same on later ones.
 * Groups must be complete. NULL on ENOMEM. */
int *policy_group_nrs(struct sf_policy *pol, const struct sf_group *g);

/* Free the storage (every string above with it). */
void policy_store_free(struct sf_policy *pol);
