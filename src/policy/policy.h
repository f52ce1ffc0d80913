/* Profile entries + command line → one resolved policy: names checked,
 * groups expanded, rules merged in the documented order. Pure: no kernel calls,
 * no user database lookups (launch.c resolves user and group names). */
#pragma once

#include "diag.h"
#include "landlock.h"
#include "rlimits.h"
#include "netfamily.h"
#include "overrides.h"
#include "process.h"
#include "profile.h"
#include "rules.h"

#include <stdbool.h>
#include <stdint.h>

enum sf_nnp {
	SF_NNP_DEFAULT,		/* not written: set it (secure default) */
	SF_NNP_YES,
	SF_NNP_NO,
};

struct sf_group {
	char *name;		/* "@basic-io" */
	char *description;	/* NULL if none */
	char **words;		/* members as written */
	struct sf_origin *word_origins;
	size_t n_words;
	struct sf_origin origin;	/* first definition */
	int state;		/* private: expansion state */
};

struct sf_policy {
	bool has_filter;	/* some [seccomp] entry or seccomp option exists */
	struct sf_filter_spec filter;

	bool caps_changed;	/* any keep/drop line or option; always, after policy_build() */
	bool caps_unsaid;	/* no keep/drop line nor option: every capability dropped */
	uint64_t caps_keep;	/* bit N set: capability N survives */
	struct sf_origin caps_origin;

	char *user;
	struct sf_origin user_origin;
	char *group;
	struct sf_origin group_origin;

	enum sf_nnp nnp;
	struct sf_origin nnp_origin;

	/* [process] (other than no-new-privs), [limits], [filesystem],
	 * [network]: as written; launch_prepare() expands and checks them. */
	struct sf_process_settings process;
	struct sf_limits_settings limits;
	struct sf_fs_settings fs;
	struct sf_network_settings network;

	char *description;
	struct sf_group *groups;
	size_t n_groups;

	/* private */
	uint32_t layer;		/* of the entry being applied (rules.h) */
	char **pool;
	size_t n_pool;
	void *index;
};

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
