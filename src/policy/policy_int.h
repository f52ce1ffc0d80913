/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to the policy resolver (policy.c, policy_confine.c): helpers
 * and key tables its files share. Not part of any other module's interface. */
#pragma once

#include "policy.h"

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

/* The policy's copy of a file name (few files, many rules). */
const char *policy_intern_file(struct sf_policy *pol, const char *file);

/* size bytes from the policy's arena, freed with the policy; NULL on ENOMEM. */
void *policy_arena_alloc(struct sf_policy *pol, size_t size);

/* A syscall name's native number (libseccomp), a negative pseudo number for
 * one of another architecture, or __NR_SCMP_ERROR when unknown everywhere. */
int policy_syscall_nr(const char *name);

/* The rules of a syscall, added empty if new; name must live as long as the
 * policy (the arena). NULL on ENOMEM. */
struct sf_syscall_rules *policy_syscall_get(struct sf_policy *pol, char *name, int nr);

/* "yes"/"true" or "no"/"false"; anything else is an error at the entry. */
int policy_parse_bool(const struct sf_entry *e, bool *ret, struct sf_diag *d);
