/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "policy.h"
#include "cleanup.h"
#include "cond.h"
#include "names.h"
#include "policy_groups.h"
#include "policy_int.h"
#include "policy_store.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a rule came from. Command-line rules are reported under the
 * option's name ("--deny") with line 0, and have no file as origin. */
static struct sf_origin origin_of(struct sf_policy *pol, const char *file, unsigned line)
{
	return (struct sf_origin){ line ? policy_intern_file(pol, file) : NULL, line };
}

/* ---- seccomp rules ---------------------------------------------------- */

/* "NAME if COND" of a rule line whose words are w: one syscall, the
 * condition after the first " if ". */
static int cond_rule(struct sf_policy *pol, struct sf_action a, struct sf_origin o, struct sf_origin at,
    const char *value, char *name, struct sf_diag *d)
{
	struct sf_syscall_rules *sc;
	struct sf_cond *cond = NULL;
	const char *c;
	int nr, r;

	if (name[0] == '@')
		return diag_at(d, at, -EINVAL, "a conditional rule names one syscall, not a group (\"%s\")", name);
	nr = policy_syscall_nr(name);
	if (nr == __NR_SCMP_ERROR)
		return policy_unknown_syscall(at, name, d);
	c = strstr(value, " if");
	while (c && !(isspace((unsigned char)c[3]) || c[3] == '\0'))
		c = strstr(c + 1, " if");
	if (!c)
		return diag_at(d, at, -EINVAL, "expected \"SYSCALL if CONDITION\"");
	r = cond_parse(c + 3, at.file, at.line, &cond, d);
	if (r < 0)
		return r;
	sc = policy_syscall_get(pol, name, nr);
	if (!sc ||
	    rules_add_cond(sc, (struct sf_rule){ .action = a, .cond = cond, .origin = o, .layer = pol->layer }) < 0) {
		cond_free(cond);
		return -ENOMEM;
	}
	return 0;
}

/* One rule line: "NAME NAME @group ..." or "NAME if COND". Problems are
 * reported at file:line (for an option: its name, line 0). */
static int rule_line(struct sf_policy *pol, struct sf_action a, const char *file, unsigned line, const char *value,
    struct sf_diag *d)
{
	const struct sf_origin o = origin_of(pol, file, line), at = { file, line };
	struct policy_words w = { 0 };
	int r = 0;

	pol->has_filter = true;
	r = policy_words_split(pol, value, &w);
	if (r < 0)
		return r;
	if (w.n == 0)
		return diag_at(d, at, -EINVAL, "empty list: name at least one syscall or @group");
	for (size_t i = 1; i < w.n; i++)
		if (strcmp(w.v[i], "if") == 0) {
			if (i != 1)
				return diag_at(d, at, -EINVAL,
				    "a conditional rule names exactly one syscall (write one line per syscall)");
			return cond_rule(pol, a, o, at, value, w.v[0], d);
		}
	for (size_t i = 0; i < w.n; i++) {
		int k = policy_add_named(pol, w.v[i], a, o, at, d);

		if (k < 0 && r == 0)
			r = k;
	}
	return r;
}

static int unknown_action(const char *file, unsigned line, const char *value, struct sf_diag *d)
{
	return diag_at(d, (struct sf_origin){ file, line }, -EINVAL,
	    "unknown action \"%s\" (expected allow, log, trap, kill, kill-thread, deny or an errno name)", value);
}

static int set_default_action(struct sf_policy *pol, const char *file, unsigned line, const char *value,
    struct sf_diag *d)
{
	struct sf_action a;

	if (action_parse(value, &a) < 0)
		return unknown_action(file, line, value, d);
	pol->has_filter = true;
	pol->filter.default_action = a;
	pol->filter.default_origin = (struct sf_origin){ policy_intern_file(pol, file), line };
	return 0;
}

/* ---- section handlers --------------------------------------------------- */

static int seccomp_default_action(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return set_default_action(pol, e->file, e->line, e->value, d);
}

