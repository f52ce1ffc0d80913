/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export renderers: pure, unprivileged, from profile text to output. */
#include "export.h"
#include "filter.h"
#include "policy.h"
#include "profile.h"
#include "tap.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct built {
	int r;
	struct sf_profile *p;
	struct sf_policy *pol;
	struct sf_filter *f;
	struct sf_diag d;
	char *out;
	size_t len;
};

static struct built export(const char *text, enum sf_export_format fmt)
{
	struct built b = { 0 };
	const struct sf_policy_opts po = { 0 };

	b.p = profile_new();
	b.r = profile_parse_text(b.p, "t.ini", text, strlen(text), &b.d);
	if (b.r == 0)
		b.r = policy_build(b.p, NULL, &po, &b.pol, &b.d);
	if (b.r == 0 && b.pol->has_filter)
		b.r = filter_build(&b.pol->filter, &b.f, &b.d);
	if (b.r == 0)
		b.r = export_render(fmt, b.pol, b.f, &b.out, &b.len, &b.d);
	return b;
}

static void done(struct built *b)
{
	free(b->out);
	filter_free(b->f);
	policy_free(b->pol);
	profile_free(b->p);
	diag_clear(&b->d);
}

static char *first_msg(const struct built *b)
{
	return b->d.n ? diag_format(&b->d.msgs[0]) : NULL;
}

static void test_export_bpf_is_the_program(void)
{
	struct built b = export("[seccomp]\ndefault-action = allow\ndeny = mkdir\n", SF_EXPORT_BPF);

	CHECK_INT(b.r, 0);
	CHECK(b.f && b.len == b.f->n * sizeof(struct sock_filter));
	CHECK(b.f && b.out && memcmp(b.out, b.f->insns, b.len) == 0);
	done(&b);
}

static void test_export_oci_widens_and_groups(void)
{
	struct built b = export("[seccomp]\ndefault-action = EPERM\nallow = read write\nENOSYS = clone3\n"
				"allow = execve\nallow = socket if arg0 == AF_UNIX\n",
	    SF_EXPORT_OCI);

	CHECK_INT(b.r, 0);
	CHECK(b.out && strstr(b.out, "\"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": 1,"));
	CHECK(b.out && strstr(b.out, "{ \"names\": [\"read\", \"write\", \"execve\"], \"action\": \"SCMP_ACT_ALLOW\" }"));
	CHECK(b.out && strstr(b.out, "\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38"));
	/* Less restrictive than the default: both readings must match, so
	 * the full 64-bit value is compared. */
	CHECK(b.out && strstr(b.out, "{ \"index\": 0, \"value\": 1, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\" }"));
	done(&b);
}

static void test_export_oci_any_bits_is_one_rule_per_bit(void)
{
	struct built b = export("[seccomp]\ndefault-action = allow\ndeny = clone if arg0 & 0x30000000\n", SF_EXPORT_OCI);

	CHECK_INT(b.r, 0);
	CHECK(b.out && strstr(b.out, "\"value\": 268435456, \"valueTwo\": 268435456, \"op\": \"SCMP_CMP_MASKED_EQ\""));
	CHECK(b.out && strstr(b.out, "\"value\": 536870912, \"valueTwo\": 536870912, \"op\": \"SCMP_CMP_MASKED_EQ\""));
	done(&b);
}

static void test_export_oci_refusals_name_the_rule(void)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "[seccomp]\ndefault-action = EPERM\nallow = execve\nallow = ioctl\ndeny = ioctl if arg1 == 1\n",
		    "sysfence: t.ini:5: cannot export to OCI: \"ioctl\" has an unconditional rule (t.ini:4) and conditional ones, and libseccomp drops a conditional rule next to an unconditional one" },
		{ "[seccomp]\ndefault-action = allow\ndeny = socket if arg0 == 2\nkill = socket if arg1 == 3\n",
		    "sysfence: t.ini:4: cannot export to OCI: this rule for \"socket\" and the one at t.ini:3 have different actions and may match the same call, and libseccomp does not pick the most restrictive" },
		{ "[seccomp]\ndefault-action = allow\ndeny = socket if arg0 >= 1 && arg0 <= 5\n",
		    "sysfence: t.ini:3: cannot export to OCI: a rule for \"socket\" compares arg0 twice (libseccomp accepts one comparison per argument)" },
		{ "[seccomp]\ndefault-action = allow\ndeny = personality if arg0 <= 8\n",
		    "sysfence: t.ini:3: cannot export to OCI: \"arg0 <= 8\" in a rule for \"personality\" cannot keep its meaning for 32-bit arguments (libseccomp compares all 64 bits, see docs/export.md)" },
		{ "[seccomp]\ndefault-action = EPERM\nallow = execve\nallow = personality if arg0 != 8\n",
		    "sysfence: t.ini:4: cannot export to OCI: \"arg0 != 8\" in a rule for \"personality\" cannot keep its meaning for 32-bit arguments (libseccomp compares all 64 bits, see docs/export.md)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct built b = export(cases[i].text, SF_EXPORT_OCI);
		char *m = first_msg(&b);

		CHECK(b.r < 0);
		CHECK(b.out == NULL);
		CHECK_STR(m, cases[i].msg);
		free(m);
		done(&b);
	}
}

