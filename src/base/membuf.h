/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A string built with stdio: open_memstream(3) with one owner and one way
 * to finish, so that building text never repeats the open/fclose/free
 * dance. */
#pragma once

#include <stddef.h>
#include <stdio.h>

struct membuf {
	FILE *f;	/* write here with fprintf, fputs, ... */
	char *buf;
	size_t len;
};

/* Open m. Returns 0, or -ENOMEM (m is then safe to membuf_done()). */
int membuf_open(struct membuf *m);

/* Close m and hand over its text (free it; *ret_len, if not NULL, gets its
 * length). NULL when open or a write failed (no memory). */
char *membuf_take(struct membuf *m, size_t *ret_len);

/* Close m and free its text: for a membuf not taken (cleanup). */
void membuf_done(struct membuf *m);

#define _cleanup_membuf_ __attribute__((cleanup(membuf_done)))