static int seccomp_architectures(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	struct policy_words w = { 0 };
	int r = policy_words_split(pol, e->value, &w);

	if (r < 0)
		return r;
	pol->has_filter = true;
	for (size_t i = 0; i < w.n; i++) {
		uint32_t a;
		bool dup = false;

		if (arch_from_name(w.v[i], &a) < 0) {
			r = diag_at(d, profile_entry_at(e), -EINVAL, "unknown architecture \"%s\"", w.v[i]);
			continue;
		}
		for (size_t k = 0; k < pol->filter.n_arches; k++)
			dup |= pol->filter.arches[k] == a;
		if (dup)
			continue;
		if (pol->filter.n_arches >= SF_MAX_ARCHES) {
			r = diag_at(
			    d, profile_entry_at(e), -E2BIG, "too many architectures (at most %d)", SF_MAX_ARCHES);
			break;
		}
		pol->filter.arches[pol->filter.n_arches++] = a;
	}
	return r;
}

/* keep = LIST: only these survive; drop = LIST|all: these go. */
static int caps_line(struct sf_policy *pol, bool keep, const char *file, unsigned line, const char *value,
    struct sf_diag *d)
{
	const struct sf_origin at = { file, line };
	struct policy_words w = { 0 };
	uint64_t set = 0;
	int r = policy_words_split(pol, value, &w);

	if (r < 0)
		return r;
	if (w.n == 0)
		r = diag_at(d, at, -EINVAL, "empty list: name capabilities, \"all\" or \"none\"");
	for (size_t i = 0; i < w.n; i++) {
		int c;

		if (strcasecmp(w.v[i], "all") == 0) {
			set |= cap_all_mask();
			continue;
		}
		if (strcasecmp(w.v[i], "none") == 0)
			continue;
		c = cap_from_name(w.v[i]);
		if (c < 0 || c > cap_last()) {
			_cleanup_free_ char *hint = cap_name_suggest(w.v[i]);

			if (hint)
				r = diag_at(
				    d, at, -EINVAL, "unknown capability \"%s\" (did you mean \"%s\"?)", w.v[i], hint);
			else
				r = diag_at(d, at, -EINVAL, "unknown capability \"%s\"", w.v[i]);
			continue;
		}
		set |= UINT64_C(1) << c;
	}
	if (r < 0)
		return r;
	if (!pol->caps_changed)
		pol->caps_keep = cap_all_mask();
	pol->caps_changed = true;
	pol->caps_origin = origin_of(pol, file, line);
	if (keep)
		pol->caps_keep = set;
	else
		pol->caps_keep &= ~set;
	return 0;
}

static int caps_keep(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return caps_line(pol, true, e->file, e->line, e->value, d);
}

static int caps_drop(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return caps_line(pol, false, e->file, e->line, e->value, d);
}

static int set_name(struct sf_policy *pol, char **dst, struct sf_origin *o, const struct sf_entry *e,
    struct sf_diag *d)
{
	if (!*e->value || strpbrk(e->value, " \t:"))
		return diag_at(
		    d, profile_entry_at(e), -EINVAL, "expected one user or group name, found \"%s\"", e->value);
	free(*dst);
	*dst = strdup(e->value);
	if (!*dst)
		return -ENOMEM;
	*o = (struct sf_origin){ policy_intern_file(pol, e->file), e->line };
	return 0;
}

static int caps_user(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return set_name(pol, &pol->user, &pol->user_origin, e, d);
}

static int caps_group(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return set_name(pol, &pol->group, &pol->group_origin, e, d);
}

static int profile_description(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return 0;	/* profile.c keeps the main file's description */
}

static const struct key_handler profile_keys[] = {
	{ "description", profile_description },
	{ NULL, NULL },
};
static const struct key_handler seccomp_keys[] = {
	{ "default-action", seccomp_default_action },
	{ "architectures", seccomp_architectures },
	{ NULL, NULL },
};
static const struct key_handler capabilities_keys[] = {
	{ "keep", caps_keep },
	{ "drop", caps_drop },
	{ "user", caps_user },
	{ "group", caps_group },
	{ NULL, NULL },
};

