/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command line parsing: every option form, and the exact error texts. */
#include "options.h"
#include "tap.h"

#include <stdlib.h>

struct parsed {
	int r;
	struct sf_options o;
	struct sf_diag d;
};

static struct parsed parse(char **argv)
{
	struct parsed p = { 0 };
	int argc = 0;

	while (argv[argc])
		argc++;
	p.r = options_parse(argc, argv, &p.o, &p.d);
	return p;
}

static void done(struct parsed *p)
{
	options_free(&p->o);
	diag_clear(&p->d);
}

static void test_options_profile_forms(void)
{
	char *forms[][5] = {
		{ "sysfence", "-p", "curl", "true", NULL },
		{ "sysfence", "-pcurl", "true", NULL },
		{ "sysfence", "--profile", "curl", "true", NULL },
		{ "sysfence", "--profile=curl", "true", NULL },
		{ "sysfence", "--profile=curl", "--", "true", NULL },
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct parsed p = parse(forms[i]);

		CHECK_INT(p.r, 0);
		CHECK_STR(p.o.profile, "curl");
		CHECK_INT(p.o.argc, 1);
		CHECK_STR(p.o.argv[0], "true");
		done(&p);
	}
}

static void test_options_program_ends_options(void)
{
	char *argv[] = { "sysfence", "-v", "ls", "-p", "--deny=x", NULL };
	struct parsed p = parse(argv);

	CHECK_INT(p.r, 0);
	CHECK(p.o.verbose);
	CHECK(p.o.profile == NULL);
	CHECK_INT(p.o.over.n_rules, 0);
	CHECK_INT(p.o.argc, 3);
	CHECK_STR(p.o.argv[1], "-p");
	done(&p);
}

static void test_options_double_dash_allows_dash_program(void)
{
	char *argv[] = { "sysfence", "--", "-weird", NULL };
	struct parsed p = parse(argv);

	CHECK_INT(p.r, 0);
	CHECK_STR(p.o.argv[0], "-weird");
	done(&p);
}

static void test_options_rules_keep_order(void)
{
	char *argv[] = { "sysfence", "--allow=read,write", "--deny", "mkdir", "--kill=ptrace",
		"--caps-keep=net_raw", "--caps-drop", "all", "--default-action=EPERM", "true", NULL };
	struct parsed p = parse(argv);

	CHECK_INT(p.r, 0);
	CHECK_INT(p.o.over.n_rules, 3);
	CHECK_STR(p.o.over.rules[0].action, "allow");
	CHECK_STR(p.o.over.rules[0].label, "--allow");
	CHECK_STR(p.o.over.rules[0].list, "read,write");
	CHECK_STR(p.o.over.rules[1].action, "deny");
	CHECK_STR(p.o.over.rules[1].label, "--deny");
	CHECK_STR(p.o.over.rules[2].action, "kill");
	CHECK_INT(p.o.over.n_caps, 2);
	CHECK(p.o.over.caps[0].keep);
	CHECK_STR(p.o.over.caps[0].list, "net_raw");
	CHECK_STR(p.o.over.caps[0].label, "--caps-keep");
	CHECK(!p.o.over.caps[1].keep);
	CHECK_STR(p.o.over.caps[1].label, "--caps-drop");
	CHECK_STR(p.o.over.default_action, "EPERM");
	CHECK_STR(p.o.over.default_action_label, "--default-action");
	done(&p);
}

static void test_options_short_cluster(void)
{
	char *argv[] = { "sysfence", "-qv", "-p", "x", "true", NULL };
	struct parsed p = parse(argv);

	CHECK_INT(p.r, 0);
	CHECK(p.o.verbose);
	CHECK(!p.o.quiet);
	done(&p);
}

static void test_options_modes(void)
{
	char *a[] = { "sysfence", "--check", "-p", "x", NULL };
	char *b[] = { "sysfence", "--list", NULL };
	char *c[] = { "sysfence", "--list-groups", NULL };
	char *e[] = { "sysfence", "--explain", "true", NULL };
	char *h[] = { "sysfence", "--help", NULL };
	char *v[] = { "sysfence", "-V", NULL };
	struct parsed p;

	p = parse(a);
	CHECK_INT(p.o.mode, SF_MODE_CHECK);
	CHECK_INT(p.o.argc, 0);
	done(&p);
	p = parse(b);
	CHECK_INT(p.o.mode, SF_MODE_LIST);
	done(&p);
	p = parse(c);
	CHECK_INT(p.o.mode, SF_MODE_LIST_GROUPS);
	done(&p);
	p = parse(e);
	CHECK_INT(p.o.mode, SF_MODE_EXPLAIN);
	done(&p);
	p = parse(h);
	CHECK_INT(p.o.mode, SF_MODE_HELP);
	done(&p);
	p = parse(v);
	CHECK_INT(p.o.mode, SF_MODE_VERSION);
	done(&p);
}

