/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysfence: run a program in place under a seccomp filter, reduced
 * capabilities and no_new_privs, as its profile says. */
#include "cache.h"
#include "catalog.h"
#include "cleanup.h"
#include "diag.h"
#include "export.h"
#include "filter.h"
#include "launch.h"
#include "links.h"
#include "lookup.h"
#include "options.h"
#include "policy.h"
#include "precompile.h"
#include "profile.h"
#include "program.h"
#include "rootrule.h"
#include "supervise.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* Sanitizer builds only. LeakSanitizer cannot work in a set-id process,
 * where the runtime also ignores ASAN_OPTIONS, and safety.bats runs one to
 * prove that sysfence refuses to start set-id. The launcher's leaks are
 * checked by valgrind (tests/valgrind/run) and the unit tests keep LSan. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

/* Print every message; warnings only when not quiet. */
static void print_diag(const struct sf_diag *d, bool quiet)
{
	for (size_t i = 0; i < d->n; i++) {
		_cleanup_free_ char *s = NULL;

		if (d->msgs[i].warning && quiet)
			continue;
		s = diag_format(&d->msgs[i]);
		if (s)
			fprintf(stderr, "%s\n", s);
		else /* never fail silently, even out of memory */
			fputs("sysfence: out of memory\n", stderr);
	}
}

/* Limits, [process] and Landlock: one line each. */
static void print_steps(const struct sf_launch *l)
{
	_cleanup_free_ char *steps = launch_describe(l);

	for (char *s = steps, *nl; s && (nl = strchr(s, '\n')); s = nl + 1)
		fprintf(stderr, "sysfence: %.*s\n", (int)(nl - s), s);
}

/* Never run set-id. A set-id launcher would let its caller pick
 * the profile, and so the privileges, of another user. */
static int refuse_setid(struct sf_diag *d)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return diag_errno(d, "cannot read the process ids");
	if (ru != eu || ru != su || rg != eg || rg != sg)
		return diag_msg(
		    d, -EPERM, "refusing to run set-user-id or set-group-id (real and effective ids differ)");
	return 0;
}

/* What one run of a mode holds; session_clear() frees it. */
struct session {
	const struct sf_options *o;
	bool root; /* effective uid 0: profiles must be root's */
	int fail; /* the status of a failure: SF_EXIT_INVALID for --check */
	int r; /* the failure's negative errno, 0 while none */
	struct sf_lookup l;
	struct sf_profile *p;
	struct sf_policy *pol;
	struct sf_launch *launch;
	size_t n_syscalls; /* for -v */
};

static void session_clear(struct session *s)
{
	launch_free(s->launch);
	policy_free(s->pol);
	profile_free(s->p);
	lookup_free(&s->l);
}

/* Record a failure; returns the status to exit with. */
static int session_fail(struct session *s, int r)
{
	s->r = r;
	return s->fail;
}

/* The profile search path; as root, without the user's own directory
 * when the way to it is not root's alone. */
static int session_open(struct session *s, struct sf_diag *d)
{
	int r = lookup_init(
	    &s->l, getenv("SYSFENCE_PROFILE_PATH"), getenv("XDG_CONFIG_HOME"), getenv("HOME"), SYSFENCE_PROFILE_DIR);

	if (r == 0 && s->root) {
		_cleanup_free_ char *why = NULL;

		/* A user's HOME or XDG_CONFIG_HOME must not pick root's profiles. */
		r = lookup_drop_untrusted(&s->l, &why);
		if (why && s->o->verbose)
			fprintf(stderr, "sysfence: %s\n", why);
	}
	if (r < 0)
		return diag_fail(d, r, "cannot build the profile search path");
	return 0;
}

