/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "precompile.h"
#include "cache.h"
#include "cleanup.h"
#include "inputs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether two compiled programs are the same (both NULL: no filter). */
static bool filter_same(const struct sf_filter *a, const struct sf_filter *b)
{
	if (!a || !b)
		return a == b;
	return a->n == b->n && memcmp(a->insns, b->insns, a->n * sizeof(*a->insns)) == 0;
}

int precompile_one(const struct sf_lookup *l, const char *name, const struct sf_overrides *ov, const char *dir,
    char **ret_file, struct sf_diag *d)
{
	struct sf_inputs rec = { 0 };
	const struct sf_profile_opts po = {
		.check_owner = true,	/* only root precompiles */
		.load_group_library = true,
		.apply_local = true,
		.record = &rec,
	};
	const char *build = cache_build();
	_cleanup_(profile_freep) struct sf_profile *p = NULL;
	_cleanup_(policy_freep) struct sf_policy *pol = NULL, *pol_root = NULL;
	_cleanup_(launch_freep) struct sf_launch *launch = NULL, *launch_root = NULL;
	_cleanup_free_ char *key = NULL, *file = NULL, *buf = NULL;
	size_t len = 0, before = d->n;
	const struct sf_policy_opts root_opts = { .check_all_groups = true, .as_root = true };
	int r;

	if (ov && ov->n_sets)
		return diag_msg(
		    d, -EINVAL, "--set cannot be precompiled (a run with --set compiles its policy itself)");
	if (!build)
		return diag_msg(d, -ENOTSUP,
		    "this sysfence binary has no build ID, so its precompiled policies could not be told from another build's");
	r = profile_load(l, name, &po, &p, d);
	if (r == 0)
		r = policy_build(p, ov, &(struct sf_policy_opts){ .check_all_groups = true }, &pol, d);
	if (r == 0)
		r = launch_prepare(pol, NULL, NULL, &launch, d);
	/* A run as root may get more rules (the root defaults of [sandbox]):
	 * its filter too, stored beside the other when it differs. */
	if (r == 0)
		r = policy_build(p, ov, &root_opts, &pol_root, d);
	if (r == 0)
		r = launch_prepare(pol_root, NULL, NULL, &launch_root, d);
	if (r == 0 && d->n != before)
		r = diag_msg(d, -EINVAL, "profile \"%s\" is not precompiled: reading it gave warnings", name);
	if (r == 0 && rec.failed)
		r = -ENOMEM;
	if (r == 0) {
		key = cache_key(build, name, ov);
		file = key ? cache_file(dir, key) : NULL;
		r = file ? cache_encode(key, &rec, p, launch->filter,
			       filter_same(launch->filter, launch_root->filter) ? NULL : launch_root->filter,
			       pol->filter.n_syscalls, &buf, &len)
			 : -ENOMEM;
	}
	if (r == 0)
		r = cache_store(dir, file, buf, len, d);
	if (r == 0)
		*ret_file = TAKE_PTR(file);
	inputs_clear(&rec);
	return r;
}

void precompiled_run_clear(struct sf_precompiled_run *r)
{
	launch_free(r->launch);
	policy_free(r->policy);
	profile_free(r->profile);
	free(r->file);
	*r = (struct sf_precompiled_run){ 0 };
}

/* Set the reason a precompiled policy is not used; returns r (< 0). */
static int why(char **ret_why, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int why(char **ret_why, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(ret_why, fmt, ap) < 0)
		*ret_why = NULL;
	va_end(ap);
	return r < 0 ? r : -EINVAL;
}

int precompiled_prepare(const struct sf_lookup *l, const char *name, const struct sf_overrides *ov, char **argv,
    bool root, char *path, struct sf_precompiled_run *ret, char **ret_why)
{
	const char *build = cache_build(), *dir = cache_dir(), *reason = NULL, *changed = NULL;
	_cleanup_free_ char *key = NULL;
	struct sf_cache_entry *e = NULL;
	struct sf_precompiled_run run = { 0 };
	struct sf_diag scratch = { 0 };
	/* The filter is the entry's; the [sandbox] defaults for root still
	 * decide which of its programs applies. */
	const struct sf_policy_opts run_opts = { .filter_precompiled = true, .as_root = root };
	int r;

	*ret_why = NULL;
	/* The key holds no --set line (precompile_one() stores none), so an
	 * entry could only be for a policy without them. */
	if (ov && ov->n_sets)
		return why(ret_why, -EINVAL, "--set lines are compiled for each run");
	if (!dir)
		return why(ret_why, -ENOENT, "SYSFENCE_CACHE_DIR is empty");
	if (!build)
		return why(ret_why, -ENOTSUP, "this binary has no build ID");
	key = cache_key(build, name, ov);
	run.file = key ? cache_file(dir, key) : NULL;
	if (!run.file)
		return -ENOMEM;
	r = cache_load(run.file, &e, &reason);
	if (r < 0) {
		r = why(ret_why, r, "%s: %s", run.file, reason);
		free(run.file);
		return r;
	}
	if (strcmp(e->key, key) != 0)
		r = why(ret_why, -ESTALE, "%s was precompiled for another profile or options", run.file);
	else if ((r = inputs_replay_from(&e->inputs, l, root, e->fd, &changed)) < 0)
		r = why(ret_why, r, "\"%s\" is not what was precompiled", changed);
	else if ((r = policy_build(e->profile, ov, &run_opts, &run.policy, &scratch)) < 0)
		r = why(ret_why, r, "its settings do not apply here");
	else {
		run.policy->has_filter = e->has_filter;
		r = launch_prepare_compiled(run.policy, root && e->filter_root ? &e->filter_root : &e->filter, path,
		    argv, &run.launch, &scratch);
		if (r < 0)
			r = why(ret_why, r, "it does not prepare a launch here");
	}
	diag_clear(&scratch);
	if (r < 0) {
		cache_entry_free(e);
		precompiled_run_clear(&run);
		return r;
	}
	run.profile = TAKE_PTR(e->profile);
	run.n_syscalls = e->n_syscalls;
	cache_entry_free(e);
	*ret = run;
	return 0;
}
