/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter_build: the meaning in sysfence.profile(5), checked by running the compiled program
 * in bpfsim, by a randomized comparison with a reference evaluator written
 * from the words of sysfence.profile(5), and by loading programs in the kernel. */
#include "bpfsim.h"
#include "filter.h"
#include "kcache.h"
#include "refmodel.h"
#include "rules.h"
#include "tap.h"

#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#ifdef __x86_64__
#define NATIVE_IS_X86_64 true
#else
#define NATIVE_IS_X86_64 false
#endif

#define ALLOW ((struct sf_action){ SF_ACT_ALLOW, 0 })
#define LOG ((struct sf_action){ SF_ACT_LOG, 0 })
#define TRAP ((struct sf_action){ SF_ACT_TRAP, 0 })
#define KILL ((struct sf_action){ SF_ACT_KILL_PROCESS, 0 })
#define KILL_THREAD ((struct sf_action){ SF_ACT_KILL_THREAD, 0 })
#define ERR(e) ((struct sf_action){ SF_ACT_ERRNO, (e) })

#define R_ALLOW SECCOMP_RET_ALLOW
#define R_KILL SECCOMP_RET_KILL_PROCESS
#define R_TRAP SECCOMP_RET_TRAP
#define R_ERR(e) (SECCOMP_RET_ERRNO | (e))

/* In a list of comparisons, this marker separates ||-joined terms. */
#define OR_ { .arg = 99 }
#define EQ(a, v) { .arg = (a), .op = SF_CMP_EQ, .value = (v) }
#define NE(a, v) { .arg = (a), .op = SF_CMP_NE, .value = (v) }
#define LT(a, v) { .arg = (a), .op = SF_CMP_LT, .value = (v) }
#define GE(a, v) { .arg = (a), .op = SF_CMP_GE, .value = (v) }
#define MEQ(a, m, v) { .arg = (a), .op = SF_CMP_MASKED_EQ, .value = (v), .mask = (m) }
#define ANY(a, m) { .arg = (a), .op = SF_CMP_ANY_BITS, .mask = (m) }

/* ---- building specs ---------------------------------------------------- */

static void spec_init(struct sf_filter_spec *s, struct sf_action dflt)
{
	*s = (struct sf_filter_spec){ .default_action = dflt, .n_arches = 1 };
	s->arches[0] = SCMP_ARCH_X86_64;
}

static struct sf_syscall_rules *spec_sys(struct sf_filter_spec *s, const char *name)
{
	for (size_t i = 0; i < s->n_syscalls; i++)
		if (strcmp(s->syscalls[i].name, name) == 0)
			return &s->syscalls[i];
	s->syscalls = realloc(s->syscalls, (s->n_syscalls + 1) * sizeof(*s->syscalls));
	if (!s->syscalls)
		abort();
	s->syscalls[s->n_syscalls] = (struct sf_syscall_rules){ .name = strdup(name) };
	return &s->syscalls[s->n_syscalls++];
}

/* The layer that spec_uncond() and spec_cond() give their rules. */
static uint32_t spec_layer;

static void spec_uncond(struct sf_filter_spec *s, const char *name, struct sf_action a)
{
	struct sf_syscall_rules *r = spec_sys(s, name);

	r->has_uncond = true;
	r->uncond = (struct sf_rule){ .action = a, .layer = spec_layer };
}

static struct sf_cond *cond_of(const struct sf_cmp *c, size_t n)
{
	struct sf_cond *cond = calloc(1, sizeof(*cond));

	cond->terms = calloc(n + 1, sizeof(*cond->terms));
	cond->n = 1;
	for (size_t i = 0; i < n; i++) {
		struct sf_term *t = &cond->terms[cond->n - 1];

		if (c[i].arg == 99) {
			cond->n++;
			continue;
		}
		t->cmps = realloc(t->cmps, (t->n + 1) * sizeof(*t->cmps));
		t->cmps[t->n++] = c[i];
	}
	return cond;
}

static void spec_cond(struct sf_filter_spec *s, const char *name, struct sf_action a,
    const struct sf_cmp *c, size_t n)
{
	struct sf_syscall_rules *r = spec_sys(s, name);

	if (rules_add_cond(r, (struct sf_rule){ .action = a, .cond = cond_of(c, n), .layer = spec_layer }) < 0)
		abort();
}

#define COND(s, name, a, ...)                                                                      \
	do {                                                                                       \
		const struct sf_cmp c_[] = { __VA_ARGS__ };                                        \
		spec_cond((s), (name), (a), c_, LEN(c_));                                          \
	} while (0)

static void spec_free(struct sf_filter_spec *s)
{
	for (size_t i = 0; i < s->n_syscalls; i++) {
		for (size_t j = 0; j < s->syscalls[i].n_cond + s->syscalls[i].n_dropped; j++)
			cond_free(s->syscalls[i].cond_rules[j].cond);
		free(s->syscalls[i].cond_rules);
		free(s->syscalls[i].name);
	}
	free(s->syscalls);
	*s = (struct sf_filter_spec){ 0 };
}

static struct sf_filter *build(const struct sf_filter_spec *s)
{
	struct sf_diag d = { 0 };
	struct sf_filter *f = NULL;
	int r = filter_build(s, &f, &d);

	CHECK_INT(r, 0);
	if (r < 0 && d.n)
		printf("# %s\n", d.msgs[0].text);
	diag_clear(&d);
	return f;
}

/* ---- running programs ---------------------------------------------------- */

static int nr_of(uint32_t arch, const char *name)
{
	return seccomp_syscall_resolve_name_arch(arch, name);
}