static const char *const seccomp_action_keys[] = { "allow", "deny", "kill", "kill-thread", "log", "trap", NULL };

struct section_def {
	const char *name;
	const struct key_handler *keys;	/* ends with { NULL, NULL } */
};

static const struct section_def sections[] = {
	{ "profile", profile_keys },
	{ "seccomp", seccomp_keys },
	{ "capabilities", capabilities_keys },
	{ "process", policy_process_keys },
	{ "limits", policy_limits_keys },
	{ "filesystem", policy_filesystem_keys },
	{ "network", policy_network_keys },
	{ "sandbox", policy_sandbox_keys },
};

static int unknown_key(const struct section_def *sd, const struct sf_entry *e, struct sf_diag *d)
{
	const char *names[64];
	size_t n = 0;
	const char *hint;

	for (size_t i = 0; sd->keys[i].key && n < 60; i++)
		names[n++] = sd->keys[i].key;
	if (strcmp(sd->name, "seccomp") == 0)
		for (size_t i = 0; seccomp_action_keys[i] && n < 60; i++)
			names[n++] = seccomp_action_keys[i];
	names[n] = NULL;
	hint = diag_closest(e->key, names);
	if (!hint && strcmp(sd->name, "seccomp") == 0 && e->key[0] == 'E') {
		/* Probably a misspelt errno name: compare with the real ones. */
		const char *errs[200];
		size_t k = 0;

		for (int i = 1; i < 200 && k < 199; i++) {
			const char *s = strerrorname_np(i);

			if (s)
				errs[k++] = s;
		}
		errs[k] = NULL;
		hint = diag_closest(e->key, errs);
		if (hint)
			return diag_at(d, profile_entry_at(e), -EINVAL,
			    "unknown key \"%s\" in [seccomp] (did you mean \"%s\"?)", e->key, hint);
	}
	if (hint)
		return diag_at(d, profile_entry_at(e), -EINVAL, "unknown key \"%s\" in [%s] (did you mean \"%s\"?)",
		    e->key, sd->name, hint);
	return diag_at(d, profile_entry_at(e), -EINVAL, "unknown key \"%s\" in [%s]", e->key, sd->name);
}

int policy_entry_apply(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	const struct section_def *sd = NULL;

	if (strcmp(e->section, "groups") == 0)
		return 0;	/* collected in the first pass */
	for (size_t i = 0; i < ELEMENTSOF(sections) && !sd; i++)
		if (strcmp(sections[i].name, e->section) == 0)
			sd = &sections[i];
	if (!sd)
		return diag_at(d, profile_entry_at(e), -EINVAL, "unknown section [%s]", e->section);
	for (size_t i = 0; sd->keys[i].key; i++)
		if (strcmp(sd->keys[i].key, e->key) == 0)
			return sd->keys[i].fn(pol, e, d);
	if (strcmp(sd->name, "seccomp") == 0) {
		struct sf_action a;

		/* Every other key of [seccomp] is an action: allow, deny, kill, ..., EPERM. */
		if (action_parse(e->key, &a) == 0)
			return rule_line(pol, a, e->file, e->line, e->value, d);
	}
	return unknown_key(sd, e, d);
}

/* ---- build -------------------------------------------------------------- */

/* The overrides, one more layer after every file. Problems name where the
 * override came from: "sysfence: --deny: ...". */
static int apply_options(
    struct sf_policy *pol, const struct sf_overrides *ov, bool filter_precompiled, struct sf_diag *d)
{
	int r = 0;

