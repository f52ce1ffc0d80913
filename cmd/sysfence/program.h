/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which program runs, and under which profile (sysfence(1) "Profile lookup"
 * and "LINKS"). */
#pragma once

#include "diag.h"
#include "lookup.h"
#include "options.h"

/* The profile to read: -p, else PROGRAM's basename, else "default" (which
 * must exist). Returns 0 and a malloc'd *ret, or a negative errno with a
 * message in d. */
int program_profile(const struct sf_options *o, const struct sf_lookup *l, char **ret, struct sf_diag *d);

/* PROGRAM on PATH (launch_resolve_program()); through a link, the real
 * program of the link's name, never a link to sysfence
 * (links_find_real()). Returns 0 and a malloc'd *path, or a negative errno
 * with a message in d: -ENOENT (127), -EACCES (126), -ELOOP (125). */
int program_resolve(const struct sf_options *o, char **path, struct sf_diag *d);
