/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Layout: resolve labels, thread jumps through jumps, drop jumps to the
 * next instruction, and insert JA trampolines where a conditional jump's
 * 8-bit offset cannot reach. */
#include "filter_int.h"

struct lins {
	uint16_t code;
	uint32_t k;
	size_t jt, jf; /* absolute targets of jumps (JA: jt) */
};

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
		while (p[i].jt < n && filter_is_ja(p[p[i].jt].code))
			p[i].jt = p[p[i].jt].jt;
		if (filter_is_cond_jump(p[i].code))
			while (p[i].jf < n && filter_is_ja(p[p[i].jf].code))
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
		if (filter_is_cond_jump(p[i].code))
			keep[p[i].jf] = true;
		if (filter_is_ja(p[i].code) && p[i].jt == i + 1)
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
			if (!filter_is_cond_jump(p[i].code))
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
			if (filter_is_cond_jump(p[i].code)) {
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
			if (!filter_is_cond_jump(p[i].code))
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

int filter_layout(struct ctx *c, struct sf_filter **ret, struct sf_diag *d)
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
		r = diag_msg(d, -E2BIG, "the filter is too large (%zu instructions; the kernel accepts at most %d)", n,
		    BPF_MAXINSNS);
		goto out;
	}
	if (r < 0)
		goto out;

	f = calloc(1, sizeof(*f));
	if (!f || !(f->insns = calloc(n + 1, sizeof(*f->insns)))) { /* + 1: never calloc(0) */
		free(f);
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct sock_filter *o = &f->insns[i];

		o->code = p[i].code;
		o->k = p[i].k;
		if (filter_is_ja(p[i].code))
			o->k = (uint32_t)(p[i].jt - i - 1);
		else if (filter_is_cond_jump(p[i].code)) {
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
