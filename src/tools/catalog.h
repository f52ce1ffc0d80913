/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --list: the profiles on the search path. */
#pragma once

#include "lookup.h"

#include <stdbool.h>

/* Text for --list: one line per NAME.ini on the search path (group library
 * excluded), in lookup order: name, description, path; a name hidden by an
 * earlier directory is marked "(shadowed)". Returns a malloc'd string or
 * NULL on ENOMEM. */
char *catalog_list(const struct sf_lookup *l, bool check_owner);

/* The names of the profiles on the search path (group library excluded),
 * each once, in lookup order, sorted within a directory: what --precompile
 * compiles when no -p is given. Returns a NULL-terminated vector (free
 * with strv_free) or NULL on ENOMEM. */
char **catalog_names(const struct sf_lookup *l);
