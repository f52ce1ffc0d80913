/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text output of a policy: --explain and --list-groups. */
#include "cleanup.h"
#include "cond.h"
#include "membuf.h"
#include "names.h"
#include "policy.h"

#include <cap-ng.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text output -------------------------------------------------------- */

/* FILE:LINE; an option or a derived default's text (line 0) as it is. */
static void origin_print(FILE *f, struct sf_origin o)
{
	if (o.file && o.line)
		fprintf(f, "%s:%u", o.file, o.line);
	else if (o.file) /* an option ("--set") or a derived default's text */
		fputs(o.file, f);
	else
		fputs("command line", f);
}

static int cmp_syscall_name(const void *a, const void *b)
{
	const struct sf_syscall_rules *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* One "key = value ; origin" line; value is printed with fmt. */
__attribute__((format(printf, 4, 5)))
static void setting_print(FILE *f, const char *key, struct sf_origin o, const char *fmt, ...)
{
	_cleanup_free_ char *value = NULL;
	_cleanup_free_ char *lhs = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&value, fmt, ap) < 0)
		value = NULL;
	va_end(ap);
	if (!value || asprintf(&lhs, "%s = %s", key, value) < 0)
		return;
	fprintf(f, "%-45s ; ", lhs);
	origin_print(f, o);
	fputc('\n', f);
}

/* [process] beyond no-new-privs, [limits], [filesystem], [network]. */
static void explain_confinement(FILE *f, const struct sf_policy *pol)
{
	const struct sf_process_settings *ps = &pol->process;
	const struct sf_network_settings *net = &pol->network;

	if (ps->new_session_origin.file)
		setting_print(f, "new-session", ps->new_session_origin, "%s", ps->new_session ? "yes" : "no");
	if (ps->die_with_parent_origin.file)
		setting_print(f, "die-with-parent", ps->die_with_parent_origin, "%s", ps->die_with_parent ? "yes" : "no");
	if (ps->close_fds_origin.file)
		setting_print(f, "close-fds", ps->close_fds_origin, "%s", ps->close_fds ? "yes" : "no");
	if (ps->has_umask)
		setting_print(f, "umask", ps->umask_origin, "%03o", (unsigned)ps->umask);
	if (ps->chdir)
		setting_print(f, "chdir", ps->chdir_origin, "%s", ps->chdir);
	if (ps->env_clear_origin.file)
		setting_print(f, "env-clear", ps->env_clear_origin, "%s", ps->env_clear ? "yes" : "no");
	for (size_t i = 0; i < ps->n_env_keep; i++)
		setting_print(f, "env-keep", ps->env_keep[i].origin, "%s", ps->env_keep[i].text);
	for (size_t i = 0; i < ps->n_env_set; i++)
		setting_print(f, "env-set", ps->env_set[i].origin, "%s", ps->env_set[i].text);

	fputs("\n[limits]\n", f);
	if (pol->limits.n == 0)
		fputs("# none: the limits sysfence inherits\n", f);
	for (size_t i = 0; i < pol->limits.n; i++) {
		const struct sf_limit *l = &pol->limits.items[i];
		_cleanup_free_ char *v = limits_format(l->resource, &l->rl);

		setting_print(f, limits_name(l->resource), l->origin, "%s", v ? v : "?");
	}

	fputs("\n[filesystem]\n", f);
	if (pol->fs.n == 0)
		fputs("# no Landlock filesystem rules: every path the other settings allow\n", f);
	for (size_t i = 0; i < pol->fs.n; i++) {
		const struct sf_fs_path *p = &pol->fs.paths[i];

		setting_print(f, landlock_access_key(p->access), p->origin, "%s%s", p->optional ? "-" : "", p->path);
	}
	if (pol->fs.mode_set)
		setting_print(f, "landlock", pol->fs.mode_origin, "%s",
		    pol->fs.mode == SF_LANDLOCK_BEST_EFFORT ? "best-effort" : "required");
	else if (pol->fs.n || net->connect_tcp.set || net->bind_tcp.set)
		fprintf(f, "%-45s ; default\n", "landlock = required");

	fputs("\n[network]\n", f);
	if (!net->has_families && !net->connect_tcp.set && !net->bind_tcp.set)
		fputs("# no family or port rules\n", f);
	if (net->has_families) {
		_cleanup_free_ char *fam = netfamily_format(net->families);

		setting_print(f, "families", net->families_origin, "%s", fam ? fam : "?");
		fputs("# other families: socket and socketpair fail with EAFNOSUPPORT (see [seccomp])\n", f);
	}
	if (net->connect_tcp.set) {
		_cleanup_free_ char *ports = netport_format(&net->connect_tcp);

		setting_print(f, "connect-tcp", net->connect_tcp.origin, "%s", ports ? ports : "?");
	}
	if (net->bind_tcp.set) {
		_cleanup_free_ char *ports = netport_format(&net->bind_tcp);

		setting_print(f, "bind-tcp", net->bind_tcp.origin, "%s", ports ? ports : "?");
	}
}

