/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "policy_groups.h"
#include "array.h"
#include "cleanup.h"
#include "names.h"
#include "policy_store.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GROUP_UNSEEN, GROUP_EXPANDING, GROUP_DONE, GROUP_BROKEN };

static struct sf_group *group_find(const struct sf_policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->n_groups; i++)
		if (strcmp(pol->groups[i].name, name) == 0)
			return &pol->groups[i];
	return NULL;
}

static bool valid_group_name(const char *s, size_t len)
{
	if (len < 2 || s[0] != '@')
		return false;
	for (size_t i = 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

/* The group named by key[0..len), added if new. NULL on ENOMEM. */
static struct sf_group *group_get(struct sf_policy *pol, const char *key, size_t len, struct sf_origin o)
{
	struct sf_group *g;

	/* A group's lines usually follow each other: try the last one first. */
	for (size_t i = pol->n_groups; i-- > 0;)
		if (strncmp(pol->groups[i].name, key, len) == 0 && pol->groups[i].name[len] == '\0')
			return &pol->groups[i];
	if (ARRAY_RESERVE(pol->groups, pol->cap_groups, pol->n_groups + 1) < 0)
		return NULL;
	g = &pol->groups[pol->n_groups];
	*g = (struct sf_group){ .name = strndup(key, len), .origin = o };
	if (!g->name)
		return NULL;
	pol->n_groups++;
	return g;
}

/* A continuation line of a description continues the sentence. */
static int group_describe(struct sf_group *g, const char *value)
{
	char *desc;

	if (g->description) {
		if (asprintf(&desc, "%s %s", g->description, value) < 0)
			return -ENOMEM;
		free(g->description);
	} else if (!(desc = strdup(value)))
		return -ENOMEM;
	g->description = desc;
	return 0;
}

int policy_group_entry(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	const char *dot = strchr(e->key, '.');
	size_t len = dot ? (size_t)(dot - e->key) : strlen(e->key);
	struct sf_origin o;
	struct sf_group *g;
	struct policy_words w = { 0 };
	int r;

	if (dot && strcmp(dot, ".description") != 0)
		return diag_at(d, profile_entry_at(e), -EINVAL,
		    "unknown key \"%s\" in [groups] (expected @NAME or @NAME.description)", e->key);
	if (!valid_group_name(e->key, len))
		return diag_at(d, profile_entry_at(e), -EINVAL,
		    "invalid group name \"%.*s\" (group names start with @ and use letters, digits, - and _)", (int)len,
		    e->key);
	o = (struct sf_origin){ policy_intern_file(pol, e->file), e->line };
	g = group_get(pol, e->key, len, o);
	if (!g)
		return -ENOMEM;
	if (dot)
		return group_describe(g, e->value);
	r = policy_words_split(pol, e->value, &w);
	if (r < 0)
		return r;
	if (ARRAY_RESERVE(g->words, g->cap_words, g->n_words + w.n) < 0 ||
	    ARRAY_RESERVE(g->word_origins, g->cap_word_origins, g->n_words + w.n) < 0)
		return -ENOMEM;
	/* The members stay in the policy's storage, where policy_words_split() put them. */
	for (size_t i = 0; i < w.n; i++) {
		g->words[g->n_words] = w.v[i];
		g->word_origins[g->n_words++] = o;
	}
	return 0;
}

int policy_unknown_syscall(struct sf_origin at, const char *name, struct sf_diag *d)
{
	_cleanup_free_ char *hint = syscall_name_suggest(name);

	if (hint)
		return diag_at(d, at, -EINVAL, "unknown syscall \"%s\" (did you mean \"%s\"?)", name, hint);
	return diag_at(d, at, -EINVAL, "unknown syscall \"%s\"", name);
}

static int unknown_group(const struct sf_policy *pol, struct sf_origin at, const char *name, struct sf_diag *d)
{
	_cleanup_free_ const char **names = calloc(pol->n_groups + 1, sizeof(*names));
	const char *hint;

	for (size_t i = 0; names && i < pol->n_groups; i++)
		names[i] = pol->groups[i].name;
	hint = names ? diag_closest(name, names) : NULL;
	if (hint)
		return diag_at(d, at, -EINVAL, "unknown group \"%s\" (did you mean \"%s\"?)", name, hint);
	if (pol->n_groups == 0)
		return diag_at(
		    d, at, -EINVAL, "unknown group \"%s\" (no group library groups.ini on the search path)", name);
	return diag_at(d, at, -EINVAL, "unknown group \"%s\"", name);
}

int policy_group_check(struct sf_policy *pol, struct sf_group *g, struct sf_diag *d)
{
	int *nrs;
	int r = 0;

	if (g->state == GROUP_DONE)
		return 0;
	if (g->state == GROUP_BROKEN)
		return -EINVAL;
	if (g->state == GROUP_EXPANDING)
		return diag_at(d, g->origin, -ELOOP, "group \"%s\" includes itself", g->name);
	nrs = policy_group_nrs(pol, g);
	if (!nrs)
		return -ENOMEM;
	g->state = GROUP_EXPANDING;
	for (size_t i = 0; i < g->n_words; i++) {
		const char *w = g->words[i];
		const struct sf_origin o = g->word_origins[i];
		int k;

		if (w[0] == '@') {
			struct sf_group *sub = group_find(pol, w);

			if (!sub)
				r = unknown_group(pol, o, w, d);
			else if ((k = policy_group_check(pol, sub, d)) < 0)
				r = k == -ENOMEM ? k : -EINVAL;
			else
				nrs[i] = (int)(sub - pol->groups);
		} else if ((nrs[i] = policy_syscall_nr(w)) == __NR_SCMP_ERROR)
			r = policy_unknown_syscall(o, w, d);
	}
	g->state = r < 0 ? GROUP_BROKEN : GROUP_DONE;
	return r;
}

/* name lives in the policy's storage; nr is its policy_syscall_nr(). */
static int add_uncond(struct sf_policy *pol, char *name, int nr, struct sf_action a, struct sf_origin o)
{
	struct sf_syscall_rules *sc = policy_syscall_get(pol, name, nr);

	if (!sc)
		return -ENOMEM;
	/* A later unconditional rule replaces an earlier one. */
	sc->has_uncond = true;
	sc->uncond = (struct sf_rule){ .action = a, .cond = NULL, .origin = o, .layer = pol->layer };
	return 0;
}

/* Every member of a group that policy_group_check() accepted. */
static int add_group(struct sf_policy *pol, struct sf_group *g, struct sf_action a, struct sf_origin o)
{
	const int *nrs = policy_group_nrs(pol, g);

	if (!nrs)
		return -ENOMEM;
	for (size_t i = 0; i < g->n_words; i++) {
		char *w = g->words[i];
		int r;

		if (w[0] == '@')
			r = add_group(pol, &pol->groups[nrs[i]], a, o);
		else
			r = add_uncond(pol, w, nrs[i], a, o);
		if (r < 0)
			return r;
	}
	return 0;
}

int policy_add_named(
    struct sf_policy *pol, char *name, struct sf_action a, struct sf_origin o, struct sf_origin at, struct sf_diag *d)
{
	struct sf_group *g;
	int r, nr;

	if (name[0] != '@') {
		nr = policy_syscall_nr(name);
		if (nr == __NR_SCMP_ERROR)
			return policy_unknown_syscall(at, name, d);
		return add_uncond(pol, name, nr, a, o);
	}
	g = group_find(pol, name);
	if (!g)
		return unknown_group(pol, at, name, d);
	r = policy_group_check(pol, g, d);
	if (r < 0)
		return r == -ENOMEM ? r : -EINVAL;
	return add_group(pol, g, a, o);
}
