/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Comparisons of the profile's conditions as expressions over 32-bit
 * words, with the 32/64-bit widening docs/filter.md proves. */
#include "filter_int.h"

/* The upper half of an argument under one reading: loaded from the data
 * (full reading), or a constant (zero- or sign-extended low half). */
struct upper {
	bool is_const;
	uint32_t val;
};

static struct ex *hi_test(struct ctx *c, unsigned arg, struct upper u, enum word_op op, uint32_t k, uint32_t mask)
{
	struct wtest t = { .arg = arg, .hi = true, .op = op, .k = k, .mask = mask };

	if (u.is_const)
		return filter_ex_const(c, filter_wtest_eval(&t, u.val));
	return filter_ex_test(c, t);
}

static struct ex *lo_test(struct ctx *c, unsigned arg, enum word_op op, uint32_t k, uint32_t mask)
{
	return filter_ex_test(c, (struct wtest){ .arg = arg, .op = op, .k = k, .mask = mask });
}

/* One comparison on the 64-bit value (upper half u, lower half loaded),
 * unsigned, as the conjunction/disjunction of word tests. */
static struct ex *cmp_reading(struct ctx *c, const struct sf_cmp *m, struct upper u)
{
	uint32_t vh = (uint32_t)(m->value >> 32), vl = (uint32_t)m->value;
	uint32_t mh = (uint32_t)(m->mask >> 32), ml = (uint32_t)m->mask;
	unsigned a = m->arg;
	struct ex *eq, *gt, *ge;

	switch (m->op) {
	case SF_CMP_EQ:
		return filter_ex_and2(c, hi_test(c, a, u, W_EQ, vh, 0), lo_test(c, a, W_EQ, vl, 0));
	case SF_CMP_NE:
		return filter_ex_not(c, filter_ex_and2(c, hi_test(c, a, u, W_EQ, vh, 0), lo_test(c, a, W_EQ, vl, 0)));
	case SF_CMP_GT:
	case SF_CMP_LE:
		/* x > v  <=>  hi > vh || (hi == vh && lo > vl) */
		eq = hi_test(c, a, u, W_EQ, vh, 0);
		gt = filter_ex_or2(c, hi_test(c, a, u, W_GT, vh, 0), filter_ex_and2(c, eq, lo_test(c, a, W_GT, vl, 0)));
		return m->op == SF_CMP_GT ? gt : filter_ex_not(c, gt);
	case SF_CMP_GE:
	case SF_CMP_LT:
		eq = hi_test(c, a, u, W_EQ, vh, 0);
		ge = filter_ex_or2(
		    c, hi_test(c, a, u, W_GT, vh, 0), filter_ex_and2(c, eq, filter_ex_ge(c, a, false, vl, false)));
		return m->op == SF_CMP_GE ? ge : filter_ex_not(c, ge);
	case SF_CMP_MASKED_EQ:
		if (m->value & ~m->mask)
			return c->ex_false;
		return filter_ex_and2(c, hi_test(c, a, u, W_MASKEQ, vh, mh), lo_test(c, a, W_MASKEQ, vl, ml));
	case SF_CMP_ANY_BITS:
		return filter_ex_or2(c, hi_test(c, a, u, W_SET, 0, mh), lo_test(c, a, W_SET, 0, ml));
	}
	return c->ex_false;
}

/* How a constant reads as a 32-bit value: zero-extended (it is below
 * 2^32), sign-extended (a negative int such as -1), or not at all (it
 * needs all 64 bits, so the argument it is compared with is 64-bit). */
enum const_width { CONST_ZEXT, CONST_SEXT, CONST_WIDE };

static enum const_width const_width(uint64_t v)
{
	if (v <= UINT32_MAX)
		return CONST_ZEXT;
	if (v >= UINT64_C(0xffffffff80000000))
		return CONST_SEXT;
	return CONST_WIDE;
}

/* W(c): the comparison holds under the full reading or the 32-bit one;
 * N(c): under both. The 32-bit reading is the low half extended the way
 * the constant is (zero-extended for 0..2^32-1, sign-extended for a
 * negative int), so "arg0 == 0xffffffff" and "arg0 == -1" both mean what
 * they say for an int argument. A constant that needs 64 bits has no
 * 32-bit reading: only the full one applies. */
static struct ex *cmp_widened(struct ctx *c, const struct sf_cmp *m, bool wide)
{
	struct upper full = { false, 0 }, zext = { true, 0 }, ones = { true, UINT32_MAX };
	bool masked = m->op == SF_CMP_MASKED_EQ || m->op == SF_CMP_ANY_BITS;
	enum const_width w = const_width(m->value);
	enum const_width wm = masked ? const_width(m->mask) : CONST_ZEXT;
	struct ex *f = cmp_reading(c, m, full);
	struct ex *low;

	if (m->op == SF_CMP_ANY_BITS)
		w = CONST_ZEXT; /* its value is unused */
	if (w == CONST_WIDE || wm == CONST_WIDE)
		return f;
	if (w == CONST_ZEXT && wm == CONST_ZEXT)
		low = cmp_reading(c, m, zext);
	else {
		struct ex *neg = filter_ex_test(c, (struct wtest){ .arg = m->arg, .op = W_SET, .mask = SIGN_BIT });

		/* Sign extension: the upper half is all ones when bit 31 is set. */
		low = filter_ex_or2(c, filter_ex_and2(c, neg, cmp_reading(c, m, ones)),
		    filter_ex_and2(c, filter_ex_not(c, neg), cmp_reading(c, m, zext)));
	}
	return wide ? filter_ex_or2(c, f, low) : filter_ex_and2(c, f, low);
}

struct ex *filter_cond_widened(struct ctx *c, const struct sf_cond *cond, bool wide)
{
	struct ex *local_terms[8] = { NULL }, *local_atoms[8] = { NULL };
	struct ex **terms = cond->n < 8 ? local_terms : calloc(cond->n + 1, sizeof(*terms));
	struct ex *r;

	if (!terms) {
		c->oom = true;
		return c->ex_false;
	}
	for (size_t i = 0; i < cond->n; i++) {
		const struct sf_term *t = &cond->terms[i];
		struct ex **atoms = t->n < 8 ? local_atoms : calloc(t->n + 1, sizeof(*atoms));

		if (!atoms) {
			c->oom = true;
			if (terms != local_terms)
				free(terms);
			return c->ex_false;
		}
		for (size_t j = 0; j < t->n; j++)
			atoms[j] = cmp_widened(c, &t->cmps[j], wide);
		terms[i] = filter_ex_junction(c, EX_AND, atoms, t->n);
		if (atoms != local_atoms)
			free(atoms);
	}
	r = filter_ex_junction(c, EX_OR, terms, cond->n);
	if (terms != local_terms)
		free(terms);
	return r;
}
