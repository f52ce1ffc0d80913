/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --report's words: for a call the profile stops, the exact line naming
 * the call and its decoded arguments, the outcome, the rule (FILE:LINE),
 * the group and the profile line that would allow it. Each event's outcome
 * comes from the compiled filter, run in bpfsim, as the supervisor does. */
#include "bpfsim.h"
#include "filter.h"
#include "policy.h"
#include "profile.h"
#include "report.h"
#include "tap.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

#define AUDIT_NATIVE SCMP_ARCH_X86_64
/* The calls are x86-64's (main() skips elsewhere); mkdir and rmdir by name,
 * as arm64's headers have neither. */
#define NR(name) seccomp_syscall_resolve_name_arch(AUDIT_NATIVE, name)

struct built {
	int r;
	struct sf_profile *p;
	struct sf_policy *pol;
	struct sf_filter *f;
	struct sf_diag d;
};

static struct built build(const char *text, const struct sf_overrides *o)
{
	struct built b = { 0 };

	b.p = profile_new();
	b.r = profile_parse_text(b.p, "t.ini", text, strlen(text), &b.d);
	if (b.r == 0)
		b.r = policy_build(b.p, o, &(struct sf_policy_opts){ 0 }, &b.pol, &b.d);
	if (b.r == 0)
		b.r = filter_build(&b.pol->filter, &b.f, &b.d);
	return b;
}

static void done(struct built *b)
{
	filter_free(b->f);
	policy_free(b->pol);
	profile_free(b->p);
	diag_clear(&b->d);
}

/* The line for a call by pid 42 (/usr/bin/prog), the outcome as the
 * compiled filter decides it. */
static char *line_for(const struct built *b, uint32_t arch, int nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct report_event ev = {
		.data = { .nr = nr, .arch = arch, .args = { a0, a1, a2 } },
		.pid = 42,
		.tid = 42,
		.exe = "/usr/bin/prog",
	};

	if (!b->f)
		return NULL;
	ev.ret = bpfsim_run(b->f->insns, b->f->n, &ev.data, NULL);
	return report_line(b->pol, &ev);
}

static const char groups[] = "[groups]\n@file-system = mkdir rmdir\n@network-io = socket socketpair\n"
			     "@system-service = @file-system @network-io ioctl\n@process = clone\n";

static void test_report_unconditional_rule(void)
{
	struct built b = build("[seccomp]\ndefault-action = allow\ndeny = mkdir\n[groups]\n@file-system = mkdir rmdir\n",
	    NULL);
	char *s = line_for(&b, AUDIT_NATIVE, NR("mkdir"), 0, 0, 0);

	CHECK_INT(b.r, 0);
	CHECK_STR(s, "pid 42 (/usr/bin/prog): mkdir: EPERM (rule t.ini:3, group @file-system); to allow: allow = mkdir");
	free(s);
	done(&b);
}

static void test_report_default_action(void)
{
	struct built b = build("[seccomp]\ndefault-action = EACCES\nallow = getpid\n", NULL);
	char *s = line_for(&b, AUDIT_NATIVE, NR("rmdir"), 0, 0, 0);

	CHECK_STR(s, "pid 42 (/usr/bin/prog): rmdir: EACCES (rule t.ini:2, no group); to allow: allow = rmdir");
	free(s);
	done(&b);
}

static void test_report_socket_family_decoded_and_suggested(void)
{
	char text[1024];
	struct built b;
	char *s;

	snprintf(text, sizeof(text), "%s[seccomp]\ndefault-action = kill\nallow = socket if arg0 == AF_UNIX\n", groups);
	b = build(text, NULL);
	CHECK_INT(b.r, 0);
	s = line_for(&b, AUDIT_NATIVE, __NR_socket, 40, 1 | 02000000, 0);
	CHECK_STR(s, "pid 42 (/usr/bin/prog): socket(AF_VSOCK, SOCK_STREAM|SOCK_CLOEXEC, 0): killed "
		     "(rule t.ini:7, group @network-io); to allow: allow = socket if arg0 == AF_VSOCK");
	free(s);
	/* High bits: the kernel would create a VSOCK socket; shown as passed. */
	s = line_for(&b, AUDIT_NATIVE, __NR_socketpair, 0x100000028, 2, 0);
	CHECK_STR(s, "pid 42 (/usr/bin/prog): socketpair(0x100000028, SOCK_DGRAM, 0, ...): killed "
		     "(rule t.ini:7, group @network-io); to allow: allow = socketpair if arg0 == 0x100000028");
	free(s);
	done(&b);
}

