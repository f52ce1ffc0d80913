/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Words for --report (see report.h). The rule named is found the way
 * sysfence.profile(5) defines the meaning: the syscall's conditional rules, most
 * restrictive first and the later written first within a kind, then its
 * unconditional rule, then default-action. The supervisor passes what the
 * compiled filter really answered (bpfsim on the profile's own program), so
 * the rule named is always one whose action is that answer. */
#include "report.h"

#include "cleanup.h"
#include "escape.h"
#include "membuf.h"
#include "names.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* x32 calls arrive as x86-64 with this bit set in nr (docs/filter.md). */
#define X32_SYSCALL_BIT 0x40000000u

/* ---- which rule decided ----------------------------------------------------- */

static bool cmp_holds(const struct sf_cmp *c, uint64_t x)
{
	switch (c->op) {
	case SF_CMP_EQ:
		return x == c->value;
	case SF_CMP_NE:
		return x != c->value;
	case SF_CMP_LT:
		return x < c->value;
	case SF_CMP_LE:
		return x <= c->value;
	case SF_CMP_GT:
		return x > c->value;
	case SF_CMP_GE:
		return x >= c->value;
	case SF_CMP_MASKED_EQ:
		return (x & c->mask) == c->value;
	case SF_CMP_ANY_BITS:
		return (x & c->mask) != 0;
	}
	return false;
}

/* A comparison holds under some reading of the argument (all 64 bits, or
 * the low 32 zero- or sign-extended): docs/filter.md's W(c), which is what a
 * rule more restrictive than its fallback tests. */
static bool cmp_holds_somehow(const struct sf_cmp *c, const uint64_t *args)
{
	uint64_t x = args[c->arg < 6 ? c->arg : 0];

	return cmp_holds(c, x) || cmp_holds(c, (uint32_t)x) || cmp_holds(c, (uint64_t)(int64_t)(int32_t)x);
}

static bool cond_holds(const struct sf_cond *cond, const uint64_t *args)
{
	for (size_t t = 0; t < cond->n; t++) {
		bool all = true;

		for (size_t k = 0; k < cond->terms[t].n && all; k++)
			all = cmp_holds_somehow(&cond->terms[t].cmps[k], args);
		if (all)
			return true;
	}
	return false;
}

static bool action_eq(struct sf_action a, struct sf_action b)
{
	return a.kind == b.kind && (a.kind != SF_ACT_ERRNO || a.errnum == b.errnum);
}

static struct sf_action action_of_ret(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ERRNO:
		return (struct sf_action){ SF_ACT_ERRNO, (int)(ret & SECCOMP_RET_DATA) };
	case SECCOMP_RET_KILL_THREAD:
		return (struct sf_action){ SF_ACT_KILL_THREAD, 0 };
	case SECCOMP_RET_TRAP:
		return (struct sf_action){ SF_ACT_TRAP, 0 };
	case SECCOMP_RET_LOG:
		return (struct sf_action){ SF_ACT_LOG, 0 };
	case SECCOMP_RET_ALLOW:
		return (struct sf_action){ SF_ACT_ALLOW, 0 };
	default:
		return (struct sf_action){ SF_ACT_KILL_PROCESS, 0 };
	}
}

enum decided_by { BY_COND, BY_UNCOND, BY_DEFAULT, BY_ARCH };

/* The conditional rule of sc that matches args and has action a, tried in
 * the compiler's order (docs/filter.md "A syscall's block"), or NULL. */
static const struct sf_rule *matching_cond_rule(const struct sf_syscall_rules *sc, const uint64_t *args,
    struct sf_action a)
{
	const struct sf_rule *best = NULL;

	for (size_t i = 0; i < sc->n_cond; i++) {
		const struct sf_rule *r = &sc->cond_rules[i];

		if (!action_eq(r->action, a) || !cond_holds(r->cond, args))
			continue;
		best = r;	/* the later written wins within a kind */
	}
	return best;
}

static bool arch_listed(const struct sf_policy *pol, uint32_t arch)
{
	for (size_t i = 0; i < pol->filter.n_arches; i++)
		if (pol->filter.arches[i] == arch)
			return true;
	return false;
}

/* ---- the line ----------------------------------------------------------------- */

