/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --learn's core: synthetic calls in, profile text out. The exact text is
 * pinned once; the other tests check one property each, and the learned
 * text is read back through the profile reader, the policy and the filter
 * compiler, then run in bpfsim: the calls learned pass, others are killed. */
#include "bpfsim.h"
#include "cleanup.h"
#include "filter.h"
#include "learn.h"
#include "learn_int.h"
#include "lookup.h"
#include "policy.h"
#include "profile.h"
#include "report.h"
#include "tap.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#define NATIVE SCMP_ARCH_X86_64

struct lib {
	struct sf_profile *p;
	struct sf_policy *pol;
	struct sf_diag d;
};

/* A small group library, as groups.ini would provide. */
static struct lib lib_new(const char *text)
{
	struct lib l = { 0 };

	l.p = profile_new();
	if (profile_parse_text(l.p, "groups.ini", text, strlen(text), &l.d) == 0)
		policy_build(l.p, NULL, &(struct sf_policy_opts){ .check_all_groups = true, .seccomp_replaced = true }, &l.pol,
		    &l.d);
	return l;
}

static void lib_free(struct lib *l)
{
	policy_free(l->pol);
	profile_free(l->p);
	diag_clear(&l->d);
}

static const char library[] = "[groups]\n"
			      "@pair = getpid getppid\n"
			      "@trio = read write close\n"
			      "@net = socket getsockname\n"
			      "@debug = ptrace\n"
			      "@privileged = @mount\n"
			      "@mount = mount umount2\n";

static void add(struct learn_record *r, uint32_t arch, int nr, uint64_t a0, uint64_t a1, unsigned times)
{
	struct seccomp_data sd = { .nr = nr, .arch = arch, .args = { a0, a1 } };

	for (unsigned i = 0; i < times; i++)
		CHECK_INT(learn_record_add(r, &sd), 0);
}

static char *argv_true[] = { "/usr/bin/true", "--flag", NULL };

static void test_learn_counts_each_syscall_and_abi(void)
{
	struct learn_record *r = learn_record_new();

	add(r, NATIVE, __NR_read, 0, 0, 3);
	add(r, NATIVE, __NR_write, 0, 0, 1);
	add(r, SCMP_ARCH_X86, 20, 0, 0, 2);			/* i386 getpid */
	add(r, NATIVE, 0x40000000 | __NR_getpid, 0, 0, 1);	/* x32 */
	CHECK_INT(r->n, 4);
	CHECK_INT(r->calls, 7);
	CHECK_STR(r->sc[0].name, "read");
	CHECK_INT(r->sc[0].count, 3);
	CHECK_STR(r->sc[2].name, "getpid");
	CHECK(r->sc[2].arch == SCMP_ARCH_X86);
	CHECK(r->sc[3].arch == SCMP_ARCH_X32);
	/* Many numbers: the index grows and keeps every count. */
	for (int nr = 0; nr < 400; nr++)
		add(r, NATIVE, nr, 0, 0, 1);
	CHECK_INT(r->n, 4 + 400 - 2);
	CHECK_INT(r->sc[0].count, 4);
	learn_record_free(r);
}

