/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A user-space interpreter of seccomp classic BPF. It accepts exactly the
 * programs the kernel accepts (bpf_check_classic() followed by
 * seccomp_check_filter() in the kernel) and runs them with the kernel's
 * semantics, so that tests and the compiler's self-checks can trust it. */
#include "bpfsim.h"

#include <stdbool.h>
#include <string.h>

static bool is_cond_jump(uint16_t code)
{
	switch (code) {
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

/* The kernel refuses a program that may read a scratch cell no path has
 * written (check_load_and_stores() in net/core/filter.c); the same walk. */
static bool check_memory(const struct sock_filter *p, size_t n)
{
	uint16_t masks[BPF_MAXINSNS];
	uint16_t valid = 0;

	memset(masks, 0xff, n * sizeof(masks[0]));
	for (size_t pc = 0; pc < n; pc++) {
		uint16_t code = p[pc].code;

		valid &= masks[pc];
		if (code == BPF_ST || code == BPF_STX) {
			valid |= (uint16_t)(1u << p[pc].k);
		} else if (code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM)) {
			if (!(valid & (1u << p[pc].k)))
				return false;
		} else if (code == (BPF_JMP | BPF_JA)) {
			masks[pc + 1 + p[pc].k] &= valid;
			valid = 0xffff;
		} else if (is_cond_jump(code)) {
			masks[pc + 1 + p[pc].jt] &= valid;
			masks[pc + 1 + p[pc].jf] &= valid;
			valid = 0xffff;
		}
	}
	return true;
}

static bool check_prog(const struct sock_filter *p, size_t n)
{
	if (!p || n == 0 || n > BPF_MAXINSNS)
		return false;
	for (size_t pc = 0; pc < n; pc++) {
		uint16_t code = p[pc].code;
		uint32_t k = p[pc].k;

		switch (code) {
		case BPF_LD | BPF_W | BPF_ABS:
			/* seccomp: aligned words inside struct seccomp_data */
			if (k >= sizeof(struct seccomp_data) || (k & 3))
				return false;
			break;
		case BPF_LD | BPF_W | BPF_LEN:
		case BPF_LDX | BPF_W | BPF_LEN:
		case BPF_LD | BPF_IMM:
		case BPF_LDX | BPF_IMM:
		case BPF_MISC | BPF_TAX:
		case BPF_MISC | BPF_TXA:
		case BPF_RET | BPF_K:
		case BPF_RET | BPF_A:
		case BPF_ALU | BPF_ADD | BPF_K:
		case BPF_ALU | BPF_ADD | BPF_X:
		case BPF_ALU | BPF_SUB | BPF_K:
		case BPF_ALU | BPF_SUB | BPF_X:
		case BPF_ALU | BPF_MUL | BPF_K:
		case BPF_ALU | BPF_MUL | BPF_X:
		case BPF_ALU | BPF_DIV | BPF_X:
		case BPF_ALU | BPF_AND | BPF_K:
		case BPF_ALU | BPF_AND | BPF_X:
		case BPF_ALU | BPF_OR | BPF_K:
		case BPF_ALU | BPF_OR | BPF_X:
		case BPF_ALU | BPF_XOR | BPF_K:
		case BPF_ALU | BPF_XOR | BPF_X:
		case BPF_ALU | BPF_LSH | BPF_X:
		case BPF_ALU | BPF_RSH | BPF_X:
		case BPF_ALU | BPF_NEG:
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
			if (k == 0)
				return false;
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (k >= 32)
				return false;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return false;
			break;
		case BPF_JMP | BPF_JA:
			if (k >= n - pc - 1)
				return false;
			break;
		default:
			if (!is_cond_jump(code))
				return false;
			if (pc + 1 + p[pc].jt >= n || pc + 1 + p[pc].jf >= n)
				return false;
			break;
		}
	}
	if (BPF_CLASS(p[n - 1].code) != BPF_RET)
		return false;
	return check_memory(p, n);
}

uint32_t bpfsim_run(const struct sock_filter *prog, size_t n, const struct seccomp_data *data,
    size_t *ret_steps)
{
	/* One switch with a case per opcode, as the kernel's interpreter has. */
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	size_t steps = 0;

	if (ret_steps)
		*ret_steps = 0;
	if (!check_prog(prog, n))
		return SECCOMP_RET_KILL_PROCESS;

	/* The checks above guarantee that every jump lands inside the program
	 * and that it ends with RET, so the loop always returns. */
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &prog[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;
		bool taken;

		steps++;
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			/* The kernel reads the word in its own byte order. */
			memcpy(&a, (const char *)data + i->k, sizeof(a));
			continue;
		case BPF_LD | BPF_W | BPF_LEN:
			a = sizeof(struct seccomp_data);
			continue;
		case BPF_LDX | BPF_W | BPF_LEN:
			x = sizeof(struct seccomp_data);
			continue;
		case BPF_LD | BPF_IMM:
			a = i->k;
			continue;
		case BPF_LDX | BPF_IMM:
			x = i->k;
			continue;
		case BPF_LD | BPF_MEM:
			a = mem[i->k];
			continue;
		case BPF_LDX | BPF_MEM:
			x = mem[i->k];
			continue;
		case BPF_ST:
			mem[i->k] = a;
			continue;
		case BPF_STX:
			mem[i->k] = x;
			continue;
		case BPF_MISC | BPF_TAX:
			x = a;
			continue;
		case BPF_MISC | BPF_TXA:
			a = x;
			continue;
		case BPF_ALU | BPF_ADD | BPF_K:
		case BPF_ALU | BPF_ADD | BPF_X:
			a += src;
			continue;
		case BPF_ALU | BPF_SUB | BPF_K:
		case BPF_ALU | BPF_SUB | BPF_X:
			a -= src;
			continue;
		case BPF_ALU | BPF_MUL | BPF_K:
		case BPF_ALU | BPF_MUL | BPF_X:
			a *= src;
			continue;
		case BPF_ALU | BPF_DIV | BPF_K:
		case BPF_ALU | BPF_DIV | BPF_X:
			/* Division by a zero X ends a classic program with 0,
			 * which seccomp reads as SECCOMP_RET_KILL_THREAD. */
			if (src == 0) {
				if (ret_steps)
					*ret_steps = steps;
				return 0;
			}
			a /= src;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
		case BPF_ALU | BPF_AND | BPF_X:
			a &= src;
			continue;
		case BPF_ALU | BPF_OR | BPF_K:
		case BPF_ALU | BPF_OR | BPF_X:
			a |= src;
			continue;
		case BPF_ALU | BPF_XOR | BPF_K:
		case BPF_ALU | BPF_XOR | BPF_X:
			a ^= src;
			continue;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_LSH | BPF_X:
			/* The kernel's interpreter masks the shift count. */
			a <<= src & 31;
			continue;
		case BPF_ALU | BPF_RSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_X:
			a >>= src & 31;
			continue;
		case BPF_ALU | BPF_NEG:
			a = -a;
			continue;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			continue;
		case BPF_RET | BPF_K:
			if (ret_steps)
				*ret_steps = steps;
			return i->k;
		case BPF_RET | BPF_A:
			if (ret_steps)
				*ret_steps = steps;
			return a;
		default:
			break;
		}
		switch (BPF_OP(i->code)) {
		case BPF_JEQ:
			taken = a == src;
			break;
		case BPF_JGT:
			taken = a > src;
			break;
		case BPF_JGE:
			taken = a >= src;
			break;
		default:	/* BPF_JSET: check_prog let nothing else through */
			taken = (a & src) != 0;
			break;
		}
		pc += taken ? i->jt : i->jf;
	}
	return SECCOMP_RET_KILL_PROCESS;	/* not reached: programs end with RET */
}
