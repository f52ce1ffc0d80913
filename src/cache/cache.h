/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Precompiled policies (docs/performance.md, "Precompiled policies").
 *
 * `sysfence --precompile` (root only) stores, for a profile NAME and the
 * seccomp options of the command line, what step 1 computed: the compiled
 * seccomp program, the profile's other entries (applied at launch as
 * usual), and the record of every lookup and every byte read (inputs.h).
 * A run reuses it only when the key (sysfence's build, libseccomp's
 * version, the architecture, NAME, the options) is the same and replaying
 * the record finds the same files with the same bytes; anything else is
 * compiled as if there were no cache. Entries are trusted as much as the
 * profiles they came from, so they must be owned by root and not writable
 * by group or others, in a directory that is the same. */
#pragma once

#include "diag.h"
#include "filter.h"
#include "inputs.h"
#include "overrides.h"
#include "profile.h"

#include <stdbool.h>
#include <stddef.h>

/* Upper bound of an entry's size (the files it records are at most
 * PROFILE_MAX_SIZE each). */
#define CACHE_MAX_SIZE (64 * 1024 * 1024)

struct sf_cache_entry {
	char *key;
	struct sf_inputs inputs;
	bool has_filter;
	struct sf_filter *filter;	/* NULL when !has_filter */
	/* The filter for a run as root, when it differs (the root defaults of
	 * [sandbox] add rules); NULL: filter serves root too. */
	struct sf_filter *filter_root;
	size_t n_syscalls;		/* syscall names the policy had, for -v */
	/* The profile's entries other than [groups] and [seccomp], with the
	 * main profile's name and path and every file read. */
	struct sf_profile *profile;
	/* cache_load(): the entry file, open, holding the recorded files'
	 * bytes (inputs_replay_from); -1 otherwise. */
	int fd;
};

/* ---- pure ---- */

/* The key text: what, besides the recorded inputs, decides step 1's
 * result. build is cache_build() (or a test's stand-in); profile is the
 * NAME or PATH given to profile_load(); ov gives the seccomp overrides,
 * rules and default action (NULL: none). Returns a malloc'd string or NULL. */
char *cache_key(const char *build, const char *profile, const struct sf_overrides *ov);

/* The entry's file name in a directory: 16 hex digits of a hash of the
 * key, ".policy". Collisions are harmless (the whole key is compared).
 * Returns a malloc'd path or NULL. */
char *cache_file(const char *dir, const char *key);

/* Serialize. The profile's [groups] and [seccomp] entries are left out:
 * the filter replaces them. f is the filter of a run by any user but
 * root, f_root that of a run as root (NULL: the same as f). Returns 0 and
 * a malloc'd buffer, or -ENOMEM. */
int cache_encode(const char *key, const struct sf_inputs *in, const struct sf_profile *p, const struct sf_filter *f,
    const struct sf_filter *f_root, size_t n_syscalls, char **ret, size_t *ret_len);

/* Parse what cache_encode() wrote. Anything else (truncated, extended,
 * wrong version, out-of-range counts, NUL inside strings) is -EBADMSG.
 * The recorded files' bytes are not copied: buf must outlive the entry.
 * Returns 0 and *ret (free with
 * cache_entry_free), or a negative errno. */
int cache_decode(const char *buf, size_t len, struct sf_cache_entry **ret);

void cache_entry_free(struct sf_cache_entry *e);

/* ---- thin layer ---- */

/* What the key says about this binary: sysfence's version and the GNU
 * build ID of the running executable (any rebuild changes it),
 * libseccomp's version, and the native architecture. NULL when the
 * executable has no build ID: then nothing is cached. Computed once. */
const char *cache_build(void);

/* $SYSFENCE_CACHE_DIR if set (empty: no cache), else the compiled-in
 * directory. NULL: no cache. */
const char *cache_dir(void);

/* Read and decode an entry's head. It must be a regular file owned by
 * root, not writable by group or others, in a directory that is the same
 * (checked for every caller, root or not). The recorded files' bytes are
 * left in the file, which stays open as (*ret)->fd; its size must be
 * exactly what the head says. Returns 0 and *ret, or a negative errno and
 * a short reason in *ret_why (static text). */
int cache_load(const char *path, struct sf_cache_entry **ret, const char **ret_why);

/* Write an entry atomically (a temporary file renamed over path), mode
 * 0644. Creates dir (0755) if missing; refuses a dir not owned by root or
 * writable by group or others. Returns 0 or a negative errno with a
 * message in d. */
int cache_store(const char *dir, const char *path, const char *buf, size_t len, struct sf_diag *d);
