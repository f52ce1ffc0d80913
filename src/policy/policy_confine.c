/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The policy's [process], [limits], [filesystem], [network] and [sandbox] sections:
 * parsed into plain settings here (the modules check the syntax); paths,
 * ${VAR}s and privileges are checked by launch_prepare(). */
#include "cleanup.h"
#include "cond.h"
#include "policy_int.h"
#include "policy_store.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

/* "yes"/"true" or "no"/"false"; anything else is an error at the entry. */
static int parse_bool(const struct sf_entry *e, bool *ret, struct sf_diag *d)
{
	if (strcmp(e->value, "yes") == 0 || strcmp(e->value, "true") == 0) {
		*ret = true;
		return 0;
	}
	if (strcmp(e->value, "no") == 0 || strcmp(e->value, "false") == 0) {
		*ret = false;
		return 0;
	}
	return diag_at(d, profile_entry_at(e), -EINVAL, "expected yes or no, found \"%s\"", e->value);
}

static int process_nnp(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	bool b = false;
	int r = parse_bool(e, &b, d);

	if (r < 0)
		return r;
	pol->nnp = b ? SF_NNP_YES : SF_NNP_NO;
	pol->nnp_origin = (struct sf_origin){ policy_intern_file(pol, e->file), e->line };
	return 0;
}

static struct sf_origin entry_origin(struct sf_policy *pol, const struct sf_entry *e)
{
	return (struct sf_origin){ policy_intern_file(pol, e->file), e->line };
}

static int process_flag(struct sf_policy *pol, const struct sf_entry *e, bool *dst, struct sf_origin *o,
    struct sf_diag *d)
{
	bool b = false;
	int r = parse_bool(e, &b, d);

	if (r < 0)
		return r;
	*dst = b;
	*o = entry_origin(pol, e);
	return 0;
}

static int process_new_session(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return process_flag(pol, e, &pol->process.new_session, &pol->process.new_session_origin, d);
}

static int process_die_with_parent(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return process_flag(pol, e, &pol->process.die_with_parent, &pol->process.die_with_parent_origin, d);
}

static int process_close_fds(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return process_flag(pol, e, &pol->process.close_fds, &pol->process.close_fds_origin, d);
}

static int process_env_clear(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return process_flag(pol, e, &pol->process.env_clear, &pol->process.env_clear_origin, d);
}

static int process_umask(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	int r = process_parse_umask(e->value, entry_origin(pol, e), &pol->process.umask, d);

	if (r < 0)
		return r;
	pol->process.has_umask = true;
	pol->process.umask_origin = entry_origin(pol, e);
	return 0;
}

static int process_chdir(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	if (!*e->value || strpbrk(e->value, " \t"))
		return diag_at(d, profile_entry_at(e), -EINVAL, "expected one directory, found \"%s\"", e->value);
	free(pol->process.chdir);
	pol->process.chdir = strdup(e->value);
	if (!pol->process.chdir)
		return -ENOMEM;
	pol->process.chdir_origin = entry_origin(pol, e);
	return 0;
}

static int process_env_keep(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return process_add_env_keep(&pol->process, e->value, entry_origin(pol, e), d);
}

static int process_env_set(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return process_add_env_set(&pol->process, e->value, entry_origin(pol, e), d);
}

static int limits_key(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return limits_set(&pol->limits, e->key, e->value, entry_origin(pol, e), d);
}

static int fs_read_only(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return landlock_add_paths(&pol->fs, SF_FS_READ_ONLY, e->value, entry_origin(pol, e), d);
}

static int fs_read_write(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return landlock_add_paths(&pol->fs, SF_FS_READ_WRITE, e->value, entry_origin(pol, e), d);
}

static int fs_execute(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return landlock_add_paths(&pol->fs, SF_FS_EXECUTE, e->value, entry_origin(pol, e), d);
}

static int fs_landlock(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return landlock_set_mode(&pol->fs, e->value, entry_origin(pol, e), d);
}

static int net_families(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return netfamily_add(&pol->network, e->value, entry_origin(pol, e), d);
}

static int net_connect_tcp(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return netport_add(&pol->network.connect_tcp, e->key, e->value, entry_origin(pol, e), d);
}

