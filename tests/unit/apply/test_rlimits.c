/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [limits]: value parsing, exact messages, and applying in a child. */
#include "rlimits.h"
#include "tap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char *first_msg(const struct sf_diag *d)
{
	return d->n ? diag_format(&d->msgs[0]) : NULL;
}

static void test_limits_parse_accepts_forms(void)
{
	static const struct {
		int resource;
		const char *value;
		rlim_t soft, hard;
	} cases[] = {
		{ RLIMIT_NOFILE, "1024", 1024, 1024 },
		{ RLIMIT_NOFILE, "64:128", 64, 128 },
		{ RLIMIT_AS, "2G", UINT64_C(2) << 30, UINT64_C(2) << 30 },
		{ RLIMIT_AS, "1k:2K", 1024, 2048 },
		{ RLIMIT_STACK, "8M:unlimited", 8 << 20, RLIM_INFINITY },
		{ RLIMIT_CORE, "0", 0, 0 },
		{ RLIMIT_CPU, "unlimited", RLIM_INFINITY, RLIM_INFINITY },
		{ RLIMIT_FSIZE, "infinity", RLIM_INFINITY, RLIM_INFINITY },
		{ RLIMIT_DATA, "16777215G", UINT64_C(16777215) << 30, UINT64_C(16777215) << 30 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_diag d = { 0 };
		struct rlimit rl = { 0 };

		CHECK_INT(
		    limits_parse(cases[i].resource, cases[i].value, (struct sf_origin){ "t.ini", 2 }, &rl, &d), 0);
		CHECK(rl.rlim_cur == cases[i].soft);
		CHECK(rl.rlim_max == cases[i].hard);
		diag_clear(&d);
	}
}

static void test_limits_parse_rejects_with_exact_message(void)
{
	static const struct {
		const char *key, *value, *msg;
	} cases[] = {
		{ "nofile", "2048:1024", "sysfence: t.ini:3: soft limit is above the hard limit in \"2048:1024\" for nofile" },
		{ "as", "1G:unlimited:", "sysfence: t.ini:3: invalid limit \"1G:unlimited:\" for as (expected a number with an optional K, M or G suffix, \"unlimited\", or SOFT:HARD)" },
		{ "as", "lots", "sysfence: t.ini:3: invalid limit \"lots\" for as (expected a number with an optional K, M or G suffix, \"unlimited\", or SOFT:HARD)" },
		{ "as", "1T", "sysfence: t.ini:3: invalid limit \"1T\" for as (expected a number with an optional K, M or G suffix, \"unlimited\", or SOFT:HARD)" },
		{ "nofile", "", "sysfence: t.ini:3: invalid limit \"\" for nofile (expected a number, \"unlimited\", or SOFT:HARD)" },
		{ "nofile", "-1", "sysfence: t.ini:3: invalid limit \"-1\" for nofile (expected a number, \"unlimited\", or SOFT:HARD)" },
		{ "nofile", "10 20", "sysfence: t.ini:3: invalid limit \"10 20\" for nofile (expected a number, \"unlimited\", or SOFT:HARD)" },
		{ "cpu", "1K", "sysfence: t.ini:3: size suffixes are for byte limits; cpu counts seconds, found \"1K\"" },
		{ "as", "99999999999999999999", "sysfence: t.ini:3: limit \"99999999999999999999\" is too large for as" },
		{ "as", "17179869184G", "sysfence: t.ini:3: limit \"17179869184G\" is too large for as" },
		{ "fsize", "18446744073709551615", "sysfence: t.ini:3: limit \"18446744073709551615\" is too large for fsize" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_diag d = { 0 };
		struct rlimit rl = { 7, 7 };
		char *m;

		CHECK(limits_parse(limits_resource(cases[i].key), cases[i].value, (struct sf_origin){ "t.ini", 3 }, &rl,
			  &d) < 0);
		CHECK(rl.rlim_cur == 7 && rl.rlim_max == 7);	/* untouched on failure */
		m = first_msg(&d);
		CHECK_STR(m, cases[i].msg);
		free(m);
		diag_clear(&d);
	}
}

static void test_limits_every_rlimit_has_a_name(void)
{
	static const char *const names[] = { "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
		"nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK_STR(limits_name(limits_resource(names[i])), names[i]);
	CHECK_INT(limits_resource("files"), -EINVAL);
	CHECK_INT(sizeof(names) / sizeof(names[0]), RLIM_NLIMITS);
}

static void test_limits_later_line_replaces_earlier(void)
{
	struct sf_limits_settings s = { 0 };
	struct sf_diag d = { 0 };

	CHECK_INT(limits_set(&s, "nofile", "100", (struct sf_origin){ "a.ini", 1 }, &d), 0);
	CHECK_INT(limits_set(&s, "core", "0", (struct sf_origin){ "a.ini", 2 }, &d), 0);
	CHECK_INT(limits_set(&s, "nofile", "50:60", (struct sf_origin){ "b.ini", 9 }, &d), 0);
	CHECK_INT(s.n, 2);
	CHECK(s.items[0].rl.rlim_cur == 50 && s.items[0].rl.rlim_max == 60);
	CHECK_INT(s.items[0].origin.line, 9);
	diag_clear(&d);
}

static void test_limits_format_round_trips(void)
{
	static const struct {
		int resource;
		const char *in, *out;
	} cases[] = {
		{ RLIMIT_AS, "2048M", "2G" }, { RLIMIT_AS, "1536K:unlimited", "1536K:unlimited" },
		{ RLIMIT_NOFILE, "1024:4096", "1024:4096" }, { RLIMIT_CORE, "0", "0" }, { RLIMIT_CPU, "5", "5" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_diag d = { 0 };
		struct rlimit rl;
		char *s;

		CHECK_INT(limits_parse(cases[i].resource, cases[i].in, (struct sf_origin){ "t.ini", 1 }, &rl, &d), 0);
		s = limits_format(cases[i].resource, &rl);
		CHECK_STR(s, cases[i].out);
		free(s);
		diag_clear(&d);
	}
}

static void test_limits_check_refuses_nofile_above_nr_open(void)
{
	struct sf_limits_settings s = { 0 };
	struct sf_diag d = { 0 };
	const char *want = "sysfence: t.ini:4: nofile limit 1073741824 is above the kernel's maximum (fs.nr_open = ";
	char *m;

	CHECK_INT(limits_set(&s, "nofile", "1:1073741824", (struct sf_origin){ "t.ini", 4 }, &d), 0);
	CHECK_INT(limits_check(&s, /* will_run= */ false, &d), -EPERM);
	m = first_msg(&d);
	CHECK(m && strncmp(m, want, strlen(want)) == 0);
	free(m);
	diag_clear(&d);
}

static void test_limits_apply_sets_them_in_a_child(void)
{
	struct sf_limits_settings s = { 0 };
	struct sf_diag d = { 0 };
	int status = 0;
	pid_t pid;

	CHECK_INT(limits_set(&s, "nofile", "64:128", (struct sf_origin){ "t.ini", 1 }, &d), 0);
	CHECK_INT(limits_set(&s, "core", "0", (struct sf_origin){ "t.ini", 2 }, &d), 0);
	CHECK_INT(limits_check(&s, /* will_run= */ true, &d), 0);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl;

		if (limits_apply(&s, NULL) < 0 || getrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(1);
		_exit(rl.rlim_cur == 64 && rl.rlim_max == 128 ? 0 : 2);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	diag_clear(&d);
}

int main(void)
{
	RUN(test_limits_parse_accepts_forms);
	RUN(test_limits_parse_rejects_with_exact_message);
	RUN(test_limits_every_rlimit_has_a_name);
	RUN(test_limits_later_line_replaces_earlier);
	RUN(test_limits_format_round_trips);
	RUN(test_limits_check_refuses_nofile_above_nr_open);
	RUN(test_limits_apply_sets_them_in_a_child);
	return tap_done();
}
