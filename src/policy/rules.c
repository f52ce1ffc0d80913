/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rules.h"
#include "array.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest errno a seccomp filter can return: SECCOMP_RET_DATA. The
 * kernel itself caps errno values at MAX_ERRNO (4095). */
#define SF_ERRNO_MAX 4095

int action_cmp(struct sf_action a, struct sf_action b)
{
	if (a.kind == b.kind)
		return 0;
	return a.kind < b.kind ? -1 : 1;
}

uint32_t action_to_ret(struct sf_action a)
{
	switch (a.kind) {
	case SF_ACT_ALLOW:
		return SECCOMP_RET_ALLOW;
	case SF_ACT_LOG:
		return SECCOMP_RET_LOG;
	case SF_ACT_ERRNO:
		return SECCOMP_RET_ERRNO | ((uint32_t)a.errnum & SECCOMP_RET_DATA);
	case SF_ACT_TRAP:
		return SECCOMP_RET_TRAP;
	case SF_ACT_KILL_THREAD:
		return SECCOMP_RET_KILL_THREAD;
	case SF_ACT_KILL_PROCESS:
		return SECCOMP_RET_KILL_PROCESS;
	}
	/* Not a valid kind: fail closed. */
	return SECCOMP_RET_KILL_PROCESS;
}

static const struct {
	const char *name;
	struct sf_action action;
} action_words[] = {
	{ "allow", { SF_ACT_ALLOW, 0 } },
	{ "log", { SF_ACT_LOG, 0 } },
	{ "trap", { SF_ACT_TRAP, 0 } },
	{ "kill", { SF_ACT_KILL_PROCESS, 0 } },
	{ "kill-thread", { SF_ACT_KILL_THREAD, 0 } },
	{ "deny", { SF_ACT_ERRNO, EPERM } },
};

int action_parse(const char *s, struct sf_action *ret)
{
	if (!s || !*s)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(action_words) / sizeof(action_words[0]); i++)
		if (strcmp(s, action_words[i].name) == 0) {
			*ret = action_words[i].action;
			return 0;
		}
	/* Errno names come from the C library, so every name it knows is
	 * accepted and no list is kept here. Aliases that glibc does not
	 * report as the primary name (EWOULDBLOCK, EDEADLOCK, ENOTSUP) are
	 * therefore not accepted; their primary names are. */
	if (s[0] != 'E')
		return -EINVAL;
	for (int n = 1; n <= SF_ERRNO_MAX; n++) {
		const char *name = strerrorname_np(n);

		if (name && strcmp(name, s) == 0) {
			*ret = (struct sf_action){ .kind = SF_ACT_ERRNO, .errnum = n };
			return 0;
		}
	}
	return -EINVAL;
}

const char *action_name(struct sf_action a)
{
	/* Only for an errno number the C library has no name for. */
	static _Thread_local char buf[32];
	const char *name;

	switch (a.kind) {
	case SF_ACT_ALLOW:
		return "allow";
	case SF_ACT_LOG:
		return "log";
	case SF_ACT_ERRNO:
		name = strerrorname_np(a.errnum);
		if (name)
			return name;
		snprintf(buf, sizeof(buf), "errno %d", a.errnum);
		return buf;
	case SF_ACT_TRAP:
		return "trap";
	case SF_ACT_KILL_THREAD:
		return "kill-thread";
	case SF_ACT_KILL_PROCESS:
		return "kill";
	}
	return "kill";
}

bool rule_dropped(const struct sf_syscall_rules *sc, const struct sf_rule *r)
{
	return sc->has_uncond && r->layer < sc->uncond.layer && action_cmp(r->action, sc->uncond.action) < 0;
}

void rules_settle(struct sf_syscall_rules *sc)
{
	size_t n = sc->n_cond + sc->n_dropped, kept = 0;

	/* A stable partition in place: among matching conditional rules of
	 * one kind the one written last wins, so the kept rules keep their
	 * order. Each kept rule moves down past the dropped ones before it
	 * (quadratic, and a syscall has a handful of rules). */
	for (size_t i = 0; i < n; i++) {
		struct sf_rule r = sc->cond_rules[i];

		if (rule_dropped(sc, &r))
			continue;
		memmove(&sc->cond_rules[kept + 1], &sc->cond_rules[kept], (i - kept) * sizeof(r));
		sc->cond_rules[kept++] = r;
	}
	sc->n_cond = kept;
	sc->n_dropped = n - kept;
}

int rules_add_cond(struct sf_syscall_rules *sc, struct sf_rule r)
{
	if (ARRAY_RESERVE(sc->cond_rules, sc->cap_cond, sc->n_cond + sc->n_dropped + 1) < 0)
		return -ENOMEM;
	memmove(&sc->cond_rules[sc->n_cond + 1], &sc->cond_rules[sc->n_cond], sc->n_dropped * sizeof(r));
	sc->cond_rules[sc->n_cond++] = r;
	return 0;
}

struct sf_cond *cond_from_cmps(const struct sf_cmp *cmps, size_t n_terms, size_t per_term)
{
	struct sf_cond *c = calloc(1, sizeof(*c));

	if (!c || !(c->terms = calloc(n_terms, sizeof(*c->terms)))) {
		free(c);
		return NULL;
	}
	for (; c->n < n_terms; c->n++) {
		struct sf_term *t = &c->terms[c->n];

		t->cmps = malloc(per_term * sizeof(*t->cmps));
		if (!t->cmps) {
			cond_free(c);
			return NULL;
		}
		memcpy(t->cmps, cmps + c->n * per_term, per_term * sizeof(*t->cmps));
		t->n = per_term;
	}
	return c;
}

void cond_free(struct sf_cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->terms[i].cmps);
	free(c->terms);
	free(c);
}
