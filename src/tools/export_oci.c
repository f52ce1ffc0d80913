/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export=oci: JSON for the OCI runtime spec's linux.seccomp.
 *
 * OCI runtimes (runc, crun) hand these rules to libseccomp's rule database,
 * which takes unordered rules, drops a conditional rule next to an
 * unconditional one of the same syscall, does not pick the most restrictive
 * of overlapping rules, and compares each argument once per rule. sysfence's
 * block for a syscall is an ordered list of tests with the 32/64-bit
 * widening (docs/filter.md). So each syscall with conditional rules is
 * exported as regions: the region of a test is "it holds and no earlier
 * test does", the fallback's "no test holds", computed exactly over 64-bit
 * arguments (export_oci_cubes.c); every cube of a region is one libseccomp
 * rule, and regions never overlap. A region with the default action is left
 * to the default. What one comparison per argument cannot say (an excluded
 * range of values, or more than OCI_MAX_RULES rules) is left to the default
 * when the default is at least as restrictive, and otherwise fails with the
 * rule's FILE:LINE rather than writing a weaker policy. */
#include "cleanup.h"
#include "export.h"
#include "export_oci_int.h"
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

/* The most libseccomp rules one region of a syscall may take. */
#define OCI_MAX_RULES 1024
/* A cube of a region whose action is of the default's kind (an errno
 * both) is left to the default when it takes more libseccomp rules than
 * this: the call is refused all the same, with the default's errno, and
 * the filter stays small (personality's excluded values, say, would take
 * 84 rules). One of another kind is written out up to OCI_MAX_RULES, so
 * that strict's "ENOTTY = ioctl" does not become a kill. */
#define OCI_CHEAP_RULES 16

struct oci_arg {
	unsigned index;
	struct atom at;
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

/* One libseccomp comparison, as runc and crun read it: for MASKED_EQ,
 * value is the mask and value2 the value. */
static void alt(struct alts *out, unsigned index, const char *op, uint64_t value, uint64_t value2)
{
	static const struct {
		const char *name;
		enum cube_op op;
	} ops[] = {
		{ "SCMP_CMP_NE", CUBE_NE },
		{ "SCMP_CMP_LT", CUBE_LT },
		{ "SCMP_CMP_LE", CUBE_LE },
		{ "SCMP_CMP_GT", CUBE_GT },
		{ "SCMP_CMP_GE", CUBE_GE },
	};
	struct atom a = { CUBE_MEQ, UINT64_MAX, value }; /* SCMP_CMP_EQ */

	if (strcmp(op, "SCMP_CMP_MASKED_EQ") == 0)
		a = (struct atom){ CUBE_MEQ, value, value2 & value };
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i].name) == 0)
			a = (struct atom){ ops[i].op, 0, value };
	out->a[out->n++] = (struct oci_arg){ index, a };
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

/* The cubes where rule r's condition holds, read W (wide) or N. */
static int rule_cubes(const char *name, const struct sf_rule *r, bool wide, struct cube_set *ret, struct sf_diag *d)
{
	struct cube_set term = { 0 }, cmp = { 0 }, t = { 0 };
	_cleanup_free_ struct alts *al = malloc(sizeof(*al));
	int rc = al ? 0 : -ENOMEM;

	ret->n = 0;
	for (size_t i = 0; rc == 0 && i < r->cond->n; i++) {
		const struct sf_term *term_i = &r->cond->terms[i];

		rc = cube_set_all(&term);
		for (size_t j = 0; rc == 0 && j < term_i->n; j++) {
			const struct sf_cmp *m = &term_i->cmps[j];
			char text[96];

			if (!convert(m, wide, al)) {
				cmp_text(m, text, sizeof(text));
				rc = diag_at(d, r->origin, -EINVAL,
				    "cannot export to OCI: \"%s\" in a rule for \"%s\" cannot keep its meaning for 32-bit arguments (libseccomp compares all 64 bits, see docs/export.md)",
				    text, name);
				break;
			}
			cmp.n = 0;
			for (size_t k = 0; rc == 0 && k < al->n; k++) {
				struct cube c = { 0 };
				int added = cube_add(&c, al->a[k].index, al->a[k].at);

				rc = added < 0 ? added : added ? cube_set_push(&cmp, &c) : 0;
			}
			if (rc == 0)
				rc = cube_set_and(&term, &cmp, &t);
			if (rc == 0) {
				struct cube_set swap = term;

				term = t;
				t = swap;
			}
		}
		if (rc == 0)
			rc = cube_set_append(ret, &term);
	}
	cube_set_clear(&term);
	cube_set_clear(&cmp);
	cube_set_clear(&t);
	return rc;
}

