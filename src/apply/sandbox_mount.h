/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Launch step 3: the private view of [sandbox], built in place. The
 * process enters a user namespace when it lacks CAP_SYS_ADMIN (mapping
 * only its own uid and gid), then a mount namespace whose mounts are
 * slaves of the host's (nothing propagates back), and a network
 * namespace with its loopback up; then it makes the mounts of the plan
 * (sandbox_plan.h) in order, with the mount API of Linux 5.12
 * (open_tree, fsmount, move_mount, mount_setattr): every tree the plan
 * binds is cloned from the host's view before the first mount changes
 * it. */
#pragma once

#include "diag.h"
#include "sandbox_plan.h"

#include <stdbool.h>
#include <sys/types.h>

struct sf_sandbox_ids {
	bool user_ns; /* enter a user namespace first */
	uid_t uid; /* the ids to map in it: the caller's own */
	gid_t gid;
	/* Inside another sandbox's view already (sandbox_inside_another()):
	 * under best-effort, namespaces it refuses are left out without a
	 * warning. */
	bool nested;
};

/* Whether this process runs inside another sandbox's view: under a
 * seccomp filter and in a user namespace other than the initial one (a
 * linked program started by a linked program). */
bool sandbox_inside_another(void);

/* Build the view. Where the namespaces cannot be created (user
 * namespaces off, a filter that refuses unshare) and p->best_effort is
 * set, warns once and returns 1 with nothing changed; a failure after the
 * namespaces exist is always an error. Returns 0, 1, or a negative errno
 * with a message in d. */
int sandbox_enter(const struct sf_sandbox_plan *p, const struct sf_sandbox_ids *ids, struct sf_diag *d);
