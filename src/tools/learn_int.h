/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to --learn: src/tools/learn.c, learn_analyse.c and learn_guard.c share these.
 * Pure, like learn.h. */
#pragma once

#include "policy.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* learn.h; not included, so that learn.c, which includes this, is not in a
 * cycle with it. */
struct learn_record;
struct learn_value;

/* How a learned profile keeps a refusal of the shipped default profile,
 * narrowed to what the learning run used. */
enum learn_guard_kind {
	LEARN_GUARD_REFUSE, /* refused whether seen or not (clone3) */
	LEARN_GUARD_FLAGS, /* the flags of arg that no call set are refused (clone) */
	LEARN_GUARD_VALUES, /* the values of arg that no call passed are refused */
};

/* One syscall the shipped default profile refuses outright or on its
 * arguments. tests/unit/tools/test_learn.c checks the table against
 * profiles/default.ini. */
struct learn_guard {
	const char *name;
	enum learn_guard_kind kind;
	const char *action; /* as written in the profile: "deny", "ENOSYS" */
	int err; /* the errno action means */
	int arg; /* the argument tested; -1 for LEARN_GUARD_REFUSE */
	/* LEARN_GUARD_FLAGS: the flags, "A|B|C". LEARN_GUARD_VALUES: the
	 * default profile's own refusal, used when the run passed too many
	 * distinct values for a rule of its own. */
	const char *base;
};

extern const struct learn_guard learn_guards[];
extern const size_t learn_n_guards;

/* The guard for a syscall name, or NULL. */
const struct learn_guard *learn_guard_find(const char *name);

/* What the run did with one guarded syscall (all ABIs merged). */
struct learn_seen {
	const char *name;
	uint64_t count;
	struct learn_value *values; /* sorted in place by the writer */
	size_t n_values;
	bool overflow;
	uint64_t values_or;
};

/* Write g's rules for what was seen (count 0: not seen). */
void learn_guard_write(FILE *f, const struct learn_guard *g, const struct learn_seen *s);

/* ---- text helpers ---- */

/* Comment and rule lines are wrapped well inside the reader's line limit
 * (src/profile/ini_reader.c refuses lines of 199 bytes and more). */
#define LEARN_WRAP 100
#define LEARN_RULE_WRAP 150

/* Words after "# HEAD: ", separated by ", " and wrapped. */
struct learn_wrap {
	FILE *f;
	size_t col;
	bool first;
};

void learn_wrap_start(struct learn_wrap *w, FILE *f, const char *head);
void learn_wrap_word(struct learn_wrap *w, const char *word);
void learn_wrap_end(struct learn_wrap *w);

/* "call" or "calls". */
const char *learn_calls(uint64_t n);

/* "ACTION = WHAT", padded, then "; COMMENT". */
void learn_put_rule(FILE *f, const char *action, const char *what, const char *comment);

/* ---- analysis: what the learned profile will say (learn_analyse.c) ---- */

/* One syscall name (its numbers on every ABI seen, merged). */
struct learn_entry {
	const char *name;
	uint64_t count;
	int arg;
	struct learn_value *values;
	size_t n_values, values_cap;
	bool overflow;
	uint64_t values_or;
	const struct learn_guard *guard; /* its rules keep the default profile's refusal */
	bool covered; /* allowed by a group allowed whole */
	const char *implied; /* not seen but allowed, and why; NULL if seen */
};

struct learn_names {
	const char **v;
	size_t n, cap;
};

struct learn_analysis {
	struct learn_entry *e;
	size_t n;
	const struct sf_group **whole; /* groups allowed whole, in output order */
	size_t n_whole;
	uint32_t arches[SF_MAX_ARCHES]; /* other ABIs seen */
	size_t n_arches;
	size_t n_seen; /* names seen (implied ones not counted) */
	char *dangerous; /* "ptrace (@debug)\nmount (@mount)...", or NULL */
};

/* Analyse r against pol's groups into *an (zeroed first). Returns 0 or
 * -ENOMEM; free with learn_analysis_clear() either way. */
int learn_analyse(const struct learn_record *r, const struct sf_policy *pol, struct learn_analysis *an);
void learn_analysis_clear(struct learn_analysis *an);

/* The entry for a syscall name, or NULL. */
struct learn_entry *learn_entry_find(const struct learn_analysis *an, const char *name);

/* Add every syscall of g, nested groups expanded, that exists on the
 * native ABI, to ns. Returns 0 or -ENOMEM. */
int learn_group_expand(const struct sf_policy *pol, const struct sf_group *g, struct learn_names *ns, int depth);
