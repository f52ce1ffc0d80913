/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export renderers: pure, unprivileged, from profile text to output. */
#include "export.h"
#include "export_oci_int.h"
#include "filter.h"
#include "policy.h"
#include "profile.h"
#include "tap.h"

#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
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
		{ "[seccomp]\ndefault-action = allow\ndeny = socket if arg0 >= 0x100000000 && arg0 <= 0x200000000\n",
		    "sysfence: t.ini:3: cannot export to OCI: a rule for \"socket\" compares arg0 in a way one libseccomp comparison per argument cannot say, and the default action is less restrictive" },
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

/* What libseccomp cannot take as written becomes regions that do not
 * overlap: an unconditional rule next to conditional ones, overlapping
 * rules with different actions, two comparisons on one argument. */
static void test_export_oci_regions(void)
{
	struct built b = export("[seccomp]\ndefault-action = EPERM\nallow = execve\nallow = ioctl\n"
				"deny = ioctl if arg1 == 1\n",
	    SF_EXPORT_OCI);

	CHECK_INT(b.r, 0);
	/* ioctl is allowed where the low half of arg1 is not 1: one rule per
	 * bit of the low half, "the bits above agree with 1, this one not". */
	CHECK(b.out &&
	    strstr(b.out,
		"{ \"index\": 1, \"value\": 2147483648, \"valueTwo\": 2147483648, \"op\": \"SCMP_CMP_MASKED_EQ\" }"));
	CHECK(b.out &&
	    strstr(b.out, "{ \"index\": 1, \"value\": 4294967295, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\" }"));
	CHECK(b.out && !strstr(b.out, "\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\" }"));
	done(&b);

	/* kill first (more restrictive), then deny where kill does not hold. */
	b = export("[seccomp]\ndefault-action = allow\ndeny = socket if arg0 == 2\nkill = socket if arg1 == 3\n",
	    SF_EXPORT_OCI);
	CHECK_INT(b.r, 0);
	CHECK(b.out &&
	    strstr(b.out,
		"\"action\": \"SCMP_ACT_KILL_PROCESS\", \"args\": [{ \"index\": 1, \"value\": 4294967295, \"valueTwo\": 3, \"op\": \"SCMP_CMP_MASKED_EQ\" }]"));
	CHECK(b.out &&
	    strstr(b.out,
		"\"errnoRet\": 1, \"args\": [{ \"index\": 0, \"value\": 4294967295, \"valueTwo\": 2, \"op\": \"SCMP_CMP_MASKED_EQ\" }, { \"index\": 1, \"value\": 2147483648, \"valueTwo\": 2147483648, \"op\": \"SCMP_CMP_MASKED_EQ\" }]"));
	done(&b);

	/* A range of five values on one argument: the values. */
	b = export("[seccomp]\ndefault-action = allow\ndeny = socket if arg0 >= 0x100000001 && arg0 <= 0x100000005\n",
	    SF_EXPORT_OCI);
	CHECK_INT(b.r, 0);
	CHECK(b.out &&
	    strstr(b.out, "{ \"index\": 0, \"value\": 4294967297, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\" }"));
	CHECK(b.out &&
	    strstr(b.out, "{ \"index\": 0, \"value\": 4294967301, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\" }"));
	CHECK(b.out && !strstr(b.out, "\"value\": 4294967302,"));
	done(&b);
}

/* The cube algebra of the OCI export against brute force: on sample
 * values of two arguments, "and", "not" and the flattened form hold
 * exactly where they should. */
static const uint64_t sample_values[] = {
	0,
	1,
	2,
	3,
	4,
	5,
	7,
	8,
	10,
	16,
	17,
	31,
	32,
	63,
	64,
	0x5401,
	0x5412,
	0x5413,
	0x541c,
	0x7fff,
	0x8000,
	0x40000,
	0x40008,
	0x7fffffff,
	0x80000000,
	0xfffffffe,
	0xffffffff,
	0x100000000,
	0x100000001,
	0x100000002,
	0x100005412,
	0x8000000000000000,
	UINT64_MAX - 1,
	UINT64_MAX,
};
#define N_SAMPLES (sizeof(sample_values) / sizeof(sample_values[0]))

static uint64_t rng_state = 88172645463325252u;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool atom_holds(const struct atom *a, uint64_t x)
{
	switch (a->op) {
	case CUBE_MEQ:
		return (x & a->mask) == a->value;
	case CUBE_NE:
		return x != a->value;
	case CUBE_LT:
		return x < a->value;
	case CUBE_LE:
		return x <= a->value;
	case CUBE_GT:
		return x > a->value;
	case CUBE_GE:
		return x >= a->value;
	}
	return false;
}

