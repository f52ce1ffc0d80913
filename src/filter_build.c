/* Compile a rule model to a classic BPF seccomp program with SPEC.md's
 * meaning. The program layout, why we do not let libseccomp compile it, and
 * the proof of the 32/64-bit widening are in docs/filter.md.
 *
 * Three stages:
 *   1. every conditional rule becomes a boolean expression over 32-bit
 *      words of struct seccomp_data (with the widening applied), simplified
 *      by a small prover that only ever drops tests it can show redundant;
 *   2. code is emitted into an intermediate list whose jumps name labels,
 *      tracking what the accumulator holds so that words are not reloaded;
 *   3. layout resolves labels, threads jumps through jumps, drops jumps to
 *      the next instruction, and inserts JA trampolines where a conditional
 *      jump's 8-bit offset cannot reach. */
#include "filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* x86-64: syscall numbers with this bit set are the x32 ABI, reported under
 * AUDIT_ARCH_X86_64 (arch/x86/include/uapi/asm/unistd.h). */
#define X32_SYSCALL_BIT 0x40000000u
#define SIGN_BIT 0x80000000u
#define ERRNO_MAX 4095u

/* The filter is loaded into the kernel we run on, so its byte order decides
 * where the two halves of a 64-bit argument sit in struct seccomp_data. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LO_OFFSET 0
#define HI_OFFSET 4
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LO_OFFSET 4
#define HI_OFFSET 0
#else
#error "unknown byte order"
#endif

/* ------------------------------------------------------------------------
 * Expressions over 32-bit words
 * ------------------------------------------------------------------------ */

enum word_op {
	W_EQ,		/* w == k */
	W_GT,		/* w > k */
	W_SET,		/* (w & mask) != 0 */
	W_MASKEQ,	/* (w & mask) == k */
};

struct wtest {
	unsigned arg;	/* 0..5 */
	bool hi;	/* upper half of the argument */
	bool neg;	/* the test's negation */
	enum word_op op;
	uint32_t k;	/* EQ, GT, MASKEQ; 0 otherwise */
	uint32_t mask;	/* SET, MASKEQ; 0 otherwise */
};

enum ex_kind { EX_FALSE, EX_TRUE, EX_TEST, EX_AND, EX_OR };

struct ex {
	enum ex_kind kind;
	struct wtest t;		/* EX_TEST */
	size_t n;		/* EX_AND, EX_OR */
	struct ex *kids[];
};

/* What the accumulator holds, for skipping redundant loads. */
enum {
	ST_DEAD = -2,		/* no path reaches this point */
	ST_UNKNOWN = -1,
	ST_NR = 0,
	ST_ARCH = 1,
	ST_WORD0 = 2,		/* + 2 * arg + hi */
};

struct ir {
	bool is_label;
	int label;		/* is_label */
	uint16_t code;
	uint32_t k;
	int jt, jf;		/* label ids: JA uses jt; conditional jumps both */
};

struct label {
	int state;		/* merged accumulator state of the jumps to it */
	size_t pos;		/* resolved instruction index */
};

struct item {			/* "if e, return ret" */
	struct ex *e;
	uint32_t ret;
};

struct plan {			/* one syscall's decision */
	struct item *items;
	size_t n;		/* 0: the syscall needs no argument test */
	uint32_t fallback;
};

/* Expression nodes live until the end of filter_build(): they are carved
 * from chunks freed together, not allocated and freed one by one. */
struct node_chunk {
	struct node_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define NODE_CHUNK_SIZE (16 * 1024)

struct ctx {
	struct node_chunk *chunks;
	struct ex *t, *f;

	struct ir *ir;
	size_t n_ir, cap_ir;
	struct label *labels;
	size_t n_labels, cap_labels;
	int a;			/* accumulator state at the emission point */

	bool oom;
};

static bool grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t nc;
	void *q;

	if (need <= *cap)
		return true;
	nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	q = reallocarray(*p, nc, size);
	if (!q)
		return false;
	*p = q;
	*cap = nc;
	return true;
}

