/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "export_oci_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "x != a && x != b ..." with small values is said as the values between
 * them when that takes at most this many rules. */
#define CUBE_ENUMERATE 64
/* The most pairs one intersection tries, so that a profile of many "||"
 * terms fails quickly instead of taking minutes. */
#define CUBE_PAIRS_MAX (1u << 16)

static bool holds(const struct atom *a, uint64_t x)
{
	switch (a->op) {
	case CUBE_MEQ:
		return (x & a->mask) == a->value;
	case CUBE_NE:
		return x != a->value;
	case CUBE_LT:
		return x < a->value;
	case CUBE_LE:
		return x <= a->value;
	case CUBE_GT:
		return x > a->value;
	case CUBE_GE:
		return x >= a->value;
	}
	return false;
}

static void drop_at(struct cube *c, unsigned arg, size_t i)
{
	memmove(&c->a[arg][i], &c->a[arg][i + 1], (c->n[arg] - i - 1) * sizeof(c->a[arg][0]));
	c->n[arg]--;
}

/* Drop the "!=" atoms a implies (their value fails a). */
static void drop_implied_ne(struct cube *c, unsigned arg, const struct atom *a)
{
	for (size_t i = c->n[arg]; i-- > 0;)
		if (c->a[arg][i].op == CUBE_NE && !holds(a, c->a[arg][i].value))
			drop_at(c, arg, i);
}

static int append(struct cube *c, unsigned arg, struct atom a)
{
	if (c->n[arg] >= CUBE_MAX_ATOMS)
		return -E2BIG;
	c->a[arg][c->n[arg]++] = a;
	return 1;
}

static int add_meq(struct cube *c, unsigned arg, struct atom a)
{
	for (size_t i = c->n[arg]; i-- > 0;) {
		const struct atom *e = &c->a[arg][i];

		if (e->op != CUBE_MEQ)
			continue;
		if ((e->value ^ a.value) & e->mask & a.mask)
			return 0;
		a.mask |= e->mask;
		a.value |= e->value;
		drop_at(c, arg, i);
	}
	if (a.mask == UINT64_MAX) {
		/* x == value: it either satisfies the rest, or nothing does. */
		for (size_t i = 0; i < c->n[arg]; i++)
			if (!holds(&c->a[arg][i], a.value))
				return 0;
		c->n[arg] = 0;
		return append(c, arg, a);
	}
	drop_implied_ne(c, arg, &a);
	return append(c, arg, a);
}

/* Ranges are kept as x >= lo and x < hi. */
static int add_range(struct cube *c, unsigned arg, struct atom a)
{
	uint64_t lo = 0, hi = 0;
	bool has_hi = false;

	for (size_t i = 0; i < c->n[arg]; i++) {
		const struct atom *e = &c->a[arg][i];

		if (e->op == CUBE_MEQ && e->mask == UINT64_MAX)
			return holds(&a, e->value) ? 1 : 0;
	}
	for (size_t i = c->n[arg]; i-- > 0;) {
		const struct atom *e = &c->a[arg][i];

		if (e->op == CUBE_GE) {
			lo = e->value;
			drop_at(c, arg, i);
		} else if (e->op == CUBE_LT) {
			hi = e->value;
			has_hi = true;
			drop_at(c, arg, i);
		}
	}
	if (a.op == CUBE_GE && a.value > lo)
		lo = a.value;
	if (a.op == CUBE_LT && (!has_hi || a.value < hi)) {
		hi = a.value;
		has_hi = true;
	}
	if (has_hi && lo >= hi)
		return 0;
	if (has_hi && hi - lo == 1)
		return add_meq(c, arg, (struct atom){ CUBE_MEQ, UINT64_MAX, lo });
	if (lo) {
		struct atom r = { CUBE_GE, 0, lo };
		int k = append(c, arg, r);

		if (k < 0)
			return k;
		drop_implied_ne(c, arg, &r);
	}
	if (has_hi) {
		struct atom r = { CUBE_LT, 0, hi };
		int k = append(c, arg, r);

		if (k < 0)
			return k;
		drop_implied_ne(c, arg, &r);
	}
	return 1;
}