static uint32_t run_nr(const struct sf_filter *f, uint32_t arch, int nr, const uint64_t args[6])
{
	struct seccomp_data d = { .nr = nr, .arch = arch };
	struct filter_stats st;
	size_t steps = 0;
	uint32_t r;

	memcpy(d.args, args, sizeof(d.args));
	r = bpfsim_run(f->insns, f->n, &d, &steps);
	filter_stats(f, &st);
	CHECK(steps > 0 && steps <= st.longest_path);
	return r;
}

struct row {
	const char *sys;
	uint64_t a0, a1, a2;
	uint32_t want;
};

static void check_rows(const struct sf_filter *f, const struct row *rows, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		uint64_t args[6] = { rows[i].a0, rows[i].a1, rows[i].a2 };
		uint32_t got = run_nr(f, AUDIT_ARCH_X86_64, nr_of(SCMP_ARCH_X86_64, rows[i].sys), args);

		if (got != rows[i].want)
			printf("# row %zu: %s(%#llx, %#llx, %#llx): got %#x, want %#x\n", i, rows[i].sys,
			    (unsigned long long)rows[i].a0, (unsigned long long)rows[i].a1,
			    (unsigned long long)rows[i].a2, got, rows[i].want);
		CHECK_INT(got, rows[i].want);
	}
}

#define CHECK_ROWS(f, ...)                                                                         \
	do {                                                                                       \
		const struct row r_[] = { __VA_ARGS__ };                                           \
		check_rows((f), r_, LEN(r_));                                                      \
	} while (0)

/* ---- sysfence.profile(5) "Meaning", case by case --------------------------------------- */

static void test_filter_cond_deny_beats_uncond_allow(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	/* allow socket + deny socket if arg0 == AF_NETLINK: libseccomp
	 * would drop the conditional rule and allow every socket. */
	spec_init(&s, ERR(ENOSYS));
	spec_uncond(&s, "socket", ALLOW);
	COND(&s, "socket", ERR(EPERM), EQ(0, AF_NETLINK));
	f = build(&s);
	CHECK_ROWS(f,
	    { "socket", AF_INET, SOCK_STREAM, 0, R_ALLOW },
	    { "socket", AF_UNIX, SOCK_STREAM, 0, R_ALLOW },
	    { "socket", AF_NETLINK, SOCK_RAW, 0, R_ERR(EPERM) },
	    { "getpid", 0, 0, 0, R_ERR(ENOSYS) });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_cond_allow_beats_errno_fallback(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	spec_init(&s, KILL);
	spec_uncond(&s, "socket", ERR(EACCES));
	COND(&s, "socket", ALLOW, EQ(0, AF_UNIX));
	f = build(&s);
	CHECK_ROWS(f,
	    { "socket", AF_UNIX, 0, 0, R_ALLOW },
	    { "socket", AF_INET, 0, 0, R_ERR(EACCES) },
	    { "getpid", 0, 0, 0, R_KILL });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_or_of_comparisons(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	spec_init(&s, ERR(EPERM));
	COND(&s, "socket", ALLOW, EQ(0, AF_UNIX), OR_, EQ(0, AF_INET), OR_, EQ(0, AF_INET6));
	f = build(&s);
	CHECK_ROWS(f,
	    { "socket", AF_UNIX, 0, 0, R_ALLOW },
	    { "socket", AF_INET, 0, 0, R_ALLOW },
	    { "socket", AF_INET6, 0, 0, R_ALLOW },
	    { "socket", AF_NETLINK, 0, 0, R_ERR(EPERM) },
	    { "socket", AF_PACKET, 0, 0, R_ERR(EPERM) });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_and_binds_tighter_than_or(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	/* arg0 == 1 && arg1 == 2 || arg2 == 3 */
	spec_init(&s, ALLOW);
	COND(&s, "ioctl", ERR(EACCES), EQ(0, 1), EQ(1, 2), OR_, EQ(2, 3));
	f = build(&s);
	CHECK_ROWS(f,
	    { "ioctl", 1, 2, 0, R_ERR(EACCES) },
	    { "ioctl", 1, 0, 0, R_ALLOW },
	    { "ioctl", 0, 2, 0, R_ALLOW },
	    { "ioctl", 0, 0, 3, R_ERR(EACCES) },
	    { "ioctl", 1, 2, 3, R_ERR(EACCES) });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_masked_equal(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	spec_init(&s, ALLOW);
	COND(&s, "clone", KILL, MEQ(0, 0x10000000, 0x10000000));	/* CLONE_NEWUSER */
	COND(&s, "ioctl", ERR(EPERM), MEQ(1, 0xff00, 0x5400));
	COND(&s, "openat", ERR(EROFS), MEQ(2, 0x3, 0x1), OR_, MEQ(2, 0x3, 0x2));
	f = build(&s);
	CHECK_ROWS(f,
	    { "clone", 0x10000000 | 17, 0, 0, R_KILL },
	    { "clone", 17, 0, 0, R_ALLOW },
	    { "ioctl", 0, 0x5412, 0, R_ERR(EPERM) },
	    { "ioctl", 0, 0x5512, 0, R_ALLOW },
	    { "openat", 0, 0, 0x0, R_ALLOW },
	    { "openat", 0, 0, 0x1, R_ERR(EROFS) },
	    { "openat", 0, 0, 0x42, R_ERR(EROFS) },
	    { "openat", 0, 0, 0x3, R_ALLOW });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_any_bits(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	spec_init(&s, ALLOW);
	COND(&s, "mprotect", ERR(EACCES), ANY(2, 0x4));	/* PROT_EXEC */
	COND(&s, "mmap", ERR(EACCES), ANY(2, 0x5));
	f = build(&s);
	CHECK_ROWS(f,
	    { "mprotect", 0, 0, 0x7, R_ERR(EACCES) },
	    { "mprotect", 0, 0, 0x3, R_ALLOW },
	    { "mmap", 0, 0, 0x1, R_ERR(EACCES) },
	    { "mmap", 0, 0, 0x2, R_ALLOW });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_most_restrictive_match_wins(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	/* Written least restrictive last, so order alone would be wrong. */
	spec_init(&s, ALLOW);
	COND(&s, "ioctl", KILL, EQ(0, 3), EQ(1, 5));
	COND(&s, "ioctl", TRAP, EQ(1, 5));
	COND(&s, "ioctl", ERR(EACCES), EQ(0, 3));
	COND(&s, "ioctl", LOG, EQ(2, 9));
	spec_uncond(&s, "ioctl", ERR(ENOTTY));
	f = build(&s);
	CHECK_ROWS(f,
	    { "ioctl", 3, 5, 9, R_KILL },
	    { "ioctl", 3, 1, 9, R_ERR(EACCES) },
	    { "ioctl", 1, 5, 9, R_TRAP },
	    { "ioctl", 1, 1, 9, SECCOMP_RET_LOG },
	    { "ioctl", 1, 1, 1, R_ERR(ENOTTY) });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_last_written_wins_within_a_kind(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	spec_init(&s, ALLOW);
	COND(&s, "ioctl", ERR(EACCES), EQ(0, 1));
	COND(&s, "ioctl", ERR(ENOENT), LT(0, 5));
	COND(&s, "openat", ERR(ENOENT), LT(0, 5));
	COND(&s, "openat", ERR(EACCES), EQ(0, 1));
	f = build(&s);
	CHECK_ROWS(f,
	    { "ioctl", 1, 0, 0, R_ERR(ENOENT) },
	    { "ioctl", 2, 0, 0, R_ERR(ENOENT) },
	    { "ioctl", 7, 0, 0, R_ALLOW },
	    { "openat", 1, 0, 0, R_ERR(EACCES) },
	    { "openat", 2, 0, 0, R_ERR(ENOENT) });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_later_uncond_rule_is_the_one_given(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	spec_init(&s, ALLOW);
	spec_uncond(&s, "ptrace", ERR(EPERM));
	spec_uncond(&s, "ptrace", KILL);	/* replaces */
	f = build(&s);
	CHECK_ROWS(f, { "ptrace", 0, 0, 0, R_KILL }, { "getpid", 0, 0, 0, R_ALLOW });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_unnamed_syscalls_get_default(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;
	uint64_t args[6] = { 0 };

	spec_init(&s, ERR(EPERM));
	spec_uncond(&s, "read", ALLOW);
	spec_uncond(&s, "write", ALLOW);
	spec_uncond(&s, "exit_group", ALLOW);
	f = build(&s);
	CHECK_ROWS(f,
	    { "read", 0, 0, 0, R_ALLOW },
	    { "write", 0, 0, 0, R_ALLOW },
	    { "exit_group", 0, 0, 0, R_ALLOW },
	    { "open", 0, 0, 0, R_ERR(EPERM) },
	    { "execve", 0, 0, 0, R_ERR(EPERM) });
	/* numbers no syscall has, and -1 */
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 999, args), R_ERR(EPERM));
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, -1, args), R_ERR(EPERM));
	filter_free(f);
	spec_free(&s);
}

static void test_filter_other_arches_and_x32_are_killed(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;
	uint64_t args[6] = { 0 };

	spec_init(&s, ALLOW);
	spec_uncond(&s, "ptrace", ERR(EPERM));
	f = build(&s);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 39, args), R_ALLOW);
	CHECK_INT(run_nr(f, AUDIT_ARCH_I386, 20, args), R_KILL);
	CHECK_INT(run_nr(f, AUDIT_ARCH_AARCH64, 172, args), R_KILL);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 0x40000000 | 39, args), R_KILL);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, nr_of(SCMP_ARCH_X32, "read"), args), R_KILL);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 0x7fffffff, args), R_KILL);
	filter_free(f);
	spec_free(&s);
}

