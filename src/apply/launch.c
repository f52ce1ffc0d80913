/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "launch.h"
#include "bpfsim.h"
#include "cleanup.h"
#include "membuf.h"
#include "names.h"
#include "userdb.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* One candidate: 0 if executable, -EACCES if present but not runnable,
 * -ENOENT if absent. access(2) checks the real ids, which equal the
 * effective ones because sysfence refuses to run set-id. */
static int check_candidate(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOENT || errno == ENOTDIR ? -ENOENT : -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (access(path, X_OK) < 0)
		return -EACCES;
	return 0;
}

int launch_resolve_program(const char *name, const char *path_env, char **ret, struct sf_diag *d)
{
	bool saw_eacces = false;
	int r;

	if (!*name)
		return diag_fail(d, -ENOENT, "cannot execute \"\"");
	if (strchr(name, '/')) {
		r = check_candidate(name);
		if (r < 0)
			return diag_set(d, NULL, 0, r == -ENOENT ? -ENOENT : -EACCES, -r, "cannot execute \"%s\"", name);
		*ret = strdup(name);
		return *ret ? 0 : -ENOMEM;
	}
	if (!path_env)
		path_env = "/bin:/usr/bin";
	for (const char *p = path_env;;) {
		const char *colon = strchrnul(p, ':');
		size_t len = (size_t)(colon - p);
		_cleanup_free_ char *cand = NULL;

		/* An empty element means the current directory, as for execvp. */
		if (asprintf(&cand, "%.*s%s%s", (int)len, p, len ? "/" : "", name) < 0)
			return -ENOMEM;
		r = check_candidate(cand);
		if (r == 0) {
			*ret = TAKE_PTR(cand);
			return 0;
		}
		if (r == -EACCES)
			saw_eacces = true;
		if (!*colon)
			break;
		p = colon + 1;
	}
	if (saw_eacces)
		return diag_fail(d, -EACCES, "cannot execute \"%s\"", name);
	return diag_fail(d, -ENOENT, "cannot execute \"%s\"", name);
}

static int resolve_ids(const struct sf_policy *pol, bool will_run, struct sf_caps_plan *cp, struct sf_diag *d)
{
	gid_t gid = 0;
	bool have_gid = false;
	int r;

	if (!pol->user && !pol->group)
		return 0;
	/* Switching identity is for root. Say so now, while nothing
	 * has been applied, rather than fail half-way in step 5. --check and
	 * --explain only check that the names exist. */
	if (will_run && (!caps_have_effective(CAP_SETUID) || !caps_have_effective(CAP_SETGID))) {
		const struct sf_origin *o = pol->user ? &pol->user_origin : &pol->group_origin;

		return diag_at(d, *o, -EPERM, "switching user or group needs root (CAP_SETUID and CAP_SETGID)");
	}
	/* Names are looked up by running the system's getent, never through
	 * the NSS of the glibc linked into sysfence (src/apply/userdb.h says why). */
	if (pol->group) {
		r = userdb_lookup_group(pol->group, &pol->group_origin, &gid, d);
		if (r == -ESRCH)
			return diag_at(d, pol->group_origin, -ESRCH, "unknown group \"%s\"", pol->group);
		if (r < 0)
			return r;
		have_gid = true;
	}
	if (pol->user) {
		struct sf_userdb_user u;

		r = userdb_lookup_user(pol->user, &pol->user_origin, &u, d);
		if (r == -ESRCH)
			return diag_at(d, pol->user_origin, -ESRCH, "unknown user \"%s\"", pol->user);
		if (r < 0)
			return r;
		if (!have_gid)
			gid = u.gid;
		cp->switch_uid = true;
		cp->uid = u.uid;
		/* The user's supplementary groups, looked up now: no user
		 * database access happens after the first irreversible step.
		 * The list is getgrouplist(user, gid)'s: gid first. */
		r = userdb_user_groups(pol->user, gid, &pol->user_origin, &cp->groups, &cp->n_groups, d);
		if (r == -E2BIG)
			return diag_msg(d, -E2BIG, "user \"%s\" is in too many groups", pol->user);
		if (r < 0)
			return r;
	} else {
		cp->groups = malloc(sizeof(*cp->groups));
		if (!cp->groups)
			return -ENOMEM;
		cp->groups[0] = gid;
		cp->n_groups = 1;
	}
	cp->switch_gid = true;
	cp->gid = gid;
	return 0;
}

/* A policy under which the program could not even start is an
 * error. Run the compiled program on the very execve call we will make. */
