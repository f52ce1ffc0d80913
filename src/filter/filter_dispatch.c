/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The program's dispatch: the arch check, then for each ABI a binary search
 * on the syscall number leading to a RET or to a syscall's block. */
#include "filter_int.h"

/* The section of the program for one ABI, i.e. one AUDIT_ARCH value (the
 * arch check jumps to it). On x86-64 it covers the native and the x32
 * numbering. */
struct abi_section {
	uint32_t audit;
	uint32_t tokens[SF_MAX_ARCHES];
	size_t n_tokens;
	bool is_x86_64;
	bool native64, x32; /* is_x86_64: which numberings are allowed */
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
			continue; /* every number has this byte */
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
		return filter_ret_label(c, rets, s->ret);
	if (block_label[s->sys] < 0)
		block_label[s->sys] = filter_label_new(c);
	return block_label[s->sys];
}

/* Binary search over spans [a, b) with A = nr: JGE on the first number of
 * the middle span. Leaves are the spans' targets, so a run of numbers with
 * one outcome costs one leaf. */
static void emit_tree(struct ctx *c, const struct span *sp, size_t a, size_t b, struct retmap *rets, int *block_label)
{
	size_t m = a + (b - a) / 2;
	int left, right;

	left = m - a == 1 ? span_target(c, &sp[a], rets, block_label) : filter_label_new(c);
	right = b - m == 1 ? span_target(c, &sp[m], rets, block_label) : filter_label_new(c);
	filter_emit_jump(c, BPF_JMP | BPF_JGE | BPF_K, sp[m].lo, right, left);
	if (m - a > 1) {
		filter_label_place(c, left);
		emit_tree(c, sp, a, m, rets, block_label);
	}
	if (b - m > 1) {
		filter_label_place(c, right);
		emit_tree(c, sp, m, b, rets, block_label);
	}
}

static int section_spans(const struct sf_filter_spec *spec, const struct abi_section *sec, const struct plan *plans,
    struct span **ret, size_t *ret_n, struct sf_diag *d)
{
	size_t cap = spec->n_syscalls * sec->n_tokens + 2, n = 0, out = 0;
	struct span *sp = malloc(cap * sizeof(*sp)); /* filled before it is read */
	struct span *res = NULL;
	uint32_t dflt = action_to_ret(spec->default_action);
	uint64_t next = 0;

	if (!sp)
		return -ENOMEM;
	if (sec->is_x86_64 && !sec->x32) /* -1 is left to the default: it is no ABI */
		sp[n++] = (struct span){ X32_SYSCALL_BIT, UINT32_MAX - 1, false, SECCOMP_RET_KILL_PROCESS, 0 };
	if (sec->is_x86_64 && !sec->native64)
		sp[n++] = (struct span){ 0, X32_SYSCALL_BIT - 1, false, SECCOMP_RET_KILL_PROCESS, 0 };
	for (size_t t = 0; t < sec->n_tokens; t++) {
		/* The policy resolved every name on the native ABI already. */
		bool native = sec->tokens[t] == seccomp_arch_native();

		for (size_t i = 0; i < spec->n_syscalls; i++) {
			const struct sf_syscall_rules *s = &spec->syscalls[i];
			int nr = native && s->has_native_nr
			    ? s->native_nr
			    : seccomp_syscall_resolve_name_arch(sec->tokens[t], s->name);
			const struct plan *p = &plans[i];

			if (nr < 0) /* not a syscall of this ABI */
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
			int r = diag_msg(d, -EINVAL, "syscall \"%s\" has the number %u of another syscall",
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

	filter_emit_load(c, ST_NR);
	/* The spans cover every number from 0 to UINT32_MAX: never none. */
	if (n == 0) {
		free(block_label);
		free(sp);
		return diag_msg(d, -EINVAL, "the filter's syscall table came out empty");
	}
	if (n == 1)
		filter_emit_ja(c, span_target(c, &sp[0], &rets, block_label));
	else
		emit_tree(c, sp, 0, n, &rets, block_label);
	filter_retmap_emit(c, &rets);
	for (size_t i = 0; i < spec->n_syscalls; i++)
		if (block_label[i] >= 0) {
			filter_label_place(c, block_label[i]);
			filter_emit_block(c, &plans[i]);
		}
	free(block_label);
	free(sp);
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

int filter_emit_dispatch(struct ctx *c, const struct sf_filter_spec *spec, const struct plan *plans, struct sf_diag *d)
{
	struct abi_section sections[SF_MAX_ARCHES];
	size_t n_sections = make_sections(spec, sections);
	int section_label[SF_MAX_ARCHES];
	int r;

	/* Arch check: every ABI not asked for is killed. */
	filter_emit_load(c, ST_ARCH);
	for (size_t i = 0; i < n_sections; i++) {
		int next = filter_label_new(c);

		section_label[i] = filter_label_new(c);
		filter_emit_jump(c, BPF_JMP | BPF_JEQ | BPF_K, sections[i].audit, section_label[i], next);
		filter_label_place(c, next);
	}
	filter_emit(c, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	for (size_t i = 0; i < n_sections; i++) {
		filter_label_place(c, section_label[i]);
		r = emit_section(c, spec, &sections[i], plans, d);
		if (r < 0)
			return r;
	}
	return 0;
}
