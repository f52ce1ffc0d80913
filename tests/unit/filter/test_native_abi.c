/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The build's own architecture, whichever it is (x86-64, or arm64 in the
 * cross build run under qemu-user, .ci/run's arm64 stage): the constants
 * come from the target's headers, and the shipped default profile compiles
 * to a program, run here in bpfsim, whose arch check is the target's, which
 * kills the other ABI of the CPU (i386 and x32 on x86-64, AArch32 on arm64)
 * and keeps x86-64's x32 rule out of every other program. Pure: the
 * program is never loaded. */
#include "bpfsim.h"
#include "constants.h"
#include "filter.h"
#include "shipped.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The compiler's target, as the kernel names it in seccomp_data.arch, and
 * the compat ABI the same CPU runs. */
#if defined(__x86_64__)
#define TARGET_AUDIT_ARCH AUDIT_ARCH_X86_64
#define COMPAT_ARCH SCMP_ARCH_X86
#define OTHER_ARCH SCMP_ARCH_AARCH64
/* O_DIRECTORY and O_NOFOLLOW from arch-independent asm-generic/fcntl.h */
#define TARGET_O_DIRECTORY 00200000
#define TARGET_O_NOFOLLOW 00400000
#elif defined(__aarch64__)
#define TARGET_AUDIT_ARCH AUDIT_ARCH_AARCH64
#define COMPAT_ARCH SCMP_ARCH_ARM
#define OTHER_ARCH SCMP_ARCH_X86_64
/* arm64's own values (arch/arm64/include/uapi/asm/fcntl.h) */
#define TARGET_O_DIRECTORY 040000
#define TARGET_O_NOFOLLOW 0100000
#endif

#define X32_BIT 0x40000000u

#ifdef TARGET_AUDIT_ARCH
static uint32_t verdict(const struct sf_filter *f, uint32_t arch, int nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { .nr = nr, .arch = arch, .args = { a0, a1 } };

	return bpfsim_run(f->insns, f->n, &d, NULL);
}

static int nr_of(uint32_t arch, const char *name)
{
	return seccomp_syscall_resolve_name_arch(arch, name);
}

/* libseccomp was built for the same target, and the constants table was
 * generated from the target's headers, not the build machine's: the two
 * O_* flags below differ between x86-64 and arm64. */
static void test_native_abi_is_the_compilers_target(void)
{
	uint64_t v = 0;

	CHECK_INT(seccomp_arch_native(), TARGET_AUDIT_ARCH);
	CHECK(constant_lookup("O_DIRECTORY", &v));
	CHECK_INT(v, TARGET_O_DIRECTORY);
	CHECK(constant_lookup("O_NOFOLLOW", &v));
	CHECK_INT(v, TARGET_O_NOFOLLOW);
}