static void put_atom(FILE *f, unsigned index, const struct atom *a, bool first)
{
	static const char *const names[] = {
		[CUBE_MEQ] = "SCMP_CMP_MASKED_EQ",
		[CUBE_NE] = "SCMP_CMP_NE",
		[CUBE_LT] = "SCMP_CMP_LT",
		[CUBE_LE] = "SCMP_CMP_LE",
		[CUBE_GT] = "SCMP_CMP_GT",
		[CUBE_GE] = "SCMP_CMP_GE",
	};
	uint64_t value = a->op == CUBE_MEQ && a->mask != UINT64_MAX ? a->mask : a->value;
	uint64_t value2 = a->op == CUBE_MEQ && a->mask != UINT64_MAX ? a->value : 0;
	const char *op = a->op == CUBE_MEQ && a->mask == UINT64_MAX ? "SCMP_CMP_EQ" : names[a->op];

	fprintf(f, "%s{ \"index\": %u, \"value\": %" PRIu64 ", \"valueTwo\": %" PRIu64 ", \"op\": \"%s\" }",
	    first ? "" : ", ", index, value, value2, op);
}

/* The region of one action, one libseccomp rule per cube. */
static int put_region(struct out *o, const struct sf_policy *pol, const char *name, struct sf_action act,
    const struct cube_set *region, struct sf_origin origin, struct sf_diag *d)
{
	const struct sf_action dflt = pol->filter.default_action;
	struct cube_set flat = { 0 };
	int r = 0;

	if (same_action(act, dflt))
		return 0;
	for (size_t i = 0; r == 0 && i < region->n; i++) {
		size_t before = flat.n;
		unsigned bad = CUBE_ARGS;
		bool may_drop = action_cmp(act, dflt) <= 0;
		bool cheap = act.kind == dflt.kind;

		r = cube_flatten(&region->c[i], &flat, cheap ? before + OCI_CHEAP_RULES : OCI_MAX_RULES, &bad);
		if (r != -ERANGE)
			continue;
		/* The default is at least as restrictive: leave it that. */
		flat.n = before;
		if (may_drop) {
			r = 0;
			continue;
		}
		if (bad < CUBE_ARGS)
			r = diag_at(d, origin, -EINVAL,
			    "cannot export to OCI: a rule for \"%s\" compares arg%u in a way one libseccomp comparison per argument cannot say, and the default action is less restrictive",
			    name, bad);
		else
			r = diag_at(d, origin, -E2BIG,
			    "cannot export to OCI: the rules for \"%s\" need more than %d libseccomp rules", name,
			    OCI_MAX_RULES);
	}
	for (size_t i = 0; r == 0 && i < flat.n; i++) {
		bool first = true;

		entry_start(o);
		fprintf(o->f, "\"names\": [\"%s\"], ", name);
		json_action(o->f, act);
		for (unsigned arg = 0; arg < CUBE_ARGS; arg++) {
			if (!flat.c[i].n[arg])
				continue;
			fputs(first ? ", \"args\": [" : "", o->f);
			put_atom(o->f, arg, &flat.c[i].a[arg][0], first);
			first = false;
		}
		fputs(first ? " }" : "] }", o->f);
	}
	cube_set_clear(&flat);
	return r;
}

/* A test of a syscall's block (docs/filter.md): rule r's condition, read
 * W or N, returns act. */
struct test {
	const struct sf_rule *r;
	bool wide;
	struct sf_action act;
};

static const struct sf_syscall_rules *sort_sc;

/* Most restrictive kind first; within a kind, the rule written last. */
static int by_restrictiveness(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = action_cmp(sort_sc->cond_rules[y].action, sort_sc->cond_rules[x].action);

	return c ? c : (x < y) - (x > y);
}

/* The tests of sc's block, in order; trailing ones that return the
 * fallback are left out. Returns how many. */
