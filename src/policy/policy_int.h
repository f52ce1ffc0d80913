/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to the policy resolver: the section key tables and the derived
 * rules that policy.c calls (policy_confine.c, policy_multiplex.c). Not part
 * of any other module's interface; the storage they share is
 * policy_store.h. */
#pragma once

#include "diag.h"
#include "overrides.h"
#include "policy_model.h"
#include "profile.h"

#include <stdbool.h>
#include <stddef.h>

/* One key of a section and the function that applies its entry. Tables end
 * with { NULL, NULL }. */
struct key_handler {
	const char *key;
	int (*fn)(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d);
};

/* The [process], [limits], [filesystem] and [network] keys (policy_confine.c). */
extern const struct key_handler policy_process_keys[];
extern const struct key_handler policy_limits_keys[];
extern const struct key_handler policy_filesystem_keys[];
extern const struct key_handler policy_network_keys[];
extern const struct key_handler policy_sandbox_keys[];

/* The origin text of rules that the root default of restrict-suid-sgid
 * adds (line 0: --explain prints it as it is). */
#define SF_SANDBOX_ROOT_DEFAULT "default: the program runs as root"

/* Apply one profile entry through its section's key table (policy.c):
 * the way every file line and every --set line takes. Returns 0 or a
 * negative errno with a message in d. */
int policy_entry_apply(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d);

/* The --set lines of [groups], with the files' groups, before any rule
 * uses one (policy_sets.c). Returns 0 or a negative errno with messages
 * in d. */
int policy_set_groups(struct sf_policy *pol, const struct sf_overrides *ov, struct sf_diag *d);

/* Every other --set line, in the order given, as the current layer: an
 * unknown section or key, or a bad value, is reported as a file's line
 * would be, under the option's name ("sysfence: --set: ..."). With
 * filter_precompiled, [seccomp] lines are left to the precompiled program.
 * Sets *have_default when one gives the default action. Returns 0 or a
 * negative errno with messages in d. */
int policy_apply_sets(struct sf_policy *pol, const struct sf_overrides *ov, bool filter_precompiled, bool *have_default,
    struct sf_diag *d);

/* [network] families as conditional rules on socket and socketpair; runs
 * after the command line. Returns 0 or -ENOMEM. */
int policy_network_family_rules(struct sf_policy *pol);

/* Rules on i386's socketcall and ipc multiplexers that give each sub-call
 * at least the most restrictive action of its direct syscall
 * (policy_multiplex.c); runs last, after every other rule. Returns 0 or
 * -ENOMEM. */
int policy_multiplexer_rules(struct sf_policy *pol);

/* The holes around Landlock's TCP rules closed in the filter, as
 * conditional refusals after the command line: MPTCP sockets once
 * connect-tcp or bind-tcp is written, listen(2) under "bind-tcp = none".
 * Returns 0 or -ENOMEM. */
int policy_network_tcp_rules(struct sf_policy *pol);

/* restrict-suid-sgid in effect (sandbox_resolve() ran): the refusals of
 * set-id modes as conditional rules after the command line. Returns 0 or
 * -ENOMEM. */
int policy_sandbox_rules(struct sf_policy *pol);