	for (size_t i = 0; i < ov->n_rules && !filter_precompiled; i++) {
		const struct sf_override_rule *rule = &ov->rules[i];
		struct sf_action a;
		int k;

		if (action_parse(rule->action, &a) < 0)
			return diag_msg(d, -EINVAL, "internal: bad option action");
		k = rule_line(pol, a, rule->label, 0, rule->list, d);
		if (k < 0 && r == 0)
			r = k;
	}
	if (ov->default_action && !filter_precompiled) {
		struct sf_action a;

		if (action_parse(ov->default_action, &a) < 0)
			r = diag_msg(d, -EINVAL,
			    "unknown action \"%s\" in %s (expected allow, log, trap, kill, kill-thread, deny or an errno name)",
			    ov->default_action, ov->default_action_label);
		else {
			pol->has_filter = true;
			pol->filter.default_action = a;
			pol->filter.default_origin = (struct sf_origin){ NULL, 0 };
		}
	}
	for (size_t i = 0; i < ov->n_caps; i++) {
		int k = caps_line(pol, ov->caps[i].keep, ov->caps[i].label, 0, ov->caps[i].list, d);

		if (k < 0 && r == 0)
			r = k;
	}
	return r;
}

/* A resolved policy without a default action is an error: guessing allow
 * would open everything a denylist forgot, guessing kill would break an
 * allowlist written without one. The message points at the main profile,
 * where the user writes: its first [seccomp] line, else its first line.
 * A profile parsed from memory has no path: its entries' file stands in. */
static int no_default_action(const struct sf_profile *p, struct sf_diag *d)
{
	static const char hint[] = "a profile that wants no syscall filter writes default-action = allow";
	const char *main = p ? p->path : NULL;
	unsigned line = 1;

	if (!main && p && p->n_entries)
		main = p->entries[p->n_entries - 1].file;
	if (!main)
		return diag_msg(d, -EINVAL, "the policy has no default-action (add --default-action=ACTION; %s)", hint);
	for (size_t i = 0; i < p->n_entries; i++)
		if (strcmp(p->entries[i].section, "seccomp") == 0 && strcmp(p->entries[i].file, main) == 0) {
			line = p->entries[i].line;
			break;
		}
	return diag_at(d, (struct sf_origin){ main, line }, -EINVAL,
	    "the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; %s)", hint);
}

/* The launcher and the program run on the native ABI, so it is always in
 * the list, first (pushing out the last when the list is full). */
static void native_arch_first(struct sf_filter_spec *f)
{
	uint32_t native = 0;
	size_t k = 0;

	arch_from_name("native", &native);
	while (k < f->n_arches && f->arches[k] != native)
		k++;
	if (k == f->n_arches) {
		if (f->n_arches == SF_MAX_ARCHES)
			f->n_arches--;
		memmove(&f->arches[1], &f->arches[0], f->n_arches * sizeof(f->arches[0]));
		f->n_arches++;
	} else
		memmove(&f->arches[1], &f->arches[0], k * sizeof(f->arches[0]));
	f->arches[0] = native;
}

/* The refusals sysfence derives from [network] and [sandbox], after the
 * command line, where no written layer can drop them. Returns 0 or
 * -ENOMEM. */
static int derived_rules(struct sf_policy *pol)
{
	int r = policy_network_family_rules(pol);

	if (r == 0)
		r = policy_network_tcp_rules(pol);
	if (r == 0)
		r = policy_sandbox_rules(pol);
	return r;
}

int policy_build(const struct sf_profile *p, const struct sf_overrides *ov, const struct sf_policy_opts *po,
    struct sf_policy **ret, struct sf_diag *d)
{
	struct sf_policy *pol = calloc(1, sizeof(*pol));
	bool have_default = false;
	int r = 0, k;

	if (!pol)
		return -ENOMEM;
	pol->filter.default_action = (struct sf_action){ SF_ACT_KILL_PROCESS, 0 };
	if (p && p->description)
		pol->description = strdup(p->description);