static int check_execve(const struct sf_policy *pol, const struct sf_filter *f, const char *path, char **argv,
    struct sf_diag *d)
{
	struct seccomp_data sd = {
		.nr = __NR_execve,
		.arch = seccomp_arch_native(),
		.args = { (uint64_t)(uintptr_t)path, (uint64_t)(uintptr_t)argv, (uint64_t)(uintptr_t)environ },
	};
	uint32_t ret = bpfsim_run(f->insns, f->n, &sd, NULL);
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL;
	const struct sf_syscall_rules *sc;
	struct sf_origin o = pol->filter.default_origin;

	if (action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG)
		return 0;
	sc = policy_find_syscall(pol, "execve");
	if (sc && sc->has_uncond)
		o = sc->uncond.origin;
	else if (sc && sc->n_cond)
		o = sc->cond_rules[0].origin;
	if (o.file)
		return diag_at(
		    d, o, -EPERM, "the policy does not allow execve, so no program could start (allow = execve)");
	return diag_msg(d, -EPERM, "the policy does not allow execve, so no program could start (--allow=execve)");
}

int launch_prepare(const struct sf_policy *pol, char *path, char **argv, struct sf_launch **ret,
    struct sf_diag *d)
{
	return launch_prepare_compiled(pol, NULL, path, argv, ret, d);
}

/* Step 5 and no_new_privs, planned: the ids to switch to, the
 * capabilities to keep, and the checks that they allow what the policy
 * asks. Returns 0 or a negative errno with a message in d. */
static int plan_privileges(struct sf_launch *l, const struct sf_policy *pol, const char *path, struct sf_diag *d)
{
	int r;

	r = resolve_ids(pol, path != NULL, &l->caps, d);
	if (r < 0)
		return r;
	if (pol->caps_changed) {
		l->caps.change = true;
		l->caps.keep = pol->caps_keep;
		l->caps.set_bounding = caps_have_effective(CAP_SETPCAP);
		/* As root without a user switch, exec recomputes the sets from
		 * the bounding set; anyone else keeps caps only as ambient. */
		l->caps.raise_ambient = l->caps.switch_uid || geteuid() != 0;
	}

	/* no_new_privs is always set when a filter is loaded without
	 * CAP_SYS_ADMIN. We set it unless the profile says no; saying no is
	 * only valid when CAP_SYS_ADMIN will still be effective at step 6. */
	l->set_nnp = pol->nnp != SF_NNP_NO;
	if (pol->nnp == SF_NNP_NO && pol->has_filter && path) {
		bool keeps_admin = caps_have_effective(CAP_SYS_ADMIN) &&
		    (!pol->caps_changed || (pol->caps_keep & (UINT64_C(1) << CAP_SYS_ADMIN))) &&
		    (!l->caps.switch_uid || pol->caps_changed);

		if (!keeps_admin)
			return diag_at(d, pol->nnp_origin, -EPERM,
			    "\"no-new-privs = no\" needs CAP_SYS_ADMIN kept when a filter is loaded");
	}

	/* A program with file capabilities that step 5 would drop cannot
	 * even be executed: say so now, with the key that keeps them. */
	if (path)
		return caps_check_file(&l->caps, path, l->set_nnp, d);
	return 0;
}

/* The directory the program starts in: chdir = if set, else ours. NULL
 * when it cannot be read (a deleted directory). */
static char *start_directory(const struct sf_launch *l)
{
	if (l->process.chdir_path)
		return realpath(l->process.chdir_path, NULL);
	return getcwd(NULL, 0);
}

/* Step 3, planned: the mounts and namespaces of [sandbox]. A program
 * that would start in a directory the view hides is refused now. */
static int plan_sandbox(struct sf_launch *l, const struct sf_policy *pol, const char *path, struct sf_diag *d)
{
	const struct sf_mount *m;
	_cleanup_free_ char *cwd = NULL, *program = NULL;
	bool admin;
	int r;

	if (!sandbox_needs_namespaces(&pol->sandbox))
		return 0;
	admin = caps_have_effective(CAP_SYS_ADMIN);
	/* Root without CAP_SYS_ADMIN was confined by someone else (another
	 * sandbox, a unit's CapabilityBoundingSet=): it can neither mount nor
	 * map itself, so the root defaults are left out (-v says so); what a
	 * profile writes still follows namespaces =. */
	if (path) {
		cwd = start_directory(l);
		program = realpath(path, NULL);
	}
	r = sandbox_plan_for(
	    &pol->sandbox, environ, geteuid() == 0 && !admin, program, cwd, sandbox_lookup_host, NULL, &l->sandbox, d);
	if (r < 0)
		return r;
	/* Without CAP_SYS_ADMIN, a user namespace where we are ourselves
	 * gives the right to mount; what it grants beyond that goes in step 5
	 * (no capability kept that the caller did not hold). */
	l->sandbox_ids = (struct sf_sandbox_ids){
		.user_ns = !admin,
		.uid = geteuid(),
		.gid = getegid(),
		.nested = sandbox_inside_another(),
	};
	if (l->sandbox_ids.user_ns && l->caps.change)
		l->caps.keep &= caps_permitted();
	if (!l->sandbox.mount_ns || !cwd)
		return 0;
	m = sandbox_plan_covering(&l->sandbox, cwd);
	if (m && sandbox_mount_replaces(m))
		/* Without a line (a root default), say which section. */
		return diag_at(d, m->origin, -EACCES,
		    "the program would start in \"%s\", which %s%s hides (%s \"%s\"); start it from another directory or set [process] chdir",
		    cwd, m->origin.file ? "" : "[sandbox] ", m->key, sandbox_mount_kind_name(m->kind), m->path);
	return 0;
}

