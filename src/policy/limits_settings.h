/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [limits] as written: resource limits by name, their values parsed.
 * Pure; rlimits.h checks and sets them. Not limits.h: src/ is on the
 * include path, where it would shadow <limits.h>. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>

#define SF_MAX_LIMITS 16

struct sf_limit {
	int resource; /* RLIMIT_* */
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
 * at. Returns 0 and *ret, or -EINVAL/-ERANGE with a message in d. */
int limits_parse(int resource, const char *value, struct sf_origin at, struct rlimit *ret, struct sf_diag *d);

/* Record key = value in s (replacing an earlier line for the same key).
 * Returns 0 or a negative errno with a message in d. */
int limits_set(
    struct sf_limits_settings *s, const char *key, const char *value, struct sf_origin origin, struct sf_diag *d);

/* "SOFT:HARD" as a profile would write it ("1024:4096", "unlimited",
 * "8M:unlimited"). Returns a malloc'd string or NULL. */
char *limits_format(int resource, const struct rlimit *rl);