static void test_report_conditional_rule_cannot_be_outvoted(void)
{
	struct built b = build("[seccomp]\ndefault-action = allow\nallow = ioctl\nkill = ioctl if arg1 == TIOCSTI\n"
			       "deny = ioctl if arg1 == TIOCLINUX\n",
	    NULL);
	char *s = line_for(&b, AUDIT_NATIVE, __NR_ioctl, (uint64_t)-1, 0x5412, 0x7ffc0000);

	CHECK_INT(b.r, 0);
	CHECK_STR(s, "pid 42 (/usr/bin/prog): ioctl(-1, TIOCSTI, ...): killed (rule t.ini:4, no group); "
		     "to allow: change the rule at t.ini:4");
	free(s);
	s = line_for(&b, AUDIT_NATIVE, __NR_ioctl, 3, 0x541c, 0);
	CHECK_STR(s, "pid 42 (/usr/bin/prog): ioctl(3, TIOCLINUX, ...): EPERM (rule t.ini:5, no group); "
		     "to allow: change the rule at t.ini:5");
	free(s);
	done(&b);
}

static void test_report_ioctl_request_suggested(void)
{
	struct built b = build("[seccomp]\ndefault-action = ENOTTY\nallow = ioctl if arg1 == TCGETS\n", NULL);
	char *s = line_for(&b, AUDIT_NATIVE, __NR_ioctl, 1, 0x5413, 0);

	CHECK_STR(s, "pid 42 (/usr/bin/prog): ioctl(1, TIOCGWINSZ, ...): ENOTTY (rule t.ini:2, no group); "
		     "to allow: allow = ioctl if arg1 == TIOCGWINSZ");
	free(s);
	done(&b);
}

static void test_report_clone_flags_decoded(void)
{
	char text[1024];
	struct built b;
	char *s;

	snprintf(text, sizeof(text), "%s[seccomp]\ndefault-action = allow\ndeny = clone if arg0 & CLONE_NEWUSER\n",
	    groups);
	b = build(text, NULL);
	s = line_for(&b, AUDIT_NATIVE, __NR_clone, 0x10000000 | 0x01000000 | 17, 0, 0);
	CHECK_STR(s, "pid 42 (/usr/bin/prog): clone(CLONE_CHILD_SETTID|CLONE_NEWUSER|SIGCHLD, ...): EPERM "
		     "(rule t.ini:8, group @process); to allow: change the rule at t.ini:8");
	free(s);
	done(&b);
}

static void test_report_sigkill_and_threads_said(void)
{
	struct built b = build("[seccomp]\ndefault-action = allow\nkill-thread = getppid\n", NULL);
	struct report_event ev = {
		.data = { .nr = __NR_getppid, .arch = AUDIT_NATIVE },
		.pid = 10,
		.tid = 11,
		.sigkill = true,
	};
	char *s;

	ev.ret = bpfsim_run(b.f->insns, b.f->n, &ev.data, NULL);
	s = report_line(b.pol, &ev);
	CHECK_STR(s, "pid 10 thread 11 (executable unknown): getppid: killed by kill-thread with SIGKILL, as the "
		     "program catches or blocks SIGSYS (rule t.ini:3, no group); to allow: allow = getppid");
	free(s);
	done(&b);
}

static void test_report_command_line_rules(void)
{
	struct sf_override_rule rules[] = { { "deny", "mkdir", "--deny" } };
	const struct sf_overrides o = {
		.rules = rules, .n_rules = 1, .default_action = "EPERM", .default_action_label = "--default-action"
	};
	struct built b;
	char *s;

	b = build("[seccomp]\ndefault-action = allow\n", &o);
	CHECK_INT(b.r, 0);
	s = line_for(&b, AUDIT_NATIVE, NR("mkdir"), 0, 0, 0);
	CHECK_STR(s, "pid 42 (/usr/bin/prog): mkdir: EPERM (rule on the command line, no group); to allow: --allow=mkdir");
	free(s);
	s = line_for(&b, AUDIT_NATIVE, NR("rmdir"), 0, 0, 0);
	CHECK_STR(s, "pid 42 (/usr/bin/prog): rmdir: EPERM (rule --default-action, no group); to allow: allow = rmdir");
	free(s);
	done(&b);
}

static void test_report_other_abi(void)
{
	struct built b = build("[seccomp]\ndefault-action = allow\n", NULL);
	char *s = line_for(&b, SCMP_ARCH_X86, 20, 0, 0, 0);	/* i386 getpid */

	CHECK_STR(s, "pid 42 (/usr/bin/prog): getpid [x86 ABI]: killed (its ABI is not in architectures, no group); "
		     "to allow: architectures = native x86");
	free(s);
	s = line_for(&b, AUDIT_NATIVE, 0x40000000 | 39, 0, 0, 0);	/* x32 getpid */
	CHECK_STR(s, "pid 42 (/usr/bin/prog): getpid [x32 ABI]: killed (its ABI is not in architectures, no group); "
		     "to allow: architectures = native x32");
	free(s);
	done(&b);
}