static void put_groups(FILE *f, const struct sf_policy *pol, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; name && i < pol->n_groups; i++)
		for (size_t k = 0; k < pol->groups[i].n_words; k++)
			if (strcmp(pol->groups[i].words[k], name) == 0) {
				n++;
				break;
			}
	if (n == 0) {
		fputs("no group", f);
		return;
	}
	fputs(n == 1 ? "group " : "groups ", f);
	n = 0;
	for (size_t i = 0; i < pol->n_groups; i++)
		for (size_t k = 0; k < pol->groups[i].n_words; k++)
			if (strcmp(pol->groups[i].words[k], name) == 0) {
				fprintf(f, "%s%s", n++ ? ", " : "", pol->groups[i].name);
				break;
			}
}

static void put_outcome(FILE *f, const struct report_event *ev)
{
	struct sf_action a = action_of_ret(ev->ret);

	if (ev->permissive)
		fputs("would be ", f);
	switch (a.kind) {
	case SF_ACT_ERRNO: {
		const char *en = strerrorname_np(a.errnum);

		if (en)
			fputs(en, f);
		else
			fprintf(f, "errno %d", a.errnum);
		return;
	}
	case SF_ACT_KILL_THREAD:
	case SF_ACT_KILL_PROCESS:
		fputs(a.kind == SF_ACT_KILL_THREAD ? "killed by kill-thread" : "killed", f);
		if (ev->sigkill)
			fputs(" with SIGKILL, as the program catches or blocks SIGSYS", f);
		return;
	case SF_ACT_TRAP:
		fputs("trapped", f);
		return;
	case SF_ACT_ALLOW:
	case SF_ACT_LOG:
		fputs(action_name(a), f);
		return;
	}
}

/* The line that would allow the call: for the syscalls whose arguments
 * make a tighter rule, a rule for this value only. */
static void put_allow_line(FILE *f, const char *name, const struct seccomp_data *sd, bool command_line)
{
	int tight = report_tight_arg(name);
	_cleanup_free_ char *v = NULL;

	/* A clone rule on the exact flags would be too brittle to suggest. */
	if (tight >= 0 && strcmp(name, "clone") != 0)
		v = report_arg_value(name, (unsigned)tight, sd->args[tight]);
	if (command_line) {
		if (v)
			fprintf(f, "--allow=\"%s if arg%d == %s\"", name, tight, v);
		else
			fprintf(f, "--allow=%s", name);
	} else if (v)
		fprintf(f, "allow = %s if arg%d == %s", name, tight, v);
	else
		fprintf(f, "allow = %s", name);
}

static void put_origin(FILE *f, struct sf_origin o)
{
	fprintf(f, "%s:%u", o.file, o.line);
}

/* The fix, and where it goes: ev->fix_file, the profile or the .local
 * file of a shipped one (report_fix_file()). A rule of the profile named
 * by file:line is replaced in place when it is in that file, and outvoted
 * by a later layer otherwise (an unconditional rule of a later layer
 * replaces it). */
static void put_fix(FILE *f, const struct sf_policy *pol, const struct report_event *ev, const char *name,
    enum decided_by by, const struct sf_rule *rule)
{
	const char *fix = ev->fix_file;
	uint32_t arch = ev->data.arch;

	switch (by) {
	case BY_ARCH:
		if (arch == SCMP_ARCH_X86_64 && ((uint32_t)ev->data.nr & X32_SYSCALL_BIT))
			arch = SCMP_ARCH_X32;
		fputs(fix ? "set \"architectures = native" : "architectures = native", f);
		for (size_t i = 1; i < pol->filter.n_arches; i++) {
			const char *on = arch_name(pol->filter.arches[i]);

			fprintf(f, " %s", on ? on : "?");
		}
		fprintf(f, " %s", arch_name(arch) ? arch_name(arch) : "?");
		if (fix)
			fprintf(f, "\" in [seccomp] of %s", fix);
		return;
	case BY_COND:
		/* A matching conditional rule beats every other rule of a kind
		 * less restrictive: no added line can allow this call. */
		if (rule->origin.file) {
			fputs("change the rule at ", f);
			put_origin(f, rule->origin);
		} else
			fputs("change the rule on the command line", f);
		return;
	case BY_UNCOND:
	case BY_DEFAULT:
		break;
	}
	if (!name) {
		fprintf(f, "nothing (libseccomp has no name for syscall %d)", (int)ev->data.nr);
		return;
	}
	if (by == BY_UNCOND && !rule->origin.file) {
		put_allow_line(f, name, &ev->data, true);
		return;
	}
	if (!fix) {
		put_allow_line(f, name, &ev->data, false);
		return;
	}
	if (by == BY_UNCOND && strcmp(rule->origin.file, fix) == 0) {
		fputs("replace the rule at ", f);
		put_origin(f, rule->origin);
		fputs(" with \"", f);
		put_allow_line(f, name, &ev->data, false);
		fputc('"', f);
		return;
	}
	fputs("add \"", f);
	put_allow_line(f, name, &ev->data, false);
	fprintf(f, "\" to [seccomp] in %s", fix);
	if (by == BY_UNCOND) {
		fputs(" (it overrides the rule at ", f);
		put_origin(f, rule->origin);
		fputc(')', f);
	}
}

