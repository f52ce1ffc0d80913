/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export=oci: JSON for the OCI runtime spec's linux.seccomp.
 *
 * OCI runtimes (runc, crun) hand these rules to libseccomp's rule database,
 * which has neither sysfence's meaning nor its 32/64-bit widening
 * (docs/filter.md, docs/export.md). So a rule is exported only where the
 * libseccomp reading of the JSON has the same meaning as the profile:
 *
 *  - a syscall with conditional rules must fall back to the default action
 *    (libseccomp drops a conditional rule when the syscall also has an
 *    unconditional one), unless every conditional rule has the fallback's
 *    action anyway;
 *  - conditional rules of one syscall with different actions must be
 *    provably disjoint (libseccomp does not pick the most restrictive);
 *  - rules whose action is the default are dropped (libseccomp refuses
 *    them), which is only allowed where no other rule overlaps them;
 *  - one comparison per argument per rule, and each comparison widened as
 *    filter_build.c does: a rule at least as restrictive as the default
 *    must match when either reading of the argument matches (W), a less
 *    restrictive one only when both do (N); where no libseccomp operator
 *    computes that, export fails.
 * Anything else fails with the rule's FILE:LINE rather than writing a
 * weaker policy. */
#include "cleanup.h"
#include "export.h"
#include "membuf.h"
#include "names.h"
#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bit-by-bit expansion of "argN & MASK" can multiply rules; stop here. */
#define OCI_MAX_RULES_PER_TERM 1024

struct oci_arg {
	unsigned index;
	uint64_t value, value2;
	const char *op;
};

/* Alternatives for one comparison: the comparison holds when any holds. */
struct alts {
	struct oci_arg a[64];
	size_t n;
};

static bool same_action(struct sf_action a, struct sf_action b)
{
	return a.kind == b.kind && (a.kind != SF_ACT_ERRNO || a.errnum == b.errnum);
}

static const char *oci_action(struct sf_action a)
{
	switch (a.kind) {
	case SF_ACT_ALLOW:
		return "SCMP_ACT_ALLOW";
	case SF_ACT_LOG:
		return "SCMP_ACT_LOG";
	case SF_ACT_ERRNO:
		return "SCMP_ACT_ERRNO";
	case SF_ACT_TRAP:
		return "SCMP_ACT_TRAP";
	case SF_ACT_KILL_THREAD:
		return "SCMP_ACT_KILL_THREAD";
	case SF_ACT_KILL_PROCESS:
		return "SCMP_ACT_KILL_PROCESS";
	}
	return "SCMP_ACT_KILL_PROCESS";
}

static void where(const struct sf_origin *o, char *buf, size_t len)
{
	if (o->file)
		snprintf(buf, len, "%s:%u", o->file, o->line);
	else
		snprintf(buf, len, "the command line");
}

static void number(uint64_t v, char *buf, size_t len)
{
	if (v >= UINT64_C(0xffffffff80000000))
		snprintf(buf, len, "%" PRId64, (int64_t)v);
	else if (v <= 0xffff)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
}

/* "arg1 == 0x5412", as a profile writes it. */
static void cmp_text(const struct sf_cmp *m, char *buf, size_t len)
{
	static const char *const ops[] = {
		[SF_CMP_EQ] = "==", [SF_CMP_NE] = "!=", [SF_CMP_LT] = "<",
		[SF_CMP_LE] = "<=", [SF_CMP_GT] = ">", [SF_CMP_GE] = ">=",
	};
	char v[32], k[32];

	number(m->value, v, sizeof(v));
	number(m->mask, k, sizeof(k));
	if (m->op == SF_CMP_MASKED_EQ)
		snprintf(buf, len, "arg%u & %s == %s", m->arg, k, v);
	else if (m->op == SF_CMP_ANY_BITS)
		snprintf(buf, len, "arg%u & %s", m->arg, k);
	else
		snprintf(buf, len, "arg%u %s %s", m->arg, ops[m->op], v);
}

enum width { ZEXT, SEXT, WIDE };

