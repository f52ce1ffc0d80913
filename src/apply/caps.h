/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capabilities and identity (launch step 5, launch.h). caps_plan() is pure apart
 * from reading the process's current capabilities; caps_apply() makes the
 * calls. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct sf_caps_plan {
	bool change;		/* drop every capability not in keep */
	uint64_t keep;
	bool set_bounding;	/* we hold CAP_SETPCAP, so the bounding set can shrink */
	bool raise_ambient;	/* kept caps must survive exec as non-root */
	bool switch_uid;
	uid_t uid;
	bool switch_gid;
	gid_t gid;
	gid_t *groups;		/* supplementary groups to set with the switch */
	size_t n_groups;
};

/* Apply the plan: bounding set first (needs CAP_SETPCAP, which a user
 * switch would lose), then groups/gid/uid with PR_SET_KEEPCAPS, then the
 * effective/permitted/inheritable sets and the ambient set.
 * Returns 0 or a negative errno with a message in d. */
int caps_apply(const struct sf_caps_plan *plan, struct sf_diag *d);

/* Step 1 for a program with file capabilities (setcap) and the effective
 * bit: if the plan's bounding set drops one the file must get, execve(2)
 * would fail with EPERM, so this fails now, naming the capabilities and
 * how to keep them. When no_new_privs (nnp) keeps the program from
 * gaining ones the launcher will not hold, a warning says it runs without
 * them. Files without capabilities, or on a nosuid mount, pass. Returns 0
 * or a negative errno with a message in d. */
int caps_check_file(const struct sf_caps_plan *plan, const char *path, bool nnp, struct sf_diag *d);

/* Whether the calling process has cap in its effective set. */
bool caps_have_effective(int cap);

/* The permitted set now (0 when it cannot be read). */
uint64_t caps_permitted(void);

void caps_plan_clear(struct sf_caps_plan *plan);
