/* --export=pfc: a readable dump in the style of libseccomp's "pseudo filter
 * code". sysfence does not build its filter with libseccomp's rule API
 * (docs/filter.md), so this text is read back from the compiled BPF program
 * itself: what it shows is what the kernel runs.
 *
 * The program has two parts (docs/filter.md "Program layout"): a dispatch
 * on arch and nr, and per-syscall blocks that test argument words. The
 * dispatch is walked with an interval of syscall numbers, which yields the
 * outcome of every number; the blocks, small DAGs of word tests ending in
 * RETs, are printed as nested ifs. Where both branches of a test carry on,
 * they meet again at the test's immediate post-dominator, which is printed
 * after an if/else. */
#include "export.h"
#include "cleanup.h"
#include "array.h"
#include "filter.h"
#include "membuf.h"
#include "names.h"
#include "policy.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More lines than this means a block's DAG unfolds badly as a tree. */
#define PFC_MAX_LINES 1000000

/* A run of syscall numbers with one outcome: a RET, or a block at pc. */
struct pspan {
	uint32_t lo, hi;
	bool block;
	uint32_t ret;
	size_t pc;
};

struct pfc {
	const struct sock_filter *p;
	size_t n;
	FILE *out;
	size_t lines;
	bool bad;		/* a construct filter_build never emits */

	struct pspan *spans;
	size_t n_spans, cap_spans;

	/* Blocks: the operand each test compares, and post-dominators. */
	char **opnd;		/* per pc of a test: "$a1.lo32" or "($a1.lo32 & 0x000000ff)" */
	size_t *ipdom;		/* per pc: immediate post-dominator, or n (exit) */
};

enum src { SRC_NONE, SRC_ARCH, SRC_NR };

static bool is_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP;
}

static bool is_ret(uint16_t code)
{
	return BPF_CLASS(code) == BPF_RET;
}

static void line(struct pfc *c, unsigned indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(struct pfc *c, unsigned indent, const char *fmt, ...)
{
	va_list ap;

	if (++c->lines > PFC_MAX_LINES) {
		c->bad = true;
		return;
	}
	for (unsigned i = 0; i < indent; i++)
		fputs("  ", c->out);
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);	// NOLINT(clang-analyzer-valist.Uninitialized): va_start is just above
	va_end(ap);
	fputc('\n', c->out);
}

static void action_text(uint32_t ret, char *buf, size_t len)
{
	uint32_t data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		snprintf(buf, len, "KILL_PROCESS");
		return;
	case SECCOMP_RET_KILL_THREAD:
		snprintf(buf, len, "KILL");
		return;
	case SECCOMP_RET_TRAP:
		snprintf(buf, len, "TRAP");
		return;
	case SECCOMP_RET_ERRNO:
		snprintf(buf, len, "ERRNO(%" PRIu32 ")", data);
		return;
	case SECCOMP_RET_LOG:
		snprintf(buf, len, "LOG");
		return;
	case SECCOMP_RET_ALLOW:
		snprintf(buf, len, "ALLOW");
		return;
	default:
		snprintf(buf, len, "0x%08" PRIx32, ret);
		return;
	}
}

static void print_action(struct pfc *c, unsigned indent, uint32_t ret)
{
	char a[32];

	action_text(ret, a, sizeof(a));
	line(c, indent, "action %s;", a);
}

static void span_add(struct pfc *c, uint32_t lo, uint32_t hi, bool block, uint32_t ret, size_t pc)
{
	if (ARRAY_RESERVE(c->spans, c->cap_spans, c->n_spans + 1) < 0) {
		c->bad = true;
		return;
	}
	c->spans[c->n_spans++] = (struct pspan){ lo, hi, block, ret, pc };
}

/* Where a jump at pc goes. */
static size_t jt_of(const struct pfc *c, size_t pc)
{
	const struct sock_filter *i = &c->p[pc];

	return BPF_OP(i->code) == BPF_JA ? pc + 1 + i->k : pc + 1 + i->jt;
}

static size_t jf_of(const struct pfc *c, size_t pc)
{
	return pc + 1 + c->p[pc].jf;
}

/* Follow the dispatch for one arch value and numbers lo..hi, recording the
 * outcome of every number. */
