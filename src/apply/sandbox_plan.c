/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sandbox_plan.h"
#include "array.h"
#include "cleanup.h"
#include "expand.h"
#include "membuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Precedence for one path, highest wins: a key written in a later layer
 * (a per-app profile after the default it includes, a .local file, the
 * command line); in one layer the most restrictive key; below every
 * written key, what the protect-* and private-* keys imply. */
enum {
	RANK_IMPLIED_WRITE, /* protect-system = strict's /dev /proc /sys */
	RANK_IMPLIED_READ_ONLY,
	RANK_IMPLIED_MASK,
	RANK_READ_WRITE,
	RANK_READ_ONLY,
	RANK_INACCESSIBLE,
	RANK_LAYER, /* a written key's rank: its own + RANK_LAYER * (layer + 1) */
};

struct planner {
	struct sf_sandbox_plan *p;
	size_t cap;
	char *const *envp;
	sf_sandbox_lookup_fn lookup;
	void *ctx;
	bool skip_root_defaults;
	struct sf_diag *d;
};

static const char *const tunables[] = {
	"/proc/sys",
	"/proc/sysrq-trigger",
	"/proc/latency_stats",
	"/proc/acpi",
	"/proc/apm",
	"/proc/asound",
	"/proc/bus",
	"/proc/fs",
	"/proc/irq",
	"/proc/mtrr",
	"/proc/scsi",
	"/proc/timer_stats",
	"/sys",
	NULL,
};
static const char *const homes[] = { "/home", "/root", "/run/user", NULL };
static const char *const tmps[] = { "/tmp", "/var/tmp", NULL };
static const char *const system_yes[] = { "/usr", "/boot", "/efi", NULL };
static const char *const system_full[] = { "/usr", "/boot", "/efi", "/etc", NULL };
static const char *const api_fs[] = { "/dev", "/proc", "/sys", NULL };

const char *sandbox_mount_kind_name(enum sf_mount_kind k)
{
	switch (k) {
	case SF_MOUNT_READ_ONLY:
		return "read-only";
	case SF_MOUNT_READ_WRITE:
		return "read-write";
	case SF_MOUNT_INACCESSIBLE:
		return "inaccessible";
	case SF_MOUNT_EMPTY:
		return "empty tmpfs";
	case SF_MOUNT_TMP:
		return "private tmpfs";
	case SF_MOUNT_DEVICES:
		return "private devices";
	}
	return "?";
}

/* "/a//b/./c/" as "/a/b/c"; ".." is refused (-EINVAL): a path that climbs
 * says something other than it shows. */
static int normalize(const char *in, char **ret)
{
	size_t len = strlen(in);
	char *out = malloc(len + 2);
	size_t o = 0;

	if (!out)
		return -ENOMEM;
	for (const char *p = in; *p;) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			free(out);
			return -EINVAL;
		}
		if (!(n == 1 && p[0] == '.')) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	*ret = out;
	return 0;
}

/* PATH as written to an absolute path: "~" from HOME, ${VAR} from envp.
 * Returns 0, 1 when an optional path's variable is unset (left out), or a
 * negative errno with a message. */
static int expand_path(struct planner *pl, const struct sf_sandbox_path *sp, char **ret)
{
	_cleanup_free_ char *text = NULL, *name = NULL, *expanded = NULL;
	const char *home;
	int r;

	if (sp->path[0] == '~') {
		home = expand_getenv(pl->envp, "HOME");
		if (!home || home[0] != '/') {
			if (sp->optional)
				return 1;
			return diag_at(pl->d, sp->origin, -EINVAL, "%s: \"%s\" needs HOME, which is %s",
			    sandbox_path_key(sp->kind), sp->path, home ? "not absolute" : "not set");
		}
		if (asprintf(&text, "%s%s", home, sp->path + 1) < 0)
			return -ENOMEM;
	} else if (!(text = strdup(sp->path)))
		return -ENOMEM;
	r = expand_vars(text, pl->envp, &expanded, &name);
	if (r == -ENOENT && sp->optional)
		return 1;
	if (r == -ENOENT)
		return diag_at(pl->d, sp->origin, r, "%s: environment variable \"%s\" is not set (in \"%s\")",
		    sandbox_path_key(sp->kind), name, sp->path);
	if (r == -EINVAL)
		return diag_at(pl->d, sp->origin, r, "%s: expected ${NAME} with a variable name in \"%s\"",
		    sandbox_path_key(sp->kind), sp->path);
	if (r < 0)
		return r;
	if (expanded[0] != '/')
		return diag_at(pl->d, sp->origin, -EINVAL, "%s: \"%s\" is not an absolute path (\"%s\")",
		    sandbox_path_key(sp->kind), sp->path, expanded);
	r = normalize(expanded, ret);
	if (r == -EINVAL)
		return diag_at(pl->d, sp->origin, r, "%s: \"%s\" has a \"..\" component; name the path itself",
		    sandbox_path_key(sp->kind), sp->path);
	return r;
}