static bool in_cube(const struct cube *c, uint64_t x0, uint64_t x1)
{
	for (unsigned arg = 0; arg < 2; arg++)
		for (size_t i = 0; i < c->n[arg]; i++)
			if (!atom_holds(&c->a[arg][i], arg ? x1 : x0))
				return false;
	return true;
}

static bool in_set(const struct cube_set *s, uint64_t x0, uint64_t x1)
{
	for (size_t i = 0; i < s->n; i++)
		if (in_cube(&s->c[i], x0, x1))
			return true;
	return false;
}

static struct atom random_atom(void)
{
	static const uint64_t masks[] = { 1, 2, 3, 0xff, 0x7fff, 0xffffffff, UINT64_MAX, 0x8000000000000000 };
	uint64_t v = sample_values[rnd() % N_SAMPLES];
	uint64_t m = masks[rnd() % (sizeof(masks) / sizeof(masks[0]))];

	switch (rnd() % 7) {
	case 0:
		return (struct atom){ CUBE_MEQ, UINT64_MAX, v };
	case 1:
		return (struct atom){ CUBE_MEQ, m, v & m };
	case 2:
	case 3:
		return (struct atom){ CUBE_NE, 0, v };
	case 4:
		return (struct atom){ CUBE_LT, 0, v };
	case 5:
		return (struct atom){ CUBE_GT, 0, v };
	default:
		return (struct atom){ CUBE_GE, 0, v };
	}
}

static void random_set(struct cube_set *s)
{
	size_t n = 1 + rnd() % 3;

	s->n = 0;
	for (size_t i = 0; i < n; i++) {
		struct cube c = { 0 };
		size_t k = 1 + rnd() % 4;
		int added = 1;

		for (size_t j = 0; j < k && added > 0; j++)
			added = cube_add(&c, (unsigned)(rnd() % 2), random_atom());
		if (added > 0)
			CHECK_INT(cube_set_push(s, &c), 0);
	}
}

static bool in_a_or_flat(const struct cube_set *a, const struct cube_set *flat, uint64_t x0, uint64_t x1)
{
	return in_set(a, x0, x1) || in_set(flat, x0, x1);
}

static void test_export_oci_cubes_match_brute_force(void)
{
	size_t wrong = 0, flattened = 0;

	for (int round = 0; round < 400; round++) {
		struct cube_set a = { 0 }, b = { 0 }, and = { 0 }, not = { 0 }, flat = { 0 };

		random_set(&a);
		random_set(&b);
		CHECK_INT(cube_set_and(&a, &b, &and), 0);
		CHECK_INT(cube_set_not(&a, &not ), 0);
		for (size_t i = 0; i < not .n; i++) {
			unsigned bad = CUBE_ARGS;

			if (cube_flatten(&not .c[i], &flat, 4096, &bad) != 0)
				continue;
			flattened++;
		}
		for (size_t i = 0; i < flat.n; i++)
			for (unsigned arg = 0; arg < CUBE_ARGS; arg++)
				wrong += flat.c[i].n[arg] > 1;
		for (size_t i = 0; i < N_SAMPLES; i++)
			for (size_t j = 0; j < N_SAMPLES; j++) {
				uint64_t x0 = sample_values[i], x1 = sample_values[j];
				bool in_a = in_set(&a, x0, x1);

				wrong += in_set(&and, x0, x1) != (in_a && in_set(&b, x0, x1));
				wrong += in_set(&not, x0, x1) == in_a;
				/* The flattened cubes of not(a) lie inside not(a). */
				wrong += in_set(&flat, x0, x1) && in_a;
			}
		/* Where every cube flattened, the flattened form is all of not(a). */
		if (flattened == not .n)
			for (size_t i = 0; i < N_SAMPLES; i++)
				for (size_t j = 0; j < N_SAMPLES; j++)
					wrong += !in_a_or_flat(&a, &flat, sample_values[i], sample_values[j]);
		flattened = 0;
		cube_set_clear(&a);
		cube_set_clear(&b);
		cube_set_clear(&and);
		cube_set_clear(&not );
		cube_set_clear(&flat);
	}
	CHECK_INT((int)wrong, 0);
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
	RUN(test_export_oci_regions);
	RUN(test_export_oci_cubes_match_brute_force);
	RUN(test_export_oci_disjoint_actions_are_fine);
	RUN(test_export_pfc_reads_the_program_back);
	RUN(test_export_systemd_allow_list);
	RUN(test_export_format_names);
	RUN(test_export_write_file_is_atomic_and_0644);
	return tap_done();
}
