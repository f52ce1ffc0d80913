/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The filter compiler's prover: implication between word tests and between
 * expressions, conservative (true only when proved), so that simplifying
 * an expression only ever drops a test it can show redundant
 * (docs/filter.md). */
#include "filter_int.h"

bool filter_wtest_eval(const struct wtest *t, uint32_t w)
{
	bool r = false;

	switch (t->op) {
	case W_EQ:
		r = w == t->k;
		break;
	case W_GT:
		r = w > t->k;
		break;
	case W_SET:
		r = (w & t->mask) != 0;
		break;
	case W_MASKEQ:
		r = (w & t->mask) == t->k;
		break;
	}
	return r != t->neg;
}

static bool wtest_equal(const struct wtest *a, const struct wtest *b)
{
	return a->arg == b->arg && a->hi == b->hi && a->neg == b->neg && a->op == b->op && a->k == b->k &&
	    a->mask == b->mask;
}

bool filter_ex_equal(const struct ex *a, const struct ex *b)
{
	if (a == b)
		return true;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case EX_FALSE:
	case EX_TRUE:
		return true;
	case EX_TEST:
		return wtest_equal(&a->t, &b->t);
	case EX_AND:
	case EX_OR:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (!filter_ex_equal(a->kids[i], b->kids[i]))
				return false;
		return true;
	}
	return false;
}

/* The set of words a test accepts, in the forms the prover reasons with:
 * an interval [lo, hi] or its complement, and known bits (w & m) == v or
 * their negation. A test may have both forms. The known bits of an
 * interval only over-approximate it (kb_exact false): they may stand for the
 * premise of an implication, never for its conclusion. */
struct tset {
	bool has_iv, iv_compl;
	uint32_t lo, hi;
	bool has_kb, kb_neg, kb_exact;
	uint32_t m, v;
};

static struct tset tset_of(const struct wtest *t)
{
	struct tset s = { 0 };

	switch (t->op) {
	case W_EQ:
		s = (struct tset){ .has_iv = true,
			.iv_compl = t->neg,
			.lo = t->k,
			.hi = t->k,
			.has_kb = true,
			.kb_neg = t->neg,
			.kb_exact = true,
			.m = UINT32_MAX,
			.v = t->k };
		return s;
	case W_GT:
		s.has_iv = true;
		if (t->neg) {
			s.lo = 0;
			s.hi = t->k;
		} else {
			s.lo = t->k + 1;
			s.hi = UINT32_MAX;
		}
		/* Every word in an interval shares the bits above the highest
		 * bit in which its ends differ. */
		if (s.lo != s.hi) {
			s.has_kb = true;
			s.m = ~(UINT32_MAX >> __builtin_clz(s.lo ^ s.hi));
			s.v = s.lo & s.m;
		}
		return s;
	case W_SET:
		s = (struct tset){ .has_kb = true, .kb_neg = !t->neg, .kb_exact = true, .m = t->mask };
		return s;
	case W_MASKEQ:
		s = (struct tset){ .has_kb = true, .kb_neg = t->neg, .kb_exact = true, .m = t->mask, .v = t->k };
		return s;
	}
	return s;
}

/* Is [alo, ahi] inside the set of b's interval form? */
static bool range_in(uint32_t alo, uint32_t ahi, const struct tset *b)
{
	if (!b->iv_compl)
		return alo >= b->lo && ahi <= b->hi;
	return ahi < b->lo || alo > b->hi;
}

/* Does every word accepted by a satisfy b? false when unsure. */
bool filter_test_implies(const struct wtest *ta, const struct wtest *tb)
{
	struct tset a, b;

	if (ta->arg != tb->arg || ta->hi != tb->hi)
		return false;
	if (ta->op == W_EQ && !ta->neg)
		return filter_wtest_eval(tb, ta->k);
	if (tb->op == W_EQ && tb->neg)
		return !filter_wtest_eval(ta, tb->k);
	a = tset_of(ta);
	b = tset_of(tb);
	if (a.has_kb && a.kb_neg && !a.kb_exact)
		a.has_kb = false; /* the complement of a superset says nothing */
	if (!b.kb_exact)
		b.has_kb = false;
	if (a.has_iv && b.has_iv) {
		if (!a.iv_compl && range_in(a.lo, a.hi, &b))
			return true;
		/* complement(A) inside complement(B) iff B inside A */
		if (a.iv_compl && b.iv_compl && b.lo >= a.lo && b.hi <= a.hi)
			return true;
		/* complement(A) inside B: both remnants of A's complement fit */
		if (a.iv_compl && !b.iv_compl && (a.lo == 0 || (b.lo == 0 && a.lo - 1 <= b.hi)) &&
		    (a.hi == UINT32_MAX || (b.hi == UINT32_MAX && a.hi + 1 >= b.lo)))
			return true;
	}
	if (a.has_kb && !a.kb_neg) {
		if (b.has_kb && !b.kb_neg && (b.m & ~a.m) == 0 && (a.v & b.m) == b.v)
			return true;
		if (b.has_kb && b.kb_neg && ((a.v ^ b.v) & a.m & b.m) != 0)
			return true;
		if (b.has_iv && range_in(a.v, a.v | ~a.m, &b))
			return true;
	}
	/* not(w & ma == va) implies not(w & mb == vb) iff the converse holds */
	if (a.has_kb && a.kb_neg && b.has_kb && b.kb_neg && (a.m & ~b.m) == 0 && (b.v & a.m) == a.v)
		return true;
	return false;
}

/* Conservative implication between expressions: true only if proved. */
bool filter_ex_implies(const struct ex *a, const struct ex *b)
{
	if (a->kind == EX_FALSE || b->kind == EX_TRUE)
		return true;
	if (a->kind == EX_TRUE || b->kind == EX_FALSE)
		return false;
	if (filter_ex_equal(a, b))
		return true;
	if (b->kind == EX_AND) {
		for (size_t i = 0; i < b->n; i++)
			if (!filter_ex_implies(a, b->kids[i]))
				return false;
		return true;
	}
	if (a->kind == EX_OR) {
		for (size_t i = 0; i < a->n; i++)
			if (!filter_ex_implies(a->kids[i], b))
				return false;
		return true;
	}
	if (a->kind == EX_AND)
		for (size_t i = 0; i < a->n; i++)
			if (filter_ex_implies(a->kids[i], b))
				return true;
	if (b->kind == EX_OR)
		for (size_t i = 0; i < b->n; i++)
			if (filter_ex_implies(a, b->kids[i]))
				return true;
	if (a->kind == EX_TEST && b->kind == EX_TEST)
		return filter_test_implies(&a->t, &b->t);
	return false;
}