/* A zeroed node with room for n kids, or NULL. */
static struct ex *node_new(struct ctx *c, size_t n)
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
static struct ex *ex_alloc(struct ctx *c, enum ex_kind kind, size_t n)
{
	struct ex *e = c->oom ? NULL : node_new(c, n);

	if (!e) {
		c->oom = true;
		return c->f;
	}
	e->kind = kind;
	e->n = n;
	return e;
}

static struct ex *ex_const(struct ctx *c, bool v)
{
	return v ? c->t : c->f;
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
	e = ex_alloc(c, EX_TEST, 0);
	if (e != c->f)
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
		size_t nl, nr = 0;
		struct ex **rest = calloc(k[j]->n + 1, sizeof(*rest));

		if (!rest) {
			c->oom = true;
			goto out;
		}
		as_list(k[j], inner, &l, &nl, &k[j]);
		for (size_t i = 0; i < nl; i++)
			if (!list_has(common, n_common, l[i]))
				rest[nr++] = l[i];
		rests[j] = ex_junction(c, inner, rest, nr);
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
		return c->f;
	for (size_t i = 0; i < n; i++)
		total += in[i]->kind == kind ? in[i]->n : 1;
	/* Most junctions are small: no allocation for them. */
	k = total < sizeof(local) / sizeof(local[0]) ? local : calloc(total + 1, sizeof(*k));
	if (!k) {
		c->oom = true;
		return c->f;
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
	e = ex_alloc(c, kind, nk);
	if (e != c->f)
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
		return c->t;
	case EX_TRUE:
		return c->f;
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
		return c->f;
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
			return c->f;
		return ex_and2(c, hi_test(c, a, u, W_MASKEQ, vh, mh), lo_test(c, a, W_MASKEQ, vl, ml));
	case SF_CMP_ANY_BITS:
		return ex_or2(c, hi_test(c, a, u, W_SET, 0, mh), lo_test(c, a, W_SET, 0, ml));
	}
	return c->f;
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

static struct ex *cond_widened(struct ctx *c, const struct sf_cond *cond, bool wide)
{
	struct ex *local_terms[8] = { NULL }, *local_atoms[8] = { NULL };
	struct ex **terms = cond->n < 8 ? local_terms : calloc(cond->n + 1, sizeof(*terms));
	struct ex *r;

	if (!terms) {
		c->oom = true;
		return c->f;
	}
	for (size_t i = 0; i < cond->n; i++) {
		const struct sf_term *t = &cond->terms[i];
		struct ex **atoms = t->n < 8 ? local_atoms : calloc(t->n + 1, sizeof(*atoms));

		if (!atoms) {
			c->oom = true;
			if (terms != local_terms)
				free(terms);
			return c->f;
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

/* ------------------------------------------------------------------------
 * Per-syscall plans
 * ------------------------------------------------------------------------ */

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
static int plan_syscall(struct ctx *c, const struct sf_filter_spec *spec,
    const struct sf_syscall_rules *s, struct plan *p)
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
			p->items[n++] = (struct item){ cond_widened(c, r->cond, true), ret };
		} else {
			p->items[n++] = (struct item){ cond_widened(c, r->cond, false), ret };
			p->items[n++] = (struct item){ cond_widened(c, r->cond, true), p->fallback };
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

/* ------------------------------------------------------------------------
 * Emission with symbolic labels
 * ------------------------------------------------------------------------ */

static struct ir *ir_push(struct ctx *c)
{
	if (c->oom || !grow(&c->ir, &c->cap_ir, c->n_ir + 1, sizeof(*c->ir))) {
		c->oom = true;
		return NULL;
	}
	c->ir[c->n_ir] = (struct ir){ .label = -1, .jt = -1, .jf = -1 };
	return &c->ir[c->n_ir++];
}

static int label_new(struct ctx *c)
{
	if (c->oom || !grow(&c->labels, &c->cap_labels, c->n_labels + 1, sizeof(*c->labels))) {
		c->oom = true;
		return 0;
	}
	c->labels[c->n_labels] = (struct label){ .state = ST_DEAD };
	return (int)c->n_labels++;
}

static int state_merge(int a, int b)
{
	if (a == ST_DEAD)
		return b;
	if (b == ST_DEAD)
		return a;
	return a == b ? a : ST_UNKNOWN;
}

static void label_ref(struct ctx *c, int l)
{
	if (c->oom)
		return;
	c->labels[l].state = state_merge(c->labels[l].state, c->a);
}

static void label_place(struct ctx *c, int l)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->is_label = true;
	i->label = l;
	c->a = state_merge(c->labels[l].state, c->a);
}

static void emit(struct ctx *c, uint16_t code, uint32_t k)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->code = code;
	i->k = k;
	if (BPF_CLASS(code) == BPF_RET)
		c->a = ST_DEAD;
	else if (BPF_CLASS(code) != BPF_LD)
		c->a = ST_UNKNOWN;
}

static void emit_ja(struct ctx *c, int l)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->code = BPF_JMP | BPF_JA;
	i->jt = l;
	label_ref(c, l);
	c->a = ST_DEAD;
}

static void emit_jump(struct ctx *c, uint16_t code, uint32_t k, int jt, int jf)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->code = code;
	i->k = k;
	i->jt = jt;
	i->jf = jf;
	label_ref(c, jt);
	label_ref(c, jf);
	c->a = ST_DEAD;
}

