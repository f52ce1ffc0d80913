/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reference evaluator of sysfence.profile(5) "Meaning": see refmodel.h. */
#include "refmodel.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>

/* x32 calls arrive as AUDIT_ARCH_X86_64 with this bit set in nr. */
#define X32_BIT 0x40000000u

/* A constant below 2^32 compares with the low half zero-extended, a
 * negative int (sign-extended 32-bit constant) with it sign-extended, and a
 * constant that needs 64 bits only with the full value: it cannot be meant
 * for a 32-bit argument. */
uint64_t ref_read_as(const struct sf_cmp *c, uint64_t x, bool low)
{
	uint64_t k = c->op == SF_CMP_ANY_BITS ? 0 : c->value;
	uint64_t m = c->op >= SF_CMP_MASKED_EQ ? c->mask : 0;
	bool k_wide = k > UINT32_MAX && k < 0xffffffff80000000ULL;
	bool m_wide = m > UINT32_MAX && m < 0xffffffff80000000ULL;

	if (!low || k_wide || m_wide)
		return x;
	if (k <= UINT32_MAX && m <= UINT32_MAX)
		return (uint32_t)x;
	return (uint64_t)(int64_t)(int32_t)(uint32_t)x;
}

bool ref_cmp(const struct sf_cmp *c, uint64_t raw, bool low)
{
	uint64_t x = ref_read_as(c, raw, low);

	switch (c->op) {
	case SF_CMP_EQ:
		return x == c->value;
	case SF_CMP_NE:
		return x != c->value;
	case SF_CMP_LT:
		return x < c->value;
	case SF_CMP_LE:
		return x <= c->value;
	case SF_CMP_GT:
		return x > c->value;
	case SF_CMP_GE:
		return x >= c->value;
	case SF_CMP_MASKED_EQ:
		return (x & c->mask) == c->value;
	case SF_CMP_ANY_BITS:
		return (x & c->mask) != 0;
	}
	abort();
}

bool ref_cond(const struct sf_cond *cond, const uint64_t args[6], unsigned low)
{
	for (size_t t = 0; t < cond->n; t++) {
		bool all = true;

		for (size_t i = 0; i < cond->terms[t].n && all; i++) {
			const struct sf_cmp *c = &cond->terms[t].cmps[i];

			all = ref_cmp(c, args[c->arg], low & (1u << c->arg));
		}
		if (all)
			return true;
	}
	return false;
}

static bool has_arch(const struct sf_filter_spec *s, uint32_t tok)
{
	for (size_t i = 0; i < s->n_arches; i++)
		if (s->arches[i] == tok)
			return true;
	return false;
}

struct sf_action ref_meaning(const struct sf_filter_spec *s, uint32_t arch, uint32_t nr, const uint64_t args[6],
    unsigned low)
{
	const struct sf_action kill = { SF_ACT_KILL_PROCESS, 0 };
	uint32_t tok = arch;

	/* Which ABI made the call: on x86-64, numbers from the x32 bit up
	 * are x32 calls (nothing valid lives above the x32 range). nr -1 is
	 * "no system call" on any ABI (the kernel skips it); it gets the
	 * default action. */
	if (arch == SCMP_ARCH_X86_64 && nr != UINT32_MAX && nr >= X32_BIT)
		tok = SCMP_ARCH_X32;
	if (!has_arch(s, tok))
		return nr == UINT32_MAX && arch == SCMP_ARCH_X86_64 && has_arch(s, SCMP_ARCH_X32) ?
		    s->default_action : kill;
	if (nr == UINT32_MAX)
		return s->default_action;

	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct sf_syscall_rules *r = &s->syscalls[i];
		const struct sf_rule *best = NULL;
		int n = seccomp_syscall_resolve_name_arch(tok, r->name);

		if (n < 0 || (uint32_t)n != nr)
			continue;
		/* Every conditional rule written, whether the compiler's
		 * policy kept it in effect or not. */
		for (size_t j = 0; j < r->n_cond + r->n_dropped; j++) {
			const struct sf_rule *c = &r->cond_rules[j];

			/* Layers: an unconditional rule from a later layer drops
			 * the earlier layers' less restrictive conditional rules. */
			if (r->has_uncond && r->uncond.layer > c->layer && c->action.kind < r->uncond.action.kind)
				continue;
			if (ref_cond(c->cond, args, low) && (!best || action_cmp(c->action, best->action) >= 0))
				best = c;
		}
		if (best)
			return best->action;
		return r->has_uncond ? r->uncond.action : s->default_action;
	}
	return s->default_action;
}

enum sf_action_kind ref_kind_of_ret(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return SF_ACT_KILL_PROCESS;
	case SECCOMP_RET_KILL_THREAD:
		return SF_ACT_KILL_THREAD;
	case SECCOMP_RET_TRAP:
		return SF_ACT_TRAP;
	case SECCOMP_RET_ERRNO:
		return SF_ACT_ERRNO;
	case SECCOMP_RET_LOG:
		return SF_ACT_LOG;
	default:
		return SF_ACT_ALLOW;
	}
}