static void test_learn_profile_exact_text(void)
{
	struct lib l = lib_new(library);
	struct learn_record *r = learn_record_new();
	const struct learn_info info = { .argv = argv_true, .profile = NULL };
	char *text;

	add(r, NATIVE, __NR_execve, 0, 0, 1);
	add(r, NATIVE, __NR_getpid, 0, 0, 2);
	add(r, NATIVE, __NR_getppid, 0, 0, 1);
	add(r, NATIVE, __NR_read, 0, 0, 5);
	add(r, NATIVE, __NR_socket, 1, 1, 2);
	add(r, NATIVE, __NR_socket, 2, 1, 1);
	add(r, NATIVE, __NR_ioctl, 1, 0x5401, 1);
	add(r, NATIVE, __NR_exit_group, 0, 0, 1);
	text = learn_profile(r, l.pol, &info);
	CHECK_STR(text,
	    "# Learned by sysfence --learn from one run of:\n"
	    "#   /usr/bin/true --flag\n"
	    "# It allows exactly the syscalls that run made, and kills the process on\n"
	    "# any other. Code paths the run did not take made no calls here: exercise\n"
	    "# the program fully, review this file, then test the program under it.\n"
	    "# Like the default profile, it refuses clone3 with ENOSYS (libc then uses\n"
	    "# clone) and, with EPERM, the namespace flags of clone and the socket\n"
	    "# families, ioctl requests and personality values the run did not use.\n"
	    "# Call counts follow \";\".\n"
	    "# Dangerous syscalls seen: none.\n"
	    "\n"
	    "[profile]\n"
	    "description = learned from one run of true\n"
	    "\n"
	    "[seccomp]\n"
	    "default-action = kill\n"
	    "architectures = native\n"
	    "# @pair: getpid 2, getppid 1\n"
	    "allow = @pair\n"
	    "allow = execve                           ; 1 call\n"
	    "allow = exit_group                       ; 1 call\n"
	    "allow = read                             ; 5 calls\n"
	    "allow = restart_syscall                  ; not seen: the kernel resumes a sleep a signal interrupted with it\n"
	    "# ioctl, arg1 seen: TCGETS (1 call)\n"
	    "allow = ioctl                            ; 1 call\n"
	    "deny = ioctl if arg1 != TCGETS\n"
	    "# socket, arg0 seen: AF_UNIX (2 calls), AF_INET (1 call)\n"
	    "allow = socket                           ; 3 calls\n"
	    "deny = socket if arg0 != AF_UNIX && arg0 != AF_INET\n"
	    "# clone3 passes its flags in memory, where a filter cannot read them: ENOSYS\n"
	    "# makes libc fall back to clone, whose flags a filter can read.\n"
	    "ENOSYS = clone3                          ; not seen\n"
	    "\n"
	    "[capabilities]\n"
	    "# Every capability is dropped. To keep one, write instead, for example:\n"
	    "# keep = net_bind_service\n"
	    "drop = all\n");
	free(text);
	text = learn_summary(r, l.pol, "/tmp/p.ini");
	CHECK_STR(text, "learned 7 syscalls (14 calls); groups used whole: @pair\nwrote /tmp/p.ini\n");
	free(text);
	learn_record_free(r);
	lib_free(&l);
}

/* Parse text as a profile and compile it. */
static struct sf_filter *compile(const char *text, struct sf_policy **ret_pol)
{
	struct sf_profile *p = profile_new();
	struct sf_policy *pol = NULL;
	struct sf_filter *f = NULL;
	struct sf_diag d = { 0 };
	char lib_and_text[65536];

	snprintf(lib_and_text, sizeof(lib_and_text), "%s%s", library, text);
	CHECK_INT(profile_parse_text(p, "learned.ini", lib_and_text, strlen(lib_and_text), &d), 0);
	CHECK_INT(policy_build(p, NULL, &(struct sf_policy_opts){ 0 }, &pol, &d), 0);
	if (pol)
		CHECK_INT(filter_build(&pol->filter, &f, &d), 0);
	for (size_t i = 0; i < d.n; i++) {
		char *m = diag_format(&d.msgs[i]);

		printf("# %s\n", m ? m : "?");
		free(m);
	}
	diag_clear(&d);
	profile_free(p);
	*ret_pol = pol;
	return f;
}

static uint32_t verdict(const struct sf_filter *f, uint32_t arch, int nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data sd = { .nr = nr, .arch = arch, .args = { a0, a1 } };

	return f ? bpfsim_run(f->insns, f->n, &sd, NULL) : 0;
}

