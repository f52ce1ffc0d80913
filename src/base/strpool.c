/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "strpool.h"
#include "array.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct strpool_chunk {
	struct strpool_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define CHUNK_SIZE (16 * 1024)

/* size bytes at a multiple of align (a power of two) from the current
 * chunk, or from a new one. */
static void *take(struct strpool *sp, size_t size, size_t align)
{
	struct strpool_chunk *c = sp->chunks;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;

	if (size > SIZE_MAX / 2)
		return NULL;
	if (!c || at > c->size || c->size - at < size) {
		/* A request larger than a quarter chunk gets a chunk of its own,
		 * behind the current one, whose free space stays usable. */
		size_t n = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;

		c = malloc(sizeof(*c) + n);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = n;
		if (n == CHUNK_SIZE || !sp->chunks) {
			c->next = sp->chunks;
			sp->chunks = c;
		} else {
			c->next = sp->chunks->next;
			sp->chunks->next = c;
		}
		at = 0;
	}
	c->used = at + size;
	return (char *)c->data + at;
}

void *strpool_alloc(struct strpool *sp, size_t size)
{
	return take(sp, size, _Alignof(max_align_t));
}

char *strpool_strndup(struct strpool *sp, const char *s, size_t len)
{
	char *out;

	if (len >= SIZE_MAX / 2)
		return NULL;
	out = take(sp, len + 1, 1); /* text needs no alignment */
	if (!out)
		return NULL;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

char *strpool_strdup(struct strpool *sp, const char *s)
{
	return strpool_strndup(sp, s, strlen(s));
}

int strpool_intern(struct strpool *sp, const char *s, const char **ret)
{
	char *copy;

	/* Few distinct strings (file names), many lookups: the latest is the
	 * likely hit. */
	for (size_t i = sp->n_interned; i > 0; i--)
		if (strcmp(sp->interned[i - 1], s) == 0) {
			*ret = sp->interned[i - 1];
			return 0;
		}
	if (ARRAY_RESERVE(sp->interned, sp->cap_interned, sp->n_interned + 1) < 0)
		return -ENOMEM;
	copy = strpool_strdup(sp, s);
	if (!copy)
		return -ENOMEM;
	sp->interned[sp->n_interned++] = copy;
	*ret = copy;
	return 1;
}

void strpool_done(struct strpool *sp)
{
	for (struct strpool_chunk *c = sp->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(sp->interned);
	*sp = (struct strpool){ 0 };
}