/* Which rule decided the call name (NULL: libseccomp has none) on arch
 * with action a; *ret_rule is that rule, or NULL for the default and for
 * an ABI not listed. */
static enum decided_by decide(const struct sf_policy *pol, const struct seccomp_data *sd, uint32_t arch,
    const char *name, struct sf_action a, const struct sf_rule **ret_rule)
{
	const struct sf_syscall_rules *sc = NULL;
	uint64_t args[6];

	*ret_rule = NULL;
	if (!arch_listed(pol, arch))
		return BY_ARCH;
	sc = name ? policy_find_syscall(pol, name) : NULL;
	for (size_t i = 0; i < 6; i++)
		args[i] = sd->args[i];
	*ret_rule = sc ? matching_cond_rule(sc, args, a) : NULL;
	if (*ret_rule)
		return BY_COND;
	if (sc && sc->has_uncond) {
		*ret_rule = &sc->uncond;
		return BY_UNCOND;
	}
	return BY_DEFAULT;
}

/* "rule FILE:LINE", or where a rule of the command line came from. */
static void put_decider(FILE *f, const struct sf_policy *pol, enum decided_by by, const struct sf_rule *rule)
{
	switch (by) {
	case BY_ARCH:
		fputs("its ABI is not in architectures", f);
		break;
	case BY_COND:
	case BY_UNCOND:
		if (rule->origin.file) {
			fputs("rule ", f);
			put_origin(f, rule->origin);
		} else
			fputs("rule on the command line", f);
		break;
	case BY_DEFAULT:
		if (pol->filter.default_origin.file) {
			fputs("rule ", f);
			put_origin(f, pol->filter.default_origin);
		} else
			fputs("rule --default-action", f);
		break;
	}
}

char *report_line(const struct sf_policy *pol, const struct report_event *ev)
{
	const struct seccomp_data *sd = &ev->data;
	uint32_t arch = sd->arch;
	const struct sf_rule *rule = NULL;
	enum decided_by by;
	_cleanup_free_ char *name = NULL;
	_cleanup_membuf_ struct membuf m = { 0 };
	FILE *f;

	if (arch == SCMP_ARCH_X86_64 && ((uint32_t)sd->nr & X32_SYSCALL_BIT))
		arch = SCMP_ARCH_X32;
	name = seccomp_syscall_resolve_num_arch(arch, sd->nr);
	by = decide(pol, sd, arch, name, action_of_ret(ev->ret), &rule);
	if (membuf_open(&m) < 0)
		return NULL;
	f = m.f;
	fprintf(f, "pid %d", (int)(ev->pid ? ev->pid : ev->tid));
	if (ev->pid && ev->tid != ev->pid)
		fprintf(f, " thread %d", (int)ev->tid);
	if (ev->exe) {
		/* The program chose that path: it reaches a terminal escaped. */
		fputs(" (", f);
		escape_put(f, ev->exe);
		fputs("): ", f);
	} else
		fputs(" (executable unknown): ", f);
	report_put_call(f, name, sd);
	if (arch != pol->filter.arches[0]) {
		const char *an = arch_name(arch);

		fprintf(f, " [%s ABI]", an ? an : "unknown");
	}
	fputs(": ", f);
	put_outcome(f, ev);
	fputs(" (", f);
	put_decider(f, pol, by, rule);
	fputs(", ", f);
	put_groups(f, pol, name);
	fputs("); to allow: ", f);
	put_fix(f, pol, ev, name, by, rule);
	return membuf_take(&m, NULL);
}