static void test_learn_profile_reads_back_and_allows_what_was_seen(void)
{
	struct lib l = lib_new(library);
	struct learn_record *r = learn_record_new();
	const struct learn_info info = { .argv = argv_true, .profile = "/etc/x.ini" };
	struct sf_policy *pol = NULL;
	struct sf_filter *f;
	char *text;

	add(r, NATIVE, __NR_read, 0, 0, 1);
	add(r, NATIVE, __NR_write, 0, 0, 1);
	add(r, NATIVE, __NR_close, 0, 0, 1);
	add(r, NATIVE, __NR_socket, 1, 1, 1);
	add(r, NATIVE, __NR_getsockname, 0, 0, 1);
	add(r, NATIVE, __NR_clone, 0x01200011, 0, 1);	/* fork() */
	add(r, NATIVE, __NR_personality, 0xffffffff, 0, 1);
	add(r, NATIVE, __NR_rt_sigaction, 0, 0, 1);
	add(r, SCMP_ARCH_X86, 20, 0, 0, 1);
	text = learn_profile(r, l.pol, &info);
	CHECK(text && strstr(text, "# under the profile /etc/x.ini, whose other sections applied"));
	CHECK(text && strstr(text, "architectures = native x86\n"));
	/* socket needs a condition, so @net is not used whole. */
	CHECK(text && strstr(text, "allow = @trio\n"));
	CHECK(text && !strstr(text, "@net"));
	CHECK(text && strstr(text, "allow = rt_sigreturn                     ; not seen: ends every signal handler "
				   "rt_sigaction installs\n"));
	CHECK(text && strstr(text, "deny = personality if arg0 != 0xffffffff\n"));
	f = text ? compile(text, &pol) : NULL;
	CHECK(f != NULL);
	CHECK_INT(verdict(f, NATIVE, __NR_read, 0, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_getsockname, 0, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_socket, 1, 0), SECCOMP_RET_ALLOW);
	/* What the run did not use is refused as the default profile does. */
	CHECK_INT(verdict(f, NATIVE, __NR_socket, 10, 0), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict(f, NATIVE, __NR_socket, 1 | 1ULL << 32, 0), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict(f, NATIVE, __NR_clone, 0x01200011, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_clone, 0x01200011 | 0x10000000, 0), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict(f, NATIVE, __NR_clone3, 0, 0), SECCOMP_RET_ERRNO | ENOSYS);
	CHECK_INT(verdict(f, NATIVE, __NR_personality, 0xffffffff, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_personality, 0x0040000, 0), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(
	    verdict(f, NATIVE, seccomp_syscall_resolve_name_arch(NATIVE, "mkdir"), 0, 0), SECCOMP_RET_KILL_PROCESS);
	CHECK_INT(verdict(f, SCMP_ARCH_X86, 20, 0, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, SCMP_ARCH_X86, 39, 0, 0), SECCOMP_RET_KILL_PROCESS);
	filter_free(f);
	policy_free(pol);
	free(text);
	learn_record_free(r);
	lib_free(&l);
}

static void test_learn_group_used_only_when_whole(void)
{
	struct lib l = lib_new(library);
	struct learn_record *r = learn_record_new();
	char *text;

	add(r, NATIVE, __NR_read, 0, 0, 1);
	add(r, NATIVE, __NR_write, 0, 0, 1);
	add(r, NATIVE, __NR_getpid, 0, 0, 1);
	text = learn_profile(r, l.pol, &(struct learn_info){ .argv = argv_true });
	CHECK(text && !strstr(text, "@trio") && !strstr(text, "@pair"));
	CHECK(text && strstr(text, "allow = read ") && strstr(text, "allow = getpid "));
	free(text);
	text = learn_summary(r, l.pol, "f");
	CHECK_STR(text, "learned 3 syscalls (3 calls); groups used whole: none\nwrote f\n");
	free(text);
	learn_record_free(r);
	lib_free(&l);
}

static void test_learn_too_many_values_refuse_as_default(void)
{
	struct learn_record *r = learn_record_new();
	char *text;

	for (unsigned i = 0; i < LEARN_MAX_VALUES + 1; i++)
		add(r, NATIVE, __NR_ioctl, 0, 0x5400 + i, 1);
	text = learn_profile(r, NULL, &(struct learn_info){ .argv = argv_true });
	CHECK(text && strstr(text, "\nallow = ioctl                            ; 33 calls\n"
				   "# too many distinct values: refused as in the default profile\n"
				   "deny = ioctl if arg1 == TIOCSTI || arg1 == TIOCLINUX\n"));
	free(text);
	learn_record_free(r);
}

static void test_learn_long_value_lists_wrap(void)
{
	struct learn_record *r = learn_record_new();
	char *text;

	struct lib l = lib_new(library);
	struct sf_policy *pol = NULL;
	struct sf_filter *f;

	for (unsigned i = 0; i < 20; i++)
		add(r, NATIVE, __NR_ioctl, 0, 0x89000000 + 2 * i, 1);
	/* Every clone flag: named, far too long for one comment line. */
	add(r, NATIVE, __NR_clone, 0xffffff00u | 17, 0, 1);
	for (int nr = 0; nr < 400; nr++)
		add(r, NATIVE, nr, 0, 0, 1);
	text = learn_profile(r, l.pol, &(struct learn_info){ .argv = argv_true });
	CHECK(text != NULL);
	/* Every line fits the profile reader's limit. */
	for (const char *s = text, *nl; s && *s; s = nl + 1) {
		nl = strchrnul(s, '\n');
		CHECK((size_t)(nl - s) < 160);
		if (!*nl)
			break;
	}
	/* Too many values for one "!=" rule: one refusal per gap between
	 * the values seen. */
	CHECK(text && strstr(text, "\ndeny = ioctl if arg1 > 0 && arg1 < 0x89000000\n"
				   "deny = ioctl if arg1 > 0x89000000 && arg1 < 0x89000002\n"));
	CHECK(text && strstr(text, "\ndeny = ioctl if arg1 > 0x89000026\n"));
	CHECK(text && strstr(text, "# clone flags seen: 0 (1 call), 0xffffff11 (1 call)\n"));
	/* The reader accepts it all, and the filter compiles. */
	f = text ? compile(text, &pol) : NULL;
	CHECK(f != NULL);
	CHECK_INT(verdict(f, NATIVE, __NR_ioctl, 0, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_ioctl, 0, 0x89000000), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_ioctl, 0, 0x89000026), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_ioctl, 0, 0x89000001), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict(f, NATIVE, __NR_ioctl, 0, 0x89000027), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict(f, NATIVE, __NR_ioctl, 0, 0x5412), SECCOMP_RET_ERRNO | EPERM);	/* TIOCSTI */
	filter_free(f);
	policy_free(pol);
	free(text);
	learn_record_free(r);
	lib_free(&l);
}