static void walk(struct pfc *c, size_t pc, uint32_t arch, uint32_t lo, uint32_t hi, enum src a, unsigned depth)
{
	if (depth > 64) {
		c->bad = true;
		return;
	}
	while (!c->bad) {
		const struct sock_filter *i;

		if (pc >= c->n) {
			c->bad = true;
			return;
		}
		i = &c->p[pc];
		if (i->code == (BPF_LD | BPF_W | BPF_ABS)) {
			if (i->k == offsetof(struct seccomp_data, nr))
				a = SRC_NR;
			else if (i->k == offsetof(struct seccomp_data, arch))
				a = SRC_ARCH;
			else {	/* an argument: this number's block starts here */
				span_add(c, lo, hi, true, 0, pc);
				return;
			}
			pc++;
			continue;
		}
		if (is_ret(i->code)) {
			span_add(c, lo, hi, false, i->k, 0);
			return;
		}
		if (i->code == (BPF_JMP | BPF_JA)) {
			pc = jt_of(c, pc);
			continue;
		}
		if (!is_jump(i->code) || BPF_SRC(i->code) != BPF_K || a == SRC_NONE) {
			c->bad = true;
			return;
		}
		if (a == SRC_ARCH) {
			bool t;

			switch (BPF_OP(i->code)) {
			case BPF_JEQ:
				t = arch == i->k;
				break;
			case BPF_JGT:
				t = arch > i->k;
				break;
			case BPF_JGE:
				t = arch >= i->k;
				break;
			case BPF_JSET:
				t = (arch & i->k) != 0;
				break;
			default:
				c->bad = true;
				return;
			}
			pc = t ? jt_of(c, pc) : jf_of(c, pc);
			continue;
		}
		/* A holds nr: split lo..hi where the test changes. */
		switch (BPF_OP(i->code)) {
		case BPF_JEQ:
			if (i->k < lo || i->k > hi) {
				pc = jf_of(c, pc);
				continue;
			}
			if (i->k > lo)
				walk(c, jf_of(c, pc), arch, lo, i->k - 1, a, depth + 1);
			walk(c, jt_of(c, pc), arch, i->k, i->k, a, depth + 1);
			if (i->k < hi)
				walk(c, jf_of(c, pc), arch, i->k + 1, hi, a, depth + 1);
			return;
		case BPF_JGT:
		case BPF_JGE: {
			/* First number for which the test holds. */
			uint64_t first = BPF_OP(i->code) == BPF_JGT ? (uint64_t)i->k + 1 : i->k;

			if (first <= lo) {
				pc = jt_of(c, pc);
				continue;
			}
			if (first > hi) {
				pc = jf_of(c, pc);
				continue;
			}
			walk(c, jf_of(c, pc), arch, lo, (uint32_t)first - 1, a, depth + 1);
			walk(c, jt_of(c, pc), arch, (uint32_t)first, hi, a, depth + 1);
			return;
		}
		default:
			c->bad = true;
			return;
		}
	}
}

/* ---- blocks ------------------------------------------------------------- */

/* Describe the operands of every test reachable from pc, following loads
 * and ANDs; mark the reachable tests and RETs in node[]. */