/* Add one entry for path (absolute). A missing optional path is left
 * out. Returns 0 or a negative errno with a message. */
static int add(struct planner *pl, const char *path, bool optional, enum sf_mount_kind kind, int rank, const char *key,
    struct sf_origin o, bool root_default, unsigned layer)
{
	_cleanup_free_ char *real = NULL;
	bool is_dir = false;
	int r;

	if (root_default && pl->skip_root_defaults) {
		pl->p->root_defaults_skipped = true;
		return 0;
	}
	r = pl->lookup(path, &real, &is_dir, pl->ctx);

	/* An optional path the caller cannot even look up is one it cannot
	 * reach: nothing to hide. */
	if ((r == -ENOENT || r == -EACCES) && optional)
		return 0;
	if (r == -ENOENT) {
		if (o.file)
			return diag_at(pl->d, o, r, "%s: \"%s\" does not exist (write \"-%s\" if it may be missing)",
			    key, path, path);
		return diag_msg(pl->d, r, "%s: \"%s\" does not exist", key, path);
	}
	if (r < 0)
		return diag_set(pl->d, o.file, o.line, r, -r, "%s: cannot look up \"%s\"", key, path);
	/* Only a directory can hold an empty tree, a tmpfs or a /dev. */
	if (!is_dir && (kind == SF_MOUNT_EMPTY || kind == SF_MOUNT_TMP || kind == SF_MOUNT_DEVICES))
		return diag_msg(pl->d, -ENOTDIR, "%s: \"%s\" is not a directory", key, real);
	if (ARRAY_RESERVE(pl->p->mounts, pl->cap, pl->p->n + 1) < 0)
		return -ENOMEM;
	pl->p->mounts[pl->p->n++] = (struct sf_mount){
		.path = TAKE_PTR(real),
		.kind = kind,
		.is_dir = is_dir,
		.shown_in = -1,
		.key = key,
		.origin = o,
		.root_default = root_default,
		.layer = layer,
		.rank = rank,
	};
	return 0;
}

static int add_list(struct planner *pl, const char *const *paths, enum sf_mount_kind kind, int rank, const char *key,
    struct sf_origin o, bool root_default, unsigned layer)
{
	for (size_t i = 0; paths[i]; i++) {
		int r = add(pl, paths[i], true, kind, rank, key, o, root_default, layer);

		if (r < 0)
			return r;
	}
	return 0;
}

/* The layer an entry implied by a key takes: 1 + the key's, 0 for a
 * default (struct sf_mount's layer). */
static unsigned key_layer(bool set, unsigned layer)
{
	return set ? layer + 1 : 0;
}

/* The paths the protect-* and private-* keys imply. */
static int add_implied(struct planner *pl, const struct sf_sandbox_settings *s)
{
	const int mask = RANK_IMPLIED_MASK, ro = RANK_IMPLIED_READ_ONLY;
	const unsigned sys_layer = key_layer(s->protect_system.set, s->protect_system.layer);
	int r = 0;

	switch (s->protect_system.value) {
	case SF_PROTECT_SYSTEM_YES:
		r = add_list(pl, system_yes, SF_MOUNT_READ_ONLY, ro, "protect-system", s->protect_system.origin, false,
		    sys_layer);
		break;
	case SF_PROTECT_SYSTEM_FULL:
		r = add_list(pl, system_full, SF_MOUNT_READ_ONLY, ro, "protect-system", s->protect_system.origin,
		    s->system_root_default, sys_layer);
		break;
	case SF_PROTECT_SYSTEM_STRICT:
		r = add(pl, "/", false, SF_MOUNT_READ_ONLY, ro, "protect-system", s->protect_system.origin, false,
		    sys_layer);
		if (r == 0)
			r = add_list(pl, api_fs, SF_MOUNT_READ_WRITE, RANK_IMPLIED_WRITE, "protect-system",
			    s->protect_system.origin, false, sys_layer);
		break;
	}
	if (r == 0 && s->protect_home.value != SF_PROTECT_HOME_NO) {
		const enum sf_mount_kind k = s->protect_home.value == SF_PROTECT_HOME_YES ? SF_MOUNT_INACCESSIBLE
		    : s->protect_home.value == SF_PROTECT_HOME_TMPFS                      ? SF_MOUNT_EMPTY
											  : SF_MOUNT_READ_ONLY;

		r = add_list(pl, homes, k, k == SF_MOUNT_READ_ONLY ? ro : mask, "protect-home", s->protect_home.origin,
		    false, key_layer(s->protect_home.set, s->protect_home.layer));
	}
	if (r == 0 && s->private_tmp.value)
		r = add_list(pl, tmps, SF_MOUNT_TMP, mask, "private-tmp", s->private_tmp.origin, false,
		    key_layer(s->private_tmp.set, s->private_tmp.layer));
	if (r == 0 && s->private_devices.value)
		r = add(pl, "/dev", false, SF_MOUNT_DEVICES, mask, "private-devices", s->private_devices.origin,
		    s->devices_root_default, key_layer(s->private_devices.set, s->private_devices.layer));
	if (r == 0 && s->protect_kernel_tunables.value)
		r = add_list(pl, tunables, SF_MOUNT_READ_ONLY, ro, "protect-kernel-tunables",
		    s->protect_kernel_tunables.origin, s->tunables_root_default,
		    key_layer(s->protect_kernel_tunables.set, s->protect_kernel_tunables.layer));
	if (r == 0 && s->protect_control_groups.value)
		r = add(pl, "/sys/fs/cgroup", true, SF_MOUNT_READ_ONLY, ro, "protect-control-groups",
		    s->protect_control_groups.origin, false,
		    key_layer(s->protect_control_groups.set, s->protect_control_groups.layer));
	return r;
}

