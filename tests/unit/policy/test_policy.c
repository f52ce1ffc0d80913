/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy resolution: names, groups, merging order, and the exact messages. */
#include "names.h"
#include "policy.h"
#include "profile.h"
#include "tap.h"

#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>

struct built {
	int r;
	struct sf_profile *p;
	struct sf_policy *pol;
	struct sf_diag d;
};

static struct built build(const char *text, const struct sf_overrides *o)
{
	struct built b = { 0 };
	const struct sf_policy_opts po = { .check_all_groups = true };

	b.p = profile_new();
	b.r = profile_parse_text(b.p, "t.ini", text, strlen(text), &b.d);
	if (b.r == 0)
		b.r = policy_build(b.p, o, &po, &b.pol, &b.d);
	return b;
}

static void done(struct built *b)
{
	policy_free(b->pol);
	profile_free(b->p);
	diag_clear(&b->d);
}

static char *first_msg(const struct built *b)
{
	return b->d.n ? diag_format(&b->d.msgs[0]) : NULL;
}

static void test_policy_later_unconditional_rule_replaces(void)
{
	struct built b = build("[seccomp]\ndefault-action = EPERM\nallow = mkdir\nkill = mkdir\nENOSYS = mkdir\n", NULL);
	const struct sf_syscall_rules *sc;

	CHECK_INT(b.r, 0);
	sc = b.pol ? policy_find_syscall(b.pol, "mkdir") : NULL;
	CHECK(sc && sc->has_uncond);
	CHECK(sc && sc->uncond.action.kind == SF_ACT_ERRNO && sc->uncond.action.errnum == ENOSYS);
	CHECK(sc && sc->uncond.origin.line == 5);
	done(&b);
}

static void test_policy_conditional_rules_accumulate(void)
{
	struct built b = build("[seccomp]\ndefault-action = allow\n"
			       "deny = socket if arg0 == 16\n"
			       "allow = socket\n"
			       "kill = socket if arg0 == 17 || arg1 & 1\n",
	    NULL);
	const struct sf_syscall_rules *sc;

	CHECK_INT(b.r, 0);
	sc = b.pol ? policy_find_syscall(b.pol, "socket") : NULL;
	CHECK(sc && sc->n_cond == 2);
	CHECK(sc && sc->has_uncond && sc->uncond.action.kind == SF_ACT_ALLOW);
	CHECK(sc && sc->cond_rules[0].origin.line == 3);
	CHECK(sc && sc->cond_rules[1].action.kind == SF_ACT_KILL_PROCESS);
	CHECK(sc && sc->cond_rules[1].cond->n == 2);
	done(&b);
}

static void test_policy_groups_nest_and_expand(void)
{
	struct built b = build("[groups]\n@a = read write\n@b = @a close\n"
			       "[seccomp]\ndefault-action = kill\nallow = @b\n",
	    NULL);

	CHECK_INT(b.r, 0);
	CHECK(b.pol && policy_find_syscall(b.pol, "read"));
	CHECK(b.pol && policy_find_syscall(b.pol, "close"));
	CHECK(b.pol && !policy_find_syscall(b.pol, "open"));
	CHECK(b.pol && b.pol->n_groups == 2);
	done(&b);
}

static void test_policy_group_defined_after_use(void)
{
	struct built b = build("[seccomp]\ndefault-action = kill\nallow = @late\n[groups]\n@late = getpid\n", NULL);

	CHECK_INT(b.r, 0);
	CHECK(b.pol && policy_find_syscall(b.pol, "getpid"));
	done(&b);
}

static void test_policy_other_arch_names_are_accepted(void)
{
	struct built b = build("[seccomp]\ndefault-action = kill\nallow = _llseek socketcall\n", NULL);

	CHECK_INT(b.r, 0);
	done(&b);
}

static void test_policy_architectures_native_first(void)
{
	struct built b = build("[seccomp]\ndefault-action = kill\narchitectures = x86 native\narchitectures = x32\n", NULL);

	CHECK_INT(b.r, 0);
	CHECK(b.pol && b.pol->filter.n_arches == 3);
	CHECK(b.pol && b.pol->filter.arches[0] == seccomp_arch_native());
	CHECK(b.pol && b.pol->filter.arches[1] == SCMP_ARCH_X86);
	CHECK(b.pol && b.pol->filter.arches[2] == SCMP_ARCH_X32);
	done(&b);
}

/* Nothing unsaid is granted: without [capabilities] every capability goes;
 * default-action = allow is how a profile says it wants no syscall rules. */