static void scan_block(struct pfc *c, size_t pc, const char *acc, bool *node, bool *seen)
{
	_cleanup_free_ char *mine = acc ? strdup(acc) : NULL;

	while (!c->bad) {
		const struct sock_filter *i;

		if (pc >= c->n) {
			c->bad = true;
			return;
		}
		i = &c->p[pc];
		if (i->code == (BPF_LD | BPF_W | BPF_ABS)) {
			size_t base = offsetof(struct seccomp_data, args);
			char *s = NULL;

			if (i->k < base || i->k >= base + 6 * 8 || i->k % 4) {
				c->bad = true;
				return;
			}
			/* Which half is which depends on the byte order, as in
			 * filter_build.c. */
			{
				unsigned arg = (i->k - (unsigned)base) / 8;
				bool second = (i->k - base) % 8 == 4;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				bool hi = second;
#else
				bool hi = !second;
#endif
				if (asprintf(&s, "$a%u.%s32", arg, hi ? "hi" : "lo") < 0)
					s = NULL;
			}
			if (!s) {
				c->bad = true;
				return;
			}
			free(mine);
			mine = s;
			pc++;
			continue;
		}
		if (i->code == (BPF_ALU | BPF_AND | BPF_K)) {
			char *s = NULL;

			if (!mine || asprintf(&s, "(%s & 0x%08" PRIx32 ")", mine, i->k) < 0) {
				c->bad = true;
				return;
			}
			free(mine);
			mine = s;
			pc++;
			continue;
		}
		if (i->code == (BPF_JMP | BPF_JA)) {
			pc = jt_of(c, pc);
			continue;
		}
		if (is_ret(i->code)) {
			node[pc] = true;
			return;
		}
		if (!is_jump(i->code) || BPF_SRC(i->code) != BPF_K || !mine) {
			c->bad = true;
			return;
		}
		/* The compiler reloads a word wherever paths that hold
		 * different ones meet, so each test has one operand. */
		if (c->opnd[pc]) {
			if (strcmp(c->opnd[pc], mine) != 0)
				c->bad = true;
			return;
		}
		node[pc] = true;
		c->opnd[pc] = strdup(mine);
		if (!c->opnd[pc]) {
			c->bad = true;
			return;
		}
		if (!seen[pc]) {
			seen[pc] = true;
			scan_block(c, jt_of(c, pc), mine, node, seen);
			scan_block(c, jf_of(c, pc), mine, node, seen);
		}
		return;
	}
}

/* The node a jump target leads to, skipping loads, ANDs and JAs. */
static size_t node_at(const struct pfc *c, size_t pc)
{
	while (pc < c->n) {
		uint16_t code = c->p[pc].code;

		if (code == (BPF_JMP | BPF_JA))
			pc = jt_of(c, pc);
		else if (code == (BPF_LD | BPF_W | BPF_ABS) || code == (BPF_ALU | BPF_AND | BPF_K))
			pc++;
		else
			return pc;
	}
	return c->n;
}

/* Immediate post-dominators of the block's nodes. Jumps only go forward,
 * so a node's post-dominators come after it and form a chain; the nearest
 * is the one with the smallest pc. */
static int block_ipdom(struct pfc *c, size_t entry, const bool *node)
{
	size_t end = entry, words;
	_cleanup_free_ uint64_t *pd = NULL;

	for (size_t pc = entry; pc < c->n; pc++)
		if (node[pc])
			end = pc + 1;
	words = (end + 63) / 64;
	pd = calloc((end - entry) * words, sizeof(*pd));
	if (!pd)
		return -ENOMEM;
	for (size_t pc = end; pc-- > entry;) {
		uint64_t *mine = &pd[(pc - entry) * words];

		if (!node[pc])
			continue;
		if (!is_ret(c->p[pc].code)) {
			const uint64_t *a = &pd[(node_at(c, jt_of(c, pc)) - entry) * words];
			const uint64_t *b = &pd[(node_at(c, jf_of(c, pc)) - entry) * words];

			for (size_t w = 0; w < words; w++)
				mine[w] = a[w] & b[w];
		}
		c->ipdom[pc] = c->n;
		for (size_t q = pc + 1; q < end; q++)
			if (mine[q / 64] & (UINT64_C(1) << (q % 64))) {
				c->ipdom[pc] = q;
				break;
			}
		mine[pc / 64] |= UINT64_C(1) << (pc % 64);
	}
	return 0;
}

static void print_test(struct pfc *c, unsigned indent, size_t pc, bool neg)
{
	const struct sock_filter *i = &c->p[pc];
	const char *o = c->opnd[pc];

	switch (BPF_OP(i->code)) {
	case BPF_JEQ:
		line(c, indent, "if (%s %s %" PRIu32 ")", o, neg ? "!=" : "==", i->k);
		return;
	case BPF_JGT:
		line(c, indent, "if (%s %s %" PRIu32 ")", o, neg ? "<=" : ">", i->k);
		return;
	case BPF_JGE:
		line(c, indent, "if (%s %s %" PRIu32 ")", o, neg ? "<" : ">=", i->k);
		return;
	case BPF_JSET:
		if (neg)
			line(c, indent, "if (!(%s & 0x%08" PRIx32 "))", o, i->k);
		else
			line(c, indent, "if (%s & 0x%08" PRIx32 ")", o, i->k);
		return;
	default:
		c->bad = true;
		return;
	}
}

