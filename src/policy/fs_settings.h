/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [filesystem] as written: the paths of read-only, read-write and execute
 * and the landlock mode. Pure parsing; landlock.h enforces them. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

enum sf_fs_access {
	SF_FS_READ_ONLY,
	SF_FS_READ_WRITE,
	SF_FS_EXECUTE,
};

enum sf_landlock_mode {
	SF_LANDLOCK_REQUIRED, /* default: fail closed */
	SF_LANDLOCK_BEST_EFFORT, /* warn, enforce what the kernel can */
};

struct sf_fs_path {
	char *path; /* as written: ${VAR} not expanded, no leading "-" */
	bool optional; /* written "-PATH": skipped when it does not exist */
	enum sf_fs_access access;
	struct sf_origin origin;
};

struct sf_fs_settings {
	struct sf_fs_path *paths; /* in the order written */
	size_t n;
	size_t cap; /* private: room in paths */
	enum sf_landlock_mode mode;
	bool mode_set;
	struct sf_origin mode_origin;
};

/* read-only / read-write / execute = PATHS (separated by white space).
 * Appends. Returns 0 or -EINVAL/-ENOMEM with a message. */
int landlock_add_paths(
    struct sf_fs_settings *s, enum sf_fs_access a, const char *value, struct sf_origin o, struct sf_diag *d);

/* landlock = required | best-effort. Returns 0 or -EINVAL with a message. */
int landlock_set_mode(struct sf_fs_settings *s, const char *value, struct sf_origin o, struct sf_diag *d);

void fs_settings_clear(struct sf_fs_settings *s);

/* The key of an access kind ("read-only"). */
const char *landlock_access_key(enum sf_fs_access a);
