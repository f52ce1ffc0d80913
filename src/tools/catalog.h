/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --list: the profiles on the search path. */
#pragma once

#include "lookup.h"

#include <stdbool.h>

/* A third line for a profile in --list, or "" for none: malloc'd, NULL on
 * ENOMEM (the line is then left out). */
typedef char *(*catalog_status_fn)(const char *name, void *ctx);

/* Text for --list: for each NAME.ini on the search path (group library
 * excluded), in lookup order: name and description, then its path, then
 * status(name, ctx) when status is not NULL and the name is not hidden by
 * an earlier directory (such a name is marked "(shadowed)"). Returns a
 * malloc'd string or NULL on ENOMEM. */
char *catalog_list(const struct sf_lookup *l, bool check_owner, catalog_status_fn status, void *ctx);

/* The names of the profiles on the search path (group library excluded),
 * each once, in lookup order, sorted within a directory: what --precompile
 * compiles when no -p is given. Returns a NULL-terminated vector (free
 * with strv_free) or NULL on ENOMEM. */
char **catalog_names(const struct sf_lookup *l);