static void test_policy_without_capabilities_drops_every_capability(void)
{
	static const char *const texts[] = {
		"[seccomp]\ndefault-action = allow\n",
		"[seccomp]\ndefault-action = allow\n[capabilities]\nuser = nobody\n",
		"[seccomp]\ndefault-action = allow\n[process]\numask = 077\n",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct built b = build(texts[i], NULL);

		CHECK_INT(b.r, 0);
		CHECK(b.pol && b.pol->has_filter && b.pol->filter.default_action.kind == SF_ACT_ALLOW);
		CHECK(b.pol && b.pol->caps_changed && b.pol->caps_unsaid && b.pol->caps_keep == 0);
		done(&b);
	}
}

/* Any keep or drop line, or --caps-*, is the profile speaking. */
static void test_policy_a_caps_line_is_not_unsaid(void)
{
	struct sf_override_caps caps[] = { { true, "net_bind_service", "--caps-keep" } };
	const struct sf_overrides o = { .caps = caps, .n_caps = 1 };
	struct built b;

	b = build("[seccomp]\ndefault-action = allow\n[capabilities]\ndrop = none\n", NULL);
	CHECK_INT(b.r, 0);
	CHECK(b.pol && !b.pol->caps_unsaid && b.pol->caps_keep == cap_all_mask());
	done(&b);
	b = build("[seccomp]\ndefault-action = allow\n", &o);
	CHECK_INT(b.r, 0);
	CHECK(b.pol && !b.pol->caps_unsaid && b.pol->caps_keep == (UINT64_C(1) << CAP_NET_BIND_SERVICE));
	done(&b);
}

/* A policy without a default action is an error wherever it lacks it; the
 * command line's --default-action completes it. */
static void test_policy_without_default_action_is_an_error(void)
{
	static const char want_tail[] =
	    "the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)";
	static const struct {
		const char *text;
		unsigned line;
	} cases[] = {
		{ "", 1 },
		{ "[capabilities]\ndrop = all\n", 1 },
		{ "# comment\n[process]\numask = 077\n[seccomp]\nallow = read\n", 5 },
		{ "[network]\nfamilies = unix\n", 1 },
		{ "[seccomp]\narchitectures = native\n", 2 },
	};
	const struct sf_overrides o = { .default_action = "EPERM", .default_action_label = "--default-action" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct built b = build(cases[i].text, NULL);
		char *s = first_msg(&b);
		char want[512];

		CHECK(b.r == -EINVAL);
		if (!*cases[i].text)
			CHECK_STR(s, "sysfence: the policy has no default-action (add --default-action=ACTION; a profile that wants no syscall filter writes default-action = allow)");
		else {
			snprintf(want, sizeof(want), "sysfence: t.ini:%u: %s", cases[i].line, want_tail);
			CHECK_STR(s, want);
		}
		free(s);
		done(&b);
	}
	{
		struct built b = build("[capabilities]\ndrop = all\n", &o);

		CHECK_INT(b.r, 0);
		CHECK(b.pol && b.pol->has_filter && b.pol->filter.default_action.kind == SF_ACT_ERRNO);
		done(&b);
	}
}

/* [network] families alone invents no default action any more. */
static void test_policy_families_need_a_default_action(void)
{
	struct built b = build("[network]\nfamilies = unix\n[seccomp]\ndefault-action = allow\n", NULL);
	const struct sf_syscall_rules *sc = b.pol ? policy_find_syscall(b.pol, "socket") : NULL;

	CHECK_INT(b.r, 0);
	CHECK(sc && sc->n_cond == 1 && sc->cond_rules[0].action.kind == SF_ACT_ERRNO);
	CHECK(b.pol && b.pol->filter.default_origin.line == 4);
	done(&b);
}

static void test_policy_caps_merge_in_order(void)
{
	struct sf_override_caps caps[] = { { false, "cap_chown", "--caps-drop" } };
	const struct sf_overrides o = { .caps = caps, .n_caps = 1 };
	struct built b;

	b = build("[seccomp]\ndefault-action = allow\n[capabilities]\ndrop = all\nkeep = NET_BIND_SERVICE cap_chown Kill\n", &o);
	CHECK_INT(b.r, 0);
	CHECK(b.pol && b.pol->caps_keep == ((UINT64_C(1) << CAP_NET_BIND_SERVICE) | (UINT64_C(1) << CAP_KILL)));
	done(&b);
	b = build("[seccomp]\ndefault-action = allow\n[capabilities]\ndrop = net_raw\n", NULL);
	CHECK(b.pol && b.pol->caps_keep == (cap_all_mask() & ~(UINT64_C(1) << CAP_NET_RAW)));
	done(&b);
}