static void emit_load(struct ctx *c, int state)
{
	uint32_t off;

	if (c->a == state)
		return;
	if (state == ST_NR)
		off = offsetof(struct seccomp_data, nr);
	else if (state == ST_ARCH)
		off = offsetof(struct seccomp_data, arch);
	else {
		unsigned arg = (unsigned)(state - ST_WORD0) / 2;
		bool hi = (state - ST_WORD0) % 2;

		off = (uint32_t)(offsetof(struct seccomp_data, args) + 8 * arg) +
		    (hi ? HI_OFFSET : LO_OFFSET);
	}
	emit(c, BPF_LD | BPF_W | BPF_ABS, off);
	c->a = state;
}

/* Emit code that goes to label t if e holds, to f otherwise. */
static void emit_ex(struct ctx *c, const struct ex *e, int t, int f)
{
	static const uint16_t jop[] = {
		[W_EQ] = BPF_JMP | BPF_JEQ | BPF_K,
		[W_GT] = BPF_JMP | BPF_JGT | BPF_K,
		[W_SET] = BPF_JMP | BPF_JSET | BPF_K,
		[W_MASKEQ] = BPF_JMP | BPF_JEQ | BPF_K,
	};
	int yes = t, no = f;

	switch (e->kind) {
	case EX_TRUE:
		emit_ja(c, t);
		return;
	case EX_FALSE:
		emit_ja(c, f);
		return;
	case EX_TEST:
		emit_load(c, ST_WORD0 + 2 * (int)e->t.arg + (e->t.hi ? 1 : 0));
		if (e->t.op == W_MASKEQ)
			emit(c, BPF_ALU | BPF_AND | BPF_K, e->t.mask);
		if (e->t.neg) {
			yes = f;
			no = t;
		}
		emit_jump(c, jop[e->t.op], e->t.op == W_SET ? e->t.mask : e->t.k, yes, no);
		return;
	case EX_AND:
	case EX_OR:
		for (size_t i = 0; i + 1 < e->n; i++) {
			int next = label_new(c);

			if (e->kind == EX_AND)
				emit_ex(c, e->kids[i], next, f);
			else
				emit_ex(c, e->kids[i], t, next);
			label_place(c, next);
		}
		emit_ex(c, e->kids[e->n - 1], t, f);
		return;
	}
}

/* One RET per distinct return value in a region, shared by its jumps. */
struct retmap {
	uint32_t *ret;
	int *label;
	size_t n, cap_ret, cap_label;
};

static int ret_label(struct ctx *c, struct retmap *m, uint32_t ret)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->ret[i] == ret)
			return m->label[i];
	if (c->oom || !grow(&m->ret, &m->cap_ret, m->n + 1, sizeof(*m->ret)) ||
	    !grow(&m->label, &m->cap_label, m->n + 1, sizeof(*m->label))) {
		c->oom = true;
		return 0;
	}
	m->ret[m->n] = ret;
	m->label[m->n] = label_new(c);
	return m->label[m->n++];
}

