/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seccomp rule model shared by the policy resolver (which fills it) and
 * the filter compiler (which turns it into BPF). Pure data, no kernel calls. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ordered by restrictiveness, least first, matching the kernel's own
 * precedence between stacked filters (sysfence.profile(5): kill > kill-thread > trap >
 * errno > log > allow). */
enum sf_action_kind {
	SF_ACT_ALLOW,
	SF_ACT_LOG,
	SF_ACT_ERRNO,
	SF_ACT_TRAP,
	SF_ACT_KILL_THREAD,
	SF_ACT_KILL_PROCESS,
};

struct sf_action {
	enum sf_action_kind kind;
	int errnum;		/* SF_ACT_ERRNO only: positive errno */
};

enum sf_cmp_op {
	SF_CMP_EQ,
	SF_CMP_NE,
	SF_CMP_LT,
	SF_CMP_LE,
	SF_CMP_GT,
	SF_CMP_GE,
	SF_CMP_MASKED_EQ,	/* (arg & mask) == value */
	SF_CMP_ANY_BITS,	/* (arg & mask) != 0 */
};

/* One comparison "argN OP value" on the 64-bit argument as written;
 * comparisons are unsigned. The compiler applies the 32/64-bit widening. */
struct sf_cmp {
	unsigned arg;		/* 0..5 */
	enum sf_cmp_op op;
	uint64_t value;
	uint64_t mask;		/* MASKED_EQ and ANY_BITS only */
};

struct sf_term {		/* comparisons joined by && */
	size_t n;
	struct sf_cmp *cmps;
};

struct sf_cond {		/* terms joined by || */
	size_t n;
	struct sf_term *terms;
};

/* A rule's struct sf_origin (diag.h) says where it came from, for --explain
 * and error messages; its file is owned by the policy's string pool and
 * outlives the rule. */

/* Layers, in the order they apply: each profile file is one (included
 * files first, then the including file, then .local files), the command line
 * comes after them all, and rules sysfence derives itself ([network]
 * families, ABI multiplexers) come last, where no written rule can drop them. */
#define SF_LAYER_DERIVED UINT32_MAX

struct sf_rule {
	struct sf_action action;
	struct sf_cond *cond;	/* NULL: unconditional */
	struct sf_origin origin;
	uint32_t layer;		/* see SF_LAYER_DERIVED */
};

/* Every rule written for one syscall name, in the order they apply. */
struct sf_syscall_rules {
	char *name;
	/* Conditional rules in the order written: the n_cond in effect, then
	 * the n_dropped that rules_settle() found dropped by a later layer's
	 * unconditional rule (kept for --explain and the tests' reference
	 * model; nothing compiles them). */
	struct sf_rule *cond_rules;
	size_t n_cond;
	size_t n_dropped;
	size_t cap_cond; /* private: room in cond_rules (rules_add_cond()) */
	bool has_uncond;
	struct sf_rule uncond;		/* the last unconditional rule wins */
	/* The name's number on the native architecture, as libseccomp's
	 * seccomp_syscall_resolve_name() gives it (negative: a pseudo number,
	 * not a syscall of the native ABI), valid when has_native_nr is set.
	 * The policy resolves each name once while checking it and fills
	 * these in, so the compiler need not resolve it again; a spec built
	 * by hand may leave them unset. */
	bool has_native_nr;
	int native_nr;
};

#define SF_MAX_ARCHES 8

/* Everything the filter compiler needs. arches[0] is the native arch;
 * values are libseccomp SCMP_ARCH_* tokens (which equal AUDIT_ARCH_*). */
struct sf_filter_spec {
	struct sf_action default_action;
	struct sf_origin default_origin;
	uint32_t arches[SF_MAX_ARCHES];
	size_t n_arches;
	struct sf_syscall_rules *syscalls;
	size_t n_syscalls;
};

/* Restrictiveness order of the kinds: <0 if a is less restrictive than b,
 * 0 for the same kind (two errno actions compare equal whatever their
 * numbers: among matching conditional rules of one kind, the one written
 * last wins, as a later unconditional rule replaces an earlier one). */
int action_cmp(struct sf_action a, struct sf_action b);

/* The kernel return value (SECCOMP_RET_*) for an action. */
uint32_t action_to_ret(struct sf_action a);

/* Parse "allow", "log", "trap", "kill", "kill-thread", "deny" or an errno
 * name ("EPERM"). Returns 0 or -EINVAL. */
int action_parse(const char *s, struct sf_action *ret);

/* Name of an action as a profile would write it ("allow", "EPERM", ...).
 * Returns a static string. */
const char *action_name(struct sf_action a);

/* Whether the layering rule drops conditional rule r of sc: the syscall's
 * unconditional rule comes from a later layer and is more restrictive than r
 * (r was an exception to a fallback that no longer exists). A more
 * restrictive conditional rule survives: that is how a refusal outlives a
 * later allow. */
bool rule_dropped(const struct sf_syscall_rules *sc, const struct sf_rule *r);

/* Apply the layering rule to sc: the conditional rules in effect first, in
 * their written order, then the dropped ones (n_dropped). Idempotent. */
void rules_settle(struct sf_syscall_rules *sc);

/* Add conditional rule r to sc, in effect, after the rules in effect. On
 * success sc owns r.cond; returns 0 or -ENOMEM (r.cond is not freed). */
int rules_add_cond(struct sf_syscall_rules *sc, struct sf_rule r);

/* A condition of n_terms terms joined by ||, each of per_term comparisons
 * from cmps (term by term) joined by &&. NULL on ENOMEM. */
struct sf_cond *cond_from_cmps(const struct sf_cmp *cmps, size_t n_terms, size_t per_term);

void cond_free(struct sf_cond *c);