static int net_bind_tcp(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return netport_add(&pol->network.bind_tcp, e->key, e->value, entry_origin(pol, e), d);
}

static int sandbox_key(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	pol->sandbox.layer = pol->layer;
	return sandbox_set(&pol->sandbox, e->key, e->value, entry_origin(pol, e), d);
}

/* Append a conditional refusal to a syscall's rules. The rule takes action
 * a, or the syscall's fallback when that is more restrictive, so a refusal
 * never turns a kill into an error. Takes cond (freed on failure). Without a
 * filter (--learn and --list-groups replace the seccomp rules) there is
 * nothing to add to. Returns 0 or -ENOMEM. */
static int add_refusal(
    struct sf_policy *pol, const char *call, struct sf_action a, struct sf_cond *cond, struct sf_origin origin)
{
	size_t len = strlen(call) + 1;
	char *name = cond && pol->has_filter ? policy_arena_alloc(pol, len) : NULL;
	struct sf_syscall_rules *sc =
	    name ? policy_syscall_get(pol, memcpy(name, call, len), policy_syscall_nr(call)) : NULL;
	struct sf_action fallback;

	if (cond && !pol->has_filter) {
		cond_free(cond);
		return 0;
	}
	if (!sc) {
		cond_free(cond);
		return -ENOMEM;
	}
	fallback = sc->has_uncond ? sc->uncond.action : pol->filter.default_action;
	if (action_cmp(fallback, a) > 0)
		a = fallback;
	/* Derived: after every written layer, so no rule can drop it. */
	if (rules_add_cond(sc, (struct sf_rule){ .action = a, .cond = cond, .origin = origin,
	    .layer = SF_LAYER_DERIVED }) < 0) {
		cond_free(cond);
		return -ENOMEM;
	}
	return 0;
}

/* [network] families, compiled into the filter: socket(2) and
 * socketpair(2) with any other family fail with EAFNOSUPPORT, what the
 * kernel answers for a family it lacks, so programs fall back as they
 * would there. The rule is conditional, so the meaning in sysfence.profile(5) makes it win
 * over less restrictive rules of the profile (an "allow = socket" or an
 * allow-if for the same family), while more restrictive ones (kill, trap)
 * still win over it. When the syscall's fallback is more restrictive than
 * an errno, the rule takes that action instead, so families never turns a
 * kill into an error. Runs after the command line, which may change the
 * default. A policy always has a default action (policy_build() refuses one
 * without), so families never invents one: a profile that wants only this
 * refusal writes default-action = allow. Without a filter (--learn and
 * --list-groups replace the seccomp rules) there is nothing to add to. */
int policy_network_family_rules(struct sf_policy *pol)
{
	static const char *const calls[] = { "socket", "socketpair" };

	if (!pol->network.has_families || !pol->has_filter)
		return 0;
	for (size_t i = 0; i < ELEMENTSOF(calls); i++) {
		int r = add_refusal(pol, calls[i], (struct sf_action){ SF_ACT_ERRNO, EAFNOSUPPORT },
		    netfamily_refuse_cond(pol->network.families), pol->network.families_origin);

		if (r < 0)
			return r;
	}
	return 0;
}

/* Whether the program may create TCP sockets at all: families, when
 * written, may leave out both inet and inet6. */
static bool may_use_tcp(const struct sf_network_settings *n)
{
	return !n->has_families || (n->families & ((UINT64_C(1) << AF_INET) | (UINT64_C(1) << AF_INET6)));
}

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/* Holes around Landlock's TCP rules, closed in the filter:
 *
 * - Landlock restricts connect(2) and bind(2) on IPPROTO_TCP sockets only,
 *   while an MPTCP socket (socket(AF_INET or AF_INET6, SOCK_STREAM,
 *   IPPROTO_MPTCP)) makes its TCP subflows inside the kernel, where no
 *   Landlock hook sees them. Once connect-tcp or bind-tcp is written,
 *   creating one fails with EPROTONOSUPPORT, what a kernel without MPTCP
 *   answers, so programs fall back to plain TCP.
 * - listen(2) on a socket that was never bound makes the kernel pick a
 *   port itself, without the bind hook Landlock uses. Under "bind-tcp =
 *   none", listen(2) fails with EACCES, as a refused bind(2) does. A
 *   filter cannot tell a TCP socket from a unix one behind a descriptor,
 *   so this holds for unix-socket listeners too (docs/process.md); a
 *   profile whose families leave out inet and inet6 needs neither rule.
 *
 * Both are conditional refusals added after the command line, as the
 * families rules are, so no later allow can reopen them. */