/* Steps 2 and 4, planned now: a bad path, limit or variable stops us
 * here, before anything is applied. Returns 0 or a negative errno with a
 * message in d. */
static int plan_confinement(struct sf_launch *l, const struct sf_policy *pol, const char *path, struct sf_diag *d)
{
	const int abi = landlock_abi();
	/* landlock_restrict_self(2) needs no_new_privs or CAP_SYS_ADMIN when
	 * step 4 runs, before capabilities change in step 5. */
	const bool may_restrict = l->set_nnp || caps_have_effective(CAP_SYS_ADMIN);
	int r;

	r = limits_check(&pol->limits, path != NULL, d);
	if (r < 0)
		return r;
	l->limits = pol->limits;
	r = process_plan(&pol->process, environ, path != NULL, &l->process, d);
	if (r < 0)
		return r;
	r = plan_sandbox(l, pol, path, d);
	if (r < 0)
		return r;
	if (pol->fs.n || pol->network.connect_tcp.set || pol->network.bind_tcp.set) {
		r = landlock_plan(&pol->fs, &pol->network, abi, environ, path, &l->landlock, d);
		if (r < 0)
			return r;
	}
	/* Step 3 may change what a path names (a private /tmp): the rules'
	 * paths are opened again in step 5. */
	l->landlock.reopen = l->sandbox.mount_ns;
	/* The [sandbox] scopes join the same ruleset: one Landlock domain. */
	l->landlock.abi = abi;
	r = landlock_decide_scopes(
	    &pol->sandbox, &pol->fs, abi, may_restrict, &l->landlock.scoped, &l->landlock.scopes_skipped, d);
	if (r < 0)
		return r;
	if ((l->landlock.handled_fs || l->landlock.handled_net || l->landlock.scoped) && !may_restrict)
		return diag_at(d, pol->nnp_origin, -EPERM,
		    "\"no-new-privs = no\" needs CAP_SYS_ADMIN when Landlock rules are applied");
	return 0;
}

/* Step 6's filter: the precompiled one (taken from *filter) or built now,
 * and checked to let the program start. Returns 0 or a negative errno
 * with a message in d. */
static int plan_filter(struct sf_launch *l, const struct sf_policy *pol, struct sf_filter **filter, const char *path,
    char **argv, struct sf_diag *d)
{
	int r;

	if (filter && *filter)
		l->filter = TAKE_PTR(*filter);
	else if (filter)
		return diag_msg(d, -EINVAL, "internal: the precompiled policy has no filter");
	else {
		r = filter_build(&pol->filter, &l->filter, d);
		if (r < 0)
			return r;
	}
	return check_execve(pol, l->filter, path ? path : "/", argv, d);
}

/* The program was found relative to the launcher's directory; chdir
 * changes it in step 2, so exec it by its absolute name. On success l
 * owns path (freed here when replaced). */
static int absolute_path(struct sf_launch *l, char *path, struct sf_diag *d)
{
	_cleanup_free_ char *cwd = NULL;
	char *abs = NULL;

	if (!path || path[0] == '/' || l->process.chdir_fd < 0)
		return 0;
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return diag_errno(d, "cannot read the working directory");
	if (asprintf(&abs, "%s/%s", cwd, path) < 0)
		return -ENOMEM;
	free(path);
	l->path = abs;
	return 0;
}

int launch_prepare_compiled(const struct sf_policy *pol, struct sf_filter **filter, char *path, char **argv,
    struct sf_launch **ret, struct sf_diag *d)
{
	struct sf_launch *l = calloc(1, sizeof(*l));
	int r;

