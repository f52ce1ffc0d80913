/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kcache.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>

bool kcache_const_outcome(const struct sf_filter *f, uint32_t arch, uint32_t nr, uint32_t *ret)
{
	uint32_t a = 0;

	for (size_t pc = 0; pc < f->n; pc++) {
		const struct sock_filter *i = &f->insns[pc];
		bool taken;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (i->k == offsetof(struct seccomp_data, arch))
				a = arch;
			else
				return false;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			continue;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
			taken = a == i->k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			taken = a >= i->k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			taken = a > i->k;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			taken = (a & i->k) != 0;
			break;
		case BPF_RET | BPF_K:
			*ret = i->k;
			return true;
		default:
			return false;
		}
		pc += taken ? i->jt : i->jf;
	}
	return false;	/* ran off the end: the kernel warns and does not cache */
}