/* Place every RET of the map, then release it. */
static void retmap_emit(struct ctx *c, struct retmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		label_place(c, m->label[i]);
		emit(c, BPF_RET | BPF_K, m->ret[i]);
	}
	free(m->ret);
	free(m->label);
	*m = (struct retmap){ 0 };
}

static void emit_block(struct ctx *c, const struct plan *p)
{
	struct retmap rets = { 0 };
	int fb = ret_label(c, &rets, p->fallback);

	for (size_t i = 0; i < p->n; i++) {
		int next = label_new(c);

		emit_ex(c, p->items[i].e, ret_label(c, &rets, p->items[i].ret), next);
		label_place(c, next);
	}
	emit_ja(c, fb);		/* removed in layout: fb's RET comes next */
	retmap_emit(c, &rets);
}

/* ------------------------------------------------------------------------
 * Dispatch on the syscall number
 * ------------------------------------------------------------------------ */

/* An ABI: one AUDIT_ARCH value. On x86-64 it covers the native and the x32
 * numbering. */
struct group {
	uint32_t audit;
	uint32_t tokens[SF_MAX_ARCHES];
	size_t n_tokens;
	bool is_x86_64;
	bool native64, x32;	/* is_x86_64: which numberings are allowed */
};

/* Numbers lo..hi lead to a RET or to a syscall's block. */
struct span {
	uint32_t lo, hi;
	bool block;
	uint32_t ret;
	size_t sys;
};

/* Sort spans by their first number, keeping the order of spans with the
 * same one (the first is the one kept, the next reported as a clash): an
 * LSD radix sort, a byte per pass, skipping bytes all numbers share. Syscall
 * numbers are small, so most launches sort in two passes, against the
 * thousands of compare calls of qsort(). Returns false when out of memory. */
static bool spans_sort(struct span *sp, size_t n)
{
	struct span *tmp, *from = sp, *to;
	uint32_t all_or = 0, all_and = UINT32_MAX;

	for (size_t i = 0; i < n; i++) {
		all_or |= sp[i].lo;
		all_and &= sp[i].lo;
	}
	if (n < 2 || all_or == all_and)
		return true;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return false;
	to = tmp;
	for (unsigned shift = 0; shift < 32; shift += 8) {
		size_t count[256] = { 0 }, pos = 0;

		if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
			continue;	/* every number has this byte */
		for (size_t i = 0; i < n; i++)
			count[(from[i].lo >> shift) & 0xff]++;
		for (size_t b = 0; b < 256; b++) {
			size_t c = count[b];

			count[b] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[(from[i].lo >> shift) & 0xff]++] = from[i];
		struct span *t = from;

		from = to;
		to = t;
	}
	if (from != sp)
		memcpy(sp, from, n * sizeof(*sp));
	free(tmp);
	return true;
}

static bool span_same(const struct span *a, const struct span *b)
{
	return a->block == b->block && (a->block ? a->sys == b->sys : a->ret == b->ret);
}

static int span_target(struct ctx *c, const struct span *s, struct retmap *rets, int *block_label)
{
	if (!s->block)
		return ret_label(c, rets, s->ret);
	if (block_label[s->sys] < 0)
		block_label[s->sys] = label_new(c);
	return block_label[s->sys];
}

/* Binary search over spans [a, b) with A = nr: JGE on the first number of
 * the middle span. Leaves are the spans' targets, so a run of numbers with
 * one outcome costs one leaf. */
static void emit_tree(struct ctx *c, const struct span *sp, size_t a, size_t b, struct retmap *rets,
    int *block_label)
{
	size_t m = a + (b - a) / 2;
	int left, right;

	left = m - a == 1 ? span_target(c, &sp[a], rets, block_label) : label_new(c);
	right = b - m == 1 ? span_target(c, &sp[m], rets, block_label) : label_new(c);
	emit_jump(c, BPF_JMP | BPF_JGE | BPF_K, sp[m].lo, right, left);
	if (m - a > 1) {
		label_place(c, left);
		emit_tree(c, sp, a, m, rets, block_label);
	}
	if (b - m > 1) {
		label_place(c, right);
		emit_tree(c, sp, m, b, rets, block_label);
	}
}

