/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [filesystem] and the TCP port rules of [network], enforced with
 * Landlock (launch step 4, launch.h) through the raw system calls.
 * landlock_decide() is pure (the ABI is an argument, so tests can ask
 * "what on a kernel with ABI 2?"); landlock_plan() opens the paths in
 * step 1; landlock_apply() builds and enforces the ruleset in step 4. */
#pragma once

#include "diag.h"
#include "netfamily.h"
#include "rules.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sf_fs_access {
	SF_FS_READ_ONLY,
	SF_FS_READ_WRITE,
	SF_FS_EXECUTE,
};

enum sf_landlock_mode {
	SF_LANDLOCK_REQUIRED,		/* default: fail closed */
	SF_LANDLOCK_BEST_EFFORT,	/* warn, enforce what the kernel can */
};

struct sf_fs_path {
	char *path;		/* as written: ${VAR} not expanded, no leading "-" */
	bool optional;		/* written "-PATH": skipped when it does not exist */
	enum sf_fs_access access;
	struct sf_origin origin;
};

struct sf_fs_settings {
	struct sf_fs_path *paths;	/* in the order written */
	size_t n;
	enum sf_landlock_mode mode;
	bool mode_set;
	struct sf_origin mode_origin;
};

/* read-only / read-write / execute = PATHS (separated by white space).
 * Appends. Returns 0 or -EINVAL/-ENOMEM with a message. */
int landlock_add_paths(struct sf_fs_settings *s, enum sf_fs_access a, const char *value, struct sf_origin o,
    struct sf_diag *d);

/* landlock = required | best-effort. Returns 0 or -EINVAL with a message. */
int landlock_set_mode(struct sf_fs_settings *s, const char *value, struct sf_origin o, struct sf_diag *d);

void fs_settings_clear(struct sf_fs_settings *s);

/* The key of an access kind ("read-only"). */
const char *landlock_access_key(enum sf_fs_access a);

/* The Landlock ABI version of the running kernel, 0 when it has none (too
 * old, or Landlock is not enabled). */
int landlock_abi(void);

/* Which access rights to handle on a kernel with ABI abi, given what the
 * profile asks for. With landlock = required, an ABI that cannot enforce
 * the meaning in sysfence.profile(5) is an error: [filesystem] needs ABI 3 (truncation),
 * connect-tcp/bind-tcp need ABI 4; best-effort adds a warning instead and
 * handles what the ABI offers. Rights the ABI offers beyond that (refer,
 * device ioctls) are always used. Both results 0: nothing to enforce.
 * Returns 0 or a negative errno with a message in d. */
int landlock_decide(const struct sf_fs_settings *fs, const struct sf_network_settings *net, int abi,
    uint64_t *ret_fs, uint64_t *ret_net, struct sf_diag *d);

struct sf_landlock_rule {
	int fd;			/* O_PATH, close-on-exec */
	uint64_t access;
};

struct sf_landlock_port {
	uint16_t lo, hi;
	uint64_t access;
};

struct sf_landlock_plan {
	int abi;
	uint64_t handled_fs;	/* both 0: no Landlock step */
	uint64_t handled_net;
	struct sf_landlock_rule *rules;
	size_t n_rules;
	struct sf_landlock_port *ports;
	size_t n_ports;
};

/* Step 1: decide the rights for abi, expand ${VAR} from envp, open every
 * path with O_PATH (a later rename cannot redirect a rule), and check
 * that program (NULL: none) lies under an execute path. Returns 0 and
 * *ret (clear with landlock_plan_clear), or a negative errno with a
 * message in d. */
int landlock_plan(const struct sf_fs_settings *fs, const struct sf_network_settings *net, int abi,
    char *const *envp, const char *program, struct sf_landlock_plan *ret, struct sf_diag *d);

/* Step 4: create the ruleset, add the rules, restrict the calling thread.
 * Needs no_new_privs or CAP_SYS_ADMIN. Returns 0 or a negative errno. */
int landlock_apply(const struct sf_landlock_plan *p, struct sf_diag *d);

void landlock_plan_clear(struct sf_landlock_plan *p);
