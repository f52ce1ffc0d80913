/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --learn's analysis: which syscalls a learning run saw, merged across
 * ABIs, which groups the learned profile allows whole, and which dangerous
 * ones it names (see learn.h). Pure; learn.c writes the text from it. */
#include "learn.h"
#include "learn_int.h"

#include "array.h"
#include "cleanup.h"
#include "membuf.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Groups whose members widen what a program can do (the brief of
 * docs/authoring.md): a learned profile names the ones it saw. */
static const char *const dangerous_groups[] = {
	"@privileged",
	"@mount",
	"@module",
	"@raw-io",
	"@reboot",
	"@swap",
	"@clock",
	"@cpu-emulation",
	"@debug",
	"@obsolete",
	"@keyring",
	NULL,
};

/* Allowed although no call was seen: whether they are needed depends on
 * timing, not on what the program does. */
static const struct {
	const char *name;
	const char *if_seen; /* only when this one was seen; NULL: always */
	const char *why;
} implied[] = {
	{ "restart_syscall", NULL, "the kernel resumes a sleep a signal interrupted with it" },
	{ "rt_sigreturn", "rt_sigaction", "ends every signal handler rt_sigaction installs" },
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct learn_entry *)a)->name, ((const struct learn_entry *)b)->name);
}

struct learn_entry *learn_entry_find(const struct learn_analysis *an, const char *name)
{
	struct learn_entry key = { .name = name };

	return an->n ? bsearch(&key, an->e, an->n, sizeof(*an->e), cmp_entry) : NULL;
}

void learn_analysis_clear(struct learn_analysis *an)
{
	for (size_t i = 0; i < an->n; i++)
		free(an->e[i].values);
	free(an->e);
	free(an->whole);
	free(an->dangerous);
	memset(an, 0, sizeof(*an));
}

static int merge_values(struct learn_entry *e, const struct learn_syscall *sc)
{
	e->overflow |= sc->values_overflow;
	e->values_or |= sc->values_or;
	for (size_t i = 0; i < sc->n_values; i++) {
		size_t k = 0;

		while (k < e->n_values && e->values[k].value != sc->values[i].value)
			k++;
		if (k < e->n_values) {
			e->values[k].count += sc->values[i].count;
			continue;
		}
		if (e->n_values >= LEARN_MAX_VALUES) {
			e->overflow = true;
			continue;
		}
		if (ARRAY_RESERVE(e->values, e->values_cap, e->n_values + 1) < 0)
			return -ENOMEM;
		e->values[e->n_values++] = sc->values[i];
	}
	return 0;
}

static const struct sf_group *group_by_name(const struct sf_policy *pol, const char *name)
{
	for (size_t i = 0; pol && i < pol->n_groups; i++)
		if (strcmp(pol->groups[i].name, name) == 0)
			return &pol->groups[i];
	return NULL;
}

static int names_add(struct learn_names *ns, const char *s)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return 0;
	if (ARRAY_RESERVE(ns->v, ns->cap, ns->n + 1) < 0)
		return -ENOMEM;
	ns->v[ns->n++] = s;
	return 0;
}

/* Every syscall of group g, nested groups expanded, that exists on the
 * native ABI. The policy checked the groups; depth is capped anyway. */
int learn_group_expand(const struct sf_policy *pol, const struct sf_group *g, struct learn_names *ns, int depth)
{
	if (depth > 32)
		return 0;
	for (size_t i = 0; i < g->n_words; i++) {
		const char *w = g->words[i];
		int r;

		if (w[0] == '@') {
			const struct sf_group *sub = group_by_name(pol, w);

			r = sub ? learn_group_expand(pol, sub, ns, depth + 1) : 0;
		} else if (seccomp_syscall_resolve_name_arch(seccomp_arch_native(), w) >= 0)
			r = names_add(ns, w);
		else
			r = 0;
		if (r < 0)
			return r;
	}
	return 0;
}

static bool group_has(const struct sf_policy *pol, const char *group, const char *name)
{
	const struct sf_group *g = group_by_name(pol, group);
	struct learn_names ns = { 0 };
	bool hit = false;

	if (!g || learn_group_expand(pol, g, &ns, 0) < 0) {
		free(ns.v);
		return false;
	}
	for (size_t i = 0; i < ns.n && !hit; i++)
		hit = strcmp(ns.v[i], name) == 0;
	free(ns.v);
	return hit;
}

struct candidate {
	const struct sf_group *g;
	struct learn_names members;
};

static int cmp_candidate(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->members.n != y->members.n)
		return x->members.n > y->members.n ? -1 : 1;
	return strcmp(x->g->name, y->g->name);
}

/* Groups allowed whole: every native member seen, none needing a
 * condition (a group allows its members unconditionally, which would
 * override the tighter rule). Larger groups first; a group is used only
 * when it covers a syscall no chosen group covers. */
