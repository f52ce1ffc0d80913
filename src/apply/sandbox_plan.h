/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The private view of [sandbox], planned: which mounts go where, in what
 * order, from the resolved settings (launch step 1). Pure: the file system
 * is asked through a callback, so tests describe their own. The plan is
 * built by sandbox_mount.h in step 3.
 *
 * The plan is a list sorted by path, so a parent comes before everything
 * below it, which is the order the mounts are made in. A path named twice
 * keeps the most restrictive explicit key (inaccessible-paths, then
 * read-only-paths, then read-write-paths), and explicit keys beat the
 * paths the protect-* and private-* keys imply. A read-only or read-write
 * path below a path that is replaced by an empty tree (a tmpfs, or an
 * inaccessible directory) is shown there again, bound from the host. */
#pragma once

#include "diag.h"
#include "sandbox_settings.h"

#include <stdbool.h>
#include <stddef.h>

enum sf_mount_kind {
	SF_MOUNT_READ_ONLY, /* the host's tree, every mount in it read-only */
	SF_MOUNT_READ_WRITE, /* the host's tree as the host has it */
	SF_MOUNT_INACCESSIBLE, /* a directory: an empty tmpfs, mode 000 (0111
	                        * when something below is shown again); anything
	                        * else: a device node on a nodev mount, which no
	                        * one can open */
	SF_MOUNT_EMPTY, /* protect-home = tmpfs: an empty read-only tmpfs */
	SF_MOUNT_TMP, /* private-tmp: an empty tmpfs, mode 1777 */
	SF_MOUNT_DEVICES, /* private-devices: a read-only /dev with only the
	                   * pseudo devices bound from the host */
};

struct sf_mount {
	char *path; /* absolute, canonical (symbolic links resolved) */
	enum sf_mount_kind kind;
	bool is_dir; /* what the host has at path */
	/* Index of the entry that replaced the tree above this path (a tmpfs
	 * or inaccessible directory), where its mount point is made before
	 * it is bound from the host; -1 when the host path is in place. */
	int shown_in;
	bool shows_below; /* something below is shown again (masks only) */
	bool nested; /* below another entry: its source is cloned before
	              * the first mount changes the view */
	const char *key; /* the key that asked: "protect-home" */
	struct sf_origin origin; /* where it was written; file NULL: implied */
	bool root_default; /* implied by the root default of key */
	/* 1 + the layer of the line that asked (0: a root default). A path
	 * below a replaced tree is shown again only when asked in the same
	 * layer or a later one: a later file that hides a tree hides what
	 * earlier files said about paths in it. */
	unsigned layer;
	int rank; /* private: precedence among entries for one path */
};

struct sf_sandbox_plan {
	bool mount_ns; /* mounts to make */
	bool net_ns; /* private-network */
	bool best_effort; /* namespaces = best-effort */
	struct sf_origin namespaces_origin; /* where namespaces = was written */
	/* The root defaults were left out: the process is root but lacks
	 * CAP_SYS_ADMIN (started inside another sandbox), so it can neither
	 * mount nor map root in a user namespace of its own. */
	bool root_defaults_skipped; /* -v and --explain say SANDBOX_ROOT_SKIPPED */
	struct sf_mount *mounts;
	size_t n;
};

/* What the host has at path: 0 with *ret_real (malloc'd, canonical) and
 * *ret_is_dir; -ENOENT when nothing is there; another negative errno on
 * failure. */
typedef int (*sf_sandbox_lookup_fn)(const char *path, char **ret_real, bool *ret_is_dir, void *ctx);

/* Plan the view for settings s (after sandbox_resolve()). "~" is HOME
 * and ${VAR} a variable of envp; an optional path ("-PATH") that is
 * missing, or whose variable is unset, is left out; a required one is an
 * error at the line that named it. Returns 0 and *ret (clear with
 * sandbox_plan_clear), or a negative errno with a message in d. */
int sandbox_plan(const struct sf_sandbox_settings *s, char *const *envp, sf_sandbox_lookup_fn lookup, void *ctx,
    struct sf_sandbox_plan *ret, struct sf_diag *d);

/* As sandbox_plan(), leaving out the paths of the root defaults when
 * skip_root_defaults is set (root_defaults_skipped says if any were),
 * for program (canonical; NULL: none) started in cwd (canonical; NULL:
 * none known). What the user named is shown again where the view would
 * hide it: a cwd that private-tmp replaces, read-write; the program's
 * file below any replaced tree, read-only. */
int sandbox_plan_for(const struct sf_sandbox_settings *s, char *const *envp, bool skip_root_defaults,
    const char *program, const char *cwd, sf_sandbox_lookup_fn lookup, void *ctx, struct sf_sandbox_plan *ret,
    struct sf_diag *d);

/* The lookup a launch uses: realpath(3) and stat(2). */
int sandbox_lookup_host(const char *path, char **ret_real, bool *ret_is_dir, void *ctx);

void sandbox_plan_clear(struct sf_sandbox_plan *p);

/* Whether m replaces the host's tree with one of its own (a tmpfs, an
 * inaccessible directory, a private /dev): what lies below is hidden
 * unless shown again. */
bool sandbox_mount_replaces(const struct sf_mount *m);

/* The entry that decides what is at path (the nearest at or above it),
 * or NULL. */
const struct sf_mount *sandbox_plan_covering(const struct sf_sandbox_plan *p, const char *path);

/* What -v and --explain say when root_defaults_skipped. */
#define SANDBOX_ROOT_SKIPPED \
	"root defaults protect-system, protect-kernel-tunables and private-devices left out: root without CAP_SYS_ADMIN cannot mount"

/* What an entry does, in the words -v and --explain print ("read-only"). */
const char *sandbox_mount_kind_name(enum sf_mount_kind k);

/* One line per mount, for -v and --explain ("read-only /usr ; protect-system
 * = full (root default)"), each prefixed with prefix. Returns a malloc'd
 * string, "" when there is nothing, or NULL. */
char *sandbox_plan_describe(const struct sf_sandbox_plan *p, const char *prefix);