static void test_policy_command_line_comes_last(void)
{
	struct sf_override_rule rules[] = { { "allow", "mkdir", "--allow" } };
	const struct sf_overrides o = {
		.rules = rules, .n_rules = 1, .default_action = "ENOSYS", .default_action_label = "--default-action"
	};
	struct built b;
	const struct sf_syscall_rules *sc;

	b = build("[seccomp]\ndefault-action = kill\nkill = mkdir\n", &o);
	CHECK_INT(b.r, 0);
	sc = b.pol ? policy_find_syscall(b.pol, "mkdir") : NULL;
	CHECK(sc && sc->uncond.action.kind == SF_ACT_ALLOW && sc->uncond.origin.file == NULL);
	CHECK(b.pol && b.pol->filter.default_action.kind == SF_ACT_ERRNO);
	done(&b);
}

/* Two files, a profile and its .local: two layers. */
static struct built build_layers(const char *profile, const char *local, const struct sf_overrides *o)
{
	struct built b = { 0 };
	const struct sf_policy_opts po = { .check_all_groups = true };

	b.p = profile_new();
	b.r = profile_parse_text(b.p, "t.ini", profile, strlen(profile), &b.d);
	if (b.r == 0 && local)
		b.r = profile_parse_text(b.p, "t.local", local, strlen(local), &b.d);
	if (b.r == 0)
		b.r = policy_build(b.p, o, &po, &b.pol, &b.d);
	return b;
}

/* The shape the shipped default used to have: an unconditional refusal with
 * allowed exceptions, and a conditional refusal. */
static const char layered_base[] = "[seccomp]\ndefault-action = ENOSYS\n"
				   "EPERM = socket\n"
				   "allow = socket if arg0 == 1 || arg0 == 2\n"
				   "kill = socket if arg0 == 40\n";

static void test_policy_later_layer_drops_less_restrictive_conditional_rules(void)
{
	struct built b = build_layers(layered_base, "[seccomp]\ndeny = socket\n", NULL);
	const struct sf_syscall_rules *sc;

	CHECK_INT(b.r, 0);
	sc = b.pol ? policy_find_syscall(b.pol, "socket") : NULL;
	/* The allow-if was an exception to a fallback the .local replaced;
	 * the kill-if is more restrictive than the new fallback and stays. */
	CHECK(sc && sc->n_cond == 1 && sc->n_dropped == 1);
	CHECK(sc && sc->cond_rules[0].action.kind == SF_ACT_KILL_PROCESS);
	CHECK(sc && sc->cond_rules[1].action.kind == SF_ACT_ALLOW && sc->cond_rules[1].origin.line == 4);
	CHECK(sc && sc->uncond.origin.line == 2 && strcmp(sc->uncond.origin.file, "t.local") == 0);
	done(&b);
}

static void test_policy_later_allow_keeps_conditional_refusals(void)
{
	struct built b = build_layers(layered_base, "[seccomp]\nallow = socket\n", NULL);
	const struct sf_syscall_rules *sc;

	CHECK_INT(b.r, 0);
	sc = b.pol ? policy_find_syscall(b.pol, "socket") : NULL;
	CHECK(sc && sc->n_cond == 2 && sc->n_dropped == 0);
	CHECK(sc && sc->uncond.action.kind == SF_ACT_ALLOW);
	done(&b);
}

static void test_policy_same_layer_keeps_its_conditional_rules(void)
{
	struct built b = build_layers(layered_base, NULL, NULL);
	const struct sf_syscall_rules *sc;

	CHECK_INT(b.r, 0);
	sc = b.pol ? policy_find_syscall(b.pol, "socket") : NULL;
	CHECK(sc && sc->n_cond == 2 && sc->n_dropped == 0);
	done(&b);
}

static void test_policy_command_line_is_a_layer(void)
{
	struct sf_override_rule rules[] = { { "deny", "socket", "--deny" } };
	const struct sf_overrides o = { .rules = rules, .n_rules = 1 };
	struct built b;
	const struct sf_syscall_rules *sc;

	b = build_layers(layered_base, "[seccomp]\nallow = socket\n", &o);
	CHECK_INT(b.r, 0);
	sc = b.pol ? policy_find_syscall(b.pol, "socket") : NULL;
	CHECK(sc && sc->uncond.origin.file == NULL && sc->uncond.action.kind == SF_ACT_ERRNO);
	CHECK(sc && sc->n_cond == 1 && sc->n_dropped == 1);
	done(&b);
}