static void test_options_set_splits_section_key_value(void)
{
	char *argv[] = { "sysfence", "--set=process.env-set=FOO=bar=baz", "--set", " limits . nofile = 64 ",
		"--set=sandbox.private-tmp=", "true", NULL };
	struct parsed p = parse(argv);

	CHECK_INT(p.r, 0);
	CHECK_INT(p.o.over.n_sets, 3);
	if (p.o.over.n_sets == 3) {
		CHECK_STR(p.o.over.sets[0].section, "process");
		CHECK_STR(p.o.over.sets[0].key, "env-set");
		CHECK_STR(p.o.over.sets[0].value, "FOO=bar=baz");
		CHECK_STR(p.o.over.sets[0].label, "--set");
		CHECK_STR(p.o.over.sets[1].section, "limits");
		CHECK_STR(p.o.over.sets[1].key, "nofile");
		CHECK_STR(p.o.over.sets[1].value, "64");
		/* Sections and keys are the policy's to check, and an empty
		 * value is a file's "key =". */
		CHECK_STR(p.o.over.sets[2].section, "sandbox");
		CHECK_STR(p.o.over.sets[2].value, "");
	}
	CHECK_STR(p.o.argv[0], "true");
	done(&p);
}

static void test_options_aliases_are_sets(void)
{
	static const struct {
		char *arg;
		const char *label, *section, *key, *value;
	} cases[] = {
		{ "--protocol=unix,inet", "--protocol", "network", "families", "unix,inet" },
		{ "--nonewprivs", "--nonewprivs", "process", "no-new-privs", "yes" },
		{ "--rlimit-as=2G", "--rlimit-as", "limits", "as", "2G" },
		{ "--rlimit-cpu=10", "--rlimit-cpu", "limits", "cpu", "10" },
		{ "--rlimit-fsize=1M", "--rlimit-fsize", "limits", "fsize", "1M" },
		{ "--rlimit-nofile=64", "--rlimit-nofile", "limits", "nofile", "64" },
		{ "--rlimit-nproc=100", "--rlimit-nproc", "limits", "nproc", "100" },
		{ "--rlimit-sigpending=5", "--rlimit-sigpending", "limits", "sigpending", "5" },
		{ "--env=A=b=c", "--env", "process", "env-set", "A=b=c" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[] = { "sysfence", cases[i].arg, "true", NULL };
		struct parsed p = parse(argv);

		CHECK_INT(p.r, 0);
		CHECK_INT(p.o.over.n_sets, 1);
		if (p.o.over.n_sets == 1) {
			CHECK_STR(p.o.over.sets[0].label, cases[i].label);
			CHECK_STR(p.o.over.sets[0].section, cases[i].section);
			CHECK_STR(p.o.over.sets[0].key, cases[i].key);
			CHECK_STR(p.o.over.sets[0].value, cases[i].value);
		}
		done(&p);
	}
}

static void test_options_caps_aliases(void)
{
	char *argv[] = { "sysfence", "--caps.drop=all", "--caps.keep", "net_raw", "true", NULL };
	struct parsed p = parse(argv);

	CHECK_INT(p.r, 0);
	CHECK_INT(p.o.over.n_caps, 2);
	if (p.o.over.n_caps == 2) {
		CHECK(!p.o.over.caps[0].keep);
		CHECK_STR(p.o.over.caps[0].list, "all");
		CHECK_STR(p.o.over.caps[0].label, "--caps.drop");
		CHECK(p.o.over.caps[1].keep);
		CHECK_STR(p.o.over.caps[1].label, "--caps.keep");
	}
	done(&p);
}

static void test_options_error_messages(void)
{
	static struct {
		char *argv[6];
		const char *msg;
	} cases[] = {
		{ { "sysfence", "--frobnicate", "true" }, "sysfence: unknown option \"--frobnicate\"" },
		{ { "sysfence", "--profle=x", "true" },
		    "sysfence: unknown option \"--profle\" (did you mean \"--profile\"?)" },
		{ { "sysfence", "-x", "true" }, "sysfence: unknown option \"-x\"" },
		{ { "sysfence", "--profile" }, "sysfence: option \"--profile\" needs a value" },
		{ { "sysfence", "-p" }, "sysfence: option \"-p\" needs a value" },
		{ { "sysfence", "--check=yes", "true" }, "sysfence: option \"--check\" takes no value" },
		{ { "sysfence", "-v" }, "sysfence: no program given (see \"sysfence --help\")" },
		{ { "sysfence", "--check", "--explain", "true" },
		    "sysfence: option \"--explain\" cannot be combined with another mode option" },
		{ { "sysfence", "--export=xml", "true" },
		    "sysfence: unknown export format \"xml\" (expected bpf, pfc, oci or systemd)" },
		{ { "sysfence", "-o", "out", "true" }, "sysfence: option \"--output\" only goes with --export=FORMAT" },
		{ { "sysfence", "--learn=out.ini", "--check", "true" },
		    "sysfence: option \"--learn\" cannot be combined with another mode option" },
		{ { "sysfence", "--learn", "out.ini", "true" },
		    "sysfence: option \"--learn\" takes its value after \"=\": write --learn=out.ini, not --learn out.ini" },
		{ { "sysfence", "--learn", "--", "true" },
		    "sysfence: option \"--learn\" needs a file: write --learn=FILE" },
		{ { "sysfence", "--learn" }, "sysfence: option \"--learn\" needs a file: write --learn=FILE" },
		{ { "sysfence", "--learn=--", "true" },
		    "sysfence: option \"--learn\" needs a file name, not \"--\": write --learn=FILE -- PROGRAM" },
		{ { "sysfence", "--learn=", "true" }, "sysfence: option \"--learn\" needs a non-empty value" },
		{ { "sysfence", "--list", "extra" }, "sysfence: unexpected argument \"extra\"" },
		{ { "sysfence", "--profile=", "true" }, "sysfence: option \"--profile\" needs a non-empty value" },
		{ { "sysfence", "--set=seccomp.deny", "true" },
		    "sysfence: --set: no \"=VALUE\" in \"seccomp.deny\" (expected SECTION.KEY=VALUE)" },
		{ { "sysfence", "--set=seccomp.=mkdir", "true" },
		    "sysfence: --set: no key in \"seccomp.=mkdir\" (expected SECTION.KEY=VALUE)" },
		{ { "sysfence", "--set= .deny=mkdir", "true" },
		    "sysfence: --set: no section in \" .deny=mkdir\" (expected SECTION.KEY=VALUE)" },
		{ { "sysfence", "--set=deny=mkdir", "true" },
		    "sysfence: --set: no \".\" between section and key in \"deny=mkdir\" (expected SECTION.KEY=VALUE)" },
		{ { "sysfence", "--set=process.env-set=A=1\nB=2", "true" },
		    "sysfence: --set: the value cannot span lines (give one --set per line)" },
		{ { "sysfence", "--set" }, "sysfence: option \"--set\" needs a value" },
		{ { "sysfence", "--nonewprivs=yes", "true" }, "sysfence: option \"--nonewprivs\" takes no value" },
		{ { "sysfence", "--rlimit-nofil=1", "true" },
		    "sysfence: unknown option \"--rlimit-nofil\" (did you mean \"--rlimit-nofile\"?)" },
		{ { "sysfence", "--precompile", "--set=limits.nofile=64" },
		    "sysfence: option \"--set\" cannot be combined with --precompile (a run with --set compiles its policy itself)" },
		{ { "sysfence", "--precompile", "--rlimit-nofile=64" },
		    "sysfence: option \"--rlimit-nofile\" cannot be combined with --precompile (a run with --set compiles its policy itself)" },
		{ { "sysfence", "--learn=o.ini", "--set=seccomp.deny=mkdir", "true" },
		    "sysfence: option \"--learn\" replaces the seccomp rules: it cannot be combined with --set=seccomp.KEY=VALUE" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed p = parse(cases[i].argv);
		char *s;

		CHECK(p.r < 0);
		CHECK_INT(p.d.n, 1);
		s = p.d.n ? diag_format(&p.d.msgs[0]) : NULL;
		CHECK_STR(s, cases[i].msg);
		free(s);
		done(&p);
	}
}

int main(void)
{
	RUN(test_options_profile_forms);
	RUN(test_options_program_ends_options);
	RUN(test_options_double_dash_allows_dash_program);
	RUN(test_options_rules_keep_order);
	RUN(test_options_short_cluster);
	RUN(test_options_modes);
	RUN(test_options_set_splits_section_key_value);
	RUN(test_options_aliases_are_sets);
	RUN(test_options_caps_aliases);
	RUN(test_options_error_messages);
	return tap_done();
}