static enum width width_of(uint64_t v)
{
	if (v <= UINT32_MAX)
		return ZEXT;
	if (v >= UINT64_C(0xffffffff80000000))
		return SEXT;
	return WIDE;
}

static void alt(struct alts *out, unsigned index, const char *op, uint64_t value, uint64_t value2)
{
	out->a[out->n++] = (struct oci_arg){ index, value, value2, op };
}

/* One comparison as libseccomp alternatives with the meaning W(m) (wide)
 * or N(m) (docs/filter.md "32/64-bit widening"). Returns false where no
 * libseccomp operator has that meaning. libseccomp compares all 64 bits.
 * Long: one table-like case per operator and width, best read together. */
static bool convert(const struct sf_cmp *m, bool wide, struct alts *out)
{
	bool masked = m->op == SF_CMP_MASKED_EQ || m->op == SF_CMP_ANY_BITS;
	enum width w = m->op == SF_CMP_ANY_BITS ? ZEXT : width_of(m->value);
	enum width wm = masked ? width_of(m->mask) : ZEXT;
	unsigned i = m->arg;

	out->n = 0;
	if (w == WIDE || wm == WIDE) {
		/* Only the full reading applies: the comparison as written. */
		switch (m->op) {
		case SF_CMP_EQ:
			alt(out, i, "SCMP_CMP_EQ", m->value, 0);
			return true;
		case SF_CMP_NE:
			alt(out, i, "SCMP_CMP_NE", m->value, 0);
			return true;
		case SF_CMP_LT:
			alt(out, i, "SCMP_CMP_LT", m->value, 0);
			return true;
		case SF_CMP_LE:
			alt(out, i, "SCMP_CMP_LE", m->value, 0);
			return true;
		case SF_CMP_GT:
			alt(out, i, "SCMP_CMP_GT", m->value, 0);
			return true;
		case SF_CMP_GE:
			alt(out, i, "SCMP_CMP_GE", m->value, 0);
			return true;
		case SF_CMP_MASKED_EQ:
			alt(out, i, "SCMP_CMP_MASKED_EQ", m->mask, m->value);
			return true;
		case SF_CMP_ANY_BITS:
			for (unsigned b = 0; b < 64; b++)
				if (m->mask & (UINT64_C(1) << b))
					alt(out, i, "SCMP_CMP_MASKED_EQ", UINT64_C(1) << b, UINT64_C(1) << b);
			return true;
		}
		return false;
	}
	if (w == ZEXT && wm == ZEXT) {
		/* Both readings are "the low half, upper half zero". Since
		 * low(x) <= x: x > v or x >= v is implied by its low reading,
		 * and x < v or x <= v implies its low reading. */
		switch (m->op) {
		case SF_CMP_EQ:
			/* W: the low half equals v; N: x == v (upper half 0). */
			if (wide)
				alt(out, i, "SCMP_CMP_MASKED_EQ", UINT32_MAX, m->value);
			else
				alt(out, i, "SCMP_CMP_EQ", m->value, 0);
			return true;
		case SF_CMP_NE:
			if (!wide)
				return false;	/* N: the low half differs */
			alt(out, i, "SCMP_CMP_NE", m->value, 0);
			return true;
		case SF_CMP_GT:
		case SF_CMP_GE:
			if (!wide)
				return false;	/* N: the low half alone compared */
			alt(out, i, m->op == SF_CMP_GT ? "SCMP_CMP_GT" : "SCMP_CMP_GE", m->value, 0);
			return true;
		case SF_CMP_LT:
		case SF_CMP_LE:
			if (wide)
				return false;	/* W: the low half alone compared */
			alt(out, i, m->op == SF_CMP_LT ? "SCMP_CMP_LT" : "SCMP_CMP_LE", m->value, 0);
			return true;
		case SF_CMP_MASKED_EQ:
			/* The mask has no upper bits: both readings agree. */
			alt(out, i, "SCMP_CMP_MASKED_EQ", m->mask, m->value);
			return true;
		case SF_CMP_ANY_BITS:
			for (unsigned b = 0; b < 32; b++)
				if (m->mask & (UINT64_C(1) << b))
					alt(out, i, "SCMP_CMP_MASKED_EQ", UINT64_C(1) << b, UINT64_C(1) << b);
			return true;
		}
		return false;
	}
	/* A negative int: the low reading is the low half sign-extended. */
	switch (m->op) {
	case SF_CMP_EQ:
		if (wide)
			alt(out, i, "SCMP_CMP_MASKED_EQ", UINT32_MAX, m->value & UINT32_MAX);
		else
			alt(out, i, "SCMP_CMP_EQ", m->value, 0);
		return true;
	case SF_CMP_NE:
		if (!wide)
			return false;
		alt(out, i, "SCMP_CMP_NE", m->value, 0);
		return true;
	case SF_CMP_LT:
	case SF_CMP_LE:
	case SF_CMP_GT:
	case SF_CMP_GE:
	case SF_CMP_MASKED_EQ:
	case SF_CMP_ANY_BITS:
		return false;
	}
	return false;
}

