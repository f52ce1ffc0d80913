/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the harnesses: see fuzz.h. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void fuzz_fail(const char *file, int line, const char *expr)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, expr);
	abort();
}