/* default's "architectures = native": the native ABI only. */
static void test_default_allows_the_native_abi_only(void)
{
	struct compiled c;
	const uint32_t native = seccomp_arch_native();
	int read_nr = nr_of(native, "read");
	size_t killed = 0, numbers = 0;

	if (!compile_shipped(TEST_SOURCE_DIR "/profiles", "default", &c)) {
		CHECK(!"the default profile compiles");
		compiled_free(&c);
		return;
	}
	CHECK_INT(c.pol->filter.n_arches, 1);
	CHECK_INT(c.pol->filter.arches[0], native);
	/* The first instructions: load the arch, compare with the target's. */
	CHECK(c.f->n > 2);
	CHECK_INT(c.f->insns[0].code, BPF_LD | BPF_W | BPF_ABS);
	CHECK_INT(c.f->insns[0].k, offsetof(struct seccomp_data, arch));
	CHECK_INT(c.f->insns[1].code, BPF_JMP | BPF_JEQ | BPF_K);
	CHECK_INT(c.f->insns[1].k, TARGET_AUDIT_ARCH);

	/* An ordinary read is allowed, whatever its arguments. */
	CHECK(read_nr >= 0);
	CHECK_INT(verdict(c.f, native, read_nr, 0, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(c.f, native, read_nr, UINT64_MAX, 0x7fff00001000), SECCOMP_RET_ALLOW);

	/* The compat ABI: read, socket and every other number are killed. */
	CHECK_INT(verdict(c.f, COMPAT_ARCH, nr_of(COMPAT_ARCH, "read"), 0, 0), SECCOMP_RET_KILL_PROCESS);
	CHECK_INT(
	    verdict(c.f, COMPAT_ARCH, nr_of(COMPAT_ARCH, "socket"), AF_UNIX, SOCK_STREAM), SECCOMP_RET_KILL_PROCESS);
	for (int nr = 0; nr < 1024; nr++) {
		numbers++;
		killed += verdict(c.f, COMPAT_ARCH, nr, 0, 0) == SECCOMP_RET_KILL_PROCESS;
	}
	CHECK_INT(killed, numbers);
	/* and so is the other architecture sysfence is built for */
	CHECK_INT(verdict(c.f, OTHER_ARCH, nr_of(OTHER_ARCH, "read"), 0, 0), SECCOMP_RET_KILL_PROCESS);
	compiled_free(&c);
}

/* The kernel reads socket's family as an int; the refusal holds whether the
 * upper half is read or not (docs/filter.md: the widening rule), so a
 * refused family with junk above bit 31 is still refused. */
static void test_default_refuses_vsock_with_junk_in_the_upper_half(void)
{
	struct compiled c;
	const uint32_t native = seccomp_arch_native();
	int socket_nr = nr_of(native, "socket");

	if (!compile_shipped(TEST_SOURCE_DIR "/profiles", "default", &c)) {
		CHECK(!"the default profile compiles");
		compiled_free(&c);
		return;
	}
	CHECK_INT(verdict(c.f, native, socket_nr, AF_VSOCK, SOCK_STREAM), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict(c.f, native, socket_nr, AF_VSOCK | 1ULL << 32, SOCK_STREAM), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(
	    verdict(c.f, native, socket_nr, AF_VSOCK | 0xffffffff00000000ULL, SOCK_STREAM), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict(c.f, native, socket_nr, AF_UNIX, SOCK_STREAM), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(c.f, native, socket_nr, AF_INET6, SOCK_DGRAM), SECCOMP_RET_ALLOW);
	compiled_free(&c);
}

/* x32 shares AUDIT_ARCH_X86_64 and is told apart by bit 30 of nr: only an
 * x86-64 program kills those numbers. On arm64 a number with that bit is
 * just a number no syscall has, and gets default's ENOSYS like any other. */
static void test_x32_rule_only_on_x86_64(void)
{
	struct compiled c;
	const uint32_t native = seccomp_arch_native();
	int getpid_nr = nr_of(native, "getpid");
	uint32_t x32 = X32_BIT | (uint32_t)getpid_nr;

	if (!compile_shipped(TEST_SOURCE_DIR "/profiles", "default", &c)) {
		CHECK(!"the default profile compiles");
		compiled_free(&c);
		return;
	}
	if (native == SCMP_ARCH_X86_64)
		CHECK_INT(verdict(c.f, native, (int)x32, 0, 0), SECCOMP_RET_KILL_PROCESS);
	else
		CHECK_INT(verdict(c.f, native, (int)x32, 0, 0), SECCOMP_RET_ERRNO | ENOSYS);
	/* A number above every table: default's ENOSYS on both. */
	CHECK_INT(verdict(c.f, native, 0x3ffffff0, 0, 0), SECCOMP_RET_ERRNO | ENOSYS);
	for (size_t i = 0; native != SCMP_ARCH_X86_64 && i < c.f->n; i++)
		if (BPF_CLASS(c.f->insns[i].code) == BPF_JMP && BPF_OP(c.f->insns[i].code) == BPF_JGE &&
		    c.f->insns[i].k == X32_BIT)
			CHECK(!"an arm64 program has the x32 range check");
	compiled_free(&c);
}

/* Every shipped profile compiles for the target, with the target's arch
 * check first: names of other ABIs in a profile (open on arm64) are
 * accepted and left out of the program. (sysfence --check also asks the
 * kernel about Landlock, which qemu-user does not offer.) */
static void test_every_shipped_profile_compiles(void)
{
	DIR *dir = opendir(TEST_SOURCE_DIR "/profiles");
	struct dirent *e;
	size_t n = 0;

	CHECK(dir != NULL);
	while (dir && (e = readdir(dir))) {
		size_t len = strlen(e->d_name);
		char name[256];
		struct compiled c;
		bool ok;

		if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0 || strcmp(e->d_name, "groups.ini") == 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 4), e->d_name);
		ok = compile_shipped(TEST_SOURCE_DIR "/profiles", name, &c);
		tap_check(ok, name, __FILE__, __LINE__);
		if (ok)
			tap_check(c.f->n > 1 && c.f->insns[1].k == TARGET_AUDIT_ARCH, name, __FILE__, __LINE__);
		compiled_free(&c);
		n++;
	}
	if (dir)
		closedir(dir);
	printf("# %zu profiles\n", n);
	CHECK(n >= 18);
}
#endif

int main(void)
{
#ifndef TARGET_AUDIT_ARCH
	printf("1..0 # SKIP sysfence is built and tested on x86-64 and arm64 only\n");
	return 77;
#else
	RUN(test_native_abi_is_the_compilers_target);
	RUN(test_default_allows_the_native_abi_only);
	RUN(test_default_refuses_vsock_with_junk_in_the_upper_half);
	RUN(test_x32_rule_only_on_x86_64);
	RUN(test_every_shipped_profile_compiles);
	return tap_done();
#endif
}