/* Terms that no reading of any argument satisfies together: some argument
 * has equality constraints on its low half that contradict. Every reading
 * of "x == v" or "x & m == v" fixes the low half's bits under the low half
 * of m (all 32 for ==). */
static bool low_constraint(const struct sf_cmp *m, uint32_t *mask, uint32_t *value)
{
	if (m->op == SF_CMP_EQ) {
		*mask = UINT32_MAX;
		*value = (uint32_t)m->value;
		return true;
	}
	if (m->op == SF_CMP_MASKED_EQ) {
		*mask = (uint32_t)m->mask;
		*value = (uint32_t)m->value;
		return true;
	}
	return false;
}

static bool terms_disjoint(const struct sf_term *a, const struct sf_term *b)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			uint32_t ma, va, mb, vb;

			if (a->cmps[i].arg != b->cmps[j].arg || !low_constraint(&a->cmps[i], &ma, &va) ||
			    !low_constraint(&b->cmps[j], &mb, &vb))
				continue;
			if ((va ^ vb) & ma & mb)
				return true;
		}
	return false;
}

static bool conds_disjoint(const struct sf_cond *a, const struct sf_cond *b)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (!terms_disjoint(&a->terms[i], &b->terms[j]))
				return false;
	return true;
}

struct out {
	FILE *f;
	bool first;
};

static void json_action(FILE *f, struct sf_action a)
{
	fprintf(f, "\"action\": \"%s\"", oci_action(a));
	if (a.kind == SF_ACT_ERRNO)
		fprintf(f, ", \"errnoRet\": %d", a.errnum);
}

static void entry_start(struct out *o)
{
	fputs(o->first ? "\n    { " : ",\n    { ", o->f);
	o->first = false;
}

/* Emit one term of a rule as libseccomp rules (several where a comparison
 * has alternatives). */
static int emit_term(struct out *o, const char *name, const struct sf_rule *r, const struct sf_term *t, bool wide,
    struct sf_diag *d)
{
	_cleanup_free_ struct alts *al = calloc(t->n + 1, sizeof(*al));
	size_t pick[6] = { 0 };
	size_t total = 1;

	if (!al)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		char text[96];

