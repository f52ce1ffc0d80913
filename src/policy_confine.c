/* The policy's [process], [limits], [filesystem] and [network] sections:
 * parsed into plain settings here (the modules check the syntax); paths,
 * ${VAR}s and privileges are checked by launch_prepare(). */
#include "policy.h"
#include "policy_int.h"
#include "cleanup.h"
#include "cond.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int process_nnp(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	bool b = false;
	int r = policy_parse_bool(e, &b, d);

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
	int r = policy_parse_bool(e, &b, d);

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
		return diag_set(d, e->file, e->line, -EINVAL, 0, "expected one directory, found \"%s\"", e->value);
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

/* [network] families, compiled into the filter: socket(2) and
 * socketpair(2) with any other family fail with EAFNOSUPPORT, what the
 * kernel answers for a family it lacks, so programs fall back as they
 * would there. The rule is conditional, so SPEC.md's meaning makes it win
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
		size_t len = strlen(calls[i]) + 1;
		char *name = policy_arena_alloc(pol, len);
		struct sf_syscall_rules *sc = name ? policy_syscall_get(pol, memcpy(name, calls[i], len), policy_syscall_nr(calls[i])) :
		    NULL;
		struct sf_action a = { SF_ACT_ERRNO, EAFNOSUPPORT };
		struct sf_action fallback;
		struct sf_rule *nr;
		struct sf_cond *cond;

		if (!sc)
			return -ENOMEM;
		fallback = sc->has_uncond ? sc->uncond.action : pol->filter.default_action;
		if (action_cmp(fallback, a) > 0)
			a = fallback;
		cond = netfamily_refuse_cond(pol->network.families);
		nr = cond ? realloc(sc->cond_rules, (sc->n_cond + 1) * sizeof(*nr)) : NULL;
		if (!nr) {
			cond_free(cond);
			return -ENOMEM;
		}
		sc->cond_rules = nr;
		sc->cond_rules[sc->n_cond++] = (struct sf_rule){ .action = a, .cond = cond,
			.origin = pol->network.families_origin };
	}
	return 0;
}

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