/* Why a key with a root default has its value. */
static const char *root_default_why(bool root_default)
{
	return root_default ? "default: the program runs as root" : "default";
}

/* Why restrict-suid-sgid has its default value. */
static const char *suid_default_why(const struct sf_policy *pol)
{
	if (pol->sandbox.suid_root_default)
		return root_default_why(true);
	if (pol->user)
		return "default: the program does not run as root (user =)";
	return "default: yes only for a program that runs as root";
}

/* One key not written: its value and why. */
static void default_print(FILE *f, const char *key, const char *value, const char *why)
{
	_cleanup_free_ char *lhs = NULL;

	if (asprintf(&lhs, "%s = %s", key, value) >= 0)
		fprintf(f, "%-45s ; %s\n", lhs, why);
}

/* [sandbox]: each key's value, from its line or the default and why;
 * the paths with their lines. The mounts they make are printed by the
 * launcher (sandbox_plan_describe()). */
static void explain_sandbox(FILE *f, const struct sf_policy *pol)
{
	const struct sf_sandbox_settings *sb = &pol->sandbox;
	const char *why_suid = suid_default_why(pol);
	const char *why_scope = "default: where the kernel has Landlock ABI 6";
	const struct {
		const char *key;
		const struct sf_sandbox_flag *flag;
		const char *why_default;
	} keys[] = {
		{ "restrict-suid-sgid", &sb->restrict_suid_sgid, why_suid },
		{ "isolate-signals", &sb->isolate_signals, why_scope },
		{ "isolate-abstract-sockets", &sb->isolate_abstract_sockets, why_scope },
		{ "private-tmp", &sb->private_tmp, "default" },
		{ "private-devices", &sb->private_devices, root_default_why(sb->devices_root_default) },
		{ "private-network", &sb->private_network, "default" },
		{ "protect-kernel-tunables", &sb->protect_kernel_tunables,
		    root_default_why(sb->tunables_root_default) },
		{ "protect-control-groups", &sb->protect_control_groups, "default" },
	};
	const struct {
		const char *key;
		const struct sf_sandbox_choice *c;
		const char *value;
		const char *why_default;
	} choices[] = {
		{ "protect-system", &sb->protect_system, sandbox_protect_system_name(sb->protect_system.value),
		    root_default_why(sb->system_root_default) },
		{ "protect-home", &sb->protect_home, sandbox_protect_home_name(sb->protect_home.value), "default" },
		{ "namespaces", &sb->namespaces,
		    sb->namespaces.value == SF_NAMESPACES_BEST_EFFORT ? "best-effort" : "required", "default" },
	};

	fputs("\n[sandbox]\n", f);
	for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
		const char *v = keys[i].flag->value ? "yes" : "no";

		if (keys[i].flag->set)
			setting_print(f, keys[i].key, keys[i].flag->origin, "%s", v);
		else
			default_print(f, keys[i].key, v, keys[i].why_default);
	}
	for (size_t i = 0; i < ELEMENTSOF(choices); i++) {
		if (choices[i].c->set)
			setting_print(f, choices[i].key, choices[i].c->origin, "%s", choices[i].value);
		else
			default_print(f, choices[i].key, choices[i].value, choices[i].why_default);
	}
	for (size_t i = 0; i < sb->n_paths; i++)
		setting_print(f, sandbox_path_key(sb->paths[i].kind), sb->paths[i].origin, "%s%s",
		    sb->paths[i].optional ? "-" : "", sb->paths[i].path);
}

/* The rules of one syscall: the dropped rules too, commented out, so a
 * user sees why a rule they wrote has no effect. */
static void explain_syscall(FILE *f, const struct sf_syscall_rules *sc)
{
	for (size_t k = 0; k < sc->n_cond + sc->n_dropped; k++) {
		_cleanup_free_ char *c = cond_to_string(sc->cond_rules[k].cond);
		_cleanup_free_ char *lhs = NULL;

		if (asprintf(&lhs, "%s%s = %s if %s", k < sc->n_cond ? "" : "# dropped: ",
			action_name(sc->cond_rules[k].action), sc->name, c ? c : "?") < 0)
			continue;
		fprintf(f, "%-45s ; ", lhs);
		origin_print(f, sc->cond_rules[k].origin);
		if (k >= sc->n_cond) {
			fputs(", overridden by ", f);
			origin_print(f, sc->uncond.origin);
		}
		fputc('\n', f);
	}
	if (sc->has_uncond) {
		_cleanup_free_ char *lhs = NULL;

		if (asprintf(&lhs, "%s = %s", action_name(sc->uncond.action), sc->name) < 0)
			return;
		fprintf(f, "%-45s ; ", lhs);
		origin_print(f, sc->uncond.origin);
		fputc('\n', f);
	}
}

