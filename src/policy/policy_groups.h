/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [groups] and the names of a rule line: "@name = members" collected,
 * groups checked once and expanded each time a rule names them, syscall
 * names resolved. Internal to the policy resolver (policy.c calls it). */
#pragma once

#include "diag.h"
#include "policy_model.h"
#include "profile.h"
#include "rules.h"

/* [groups]: "@name = members" appends members, "@name.description = text".
 * Returns 0 or a negative errno with a message in d. */
int policy_group_entry(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d);

/* Check a group's members once, recursively; a broken group is reported
 * once however often it is used. Returns 0, -EINVAL or -ELOOP (message in
 * d), or -ENOMEM. */
int policy_group_check(struct sf_policy *pol, struct sf_group *g, struct sf_diag *d);

/* One word of a rule line: a syscall (unconditional rule with action a from
 * origin o; a later one replaces it) or an @group, every member of it.
 * Problems are reported at at (the line, or the option). Returns 0 or a
 * negative errno. name lives in the policy's pool. */
int policy_add_named(
    struct sf_policy *pol, char *name, struct sf_action a, struct sf_origin o, struct sf_origin at, struct sf_diag *d);

/* "unknown syscall" at at, with a hint when a known name is close. Returns
 * -EINVAL. */
int policy_unknown_syscall(struct sf_origin at, const char *name, struct sf_diag *d);