	if (!l)
		return -ENOMEM;
	l->process.chdir_fd = -1;
	l->path = path;
	l->argv = argv;

	r = plan_privileges(l, pol, path, d);
	if (r == 0)
		r = plan_confinement(l, pol, path, d);
	if (r == 0 && pol->has_filter)
		r = plan_filter(l, pol, filter, path, argv, d);
	/* Done last: until we succeed, the caller owns path. */
	if (r == 0)
		r = absolute_path(l, path, d);
	if (r < 0) {
		l->path = NULL;
		launch_free(l);
		return r;
	}
	*ret = l;
	return 0;
}

void launch_free(struct sf_launch *l)
{
	if (!l)
		return;
	filter_free(l->filter);
	caps_plan_clear(&l->caps);
	process_plan_clear(&l->process);
	landlock_plan_clear(&l->landlock);
	sandbox_plan_clear(&l->sandbox);
	free(l->path);
	free(l);
}

/* Print the warnings in d on stderr (unless quiet) and drop them: after
 * exec nobody would. */
static void flush_warnings(struct sf_diag *d, bool quiet)
{
	for (size_t i = 0; i < d->n; i++) {
		_cleanup_free_ char *s = quiet || !d->msgs[i].warning ? NULL : diag_format(&d->msgs[i]);

		if (s)
			fprintf(stderr, "%s\n", s);
	}
	if (d->n_errors == 0)
		diag_clear(d);
}