int cube_add(struct cube *c, unsigned arg, struct atom a)
{
	/* One form per meaning: > and <= become >= and <. */
	if (a.op == CUBE_GT) {
		if (a.value == UINT64_MAX)
			return 0;
		a = (struct atom){ CUBE_GE, 0, a.value + 1 };
	} else if (a.op == CUBE_LE) {
		if (a.value == UINT64_MAX)
			return 1;
		a = (struct atom){ CUBE_LT, 0, a.value + 1 };
	}
	if (a.op == CUBE_GE && a.value == 0)
		return 1;
	if (a.op == CUBE_LT && a.value == 0)
		return 0;
	if (a.op == CUBE_MEQ && (a.value & ~a.mask))
		return 0;
	if (a.op == CUBE_MEQ && a.mask == 0)
		return 1;
	if (a.op == CUBE_MEQ)
		return add_meq(c, arg, a);
	if (a.op == CUBE_GE || a.op == CUBE_LT)
		return add_range(c, arg, a);
	/* x != v */
	for (size_t i = 0; i < c->n[arg]; i++)
		if (!holds(&c->a[arg][i], a.value) || (c->a[arg][i].op == CUBE_NE && c->a[arg][i].value == a.value))
			return 1; /* implied */
	for (size_t i = 0; i < c->n[arg]; i++)
		if (c->a[arg][i].op == CUBE_MEQ && c->a[arg][i].mask == UINT64_MAX)
			return 0; /* x == v and x != v */
	return append(c, arg, a);
}

int cube_set_push(struct cube_set *s, const struct cube *c)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct cube *p;

		if (s->n >= CUBE_SET_MAX)
			return -E2BIG;
		p = realloc(s->c, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		s->c = p;
		s->cap = cap;
	}
	s->c[s->n++] = *c;
	return 0;
}

int cube_set_all(struct cube_set *s)
{
	static const struct cube all;

	s->n = 0;
	return cube_set_push(s, &all);
}

void cube_set_clear(struct cube_set *s)
{
	free(s->c);
	*s = (struct cube_set){ 0 };
}

int cube_set_append(struct cube_set *a, const struct cube_set *b)
{
	for (size_t i = 0; i < b->n; i++) {
		int r = cube_set_push(a, &b->c[i]);

		if (r < 0)
			return r;
	}
	return 0;
}

/* *ret = x & y. Returns 1, 0 (empty) or a negative errno. */
static int cube_and(const struct cube *x, const struct cube *y, struct cube *ret)
{
	*ret = *x;
	for (unsigned arg = 0; arg < CUBE_ARGS; arg++)
		for (size_t i = 0; i < y->n[arg]; i++) {
			int r = cube_add(ret, arg, y->a[arg][i]);

			if (r <= 0)
				return r;
		}
	return 1;
}

int cube_set_and(const struct cube_set *a, const struct cube_set *b, struct cube_set *ret)
{
	struct cube c;

	ret->n = 0;
	if (a->n && b->n > CUBE_PAIRS_MAX / a->n)
		return -E2BIG;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			int r = cube_and(&a->c[i], &b->c[j], &c);

			if (r < 0)
				return r;
			if (r > 0 && (r = cube_set_push(ret, &c)) < 0)
				return r;
		}
	return 0;
}

/* not a, as disjoint atoms. A masked "==" is split over its bits, highest
 * first: "the bits above agree, this one differs". */