/* The conditional rule of sc on "arg0 == call" (or "arg0 & 0xffff == call"). */
static const struct sf_rule *rule_on_call(const struct sf_syscall_rules *sc, uint64_t call)
{
	for (size_t i = 0; sc && i < sc->n_cond; i++)
		if (sc->cond_rules[i].cond->terms[0].cmps[0].value == call)
			return &sc->cond_rules[i];
	return NULL;
}

static void test_policy_multiplexers_follow_their_sub_calls(void)
{
	static const char text[] = "[seccomp]\ndefault-action = ENOSYS\nallow = socketcall ipc socket shmget\n"
				   "deny = socket if arg0 == 40\nkill = shmget\narchitectures = native x86\n";
	struct built b = build(text, NULL);
	struct built native = build("[seccomp]\ndefault-action = ENOSYS\nallow = socket\n"
				    "deny = socket if arg0 == 40\n", NULL);
	const struct sf_syscall_rules *sc;
	const struct sf_rule *r;

	CHECK_INT(b.r, 0);
	sc = b.pol ? policy_find_syscall(b.pol, "socketcall") : NULL;
	/* SYS_SOCKET: socket's strictest action, from the line that says it */
	r = rule_on_call(sc, 1);
	CHECK(r && r->action.kind == SF_ACT_ERRNO && r->action.errnum == EPERM && r->origin.line == 4);
	/* SYS_BIND (2): bind is not allowed, so it gets the default */
	r = rule_on_call(sc, 2);
	CHECK(r && r->action.kind == SF_ACT_ERRNO && r->action.errnum == ENOSYS);
	sc = b.pol ? policy_find_syscall(b.pol, "ipc") : NULL;
	/* shmget (SHMGET 23) is killed: so is ipc(SHMGET), on the low 16 bits */
	r = rule_on_call(sc, 23);
	CHECK(r && r->action.kind == SF_ACT_KILL_PROCESS && r->cond->terms[0].cmps[0].mask == 0xffff);
	done(&b);
	/* Only the native ABI, which has no socketcall: no rule to show. */
	CHECK_INT(native.r, 0);
	CHECK(native.pol && !policy_find_syscall(native.pol, "socketcall"));
	done(&native);
}

static void test_policy_command_line_problems_name_the_option(void)
{
	struct sf_override_rule rules[] = { { "deny", "mkdri", "--deny" } };
	struct sf_override_caps caps[] = { { true, "cap_net_bin", "--caps-keep" } };
	const struct sf_overrides o = { .rules = rules,
		.n_rules = 1,
		.default_action = "allow",
		.default_action_label = "--default-action",
		.caps = caps,
		.n_caps = 1 };
	struct built b;
	char *s0, *s1;

	b = build("", &o);
	CHECK(b.r < 0);
	CHECK_INT(b.d.n, 2);
	s0 = b.d.n > 0 ? diag_format(&b.d.msgs[0]) : NULL;
	s1 = b.d.n > 1 ? diag_format(&b.d.msgs[1]) : NULL;
	CHECK_STR(s0, "sysfence: --deny: unknown syscall \"mkdri\" (did you mean \"mkdir\"?)");
	CHECK_STR(s1, "sysfence: --caps-keep: unknown capability \"cap_net_bin\" (did you mean \"cap_net_bind_service\"?)");
	free(s0);
	free(s1);
	done(&b);
}

