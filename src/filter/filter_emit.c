/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Emission into the intermediate list, whose jumps name labels: the
 * accumulator's content is tracked so that a word is not loaded twice. */
#include "array.h"
#include "filter_int.h"

static struct ir *ir_push(struct ctx *c)
{
	if (c->oom || ARRAY_RESERVE(c->ir, c->cap_ir, c->n_ir + 1) < 0) {
		c->oom = true;
		return NULL;
	}
	c->ir[c->n_ir] = (struct ir){ .label = -1, .jt = -1, .jf = -1 };
	return &c->ir[c->n_ir++];
}

int filter_label_new(struct ctx *c)
{
	if (c->oom || ARRAY_RESERVE(c->labels, c->cap_labels, c->n_labels + 1) < 0) {
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
	c->labels[l].state = state_merge(c->labels[l].state, c->acc);
}

void filter_label_place(struct ctx *c, int l)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->is_label = true;
	i->label = l;
	c->acc = state_merge(c->labels[l].state, c->acc);
}

void filter_emit(struct ctx *c, uint16_t code, uint32_t k)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->code = code;
	i->k = k;
	if (BPF_CLASS(code) == BPF_RET)
		c->acc = ST_DEAD;
	else if (BPF_CLASS(code) != BPF_LD)
		c->acc = ST_UNKNOWN;
}

void filter_emit_ja(struct ctx *c, int l)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->code = BPF_JMP | BPF_JA;
	i->jt = l;
	label_ref(c, l);
	c->acc = ST_DEAD;
}

void filter_emit_jump(struct ctx *c, uint16_t code, uint32_t k, int jt, int jf)
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
	c->acc = ST_DEAD;
}

void filter_emit_load(struct ctx *c, int state)
{
	uint32_t off;

	if (c->acc == state)
		return;
	if (state == ST_NR)
		off = offsetof(struct seccomp_data, nr);
	else if (state == ST_ARCH)
		off = offsetof(struct seccomp_data, arch);
	else {
		unsigned arg = (unsigned)(state - ST_WORD0) / 2;
		bool hi = (state - ST_WORD0) % 2;

		off = (uint32_t)(offsetof(struct seccomp_data, args) + 8 * arg) + (hi ? HI_OFFSET : LO_OFFSET);
	}
	filter_emit(c, BPF_LD | BPF_W | BPF_ABS, off);
	c->acc = state;
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
		filter_emit_ja(c, t);
		return;
	case EX_FALSE:
		filter_emit_ja(c, f);
		return;
	case EX_TEST:
		filter_emit_load(c, ST_WORD0 + 2 * (int)e->t.arg + (e->t.hi ? 1 : 0));
		if (e->t.op == W_MASKEQ)
			filter_emit(c, BPF_ALU | BPF_AND | BPF_K, e->t.mask);
		if (e->t.neg) {
			yes = f;
			no = t;
		}
		filter_emit_jump(c, jop[e->t.op], e->t.op == W_SET ? e->t.mask : e->t.k, yes, no);
		return;
	case EX_AND:
	case EX_OR:
		for (size_t i = 0; i + 1 < e->n; i++) {
			int next = filter_label_new(c);

			if (e->kind == EX_AND)
				emit_ex(c, e->kids[i], next, f);
			else
				emit_ex(c, e->kids[i], t, next);
			filter_label_place(c, next);
		}
		emit_ex(c, e->kids[e->n - 1], t, f);
		return;
	}
}

int filter_ret_label(struct ctx *c, struct retmap *m, uint32_t ret)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->ret[i] == ret)
			return m->label[i];
	if (c->oom || ARRAY_RESERVE(m->ret, m->cap_ret, m->n + 1) < 0 ||
	    ARRAY_RESERVE(m->label, m->cap_label, m->n + 1) < 0) {
		c->oom = true;
		return 0;
	}
	m->ret[m->n] = ret;
	m->label[m->n] = filter_label_new(c);
	return m->label[m->n++];
}

/* Place every RET of the map, then release it. */
void filter_retmap_emit(struct ctx *c, struct retmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		filter_label_place(c, m->label[i]);
		filter_emit(c, BPF_RET | BPF_K, m->ret[i]);
	}
	free(m->ret);
	free(m->label);
	*m = (struct retmap){ 0 };
}

void filter_emit_block(struct ctx *c, const struct plan *p)
{
	struct retmap rets = { 0 };
	int fb = filter_ret_label(c, &rets, p->fallback);

	for (size_t i = 0; i < p->n; i++) {
		int next = filter_label_new(c);

		emit_ex(c, p->items[i].e, filter_ret_label(c, &rets, p->items[i].ret), next);
		filter_label_place(c, next);
	}
	filter_emit_ja(c, fb); /* removed in layout: fb's RET comes next */
	filter_retmap_emit(c, &rets);
}