static size_t atom_not(const struct atom *a, struct atom out[64])
{
	uint64_t prefix = 0;
	size_t n = 0;

	switch (a->op) {
	case CUBE_MEQ:
		if (a->mask == UINT64_MAX) {
			out[0] = (struct atom){ CUBE_NE, 0, a->value };
			return 1;
		}
		for (int b = 63; b >= 0; b--) {
			uint64_t bit = UINT64_C(1) << b;

			if (!(a->mask & bit))
				continue;
			out[n++] = (struct atom){ CUBE_MEQ, prefix | bit, (a->value & prefix) | (~a->value & bit) };
			prefix |= bit;
		}
		return n;
	case CUBE_NE:
		out[0] = (struct atom){ CUBE_MEQ, UINT64_MAX, a->value };
		return 1;
	case CUBE_LT:
		out[0] = (struct atom){ CUBE_GE, 0, a->value };
		return 1;
	case CUBE_LE:
		out[0] = (struct atom){ CUBE_GT, 0, a->value };
		return 1;
	case CUBE_GT:
		out[0] = (struct atom){ CUBE_LE, 0, a->value };
		return 1;
	case CUBE_GE:
		out[0] = (struct atom){ CUBE_LT, 0, a->value };
		return 1;
	}
	return 0;
}

/* not c, as disjoint cubes: for its atoms a1..ak, "a1..aj-1 hold and aj
 * does not", for each j. */
static int cube_not(const struct cube *c, struct cube_set *ret)
{
	struct cube prefix = { 0 };

	ret->n = 0;
	for (unsigned arg = 0; arg < CUBE_ARGS; arg++)
		for (size_t i = 0; i < c->n[arg]; i++) {
			struct atom alt[64];
			size_t n = atom_not(&c->a[arg][i], alt);
			int r;

			for (size_t k = 0; k < n; k++) {
				struct cube x = prefix;

				r = cube_add(&x, arg, alt[k]);
				if (r < 0)
					return r;
				if (r > 0 && (r = cube_set_push(ret, &x)) < 0)
					return r;
			}
			r = cube_add(&prefix, arg, c->a[arg][i]);
			if (r < 0)
				return r;
			if (r == 0)
				return 0;
		}
	return 0;
}

int cube_set_not(const struct cube_set *a, struct cube_set *ret)
{
	struct cube_set acc = { 0 }, n = { 0 }, t = { 0 };
	int r = cube_set_all(&acc);

	for (size_t i = 0; r == 0 && i < a->n && acc.n; i++) {
		r = cube_not(&a->c[i], &n);
		if (r == 0)
			r = cube_set_and(&acc, &n, &t);
		if (r == 0) {
			struct cube_set swap = acc;

			acc = t;
			t = swap;
		}
	}
	cube_set_clear(&n);
	cube_set_clear(&t);
	if (r < 0) {
		cube_set_clear(&acc);
		return r;
	}
	cube_set_clear(ret);
	*ret = acc;
	return 0;
}

/* The values of "x != each of ne" (and base, a masked "==" bm, bv) as
 * masked "==" atoms: a split over the bits of within, highest first,
 * that stops where no excluded value is left. Where all of within is
 * fixed to an excluded value, nothing is emitted: the caller covers any
 * value that differs outside within. */
