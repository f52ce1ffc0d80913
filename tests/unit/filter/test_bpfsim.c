/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bpfsim: hand-written programs, valid and invalid, against the kernel's
 * rules for seccomp classic BPF. */
#include "bpfsim.h"
#include "tap.h"

#include <errno.h>
#include <linux/audit.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static struct seccomp_data data_of(int nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64 };

	d.args[0] = a0;
	d.args[1] = a1;
	return d;
}

static void test_bpfsim_returns_constant(void)
{
	struct sock_filter p[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct seccomp_data d = data_of(1, 0, 0);
	size_t steps = 99;

	CHECK_INT(bpfsim_run(p, LEN(p), &d, &steps), SECCOMP_RET_ALLOW);
	CHECK_INT(steps, 1);
}

static void test_bpfsim_arch_and_nr_dispatch(void)
{
	struct sock_filter p[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 100, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 13),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 4, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};
	static const struct {
		uint32_t arch;
		int nr;
		uint32_t want;
		size_t steps;
	} rows[] = {
		{ AUDIT_ARCH_X86_64, 0, SECCOMP_RET_ALLOW, 6 },
		{ AUDIT_ARCH_X86_64, 4, SECCOMP_RET_ALLOW, 6 },
		{ AUDIT_ARCH_X86_64, 5, SECCOMP_RET_TRAP, 6 },
		{ AUDIT_ARCH_X86_64, 100, SECCOMP_RET_ERRNO | 13, 5 },
		{ AUDIT_ARCH_X86_64, -1, SECCOMP_RET_ERRNO | 13, 5 },
		{ AUDIT_ARCH_I386, 0, SECCOMP_RET_KILL_PROCESS, 3 },
	};

	for (size_t i = 0; i < LEN(rows); i++) {
		struct seccomp_data d = data_of(rows[i].nr, 0, 0);
		size_t steps = 0;

		d.arch = rows[i].arch;
		CHECK_INT(bpfsim_run(p, LEN(p), &d, &steps), rows[i].want);
		CHECK_INT(steps, rows[i].steps);
	}
}

static void test_bpfsim_reads_argument_halves(void)
{
	/* low word at args[0], high word 4 bytes later on little-endian */
	struct sock_filter p[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]) + 4),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct seccomp_data d = data_of(0, 0x0000000500000007ULL, 0);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	CHECK_INT(bpfsim_run(p, LEN(p), &d, NULL), 12);
#endif
}

static void test_bpfsim_alu_jset_and_scratch(void)
{
	struct sock_filter p[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_STMT(BPF_ST, 3),
		BPF_STMT(BPF_LD | BPF_IMM, 0xf0),
		BPF_STMT(BPF_LDX | BPF_MEM, 3),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_X, 0),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4),
		BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 1),
		BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 2),
		BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 3),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1),
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 0x10),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 1),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x8, 0, 1),
		BPF_STMT(BPF_RET | BPF_A, 0),
		BPF_STMT(BPF_ALU | BPF_NEG, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	/* args[1] low = 0x35: 0x30 >> 4 = 3, << 1 = 6, - 2 = 4, * 3 = 12,
	 * | 1 = 13, ^ 0x10 = 29 = 0x1d: bit 3 set, so A is returned. */
	struct seccomp_data d = data_of(0, 0, 0x35);

	CHECK_INT(bpfsim_run(p, LEN(p), &d, NULL), 29);
	/* 0x15: 1 -> 2 -> 0 -> 0 -> 1 -> 0x11: bit 3 clear, negated. */
	d.args[1] = 0x15;
	CHECK_INT(bpfsim_run(p, LEN(p), &d, NULL), (uint32_t)-0x11);
}

static void test_bpfsim_division_by_zero_x_returns_zero(void)
{
	struct sock_filter p[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 7),
		BPF_STMT(BPF_LDX | BPF_IMM, 0),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct seccomp_data d = data_of(0, 0, 0);
	size_t steps = 0;

	CHECK_INT(bpfsim_run(p, LEN(p), &d, &steps), SECCOMP_RET_KILL_THREAD);
	CHECK_INT(steps, 3);
}

