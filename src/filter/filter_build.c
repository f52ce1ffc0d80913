/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compile a rule model to a classic BPF seccomp program with the documented
 * meaning. The program layout, why we do not let libseccomp compile it, and
 * the proof of the 32/64-bit widening are in docs/filter.md.
 *
 * This file checks the input and runs the three stages, each in its files:
 *   1. every conditional rule becomes a boolean expression over 32-bit
 *      words of struct seccomp_data (with the widening applied), simplified
 *      by a small prover that only ever drops tests it can show redundant
 *      (filter_plan.c orders a syscall's rules; filter_widen.c,
 *      filter_expr.c, filter_prove.c);
 *   2. code is emitted into an intermediate list whose jumps name labels,
 *      tracking what the accumulator holds so that words are not reloaded
 *      (filter_dispatch.c: arch check and syscall numbers; filter_emit.c);
 *   3. layout resolves labels, threads jumps through jumps, drops jumps to
 *      the next instruction, and inserts JA trampolines where a conditional
 *      jump's 8-bit offset cannot reach (filter_layout.c). */
#include "filter_int.h"

static int check_action(struct sf_action a, struct sf_origin o, struct sf_diag *d)
{
	if (a.kind == SF_ACT_ERRNO && (a.errnum < 1 || (unsigned)a.errnum > ERRNO_MAX))
		return diag_at(d, o, -EINVAL, "errno %d is out of range (1 to %u)", a.errnum, ERRNO_MAX);
	return 0;
}

static int check_spec(const struct sf_filter_spec *spec, struct sf_diag *d)
{
	int r;

	if (spec->n_arches == 0 || spec->n_arches > SF_MAX_ARCHES)
		return diag_msg(d, -EINVAL, "no architecture to filter");
	for (size_t i = 0; i < spec->n_arches; i++)
		/* libseccomp knows exit_group on every architecture; an
		 * unknown token is the only way to fail here. */
		if (seccomp_syscall_resolve_name_arch(spec->arches[i], "exit_group") < 0)
			return diag_msg(d, -EINVAL, "unsupported architecture 0x%08x", spec->arches[i]);
	r = check_action(spec->default_action, spec->default_origin, d);
	if (r < 0)
		return r;
	for (size_t i = 0; i < spec->n_syscalls; i++) {
		const struct sf_syscall_rules *s = &spec->syscalls[i];

		if (s->has_uncond && (r = check_action(s->uncond.action, s->uncond.origin, d)) < 0)
			return r;
		for (size_t j = 0; j < s->n_cond; j++) {
			const struct sf_rule *rule = &s->cond_rules[j];

			r = check_action(rule->action, rule->origin, d);
			if (r < 0)
				return r;
			for (size_t t = 0; rule->cond && t < rule->cond->n; t++)
				for (size_t k = 0; k < rule->cond->terms[t].n; k++)
					if (rule->cond->terms[t].cmps[k].arg > 5)
						return diag_at(d, rule->origin, -EINVAL,
						    "argument %u does not exist (arg0 to arg5)",
						    rule->cond->terms[t].cmps[k].arg);
		}
	}
	return 0;
}

static void ctx_free(struct ctx *c)
{
	for (struct node_chunk *k = c->chunks, *next; k; k = next) {
		next = k->next;
		free(k);
	}
	free(c->ir);
	free(c->labels);
}

int filter_build(const struct sf_filter_spec *spec, struct sf_filter **ret, struct sf_diag *d)
{
	struct ctx c = { .acc = ST_UNKNOWN };
	struct plan *plans = NULL;
	size_t n_plans = 0;
	int r;

	r = check_spec(spec, d);
	if (r < 0)
		return r;

	/* The constants first: ex_alloc falls back to c.ex_false when out of memory. */
	c.ex_false = filter_node_new(&c, 0);
	if (!c.ex_false) {
		ctx_free(&c);
		return diag_fail(d, -ENOMEM, "cannot compile the seccomp filter");
	}
	c.ex_false->kind = EX_FALSE;
	c.ex_true = filter_ex_alloc(&c, EX_TRUE, 0);

	/* Not zeroed: filter_plan_syscall() sets every field of the plans counted in
	 * n_plans. */
	plans = malloc((spec->n_syscalls + 1) * sizeof(*plans));
	if (!plans) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < spec->n_syscalls; i++) {
		r = filter_plan_syscall(&c, spec, &spec->syscalls[i], &plans[i]);
		n_plans++;
		if (r < 0)
			goto out;
	}

	r = filter_emit_dispatch(&c, spec, plans, d);
	if (r < 0)
		goto out;
	if (c.oom) {
		r = -ENOMEM;
		goto out;
	}
	r = filter_layout(&c, ret, d);
out:
	if (r == -ENOMEM)
		r = diag_fail(d, -ENOMEM, "cannot compile the seccomp filter");
	for (size_t i = 0; i < n_plans; i++)
		if (plans[i].items) /* most syscalls have none */
			free(plans[i].items);
	free(plans);
	ctx_free(&c);
	return r;
}

void filter_free(struct sf_filter *f)
{
	if (!f)
		return;
	free(f->insns);
	free(f);
}

/* BPF jumps only forward, so the program is a DAG and the longest path is
 * found in one backward pass. */
void filter_stats(const struct sf_filter *f, struct filter_stats *ret)
{
	size_t *len;
	size_t n = f ? f->n : 0;

	*ret = (struct filter_stats){ .n_insns = n };
	if (n == 0)
		return;
	len = calloc(n, sizeof(*len));
	if (!len)
		return;
	for (size_t i = n; i-- > 0;) {
		const struct sock_filter *x = &f->insns[i];
		size_t best = 0;

		if (BPF_CLASS(x->code) == BPF_RET) {
			best = 0;
		} else if (filter_is_ja(x->code)) {
			size_t t = i + 1 + x->k;

			best = t < n && t > i ? len[t] : 0;
		} else if (BPF_CLASS(x->code) == BPF_JMP) {
			size_t t = i + 1 + x->jt, e = i + 1 + x->jf;

			best = t < n ? len[t] : 0;
			if (e < n && len[e] > best)
				best = len[e];
		} else if (i + 1 < n) {
			best = len[i + 1];
		}
		len[i] = best + 1;
	}
	ret->longest_path = len[0];
	free(len);
}
