/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A shipped profile (profiles/ of the source tree) compiled as a launch
 * would, for tests that check the program it makes. Never loaded. */
#pragma once

#include "diag.h"
#include "filter.h"
#include "policy.h"
#include "profile.h"

#include <stdbool.h>

struct compiled {
	struct sf_profile *p;
	struct sf_policy *pol;
	struct sf_filter *f;
	struct sf_diag d;
};

/* Compile profiles_dir/NAME.ini with the group library and no .local
 * files (the tree's profiles/ has none). Prints each diagnostic as a "# "
 * line. True when a filter came out; c is for compiled_free() either way. */
bool compile_shipped(const char *profiles_dir, const char *name, struct compiled *c);
void compiled_free(struct compiled *c);