static void test_filter_extra_arch_uses_its_own_numbers(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;
	uint64_t plain[6] = { 0 }, seven[6] = { 7 };

	spec_init(&s, ERR(EPERM));
	s.arches[s.n_arches++] = SCMP_ARCH_X86;
	spec_uncond(&s, "getppid", ALLOW);
	COND(&s, "getppid", ERR(EACCES), EQ(0, 7));
	spec_uncond(&s, "_llseek", ALLOW);	/* i386 only: skipped on x86-64 */
	f = build(&s);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 110, plain), R_ALLOW);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 110, seven), R_ERR(EACCES));
	CHECK_INT(run_nr(f, AUDIT_ARCH_I386, 64, plain), R_ALLOW);	/* getppid */
	CHECK_INT(run_nr(f, AUDIT_ARCH_I386, 64, seven), R_ERR(EACCES));
	CHECK_INT(run_nr(f, AUDIT_ARCH_I386, 110, plain), R_ERR(EPERM));	/* iopl */
	CHECK_INT(run_nr(f, AUDIT_ARCH_I386, 140, plain), R_ALLOW);	/* _llseek */
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 140, plain), R_ERR(EPERM));
	CHECK_INT(run_nr(f, AUDIT_ARCH_AARCH64, 173, plain), R_KILL);
	filter_free(f);
	spec_free(&s);
}

static void test_filter_x32_when_asked_uses_x32_numbers(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;
	uint64_t plain[6] = { 0 }, seven[6] = { 7 };
	int x32_getppid = nr_of(SCMP_ARCH_X32, "getppid");

	CHECK_INT(x32_getppid, 0x40000000 | 110);
	spec_init(&s, ERR(EPERM));
	s.arches[s.n_arches++] = SCMP_ARCH_X32;
	spec_uncond(&s, "getppid", ALLOW);
	COND(&s, "getppid", ERR(EACCES), EQ(0, 7));
	f = build(&s);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 110, plain), R_ALLOW);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, x32_getppid, plain), R_ALLOW);
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, x32_getppid, seven), R_ERR(EACCES));
	CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, 0x40000000 | 39, plain), R_ERR(EPERM));
	CHECK_INT(run_nr(f, AUDIT_ARCH_I386, 64, plain), R_KILL);
	filter_free(f);
	spec_free(&s);
}