static int split(uint64_t bm, uint64_t bv, uint64_t within, const uint64_t *ne, size_t n_ne, struct atom *out,
    size_t *n_out, size_t max)
{
	bool any = false;
	uint64_t bit;

	for (size_t i = 0; i < n_ne && !any; i++)
		any = (ne[i] & bm) == bv;
	if (!any) {
		if (*n_out >= max)
			return -ERANGE;
		out[(*n_out)++] = (struct atom){ CUBE_MEQ, bm, bv };
		return 0;
	}
	if ((bm & within) == within)
		return 0; /* an excluded value, as far as within goes */
	bit = UINT64_C(1) << 63;
	while ((bm & bit) || !(within & bit))
		bit >>= 1;
	if (split(bm | bit, bv, within, ne, n_ne, out, n_out, max) < 0)
		return -ERANGE;
	return split(bm | bit, bv | bit, within, ne, n_ne, out, n_out, max);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One atom per alternative for the atoms of one argument. */
static int alternatives(const struct atom *as, size_t n, struct atom *out, size_t *n_out, size_t max)
{
	uint64_t ne[CUBE_MAX_ATOMS] = { 0 };
	const struct atom *meq = NULL;
	size_t n_ne = 0, n_range = 0;
	uint64_t lo = 0, hi = 0;

	*n_out = 0;
	for (size_t i = 0; i < n; i++) {
		if (as[i].op == CUBE_NE)
			ne[n_ne++] = as[i].value;
		else if (as[i].op == CUBE_MEQ)
			meq = &as[i];
		else {
			n_range++;
			if (as[i].op == CUBE_GE)
				lo = as[i].value;
			else
				hi = as[i].value;
		}
	}
	if (n_range == 2 && n_range == n) {
		/* lo <= x < hi: the values one by one. */
		if (hi - lo > max)
			return -ERANGE;
		for (uint64_t v = lo; v < hi; v++)
			out[(*n_out)++] = (struct atom){ CUBE_MEQ, UINT64_MAX, v };
		return 0;
	}
	if (n_range || n_ne == 0)
		return -ERANGE;
	qsort(ne, n_ne, sizeof(ne[0]), cmp_u64);
	if (!meq && ne[n_ne - 1] < CUBE_ENUMERATE && ne[n_ne - 1] + 2 - n_ne <= CUBE_ENUMERATE &&
	    CUBE_ENUMERATE <= max) {
		/* Small values: the ones between them, and the rest above. */
		uint64_t top = ne[n_ne - 1];

		for (uint64_t v = 0, k = 0; v < top; v++) {
			if (k < n_ne && ne[k] == v) {
				k++;
				continue;
			}
			out[(*n_out)++] = (struct atom){ CUBE_MEQ, UINT64_MAX, v };
		}
		out[(*n_out)++] = (struct atom){ CUBE_GT, 0, top };
		return 0;
	}
	if (!meq) {
		/* Above the smallest 2^k - 1 that holds every value: one
		 * range; and the split over the low k bits, which may also
		 * match values above (those are in the region too). The masks
		 * stay below 2^k, which tools that read JSON numbers as
		 * doubles (jq) keep exact. */
		uint64_t m = ne[n_ne - 1];

		m |= m >> 1, m |= m >> 2, m |= m >> 4, m |= m >> 8, m |= m >> 16, m |= m >> 32;
		if (m != UINT64_MAX)
			out[(*n_out)++] = (struct atom){ CUBE_GT, 0, m };
		return split(0, 0, m, ne, n_ne, out, n_out, max);
	}
	return split(meq->mask, meq->value, UINT64_MAX, ne, n_ne, out, n_out, max);
}

int cube_flatten(const struct cube *c, struct cube_set *out, size_t max, unsigned *bad_arg)
{
	struct atom *alt;
	size_t n_alt;
	int r = 0;

	for (unsigned arg = 0; arg < CUBE_ARGS; arg++) {
		if (c->n[arg] <= 1)
			continue;
		alt = calloc(max + 1, sizeof(*alt));
		if (!alt)
			return -ENOMEM;
		r = alternatives(c->a[arg], c->n[arg], alt, &n_alt, max);
		for (size_t k = 0; r == 0 && k < n_alt; k++) {
			struct cube x = *c;

			x.n[arg] = 1;
			x.a[arg][0] = alt[k];
			r = cube_flatten(&x, out, max, bad_arg);
		}
		free(alt);
		if (r == -ERANGE && *bad_arg == CUBE_ARGS)
			*bad_arg = arg;
		return r;
	}
	if (out->n >= max) {
		*bad_arg = CUBE_ARGS;
		return -ERANGE;
	}
	return cube_set_push(out, c);
}