static void test_learn_dangerous_syscalls_named(void)
{
	struct lib l = lib_new(library);
	struct learn_record *r = learn_record_new();
	char *text;

	add(r, NATIVE, __NR_ptrace, 0, 0, 1);
	add(r, NATIVE, __NR_mount, 0, 0, 2);
	text = learn_profile(r, l.pol, &(struct learn_info){ .argv = argv_true });
	CHECK(text && strstr(text, "\n# Dangerous syscalls seen (review them): mount (@privileged, @mount), ptrace "
				   "(@debug)\n"));
	free(text);
	text = learn_summary(r, l.pol, "f");
	CHECK_STR(text, "learned 2 syscalls (3 calls); groups used whole: @debug\n"
			"dangerous syscalls seen: mount (@privileged, @mount), ptrace (@debug)\nwrote f\n");
	free(text);
	learn_record_free(r);
	lib_free(&l);
}

static void test_learn_unknown_numbers_and_unsafe_text(void)
{
	struct learn_record *r = learn_record_new();
	char *argv[] = { "/bin/odd;name", "line\nbreak", NULL };
	char *text;

	add(r, NATIVE, 1999, 0, 0, 2);
	text = learn_profile(r, NULL, &(struct learn_info){ .argv = argv });
	CHECK(text && strstr(text, "#   /bin/odd;name line?break\n"));
	CHECK(text && strstr(text, "description = learned from one run of odd_name\n"));
	CHECK(text && strstr(text, "# Not allowed, as libseccomp has no name for them: syscall numbers: 1999 on "
				   "x86_64 (2 calls)\n"));
	free(text);
	learn_record_free(r);
}

/* The learning run answers clone3 with ENOSYS, as the learned profile
 * will, and lets everything else run. */
static void test_learn_refuses_clone3_while_learning(void)
{
	struct learn_record *r = learn_record_new();
	struct seccomp_data c3 = { .nr = __NR_clone3, .arch = NATIVE };
	struct seccomp_data cl = { .nr = __NR_clone, .arch = NATIVE, .args = { 0x3d0f00 } };

	CHECK_INT(learn_record_add(r, &c3), 0);
	CHECK_INT(learn_refusal(r, &c3), ENOSYS);
	CHECK_INT(learn_record_add(r, &cl), 0);
	CHECK_INT(learn_refusal(r, &cl), 0);
	learn_record_free(r);
}

/* Refusals are conditional rules, so an unconditional allow added later
 * (here on the command line) keeps them. */