/* ---- sysfence.profile(5) "Argument width" --------------------------------------------- */

static void test_filter_deny_matches_with_junk_in_upper_half(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	spec_init(&s, ERR(EPERM));
	spec_uncond(&s, "socket", ALLOW);
	COND(&s, "socket", ERR(EPERM), EQ(0, AF_VSOCK));
	f = build(&s);
	CHECK_ROWS(f,
	    { "socket", AF_VSOCK, 0, 0, R_ERR(EPERM) },
	    { "socket", AF_VSOCK | 1ULL << 32, 0, 0, R_ERR(EPERM) },
	    { "socket", AF_VSOCK | 0xffffffff00000000ULL, 0, 0, R_ERR(EPERM) },
	    { "socket", AF_INET, 0, 0, R_ALLOW },
	    { "socket", AF_INET | 1ULL << 32, 0, 0, R_ALLOW });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_allow_if_ignores_junk_in_upper_half(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	spec_init(&s, ERR(EPERM));
	COND(&s, "socket", ALLOW, EQ(0, AF_UNIX), OR_, EQ(0, AF_INET));
	/* a negative int: the full and the sign-extended 32-bit reading agree
	 * only when the upper half is the sign extension */
	COND(&s, "ioctl", ALLOW, EQ(1, 0xffffffff80001234ULL));
	f = build(&s);
	CHECK_ROWS(f,
	    { "socket", AF_UNIX, 0, 0, R_ALLOW },
	    { "socket", AF_UNIX | 1ULL << 32, 0, 0, R_ERR(EPERM) },
	    { "socket", AF_UNIX | 0xffffffff00000000ULL, 0, 0, R_ERR(EPERM) },
	    { "socket", AF_INET | 0x8000000000000000ULL, 0, 0, R_ERR(EPERM) },
	    { "ioctl", 0, 0xffffffff80001234ULL, 0, R_ALLOW },
	    { "ioctl", 0, 0x80001234ULL, 0, R_ERR(EPERM) });
	filter_free(f);
	spec_free(&s);
}

static void test_filter_two_less_restrictive_rules_with_junk(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;

	/* Under the zero-extended reading of arg0 the errno rule matches;
	 * under the full one only the allow rule does. Returning allow would
	 * be less restrictive than one reading's meaning: the fallback is. */
	spec_init(&s, KILL);
	COND(&s, "ioctl", ERR(EACCES), EQ(0, 5));
	COND(&s, "ioctl", ALLOW, EQ(1, 0));
	f = build(&s);
	CHECK_ROWS(f,
	    { "ioctl", 5, 0, 0, R_ERR(EACCES) },
	    { "ioctl", 6, 0, 0, R_ALLOW },
	    { "ioctl", 5 | 1ULL << 32, 0, 0, R_KILL },
	    { "ioctl", 6 | 1ULL << 32, 0, 0, R_ALLOW },
	    { "ioctl", 6, 1ULL << 32, 0, R_KILL });
	filter_free(f);
	spec_free(&s);
}

/* ---- errors ------------------------------------------------------------------ */

static void check_build_error(const struct sf_filter_spec *s, int want_r, const char *want_msg)
{
	struct sf_diag d = { 0 };
	struct sf_filter *f = NULL;

	CHECK_INT(filter_build(s, &f, &d), want_r);
	CHECK(f == NULL);
	CHECK_INT(d.n, 1);
	if (d.n)
		CHECK_STR(d.msgs[0].text, want_msg);
	diag_clear(&d);
	filter_free(f);
}

static void test_filter_rejects_bad_errno_and_argument(void)
{
	struct sf_filter_spec s;

	spec_init(&s, ERR(4096));
	check_build_error(&s, -EINVAL, "errno 4096 is out of range (1 to 4095)");
	spec_free(&s);

	spec_init(&s, ALLOW);
	COND(&s, "ioctl", ERR(0), EQ(0, 1));
	check_build_error(&s, -EINVAL, "errno 0 is out of range (1 to 4095)");
	spec_free(&s);

	spec_init(&s, ALLOW);
	COND(&s, "ioctl", ERR(EPERM), EQ(6, 1));
	check_build_error(&s, -EINVAL, "argument 6 does not exist (arg0 to arg5)");
	spec_free(&s);

	spec_init(&s, ALLOW);
	s.arches[0] = 0x1234;
	check_build_error(&s, -EINVAL, "unsupported architecture 0x00001234");
	spec_free(&s);
}

static void test_filter_rejects_too_large_program(void)
{
	struct sf_filter_spec s;
	struct sf_diag d = { 0 };
	struct sf_filter *f = NULL;
	char want[128];
	unsigned n = 0;

	spec_init(&s, ALLOW);
	for (uint64_t v = 0; v < 3000; v++)
		COND(&s, "ioctl", v % 2 ? ERR(EPERM) : ERR(EACCES), EQ(1, v * 7), EQ(2, v));
	CHECK_INT(filter_build(&s, &f, &d), -E2BIG);
	CHECK(f == NULL);
	CHECK_INT(d.n, 1);
	if (d.n) {
		CHECK(sscanf(d.msgs[0].text, "the filter is too large (%u instructions;", &n) == 1);
		CHECK(n > BPF_MAXINSNS);
		snprintf(want, sizeof(want),
		    "the filter is too large (%u instructions; the kernel accepts at most 4096)", n);
		CHECK_STR(d.msgs[0].text, want);
	}
	diag_clear(&d);
	spec_free(&s);
}

/* ---- rules.c ------------------------------------------------------------------ */

static void test_action_parse_and_name(void)
{
	static const struct {
		const char *in;
		int r;
		enum sf_action_kind kind;
		int errnum;
		const char *name;
	} rows[] = {
		{ "allow", 0, SF_ACT_ALLOW, 0, "allow" },
		{ "log", 0, SF_ACT_LOG, 0, "log" },
		{ "trap", 0, SF_ACT_TRAP, 0, "trap" },
		{ "kill", 0, SF_ACT_KILL_PROCESS, 0, "kill" },
		{ "kill-thread", 0, SF_ACT_KILL_THREAD, 0, "kill-thread" },
		{ "deny", 0, SF_ACT_ERRNO, EPERM, "EPERM" },
		{ "EPERM", 0, SF_ACT_ERRNO, EPERM, "EPERM" },
		{ "EACCES", 0, SF_ACT_ERRNO, EACCES, "EACCES" },
		{ "ENOSYS", 0, SF_ACT_ERRNO, ENOSYS, "ENOSYS" },
		{ "EHWPOISON", 0, SF_ACT_ERRNO, EHWPOISON, "EHWPOISON" },
		{ "eperm", -EINVAL, 0, 0, NULL },
		{ "Allow", -EINVAL, 0, 0, NULL },
		{ "ENOTANERRNO", -EINVAL, 0, 0, NULL },
		{ "", -EINVAL, 0, 0, NULL },
	};

	for (size_t i = 0; i < LEN(rows); i++) {
		struct sf_action a = { SF_ACT_KILL_THREAD, 77 };

		CHECK_INT(action_parse(rows[i].in, &a), rows[i].r);
		if (rows[i].r < 0) {
			CHECK(a.kind == SF_ACT_KILL_THREAD && a.errnum == 77);	/* untouched */
			continue;
		}
		CHECK_INT(a.kind, rows[i].kind);
		if (a.kind == SF_ACT_ERRNO)
			CHECK_INT(a.errnum, rows[i].errnum);
		CHECK_STR(action_name(a), rows[i].name);
	}
}

static void test_action_order_and_return_values(void)
{
	const struct sf_action order[] = { ALLOW, LOG, ERR(EPERM), TRAP, KILL_THREAD, KILL };
	const uint32_t rets[] = { SECCOMP_RET_ALLOW, SECCOMP_RET_LOG, SECCOMP_RET_ERRNO | EPERM,
		SECCOMP_RET_TRAP, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_KILL_PROCESS };

	for (size_t i = 0; i < LEN(order); i++) {
		CHECK_INT(action_to_ret(order[i]), rets[i]);
		for (size_t j = 0; j < LEN(order); j++)
			CHECK_INT(action_cmp(order[i], order[j]), i < j ? -1 : i > j ? 1 : 0);
	}
	CHECK_INT(action_cmp(ERR(EPERM), ERR(ENOENT)), 0);
}

static void test_cond_free_takes_null(void)
{
	cond_free(NULL);
}

/* ---- program shape ---------------------------------------------------------- */

/* A realistic allowlist: every x86-64 syscall but a deny list. */
static size_t spec_realistic(struct sf_filter_spec *s)
{
	static const char *const denied[] = { "ptrace", "kexec_load", "kexec_file_load", "mount",
		"umount2", "pivot_root", "swapon", "swapoff", "reboot", "init_module",
		"finit_module", "delete_module", "iopl", "ioperm", "bpf", "perf_event_open",
		"userfaultfd", "open_by_handle_at", "unshare", "setns" };
	size_t n = 0;

	spec_init(s, ERR(EPERM));
	for (int nr = 0; nr < 600; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		bool deny = false;

		if (!name)
			continue;
		for (size_t i = 0; i < LEN(denied); i++)
			deny = deny || strcmp(name, denied[i]) == 0;
		if (!deny) {
			spec_uncond(s, name, ALLOW);
			n++;
		}
		free(name);
	}
	COND(s, "ioctl", ERR(EPERM), EQ(1, 0x5412));	/* TIOCSTI */
	COND(s, "ioctl", ERR(EPERM), EQ(1, 0x541C));	/* TIOCLINUX */
	return n;
}

static void test_filter_realistic_allowlist_is_short_and_cacheable(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;
	struct filter_stats st;
	size_t n_allowed = spec_realistic(&s);
	int ioctl_nr = nr_of(SCMP_ARCH_X86_64, "ioctl");
	bool all_const = true;

	f = build(&s);
	if (!f) {
		spec_free(&s);
		return;
	}
	filter_stats(f, &st);
	printf("# realistic allowlist: %zu syscalls allowed, %zu instructions, longest path %zu\n",
	    n_allowed, st.n_insns, st.longest_path);
	CHECK(n_allowed >= 340);
	CHECK(st.longest_path <= 24);
	CHECK(st.n_insns < 400);

	for (uint32_t nr = 0; nr < 600; nr++) {
		uint64_t junk[6] = { ~0ULL, 0x5412, 0x541C, 1ULL << 32, 5, 6 };
		uint32_t cached = 0, run = run_nr(f, AUDIT_ARCH_X86_64, (int)nr, junk);

		if ((int)nr == ioctl_nr) {
			CHECK(!kcache_const_outcome(f, AUDIT_ARCH_X86_64, nr, &cached));
			continue;
		}
		if (!kcache_const_outcome(f, AUDIT_ARCH_X86_64, nr, &cached) || cached != run)
			all_const = false;
	}
	CHECK(all_const);
	CHECK_ROWS(f,
	    { "ioctl", 1, 0x5412, 0, R_ERR(EPERM) },
	    { "ioctl", 1, 0x5412 | 1ULL << 32, 0, R_ERR(EPERM) },
	    { "ioctl", 1, 0x541C, 0, R_ERR(EPERM) },
	    { "ioctl", 1, 0x5401, 0, R_ALLOW },
	    { "ptrace", 0, 0, 0, R_ERR(EPERM) },
	    { "execve", 0, 0, 0, R_ALLOW });
	filter_free(f);
	spec_free(&s);
}

/* Many conditional blocks push targets beyond a conditional jump's 255
 * instruction reach: trampolines must keep every answer right. */
static void test_filter_far_jumps_use_trampolines(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;
	struct filter_stats st;
	int nrs[160];
	size_t n = 0;

	spec_init(&s, ERR(ENOSYS));
	for (int nr = 0; nr < 400 && n < LEN(nrs); nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);

		if (!name)
			continue;
		spec_uncond(&s, name, ALLOW);
		COND(&s, name, ERR(EACCES), EQ(0, (uint64_t)nr));
		COND(&s, name, KILL, MEQ(1, 0xff00, (uint64_t)(nr & 0xff) << 8), GE(2, 7));
		nrs[n++] = nr;
		free(name);
	}
	f = build(&s);
	if (!f) {
		spec_free(&s);
		return;
	}
	filter_stats(f, &st);
	printf("# %zu conditional syscalls: %zu instructions, longest path %zu\n", n, st.n_insns,
	    st.longest_path);
	CHECK(st.n_insns > 3 * 256);
	for (size_t i = 0; i < n; i++) {
		uint64_t plain[6] = { 1000 }, acc[6] = { (uint64_t)nrs[i] };
		uint64_t kill[6] = { 1000, (uint64_t)(nrs[i] & 0xff) << 8, 7 };
		uint64_t nokill[6] = { 1000, (uint64_t)(nrs[i] & 0xff) << 8, 6 };

		CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, nrs[i], plain), R_ALLOW);
		CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, nrs[i], acc), R_ERR(EACCES));
		CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, nrs[i], kill), R_KILL);
		CHECK_INT(run_nr(f, AUDIT_ARCH_X86_64, nrs[i], nokill), R_ALLOW);
	}
	filter_free(f);
	spec_free(&s);
}

