/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [sandbox] as written: restrict-suid-sgid, isolate-signals and
 * isolate-abstract-sockets, each yes or no with where it was said, and the
 * defaults that apply when a profile says nothing. Pure parsing; the
 * set-id refusals become seccomp rules (policy_sandbox.c), the two
 * isolations Landlock scopes (landlock.h). */
#pragma once

#include "diag.h"

#include <stdbool.h>

/* One yes/no key. */
struct sf_sandbox_flag {
	bool set; /* written in a profile or given on the command line */
	bool value; /* as written; the default when !set */
	struct sf_origin origin; /* where it was written (set only) */
};

struct sf_sandbox_settings {
	struct sf_sandbox_flag restrict_suid_sgid;
	struct sf_sandbox_flag isolate_signals;
	struct sf_sandbox_flag isolate_abstract_sockets;
	/* restrict-suid-sgid in effect: as written, else yes for a program
	 * that runs as root (sandbox_resolve()). */
	bool suid_refused;
	bool suid_root_default; /* suid_refused comes from the root default */
};

/* One "KEY = yes|no" line of [sandbox], KEY one of the three above.
 * Returns 0 or -EINVAL with a message at o. */
int sandbox_set(
    struct sf_sandbox_settings *s, const char *key, const char *value, struct sf_origin o, struct sf_diag *d);

/* Settle the defaults: restrict-suid-sgid, when not written, is yes for
 * a program that will run as uid 0 (launched as root without a user =
 * switch). The isolations default to yes; whether the kernel can enforce
 * them is decided at launch (landlock.h). */
void sandbox_resolve(struct sf_sandbox_settings *s, bool as_root, bool switches_user);
