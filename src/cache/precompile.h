/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Precompiled policies in use: storing one (--precompile) and starting a
 * run from one. The format and the trust rules are in cache.h; this is
 * the orchestration between profile, policy, launch and cache. */
#pragma once

#include "diag.h"
#include "launch.h"
#include "lookup.h"
#include "overrides.h"
#include "policy.h"
#include "profile.h"

#include <stdbool.h>
#include <stddef.h>

/* --precompile of one profile NAME (or PATH): read it, recording every
 * lookup and byte; build the policy and compile the filter exactly as a
 * run would (with the overrides ov); store the result in dir. A
 * profile whose reading or policy gives any message, even a warning, is
 * not stored (a run from the entry would not repeat it); overrides with
 * --set lines are refused (the key does not hold them).
 * Returns 0 and the entry's path in *ret_file (malloc'd), or a negative
 * errno with messages in d. */
int precompile_one(const struct sf_lookup *l, const char *name, const struct sf_overrides *ov, const char *dir,
    char **ret_file, struct sf_diag *d);

struct sf_precompiled_run {
	struct sf_profile *profile;	/* the entries applied at launch */
	struct sf_policy *policy;
	struct sf_launch *launch;
	size_t n_syscalls;		/* for -v */
	char *file;			/* the entry used */
};

/* Step 1 of a plain run from a precompiled policy: 0 when ov has no --set
 * line (those are compiled for each run), the entry for (name, ov)
 * exists, is trusted, every recorded input is unchanged, and the launch of
 * argv could be prepared from it (path is then taken). Otherwise a
 * negative errno and a malloc'd reason in *ret_why (may be NULL on ENOMEM);
 * nothing is reported, since the caller then does step 1 in full, which
 * reports any real problem itself. */
int precompiled_prepare(const struct sf_lookup *l, const char *name, const struct sf_overrides *ov, char **argv,
    bool root, char *path, struct sf_precompiled_run *ret, char **ret_why);

void precompiled_run_clear(struct sf_precompiled_run *r);