/* ---- randomized comparison with the words of sysfence.profile(5) ----------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: fixed seed, so a failure reproduces */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

static const uint64_t interesting[] = {
	0, 1, 2, 5, 0x7f, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
	0x100000000, 0x100000001, 0x100000005, 0x17fffffff, 0x180000000, 0xffffffff00000000,
	0xffffffff00000005, 0xffffffff7fffffff, 0xffffffff80000000, 0xfffffffffffffffb,
	0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff,
};

static uint64_t rnd_value(void)
{
	uint64_t v;

	switch (rnd_below(4)) {
	case 0:
		return rnd();
	case 1:
		return rnd_below(8);
	default:
		v = interesting[rnd_below(LEN(interesting))];
		return rnd_below(3) == 0 ? v + rnd_below(3) - 1 : v;
	}
}

static uint64_t rnd_mask(void)
{
	static const uint64_t masks[] = { 0xff, 0x1, 0x3, 0x80000000, 0xffffffff, 0xffffffff00000000,
		0x100000001, 0x8000000000000000, 0xf0f0, 0x180000000, ~0ULL };

	return rnd_below(4) == 0 ? rnd() : masks[rnd_below(LEN(masks))];
}

static struct sf_action rnd_action(void)
{
	static const int errnos[] = { EPERM, EACCES, ENOSYS };