static int group_spans(const struct sf_filter_spec *spec, const struct group *g,
    const struct plan *plans, struct span **ret, size_t *ret_n, struct sf_diag *d)
{
	size_t cap = spec->n_syscalls * g->n_tokens + 2, n = 0, out = 0;
	struct span *sp = malloc(cap * sizeof(*sp));	/* filled before it is read */
	struct span *res = NULL;
	uint32_t dflt = action_to_ret(spec->default_action);
	uint64_t next = 0;

	if (!sp)
		return -ENOMEM;
	if (g->is_x86_64 && !g->x32)	/* -1 is left to the default: it is no ABI */
		sp[n++] = (struct span){ X32_SYSCALL_BIT, UINT32_MAX - 1, false, SECCOMP_RET_KILL_PROCESS, 0 };
	if (g->is_x86_64 && !g->native64)
		sp[n++] = (struct span){ 0, X32_SYSCALL_BIT - 1, false, SECCOMP_RET_KILL_PROCESS, 0 };
	for (size_t t = 0; t < g->n_tokens; t++) {
		/* The policy resolved every name on the native ABI already. */
		bool native = g->tokens[t] == seccomp_arch_native();

		for (size_t i = 0; i < spec->n_syscalls; i++) {
			const struct sf_syscall_rules *s = &spec->syscalls[i];
			int nr = native && s->has_native_nr ? s->native_nr :
			    seccomp_syscall_resolve_name_arch(g->tokens[t], s->name);
			const struct plan *p = &plans[i];

			if (nr < 0)	/* not a syscall of this ABI */
				continue;
			sp[n++] = (struct span){ (uint32_t)nr, (uint32_t)nr, p->n > 0, p->fallback, i };
		}
	}
	if (!spans_sort(sp, n)) {
		free(sp);
		return -ENOMEM;
	}

	res = malloc((2 * n + 1) * sizeof(*res));
	if (!res) {
		free(sp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (sp[i].lo < next) {
			int r = diag_set(d, NULL, 0, -EINVAL, 0,
			    "syscall \"%s\" has the number %u of another syscall",
			    spec->syscalls[sp[i].sys].name, sp[i].lo);

			free(sp);
			free(res);
			return r;
		}
		if (sp[i].lo > next)
			res[out++] = (struct span){ (uint32_t)next, sp[i].lo - 1, false, dflt, 0 };
		res[out++] = sp[i];
		next = (uint64_t)sp[i].hi + 1;
	}
	if (next <= UINT32_MAX)
		res[out++] = (struct span){ (uint32_t)next, UINT32_MAX, false, dflt, 0 };
	free(sp);

	/* Merge neighbours with the same outcome. */
	n = 0;
	for (size_t i = 0; i < out; i++) {
		if (n > 0 && span_same(&res[n - 1], &res[i]))
			res[n - 1].hi = res[i].hi;
		else
			res[n++] = res[i];
	}
	*ret = res;
	*ret_n = n;
	return 0;
}

static int emit_group(struct ctx *c, const struct sf_filter_spec *spec, const struct group *g,
    const struct plan *plans, struct sf_diag *d)
{
	struct span *sp = NULL;
	size_t n = 0;
	struct retmap rets = { 0 };
	int *block_label;
	int r;

	r = group_spans(spec, g, plans, &sp, &n, d);
	if (r < 0)
		return r;
	block_label = calloc(spec->n_syscalls + 1, sizeof(*block_label));
	if (!block_label) {
		free(sp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < spec->n_syscalls; i++)
		block_label[i] = -1;

	emit_load(c, ST_NR);
	if (n == 1)
		emit_ja(c, span_target(c, &sp[0], &rets, block_label));
	else
		emit_tree(c, sp, 0, n, &rets, block_label);
	retmap_emit(c, &rets);
	for (size_t i = 0; i < spec->n_syscalls; i++)
		if (block_label[i] >= 0) {
			label_place(c, block_label[i]);
			emit_block(c, &plans[i]);
		}
	free(block_label);
	free(sp);
	return 0;
}

/* ------------------------------------------------------------------------
 * Layout
 * ------------------------------------------------------------------------ */

struct lins {
	uint16_t code;
	uint32_t k;
	size_t jt, jf;		/* absolute targets of jumps (JA: jt) */
};

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static bool is_ja(uint16_t code)
{
	return code == (BPF_JMP | BPF_JA);
}

/* Resolve labels to instruction indexes. */
static struct lins *layout_resolve(struct ctx *c, size_t *ret_n)
{
	size_t n = 0, pos;
	struct lins *p;

	for (size_t i = 0; i < c->n_ir; i++)
		n += !c->ir[i].is_label;
	pos = n;
	for (size_t i = c->n_ir; i-- > 0;) {
		if (c->ir[i].is_label)
			c->labels[c->ir[i].label].pos = pos;
		else
			pos--;
	}
	p = calloc(n + 1, sizeof(*p));
	if (!p)
		return NULL;
	pos = 0;
	for (size_t i = 0; i < c->n_ir; i++) {
		const struct ir *x = &c->ir[i];

		if (x->is_label)
			continue;
		p[pos] = (struct lins){ x->code, x->k, 0, 0 };
		if (x->jt >= 0)
			p[pos].jt = c->labels[x->jt].pos;
		if (x->jf >= 0)
			p[pos].jf = c->labels[x->jf].pos;
		pos++;
	}
	*ret_n = n;
	return p;
}

/* Jumps to a JA go straight to its target; JAs to the next instruction and
 * unreachable instructions are dropped. */
static void layout_tidy(struct lins *p, size_t *np, size_t *map, bool *keep)
{
	size_t n = *np, out = 0;

	for (size_t i = 0; i < n; i++) {
		if (BPF_CLASS(p[i].code) != BPF_JMP)
			continue;
		while (p[i].jt < n && is_ja(p[p[i].jt].code))
			p[i].jt = p[p[i].jt].jt;
		if (is_cond_jump(p[i].code))
			while (p[i].jf < n && is_ja(p[p[i].jf].code))
				p[i].jf = p[p[i].jf].jt;
	}
	for (size_t i = 0; i < n; i++)
		keep[i] = i == 0;
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		if (BPF_CLASS(p[i].code) == BPF_RET)
			continue;
		if (BPF_CLASS(p[i].code) != BPF_JMP) {
			if (i + 1 < n)
				keep[i + 1] = true;
			continue;
		}
		keep[p[i].jt] = true;
		if (is_cond_jump(p[i].code))
			keep[p[i].jf] = true;
		if (is_ja(p[i].code) && p[i].jt == i + 1)
			keep[i] = false;
	}
	for (size_t i = 0; i < n; i++) {
		map[i] = out;
		if (keep[i])
			out++;
	}
	map[n] = out;
	out = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		p[out] = p[i];
		p[out].jt = map[p[i].jt];
		p[out].jf = map[p[i].jf];
		out++;
	}
	*np = out;
}

