/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-syscall plans: the order in which a syscall's conditional rules are
 * tested and how each is widened (docs/filter.md has the proof). */
#include "filter_int.h"

struct ordered {
	const struct sf_rule *r;
	size_t idx;
};

/* Most restrictive kind first; within a kind, the rule written last. */
static int ordered_cmp(const void *pa, const void *pb)
{
	const struct ordered *a = pa, *b = pb;
	int k = action_cmp(b->r->action, a->r->action);

	if (k)
		return k;
	return a->idx < b->idx ? 1 : a->idx > b->idx ? -1 : 0;
}

/* Test order and widening as docs/filter.md proves them: a rule at least as
 * restrictive as the fallback F matches on W; a less restrictive one
 * returns its action on N, and F on W without N (some reading matches it,
 * so nothing less restrictive may be returned, and F is always safe). */
int filter_plan_syscall(
    struct ctx *c, const struct sf_filter_spec *spec, const struct sf_syscall_rules *s, struct plan *p)
{
	struct sf_action fb = s->has_uncond ? s->uncond.action : spec->default_action;
	struct ordered *ord = NULL;
	size_t n = 0;

	p->fallback = action_to_ret(fb);
	/* Most syscalls have no conditional rule: nothing to allocate or
	 * sort (a launch compiles hundreds of them). */
	p->n = 0;
	p->items = NULL;
	if (s->n_cond == 0)
		return 0;
	ord = calloc(s->n_cond, sizeof(*ord));
	p->items = calloc(2 * s->n_cond, sizeof(*p->items));
	if (!ord || !p->items) {
		free(ord);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->n_cond; i++)
		ord[i] = (struct ordered){ &s->cond_rules[i], i };
	if (s->n_cond > 1)
		qsort(ord, s->n_cond, sizeof(*ord), ordered_cmp);

	for (size_t i = 0; i < s->n_cond; i++) {
		const struct sf_rule *r = ord[i].r;
		uint32_t ret = action_to_ret(r->action);

		if (!r->cond)
			continue;
		if (action_cmp(r->action, fb) >= 0) {
			p->items[n++] = (struct item){ filter_cond_widened(c, r->cond, true), ret };
		} else {
			p->items[n++] = (struct item){ filter_cond_widened(c, r->cond, false), ret };
			p->items[n++] = (struct item){ filter_cond_widened(c, r->cond, true), p->fallback };
		}
	}
	free(ord);

	/* Drop tests that cannot match, stop at one that always does, then
	 * drop trailing tests whose outcome equals the fallback. */
	p->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (p->items[i].e->kind == EX_FALSE)
			continue;
		if (p->items[i].e->kind == EX_TRUE) {
			p->fallback = p->items[i].ret;
			break;
		}
		p->items[p->n++] = p->items[i];
	}
	while (p->n > 0 && p->items[p->n - 1].ret == p->fallback)
		p->n--;
	return 0;
}
