/* filter_build: SPEC.md's meaning, checked by running the compiled program
 * in bpfsim, by a randomized comparison with a reference evaluator written
 * from SPEC.md's words, and by loading programs in the kernel. */
#include "bpfsim.h"
#include "filter.h"
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

static void spec_uncond(struct sf_filter_spec *s, const char *name, struct sf_action a)
{
	struct sf_syscall_rules *r = spec_sys(s, name);

	r->has_uncond = true;
	r->uncond = (struct sf_rule){ .action = a };
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

	r->cond_rules = realloc(r->cond_rules, (r->n_cond + 1) * sizeof(*r->cond_rules));
	r->cond_rules[r->n_cond++] = (struct sf_rule){ .action = a, .cond = cond_of(c, n) };
}

#define COND(s, name, a, ...)                                                                      \
	do {                                                                                       \
		const struct sf_cmp c_[] = { __VA_ARGS__ };                                        \
		spec_cond((s), (name), (a), c_, LEN(c_));                                          \
	} while (0)

static void spec_free(struct sf_filter_spec *s)
{
	for (size_t i = 0; i < s->n_syscalls; i++) {
		for (size_t j = 0; j < s->syscalls[i].n_cond; j++)
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

/* ---- SPEC.md "Meaning", case by case --------------------------------------- */

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

/* ---- SPEC.md "Argument width" --------------------------------------------- */

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
	/* a negative-looking value: matches in all three readings only when
	 * the upper half is its sign extension */
	COND(&s, "ioctl", ALLOW, EQ(1, 0xffffffff80001234ULL));
	f = build(&s);
	CHECK_ROWS(f,
	    { "socket", AF_UNIX, 0, 0, R_ALLOW },
	    { "socket", AF_UNIX | 1ULL << 32, 0, 0, R_ERR(EPERM) },
	    { "socket", AF_UNIX | 0xffffffff00000000ULL, 0, 0, R_ERR(EPERM) },
	    { "socket", AF_INET | 0x8000000000000000ULL, 0, 0, R_ERR(EPERM) },
	    { "ioctl", 0, 0xffffffff80001234ULL, 0, R_ERR(EPERM) },
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

static void test_cond_dup_copies_deeply(void)
{
	const struct sf_cmp c[] = { EQ(0, 1), EQ(1, 2), OR_, ANY(2, 0xf0) };
	struct sf_cond *a = cond_of(c, LEN(c));
	struct sf_cond *b = cond_dup(a);

	CHECK(b && b != a);
	if (b) {
		CHECK_INT(b->n, 2);
		CHECK_INT(b->terms[0].n, 2);
		CHECK_INT(b->terms[1].n, 1);
		CHECK(b->terms[0].cmps != a->terms[0].cmps);
		CHECK_INT(b->terms[0].cmps[1].value, 2);
		CHECK_INT(b->terms[1].cmps[0].mask, 0xf0);
	}
	CHECK(cond_dup(NULL) == NULL);
	cond_free(a);
	cond_free(b);
	cond_free(NULL);
}