		for (size_t j = 0; j < i; j++)
			if (t->cmps[j].arg == t->cmps[i].arg)
				return diag_at(d, r->origin, -EINVAL,
				    "cannot export to OCI: a rule for \"%s\" compares arg%u twice (libseccomp accepts one comparison per argument)",
				    name, t->cmps[i].arg);
		if (!convert(&t->cmps[i], wide, &al[i])) {
			cmp_text(&t->cmps[i], text, sizeof(text));
			return diag_at(d, r->origin, -EINVAL,
			    "cannot export to OCI: \"%s\" in a rule for \"%s\" cannot keep its meaning for 32-bit arguments (libseccomp compares all 64 bits, see docs/export.md)",
			    text, name);
		}
		if (al[i].n == 0)
			return 0;	/* "argN & 0" never holds: no rule */
		total *= al[i].n;
		if (total > OCI_MAX_RULES_PER_TERM) {
			cmp_text(&t->cmps[i], text, sizeof(text));
			return diag_at(d, r->origin, -E2BIG,
			    "cannot export to OCI: the rule for \"%s\" needs more than %d libseccomp rules (\"%s\" is one per bit)",
			    name, OCI_MAX_RULES_PER_TERM, text);
		}
	}
	/* Every combination of alternatives is one rule. */
	for (;;) {
		entry_start(o);
		fprintf(o->f, "\"names\": [\"%s\"], ", name);
		json_action(o->f, r->action);
		fputs(", \"args\": [", o->f);
		for (size_t i = 0; i < t->n; i++) {
			const struct oci_arg *a = &al[i].a[pick[i]];

			fprintf(o->f, "%s{ \"index\": %u, \"value\": %" PRIu64 ", \"valueTwo\": %" PRIu64 ", \"op\": \"%s\" }",
			    i ? ", " : "", a->index, a->value, a->value2, a->op);
		}
		fputs("] }", o->f);
		size_t i = 0;
		for (; i < t->n; i++) {
			if (++pick[i] < al[i].n)
				break;
			pick[i] = 0;
		}
		if (i == t->n)
			return 0;
	}
}

static bool resolves(const struct sf_policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->filter.n_arches; i++)
		if (seccomp_syscall_resolve_name_arch(pol->filter.arches[i], name) != __NR_SCMP_ERROR)
			return true;
	return false;
}

/* The conditional rules of one syscall whose default is its fallback. */
static int emit_conditional(struct out *o, const struct sf_policy *pol, const struct sf_syscall_rules *sc,
    struct sf_diag *d)
{
	const struct sf_action dflt = pol->filter.default_action;
	int r;