/* Conditional jumps reach at most 255 instructions ahead: a farther target
 * is reached through a JA placed right after the jump (nothing falls
 * through into it, as a conditional jump always jumps). Repeats until every
 * jump fits, since insertions lengthen other jumps. */
static int layout_trampolines(struct lins **pp, size_t *np)
{
	for (;;) {
		struct lins *p = *pp, *q;
		size_t n = *np, extra = 0, pos = 0;
		size_t *newpos;

		for (size_t i = 0; i < n; i++) {
			if (!is_cond_jump(p[i].code))
				continue;
			bool ft = p[i].jt - i - 1 > 255, ff = p[i].jf - i - 1 > 255;

			extra += (ft || ff) ? ((ft && ff && p[i].jt != p[i].jf) ? 2 : 1) : 0;
		}
		if (extra == 0)
			return 0;
		if (n + extra > 16 * BPF_MAXINSNS)
			return -E2BIG;
		newpos = calloc(n + 1, sizeof(*newpos));
		q = calloc(n + extra + 1, sizeof(*q));
		if (!newpos || !q) {
			free(newpos);
			free(q);
			return -ENOMEM;
		}
		for (size_t i = 0; i < n; i++) {
			newpos[i] = pos++;
			if (is_cond_jump(p[i].code)) {
				bool ft = p[i].jt - i - 1 > 255, ff = p[i].jf - i - 1 > 255;

				pos += (ft || ff) ? ((ft && ff && p[i].jt != p[i].jf) ? 2 : 1) : 0;
			}
		}
		newpos[n] = pos;
		for (size_t i = 0; i < n; i++) {
			size_t at = newpos[i], tr = at + 1;
			bool ft = false, ff = false;

			q[at] = p[i];
			if (BPF_CLASS(p[i].code) != BPF_JMP)
				continue;
			q[at].jt = newpos[p[i].jt];
			if (!is_cond_jump(p[i].code))
				continue;
			q[at].jf = newpos[p[i].jf];
			ft = p[i].jt - i - 1 > 255;
			ff = p[i].jf - i - 1 > 255;
			if (ft) {
				q[tr] = (struct lins){ BPF_JMP | BPF_JA, 0, q[at].jt, 0 };
				q[at].jt = tr++;
			}
			if (ff) {
				if (ft && p[i].jf == p[i].jt) {
					q[at].jf = q[at].jt;
				} else {
					q[tr] = (struct lins){ BPF_JMP | BPF_JA, 0, q[at].jf, 0 };
					q[at].jf = tr;
				}
			}
		}
		free(newpos);
		free(p);
		*pp = q;
		*np = n + extra;
	}
}

