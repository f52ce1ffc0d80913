/* Stage 1 of the filter compiler: each conditional rule becomes a boolean
 * expression over 32-bit words of struct seccomp_data, with the documented
 * 32/64-bit widening applied, simplified by a small prover that only ever
 * drops tests it can show redundant (docs/filter.md). */
#include "filter_int.h"

/* A zeroed node with room for n kids, or NULL. */
struct ex *filter_node_new(struct ctx *c, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	size_t size = (sizeof(struct ex) + n * sizeof(struct ex *) + align - 1) & ~(align - 1);
	struct node_chunk *k = c->chunks;
	struct ex *e;

	if (n > (SIZE_MAX / 2) / sizeof(struct ex *))
		return NULL;
	if (!k || k->size - k->used < size) {
		size_t cap = size > NODE_CHUNK_SIZE ? size : NODE_CHUNK_SIZE;

		k = malloc(sizeof(*k) + cap);
		if (!k)
			return NULL;
		k->used = 0;
		k->size = cap;
		k->next = c->chunks;
		c->chunks = k;
	}
	e = (struct ex *)((char *)k->data + k->used);
	k->used += size;
	memset(e, 0, size);
	return e;
}

/* Allocation failures are sticky: the builder keeps going with a harmless
 * node and filter_build() reports -ENOMEM at the end. */
struct ex *filter_ex_alloc(struct ctx *c, enum ex_kind kind, size_t n)
{
	struct ex *e = c->oom ? NULL : filter_node_new(c, n);

	if (!e) {
		c->oom = true;
		return c->ex_false;
	}
	e->kind = kind;
	e->n = n;
	return e;
}

static struct ex *ex_const(struct ctx *c, bool v)
{
	return v ? c->ex_true : c->ex_false;
}

static bool wtest_eval(const struct wtest *t, uint32_t w)
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

/* A test node in normal form: GE becomes GT, one-bit masks become SET, and
 * tests whose outcome is fixed become constants. */
static struct ex *ex_test(struct ctx *c, struct wtest t)
{
	struct ex *e;

	switch (t.op) {
	case W_EQ:
		t.mask = 0;
		break;
	case W_GT:
		t.mask = 0;
		if (t.k == UINT32_MAX)
			return ex_const(c, t.neg);
		break;
	case W_SET:
		t.k = 0;
		if (t.mask == 0)
			return ex_const(c, t.neg);
		break;
	case W_MASKEQ:
		if (t.k & ~t.mask)
			return ex_const(c, t.neg);
		if (t.mask == 0)
			return ex_const(c, !t.neg);
		if (t.mask == UINT32_MAX) {
			t.op = W_EQ;
			t.mask = 0;
		} else if ((t.mask & (t.mask - 1)) == 0) {
			t.op = W_SET;
			if (t.k == 0)
				t.neg = !t.neg;
			t.k = 0;
		}
		break;
	}
	e = filter_ex_alloc(c, EX_TEST, 0);
	if (e != c->ex_false)
		e->t = t;
	return e;
}

/* w >= k, as the normal form knows no GE. */
static struct ex *ex_ge(struct ctx *c, unsigned arg, bool hi, uint32_t k, bool neg)
{
	if (k == 0)
		return ex_const(c, !neg);
	return ex_test(c, (struct wtest){ .arg = arg, .hi = hi, .neg = neg, .op = W_GT, .k = k - 1 });
}

static bool wtest_equal(const struct wtest *a, const struct wtest *b)
{
	return a->arg == b->arg && a->hi == b->hi && a->neg == b->neg && a->op == b->op &&
	    a->k == b->k && a->mask == b->mask;
}