static int add_written(struct planner *pl, const struct sf_sandbox_settings *s)
{
	static const enum sf_mount_kind kinds[] = { SF_MOUNT_READ_ONLY, SF_MOUNT_READ_WRITE, SF_MOUNT_INACCESSIBLE };
	static const int ranks[] = { RANK_READ_ONLY, RANK_READ_WRITE, RANK_INACCESSIBLE };

	for (size_t i = 0; i < s->n_paths; i++) {
		const struct sf_sandbox_path *sp = &s->paths[i];
		_cleanup_free_ char *path = NULL;
		int r = expand_path(pl, sp, &path);

		if (r == 1)
			continue;
		if (r == 0)
			r = add(pl, path, sp->optional, kinds[sp->kind],
			    ranks[sp->kind] + RANK_LAYER * ((int)sp->layer + 1), sandbox_path_key(sp->kind), sp->origin,
			    false, sp->layer + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

static int by_path_then_rank(const void *a, const void *b)
{
	const struct sf_mount *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : x->rank - y->rank;
}

/* Whether path lies strictly below dir. */
static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return strcmp(path, "/") != 0;
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

bool sandbox_mount_replaces(const struct sf_mount *m)
{
	return (m->kind == SF_MOUNT_INACCESSIBLE && m->is_dir) || m->kind == SF_MOUNT_EMPTY ||
	    m->kind == SF_MOUNT_TMP || m->kind == SF_MOUNT_DEVICES;
}

/* Sort, keep the strongest entry of each path, and link each entry to
 * the tree it is shown in. Entries hidden by a mask (a mask in a mask,
 * anything below an inaccessible file) are dropped: nothing can reach
 * them. */
static void settle(struct sf_sandbox_plan *p)
{
	size_t n = 0;

	if (p->n)
		qsort(p->mounts, p->n, sizeof(*p->mounts), by_path_then_rank);
	for (size_t i = 0; i < p->n; i++) {
		/* Equal paths are adjacent, weakest first: the last one wins. */
		if (i + 1 < p->n && strcmp(p->mounts[i].path, p->mounts[i + 1].path) == 0) {
			free(p->mounts[i].path);
			continue;
		}
		p->mounts[n++] = p->mounts[i];
	}
	p->n = n;
	n = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct sf_mount *m = &p->mounts[i];
		long parent = -1;

		m->shown_in = -1;
		m->shows_below = false;
		/* The nearest entry above m: kept entries only. */
		for (size_t j = n; j-- > 0;)
			if (below(m->path, p->mounts[j].path)) {
				parent = (long)j;
				break;
			}
		m->nested = parent >= 0;
		if (parent >= 0 && sandbox_mount_replaces(&p->mounts[parent])) {
			if (sandbox_mount_replaces(m) || m->kind == SF_MOUNT_INACCESSIBLE ||
			    m->layer < p->mounts[parent].layer) {
				free(m->path);
				continue;
			}
			m->shown_in = (int)parent;
			p->mounts[parent].shows_below = true;
		}
		p->mounts[n++] = *m;
	}
	p->n = n;
}

int sandbox_plan(const struct sf_sandbox_settings *s, char *const *envp, sf_sandbox_lookup_fn lookup, void *ctx,
    struct sf_sandbox_plan *ret, struct sf_diag *d)
{
	return sandbox_plan_for(s, envp, false, NULL, NULL, lookup, ctx, ret, d);
}

const struct sf_mount *sandbox_plan_covering(const struct sf_sandbox_plan *p, const char *path)
{
	const struct sf_mount *best = NULL;

	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->mounts[i].path, path) == 0 || below(path, p->mounts[i].path))
			best = &p->mounts[i];
	return best;
}