static void print_verbose(const struct session *s)
{
	const struct sf_launch *l = s->launch;
	struct filter_stats st = { 0 };

	for (size_t i = 0; i < s->p->n_files; i++)
		fprintf(stderr, "sysfence: read %s\n", s->p->files[i]);
	if (l->filter) {
		filter_stats(l->filter, &st);
		fprintf(stderr,
		    "sysfence: seccomp filter: %zu syscalls named, %zu BPF instructions, longest path %zu\n",
		    s->n_syscalls, st.n_insns, st.longest_path);
	} else
		fprintf(stderr, "sysfence: no seccomp filter\n");
	if (s->pol->caps_changed)
		fprintf(stderr, "sysfence: capabilities: keep %#llx\n", (unsigned long long)s->pol->caps_keep);
	if (s->pol->user || s->pol->group)
		fprintf(stderr, "sysfence: switch to user %s group %s\n", s->pol->user ? s->pol->user : "-",
		    s->pol->group ? s->pol->group : "-");
	fprintf(stderr, "sysfence: no_new_privs %s\n", l->set_nnp ? "on" : "off");
	print_steps(l);
	if (l->path)
		fprintf(stderr, "sysfence: exec %s\n", l->path);
}

/* ---- step 1: profile, policy, launch plan ---------------------------- */

/* Only the group library: an empty profile on top of it. */
static int load_group_library(struct session *s, struct sf_diag *d)
{
	_cleanup_free_ char *gpath = NULL;

	if (lookup_find(&s->l, "groups.ini", &gpath) == 0)
		return profile_load(&s->l, gpath, &(struct sf_profile_opts){ .check_owner = s->root }, &s->p, d);
	s->p = profile_new();
	return s->p ? 0 : -ENOMEM;
}

/* The profile NAME, or the group library alone when name is NULL, and the
 * policy built from it and the command line's overrides. */
static int load_policy(struct session *s, const char *name, struct sf_diag *d)
{
	const struct sf_options *o = s->o;
	const struct sf_profile_opts po = {
		.check_owner = s->root,
		.load_group_library = true,
		.apply_local = true,
		.keep_partial = o->mode == SF_MODE_CHECK,
	};
	/* Every group is checked on every path, used or not: a typo in a
	 * security policy never passes silently, and --check refuses exactly
	 * what a run refuses. */
	const struct sf_policy_opts pco = {
		.check_all_groups = true,
		.seccomp_replaced = o->mode == SF_MODE_LIST_GROUPS || o->learn,
		/* An export describes the profile for whoever runs it later
		 * (a unit's User=, a container's user), not for sysfence's own
		 * uid: the root default of restrict-suid-sgid is left out. */
		.as_root = s->root && o->mode != SF_MODE_EXPORT,
	};
	int r = name ? profile_load(&s->l, name, &po, &s->p, d) : load_group_library(s, d);

	/* --check reports every problem: the policy stage still reads what
	 * the profile stage could, then the run stops. */
	if (r < 0 && s->p && o->mode == SF_MODE_CHECK)
		policy_build(s->p, &o->over, &pco, &s->pol, d);
	if (r < 0)
		return r;
	return policy_build(s->p, &o->over, &pco, &s->pol, d);
}

/* The launch plan for the policy; path (may be NULL) is taken on success. */
static int prepare_launch(struct session *s, char **path, struct sf_diag *d)
{
	int r = launch_prepare(s->pol, *path, s->o->argv, &s->launch, d);

	if (r < 0)
		return r;
	*path = NULL; /* owned by the launch now */
	s->n_syscalls = s->pol->filter.n_syscalls;
	return 0;
}

/* --check, --explain, --export: step 1 as a run does it, running nothing. */
static int prepare_only(struct session *s, struct sf_diag *d)
{
	_cleanup_free_ char *name = NULL;
	char *path = NULL;
	int r = program_profile(s->o, &s->l, &name, d);

	if (r == 0)
		r = load_policy(s, name, d);
	if (r == 0)
		r = prepare_launch(s, &path, d);
	return r;
}

/* A plain run may start from a precompiled policy (cache.h); when there is
 * none, or it does not match the files as they are now, step 1 is done in
 * full. Returns true, with *path taken, when one is used. */
static bool use_precompiled(struct session *s, const char *name, char **path)
{
	struct sf_precompiled_run pre = { 0 };
	_cleanup_free_ char *why = NULL;

	if (precompiled_prepare(&s->l, name, &s->o->over, s->o->argv, s->root, *path, &pre, &why) < 0) {
		if (s->o->verbose)
			fprintf(stderr, "sysfence: no precompiled policy used: %s\n", why ? why : "out of memory");
		return false;
	}
	*path = NULL; /* owned by pre.launch now */
	if (s->o->verbose)
		fprintf(stderr, "sysfence: precompiled policy %s\n", pre.file);
	s->p = TAKE_PTR(pre.profile);
	s->pol = TAKE_PTR(pre.policy);
	s->launch = TAKE_PTR(pre.launch);
	s->n_syscalls = pre.n_syscalls;
	precompiled_run_clear(&pre);
	return true;
}