int launch_exec(const struct sf_launch *l, int *ret_status, struct sf_diag *d)
{
	bool entered_user_ns = false;
	int r;

	*ret_status = SF_EXIT_FAILURE;

	/* Step 2, process settings, in the documented order: limits, umask,
	 * working directory, environment, descriptors, session, then the
	 * parent-death signal. Before no_new_privs and Landlock, which do not
	 * depend on them, and while we still hold every capability (raising
	 * a hard limit needs CAP_SYS_RESOURCE). close-fds spares the
	 * descriptors steps 4 and later still use (all close-on-exec). */
	r = limits_apply(&l->limits, d);
	if (r < 0)
		return r;
	{
		_cleanup_free_ int *keep = calloc(l->landlock.n_rules + 2, sizeof(*keep));
		size_t n_keep = 0;

		if (!keep)
			return diag_fail(d, -ENOMEM, "cannot apply the process settings");
		for (size_t i = 0; i < l->landlock.n_rules; i++)
			keep[n_keep++] = l->landlock.rules[i].fd;
		if (l->process.chdir_fd >= 0)
			keep[n_keep++] = l->process.chdir_fd;
		if (l->load_filter)
			keep[n_keep++] = l->handover_fd;
		r = process_apply(&l->process, keep, n_keep, d);
		if (r < 0)
			return r;
	}

	/* Step 3: the private view, with every capability still held. The
	 * working directory is entered again by name: the descriptor we
	 * hold is the host's directory, under the mounts just made. */
	if (l->sandbox.mount_ns || l->sandbox.net_ns) {
		_cleanup_free_ char *cwd = l->sandbox.mount_ns ? getcwd(NULL, 0) : NULL;

		r = sandbox_enter(&l->sandbox, &l->sandbox_ids, d);
		if (r < 0)
			return r;
		entered_user_ns = r == 0 && l->sandbox_ids.user_ns;
		if (r == 0 && cwd && chdir(cwd) < 0)
			return diag_errno(d, "cannot enter the working directory \"%s\" in the private view", cwd);
	}

	/* Step 4: no_new_privs before anything that depends on it: the seccomp
	 * load needs it (without CAP_SYS_ADMIN), and it stops the program from
	 * regaining privileges through set-id or file-capability binaries. */
	if (l->set_nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return diag_errno(d, "cannot set no_new_privs");

	/* Step 5, Landlock: after no_new_privs (which it needs without
	 * CAP_SYS_ADMIN) and before the identity switch, which could lose
	 * access to the directories opened in step 1. */
	r = landlock_apply(&l->landlock, d);
	if (r < 0)
		return r;

	/* Step 6: identity and capabilities, after no_new_privs and before the
	 * filter, so the filter need not allow capset/setresuid/prctl. In a
	 * user namespace of ours we hold every capability of it: all go
	 * that the caller did not hold (plan_sandbox()), the bounding set
	 * included. */
	{
		struct sf_caps_plan caps = l->caps;

		if (entered_user_ns) {
			caps.change = true;
			caps.set_bounding = true;
		}
		r = caps_apply(&caps, d);
	}
	if (r < 0)
		return r;
	/* prctl(2): a change of effective or filesystem ids clears the
	 * parent-death signal set in step 2. */
	if (l->caps.switch_uid || l->caps.switch_gid) {
		r = process_rearm_parent_death(&l->process, d);
		if (r < 0)
			return r;
	}

	if (!l->load_filter)
		flush_warnings(d, l->quiet);

	/* Step 7: the filter, last, so that it constrains only the program. */
	if (l->filter) {
		r = l->load_filter ? l->load_filter(l->filter, l->load_filter_ctx) : filter_load(l->filter);
		if (r < 0)
			return diag_fail(d, r, "cannot load the seccomp filter");
	}

	/* Then exec in place: same PID, nothing left behind. */
	execve(l->path, l->argv, environ);
	r = -errno;
	*ret_status = r == -ENOENT || r == -ENOTDIR ? SF_EXIT_NOTFOUND : SF_EXIT_NOEXEC;
	return diag_fail(d, r, "cannot execute \"%s\"", l->argv[0]);
}

/* The -v line of the [sandbox] scopes, and why a default was left out. */
static void describe_scopes(FILE *f, const struct sf_landlock_plan *p)
{
	if (p->scoped)
		fprintf(f, "landlock scopes:%s%s\n", p->scoped & SF_SCOPE_SIGNAL ? " signals" : "",
		    p->scoped & SF_SCOPE_ABSTRACT_UNIX_SOCKET ? " abstract-unix-sockets" : "");
	if (p->scopes_skipped && p->abi < 6)
		fprintf(f,
		    "landlock scopes left out: isolate-signals and isolate-abstract-sockets need Landlock ABI 6, the kernel offers %s%.0d\n",
		    p->abi ? "ABI " : "no Landlock", p->abi);
	else if (p->scopes_skipped)
		fputs(
		    "landlock scopes left out: without no_new_privs and CAP_SYS_ADMIN no Landlock domain can be entered\n",
		    f);
}

char *launch_describe(const struct sf_launch *l)
{
	const struct sf_process_plan *p = &l->process;
	_cleanup_membuf_ struct membuf mb = { 0 };
	FILE *f;

	if (membuf_open(&mb) < 0)
		return NULL;
	f = mb.f;
	for (size_t i = 0; i < l->limits.n; i++) {
		_cleanup_free_ char *v = limits_format(l->limits.items[i].resource, &l->limits.items[i].rl);

		fprintf(f, "limit %s = %s\n", limits_name(l->limits.items[i].resource), v ? v : "?");
	}
	if (p->set_umask)
		fprintf(f, "umask %03o\n", (unsigned)p->umask);
	if (p->chdir_path)
		fprintf(f, "working directory %s\n", p->chdir_path);
	if (p->env) {
		size_t n = 0;

		while (p->env[n])
			n++;
		fprintf(f, "environment: %zu variables\n", n);
	}
	if (p->close_fds && p->listen_fds)
		fprintf(f, "close descriptors above 2, keeping systemd's 3..%d\n", 2 + p->listen_fds);
	else if (p->close_fds)
		fputs("close descriptors above 2\n", f);
	if (p->new_session)
		fputs("new session\n", f);
	if (p->die_with_parent)
		fprintf(f, "die with parent %d\n", (int)p->parent);
	if (l->landlock.handled_fs || l->landlock.handled_net)
		fprintf(f, "landlock ABI %d: %zu path rules, %zu TCP port rules, handled fs %#llx net %#llx\n",
		    l->landlock.abi, l->landlock.n_rules, l->landlock.n_ports, (unsigned long long)l->landlock.handled_fs,
		    (unsigned long long)l->landlock.handled_net);
	if (l->sandbox.root_defaults_skipped)
		fputs("sandbox: " SANDBOX_ROOT_SKIPPED "\n", f);
	if (l->sandbox.mount_ns || l->sandbox.net_ns) {
		_cleanup_free_ char *view = sandbox_plan_describe(&l->sandbox, "sandbox: ");

		if (l->sandbox.best_effort && l->sandbox_ids.nested)
			fputs(
			    "sandbox: inside another sandbox's view: namespaces it refuses are left out without a warning (namespaces = best-effort)\n",
			    f);
		fprintf(f, "sandbox: %s%s%s\n", l->sandbox_ids.user_ns ? "user namespace (own ids only), " : "",
		    l->sandbox.mount_ns ? "mount namespace" : "",
		    l->sandbox.net_ns ? (l->sandbox.mount_ns ? ", network namespace (loopback only)"
							     : "network namespace (loopback only)")
				      : "");
		if (view)
			fputs(view, f);
	}
	describe_scopes(f, &l->landlock);
	return membuf_take(&mb, NULL);
}
