/* sysfence: run a program in place under a seccomp filter, reduced
 * capabilities and no_new_privs, as its profile says. */
#include "cache.h"
#include "catalog.h"
#include "cleanup.h"
#include "diag.h"
#include "export.h"
#include "filter.h"
#include "launch.h"
#include "lookup.h"
#include "options.h"
#include "policy.h"
#include "precompile.h"
#include "profile.h"
#include "rootrule.h"
#include "supervise.h"

#include <errno.h>
#include <libgen.h>
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
		else	/* never fail silently, even out of memory */
			fputs("sysfence: out of memory\n", stderr);
	}
}

/* Never run set-id. A set-id launcher would let its caller pick
 * the profile, and so the privileges, of another user. */
static int refuse_setid(struct sf_diag *d)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return diag_set(d, NULL, 0, -errno, errno, "cannot read the process ids");
	if (ru != eu || ru != su || rg != eg || rg != sg)
		return diag_set(d, NULL, 0, -EPERM, 0,
		    "refusing to run set-user-id or set-group-id (real and effective ids differ)");
	return 0;
}

/* The profile to read: -p, else PROGRAM's basename, else "default". */
static int choose_profile(const struct sf_options *o, const struct sf_lookup *l, char **ret, struct sf_diag *d)
{
	_cleanup_free_ char *base = NULL;
	_cleanup_free_ char *file = NULL;
	_cleanup_free_ char *hit = NULL;
	_cleanup_free_ char *dirs = NULL;

	if (o->profile) {
		*ret = strdup(o->profile);
		return *ret ? 0 : -ENOMEM;
	}
	if (o->argc > 0) {
		_cleanup_free_ char *copy = strdup(o->argv[0]);

		if (!copy)
			return -ENOMEM;
		base = strdup(basename(copy));
		if (!base)
			return -ENOMEM;
		if (asprintf(&file, "%s.ini", base) < 0)
			return -ENOMEM;
		if (*base && strcmp(base, "groups") != 0 && lookup_find(l, file, &hit) == 0) {
			*ret = TAKE_PTR(base);
			return 0;
		}
	}
	if (lookup_find(l, "default.ini", &hit) == 0) {
		*ret = strdup("default");
		return *ret ? 0 : -ENOMEM;
	}
	dirs = lookup_dirs_text(l);
	if (base && *base)
		return diag_msg(d, -ENOENT,
		    "no profile for \"%s\": neither %s.ini nor default.ini is on the search path (%s)", base, base,
		    dirs ? dirs : "");
	return diag_msg(d, -ENOENT, "no default profile: default.ini is not on the search path (%s)", dirs ? dirs : "");
}

static void print_verbose(const struct sf_profile *p, const struct sf_policy *pol, const struct sf_launch *l,
    size_t n_syscalls)
{
	struct filter_stats st = { 0 };

	for (size_t i = 0; i < p->n_files; i++)
		fprintf(stderr, "sysfence: read %s\n", p->files[i]);
	if (l->filter) {
		filter_stats(l->filter, &st);
		fprintf(stderr, "sysfence: seccomp filter: %zu syscalls named, %zu BPF instructions, longest path %zu\n",
		    n_syscalls, st.n_insns, st.longest_path);
	} else
		fprintf(stderr, "sysfence: no seccomp filter\n");
	if (pol->caps_changed)
		fprintf(stderr, "sysfence: capabilities: keep %#llx\n", (unsigned long long)pol->caps_keep);
	if (pol->user || pol->group)
		fprintf(stderr, "sysfence: switch to user %s group %s\n", pol->user ? pol->user : "-",
		    pol->group ? pol->group : "-");
	fprintf(stderr, "sysfence: no_new_privs %s\n", l->set_nnp ? "on" : "off");
	{
		/* Limits, [process] and Landlock: one line each. */
		_cleanup_free_ char *steps = launch_describe(l);

		for (char *s = steps, *nl; s && (nl = strchr(s, '\n')); s = nl + 1)
			fprintf(stderr, "sysfence: %.*s\n", (int)(nl - s), s);
	}
	if (l->path)
		fprintf(stderr, "sysfence: exec %s\n", l->path);
}