/* ---- the modes --------------------------------------------------------- */

static int mode_check(struct session *s, struct sf_diag *d)
{
	int r = prepare_only(s, d);

	if (r < 0)
		return session_fail(s, r);
	/* -v: what a run would apply, with the filter's size and the most
	 * instructions any syscall runs (docs/performance.md). */
	if (s->o->verbose)
		print_verbose(s);
	if (!s->o->quiet)
		printf("%s: ok\n", s->p->path);
	return SF_EXIT_OK;
}

/* The mounts of step 3, as this run would make them (paths resolved). */
static void explain_view(const struct sf_sandbox_plan *p)
{
	_cleanup_free_ char *view = NULL;

	if (p->root_defaults_skipped)
		puts("\n# " SANDBOX_ROOT_SKIPPED);
	if (!p->mount_ns && !p->net_ns)
		return;
	view = sandbox_plan_describe(p, "#   ");
	printf("\n# private view (step 3):%s%s\n%s", p->mount_ns ? " mount namespace" : "",
	    p->net_ns ? " network namespace (loopback only)" : "", view ? view : "");
}

static int mode_explain(struct session *s, struct sf_diag *d)
{
	_cleanup_free_ char *text = NULL;
	struct filter_stats st = { 0 };
	int r = prepare_only(s, d);

	if (r < 0)
		return session_fail(s, r);
	text = policy_explain(s->pol);
	if (!text)
		return s->fail;
	printf("# sysfence policy from %s\n# files read:", s->p->path);
	for (size_t i = 0; i < s->p->n_files; i++)
		printf(" %s", s->p->files[i]);
	putchar('\n');
	fputs(text, stdout);
	if (s->launch->filter) {
		filter_stats(s->launch->filter, &st);
		printf("\n# filter: %zu BPF instructions, longest path %zu\n", st.n_insns, st.longest_path);
	}
	explain_view(&s->launch->sandbox);
	return SF_EXIT_OK;
}

/* Like --check, then the compiled policy goes out instead of running
 * anything. */
static int mode_export(struct session *s, struct sf_diag *d)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r = prepare_only(s, d);

	if (r < 0)
		return session_fail(s, r);
	r = export_render(s->o->export_format, s->pol, s->launch->filter, &buf, &len, d);
	if (r == 0 && s->o->output)
		r = export_write_file(s->o->output, buf, len, d);
	else if (r == 0 && (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0))
		r = diag_errno(d, "cannot write to standard output");
	return r < 0 ? session_fail(s, r) : SF_EXIT_OK;
}

static int mode_list(struct session *s, struct sf_diag *d)
{
	_cleanup_(links_self_clear) struct sf_self self = { 0 };
	struct sf_links_env env = { .self = &self, .path_env = getenv("PATH") };
	_cleanup_free_ char *text = NULL;

	/* Without our own binary's name, the list goes without link status. */
	if (links_self(&self, &(struct sf_diag){ 0 }) == 0)
		text = catalog_list(&s->l, s->root, links_status, &env);
	else
		text = catalog_list(&s->l, s->root, NULL, NULL);
	if (!text) {
		diag_fail(d, -ENOMEM, "cannot list profiles");
		return s->fail;
	}
	fputs(text, stdout);
	return SF_EXIT_OK;
}

static int mode_list_groups(struct session *s, struct sf_diag *d)
{
	_cleanup_free_ char *text = NULL;
	int r = load_policy(s, s->o->profile, d);

	if (r < 0)
		return session_fail(s, r);
	text = policy_list_groups(s->pol);
	if (text)
		fputs(text, stdout);
	return text ? SF_EXIT_OK : SF_EXIT_FAILURE;
}

