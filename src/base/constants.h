/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Symbolic constants for conditions, generated at build time from the system
 * headers (see src/base/gen-constants.sh); never typed by hand. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Look up a constant by exact name. Returns true and *ret on a hit. */
bool constant_lookup(const char *name, uint64_t *ret);

/* All known names, NULL-terminated, sorted (for hints and completion). */
const char *const *constant_names(void);
