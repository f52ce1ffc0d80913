/* SPDX-License-Identifier: GPL-2.0-or-later */
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

struct ex *filter_ex_const(struct ctx *c, bool v)
{
	return v ? c->ex_true : c->ex_false;
}

/* A test node in normal form: GE becomes GT, one-bit masks become SET, and
 * tests whose outcome is fixed become constants. */
struct ex *filter_ex_test(struct ctx *c, struct wtest t)
{
	struct ex *e;

	switch (t.op) {
	case W_EQ:
		t.mask = 0;
		break;
	case W_GT:
		t.mask = 0;
		if (t.k == UINT32_MAX)
			return filter_ex_const(c, t.neg);
		break;
	case W_SET:
		t.k = 0;
		if (t.mask == 0)
			return filter_ex_const(c, t.neg);
		break;
	case W_MASKEQ:
		if (t.k & ~t.mask)
			return filter_ex_const(c, t.neg);
		if (t.mask == 0)
			return filter_ex_const(c, !t.neg);
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
struct ex *filter_ex_ge(struct ctx *c, unsigned arg, bool hi, uint32_t k, bool neg)
{
	if (k == 0)
		return filter_ex_const(c, !neg);
	return filter_ex_test(c, (struct wtest){ .arg = arg, .hi = hi, .neg = neg, .op = W_GT, .k = k - 1 });
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

/* A junction's kids as a list: the kids of a node of that kind, or the
 * node itself. */
static void as_list(
    const struct ex *e, enum ex_kind kind, struct ex *const **ret, size_t *ret_n, struct ex *const *self)
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
		if (filter_ex_equal(l[i], x))
			return true;
	return false;
}

/* When no kid is shared by all, the kids that share one are grouped:
 * (x && a) || (x && b) || c becomes (x && (a || b)) || c, and dually, so
 * that x runs once (the default profile's personality rule: the upper-half
 * test of four of its five comparisons). The shared kid held by the most
 * kids is chosen. Each grouping leaves fewer occurrences of x, so the
 * recursion through filter_ex_junction() ends. Returns NULL when no two kids share
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
	rest[0] = filter_ex_junction(c, kind, with, n_with);
	res = filter_ex_junction(c, kind, rest, n_rest + 1);
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
		rests[j] = filter_ex_junction(c, inner, rest, n_rest);
		free(rest);
	}
	common[n_common++] = filter_ex_junction(c, kind, rests, n);
	res = filter_ex_junction(c, inner, common, n_common);
out:
	if (common != local_common)
		free(common);
	if (rests != local_rests)
		free(rests);
	return res;
}

/* Drop the kids of an AND (is_and) or OR that a sibling makes redundant:
 * implied by a sibling (AND) or implying one (OR). Returns the new count. */
static size_t kids_drop_redundant(struct ex **k, size_t nk, bool is_and)
{
	size_t m = 0;

	for (size_t j = 0; j < nk; j++) {
		bool drop = false;

		for (size_t i = 0; i < nk && !drop; i++)
			if (i != j && k[i])
				drop = is_and ? filter_ex_implies(k[i], k[j]) : filter_ex_implies(k[j], k[i]);
		if (drop)
			k[j] = NULL;
	}
	for (size_t j = 0; j < nk; j++)
		if (k[j])
			k[m++] = k[j];
	return m;
}

/* Do two tests among the kids decide the junction? a && b is false when a
 * excludes b; a || b is true when not-a implies b. */
static bool kids_decide(struct ex *const *k, size_t nk, bool is_and)
{
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
			if (filter_test_implies(&a, &b))
				return true;
		}
	return false;
}

/* AND or OR of in[0..n), simplified: flattened, constants folded, kids
 * implied by (AND) or implying (OR) a sibling dropped, contradictory
 * (AND) or exhaustive (OR) pairs of tests folded, shared kids factored. */
struct ex *filter_ex_junction(struct ctx *c, enum ex_kind kind, struct ex *const *in, size_t n)
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

	nk = kids_drop_redundant(k, nk, is_and);
	if (kids_decide(k, nk, is_and)) {
		e = filter_ex_const(c, !is_and);
		goto out;
	}

	if (nk == 0) {
		e = filter_ex_const(c, is_and);
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

struct ex *filter_ex_and2(struct ctx *c, struct ex *a, struct ex *b)
{
	struct ex *v[] = { a, b };

	return filter_ex_junction(c, EX_AND, v, 2);
}

struct ex *filter_ex_or2(struct ctx *c, struct ex *a, struct ex *b)
{
	struct ex *v[] = { a, b };

	return filter_ex_junction(c, EX_OR, v, 2);
}

struct ex *filter_ex_not(struct ctx *c, const struct ex *e)
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
		return filter_ex_test(c, t);
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
		v[i] = filter_ex_not(c, e->kids[i]);
	r = filter_ex_junction(c, e->kind == EX_AND ? EX_OR : EX_AND, v, e->n);
	if (v != local)
		free(v);
	return r;
}