/* --precompile: every profile on the search path, or the one -p names. */
static int mode_precompile(struct session *s, struct sf_diag *d)
{
	const struct sf_options *o = s->o;
	const char *dir = cache_dir();
	_cleanup_(strv_freep) char **names = NULL;
	int status = SF_EXIT_OK;

	if (!s->root) {
		diag_msg(d, -EPERM, "--precompile writes into %s, which only root may", dir ? dir : SYSFENCE_CACHE_DIR);
		return SF_EXIT_FAILURE;
	}
	if (!dir) {
		diag_msg(d, -EINVAL, "--precompile: SYSFENCE_CACHE_DIR is set but empty");
		return SF_EXIT_FAILURE;
	}
	/* The cache's parents may be missing too (PREFIX/var/cache): make
	 * them once here, rather than fail once per profile below. */
	if (root_mkdir_p(dir, d) < 0)
		return SF_EXIT_FAILURE;
	if (!o->profile) {
		names = catalog_names(&s->l);
		if (!names) {
			diag_fail(d, -ENOMEM, "cannot list profiles");
			return SF_EXIT_FAILURE;
		}
		if (!names[0]) {
			diag_msg(d, -ENOENT, "--precompile: no profile on the search path");
			status = SF_EXIT_FAILURE;
		}
	}
	for (size_t i = 0; o->profile ? i < 1 : names[i] != NULL; i++) {
		const char *name = o->profile ? o->profile : names[i];
		_cleanup_free_ char *file = NULL;

		if (precompile_one(&s->l, name, &o->over, dir, &file, d) < 0) {
			status = SF_EXIT_FAILURE;
			continue;
		}
		if (!o->quiet)
			printf("%s: precompiled into %s\n", name, file);
	}
	return status;
}

/* --link and --unlink (links.h): each program is tried, each failure
 * reported. */
static int mode_link(struct session *s, struct sf_diag *d)
{
	_cleanup_(links_self_clear) struct sf_self self = { 0 };
	const struct sf_link_request req = { .l = &s->l,
		.self = &self,
		.names = s->o->link_names,
		.dir = s->o->link_dir,
		.root = s->root,
		.home = getenv("HOME"),
		.path_env = getenv("PATH") };
	_cleanup_free_ char *text = NULL;
	int r = links_self(&self, d);

	if (r == 0)
		r = s->o->mode == SF_MODE_LINK ? links_make(&req, &text, d) : links_remove(&req, &text, d);
	if (text && !s->o->quiet)
		fputs(text, stdout);
	return r < 0 ? session_fail(s, r) : SF_EXIT_OK;
}

/* --report lines and the --learn summary, as they come. */
static void print_line(const char *line, void *ctx)
{
	fprintf(stderr, "sysfence: %s\n", line);
}

/* --learn: the program runs under a learning filter instead of its own. */
static int start_learn(struct session *s, struct sf_diag *d)
{
	const struct sf_options *o = s->o;
	int status = s->fail;

	supervise_learn(s->launch, s->pol, o->learn, o->profile, o->quiet ? NULL : print_line, NULL, &status, d);
	return status;
}

/* --report: the fixes it prints name the profile, or the .local file of
 * a shipped one. */
static int start_report(struct session *s, struct sf_diag *d)
{
	_cleanup_free_ char *fix = s->p->path ? lookup_edit_file(&s->l, s->p->path) : NULL;
	const struct sf_report_opts ro = { .permissive = s->o->permissive, .fix_file = fix };
	int status = s->fail;

	supervise_report(s->launch, s->pol, &ro, print_line, NULL, &status, d);
	return status;
}

/* Run PROGRAM in place: launch_exec() returns only when it failed. */
static int start_exec(struct session *s, struct sf_diag *d)
{
	int status = s->fail;

	s->launch->quiet = s->o->quiet;
	launch_exec(s->launch, &status, d);
	return status;
}

/* Step 1 is done: start PROGRAM, plainly, learning or reporting. */
static int start(struct session *s, struct sf_diag *d)
{
	if (s->o->verbose)
		print_verbose(s);
	/* Warnings first: after the filter loads, writing may be denied. */
	print_diag(d, s->o->quiet);
	diag_clear(d);
	fflush(stdout);
	fflush(stderr);
	if (s->o->learn)
		return start_learn(s, d);
	if (s->o->report)
		return start_report(s, d);
	return start_exec(s, d);
}

