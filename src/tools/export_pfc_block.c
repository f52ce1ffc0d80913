/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export=pfc: the per-syscall blocks, small DAGs of argument word tests
 * ending in RETs, printed as nested ifs (see export_pfc.c). Where both
 * branches of a test carry on, they meet again at the test's immediate
 * post-dominator, which is printed after an if/else. */
#include "cleanup.h"
#include "export_pfc_int.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Describe the operands of every test reachable from pc, following loads
 * and ANDs; mark the reachable tests and RETs in node[].
 * Long: one case per instruction a block has, sharing the operand text. */
static void scan_block(struct pfc *c, size_t pc, const char *acc, bool *node, bool *seen)
{
	_cleanup_free_ char *mine = acc ? strdup(acc) : NULL;

	while (!c->bad) {
		const struct sock_filter *i = pfc_insn(c, pc);

		if (!i)
			return;
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
			pc = pfc_jt(c, pc);
			continue;
		}
		if (pfc_is_ret(i->code)) {
			node[pc] = true;
			return;
		}
		if (!pfc_is_jump(i->code) || BPF_SRC(i->code) != BPF_K || !mine) {
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
			scan_block(c, pfc_jt(c, pc), mine, node, seen);
			scan_block(c, pfc_jf(c, pc), mine, node, seen);
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
			pc = pfc_jt(c, pc);
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
	if (end == entry)
		return 0; /* no node: nothing post-dominates anything */
	words = (end + 63) / 64;
	pd = calloc((end - entry) * words, sizeof(*pd));
	if (!pd)
		return -ENOMEM;
	for (size_t pc = end; pc-- > entry;) {
		uint64_t *mine = &pd[(pc - entry) * words];

		if (!node[pc])
			continue;
		if (!pfc_is_ret(c->p[pc].code)) {
			const uint64_t *a = &pd[(node_at(c, pfc_jt(c, pc)) - entry) * words];
			const uint64_t *b = &pd[(node_at(c, pfc_jf(c, pc)) - entry) * words];

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
		pfc_line(c, indent, "if (%s %s %" PRIu32 ")", o, neg ? "!=" : "==", i->k);
		return;
	case BPF_JGT:
		pfc_line(c, indent, "if (%s %s %" PRIu32 ")", o, neg ? "<=" : ">", i->k);
		return;
	case BPF_JGE:
		pfc_line(c, indent, "if (%s %s %" PRIu32 ")", o, neg ? "<" : ">=", i->k);
		return;
	case BPF_JSET:
		if (neg)
			pfc_line(c, indent, "if (!(%s & 0x%08" PRIx32 "))", o, i->k);
		else
			pfc_line(c, indent, "if (%s & 0x%08" PRIx32 ")", o, i->k);
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

		if (pfc_is_ret(c->p[pc].code)) {
			pfc_print_action(c, indent, c->p[pc].k);
			return;
		}
		t = node_at(c, pfc_jt(c, pc));
		f = node_at(c, pfc_jf(c, pc));
		m = c->ipdom[pc];
		/* A branch that ends at once is an "if" with its action; the
		 * other branch follows at the same level, as in libseccomp's
		 * dumps, instead of nesting ever deeper in "else". */
		if (t < c->n && pfc_is_ret(c->p[t].code)) {
			print_test(c, indent, pc, false);
			pfc_print_action(c, indent + 1, c->p[t].k);
			pc = f;
			continue;
		}
		if (f < c->n && pfc_is_ret(c->p[f].code)) {
			print_test(c, indent, pc, true);
			pfc_print_action(c, indent + 1, c->p[f].k);
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
			pfc_line(c, indent, "else");
			print_block(c, f, m, indent + 1);
		}
		pc = m;
	}
}

int pfc_emit_block(struct pfc *c, size_t entry, unsigned indent)
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
