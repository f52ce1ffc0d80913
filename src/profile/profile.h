/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Profile files: read INI text into a flat, ordered list of entries.
 * Resolves includes and .local files, enforces the safety rules of sysfence.profile(5)
 * (size, line length, include depth/cycles, ownership when root). Does not
 * interpret keys beyond [profile] include/description: that is policy.c. */
#pragma once

#include "diag.h"
#include "lookup.h"
#include "strpool.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PROFILE_MAX_SIZE (1024 * 1024)	/* bytes per file */
#define PROFILE_MAX_DEPTH 16		/* nested includes */
#define PROFILE_MAX_ENTRIES 100000	/* all files together */

struct sf_inputs; /* inputs.h */

/* One "key = value" line (or one continuation line of it). */
struct sf_entry {
	const char *section;	/* interned: "seccomp", "groups", ... */
	const char *key;	/* as written, trimmed */
	const char *value;	/* as written, trimmed, inline comment removed */
	const char *file;	/* path as opened; owned by the profile */
	unsigned line;		/* 1-based */
};

/* Where e was written, for diag_at(). */
static inline struct sf_origin profile_entry_at(const struct sf_entry *e)
{
	return (struct sf_origin){ e->file, e->line };
}

struct sf_profile {
	char *name;		/* "curl" for curl.ini or /x/curl.ini */
	char *path;		/* the main profile's path */
	char *description;	/* from the main file's [profile] description, or NULL */
	struct sf_entry *entries;	/* application order, see profile_load() */
	size_t n_entries;
	char **files;		/* every file read, in reading order */
	size_t n_files;
	/* private */
	struct strpool pool; /* every key, value and file name */
	size_t cap_entries, cap_files;
};

struct sf_profile_opts {
	/* Enforce the root rule (sysfence(1), SECURITY): files and their directories must be
	 * owned by root and not writable by group or others. main sets this
	 * when the effective uid is 0. */
	bool check_owner;
	/* Load the group library "groups.ini" from the search path first (its
	 * entries come before everything else). Missing is not an error. */
	bool load_group_library;
	/* Apply NAME.local files found on the search path. */
	bool apply_local;
	/* On errors, still hand back in *ret what could be read (with the
	 * error returned), so that --check can go on to report the problems
	 * later stages find in the rest. Never used to run anything. */
	bool keep_partial;
	/* When set, every lookup and every file read is noted here, for a
	 * precompiled policy (src/profile/inputs.h). */
	struct sf_inputs *record;
};

/* Read a profile given as a NAME (looked up as NAME.ini) or a path (contains
 * a '/'). Order of the returned entries: the group library, then for each
 * file recursively: its includes (in the order listed, each followed by its
 * own .local files), its own lines, then its .local files (least specific
 * directory first). "include" values are NAME or a path relative to the
 * including file's directory.
 * Problems are added to d with FILE:LINE; reading goes on past errors
 * that do not prevent it, so that --check reports every problem.
 * Returns 0 and *ret (caller frees with profile_free), or a negative errno
 * with at least one error in d (then *ret is untouched, unless
 * o->keep_partial is set and the main file was found). */
int profile_load(const struct sf_lookup *l, const char *name_or_path, const struct sf_profile_opts *o,
    struct sf_profile **ret, struct sf_diag *d);

/* Parse INI text already in memory (used by profile_load and by tests and
 * fuzzers). Entries are appended to p in file order; "include" lines are kept
 * as entries (section "profile", key "include") and not followed.
 * Returns 0 or negative errno with errors in d. */
int profile_parse_text(struct sf_profile *p, const char *file, const char *text, size_t len,
    struct sf_diag *d);

/* Append one entry as if a file had said it: section must be one of
 * profile_sections, file is interned (and listed in p->files). Strings are
 * copied. Used to rebuild a precompiled policy's entries (src/cache/cache.c).
 * Returns 0, -EINVAL for an unknown section, or -ENOMEM. */
int profile_add_entry(struct sf_profile *p, const char *section, const char *key, const char *value,
    const char *file, unsigned line);

/* Record file in p->files (once), as reading it would. Returns 0 or -ENOMEM. */
int profile_add_file(struct sf_profile *p, const char *file);

struct sf_profile *profile_new(void);
void profile_free(struct sf_profile *p);

/* For _cleanup_(profile_freep) struct sf_profile *p = NULL; */
static inline void profile_freep(struct sf_profile **p)
{
	profile_free(*p);
}

/* Sections and keys that exist in the format, for validation and hints.
 * NULL-terminated. */
extern const char *const profile_sections[];
