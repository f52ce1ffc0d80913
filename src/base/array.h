/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Growing arrays: one scheme for every list sysfence builds. */
#pragma once

#include <stddef.h>

/* Make room for at least need elements of size bytes in *p, whose capacity
 * is *cap: the capacity at least doubles (from 8), so appending n elements
 * one by one costs O(n). On success *p and *cap are updated and 0 is
 * returned; on failure (ENOMEM, or an overflowing size) nothing changes
 * and -ENOMEM is returned. */
int array_reserve(void *p, size_t *cap, size_t need, size_t size);

/* array_reserve for an array named by its pointer: ARRAY_RESERVE(v, cap, n + 1). */
#define ARRAY_RESERVE(v, cap, need) array_reserve(&(v), &(cap), (need), sizeof(*(v)))
