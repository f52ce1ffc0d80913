/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [limits]: resource limits by name (launch step 2, launch.h). limits_parse() is
 * pure; limits_check() reads the process's current limits (step 1) and
 * limits_apply() sets them (step 2). The file is rlimits.h, not limits.h:
 * src/ is on the include path, where it would shadow <limits.h>. */
#pragma once

#include "diag.h"
#include "rules.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>

#define SF_MAX_LIMITS 16

struct sf_limit {
	int resource;		/* RLIMIT_* */
	struct rlimit rl;
	struct sf_origin origin;
};

/* What the profile asks for: one entry per resource, the last line wins. */
struct sf_limits_settings {
	struct sf_limit items[SF_MAX_LIMITS];
	size_t n;
};

/* RLIMIT_* for a profile key ("nofile"), or -EINVAL. */
int limits_resource(const char *name);

/* The profile key of a RLIMIT_* ("nofile"), or NULL. */
const char *limits_name(int resource);

/* Parse a value: "SOFT:HARD" or one value for both; each is a decimal
 * number, with a K, M or G suffix (1024-based) for byte sizes, or
 * "unlimited". Errors (junk, overflow, soft above hard) are reported at
 * file:line. Returns 0 and *ret, or -EINVAL/-ERANGE with a message in d. */
int limits_parse(int resource, const char *value, const char *file, unsigned line, struct rlimit *ret,
    struct sf_diag *d);

/* Record key = value in s (replacing an earlier line for the same key).
 * Returns 0 or a negative errno with a message in d. */
int limits_set(struct sf_limits_settings *s, const char *key, const char *value, struct sf_origin origin,
    struct sf_diag *d);

/* Step 1: check that every limit can be set: raising a hard limit needs
 * CAP_SYS_RESOURCE, and nofile cannot exceed fs.nr_open. will_run false
 * (--check, --explain) skips the checks that depend on privileges.
 * Returns 0 or a negative errno with a message in d. */
int limits_check(const struct sf_limits_settings *s, bool will_run, struct sf_diag *d);

/* Step 2: setrlimit() each. Returns 0 or a negative errno with a message. */
int limits_apply(const struct sf_limits_settings *s, struct sf_diag *d);

/* "SOFT:HARD" as a profile would write it ("1024:4096", "unlimited",
 * "8M:unlimited"). Returns a malloc'd string or NULL. */
char *limits_format(int resource, const struct rlimit *rl);