static bool ex_equal(const struct ex *a, const struct ex *b)
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
			if (!ex_equal(a->kids[i], b->kids[i]))
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
		s = (struct tset){ .has_iv = true, .iv_compl = t->neg, .lo = t->k, .hi = t->k,
			.has_kb = true, .kb_neg = t->neg, .kb_exact = true, .m = UINT32_MAX, .v = t->k };
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
		s = (struct tset){ .has_kb = true, .kb_neg = t->neg, .kb_exact = true, .m = t->mask,
			.v = t->k };
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
static bool test_implies(const struct wtest *ta, const struct wtest *tb)
{
	struct tset a, b;

	if (ta->arg != tb->arg || ta->hi != tb->hi)
		return false;
	if (ta->op == W_EQ && !ta->neg)
		return wtest_eval(tb, ta->k);
	if (tb->op == W_EQ && tb->neg)
		return !wtest_eval(ta, tb->k);
	a = tset_of(ta);
	b = tset_of(tb);
	if (a.has_kb && a.kb_neg && !a.kb_exact)
		a.has_kb = false;	/* the complement of a superset says nothing */
	if (!b.kb_exact)
		b.has_kb = false;
	if (a.has_iv && b.has_iv) {
		if (!a.iv_compl && range_in(a.lo, a.hi, &b))
			return true;
		/* complement(A) inside complement(B) iff B inside A */
		if (a.iv_compl && b.iv_compl && b.lo >= a.lo && b.hi <= a.hi)
			return true;
		/* complement(A) inside B: both remnants of A's complement fit */
		if (a.iv_compl && !b.iv_compl &&
		    (a.lo == 0 || (b.lo == 0 && a.lo - 1 <= b.hi)) &&
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
	if (a.has_kb && a.kb_neg && b.has_kb && b.kb_neg && (a.m & ~b.m) == 0 &&
	    (b.v & a.m) == a.v)
		return true;
	return false;
}

/* Conservative implication between expressions: true only if proved. */
static bool ex_implies(const struct ex *a, const struct ex *b)
{
	if (a->kind == EX_FALSE || b->kind == EX_TRUE)
		return true;
	if (a->kind == EX_TRUE || b->kind == EX_FALSE)
		return false;
	if (ex_equal(a, b))
		return true;
	if (b->kind == EX_AND) {
		for (size_t i = 0; i < b->n; i++)
			if (!ex_implies(a, b->kids[i]))
				return false;
		return true;
	}
	if (a->kind == EX_OR) {
		for (size_t i = 0; i < a->n; i++)
			if (!ex_implies(a->kids[i], b))
				return false;
		return true;
	}
	if (a->kind == EX_AND)
		for (size_t i = 0; i < a->n; i++)
			if (ex_implies(a->kids[i], b))
				return true;
	if (b->kind == EX_OR)
		for (size_t i = 0; i < b->n; i++)
			if (ex_implies(a, b->kids[i]))
				return true;
	if (a->kind == EX_TEST && b->kind == EX_TEST)
		return test_implies(&a->t, &b->t);
	return false;
}

/* Emission order inside a junction: tests first, grouped by word (upper
 * halves first, so that "hi == 0 && (lo == 1 || lo == 2)" loads each word
 * once), then compound kids in their original order. */
static int kid_rank(const struct ex *e)
{
	if (e->kind != EX_TEST)
		return 1 << 20;
	return (int)e->t.arg * 2 + (e->t.hi ? 0 : 1);
}

static void kids_sort(struct ex **k, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct ex *x = k[i];
		size_t j = i;

		while (j > 0 && kid_rank(k[j - 1]) > kid_rank(x)) {
			k[j] = k[j - 1];
			j--;
		}
		k[j] = x;
	}
}

static struct ex *ex_junction(struct ctx *c, enum ex_kind kind, struct ex *const *in, size_t n);

/* A junction's kids as a list: the kids of a node of that kind, or the
 * node itself. */
static void as_list(const struct ex *e, enum ex_kind kind, struct ex *const **ret, size_t *ret_n,
    struct ex *const *self)
{
	if (e->kind == kind) {
		*ret = e->kids;
		*ret_n = e->n;
	} else {
		*ret = self;
		*ret_n = 1;
	}
}

static bool list_has(struct ex *const *l, size_t n, const struct ex *x)
{
	for (size_t i = 0; i < n; i++)
		if (ex_equal(l[i], x))
			return true;
	return false;
}

/* When no kid is shared by all, the kids that share one are grouped:
 * (x && a) || (x && b) || c becomes (x && (a || b)) || c, and dually, so
 * that x runs once (the default profile's personality rule: the upper-half
 * test of four of its five comparisons). The shared kid held by the most
 * kids is chosen. Each grouping leaves fewer occurrences of x, so the
 * recursion through ex_junction() ends. Returns NULL when no two kids share
 * anything. */
static struct ex *ex_factor_some(struct ctx *c, enum ex_kind kind, struct ex **k, size_t n)
{
	enum ex_kind inner = kind == EX_OR ? EX_AND : EX_OR;
	const struct ex *best = NULL;
	size_t best_count = 1, n_with = 0, n_rest = 0;
	struct ex **with = NULL, **rest = NULL, *res = NULL;

	for (size_t i = 0; i < n; i++) {
		struct ex *const *l;
		size_t nl;

		as_list(k[i], inner, &l, &nl, &k[i]);
		for (size_t m = 0; m < nl; m++) {
			size_t count = 1;

			for (size_t j = i + 1; j < n; j++) {
				struct ex *const *lj;
				size_t nlj;

				as_list(k[j], inner, &lj, &nlj, &k[j]);
				count += list_has(lj, nlj, l[m]);
			}
			if (count > best_count) {
				best = l[m];
				best_count = count;
			}
		}
	}
	if (!best)
		return NULL;
	/* with: the kids holding best; rest[0] becomes their junction, the
	 * other kids follow it. */
	with = calloc(n, sizeof(*with));
	rest = calloc(n + 1, sizeof(*rest));
	if (!with || !rest) {
		c->oom = true;
		goto out;
	}
	for (size_t j = 0; j < n; j++) {
		struct ex *const *l;
		size_t nl;

		as_list(k[j], inner, &l, &nl, &k[j]);
		if (list_has(l, nl, best))
			with[n_with++] = k[j];
		else
			rest[1 + n_rest++] = k[j];
	}
	rest[0] = ex_junction(c, kind, with, n_with);
	res = ex_junction(c, kind, rest, n_rest + 1);
out:
	free(with);
	free(rest);
	return res;
}

/* (x && a) || (x && b) becomes x && (a || b), and dually, so that a shared
 * test runs once. When only some kids share a test, see ex_factor_some().
 * Returns NULL when nothing is shared. */
static struct ex *ex_factor(struct ctx *c, enum ex_kind kind, struct ex **k, size_t n)
{
	enum ex_kind inner = kind == EX_OR ? EX_AND : EX_OR;
	struct ex *const *first;
	size_t n_first, n_common = 0;
	struct ex *local_common[16] = { NULL }, *local_rests[16] = { NULL };
	struct ex **common = NULL, **rests = NULL, *res = NULL;

	as_list(k[0], inner, &first, &n_first, &k[0]);
	/* Small lists, the usual case, need no allocation. */
	common = n_first < 16 ? local_common : calloc(n_first + 1, sizeof(*common));
	rests = n < 16 ? local_rests : calloc(n, sizeof(*rests));
	if (!common || !rests) {
		c->oom = true;
		goto out;
	}
	for (size_t i = 0; i < n_first; i++) {
		bool everywhere = true;

		for (size_t j = 1; j < n && everywhere; j++) {
			struct ex *const *l;
			size_t nl;

			as_list(k[j], inner, &l, &nl, &k[j]);
			everywhere = list_has(l, nl, first[i]);
		}
		if (everywhere && !list_has(common, n_common, first[i]))
			common[n_common++] = first[i];
	}
	if (n_common == 0) {
		res = ex_factor_some(c, kind, k, n);
		goto out;
	}
	for (size_t j = 0; j < n; j++) {
		struct ex *const *l;
		size_t nl, n_rest = 0;
		struct ex **rest = calloc(k[j]->n + 1, sizeof(*rest));

		if (!rest) {
			c->oom = true;
			goto out;
		}
		as_list(k[j], inner, &l, &nl, &k[j]);
		for (size_t i = 0; i < nl; i++)
			if (!list_has(common, n_common, l[i]))
				rest[n_rest++] = l[i];
		rests[j] = ex_junction(c, inner, rest, n_rest);
		free(rest);
	}
	common[n_common++] = ex_junction(c, kind, rests, n);
	res = ex_junction(c, inner, common, n_common);
out:
	if (common != local_common)
		free(common);
	if (rests != local_rests)
		free(rests);
	return res;
}

/* AND or OR of in[0..n), simplified: flattened, constants folded, kids
 * implied by (AND) or implying (OR) a sibling dropped, contradictory
 * (AND) or exhaustive (OR) pairs of tests folded, shared kids factored. */
static struct ex *ex_junction(struct ctx *c, enum ex_kind kind, struct ex *const *in, size_t n)
{
	bool is_and = kind == EX_AND;
	enum ex_kind unit = is_and ? EX_TRUE : EX_FALSE;
	enum ex_kind dom = is_and ? EX_FALSE : EX_TRUE;
	struct ex *local[16], **k = NULL, *e = NULL;
	size_t nk = 0, total = 0;

	if (c->oom)
		return c->ex_false;
	for (size_t i = 0; i < n; i++)
		total += in[i]->kind == kind ? in[i]->n : 1;
	/* Most junctions are small: no allocation for them. */
	k = total < sizeof(local) / sizeof(local[0]) ? local : calloc(total + 1, sizeof(*k));
	if (!k) {
		c->oom = true;
		return c->ex_false;
	}
	for (size_t i = 0; i < n; i++) {
		if (in[i]->kind == dom) {
			e = in[i];
			goto out;
		}
		if (in[i]->kind == unit)
			continue;
		if (in[i]->kind == kind)
			for (size_t j = 0; j < in[i]->n; j++)
				k[nk++] = in[i]->kids[j];
		else
			k[nk++] = in[i];
	}

	/* Drop kids a sibling makes redundant. */
	for (size_t j = 0; j < nk; j++) {
		bool drop = false;

		for (size_t i = 0; i < nk && !drop; i++)
			if (i != j && k[i])
				drop = is_and ? ex_implies(k[i], k[j]) : ex_implies(k[j], k[i]);
		if (drop)
			k[j] = NULL;
	}
	{
		size_t m = 0;

		for (size_t j = 0; j < nk; j++)
			if (k[j])
				k[m++] = k[j];
		nk = m;
	}

	/* a && b is false when a excludes b; a || b is true when not-a
	 * implies b. */
	for (size_t i = 0; i < nk; i++)
		for (size_t j = i + 1; j < nk; j++) {
			struct wtest a, b;

			if (k[i]->kind != EX_TEST || k[j]->kind != EX_TEST)
				continue;
			a = k[i]->t;
			b = k[j]->t;
			if (is_and)
				b.neg = !b.neg;
			else
				a.neg = !a.neg;
			if (test_implies(&a, &b)) {
				e = ex_const(c, !is_and);
				goto out;
			}
		}

	if (nk == 0) {
		e = ex_const(c, is_and);
		goto out;
	}
	if (nk == 1) {
		e = k[0];
		goto out;
	}
	e = ex_factor(c, kind, k, nk);
	if (e)
		goto out;
	kids_sort(k, nk);
	e = filter_ex_alloc(c, kind, nk);
	if (e != c->ex_false)
		memcpy(e->kids, k, nk * sizeof(*k));
out:
	if (k != local)
		free(k);
	return e;
}

static struct ex *ex_and2(struct ctx *c, struct ex *a, struct ex *b)
{
	struct ex *v[] = { a, b };

	return ex_junction(c, EX_AND, v, 2);
}

static struct ex *ex_or2(struct ctx *c, struct ex *a, struct ex *b)
{
	struct ex *v[] = { a, b };

	return ex_junction(c, EX_OR, v, 2);
}

static struct ex *ex_not(struct ctx *c, const struct ex *e)
{
	struct ex *local[16] = { NULL }, **v;
	struct ex *r;
	struct wtest t;

	switch (e->kind) {
	case EX_FALSE:
		return c->ex_true;
	case EX_TRUE:
		return c->ex_false;
	case EX_TEST:
		t = e->t;
		t.neg = !t.neg;
		return ex_test(c, t);
	case EX_AND:
	case EX_OR:
		break;
	}
	v = e->n < sizeof(local) / sizeof(local[0]) ? local : calloc(e->n, sizeof(*v));
	if (!v) {
		c->oom = true;
		return c->ex_false;
	}
	for (size_t i = 0; i < e->n; i++)
		v[i] = ex_not(c, e->kids[i]);
	r = ex_junction(c, e->kind == EX_AND ? EX_OR : EX_AND, v, e->n);
	if (v != local)
		free(v);
	return r;
}

/* ------------------------------------------------------------------------
 * Comparisons and the 32/64-bit widening
 * ------------------------------------------------------------------------ */

/* The upper half of an argument under one reading: loaded from the data
 * (full reading), or a constant (zero- or sign-extended low half). */
struct upper {
	bool is_const;
	uint32_t val;
};

static struct ex *hi_test(struct ctx *c, unsigned arg, struct upper u, enum word_op op, uint32_t k,
    uint32_t mask)
{
	struct wtest t = { .arg = arg, .hi = true, .op = op, .k = k, .mask = mask };

	if (u.is_const)
		return ex_const(c, wtest_eval(&t, u.val));
	return ex_test(c, t);
}

static struct ex *lo_test(struct ctx *c, unsigned arg, enum word_op op, uint32_t k, uint32_t mask)
{
	return ex_test(c, (struct wtest){ .arg = arg, .op = op, .k = k, .mask = mask });
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
		return ex_and2(c, hi_test(c, a, u, W_EQ, vh, 0), lo_test(c, a, W_EQ, vl, 0));
	case SF_CMP_NE:
		return ex_not(c, ex_and2(c, hi_test(c, a, u, W_EQ, vh, 0), lo_test(c, a, W_EQ, vl, 0)));
	case SF_CMP_GT:
	case SF_CMP_LE:
		/* x > v  <=>  hi > vh || (hi == vh && lo > vl) */
		eq = hi_test(c, a, u, W_EQ, vh, 0);
		gt = ex_or2(c, hi_test(c, a, u, W_GT, vh, 0), ex_and2(c, eq, lo_test(c, a, W_GT, vl, 0)));
		return m->op == SF_CMP_GT ? gt : ex_not(c, gt);
	case SF_CMP_GE:
	case SF_CMP_LT:
		eq = hi_test(c, a, u, W_EQ, vh, 0);
		ge = ex_or2(c, hi_test(c, a, u, W_GT, vh, 0), ex_and2(c, eq, ex_ge(c, a, false, vl, false)));
		return m->op == SF_CMP_GE ? ge : ex_not(c, ge);
	case SF_CMP_MASKED_EQ:
		if (m->value & ~m->mask)
			return c->ex_false;
		return ex_and2(c, hi_test(c, a, u, W_MASKEQ, vh, mh), lo_test(c, a, W_MASKEQ, vl, ml));
	case SF_CMP_ANY_BITS:
		return ex_or2(c, hi_test(c, a, u, W_SET, 0, mh), lo_test(c, a, W_SET, 0, ml));
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
		w = CONST_ZEXT;	/* its value is unused */
	if (w == CONST_WIDE || wm == CONST_WIDE)
		return f;
	if (w == CONST_ZEXT && wm == CONST_ZEXT)
		low = cmp_reading(c, m, zext);
	else {
		struct ex *neg = ex_test(c, (struct wtest){ .arg = m->arg, .op = W_SET, .mask = SIGN_BIT });

		/* Sign extension: the upper half is all ones when bit 31 is set. */
		low = ex_or2(c, ex_and2(c, neg, cmp_reading(c, m, ones)),
		    ex_and2(c, ex_not(c, neg), cmp_reading(c, m, zext)));
	}
	return wide ? ex_or2(c, f, low) : ex_and2(c, f, low);
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
		terms[i] = ex_junction(c, EX_AND, atoms, t->n);
		if (atoms != local_atoms)
			free(atoms);
	}
	r = ex_junction(c, EX_OR, terms, cond->n);
	if (terms != local_terms)
		free(terms);
	return r;
}