static int choose_groups(const struct sf_policy *pol, struct learn_analysis *an)
{
	struct candidate *c = NULL;
	size_t n = 0, cap = 0;
	int r = 0;

	for (size_t i = 0; pol && i < pol->n_groups; i++) {
		struct learn_names ns = { 0 };
		bool all = true;

		r = learn_group_expand(pol, &pol->groups[i], &ns, 0);
		for (size_t k = 0; r == 0 && k < ns.n && all; k++) {
			const struct learn_entry *e = learn_entry_find(an, ns.v[k]);

			all = e && !e->implied && !e->guard;
		}
		if (r < 0 || !all || ns.n == 0) {
			free(ns.v);
			if (r < 0)
				goto out;
			continue;
		}
		if (ARRAY_RESERVE(c, cap, n + 1) < 0) {
			free(ns.v);
			r = -ENOMEM;
			goto out;
		}
		c[n++] = (struct candidate){ &pol->groups[i], ns };
	}
	if (n)
		qsort(c, n, sizeof(*c), cmp_candidate);
	an->whole = calloc(n + 1, sizeof(*an->whole));
	if (!an->whole) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		bool adds = false;

		for (size_t k = 0; k < c[i].members.n; k++)
			adds |= !learn_entry_find(an, c[i].members.v[k])->covered;
		if (!adds)
			continue;
		for (size_t k = 0; k < c[i].members.n; k++)
			learn_entry_find(an, c[i].members.v[k])->covered = true;
		an->whole[an->n_whole++] = c[i].g;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(c[i].members.v);
	free(c);
	return r;
}

/* "name (@a, @b)" for every syscall seen that a dangerous group holds,
 * one per line, in an->dangerous (NULL when none). */
static int find_dangerous(const struct sf_policy *pol, struct learn_analysis *an)
{
	_cleanup_membuf_ struct membuf m = { 0 };
	FILE *f;
	size_t n = 0;

	if (membuf_open(&m) < 0)
		return -ENOMEM;
	f = m.f;
	for (size_t i = 0; i < an->n; i++) {
		size_t k = 0;

		if (an->e[i].implied)
			continue;
		for (size_t g = 0; dangerous_groups[g]; g++) {
			if (!group_has(pol, dangerous_groups[g], an->e[i].name))
				continue;
			if (k++ == 0)
				fprintf(f, "%s%s (", n++ ? "\n" : "", an->e[i].name);
			else
				fputs(", ", f);
			fputs(dangerous_groups[g], f);
		}
		if (k)
			fputc(')', f);
	}
	if (n == 0)
		return 0;
	an->dangerous = membuf_take(&m, NULL);
	return an->dangerous ? 0 : -ENOMEM;
}

int learn_analyse(const struct learn_record *r, const struct sf_policy *pol, struct learn_analysis *an)
{
	const uint32_t native = seccomp_arch_native();
	int rc;

	*an = (struct learn_analysis){ 0 };
	an->e = calloc(r->n + ELEMENTSOF(implied) + 1, sizeof(*an->e));
	if (!an->e)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		const struct learn_syscall *sc = &r->sc[i];
		struct learn_entry *e = NULL;

		if (sc->arch != native) {
			bool dup = false;

			for (size_t k = 0; k < an->n_arches; k++)
				dup |= an->arches[k] == sc->arch;
			if (!dup && an->n_arches < SF_MAX_ARCHES - 1)
				an->arches[an->n_arches++] = sc->arch;
		}
		if (!sc->name)
			continue;
		/* Every entry so far was made below, with a name. */
		for (size_t k = 0; k < an->n && !e; k++)
			if (an->e[k].name && strcmp(an->e[k].name, sc->name) == 0)
				e = &an->e[k];
		if (!e) {
			e = &an->e[an->n++];
			*e = (struct learn_entry){ .name = sc->name, .arg = sc->arg };
		}
		e->count += sc->count;
		if (sc->arg >= 0 && merge_values(e, sc) < 0)
			return -ENOMEM;
	}
	an->n_seen = an->n;
	qsort(an->e, an->n, sizeof(*an->e), cmp_entry);
	for (size_t i = 0; i < ELEMENTSOF(implied); i++) {
		if (learn_entry_find(an, implied[i].name) ||
		    (implied[i].if_seen && !learn_entry_find(an, implied[i].if_seen)))
			continue;
		if (seccomp_syscall_resolve_name_arch(native, implied[i].name) < 0)
			continue;
		an->e[an->n++] = (struct learn_entry){ .name = implied[i].name, .arg = -1, .implied = implied[i].why };
		qsort(an->e, an->n, sizeof(*an->e), cmp_entry);
	}
	for (size_t i = 0; i < an->n; i++)
		an->e[i].guard = an->e[i].implied ? NULL : learn_guard_find(an->e[i].name);
	rc = choose_groups(pol, an);
	if (rc == 0)
		rc = find_dangerous(pol, an);
	return rc;
}