	switch (rnd_below(7)) {
	case 0:
		return ALLOW;
	case 1:
		return LOG;
	case 2:
		return TRAP;
	case 3:
		return KILL_THREAD;
	case 4:
		return KILL;
	default:
		return ERR(errnos[rnd_below(LEN(errnos))]);
	}
}

#define RND_ARGS 3

static struct sf_cmp rnd_cmp(void)
{
	struct sf_cmp c = { .arg = (unsigned)rnd_below(RND_ARGS), .op = (enum sf_cmp_op)rnd_below(8) };

	c.value = rnd_value();
	if (c.op == SF_CMP_MASKED_EQ || c.op == SF_CMP_ANY_BITS) {
		c.mask = rnd_mask();
		if (c.op == SF_CMP_ANY_BITS)
			c.value = 0;
		else if (rnd_below(4))
			c.value &= c.mask;
	}
	return c;
}

static void rnd_spec(struct sf_filter_spec *s, const char *const *names, size_t n_names)
{
	size_t n_sys = 1 + rnd_below(3);

	spec_init(s, rnd_action());
	for (size_t i = 0; i < n_sys; i++) {
		const char *name = names[rnd_below(n_names)];
		size_t n_rules = rnd_below(5);

		/* Rules of up to three layers, so that the layering rule
		 * (a later unconditional rule drops less restrictive earlier
		 * conditional ones) is compared too. */
		spec_layer = (uint32_t)rnd_below(3);
		if (rnd_below(2))
			spec_uncond(s, name, rnd_action());
		for (size_t r = 0; r < n_rules; r++) {
			spec_layer = (uint32_t)rnd_below(3);
			struct sf_cmp c[8];
			size_t n = 0, terms = 1 + rnd_below(2);

			for (size_t t = 0; t < terms; t++) {
				size_t atoms = 1 + rnd_below(3);

				if (t)
					c[n++] = (struct sf_cmp)OR_;
				for (size_t a = 0; a < atoms; a++)
					c[n++] = rnd_cmp();
			}
			spec_cond(s, name, rnd_action(), c, n);
		}
		if (!spec_sys(s, name)->has_uncond && spec_sys(s, name)->n_cond == 0)
			spec_uncond(s, name, rnd_action());
	}
	spec_layer = 0;
	for (size_t i = 0; i < s->n_syscalls; i++)
		rules_settle(&s->syscalls[i]);
}