	/* Groups first, from every file: a profile may use a group that a
	 * later file (or its own later lines) defines. */
	for (size_t i = 0; p && i < p->n_entries; i++)
		if (strcmp(p->entries[i].section, "groups") == 0) {
			k = policy_group_entry(pol, &p->entries[i], d);
			if (k < 0 && r == 0)
				r = k;
		}
	/* --set=groups.@NAME=... is a group like a file's. */
	k = policy_set_groups(pol, ov, d);
	if (k < 0 && r == 0)
		r = k;
	if (po && po->check_all_groups)
		for (size_t i = 0; i < pol->n_groups; i++)
			if (policy_group_check(pol, &pol->groups[i], d) < 0 && r == 0)
				r = -EINVAL;

	for (size_t i = 0; p && i < p->n_entries; i++) {
		const struct sf_entry *e = &p->entries[i];

		/* Each file is one layer; profile_load() orders the entries
		 * file by file, in the order the layers apply. */
		if (i == 0 || strcmp(e->file, p->entries[i - 1].file) != 0)
			pol->layer++;
		if (strcmp(e->section, "seccomp") == 0 && strcmp(e->key, "default-action") == 0)
			have_default = true;
		k = policy_entry_apply(pol, e, d);
		if (k < 0 && r == 0)
			r = k;
	}
	if (ov) {
		pol->layer++; /* the overrides, after every file */
		k = apply_options(pol, ov, po && po->filter_precompiled, d);
		if (k < 0 && r == 0)
			r = k;
		if (ov->default_action && !(po && po->filter_precompiled))
			have_default = true;
		/* --set, the last layer: after every other option, so that it
		 * means what a last file saying the same line would. */
		pol->layer++;
		k = policy_apply_sets(pol, ov, po && po->filter_precompiled, &have_default, d);
		if (k < 0 && r == 0)
			r = k;
	}

	if (r == 0 && !have_default && !(po && (po->filter_precompiled || po->seccomp_replaced)))
		r = no_default_action(p, d);
	/* Nothing unsaid is granted: without a keep or drop line in any layer
	 * (or --caps-*), every capability goes. */
	if (!pol->caps_changed) {
		pol->caps_changed = true;
		pol->caps_unsaid = true;
		pol->caps_keep = 0;
	}

	for (size_t i = 0; i < pol->filter.n_syscalls; i++)
		rules_settle(&pol->filter.syscalls[i]);
	sandbox_resolve(&pol->sandbox, po && po->as_root, pol->user != NULL);
	if (r == 0 && !(po && po->filter_precompiled))
		r = derived_rules(pol);

	native_arch_first(&pol->filter);
	/* Last: the multiplexers follow every other rule, and the ABIs. */
	if (r == 0 && pol->has_filter && !(po && po->filter_precompiled))
		r = policy_multiplexer_rules(pol);

	if (r < 0) {
		policy_free(pol);
		return r;
	}
	*ret = pol;
	return 0;
}

const struct sf_syscall_rules *policy_find_syscall(const struct sf_policy *pol, const char *name)
{
	return policy_syscall_lookup(pol, name);
}

void policy_free(struct sf_policy *pol)
{
	if (!pol)
		return;
	for (size_t i = 0; i < pol->filter.n_syscalls; i++) {
		struct sf_syscall_rules *sc = &pol->filter.syscalls[i];

		if (!sc->cond_rules)
			continue;	/* most syscalls: nothing to free */
		for (size_t k = 0; k < sc->n_cond + sc->n_dropped; k++)
			cond_free(sc->cond_rules[k].cond);
		free(sc->cond_rules);
	}
	free(pol->filter.syscalls);
	for (size_t i = 0; i < pol->n_groups; i++) {
		struct sf_group *g = &pol->groups[i];

		free(g->words);
		free(g->word_origins);
		free(g->name);
		free(g->description);
	}
	free(pol->groups);
	policy_store_free(pol);
	free(pol->user);
	free(pol->group);
	free(pol->description);
	process_settings_clear(&pol->process);
	fs_settings_clear(&pol->fs);
	sandbox_settings_clear(&pol->sandbox);
	network_settings_clear(&pol->network);
	free(pol);
}