static void test_report_unknown_number(void)
{
	struct built b = build("[seccomp]\ndefault-action = ENOSYS\n", NULL);
	char *s = line_for(&b, AUDIT_NATIVE, 1999, 0, 0, 0);

	CHECK_STR(s, "pid 42 (/usr/bin/prog): syscall 1999: ENOSYS (rule t.ini:2, no group); "
		     "to allow: nothing (libseccomp has no name for syscall 1999)");
	free(s);
	done(&b);
}

static void test_report_arg_values(void)
{
	static const struct {
		const char *name;
		unsigned arg;
		uint64_t v;
		const char *want;
	} cases[] = {
		{ "socket", 0, 1, "AF_UNIX" },
		{ "socket", 0, 16, "AF_NETLINK" },
		{ "socket", 0, 0x100000028, "0x100000028" },
		{ "socket", 1, 5 | 04000, "SOCK_SEQPACKET|SOCK_NONBLOCK" },
		{ "ioctl", 1, 0x5401, "TCGETS" },
		{ "ioctl", 1, 0x541b, "FIONREAD" },
		{ "ioctl", 1, 2, "2" },
		{ "ioctl", 1, 0xdeadbeef, "0xdeadbeef" },
		{ "clone", 0, 0x3d0f00, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
					"CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID" },
		{ "clone", 0, 0, "0" },
		{ "personality", 0, 0, "PER_LINUX" },
		{ "personality", 0, 0xffffffff, "0xffffffff" },
		{ "mkdir", 0, 5000, "0x1388" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = report_arg_value(cases[i].name, cases[i].arg, cases[i].v);

		CHECK_STR(s, cases[i].want);
		free(s);
	}
	CHECK_INT(report_tight_arg("socket"), 0);
	CHECK_INT(report_tight_arg("ioctl"), 1);
	CHECK_INT(report_tight_arg("mkdir"), -1);
}

/* With the file to edit known: the rule in that file is replaced, a rule
 * elsewhere is outvoted from it, the default action is outvoted from it;
 * --permissive says what would have happened; the executable is escaped. */
static void test_report_fix_names_the_file(void)
{
	struct built b = build("[seccomp]\ndefault-action = EPERM\nkill = mkdir\n", NULL);
	struct report_event ev = {
		.data = { .nr = NR("mkdir"), .arch = AUDIT_NATIVE },
		.pid = 42,
		.tid = 42,
		.exe = "/tmp/x\ny",
		.fix_file = "t.ini",
	};
	char *s;

	ev.ret = bpfsim_run(b.f->insns, b.f->n, &ev.data, NULL);
	s = report_line(b.pol, &ev);
	CHECK_STR(s, "pid 42 (/tmp/x\\ny): mkdir: killed (rule t.ini:3, no group); to allow: replace the rule at "
		     "t.ini:3 with \"allow = mkdir\"");
	free(s);
	ev.fix_file = "/home/u/.config/sysfence/profiles/t.local";
	ev.permissive = true;
	s = report_line(b.pol, &ev);
	CHECK_STR(s, "pid 42 (/tmp/x\\ny): mkdir: would be killed (rule t.ini:3, no group); to allow: add \"allow = "
		     "mkdir\" to [seccomp] in /home/u/.config/sysfence/profiles/t.local (it overrides the rule at t.ini:3)");
	free(s);
	ev.data.nr = NR("rmdir");
	ev.ret = bpfsim_run(b.f->insns, b.f->n, &ev.data, NULL);
	s = report_line(b.pol, &ev);
	CHECK_STR(s, "pid 42 (/tmp/x\\ny): rmdir: would be EPERM (rule t.ini:2, no group); to allow: add \"allow = "
		     "rmdir\" to [seccomp] in /home/u/.config/sysfence/profiles/t.local");
	free(s);
	done(&b);
}

int main(void)
{
	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		printf("1..0 # SKIP the synthetic calls use x86-64 numbers\n");
		return 77;
	}
	RUN(test_report_unconditional_rule);
	RUN(test_report_default_action);
	RUN(test_report_socket_family_decoded_and_suggested);
	RUN(test_report_conditional_rule_cannot_be_outvoted);
	RUN(test_report_ioctl_request_suggested);
	RUN(test_report_clone_flags_decoded);
	RUN(test_report_sigkill_and_threads_said);
	RUN(test_report_command_line_rules);
	RUN(test_report_other_abi);
	RUN(test_report_unknown_number);
	RUN(test_report_arg_values);
	RUN(test_report_fix_names_the_file);
	return tap_done();
}