static void test_learn_refusals_survive_a_later_allow(void)
{
	struct lib l = lib_new(library);
	struct learn_record *r = learn_record_new();
	struct sf_override_rule later = {
		.action = "allow", .list = "socket ioctl clone personality", .label = "--allow"
	};
	const struct sf_overrides o = { .rules = &later, .n_rules = 1 };
	struct sf_profile *p = profile_new();
	struct sf_policy *pol = NULL;
	struct sf_filter *f = NULL;
	struct sf_diag d = { 0 };
	char *text;

	add(r, NATIVE, __NR_socket, 1, 1, 1);
	add(r, NATIVE, __NR_ioctl, 1, 0x5401, 1);
	add(r, NATIVE, __NR_clone, 0x01200011, 0, 1);
	add(r, NATIVE, __NR_personality, 0xffffffff, 0, 1);
	text = learn_profile(r, l.pol, &(struct learn_info){ .argv = argv_true });
	CHECK(text && profile_parse_text(p, "learned.ini", text, strlen(text), &d) == 0);
	CHECK(policy_build(p, &o, &(struct sf_policy_opts){ 0 }, &pol, &d) == 0);
	CHECK(pol && filter_build(&pol->filter, &f, &d) == 0);
	CHECK_INT(d.n, 0);
	CHECK_INT(verdict(f, NATIVE, __NR_socket, 1, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_socket, 17, 0), SECCOMP_RET_ERRNO | EPERM);	/* AF_PACKET */
	CHECK_INT(verdict(f, NATIVE, __NR_ioctl, 1, 0x5412), SECCOMP_RET_ERRNO | EPERM);	/* TIOCSTI */
	CHECK_INT(verdict(f, NATIVE, __NR_clone, 0x10000000 | 17, 0), SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict(f, NATIVE, __NR_personality, 0x0400000, 0), SECCOMP_RET_ERRNO | EPERM);
	filter_free(f);
	policy_free(pol);
	profile_free(p);
	diag_clear(&d);
	free(text);
	learn_record_free(r);
	lib_free(&l);
}

/* The shipped default profile, compiled as a launch would. */
static struct sf_filter *compile_default(struct sf_policy **ret_pol)
{
	const struct sf_profile_opts po = { .load_group_library = true };
	struct sf_lookup lk = { 0 };
	struct sf_profile *p = NULL;
	struct sf_filter *f = NULL;
	struct sf_diag d = { 0 };

	*ret_pol = NULL;
	if (lookup_init(&lk, TEST_SOURCE_DIR "/profiles", NULL, NULL, NULL) == 0 &&
	    profile_load(&lk, "default", &po, &p, &d) == 0 &&
	    policy_build(p, NULL, &(struct sf_policy_opts){ 0 }, ret_pol, &d) == 0)
		filter_build(&(*ret_pol)->filter, &f, &d);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
	profile_free(p);
	lookup_free(&lk);
	return f;
}

/* Whether default refuses name on its arguments (a conditional rule) or
 * outright. */
static bool default_guards(const struct sf_policy *pol, const char *name)
{
	for (size_t i = 0; pol && i < pol->filter.n_syscalls; i++) {
		const struct sf_syscall_rules *sc = &pol->filter.syscalls[i];

		if (strcmp(sc->name, name) == 0)
			return sc->n_cond > 0 || (sc->has_uncond && sc->uncond.action.kind != SF_ACT_ALLOW);
	}
	return false;
}

/* learn_guard.c's table keeps knowledge of profiles/default.ini: every
 * call default refuses on its arguments is in the table, and for each
 * sample call, the table's own refusal (what a learned profile writes
 * when the run passed too many values) and default's agree. A guard that
 * default does not have (yet) is skipped: it only makes learned profiles
 * stricter. */
