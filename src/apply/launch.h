/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ordered launch (sysfence(1) "Order of work"): everything that can fail on
 * input is computed by launch_prepare() before the first irreversible call;
 * launch_exec() then applies the steps and execs in place. */
#pragma once

#include "caps.h"
#include "diag.h"
#include "filter.h"
#include "landlock.h"
#include "policy.h"
#include "process.h"
#include "rlimits.h"
#include "sandbox_mount.h"
#include "sandbox_plan.h"

#include <stdbool.h>

struct sf_launch {
	char *path;		/* resolved PROGRAM, or NULL (--check without one) */
	char **argv;		/* PROGRAM and arguments, not owned */
	bool set_nnp;
	struct sf_filter *filter;	/* NULL: no [seccomp] */
	struct sf_caps_plan caps;
	struct sf_limits_settings limits;	/* step 2, checked in step 1 */
	struct sf_process_plan process;		/* step 2 */
	struct sf_sandbox_plan sandbox; /* step 3 */
	struct sf_sandbox_ids sandbox_ids;
	struct sf_landlock_plan landlock;	/* step 4 */
	/* Supervised runs (--learn, --report; src/tools/supervise.c) replace step
	 * 6: load_filter loads the filter after announcing the notification
	 * descriptor's number to the supervisor over handover_fd (see
	 * src/tools/handover.h), which close-fds spares. NULL (as launch_prepare
	 * leaves it): filter_load(). */
	int (*load_filter)(const struct sf_filter *f, void *ctx);
	void *load_filter_ctx;
	int handover_fd;
	/* A plain run prints the warnings of steps 2-6 itself, just before
	 * the filter (nobody else is left to); quiet: -q, not at all. */
	bool quiet;
};

/* Resolve PROGRAM as execvp(3) would: a name with a '/' is used as is, else
 * the first executable regular file on PATH (default "/bin:/usr/bin").
 * Returns 0 and a malloc'd *ret, -ENOENT (status 127) or -EACCES (126),
 * with a message in d. */
int launch_resolve_program(const char *name, const char *path_env, char **ret, struct sf_diag *d);

/* Step 1 after the profile: user and group names, the filter, and the
 * checks that need the process's state (no_new_privs rule, execve allowed).
 * path is NULL for --check and --explain: nothing will run, so privilege
 * checks are skipped and the execve check uses placeholder arguments.
 * Returns 0 and *ret (free with launch_free), or a negative errno. */
int launch_prepare(const struct sf_policy *pol, char *path, char **argv, struct sf_launch **ret,
    struct sf_diag *d);

/* The same with the seccomp program already compiled (a precompiled
 * policy, src/cache/cache.h): *filter is used instead of compiling pol's rules,
 * and taken (set to NULL) on success. pol->has_filter must say whether
 * there is one. */
int launch_prepare_compiled(const struct sf_policy *pol, struct sf_filter **filter, char *path, char **argv,
    struct sf_launch **ret, struct sf_diag *d);

/* Steps 2-7. Returns only on failure, with a negative errno, a message in
 * d, and the exit status in *ret_status: 127/126 when execve itself failed,
 * 125 for any earlier step. */
int launch_exec(const struct sf_launch *l, int *ret_status, struct sf_diag *d);

void launch_free(struct sf_launch *l);

/* For _cleanup_(launch_freep) struct sf_launch *l = NULL; */
static inline void launch_freep(struct sf_launch **l)
{
	launch_free(*l);
}

/* Lines for -v about steps 2, 3 and 4 (limits, process settings, Landlock),
 * without the "sysfence: " prefix. Returns a malloc'd string or NULL. */
char *launch_describe(const struct sf_launch *l);