static void test_policy_error_messages(void)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "[seccomp]\ndefault-action = kill\nallow = opne\n",
		    "sysfence: t.ini:3: unknown syscall \"opne\" (did you mean \"open\"?)" },
		{ "[seccomp]\ndefault-action = kill\nallow = zzzzzzzzzz\n", "sysfence: t.ini:3: unknown syscall \"zzzzzzzzzz\"" },
		{ "[groups]\n@io = read\n[seccomp]\ndefault-action = kill\nallow = @ioo\n",
		    "sysfence: t.ini:5: unknown group \"@ioo\" (did you mean \"@io\"?)" },
		{ "[seccomp]\ndefault-action = kill\nallow = @nothing\n",
		    "sysfence: t.ini:3: unknown group \"@nothing\" (no group library groups.ini on the search path)" },
		{ "[seccomp]\ndefault-action = alow\n",
		    "sysfence: t.ini:2: unknown action \"alow\" (expected allow, log, trap, kill, kill-thread, deny or an errno name)" },
		{ "[seccomp]\ndefault-action = kill\nalow = read\n",
		    "sysfence: t.ini:3: unknown key \"alow\" in [seccomp] (did you mean \"allow\"?)" },
		{ "[seccomp]\ndefault-action = kill\nEPRM = read\n",
		    "sysfence: t.ini:3: unknown key \"EPRM\" in [seccomp] (did you mean \"EPERM\"?)" },
		{ "[capabilities]\nkeep = cap_net_bin\n",
		    "sysfence: t.ini:2: unknown capability \"cap_net_bin\" (did you mean \"cap_net_bind_service\"?)" },
		{ "[capabilities]\nkepe = all\n",
		    "sysfence: t.ini:2: unknown key \"kepe\" in [capabilities] (did you mean \"keep\"?)" },
		{ "[process]\nno-new-privs = maybe\n", "sysfence: t.ini:2: expected yes or no, found \"maybe\"" },
		{ "[process]\numask = 0778\n", "sysfence: t.ini:2: invalid umask \"0778\" (expected octal 000 to 777, e.g. 077)" },
		{ "[process]\nenv-set = FOO\n",
		    "sysfence: t.ini:2: expected NAME=value with a variable name (letters, digits, _), found \"FOO\"" },
		{ "[process]\nnew-sesion = yes\n",
		    "sysfence: t.ini:2: unknown key \"new-sesion\" in [process] (did you mean \"new-session\"?)" },
		{ "[limits]\nnofile = 2048:1024\n",
		    "sysfence: t.ini:2: soft limit is above the hard limit in \"2048:1024\" for nofile" },
		{ "[limits]\nnofiles = 1024\n", "sysfence: t.ini:2: unknown key \"nofiles\" in [limits] (did you mean \"nofile\"?)" },
		{ "[filesystem]\nread-only = usr\n",
		    "sysfence: t.ini:2: read-only paths must be absolute (or start with ${VAR}), found \"usr\"" },
		{ "[filesystem]\nread-onyl = /usr\n",
		    "sysfence: t.ini:2: unknown key \"read-onyl\" in [filesystem] (did you mean \"read-only\"?)" },
		{ "[network]\nfamilies = unix inet4\n",
		    "sysfence: t.ini:2: unknown socket family \"inet4\" (did you mean \"inet\"?)" },
		{ "[seccomp]\ndefault-action = kill\narchitectures = x87\n",
		    "sysfence: t.ini:3: unknown architecture \"x87\"" },
		{ "[seccomp]\nallow = read\n",
		    "sysfence: t.ini:2: the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)" },
		{ "[seccomp]\ndefault-action = kill\ndeny = read write if arg0 == 1\n",
		    "sysfence: t.ini:3: a conditional rule names exactly one syscall (write one line per syscall)" },
		{ "[groups]\n@g = read\n[seccomp]\ndefault-action = kill\ndeny = @g if arg0 == 1\n",
		    "sysfence: t.ini:5: a conditional rule names one syscall, not a group (\"@g\")" },
		{ "[groups]\n@a = @b\n@b = @a\n", "sysfence: t.ini:2: group \"@a\" includes itself" },
		{ "[groups]\n@a = read\n@a.descr = x\n",
		    "sysfence: t.ini:3: unknown key \"@a.descr\" in [groups] (expected @NAME or @NAME.description)" },
		{ "[groups]\nio = read\n",
		    "sysfence: t.ini:2: invalid group name \"io\" (group names start with @ and use letters, digits, - and _)" },
		{ "[profile]\ndescriptoin = x\n",
		    "sysfence: t.ini:2: unknown key \"descriptoin\" in [profile] (did you mean \"description\"?)" },
		{ "[seccomp]\ndefault-action = kill\nallow =\n",
		    "sysfence: t.ini:3: empty list: name at least one syscall or @group" },
		{ "[capabilities]\nuser = a b\n", "sysfence: t.ini:2: expected one user or group name, found \"a b\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct built b = build(cases[i].text, NULL);
		char *s = first_msg(&b);

		CHECK(b.r < 0);
		CHECK_STR(s, cases[i].msg);
		free(s);
		done(&b);
	}
}

static void test_policy_reports_every_problem(void)
{
	struct built b = build("[seccomp]\ndefault-action = kill\nallow = opne\nallow = redd\n[capabilities]\nkeep = bogus\n",
	    NULL);

	CHECK(b.r < 0);
	CHECK_INT(b.d.n_errors, 3);
	done(&b);
}