/* --precompile: every profile on the search path, or the one -p names. */
static int precompile(const struct sf_options *o, const struct sf_lookup *l, bool root, struct sf_diag *d)
{
	const char *dir = cache_dir();
	char **names = NULL;
	int status = SF_EXIT_OK;

	if (!root) {
		diag_set(d, NULL, 0, -EPERM, 0, "--precompile writes into %s, which only root may",
		    dir ? dir : SYSFENCE_CACHE_DIR);
		return SF_EXIT_FAILURE;
	}
	if (!dir) {
		diag_set(d, NULL, 0, -EINVAL, 0, "--precompile: SYSFENCE_CACHE_DIR is set but empty");
		return SF_EXIT_FAILURE;
	}
	/* The cache's parents may be missing too (PREFIX/var/cache): make
	 * them once here, rather than fail once per profile below. */
	if (root_mkdir_p(dir, d) < 0)
		return SF_EXIT_FAILURE;
	if (!o->profile) {
		names = catalog_names(l);
		if (!names) {
			diag_set(d, NULL, 0, -ENOMEM, ENOMEM, "cannot list profiles");
			return SF_EXIT_FAILURE;
		}
		if (!names[0]) {
			diag_set(d, NULL, 0, -ENOENT, 0, "--precompile: no profile on the search path");
			status = SF_EXIT_FAILURE;
		}
	}
	for (size_t i = 0; o->profile ? i < 1 : names[i] != NULL; i++) {
		const char *name = o->profile ? o->profile : names[i];
		_cleanup_free_ char *file = NULL;

		if (precompile_one(l, name, &o->over, dir, &file, d) < 0) {
			status = SF_EXIT_FAILURE;
			continue;
		}
		if (!o->quiet)
			printf("%s: precompiled into %s\n", name, file);
	}
	strv_free(names);
	return status;
}

/* --report lines and the --learn summary, as they come. */
static void print_line(const char *line, void *ctx)
{
	fprintf(stderr, "sysfence: %s\n", line);
}

/* --report: the fixes it prints name the profile, or the .local file of
 * a shipped one. */
static void report(const struct sf_options *o, const struct sf_lookup *l, const struct sf_profile *p,
    const struct sf_launch *launch, const struct sf_policy *pol, int *status, struct sf_diag *d)
{
	_cleanup_free_ char *fix = p->path ? lookup_edit_file(l, p->path) : NULL;
	const struct sf_report_opts ro = { .permissive = o->permissive, .fix_file = fix };

	supervise_report(launch, pol, &ro, print_line, NULL, status, d);
}

