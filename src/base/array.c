/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "array.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int array_reserve(void *p, size_t *cap, size_t need, size_t size)
{
	void **v = p;
	size_t want = *cap ? *cap : 8;
	void *n;

	if (need <= *cap)
		return 0;
	while (want < need) {
		if (want > SIZE_MAX / 2)
			return -ENOMEM;
		want *= 2;
	}
	n = reallocarray(*v, want, size);
	if (!n)
		return -ENOMEM;
	*v = n;
	*cap = want;
	return 0;
}