/* The reference evaluator (the words of sysfence.profile(5)) is tests/common/refmodel.c,
 * shared with the policy fuzzer. */

static uint64_t rnd_arg(const struct sf_filter_spec *s)
{
	uint64_t v;

	if (rnd_below(3) == 0 || s->n_syscalls == 0)
		return rnd_value();
	/* a value some rule compares with, possibly with a different upper
	 * half, so that rules do match */
	{
		const struct sf_syscall_rules *r = &s->syscalls[rnd_below(s->n_syscalls)];
		const struct sf_cond *c;
		const struct sf_term *t;

		if (r->n_cond + r->n_dropped == 0)
			return rnd_value();
		c = r->cond_rules[rnd_below(r->n_cond + r->n_dropped)].cond;
		t = &c->terms[rnd_below(c->n)];
		v = t->cmps[rnd_below(t->n)].value;
	}
	switch (rnd_below(5)) {
	case 0:
		return (uint32_t)v | rnd() << 32;
	case 1:
		return (uint32_t)v | 0xffffffff00000000ULL;
	case 2:
		return (uint32_t)v;
	default:
		return v;
	}
}

static void spec_print(const struct sf_filter_spec *s)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=", "&==", "&" };

	printf("#   default %s\n", action_name(s->default_action));
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct sf_syscall_rules *r = &s->syscalls[i];

		if (r->has_uncond)
			printf("#   [layer %u] %s = %s\n", r->uncond.layer, action_name(r->uncond.action), r->name);
		for (size_t j = 0; j < r->n_cond + r->n_dropped; j++) {
			const struct sf_cond *c = r->cond_rules[j].cond;

			printf("#   [layer %u%s] %s = %s if", r->cond_rules[j].layer, j >= r->n_cond ? ", dropped" : "",
			    action_name(r->cond_rules[j].action), r->name);
			for (size_t t = 0; t < c->n; t++)
				for (size_t k = 0; k < c->terms[t].n; k++) {
					const struct sf_cmp *m = &c->terms[t].cmps[k];

					printf("%s arg%u %s %#llx", k ? " &&" : t ? " ||" : "", m->arg,
					    ops[m->op], (unsigned long long)(m->op >= SF_CMP_MASKED_EQ ? m->mask : m->value));
					if (m->op == SF_CMP_MASKED_EQ)
						printf(" == %#llx", (unsigned long long)m->value);
				}
			printf("\n");
		}
	}
}

static void test_filter_randomized_against_spec_meaning(void)
{
	static const char *const names[] = { "read", "write", "ioctl", "socket", "getppid" };
	size_t n_specs = 2500, n_runs = 0, n_exact = 0, bad = 0;
	clock_t start = clock();

	for (size_t sp = 0; sp < n_specs && bad < 5; sp++) {
		struct sf_filter_spec s;
		struct sf_filter *f;
		struct filter_stats st;

		/* x86-64 and arm64 in turn, whichever the build machine is. */
		const uint32_t arch = sp % 2 ? SCMP_ARCH_AARCH64 : SCMP_ARCH_X86_64;

		rnd_spec(&s, names, LEN(names));
		s.arches[0] = arch;
		f = build(&s);
		if (!f) {
			spec_free(&s);
			bad++;
			continue;
		}
		filter_stats(f, &st);
		for (size_t k = 0; k < 24 && bad < 5; k++) {
			const char *name = rnd_below(6) ? s.syscalls[rnd_below(s.n_syscalls)].name :
							     names[rnd_below(LEN(names))];
			int nr = nr_of(arch, name);
			uint64_t args[6];
			struct seccomp_data d = { .nr = nr, .arch = arch };
			uint32_t got;
			size_t steps = 0;
			bool narrow = true, ok = true;

			for (size_t a = 0; a < 6; a++) {
				args[a] = a < RND_ARGS ? rnd_arg(&s) : rnd_below(1000);
				narrow = narrow && args[a] < 0x80000000ULL;
			}
			memcpy(d.args, args, sizeof(args));
			got = bpfsim_run(f->insns, f->n, &d, &steps);
			ok = steps > 0 && steps <= st.longest_path;
			for (unsigned low = 0; low < (1u << RND_ARGS); low++) {
				struct sf_action m = ref_meaning(&s, arch, (uint32_t)nr, args, low);

				if (ref_kind_of_ret(got) < m.kind)
					ok = false;
				if (low == 0 && narrow) {
					n_exact++;
					if (got != action_to_ret(m))
						ok = false;
				}
			}
			n_runs++;
			if (!ok) {
				bad++;
				printf("# spec %zu: %s(%#llx, %#llx, %#llx) gave %#x\n", sp, name,
				    (unsigned long long)args[0], (unsigned long long)args[1],
				    (unsigned long long)args[2], got);
				spec_print(&s);
			}
		}
		filter_free(f);
		spec_free(&s);
	}
	printf("# %zu runs (%zu with narrow arguments, checked exactly) in %.2fs\n", n_runs, n_exact,
	    (double)(clock() - start) / CLOCKS_PER_SEC);
	CHECK_INT(bad, 0);
	CHECK(n_exact > 1000);
}

/* ---- the kernel accepts and enforces the programs ----------------------------- */

struct outcome {
	bool killed;	/* by SIGSYS */
	int err;	/* errno of the probe, 0 if it succeeded */
};

/* In a child: set no_new_privs, load f, call getppid with the given
 * arguments (getppid ignores them, so it is a safe probe for conditions),
 * report through the exit status. */