/* Print the code from node pc up to (not including) node stop. */
static void print_block(struct pfc *c, size_t pc, size_t stop, unsigned indent)
{
	while (pc != stop && pc < c->n && !c->bad) {
		size_t t, f, m;

		if (is_ret(c->p[pc].code)) {
			print_action(c, indent, c->p[pc].k);
			return;
		}
		t = node_at(c, jt_of(c, pc));
		f = node_at(c, jf_of(c, pc));
		m = c->ipdom[pc];
		/* A branch that ends at once is an "if" with its action; the
		 * other branch follows at the same level, as in libseccomp's
		 * dumps, instead of nesting ever deeper in "else". */
		if (t < c->n && is_ret(c->p[t].code)) {
			print_test(c, indent, pc, false);
			print_action(c, indent + 1, c->p[t].k);
			pc = f;
			continue;
		}
		if (f < c->n && is_ret(c->p[f].code)) {
			print_test(c, indent, pc, true);
			print_action(c, indent + 1, c->p[f].k);
			pc = t;
			continue;
		}
		if (f == m) {
			print_test(c, indent, pc, false);
			print_block(c, t, m, indent + 1);
		} else if (t == m) {
			print_test(c, indent, pc, true);
			print_block(c, f, m, indent + 1);
		} else {
			print_test(c, indent, pc, false);
			print_block(c, t, m, indent + 1);
			line(c, indent, "else");
			print_block(c, f, m, indent + 1);
		}
		pc = m;
	}
}

static int emit_block(struct pfc *c, size_t entry, unsigned indent)
{
	_cleanup_free_ bool *node = calloc(c->n + 1, sizeof(*node));
	_cleanup_free_ bool *seen = calloc(c->n + 1, sizeof(*seen));
	size_t first;
	int r;

	if (!node || !seen)
		return -ENOMEM;
	for (size_t i = 0; i < c->n; i++) {
		free(c->opnd[i]);
		c->opnd[i] = NULL;
	}
	scan_block(c, entry, NULL, node, seen);
	if (c->bad)
		return -EINVAL;
	r = block_ipdom(c, entry, node);
	if (r < 0)
		return r;
	first = node_at(c, entry);
	print_block(c, first, c->n, indent);
	return c->bad ? -EINVAL : 0;
}

/* ---- the whole program ------------------------------------------------- */