static int layout(struct ctx *c, struct sf_filter **ret, struct sf_diag *d)
{
	struct lins *p = NULL;
	size_t n = 0, *map = NULL;
	bool *keep = NULL;
	struct sf_filter *f = NULL;
	int r;

	p = layout_resolve(c, &n);
	map = calloc(n + 1, sizeof(*map));
	keep = calloc(n + 1, sizeof(*keep));
	if (!p || !map || !keep) {
		r = -ENOMEM;
		goto out;
	}
	layout_tidy(p, &n, map, keep);
	r = layout_trampolines(&p, &n);
	if (r == -E2BIG || (r == 0 && n > BPF_MAXINSNS)) {
		r = diag_set(d, NULL, 0, -E2BIG, 0,
		    "the filter is too large (%zu instructions; the kernel accepts at most %d)", n,
		    BPF_MAXINSNS);
		goto out;
	}
	if (r < 0)
		goto out;

	f = calloc(1, sizeof(*f));
	if (!f || !(f->insns = calloc(n + 1, sizeof(*f->insns)))) {	/* + 1: never calloc(0) */
		free(f);
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct sock_filter *o = &f->insns[i];

		o->code = p[i].code;
		o->k = p[i].k;
		if (is_ja(p[i].code))
			o->k = (uint32_t)(p[i].jt - i - 1);
		else if (is_cond_jump(p[i].code)) {
			o->jt = (uint8_t)(p[i].jt - i - 1);
			o->jf = (uint8_t)(p[i].jf - i - 1);
		}
	}
	f->n = n;
	*ret = f;
	r = 0;
out:
	free(p);
	free(map);
	free(keep);
	return r;
}

/* ------------------------------------------------------------------------
 * Entry points
 * ------------------------------------------------------------------------ */

static int check_action(struct sf_action a, struct sf_origin o, struct sf_diag *d)
{
	if (a.kind == SF_ACT_ERRNO && (a.errnum < 1 || (unsigned)a.errnum > ERRNO_MAX))
		return diag_set(d, o.file, o.line, -EINVAL, 0,
		    "errno %d is out of range (1 to %u)", a.errnum, ERRNO_MAX);
	return 0;
}