int policy_network_tcp_rules(struct sf_policy *pol)
{
	const struct sf_network_settings *n = &pol->network;
	const struct sf_cmp mptcp[] = {
		{ .arg = 0, .op = SF_CMP_EQ, .value = AF_INET },
		{ .arg = 2, .op = SF_CMP_EQ, .value = IPPROTO_MPTCP },
		{ .arg = 0, .op = SF_CMP_EQ, .value = AF_INET6 },
		{ .arg = 2, .op = SF_CMP_EQ, .value = IPPROTO_MPTCP },
	};
	const struct sf_cmp always[] = { { .arg = 0, .op = SF_CMP_GE, .value = 0 } };
	int r = 0;

	if (!may_use_tcp(n))
		return 0;
	if (n->connect_tcp.set || n->bind_tcp.set)
		r = add_refusal(pol, "socket", (struct sf_action){ SF_ACT_ERRNO, EPROTONOSUPPORT },
		    cond_from_cmps(mptcp, 2, 2), n->connect_tcp.set ? n->connect_tcp.origin : n->bind_tcp.origin);
	if (r == 0 && n->bind_tcp.set && n->bind_tcp.n == 0)
		r = add_refusal(pol, "listen", (struct sf_action){ SF_ACT_ERRNO, EACCES }, cond_from_cmps(always, 1, 1),
		    n->bind_tcp.origin);
	return r;
}

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

/* The system calls that make a file with a mode: the argument holding
 * the flags (-1: none, the call always creates) and the mode. */
struct mode_call {
	const char *name;
	int flags_arg;
	unsigned mode_arg;
	bool tmpfile; /* O_TMPFILE creates too */
};

static const struct mode_call set_id_calls[] = {
	{ "chmod", -1, 1, false },
	{ "fchmod", -1, 1, false },
	{ "fchmodat", -1, 2, false },
	{ "fchmodat2", -1, 2, false },
	{ "mkdir", -1, 1, false },
	{ "mkdirat", -1, 2, false },
	{ "mknod", -1, 1, false },
	{ "mknodat", -1, 2, false },
	{ "creat", -1, 1, false },
	{ "open", 1, 2, true },
	{ "openat", 2, 3, true },
};

/* The refusal of one call of set_id_calls: a mode with S_ISUID or S_ISGID,
 * and for open/openat only when it creates (O_CREAT, or O_TMPFILE, whose
 * bits include O_DIRECTORY and so must all be set). NULL on ENOMEM. */
static struct sf_cond *set_id_cond(const struct mode_call *c)
{
	const struct sf_cmp mode = { .arg = c->mode_arg, .op = SF_CMP_ANY_BITS, .mask = S_ISUID | S_ISGID };
	const struct sf_cmp creating[] = {
		{ .arg = (unsigned)c->flags_arg, .op = SF_CMP_ANY_BITS, .mask = O_CREAT },
		mode,
		{ .arg = (unsigned)c->flags_arg, .op = SF_CMP_MASKED_EQ, .mask = O_TMPFILE, .value = O_TMPFILE },
		mode,
	};

	if (c->flags_arg < 0)
		return cond_from_cmps(&mode, 1, 1);
	return cond_from_cmps(creating, c->tmpfile ? 2 : 1, 2);
}

/* restrict-suid-sgid, as systemd's RestrictSUIDSGID= does it
 * (seccomp_restrict_suid_sgid() in systemd's src/shared/seccomp-util.c):
 * chmod, fchmod, fchmodat, fchmodat2, mkdir, mkdirat, mknod, mknodat and
 * creat with S_ISUID or S_ISGID in the mode, and open and openat that
 * create (O_CREAT or O_TMPFILE) with such a mode, fail with EPERM. A
 * directory's S_ISGID (files made in it take its group) is refused as
 * well, as systemd refuses it: the filter cannot tell a directory from a
 * file. openat2(2) passes flags and mode in a struct open_how the filter
 * cannot read, so it fails with ENOSYS, as under systemd: libc and
 * language runtimes take that as "absent" and fall back to openat(2),
 * which the rule above sees. The modes are compared as the kernel reads
 * them (the compiler matches a refusal when either the 32-bit or the
 * 64-bit reading of an argument matches, and these bits sit in the low
 * half). Conditional refusals after the command line, as the [network]
 * ones are, so no later allow reopens them; origin is where the key was
 * written, or the root default. */
