/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include "array.h"
#include "cleanup.h"
#include "export.h"
#include "export_pfc_int.h"
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

enum src { SRC_NONE, SRC_ARCH, SRC_NR };

bool pfc_is_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP;
}

bool pfc_is_ret(uint16_t code)
{
	return BPF_CLASS(code) == BPF_RET;
}

void pfc_line(struct pfc *c, unsigned indent, const char *fmt, ...)
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

void pfc_print_action(struct pfc *c, unsigned indent, uint32_t ret)
{
	char a[32];

	action_text(ret, a, sizeof(a));
	pfc_line(c, indent, "action %s;", a);
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
const struct sock_filter *pfc_insn(struct pfc *c, size_t pc)
{
	if (pc >= c->n) {
		c->bad = true;
		return NULL;
	}
	return &c->p[pc];
}

size_t pfc_jt(const struct pfc *c, size_t pc)
{
	const struct sock_filter *i = &c->p[pc];

	return BPF_OP(i->code) == BPF_JA ? pc + 1 + i->k : pc + 1 + i->jt;
}

size_t pfc_jf(const struct pfc *c, size_t pc)
{
	return pc + 1 + c->p[pc].jf;
}

/* Follow the dispatch for one arch value and numbers lo..hi, recording the
 * outcome of every number.
 * Long: one case per instruction the dispatch has, over one interval. */
static void walk(struct pfc *c, size_t pc, uint32_t arch, uint32_t lo, uint32_t hi, enum src a, unsigned depth)
{
	if (depth > 64) {
		c->bad = true;
		return;
	}
	while (!c->bad) {
		const struct sock_filter *i = pfc_insn(c, pc);

		if (!i)
			return;
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
		if (pfc_is_ret(i->code)) {
			span_add(c, lo, hi, false, i->k, 0);
			return;
		}
		if (i->code == (BPF_JMP | BPF_JA)) {
			pc = pfc_jt(c, pc);
			continue;
		}
		if (!pfc_is_jump(i->code) || BPF_SRC(i->code) != BPF_K || a == SRC_NONE) {
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
			pc = t ? pfc_jt(c, pc) : pfc_jf(c, pc);
			continue;
		}
		/* A holds nr: split lo..hi where the test changes. */
		switch (BPF_OP(i->code)) {
		case BPF_JEQ:
			if (i->k < lo || i->k > hi) {
				pc = pfc_jf(c, pc);
				continue;
			}
			if (i->k > lo)
				walk(c, pfc_jf(c, pc), arch, lo, i->k - 1, a, depth + 1);
			walk(c, pfc_jt(c, pc), arch, i->k, i->k, a, depth + 1);
			if (i->k < hi)
				walk(c, pfc_jf(c, pc), arch, i->k + 1, hi, a, depth + 1);
			return;
		case BPF_JGT:
		case BPF_JGE: {
			/* First number for which the test holds. */
			uint64_t first = BPF_OP(i->code) == BPF_JGT ? (uint64_t)i->k + 1 : i->k;

			if (first <= lo) {
				pc = pfc_jt(c, pc);
				continue;
			}
			if (first > hi) {
				pc = pfc_jf(c, pc);
				continue;
			}
			walk(c, pfc_jf(c, pc), arch, lo, (uint32_t)first - 1, a, depth + 1);
			walk(c, pfc_jt(c, pc), arch, (uint32_t)first, hi, a, depth + 1);
			return;
		}
		default:
			c->bad = true;
			return;
		}
	}
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
	pfc_line(c, 0, "# filter for arch %s (%" PRIu32 ")", an ? an : "unknown", audit);
	pfc_line(c, 0, "if ($arch == %" PRIu32 ")", audit);
	for (size_t s = 0; s < c->n_spans; s++) {
		const struct pspan *sp = &c->spans[s];

		if (!sp->block && sp->ret == dflt)
			continue;	/* said once, at the end */
		if (sp->hi - sp->lo >= 1024) {
			pfc_line(c, 1, "# syscall numbers %" PRIu32 " to %" PRIu32, sp->lo, sp->hi);
			pfc_line(c, 1, "if ($syscall >= %" PRIu32 ")", sp->lo);
			pfc_line(c, 2, "if ($syscall <= %" PRIu32 ")", sp->hi);
			if (sp->block) {
				int r = pfc_emit_block(c, sp->pc, 3);

				if (r < 0)
					return r;
			} else
				pfc_print_action(c, 3, sp->ret);
			continue;
		}
		for (uint64_t nr = sp->lo; nr <= sp->hi; nr++) {
			_cleanup_free_ char *name =
			    seccomp_syscall_resolve_num_arch(numbering(audit, (uint32_t)nr), (int)nr);

			if (name)
				pfc_line(c, 1, "# filter for syscall \"%s\" (%" PRIu64 ")", name, nr);
			else
				pfc_line(c, 1, "# filter for syscall number %" PRIu64, nr);
			pfc_line(c, 1, "if ($syscall == %" PRIu64 ")", nr);
			if (sp->block) {
				int r = pfc_emit_block(c, sp->pc, 2);

				if (r < 0)
					return r;
			} else
				pfc_print_action(c, 2, sp->ret);
		}
	}
	pfc_line(c, 1, "# default action");
	pfc_print_action(c, 1, dflt);
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

	pfc_line(&c, 0, "#");
	pfc_line(&c, 0, "# pseudo filter code start");
	pfc_line(&c, 0, "#");
	pfc_line(&c, 0, "# Written by sysfence, not by libseccomp: sysfence compiles its seccomp");
	pfc_line(&c, 0, "# filter itself (see docs/filter.md), and this text is read back from");
	pfc_line(&c, 0, "# the compiled BPF program (%zu instructions) in the style of", f->n);
	pfc_line(&c, 0, "# libseccomp's pseudo filter code. A test that falls through its nested");
	pfc_line(&c, 0, "# ifs continues with the next line at the outer level.");
	pfc_line(&c, 0, "#");
	for (size_t i = 0; i < n_audits && r == 0; i++)
		r = emit_arch(&c, audits[i], action_to_ret(pol->filter.default_action));
	if (r == 0) {
		/* Any other arch value: the dispatch must end in one RET. */
		c.n_spans = 0;
		walk(&c, 0, 0, 0, UINT32_MAX, SRC_NONE, 0);
		if (c.bad || c.n_spans != 1 || c.spans[0].block)
			r = -EINVAL;
		else {
			pfc_line(&c, 0, "# invalid architecture action");
			pfc_print_action(&c, 0, c.spans[0].ret);
			pfc_line(&c, 0, "#");
			pfc_line(&c, 0, "# pseudo filter code end");
			pfc_line(&c, 0, "#");
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
			return diag_msg(
			    d, -E2BIG, "the filter is too large to print as pfc (over %d lines)", PFC_MAX_LINES);
		if (r == -ENOMEM)
			return diag_fail(d, r, "cannot export the filter as pfc");
		return diag_msg(d, r, "cannot read the compiled filter back as pfc");
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}
