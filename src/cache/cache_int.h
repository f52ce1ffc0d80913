/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to src/cache/: what cache.c (the format) and cache_disk.c (the
 * files) share. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct sf_cache_entry;

#define CACHE_MAGIC "sysfence-precompiled\n"

/* An entry starts with the magic, the format and the head's length. */
#define CACHE_PREFIX_LEN (sizeof(CACHE_MAGIC) - 1 + 2 * sizeof(uint32_t))

/* The head's length from an entry's first CACHE_PREFIX_LEN bytes, or
 * -EBADMSG for another format or no entry at all. */
long cache_decode_prefix(const char *buf, size_t len);

/* The head; the data part is data_len bytes, in memory at data (may be
 * NULL) or in the entry file at CACHE_PREFIX_LEN + head_len. Returns 0 and
 * *ret, or a negative errno. */
int cache_decode_head(
    const char *head, size_t head_len, const char *data, uint64_t data_len, struct sf_cache_entry **ret);