static int span_cmp(const void *pa, const void *pb)
{
	const struct pspan *a = pa, *b = pb;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* The libseccomp token whose numbering nr belongs to, for names. */
static uint32_t numbering(uint32_t audit, uint32_t nr)
{
	if (audit == AUDIT_ARCH_X86_64 && (nr & 0x40000000u))
		return SCMP_ARCH_X32;
	return audit;
}

static int emit_arch(struct pfc *c, uint32_t audit, uint32_t dflt)
{
	const char *an = arch_name(audit);

	c->n_spans = 0;
	walk(c, 0, audit, 0, UINT32_MAX, SRC_NONE, 0);
	if (c->bad)
		return -EINVAL;
	qsort(c->spans, c->n_spans, sizeof(*c->spans), span_cmp);
	line(c, 0, "# filter for arch %s (%" PRIu32 ")", an ? an : "unknown", audit);
	line(c, 0, "if ($arch == %" PRIu32 ")", audit);
	for (size_t s = 0; s < c->n_spans; s++) {
		const struct pspan *sp = &c->spans[s];

		if (!sp->block && sp->ret == dflt)
			continue;	/* said once, at the end */
		if (sp->hi - sp->lo >= 1024) {
			line(c, 1, "# syscall numbers %" PRIu32 " to %" PRIu32, sp->lo, sp->hi);
			line(c, 1, "if ($syscall >= %" PRIu32 ")", sp->lo);
			line(c, 2, "if ($syscall <= %" PRIu32 ")", sp->hi);
			if (sp->block) {
				int r = emit_block(c, sp->pc, 3);

				if (r < 0)
					return r;
			} else
				print_action(c, 3, sp->ret);
			continue;
		}
		for (uint64_t nr = sp->lo; nr <= sp->hi; nr++) {
			_cleanup_free_ char *name =
			    seccomp_syscall_resolve_num_arch(numbering(audit, (uint32_t)nr), (int)nr);

			if (name)
				line(c, 1, "# filter for syscall \"%s\" (%" PRIu64 ")", name, nr);
			else
				line(c, 1, "# filter for syscall number %" PRIu64, nr);
			line(c, 1, "if ($syscall == %" PRIu64 ")", nr);
			if (sp->block) {
				int r = emit_block(c, sp->pc, 2);

				if (r < 0)
					return r;
			} else
				print_action(c, 2, sp->ret);
		}
	}
	line(c, 1, "# default action");
	print_action(c, 1, dflt);
	return c->bad ? -EINVAL : 0;
}

int export_pfc(const struct sf_policy *pol, const struct sf_filter *f, char **ret, size_t *ret_len,
    struct sf_diag *d)
{
	struct pfc c = { .p = f->insns, .n = f->n };
	uint32_t audits[SF_MAX_ARCHES];
	size_t n_audits = 0;
	_cleanup_membuf_ struct membuf m = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int r = 0;

	c.opnd = calloc(f->n + 1, sizeof(*c.opnd));
	c.ipdom = calloc(f->n + 1, sizeof(*c.ipdom));
	if (membuf_open(&m) == 0)
		c.out = m.f;
	if (!c.opnd || !c.ipdom || !c.out) {
		r = -ENOMEM;
		goto out;
	}

	/* x32 is not an AUDIT_ARCH of its own: its calls arrive as x86-64. */
	for (size_t i = 0; i < pol->filter.n_arches; i++) {
		uint32_t a = pol->filter.arches[i] == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : pol->filter.arches[i];
		bool dup = false;

		for (size_t k = 0; k < n_audits; k++)
			dup |= audits[k] == a;
		if (!dup)
			audits[n_audits++] = a;
	}

	line(&c, 0, "#");
	line(&c, 0, "# pseudo filter code start");
	line(&c, 0, "#");
	line(&c, 0, "# Written by sysfence, not by libseccomp: sysfence compiles its seccomp");
	line(&c, 0, "# filter itself (see docs/filter.md), and this text is read back from");
	line(&c, 0, "# the compiled BPF program (%zu instructions) in the style of", f->n);
	line(&c, 0, "# libseccomp's pseudo filter code. A test that falls through its nested");
	line(&c, 0, "# ifs continues with the next line at the outer level.");
	line(&c, 0, "#");
	for (size_t i = 0; i < n_audits && r == 0; i++)
		r = emit_arch(&c, audits[i], action_to_ret(pol->filter.default_action));
	if (r == 0) {
		/* Any other arch value: the dispatch must end in one RET. */
		c.n_spans = 0;
		walk(&c, 0, 0, 0, UINT32_MAX, SRC_NONE, 0);
		if (c.bad || c.n_spans != 1 || c.spans[0].block)
			r = -EINVAL;
		else {
			line(&c, 0, "# invalid architecture action");
			print_action(&c, 0, c.spans[0].ret);
			line(&c, 0, "#");
			line(&c, 0, "# pseudo filter code end");
			line(&c, 0, "#");
		}
	}
	if (r == 0 && c.bad)
		r = -EINVAL;
out:
	for (size_t i = 0; c.opnd && i < f->n; i++)
		free(c.opnd[i]);
	free(c.opnd);
	free(c.ipdom);
	free(c.spans);
	if (r == 0 && c.lines > PFC_MAX_LINES)
		r = -E2BIG;
	if (r == 0 && !(buf = membuf_take(&m, &len)))
		r = -ENOMEM;
	if (r < 0) {
		if (r == -E2BIG || c.lines > PFC_MAX_LINES)
			return diag_msg(d, -E2BIG, "the filter is too large to print as pfc (over %d lines)",
			    PFC_MAX_LINES);
		if (r == -ENOMEM)
			return diag_fail(d, r, "cannot export the filter as pfc");
		return diag_msg(d, r, "cannot read the compiled filter back as pfc");
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}