static int mode_run(struct session *s, struct sf_diag *d)
{
	const struct sf_options *o = s->o;
	_cleanup_free_ char *path = NULL;
	_cleanup_free_ char *name = NULL;
	int r;

	/* launch step 1 (launch.h): 126/127 are decided first, while we can print. */
	r = program_resolve(o, &path, d);
	if (r < 0) {
		s->r = r;
		return r == -ENOENT ? SF_EXIT_NOTFOUND : r == -EACCES || !o->link_run ? SF_EXIT_NOEXEC : s->fail;
	}
	/* --learn learns from the profile -p names, else from nothing but the
	 * group library, which the learned profile uses. */
	if (o->learn)
		r = load_policy(s, o->profile, d);
	else {
		r = program_profile(o, &s->l, &name, d);
		if (r == 0 && !o->report && use_precompiled(s, name, &path))
			return start(s, d);
		if (r == 0)
			r = load_policy(s, name, d);
	}
	if (r == 0)
		r = prepare_launch(s, &path, d);
	if (r < 0)
		return session_fail(s, r);
	return start(s, d);
}

/* One function per mode; --help and --version are answered by main(). */
static int (*const modes[])(struct session *s, struct sf_diag *d) = {
	[SF_MODE_RUN] = mode_run,
	[SF_MODE_CHECK] = mode_check,
	[SF_MODE_EXPLAIN] = mode_explain,
	[SF_MODE_EXPORT] = mode_export,
	[SF_MODE_LIST] = mode_list,
	[SF_MODE_LIST_GROUPS] = mode_list_groups,
	[SF_MODE_PRECOMPILE] = mode_precompile,
	[SF_MODE_LINK] = mode_link,
	[SF_MODE_UNLINK] = mode_link,
};

/* Run o's mode. Returns the exit status. */
static int run(const struct sf_options *o, struct sf_diag *d)
{
	_cleanup_(session_clear) struct session s = {
		.o = o,
		.root = geteuid() == 0,
		.fail = o->mode == SF_MODE_CHECK ? SF_EXIT_INVALID : SF_EXIT_FAILURE,
	};
	int r = session_open(&s, d);
	int status = r < 0 ? session_fail(&s, r) : modes[o->mode](&s, d);

	/* Every failure is reported in d, unless memory ran out before the
	 * message could be recorded: then say at least that much. */
	if (s.r < 0 && !diag_has_errors(d))
		fprintf(stderr, "sysfence: cannot continue: %s\n", strerror(-s.r));
	return status;
}

/* --check A.ini B.ini: each file as if given with -p, each reported on its
 * own; invalid when any is. */
static int check_files(const struct sf_options *o, struct sf_diag *d)
{
	int status = SF_EXIT_OK;

	for (int i = 0; i < o->n_check_files; i++) {
		struct sf_options one = *o;
		_cleanup_free_ char *path = NULL;

		/* A bare "x.ini" is the file in the working directory, not a
		 * NAME on the search path. */
		if (!strchr(o->check_files[i], '/') && asprintf(&path, "./%s", o->check_files[i]) < 0)
			return SF_EXIT_INVALID;
		one.profile = path ? path : o->check_files[i];
		if (run(&one, d) != SF_EXIT_OK)
			status = SF_EXIT_INVALID;
		print_diag(d, o->quiet);
		diag_clear(d);
	}
	return status;
}

int main(int argc, char **argv)
{
	_cleanup_(options_free) struct sf_options o = { 0 };
	_cleanup_(diag_clear) struct sf_diag d = { 0 };
	int status;

	/* Through a link (links.h), every word is the program's own. */
	if (argc > 0 && strcmp(strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0], "sysfence") != 0)
		options_from_link(argc, argv, &o);
	else if (options_parse(argc, argv, &o, &d) < 0) {
		print_diag(&d, /* quiet= */ false);
		return SF_EXIT_FAILURE;
	}
	if (o.mode == SF_MODE_HELP) {
		fputs(options_help, stdout);
		return SF_EXIT_OK;
	}
	if (o.mode == SF_MODE_VERSION) {
		printf("sysfence %s\n", SYSFENCE_VERSION);
		return SF_EXIT_OK;
	}
	if (refuse_setid(&d) < 0)
		status = o.mode == SF_MODE_CHECK ? SF_EXIT_INVALID : SF_EXIT_FAILURE;
	else if (o.n_check_files > 0)
		status = check_files(&o, &d);
	else
		status = run(&o, &d);
	print_diag(&d, o.quiet);
	return status;
}