static void test_learn_guards_match_default_profile(void)
{
	static const struct {
		const char *name;
		uint64_t a0, a1;
	} samples[] = {
		{ "clone3", 0, 0 },
		{ "clone", 0x01200011, 0 },		/* fork() */
		{ "clone", 0x003d0f00, 0 },		/* pthread_create() */
		{ "clone", 0x00020000 | 17, 0 },	/* CLONE_NEWNS */
		{ "clone", 0x02000000 | 17, 0 },	/* CLONE_NEWCGROUP */
		{ "clone", 0x04000000 | 17, 0 },	/* CLONE_NEWUTS */
		{ "clone", 0x08000000 | 17, 0 },	/* CLONE_NEWIPC */
		{ "clone", 0x10000000 | 17, 0 },	/* CLONE_NEWUSER */
		{ "clone", 0x20000000 | 17, 0 },	/* CLONE_NEWPID */
		{ "clone", 0x40000000 | 17, 0 },	/* CLONE_NEWNET */
		{ "ioctl", 1, 0x5401 },			/* TCGETS */
		{ "ioctl", 1, 0x5412 },			/* TIOCSTI */
		{ "ioctl", 1, 0x541c },			/* TIOCLINUX */
		{ "ioctl", 1, 0x5412 | 1ULL << 32 },
		{ "personality", 0, 0 },
		{ "personality", 0x0008, 0 },
		{ "personality", 0x0040000, 0 },
		{ "personality", 0x0040008, 0 },
		{ "personality", 0xffffffff, 0 },
		{ "personality", 0x0400000, 0 },	/* READ_IMPLIES_EXEC */
		{ "personality", 0x0100000, 0 },	/* MMAP_PAGE_ZERO */
		{ "socket", 1, 1 },			/* AF_UNIX */
		{ "socket", 2, 1 },			/* AF_INET */
		{ "socket", 10, 1 },			/* AF_INET6 */
		{ "socket", 16, 3 },			/* AF_NETLINK */
		{ "socket", 17, 3 },			/* AF_PACKET */
		{ "socket", 38, 5 },			/* AF_ALG */
		{ "socket", 40, 1 },			/* AF_VSOCK */
		{ "socket", 40 | 1ULL << 32, 1 },
		{ "socketpair", 1, 1 },
		{ "socketpair", 2, 1 },
		{ "socketpair", 40, 1 },
	};
	struct sf_policy *dpol = NULL;
	struct sf_filter *df = compile_default(&dpol);

	CHECK(df != NULL);
	for (size_t i = 0; dpol && i < dpol->filter.n_syscalls; i++) {
		const struct sf_syscall_rules *sc = &dpol->filter.syscalls[i];

		if (sc->n_cond > 0 && !learn_guard_find(sc->name))
			CHECK_STR(sc->name, "(a call in learn_guard.c's table)");
	}
	for (size_t i = 0; i < learn_n_guards; i++)
		if (learn_guards[i].kind != LEARN_GUARD_REFUSE)
			CHECK_INT(learn_guards[i].arg, report_tight_arg(learn_guards[i].name));
	for (size_t i = 0; i < ELEMENTSOF(samples); i++) {
		const struct learn_guard *g = learn_guard_find(samples[i].name);
		int nr = seccomp_syscall_resolve_name(samples[i].name);
		char text[512];
		struct sf_policy *pol = NULL;
		struct sf_filter *f;

		CHECK(g != NULL);
		if (!g || !default_guards(dpol, g->name))
			continue;
		if (g->kind == LEARN_GUARD_REFUSE)
			snprintf(text, sizeof(text), "[seccomp]\ndefault-action = allow\n%s = %s\n", g->action, g->name);
		else
			snprintf(text, sizeof(text), "[seccomp]\ndefault-action = allow\n%s = %s if %s%s\n", g->action,
			    g->name, g->kind == LEARN_GUARD_FLAGS ? "arg0 & " : "", g->base);
		f = compile(text, &pol);
		if (verdict(f, NATIVE, nr, samples[i].a0, samples[i].a1) !=
		    verdict(df, NATIVE, nr, samples[i].a0, samples[i].a1))
			printf("# differs from default: %s(%#llx, %#llx)\n", samples[i].name,
			    (unsigned long long)samples[i].a0, (unsigned long long)samples[i].a1);
		CHECK_INT(verdict(f, NATIVE, nr, samples[i].a0, samples[i].a1),
		    verdict(df, NATIVE, nr, samples[i].a0, samples[i].a1));
		filter_free(f);
		policy_free(pol);
	}
	filter_free(df);
	policy_free(dpol);
}

int main(void)
{
	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		printf("1..0 # SKIP the synthetic calls use x86-64 numbers\n");
		return 77;
	}
	RUN(test_learn_counts_each_syscall_and_abi);
	RUN(test_learn_profile_exact_text);
	RUN(test_learn_profile_reads_back_and_allows_what_was_seen);
	RUN(test_learn_group_used_only_when_whole);
	RUN(test_learn_too_many_values_refuse_as_default);
	RUN(test_learn_long_value_lists_wrap);
	RUN(test_learn_dangerous_syscalls_named);
	RUN(test_learn_unknown_numbers_and_unsafe_text);
	RUN(test_learn_refuses_clone3_while_learning);
	RUN(test_learn_refusals_survive_a_later_allow);
	RUN(test_learn_guards_match_default_profile);
	return tap_done();
}
