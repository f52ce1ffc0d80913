/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [filesystem] and the TCP port rules of [network], enforced with
 * Landlock (launch step 4, launch.h) through the raw system calls.
 * landlock_decide() is pure (the ABI is an argument, so tests can ask
 * "what on a kernel with ABI 2?"); landlock_plan() opens the paths in
 * step 1; landlock_apply() builds and enforces the ruleset in step 4. */
#pragma once

#include "diag.h"
#include "fs_settings.h"
#include "netfamily.h"
#include "sandbox_settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET and LANDLOCK_SCOPE_SIGNAL (ABI 6),
 * which older headers lack. */
#define SF_SCOPE_ABSTRACT_UNIX_SOCKET (UINT64_C(1) << 0)
#define SF_SCOPE_SIGNAL (UINT64_C(1) << 1)

/* The Landlock scopes (ABI 6) of [sandbox] isolate-signals and
 * isolate-abstract-sockets. A value written in a profile that the kernel
 * cannot enforce is an error under [filesystem] landlock = required (the
 * default) and a warning under best-effort; a default the kernel cannot
 * enforce, or that could not be applied because the program runs without
 * no_new_privs and without CAP_SYS_ADMIN (may_restrict false), is left out
 * and *ret_skipped set. Returns 0 and the scope bits in *ret_scoped, or a
 * negative errno with a message in d. */
int landlock_decide_scopes(const struct sf_sandbox_settings *sb, const struct sf_fs_settings *fs, int abi,
    bool may_restrict, uint64_t *ret_scoped, bool *ret_skipped, struct sf_diag *d);

struct sf_landlock_rule {
	int fd;			/* O_PATH, close-on-exec */
	char *path; /* expanded, for reopen */
	uint64_t access;
};

struct sf_landlock_port {
	uint16_t lo, hi;
	uint64_t access;
};

struct sf_landlock_plan {
	int abi;
	uint64_t handled_fs; /* with handled_net and scoped all 0: no Landlock step */
	uint64_t handled_net;
	uint64_t scoped; /* SF_SCOPE_* bits */
	bool scopes_skipped; /* a default scope the kernel lacks was left out */
	/* Open each path again in step 4: step 3 built a private view (a
	 * private /tmp is another directory than the host's /tmp). A path
	 * that no longer opens keeps the descriptor of step 1. */
	bool reopen;
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

/* Step 4: create the ruleset (with the scopes), add the rules, restrict
 * the calling thread.
 * Needs no_new_privs or CAP_SYS_ADMIN. Returns 0 or a negative errno. */
int landlock_apply(const struct sf_landlock_plan *p, struct sf_diag *d);

void landlock_plan_clear(struct sf_landlock_plan *p);