static void test_policy_explain_names_origins(void)
{
	struct built b = build("[seccomp]\ndefault-action = EPERM\nallow = read\ndeny = ioctl if arg1 == 0x5412\n", NULL);
	char *text = b.pol ? policy_explain(b.pol) : NULL;

	CHECK(text && strstr(text, "default-action = EPERM"));
	CHECK(text && strstr(text, "; t.ini:2"));
	CHECK(text && strstr(text, "allow = read"));
	CHECK(text && strstr(text, "; t.ini:3"));
	CHECK(text && strstr(text, "EPERM = ioctl if arg1 == 0x5412"));
	CHECK(text && strstr(text, "; t.ini:4"));
	free(text);
	done(&b);
}

/* restrict-suid-sgid: as root without user = by default, as written
 * otherwise; its refusals are derived, so "allow = chmod" on the command
 * line does not reopen them. */
static void test_policy_restrict_suid_sgid_defaults_to_root(void)
{
	static const struct {
		const char *text;
		bool as_root, refused;
		unsigned line; /* of the rules' origin, 0: the root default */
	} cases[] = {
		{ "[seccomp]\ndefault-action = allow\n", true, true, 0 },
		{ "[seccomp]\ndefault-action = allow\n", false, false, 0 },
		{ "[seccomp]\ndefault-action = allow\n[capabilities]\nuser = nobody\n", true, false, 0 },
		{ "[seccomp]\ndefault-action = allow\n[sandbox]\nrestrict-suid-sgid = no\n", true, false, 0 },
		{ "[seccomp]\ndefault-action = allow\n[sandbox]\nrestrict-suid-sgid = yes\n", false, true, 4 },
	};
	const struct sf_override_rule allow = { "allow", "chmod", "--allow" };
	const struct sf_overrides ov = { .rules = (struct sf_override_rule *)&allow, .n_rules = 1 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sf_policy_opts po = { .as_root = cases[i].as_root };
		struct built b = { 0 };
		const struct sf_syscall_rules *sc;

		b.p = profile_new();
		b.r = profile_parse_text(b.p, "t.ini", cases[i].text, strlen(cases[i].text), &b.d);
		if (b.r == 0)
			b.r = policy_build(b.p, &ov, &po, &b.pol, &b.d);
		CHECK_INT(b.r, 0);
		sc = b.pol ? policy_find_syscall(b.pol, "chmod") : NULL;
		CHECK(sc != NULL);
		CHECK_INT(sc ? (int)sc->n_cond : -1, cases[i].refused ? 1 : 0);
		if (sc && sc->n_cond) {
			CHECK(
			    sc->cond_rules[0].action.kind == SF_ACT_ERRNO && sc->cond_rules[0].action.errnum == EPERM);
			CHECK_INT((int)sc->cond_rules[0].origin.line, (int)cases[i].line);
		}
		sc = b.pol ? policy_find_syscall(b.pol, "openat2") : NULL;
		CHECK(cases[i].refused == (sc != NULL && sc->n_cond == 1));
		CHECK(b.pol && b.pol->sandbox.restrict_suid_sgid.value == cases[i].refused);
		done(&b);
	}
}

int main(void)
{
	RUN(test_policy_restrict_suid_sgid_defaults_to_root);
	RUN(test_policy_later_unconditional_rule_replaces);
	RUN(test_policy_conditional_rules_accumulate);
	RUN(test_policy_groups_nest_and_expand);
	RUN(test_policy_group_defined_after_use);
	RUN(test_policy_other_arch_names_are_accepted);
	RUN(test_policy_architectures_native_first);
	RUN(test_policy_without_capabilities_drops_every_capability);
	RUN(test_policy_a_caps_line_is_not_unsaid);
	RUN(test_policy_without_default_action_is_an_error);
	RUN(test_policy_families_need_a_default_action);
	RUN(test_policy_caps_merge_in_order);
	RUN(test_policy_command_line_comes_last);
	RUN(test_policy_later_layer_drops_less_restrictive_conditional_rules);
	RUN(test_policy_later_allow_keeps_conditional_refusals);
	RUN(test_policy_same_layer_keeps_its_conditional_rules);
	RUN(test_policy_command_line_is_a_layer);
	RUN(test_policy_multiplexers_follow_their_sub_calls);
	RUN(test_policy_command_line_problems_name_the_option);
	RUN(test_policy_error_messages);
	RUN(test_policy_reports_every_problem);
	RUN(test_policy_explain_names_origins);
	return tap_done();
}