static int run(const struct sf_options *o, struct sf_diag *d)
{
	const bool root = geteuid() == 0;
	const int fail = o->mode == SF_MODE_CHECK ? SF_EXIT_INVALID : SF_EXIT_FAILURE;
	struct sf_lookup l = { 0 };
	struct sf_profile *p = NULL;
	struct sf_policy *pol = NULL;
	struct sf_launch *launch = NULL;
	_cleanup_free_ char *name = NULL;
	char *path = NULL;
	struct sf_precompiled_run pre = { 0 };
	size_t n_syscalls = 0;
	int status = fail;
	int r;

	r = lookup_init(&l, getenv("SYSFENCE_PROFILE_PATH"), getenv("XDG_CONFIG_HOME"), getenv("HOME"),
	    SYSFENCE_PROFILE_DIR);
	if (r == 0 && root) {
		_cleanup_free_ char *why = NULL;

		/* A user's HOME or XDG_CONFIG_HOME must not pick root's profiles. */
		r = lookup_drop_untrusted(&l, &why);
		if (why && o->verbose)
			fprintf(stderr, "sysfence: %s\n", why);
	}
	if (r < 0) {
		diag_set(d, NULL, 0, r, -r, "cannot build the profile search path");
		goto out;
	}

	if (o->mode == SF_MODE_LIST) {
		_cleanup_free_ char *text = catalog_list(&l, root);

		if (!text) {
			diag_set(d, NULL, 0, -ENOMEM, ENOMEM, "cannot list profiles");
			goto out;
		}
		fputs(text, stdout);
		status = SF_EXIT_OK;
		goto out;
	}

	if (o->mode == SF_MODE_PRECOMPILE) {
		status = precompile(o, &l, root, d);
		goto out;
	}

	/* launch step 1 (launch.h): 126/127 are decided first, while we can print. */
	if (o->mode == SF_MODE_RUN) {
		r = launch_resolve_program(o->argv[0], getenv("PATH"), &path, d);
		if (r < 0) {
			status = r == -ENOENT ? SF_EXIT_NOTFOUND : SF_EXIT_NOEXEC;
			goto out;
		}
	}

	{
		const struct sf_profile_opts po = {
			.check_owner = root,
			.load_group_library = true,
			.apply_local = true,
			.keep_partial = o->mode == SF_MODE_CHECK,
		};
		/* Every group is checked on every path, used or not: a typo in
		 * a security policy never passes silently, and --check refuses
		 * exactly what a run refuses. */
		const struct sf_policy_opts pco = {
			.check_all_groups = true,
			.seccomp_replaced = o->mode == SF_MODE_LIST_GROUPS || o->learn,
		};

		/* --learn without --profile learns from nothing but the
		 * group library, which the learned profile uses. */
		if ((o->mode == SF_MODE_LIST_GROUPS || (o->mode == SF_MODE_RUN && o->learn)) && !o->profile) {
			/* Only the group library: an empty profile on top of it. */
			p = profile_new();
			if (!p) {
				r = -ENOMEM;
				goto out;
			}
			r = 0;
			_cleanup_free_ char *gpath = NULL;
			if (lookup_find(&l, "groups.ini", &gpath) == 0) {
				profile_free(p);
				p = NULL;
				r = profile_load(&l, gpath, &(struct sf_profile_opts){ .check_owner = root }, &p, d);
			}
		} else {
			r = choose_profile(o, &l, &name, d);
			/* A plain run may start from a precompiled policy (cache.h);
			 * when there is none, or it does not match the files as they
			 * are now, step 1 is done in full below. */
			if (r == 0 && o->mode == SF_MODE_RUN && !o->learn && !o->report) {
				_cleanup_free_ char *why = NULL;

				if (precompiled_prepare(&l, name, &o->over, o->argv, root, path, &pre, &why) == 0) {
					path = NULL;	/* owned by pre.launch now */
					p = pre.profile;
					pol = pre.policy;
					launch = pre.launch;
					n_syscalls = pre.n_syscalls;
					if (o->verbose)
						fprintf(stderr, "sysfence: precompiled policy %s\n", pre.file);
					goto launch;
				}
				if (o->verbose)
					fprintf(stderr, "sysfence: no precompiled policy used: %s\n", why ? why : "out of memory");
			}
			if (r == 0)
				r = profile_load(&l, name, &po, &p, d);
		}
		/* --check reports every problem: the policy stage still reads
		 * what the profile stage could, then the run stops. */
		if (r < 0 && p && o->mode == SF_MODE_CHECK)
			policy_build(p, &o->over, &pco, &pol, d);
		if (r < 0)
			goto out;
		r = policy_build(p, &o->over, &pco, &pol, d);
		if (r < 0)
			goto out;
	}

	if (o->mode == SF_MODE_LIST_GROUPS) {
		_cleanup_free_ char *text = policy_list_groups(pol);

		if (text)
			fputs(text, stdout);
		status = text ? SF_EXIT_OK : SF_EXIT_FAILURE;
		goto out;
	}

	if (!p || !pol)
		goto out;	/* not reached: both are set when r == 0 */
	r = launch_prepare(pol, path, o->argv, &launch, d);
	if (r < 0)
		goto out;
	path = NULL;	/* owned by launch now */
	n_syscalls = pol->filter.n_syscalls;

	switch (o->mode) {
	case SF_MODE_CHECK:
		/* -v: what a run would apply, with the filter's size and the
		 * most instructions any syscall runs (docs/performance.md). */
		if (o->verbose)
			print_verbose(p, pol, launch, n_syscalls);
		if (!o->quiet)
			printf("%s: ok\n", p->path);
		status = SF_EXIT_OK;
		goto out;
	case SF_MODE_EXPLAIN: {
		_cleanup_free_ char *text = policy_explain(pol);
		struct filter_stats st = { 0 };

		if (!text)
			goto out;
		printf("# sysfence policy from %s\n# files read:", p->path);
		for (size_t i = 0; i < p->n_files; i++)
			printf(" %s", p->files[i]);
		putchar('\n');
		fputs(text, stdout);
		if (launch->filter) {
			filter_stats(launch->filter, &st);
			printf("\n# filter: %zu BPF instructions, longest path %zu\n", st.n_insns, st.longest_path);
		}
		status = SF_EXIT_OK;
		goto out;
	}
	case SF_MODE_EXPORT: {
		/* Like --check, then the compiled policy goes out instead of
		 * running anything. */
		_cleanup_free_ char *buf = NULL;
		size_t len = 0;

		r = export_render(o->export_format, pol, launch->filter, &buf, &len, d);
		if (r == 0 && o->output)
			r = export_write_file(o->output, buf, len, d);
		else if (r == 0 && (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0))
			r = diag_set(d, NULL, 0, -EIO, errno, "cannot write to standard output");
		status = r < 0 ? SF_EXIT_FAILURE : SF_EXIT_OK;
		goto out;
	}
	case SF_MODE_RUN:
		break;
	case SF_MODE_LIST:
	case SF_MODE_LIST_GROUPS:
	case SF_MODE_HELP:
	case SF_MODE_VERSION:
	case SF_MODE_PRECOMPILE:
		goto out;
	}

launch:
	if (o->verbose)
		print_verbose(p, pol, launch, n_syscalls);
	/* Warnings first: after the filter loads, writing may be denied. */
	print_diag(d, o->quiet);
	diag_clear(d);
	fflush(stdout);
	fflush(stderr);
	if (o->learn)
		supervise_learn(launch, pol, o->learn, o->profile, o->quiet ? NULL : print_line, NULL, &status, d);
	else if (o->report)
		report(o, &l, p, launch, pol, &status, d);
	else
		launch_exec(launch, &status, d);
out:
	/* Every failure is reported in d, unless memory ran out before the
	 * message could be recorded: then say at least that much. */
	if (r < 0 && !diag_has_errors(d))
		fprintf(stderr, "sysfence: cannot continue: %s\n", strerror(-r));
	if (pre.launch) {
		/* The run's objects came from the precompiled policy. */
		precompiled_run_clear(&pre);
		launch = NULL;
		pol = NULL;
		p = NULL;
	}
	launch_free(launch);
	free(path);
	policy_free(pol);
	profile_free(p);
	lookup_free(&l);
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
	struct sf_diag d = { 0 };
	struct sf_options o = { 0 };
	int status;

	if (options_parse(argc, argv, &o, &d) < 0) {
		print_diag(&d, false);
		diag_clear(&d);
		return SF_EXIT_FAILURE;
	}
	switch (o.mode) {
	case SF_MODE_HELP:
		fputs(options_help, stdout);
		options_free(&o);
		return SF_EXIT_OK;
	case SF_MODE_VERSION:
		printf("sysfence %s\n", SYSFENCE_VERSION);
		options_free(&o);
		return SF_EXIT_OK;
	case SF_MODE_RUN:
	case SF_MODE_CHECK:
	case SF_MODE_EXPLAIN:
	case SF_MODE_LIST:
	case SF_MODE_LIST_GROUPS:
	case SF_MODE_EXPORT:
	case SF_MODE_PRECOMPILE:
		break;
	}

	if (refuse_setid(&d) < 0)
		status = o.mode == SF_MODE_CHECK ? SF_EXIT_INVALID : SF_EXIT_FAILURE;
	else if (o.n_check_files > 0)
		status = check_files(&o, &d);
	else
		status = run(&o, &d);
	print_diag(&d, o.quiet);
	diag_clear(&d);
	options_free(&o);
	return status;
}
