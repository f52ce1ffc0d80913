/* --learn's core: synthetic calls in, profile text out. The exact text is
 * pinned once; the other tests check one property each, and the learned
 * text is read back through the profile reader, the policy and the filter
 * compiler, then run in bpfsim: the calls learned pass, others are killed. */
#include "bpfsim.h"
#include "filter.h"
#include "learn.h"
#include "policy.h"
#include "profile.h"
#include "tap.h"

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
	    "allow = ioctl if arg1 == TCGETS\n"
	    "# socket, arg0 seen: AF_UNIX (2 calls), AF_INET (1 call)\n"
	    "allow = socket if arg0 == AF_UNIX || arg0 == AF_INET\n");
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
	CHECK(text && strstr(text, "allow = personality if arg0 == 0xffffffff\n"));
	f = text ? compile(text, &pol) : NULL;
	CHECK(f != NULL);
	CHECK_INT(verdict(f, NATIVE, __NR_read, 0, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_getsockname, 0, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_socket, 1, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_socket, 10, 0), SECCOMP_RET_KILL_PROCESS);
	CHECK_INT(verdict(f, NATIVE, __NR_clone, 0x01200011, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_clone, 0x01200011 | 0x10000000, 0), SECCOMP_RET_KILL_PROCESS);
	CHECK_INT(verdict(f, NATIVE, __NR_personality, 0xffffffff, 0), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(f, NATIVE, __NR_personality, 0x0040000, 0), SECCOMP_RET_KILL_PROCESS);
	CHECK_INT(verdict(f, NATIVE, __NR_mkdir, 0, 0), SECCOMP_RET_KILL_PROCESS);
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

static void test_learn_too_many_values_allow_plainly(void)
{
	struct learn_record *r = learn_record_new();
	char *text;

	for (unsigned i = 0; i < LEARN_MAX_VALUES + 1; i++)
		add(r, NATIVE, __NR_ioctl, 0, 0x5400 + i, 1);
	text = learn_profile(r, NULL, &(struct learn_info){ .argv = argv_true });
	CHECK(text && strstr(text, "allow = ioctl                            ; 33 calls, too many distinct "
				   "arguments for a condition\n"));
	CHECK(text && !strstr(text, "ioctl if"));
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
		add(r, NATIVE, __NR_ioctl, 0, 0x89000000 + i, 1);
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
	CHECK(text && strstr(text, "\nallow = ioctl if arg1 == 0 || arg1 == 0x89000000 || arg1 == 0x89000001"));
	CHECK(text && strstr(text, "# clone flags seen: 0 (1 call), 0xffffff11 (1 call)\n"));
	/* The reader accepts it all, and the filter compiles. */
	f = text ? compile(text, &pol) : NULL;
	CHECK(f != NULL);
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
	RUN(test_learn_too_many_values_allow_plainly);
	RUN(test_learn_long_value_lists_wrap);
	RUN(test_learn_dangerous_syscalls_named);
	RUN(test_learn_unknown_numbers_and_unsafe_text);
	return tap_done();
}