static int check_spec(const struct sf_filter_spec *spec, struct sf_diag *d)
{
	int r;

	if (spec->n_arches == 0 || spec->n_arches > SF_MAX_ARCHES)
		return diag_set(d, NULL, 0, -EINVAL, 0, "no architecture to filter");
	for (size_t i = 0; i < spec->n_arches; i++)
		/* libseccomp knows exit_group on every architecture; an
		 * unknown token is the only way to fail here. */
		if (seccomp_syscall_resolve_name_arch(spec->arches[i], "exit_group") < 0)
			return diag_set(d, NULL, 0, -EINVAL, 0,
			    "unsupported architecture 0x%08x", spec->arches[i]);
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
						return diag_set(d, rule->origin.file, rule->origin.line,
						    -EINVAL, 0, "argument %u does not exist (arg0 to arg5)",
						    rule->cond->terms[t].cmps[k].arg);
		}
	}
	return 0;
}

/* Group the requested arches by the AUDIT_ARCH value the kernel reports:
 * x32 shares AUDIT_ARCH_X86_64 with the native x86-64 ABI. */
static size_t make_groups(const struct sf_filter_spec *spec, struct group *g)
{
	size_t n = 0;

	for (size_t i = 0; i < spec->n_arches; i++) {
		uint32_t tok = spec->arches[i];
		uint32_t audit = tok == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : tok;
		size_t j;

		for (j = 0; j < n && g[j].audit != audit; j++)
			;
		if (j == n)
			g[n++] = (struct group){ .audit = audit, .is_x86_64 = audit == SCMP_ARCH_X86_64 };
		bool dup = false;

		for (size_t t = 0; t < g[j].n_tokens; t++)
			dup = dup || g[j].tokens[t] == tok;
		if (!dup)
			g[j].tokens[g[j].n_tokens++] = tok;
		if (tok == SCMP_ARCH_X32)
			g[j].x32 = true;
		else if (tok == SCMP_ARCH_X86_64)
			g[j].native64 = true;
	}
	return n;
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
	struct ctx c = { .a = ST_UNKNOWN };
	struct plan *plans = NULL;
	size_t n_plans = 0;
	struct group groups[SF_MAX_ARCHES];
	size_t n_groups;
	int *glabel = NULL;
	int r;

	r = check_spec(spec, d);
	if (r < 0)
		return r;

	/* The constants first: ex_alloc falls back to c.f when out of memory. */
	c.f = node_new(&c, 0);
	if (!c.f) {
		ctx_free(&c);
		return diag_set(d, NULL, 0, -ENOMEM, ENOMEM, "cannot compile the seccomp filter");
	}
	c.f->kind = EX_FALSE;
	c.t = ex_alloc(&c, EX_TRUE, 0);

	/* Not zeroed: plan_syscall() sets every field of the plans counted in
	 * n_plans. */
	plans = malloc((spec->n_syscalls + 1) * sizeof(*plans));
	if (!plans) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < spec->n_syscalls; i++) {
		r = plan_syscall(&c, spec, &spec->syscalls[i], &plans[i]);
		n_plans++;
		if (r < 0)
			goto out;
	}

	/* Arch check: every ABI not asked for is killed. */
	n_groups = make_groups(spec, groups);
	glabel = calloc(n_groups + 1, sizeof(*glabel));
	if (!glabel) {
		r = -ENOMEM;
		goto out;
	}
	emit_load(&c, ST_ARCH);
	for (size_t i = 0; i < n_groups; i++) {
		int next = label_new(&c);

		glabel[i] = label_new(&c);
		emit_jump(&c, BPF_JMP | BPF_JEQ | BPF_K, groups[i].audit, glabel[i], next);
		label_place(&c, next);
	}
	emit(&c, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	for (size_t i = 0; i < n_groups; i++) {
		label_place(&c, glabel[i]);
		r = emit_group(&c, spec, &groups[i], plans, d);
		if (r < 0)
			goto out;
	}
	if (c.oom) {
		r = -ENOMEM;
		goto out;
	}
	r = layout(&c, ret, d);
out:
	if (r == -ENOMEM)
		r = diag_set(d, NULL, 0, -ENOMEM, ENOMEM, "cannot compile the seccomp filter");
	for (size_t i = 0; i < n_plans; i++)
		if (plans[i].items)	/* most syscalls have none */
			free(plans[i].items);
	free(plans);
	free(glabel);
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
		} else if (is_ja(x->code)) {
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
