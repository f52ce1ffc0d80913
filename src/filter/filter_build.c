/* Compile a rule model to a classic BPF seccomp program with the documented
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
#include "filter_int.h"

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
			p->items[n++] = (struct item){ filter_cond_widened(c, r->cond, true), ret };
		} else {
			p->items[n++] = (struct item){ filter_cond_widened(c, r->cond, false), ret };
			p->items[n++] = (struct item){ filter_cond_widened(c, r->cond, true), p->fallback };
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
	c->labels[l].state = state_merge(c->labels[l].state, c->acc);
}

static void label_place(struct ctx *c, int l)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->is_label = true;
	i->label = l;
	c->acc = state_merge(c->labels[l].state, c->acc);
}

static void emit(struct ctx *c, uint16_t code, uint32_t k)
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

static void emit_ja(struct ctx *c, int l)
{
	struct ir *i = ir_push(c);

	if (!i)
		return;
	i->code = BPF_JMP | BPF_JA;
	i->jt = l;
	label_ref(c, l);
	c->acc = ST_DEAD;
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
	c->acc = ST_DEAD;
}

static void emit_load(struct ctx *c, int state)
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

		off = (uint32_t)(offsetof(struct seccomp_data, args) + 8 * arg) +
		    (hi ? HI_OFFSET : LO_OFFSET);
	}
	emit(c, BPF_LD | BPF_W | BPF_ABS, off);
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

/* The section of the program for one ABI, i.e. one AUDIT_ARCH value (the
 * arch check jumps to it). On x86-64 it covers the native and the x32
 * numbering. */
struct abi_section {
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

static int section_spans(const struct sf_filter_spec *spec, const struct abi_section *sec,
    const struct plan *plans, struct span **ret, size_t *ret_n, struct sf_diag *d)
{
	size_t cap = spec->n_syscalls * sec->n_tokens + 2, n = 0, out = 0;
	struct span *sp = malloc(cap * sizeof(*sp));	/* filled before it is read */
	struct span *res = NULL;
	uint32_t dflt = action_to_ret(spec->default_action);
	uint64_t next = 0;

	if (!sp)
		return -ENOMEM;
	if (sec->is_x86_64 && !sec->x32)	/* -1 is left to the default: it is no ABI */
		sp[n++] = (struct span){ X32_SYSCALL_BIT, UINT32_MAX - 1, false, SECCOMP_RET_KILL_PROCESS, 0 };
	if (sec->is_x86_64 && !sec->native64)
		sp[n++] = (struct span){ 0, X32_SYSCALL_BIT - 1, false, SECCOMP_RET_KILL_PROCESS, 0 };
	for (size_t t = 0; t < sec->n_tokens; t++) {
		/* The policy resolved every name on the native ABI already. */
		bool native = sec->tokens[t] == seccomp_arch_native();

		for (size_t i = 0; i < spec->n_syscalls; i++) {
			const struct sf_syscall_rules *s = &spec->syscalls[i];
			int nr = native && s->has_native_nr ? s->native_nr :
			    seccomp_syscall_resolve_name_arch(sec->tokens[t], s->name);
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

static int emit_section(struct ctx *c, const struct sf_filter_spec *spec, const struct abi_section *sec,
    const struct plan *plans, struct sf_diag *d)
{
	struct span *sp = NULL;
	size_t n = 0;
	struct retmap rets = { 0 };
	int *block_label;
	int r;

	r = section_spans(spec, sec, plans, &sp, &n, d);
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

/* One section per AUDIT_ARCH value the kernel reports, holding the requested
 * arches: x32 shares AUDIT_ARCH_X86_64 with the native x86-64 ABI. */
static size_t make_sections(const struct sf_filter_spec *spec, struct abi_section *sec)
{
	size_t n = 0;

	for (size_t i = 0; i < spec->n_arches; i++) {
		uint32_t tok = spec->arches[i];
		uint32_t audit = tok == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : tok;
		size_t j;

		for (j = 0; j < n && sec[j].audit != audit; j++)
			;
		if (j == n)
			sec[n++] = (struct abi_section){ .audit = audit, .is_x86_64 = audit == SCMP_ARCH_X86_64 };
		bool dup = false;

		for (size_t t = 0; t < sec[j].n_tokens; t++)
			dup = dup || sec[j].tokens[t] == tok;
		if (!dup)
			sec[j].tokens[sec[j].n_tokens++] = tok;
		if (tok == SCMP_ARCH_X32)
			sec[j].x32 = true;
		else if (tok == SCMP_ARCH_X86_64)
			sec[j].native64 = true;
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
	struct ctx c = { .acc = ST_UNKNOWN };
	struct plan *plans = NULL;
	size_t n_plans = 0;
	struct abi_section sections[SF_MAX_ARCHES];
	size_t n_sections;
	int *section_label = NULL;
	int r;

	r = check_spec(spec, d);
	if (r < 0)
		return r;

	/* The constants first: ex_alloc falls back to c.ex_false when out of memory. */
	c.ex_false = filter_node_new(&c, 0);
	if (!c.ex_false) {
		ctx_free(&c);
		return diag_set(d, NULL, 0, -ENOMEM, ENOMEM, "cannot compile the seccomp filter");
	}
	c.ex_false->kind = EX_FALSE;
	c.ex_true = filter_ex_alloc(&c, EX_TRUE, 0);

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
	n_sections = make_sections(spec, sections);
	section_label = calloc(n_sections + 1, sizeof(*section_label));
	if (!section_label) {
		r = -ENOMEM;
		goto out;
	}
	emit_load(&c, ST_ARCH);
	for (size_t i = 0; i < n_sections; i++) {
		int next = label_new(&c);

		section_label[i] = label_new(&c);
		emit_jump(&c, BPF_JMP | BPF_JEQ | BPF_K, sections[i].audit, section_label[i], next);
		label_place(&c, next);
	}
	emit(&c, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	for (size_t i = 0; i < n_sections; i++) {
		label_place(&c, section_label[i]);
		r = emit_section(&c, spec, &sections[i], plans, d);
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
	free(section_label);
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
