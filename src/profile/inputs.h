/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What reading a profile depended on: every search-path lookup with its
 * answer and every file with its exact bytes, in the order profile_load()
 * asked. A precompiled policy (src/cache/cache.h) keeps this record; it may be
 * reused only when replaying the record now gives the same answers and the
 * same bytes, because the profile reader is a pure function of them. */
#pragma once

#include "lookup.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum sf_input_kind {
	SF_INPUT_LOOKUP,	/* lookup_find(): 0 paths (not found) or 1 */
	SF_INPUT_LOOKUP_ALL,	/* lookup_find_all(): every hit, in its order */
	SF_INPUT_FILE,		/* a profile file, opened by this path */
};

struct sf_input {
	enum sf_input_kind kind;
	char *name;		/* LOOKUP*: the file name looked for; FILE: the path */
	char **paths;		/* LOOKUP*: the answer */
	size_t n_paths;
	char *data;		/* FILE: the bytes read, or NULL: they are in the
				 * replay's source file, at offset at */
	size_t len;
	off_t at;
	/* data points into memory the record does not own (a decoded
	 * entry's buffer, which outlives it), and is not copied or freed. */
	bool borrowed;
};

struct sf_inputs {
	struct sf_input *v;
	size_t n;
	size_t cap; /* private: room in v */
	bool failed;		/* a note ran out of memory: the record is incomplete */
};

/* Recording, called by profile.c. A failure sets in->failed (a record
 * with a gap must never be stored) and is otherwise ignored. */
void inputs_note_lookup(struct sf_inputs *in, const char *name, const char *path);
void inputs_note_lookup_all(struct sf_inputs *in, const char *name, char *const *paths);
void inputs_note_file(struct sf_inputs *in, const char *path, const char *data, size_t len);

/* Append a copy of one input (used when decoding a stored record); the
 * bytes of a borrowed one are not copied. Returns 0 or -ENOMEM. */
int inputs_add(struct sf_inputs *in, const struct sf_input *x);

void inputs_clear(struct sf_inputs *in);

/* Replay the record against the file system as it is now, through l (the
 * current search path), reading files with the same checks as
 * profile_load() (check_owner: the root rule (sysfence(1), SECURITY)).
 * Files recorded without data in memory are compared with source_fd's
 * bytes at their offset (a precompiled policy's entry); source_fd is -1
 * when every file has its data. Returns 0 when every answer and every
 * byte is the same, else a negative errno and, in *ret_what, the name or
 * path that differs (pointing into in). */
int inputs_replay_from(const struct sf_inputs *in, const struct sf_lookup *l, bool check_owner, int source_fd,
    const char **ret_what);
