/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Profile entries + command line → one resolved policy: names checked,
 * groups expanded, rules merged in the documented order. Pure: no kernel calls,
 * no user database lookups (launch.c resolves user and group names). */
#pragma once

#include "diag.h"
#include "overrides.h"
#include "policy_model.h"
#include "profile.h"

#include <stdbool.h>

/* Options that change how much policy_build checks. */
struct sf_policy_opts {
	/* Expand and check every group, used or not (--check, --list-groups). */
	bool check_all_groups;
	/* The seccomp program comes precompiled (src/cache/cache.h): the profile
	 * has no [groups] or [seccomp] entries, and the command line's
	 * --allow/--deny/--kill/--default-action and [network] families,
	 * which are compiled into that program, are not turned into rules
	 * again. Everything else is built as usual. */
	bool filter_precompiled;
	/* The profile's seccomp rules are not used (--learn, --list-groups):
	 * a policy without a default action is not an error. */
	bool seccomp_replaced;
	/* The launcher runs as root (effective uid 0): a program it starts
	 * without a user = switch runs as root too, and gets the root
	 * defaults ([sandbox] restrict-suid-sgid). */
	bool as_root;
};

/* Build the policy from the profile's entries, then the overrides' rules,
 * default action and capability lines (ov may be NULL).
 * Nothing unsaid is granted: a policy without a default-action is an error
 * (unless po says the seccomp rules are replaced or precompiled), and one
 * without a keep or drop line drops every capability. Every problem found is added to d; returns 0 and *ret (free with
 * policy_free), or a negative errno. */
int policy_build(const struct sf_profile *p, const struct sf_overrides *ov, const struct sf_policy_opts *po,
    struct sf_policy **ret, struct sf_diag *d);

void policy_free(struct sf_policy *pol);

/* For _cleanup_(policy_freep) struct sf_policy *pol = NULL; */
static inline void policy_freep(struct sf_policy **pol)
{
	policy_free(*pol);
}

/* The rules for a syscall, or NULL. */
const struct sf_syscall_rules *policy_find_syscall(const struct sf_policy *pol, const char *name);

/* Text of --explain: every rule with the FILE:LINE it came from.
 * Returns a malloc'd string, or NULL on ENOMEM. */
char *policy_explain(const struct sf_policy *pol);

/* Text of --list-groups. Returns a malloc'd string, or NULL on ENOMEM. */
char *policy_list_groups(const struct sf_policy *pol);