static void test_bpfsim_len_loads_data_size(void)
{
	struct sock_filter p[] = {
		BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_A, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct seccomp_data d = data_of(0, 0, 0);

	CHECK_INT(bpfsim_run(p, LEN(p), &d, NULL), sizeof(struct seccomp_data));
}

/* What the kernel says about a program: 0 if seccomp(2) loads it, else the
 * errno. Tried in a child, which exits right after (its exit_group goes
 * through the program, which may kill it: proof enough it was loaded). */
static int kernel_verdict(const struct sock_filter *p, size_t n)
{
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = (struct sock_filter *)p };
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(255);
		_exit(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ? errno & 0xff : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGSYS ? 0 : -1;
	return WEXITSTATUS(status);
}

/* Each program is one the kernel refuses (bpf_check_classic() and
 * seccomp_check_filter()). */
static void test_bpfsim_rejects_invalid_programs(void)
{
	static const struct {
		const char *what;
		struct sock_filter p[4];
		size_t n;
	} bad[] = {
		{ "empty", { { 0 } }, 0 },
		{ "no final RET", { BPF_STMT(BPF_LD | BPF_IMM, 1) }, 1 },
		{ "unaligned load", { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "load past seccomp_data", { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "byte load", { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "indirect load", { BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "modulo", { BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "division by constant zero", { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "shift by 32", { BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "jump past the end", { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "JA past the end", { BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "scratch cell out of range", { BPF_STMT(BPF_ST, 16), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "scratch read before write", { BPF_STMT(BPF_LD | BPF_MEM, 0), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
		{ "scratch written on one path only",
		    { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), BPF_STMT(BPF_ST, 2),
			BPF_STMT(BPF_LDX | BPF_MEM, 2), BPF_STMT(BPF_RET | BPF_A, 0) }, 4 },
		{ "RET X", { BPF_STMT(BPF_RET | BPF_X, 0) }, 1 },
		{ "unknown opcode", { BPF_STMT(0xffff, 0), BPF_STMT(BPF_RET | BPF_A, 0) }, 2 },
	};
	struct seccomp_data d = data_of(0, 0, 0);
	bool kernel = !tap_skip_kernel("the kernel's verdict on the invalid programs");

	for (size_t i = 0; i < LEN(bad); i++) {
		size_t steps = 1;

		tap_check(bpfsim_run(bad[i].p, bad[i].n, &d, &steps) == SECCOMP_RET_KILL_PROCESS &&
		    steps == 0, bad[i].what, __FILE__, __LINE__);
		/* and the kernel agrees */
		if (kernel)
			tap_check(kernel_verdict(bad[i].p, bad[i].n) == EINVAL, bad[i].what, __FILE__, __LINE__);
	}
	CHECK_INT(bpfsim_run(NULL, 1, &d, NULL), SECCOMP_RET_KILL_PROCESS);
}

static void test_bpfsim_accepts_scratch_written_on_every_path(void)
{
	struct sock_filter p[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 5),
		BPF_STMT(BPF_ST, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_ST, 2),
		BPF_STMT(BPF_LDX | BPF_MEM, 2),
		BPF_STMT(BPF_MISC | BPF_TXA, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct seccomp_data d = data_of(0, 0, 0);
	size_t steps = 0;

	CHECK_INT(bpfsim_run(p, LEN(p), &d, &steps), 5);
	CHECK_INT(steps, 6);
}

/* The valid programs above load in the kernel too. */
static void test_bpfsim_valid_programs_load_in_kernel(void)
{
	struct sock_filter p[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[5]) + 4),
		BPF_STMT(BPF_ST, 15),
		BPF_STMT(BPF_LDX | BPF_MEM, 15),
		BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
		BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 31),
		BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		BPF_STMT(BPF_RET | BPF_A, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	if (tap_skip_kernel("loading a valid program"))
		return;
	CHECK_INT(kernel_verdict(p, LEN(p)), 0);
}

static void test_bpfsim_rejects_too_long_programs(void)
{
	static struct sock_filter p[BPF_MAXINSNS + 1];
	struct seccomp_data d = data_of(0, 0, 0);

	for (size_t i = 0; i < LEN(p); i++)
		p[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	CHECK_INT(bpfsim_run(p, BPF_MAXINSNS, &d, NULL), SECCOMP_RET_ALLOW);
	CHECK_INT(bpfsim_run(p, BPF_MAXINSNS + 1, &d, NULL), SECCOMP_RET_KILL_PROCESS);
}

int main(void)
{
	RUN(test_bpfsim_returns_constant);
	RUN(test_bpfsim_arch_and_nr_dispatch);
	RUN(test_bpfsim_reads_argument_halves);
	RUN(test_bpfsim_alu_jset_and_scratch);
	RUN(test_bpfsim_division_by_zero_x_returns_zero);
	RUN(test_bpfsim_len_loads_data_size);
	RUN(test_bpfsim_rejects_invalid_programs);
	RUN(test_bpfsim_accepts_scratch_written_on_every_path);
	RUN(test_bpfsim_rejects_too_long_programs);
	RUN(test_bpfsim_valid_programs_load_in_kernel);
	return tap_done();
}