static void test_export_oci_disjoint_actions_are_fine(void)
{
	struct built b = export("[seccomp]\ndefault-action = allow\ndeny = socket if arg0 == 16\n"
				"kill = socket if arg0 == 17\nallow = socket if arg0 == 1\n",
	    SF_EXPORT_OCI);

	CHECK_INT(b.r, 0);
	/* The rule with the default's action is left out: libseccomp refuses
	 * it, and it overlaps nothing. */
	CHECK(b.out && !strstr(b.out, "SCMP_ACT_ALLOW\", \"args\""));
	CHECK(b.out && strstr(b.out, "\"SCMP_ACT_KILL_PROCESS\", \"args\""));
	done(&b);
}

static void test_export_pfc_reads_the_program_back(void)
{
	struct built b = export("[seccomp]\ndefault-action = EPERM\nallow = execve\n"
				"allow = socket if arg0 == AF_UNIX\n",
	    SF_EXPORT_PFC);

	char want_execve[96], want_socket[96];

	/* The native ABI's numbers: 59 and 41 on x86-64, 221 and 198 on arm64. */
	snprintf(want_execve, sizeof(want_execve),
	    "  # filter for syscall \"execve\" (%d)\n  if ($syscall == %d)\n    action ALLOW;\n",
	    seccomp_syscall_resolve_name("execve"), seccomp_syscall_resolve_name("execve"));
	snprintf(want_socket, sizeof(want_socket), "  # filter for syscall \"socket\" (%d)\n  if ($syscall == %d)\n",
	    seccomp_syscall_resolve_name("socket"), seccomp_syscall_resolve_name("socket"));
	CHECK_INT(b.r, 0);
	CHECK(b.out && strstr(b.out, "# Written by sysfence, not by libseccomp"));
	CHECK(b.out && strstr(b.out, want_execve));
	CHECK(b.out && strstr(b.out, want_socket));
	CHECK(b.out && strstr(b.out, "$a0.hi32"));
	CHECK(b.out && strstr(b.out, "  # default action\n  action ERRNO(1);\n# invalid architecture action\naction KILL_PROCESS;\n"));
	done(&b);
}

static void test_export_systemd_allow_list(void)
{
	struct built b = export("[seccomp]\ndefault-action = EACCES\nallow = execve read\nlog = write\n"
				"EPERM = socket\nallow = socket if arg0 == AF_UNIX || arg0 == AF_INET6\n"
				"[capabilities]\ndrop = all\n",
	    SF_EXPORT_SYSTEMD);

	CHECK_INT(b.r, 0);
	CHECK(b.out && strstr(b.out, "\nSystemCallFilter=execve read write socket\n"));
	CHECK(b.out && strstr(b.out, "\nSystemCallErrorNumber=EACCES\n"));
	CHECK(b.out && strstr(b.out, "\nSystemCallLog=write\n"));
	CHECK(b.out && strstr(b.out, "\nRestrictAddressFamilies=AF_UNIX AF_INET6\n"));
	CHECK(b.out && strstr(b.out, "\nCapabilityBoundingSet=\n"));
	done(&b);
}

static void test_export_format_names(void)
{
	struct sf_diag d = { 0 };
	enum sf_export_format f = SF_EXPORT_BPF;
	char *m;

	CHECK_INT(export_format_parse("systemd", &f, &d), 0);
	CHECK_INT(f, SF_EXPORT_SYSTEMD);
	CHECK(export_format_parse("pcf", &f, &d) < 0);
	m = d.n ? diag_format(&d.msgs[0]) : NULL;
	CHECK_STR(m, "sysfence: unknown export format \"pcf\" (did you mean \"pfc\"?)");
	free(m);
	diag_clear(&d);
}

static void test_export_write_file_is_atomic_and_0644(void)
{
	char dir[] = "/tmp/sysfence-export-test.XXXXXX";
	char path[64];
	struct sf_diag d = { 0 };
	struct stat st;
	char buf[16] = { 0 };
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/out", dir);
	CHECK_INT(export_write_file(path, "new\n", 4, &d), 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644);
	f = fopen(path, "r");
	CHECK(f && fread(buf, 1, sizeof(buf) - 1, f) == 4);
	if (f)
		fclose(f);
	CHECK_STR(buf, "new\n");
	unlink(path);
	rmdir(dir);
	diag_clear(&d);
}

int main(void)
{
	RUN(test_export_bpf_is_the_program);
	RUN(test_export_oci_widens_and_groups);
	RUN(test_export_oci_any_bits_is_one_rule_per_bit);
	RUN(test_export_oci_refusals_name_the_rule);
	RUN(test_export_oci_disjoint_actions_are_fine);
	RUN(test_export_pfc_reads_the_program_back);
	RUN(test_export_systemd_allow_list);
	RUN(test_export_format_names);
	RUN(test_export_write_file_is_atomic_and_0644);
	return tap_done();
}