/* Show path again (kind k, asked by key) when the entry covering it
 * replaces the host's tree and is one of the kinds in mask_kinds. Returns
 * 0 or a negative errno with a message. */
static int show_again(struct planner *pl, const char *path, enum sf_mount_kind k, const char *key, unsigned mask_kinds)
{
	const struct sf_mount *m = sandbox_plan_covering(pl->p, path);
	int r;

	if (!m || !sandbox_mount_replaces(m) || !(mask_kinds & (1u << m->kind)) || strcmp(m->path, path) == 0)
		return 0;
	r = add(pl, path, true, k, RANK_READ_WRITE, key, (struct sf_origin){ 0 }, false, m->layer);
	if (r == 0)
		settle(pl->p);
	return r;
}

int sandbox_plan_for(const struct sf_sandbox_settings *s, char *const *envp, bool skip_root_defaults,
    const char *program, const char *cwd, sf_sandbox_lookup_fn lookup, void *ctx, struct sf_sandbox_plan *ret,
    struct sf_diag *d)
{
	struct sf_sandbox_plan p = {
		.net_ns = s->private_network.value,
		.best_effort = s->namespaces.value == SF_NAMESPACES_BEST_EFFORT,
		.namespaces_origin = s->namespaces.origin,
	};
	struct planner pl = {
		.p = &p, .envp = envp, .lookup = lookup, .ctx = ctx, .skip_root_defaults = skip_root_defaults, .d = d
	};
	int r = add_implied(&pl, s);

	if (r == 0)
		r = add_written(&pl, s);
	if (r < 0) {
		sandbox_plan_clear(&p);
		return r;
	}
	settle(&p);
	if (cwd)
		r = show_again(&pl, cwd, SF_MOUNT_READ_WRITE, "working directory", 1u << SF_MOUNT_TMP);
	if (r == 0 && program)
		r = show_again(&pl, program, SF_MOUNT_READ_ONLY, "the program",
		    1u << SF_MOUNT_TMP | 1u << SF_MOUNT_EMPTY | 1u << SF_MOUNT_INACCESSIBLE | 1u << SF_MOUNT_DEVICES);
	if (r < 0) {
		sandbox_plan_clear(&p);
		return r;
	}
	p.mount_ns = p.n > 0;
	*ret = p;
	return 0;
}

int sandbox_lookup_host(const char *path, char **ret_real, bool *ret_is_dir, void *ctx)
{
	struct stat st;
	char *real;

	(void)ctx;
	real = realpath(path, NULL);
	if (!real)
		return errno == ENOENT || errno == ENOTDIR ? -ENOENT : -errno;
	if (stat(real, &st) < 0) {
		int r = -errno;

		free(real);
		return r == -ENOTDIR ? -ENOENT : r;
	}
	*ret_is_dir = S_ISDIR(st.st_mode);
	*ret_real = real;
	return 0;
}

void sandbox_plan_clear(struct sf_sandbox_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->mounts[i].path);
	free(p->mounts);
	p->mounts = NULL;
	p->n = 0;
}

char *sandbox_plan_describe(const struct sf_sandbox_plan *p, const char *prefix)
{
	_cleanup_membuf_ struct membuf mb = { 0 };

	if (membuf_open(&mb) < 0)
		return NULL;
	for (size_t i = 0; i < p->n; i++) {
		const struct sf_mount *m = &p->mounts[i];
		_cleanup_free_ char *lhs = NULL;

		if (asprintf(&lhs, "%s%s %s%s", prefix, sandbox_mount_kind_name(m->kind), m->path,
			m->shown_in >= 0 ? " (shown again)" : "") < 0)
			return NULL;
		fprintf(mb.f, "%-45s ; %s", lhs, m->key);
		if (m->origin.file)
			fprintf(mb.f, ", %s:%u", m->origin.file, m->origin.line);
		else if (m->root_default)
			fputs(", root default", mb.f);
		fputc('\n', mb.f);
	}
	return membuf_take(&mb, NULL);
}