static size_t block_tests(const struct sf_syscall_rules *sc, struct sf_action fb, struct test *t)
{
	size_t *order = (size_t *)(t + 2 * sc->n_cond);
	size_t n = 0;

	for (size_t i = 0; i < sc->n_cond; i++)
		order[i] = i;
	sort_sc = sc;
	qsort(order, sc->n_cond, sizeof(*order), by_restrictiveness);
	for (size_t i = 0; i < sc->n_cond; i++) {
		const struct sf_rule *r = &sc->cond_rules[order[i]];

		if (action_cmp(r->action, fb) >= 0)
			t[n++] = (struct test){ r, true, r->action };
		else {
			t[n++] = (struct test){ r, false, r->action };
			t[n++] = (struct test){ r, true, fb };
		}
	}
	while (n && same_action(t[n - 1].act, fb))
		n--;
	return n;
}

/* A syscall with conditional rules, region by region. */
static int put_block(struct out *o, const struct sf_policy *pol, const struct sf_syscall_rules *sc, struct sf_diag *d)
{
	struct sf_action fb = sc->has_uncond ? sc->uncond.action : pol->filter.default_action;
	struct cube_set rest = { 0 }, tc = { 0 }, region = { 0 }, not_tc = { 0 };
	/* 2 tests per rule, then the order of the rules. */
	_cleanup_free_ struct test *t = calloc(3 * sc->n_cond + 1, sizeof(*t));
	size_t n;
	int r;

	if (!t)
		return -ENOMEM;
	n = block_tests(sc, fb, t);
	r = cube_set_all(&rest);
	for (size_t i = 0; r == 0 && i < n && rest.n; i++) {
		r = rule_cubes(sc->name, t[i].r, t[i].wide, &tc, d);
		if (r == 0)
			r = cube_set_and(&rest, &tc, &region);
		if (r == 0)
			r = put_region(o, pol, sc->name, t[i].act, &region, t[i].r->origin, d);
		if (r == 0)
			r = cube_set_not(&tc, &not_tc);
		if (r == 0)
			r = cube_set_and(&rest, &not_tc, &region);
		if (r == 0) {
			struct cube_set swap = rest;

			rest = region;
			region = swap;
		}
	}
	if (r == 0)
		r = put_region(
		    o, pol, sc->name, fb, &rest, sc->has_uncond ? sc->uncond.origin : sc->cond_rules[0].origin, d);
	if (r == -E2BIG && !diag_has_errors(d))
		r = diag_at(d, sc->cond_rules[0].origin, -E2BIG,
		    "cannot export to OCI: the rules for \"%s\" need more than %d libseccomp rules", sc->name,
		    CUBE_SET_MAX);
	cube_set_clear(&rest);
	cube_set_clear(&tc);
	cube_set_clear(&region);
	cube_set_clear(&not_tc);
	return r;
}

static bool resolves(const struct sf_policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->filter.n_arches; i++)
		if (seccomp_syscall_resolve_name_arch(pol->filter.arches[i], name) != __NR_SCMP_ERROR)
			return true;
	return false;
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

		if (done[i] || sc->n_cond || !sc->has_uncond || same_action(sc->uncond.action, spec->default_action))
			continue;
		a = sc->uncond.action;
		for (size_t k = i; k < spec->n_syscalls; k++) {
			const struct sf_syscall_rules *s2 = &spec->syscalls[k];

			if (done[k] || s2->n_cond || !s2->has_uncond || !same_action(s2->uncond.action, a))
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
	struct out o = { .first = true };
	_cleanup_free_ bool *done = calloc(spec->n_syscalls + 1, sizeof(*done));
	_cleanup_membuf_ struct membuf m = { 0 };
	char *buf = NULL;
	int r;

	if (!done || membuf_open(&m) < 0)
		return diag_fail(d, -ENOMEM, "cannot export the policy as OCI");
	o.f = m.f;
	put_head(o.f, spec);
	put_unconditional(&o, pol, done);
	r = 0;
	for (size_t i = 0; i < spec->n_syscalls && r == 0; i++) {
		const struct sf_syscall_rules *sc = &spec->syscalls[i];

		if (sc->n_cond && resolves(pol, sc->name))
			r = put_block(&o, pol, sc, d);
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
