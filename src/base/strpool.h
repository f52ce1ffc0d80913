/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A memory pool and a string interner: many small strings (profile keys
 * and values, syscall names, file names) live in large chunks freed
 * together, one malloc per chunk instead of one per string. Used by the
 * profile reader and the policy resolver. */
#pragma once

#include <stddef.h>

struct strpool_chunk;

struct strpool {
	struct strpool_chunk *chunks; /* the current one first */
	const char **interned; /* strpool_intern()'s strings, oldest first */
	size_t n_interned, cap_interned;
};

/* size bytes aligned for any type, or NULL on ENOMEM. Lives until
 * strpool_done(). */
void *strpool_alloc(struct strpool *sp, size_t size);

/* A copy of s[0..len) with a NUL, or NULL on ENOMEM. */
char *strpool_strndup(struct strpool *sp, const char *s, size_t len);
char *strpool_strdup(struct strpool *sp, const char *s);

/* The pool's one copy of s: the same pointer for equal strings. Returns 1
 * and *ret when s is new (copied), 0 and *ret when it was interned before,
 * or -ENOMEM. */
int strpool_intern(struct strpool *sp, const char *s, const char **ret);

/* Free every chunk; sp is then empty (and may be used again). */
void strpool_done(struct strpool *sp);