	for (size_t i = 0; i < sc->n_cond; i++) {
		const struct sf_rule *a = &sc->cond_rules[i];

		for (size_t j = 0; j < i; j++) {
			const struct sf_rule *b = &sc->cond_rules[j];
			char w[4200];

			if (same_action(a->action, b->action) || conds_disjoint(a->cond, b->cond))
				continue;
			where(&b->origin, w, sizeof(w));
			return diag_at(d, a->origin, -EINVAL,
			    "cannot export to OCI: this rule for \"%s\" and the one at %s have different actions and may match the same call, and libseccomp does not pick the most restrictive",
			    sc->name, w);
		}
	}
	for (size_t i = 0; i < sc->n_cond; i++) {
		const struct sf_rule *a = &sc->cond_rules[i];
		/* At least as restrictive as the fallback: match on W. */
		bool wide = action_cmp(a->action, dflt) >= 0;

		/* Its action is the default: disjoint from every other rule
		 * (checked above), so leaving it out changes nothing. */
		if (same_action(a->action, dflt))
			continue;
		for (size_t t = 0; t < a->cond->n; t++) {
			r = emit_term(o, sc->name, a, &a->cond->terms[t], wide, d);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* libseccomp drops a conditional rule next to an unconditional one of
 * another action: such a syscall cannot be said in OCI. */
static int check_mixed_rules(const struct sf_filter_spec *spec, struct sf_diag *d)
{
	const struct sf_action dflt = spec->default_action;
	int r = 0;

	for (size_t i = 0; i < spec->n_syscalls && r == 0; i++) {
		const struct sf_syscall_rules *sc = &spec->syscalls[i];
		bool all_fallback = true;

		if (!sc->n_cond || !sc->has_uncond || same_action(sc->uncond.action, dflt))
			continue;
		for (size_t k = 0; k < sc->n_cond; k++)
			all_fallback &= same_action(sc->cond_rules[k].action, sc->uncond.action);
		if (!all_fallback) {
			char w[4200];

			where(&sc->uncond.origin, w, sizeof(w));
			r = diag_at(d, sc->cond_rules[0].origin, -EINVAL,
			    "cannot export to OCI: \"%s\" has an unconditional rule (%s) and conditional ones, and libseccomp drops a conditional rule next to an unconditional one",
			    sc->name, w);
		}
	}
	return r;
}

/* The default action and the architectures, up to the syscalls' list. */
static void put_head(FILE *f, const struct sf_filter_spec *spec)
{
	const struct sf_action dflt = spec->default_action;

	fprintf(f, "{\n  \"defaultAction\": \"%s\",\n", oci_action(dflt));
	if (dflt.kind == SF_ACT_ERRNO)
		fprintf(f, "  \"defaultErrnoRet\": %d,\n", dflt.errnum);
	fputs("  \"architectures\": [", f);
	for (size_t i = 0; i < spec->n_arches; i++) {
		const char *n = arch_name(spec->arches[i]);

		fputs(i ? ", \"SCMP_ARCH_" : "\"SCMP_ARCH_", f);
		for (; n && *n; n++)
			fputc(toupper((unsigned char)*n), f);
		fputc('"', f);
	}
	fputs("],\n  \"syscalls\": [", f);
}

/* Unconditional rules (and syscalls whose conditional rules all have the
 * fallback's action), one entry per action; done[] marks them. */
static void put_unconditional(struct out *o, const struct sf_policy *pol, bool *done)
{
	const struct sf_filter_spec *spec = &pol->filter;

	for (size_t i = 0; i < spec->n_syscalls; i++) {
		const struct sf_syscall_rules *sc = &spec->syscalls[i];
		struct sf_action a;
		bool any = false;

		if (done[i] || !sc->has_uncond || same_action(sc->uncond.action, spec->default_action))
			continue;
		a = sc->uncond.action;
		for (size_t k = i; k < spec->n_syscalls; k++) {
			const struct sf_syscall_rules *s2 = &spec->syscalls[k];

			if (done[k] || !s2->has_uncond || !same_action(s2->uncond.action, a))
				continue;
			done[k] = true;
			if (!resolves(pol, s2->name))
				continue;	/* a syscall of none of these ABIs */
			if (!any) {
				entry_start(o);
				fputs("\"names\": [", o->f);
			}
			fprintf(o->f, "%s\"%s\"", any ? ", " : "", s2->name);
			any = true;
		}
		if (any) {
			fputs("], ", o->f);
			json_action(o->f, a);
			fputs(" }", o->f);
		}
	}
}

int export_oci(const struct sf_policy *pol, char **ret, size_t *ret_len, struct sf_diag *d)
{
	const struct sf_filter_spec *spec = &pol->filter;
	const struct sf_action dflt = spec->default_action;
	struct out o = { .first = true };
	_cleanup_free_ bool *done = calloc(spec->n_syscalls + 1, sizeof(*done));
	_cleanup_membuf_ struct membuf m = { 0 };
	char *buf = NULL;
	int r;

	if (!done || membuf_open(&m) < 0)
		return diag_fail(d, -ENOMEM, "cannot export the policy as OCI");
	o.f = m.f;
	r = check_mixed_rules(spec, d);
	put_head(o.f, spec);
	if (r == 0)
		put_unconditional(&o, pol, done);
	/* Conditional rules of syscalls that fall back to the default. */
	for (size_t i = 0; i < spec->n_syscalls && r == 0; i++) {
		const struct sf_syscall_rules *sc = &spec->syscalls[i];

		if (!sc->n_cond || (sc->has_uncond && !same_action(sc->uncond.action, dflt)) || !resolves(pol, sc->name))
			continue;
		r = emit_conditional(&o, pol, sc, d);
	}
	fputs(o.first ? "]\n}\n" : "\n  ]\n}\n", o.f);
	if (r < 0)
		return r == -ENOMEM && !diag_has_errors(d) ? diag_fail(d, -ENOMEM, "cannot export the policy as OCI")
							   : r;
	buf = membuf_take(&m, ret_len);
	if (!buf)
		return diag_fail(d, -ENOMEM, "cannot export the policy as OCI");
	*ret = buf;
	return 0;
}