int policy_sandbox_rules(struct sf_policy *pol)
{
	const struct sf_sandbox_settings *sb = &pol->sandbox;
	const struct sf_cmp always[] = { { .arg = 0, .op = SF_CMP_GE, .value = 0 } };
	struct sf_origin o = sb->restrict_suid_sgid.origin;
	int r = 0;

	if (!sb->restrict_suid_sgid.value || !pol->has_filter)
		return 0;
	if (sb->suid_root_default)
		o = (struct sf_origin){ policy_intern_file(pol, SF_SANDBOX_ROOT_DEFAULT), 0 };
	for (size_t i = 0; r == 0 && i < ELEMENTSOF(set_id_calls); i++) {
		/* A name this libseccomp does not know (fchmodat2 before
		 * 2.5.5) is a call it cannot filter: the default action
		 * applies to it. */
		if (policy_syscall_nr(set_id_calls[i].name) == __NR_SCMP_ERROR)
			continue;
		r = add_refusal(pol, set_id_calls[i].name, (struct sf_action){ SF_ACT_ERRNO, EPERM },
		    set_id_cond(&set_id_calls[i]), o);
	}
	if (r == 0 && policy_syscall_nr("openat2") != __NR_SCMP_ERROR)
		r = add_refusal(
		    pol, "openat2", (struct sf_action){ SF_ACT_ERRNO, ENOSYS }, cond_from_cmps(always, 1, 1), o);
	return r;
}

const struct key_handler policy_sandbox_keys[] = {
	{ "restrict-suid-sgid", sandbox_key },
	{ "isolate-signals", sandbox_key },
	{ "isolate-abstract-sockets", sandbox_key },
	{ "private-tmp", sandbox_key },
	{ "private-devices", sandbox_key },
	{ "private-network", sandbox_key },
	{ "protect-system", sandbox_key },
	{ "protect-home", sandbox_key },
	{ "protect-kernel-tunables", sandbox_key },
	{ "protect-control-groups", sandbox_key },
	{ "read-only-paths", sandbox_key },
	{ "read-write-paths", sandbox_key },
	{ "inaccessible-paths", sandbox_key },
	{ "namespaces", sandbox_key },
	{ NULL, NULL },
};

const struct key_handler policy_process_keys[] = {
	{ "no-new-privs", process_nnp },
	{ "new-session", process_new_session },
	{ "die-with-parent", process_die_with_parent },
	{ "close-fds", process_close_fds },
	{ "umask", process_umask },
	{ "chdir", process_chdir },
	{ "env-clear", process_env_clear },
	{ "env-keep", process_env_keep },
	{ "env-set", process_env_set },
	{ NULL, NULL },
};

const struct key_handler policy_limits_keys[] = {
	{ "as", limits_key }, { "core", limits_key }, { "cpu", limits_key }, { "data", limits_key },
	{ "fsize", limits_key }, { "locks", limits_key }, { "memlock", limits_key }, { "msgqueue", limits_key },
	{ "nice", limits_key }, { "nofile", limits_key }, { "nproc", limits_key }, { "rss", limits_key },
	{ "rtprio", limits_key }, { "rttime", limits_key }, { "sigpending", limits_key }, { "stack", limits_key },
	{ NULL, NULL },
};

const struct key_handler policy_filesystem_keys[] = {
	{ "read-only", fs_read_only },
	{ "read-write", fs_read_write },
	{ "execute", fs_execute },
	{ "landlock", fs_landlock },
	{ NULL, NULL },
};

const struct key_handler policy_network_keys[] = {
	{ "families", net_families },
	{ "connect-tcp", net_connect_tcp },
	{ "bind-tcp", net_bind_tcp },
	{ NULL, NULL },
};