static void explain_seccomp(FILE *f, const struct sf_policy *pol)
{
	_cleanup_free_ const struct sf_syscall_rules **sorted = NULL;

	if (!pol->has_filter) {
		fputs("[seccomp]\n# no filter: the profile has no [seccomp] section\n", f);
		return;
	}
	fputs("[seccomp]\n", f);
	fprintf(f, "default-action = %-28s ; ", action_name(pol->filter.default_action));
	origin_print(f, pol->filter.default_origin);
	fputs("\narchitectures =", f);
	for (size_t i = 0; i < pol->filter.n_arches; i++) {
		const char *name = arch_name(pol->filter.arches[i]);

		fprintf(f, " %s", name ? name : "?");
	}
	fputc('\n', f);
	sorted = calloc(pol->filter.n_syscalls + 1, sizeof(*sorted));
	for (size_t i = 0; sorted && i < pol->filter.n_syscalls; i++)
		sorted[i] = &pol->filter.syscalls[i];
	if (sorted)
		qsort(sorted, pol->filter.n_syscalls, sizeof(*sorted), cmp_syscall_name);
	for (size_t i = 0; sorted && i < pol->filter.n_syscalls; i++)
		explain_syscall(f, sorted[i]);
}

/* "keep = cap_a cap_b", or NULL on ENOMEM. */
static char *keep_list(uint64_t keep)
{
	char *list = strdup("keep =");

	for (int c = 0; list && c <= cap_last(); c++)
		if (keep & (UINT64_C(1) << c)) {
			char *n2 = NULL;
			const char *cn = capng_capability_to_name((unsigned)c);

			if (asprintf(&n2, "%s cap_%s", list, cn ? cn : "?") < 0)
				n2 = NULL;
			free(list);
			list = n2;
		}
	return list;
}

/* "KEY = VALUE ; FILE:LINE" when value is set. */
static void name_print(FILE *f, const char *key, const char *value, struct sf_origin o)
{
	_cleanup_free_ char *l = NULL;

	if (!value || asprintf(&l, "%s = %s", key, value) < 0)
		return;
	fprintf(f, "%-45s ; ", l);
	origin_print(f, o);
	fputc('\n', f);
}

static void explain_capabilities(FILE *f, const struct sf_policy *pol)
{
	fputs("\n[capabilities]\n", f);
	if (pol->caps_unsaid)
		fprintf(f, "%-45s ; %s\n", "drop = all", "no keep or drop line: nothing unsaid is granted");
	else if (!pol->caps_changed)
		fputs("# unchanged: the profile keeps or drops none\n", f);
	else {
		if (pol->caps_keep == 0)
			fprintf(f, "%-45s ; ", "drop = all");
		else if (pol->caps_keep == cap_all_mask())
			fprintf(f, "%-45s ; ", "drop = none");
		else {
			_cleanup_free_ char *keep = keep_list(pol->caps_keep);

			fprintf(f, "%-45s ; ", keep ? keep : "keep = ?");
		}
		origin_print(f, pol->caps_origin);
		fputc('\n', f);
	}
	name_print(f, "user", pol->user, pol->user_origin);
	name_print(f, "group", pol->group, pol->group_origin);
}

char *policy_explain(const struct sf_policy *pol)
{
	_cleanup_membuf_ struct membuf mb = { 0 };
	FILE *f;

	if (membuf_open(&mb) < 0)
		return NULL;
	f = mb.f;
	explain_seccomp(f, pol);
	explain_capabilities(f, pol);
	fputs("\n[process]\n", f);
	if (pol->nnp == SF_NNP_DEFAULT)
		fprintf(f, "%-45s ; %s\n", "no-new-privs = yes", "default");
	else {
		fprintf(f, "%-45s ; ", pol->nnp == SF_NNP_YES ? "no-new-privs = yes" : "no-new-privs = no");
		origin_print(f, pol->nnp_origin);
		fputc('\n', f);
	}
	explain_confinement(f, pol);
	explain_sandbox(f, pol);
	return membuf_take(&mb, NULL);
}

char *policy_list_groups(const struct sf_policy *pol)
{
	_cleanup_membuf_ struct membuf mb = { 0 };
	FILE *f;

	if (membuf_open(&mb) < 0)
		return NULL;
	f = mb.f;
	for (size_t i = 0; i < pol->n_groups; i++) {
		const struct sf_group *g = &pol->groups[i];
		size_t col = 4;

		fprintf(f, "%-20s %s\n   ", g->name, g->description ? g->description : "(no description)");
		for (size_t k = 0; k < g->n_words; k++) {
			size_t wl = strlen(g->words[k]) + 1;

			if (col + wl > 79) {
				fputs("\n   ", f);
				col = 4;
			}
			fprintf(f, " %s", g->words[k]);
			col += wl;
		}
		fputc('\n', f);
	}
	return membuf_take(&mb, NULL);
}
