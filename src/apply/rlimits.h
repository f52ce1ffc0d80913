/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [limits] enforced (launch step 2, launch.h): limits_check() reads the
 * process's current limits (step 1) and limits_apply() sets them (step 2).
 * The settings and their parser are in limits_settings.h. */
#pragma once

#include "diag.h"
#include "limits_settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>

/* Step 1: check that every limit can be set: raising a hard limit needs
 * CAP_SYS_RESOURCE, and nofile cannot exceed fs.nr_open. will_run false
 * (--check, --explain) skips the checks that depend on privileges.
 * Returns 0 or a negative errno with a message in d. */
int limits_check(const struct sf_limits_settings *s, bool will_run, struct sf_diag *d);

/* Step 2: setrlimit() each. Returns 0 or a negative errno with a message. */
int limits_apply(const struct sf_limits_settings *s, struct sf_diag *d);