static struct outcome kernel_probe(const struct sf_filter *f, long nr, const uint64_t args[6])
{
	struct outcome o = { false, -1 };
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return o;
	if (pid == 0) {
		long v;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(250);
		if (filter_load(f) < 0)
			_exit(251);
		v = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
		_exit(v < 0 ? (errno & 0xff) : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return o;
	if (WIFSIGNALED(status))
		o.killed = WTERMSIG(status) == SIGSYS;
	else if (WIFEXITED(status))
		o.err = WEXITSTATUS(status);
	return o;
}

static void test_filter_kernel_enforces_compiled_program(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;
	static const struct {
		long nr;
		uint64_t args[6];
		bool killed;
		int err;
	} rows[] = {
		{ SYS_getppid, { 0 }, false, 0 },
		{ SYS_getppid, { 7 }, false, EACCES },
		{ SYS_getppid, { 7 | 1ULL << 32 }, false, EACCES },
		{ SYS_getppid, { 7 | 0xffffffff00000000ULL }, false, EACCES },
		{ SYS_getppid, { 1, AF_VSOCK }, true, 0 },
		{ SYS_getppid, { 1, AF_VSOCK | 1ULL << 32 }, true, 0 },
		{ SYS_getppid, { 2, 0, 3 }, false, 0 },
		{ SYS_getppid, { 2, 0, 3 | 1ULL << 32 }, false, ENOSYS },
		{ SYS_getppid, { 2, 0, 4 }, false, ENOSYS },
		{ SYS_getpid, { 7 }, false, 0 },
		/* x32 on x86-64; elsewhere a number no syscall has */
		{ 0x40000000 | SYS_getpid, { 0 }, NATIVE_IS_X86_64, NATIVE_IS_X86_64 ? 0 : ENOSYS },
	};

	if (tap_skip_kernel("loading the compiled program"))
		return;
	spec_init(&s, ALLOW);
	s.arches[0] = seccomp_arch_native(); /* the calls below are the machine's own */
	/* getppid: ENOSYS unless arg2 == 3 or arg0 < 2; EACCES if arg0 == 7,
	 * killed if arg1 == AF_VSOCK. */
	spec_uncond(&s, "getppid", ERR(ENOSYS));
	COND(&s, "getppid", ALLOW, EQ(2, 3), OR_, LT(0, 2));
	COND(&s, "getppid", ERR(EACCES), EQ(0, 7));
	COND(&s, "getppid", KILL, EQ(1, AF_VSOCK));
	f = build(&s);
	for (size_t i = 0; f && i < LEN(rows); i++) {
		struct outcome o = kernel_probe(f, rows[i].nr, rows[i].args);

		if (o.killed != rows[i].killed || (!o.killed && o.err != rows[i].err))
			printf("# row %zu: killed %d err %d\n", i, o.killed, o.err);
		CHECK_INT(o.killed, rows[i].killed);
		if (!rows[i].killed)
			CHECK_INT(o.err, rows[i].err);
	}
	filter_free(f);
	spec_free(&s);
}

static void test_filter_kernel_loads_large_programs(void)
{
	struct sf_filter_spec s;
	struct sf_filter *f;
	uint64_t args[6] = { 0 };
	struct outcome o;

	if (tap_skip_kernel("loading large programs"))
		return;
	spec_realistic(&s);
	s.arches[0] = seccomp_arch_native();
	f = build(&s);
	if (f) {
		o = kernel_probe(f, SYS_getppid, args);
		CHECK(!o.killed && o.err == 0);
		o = kernel_probe(f, SYS_ptrace, args);	/* denied */
		CHECK(!o.killed && o.err == EPERM);
	}
	filter_free(f);
	spec_free(&s);

	/* trampolines */
	spec_init(&s, ALLOW);
	s.arches[0] = seccomp_arch_native();
	for (int nr = 0; nr < 200; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(s.arches[0], nr);

		if (!name)
			continue;
		COND(&s, name, ERR(EACCES), EQ(0, 0xdead0000 + (uint64_t)nr), EQ(1, 1));
		free(name);
	}
	f = build(&s);
	if (f) {
		uint64_t hit[6] = { 0xdead0000 + SYS_getppid, 1 };

		CHECK(f->n > 512);
		o = kernel_probe(f, SYS_getppid, hit);
		CHECK(!o.killed && o.err == EACCES);
		o = kernel_probe(f, SYS_getppid, args);
		CHECK(!o.killed && o.err == 0);
	}
	filter_free(f);
	spec_free(&s);
}

int main(void)
{
	RUN(test_action_parse_and_name);
	RUN(test_action_order_and_return_values);
	RUN(test_cond_free_takes_null);
	RUN(test_filter_cond_deny_beats_uncond_allow);
	RUN(test_filter_cond_allow_beats_errno_fallback);
	RUN(test_filter_or_of_comparisons);
	RUN(test_filter_and_binds_tighter_than_or);
	RUN(test_filter_masked_equal);
	RUN(test_filter_any_bits);
	RUN(test_filter_most_restrictive_match_wins);
	RUN(test_filter_last_written_wins_within_a_kind);
	RUN(test_filter_later_uncond_rule_is_the_one_given);
	RUN(test_filter_unnamed_syscalls_get_default);
	RUN(test_filter_other_arches_and_x32_are_killed);
	RUN(test_filter_extra_arch_uses_its_own_numbers);
	RUN(test_filter_x32_when_asked_uses_x32_numbers);
	RUN(test_filter_deny_matches_with_junk_in_upper_half);
	RUN(test_filter_allow_if_ignores_junk_in_upper_half);
	RUN(test_filter_two_less_restrictive_rules_with_junk);
	RUN(test_filter_rejects_bad_errno_and_argument);
	RUN(test_filter_rejects_too_large_program);
	RUN(test_filter_realistic_allowlist_is_short_and_cacheable);
	RUN(test_filter_far_jumps_use_trampolines);
	RUN(test_filter_randomized_against_spec_meaning);
	RUN(test_filter_kernel_enforces_compiled_program);
	RUN(test_filter_kernel_loads_large_programs);
	return tap_done();
}
