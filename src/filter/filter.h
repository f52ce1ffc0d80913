/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seccomp filter: compile a rule model to a classic BPF program
 * (pure), export it, and load it (the only kernel call here). */
#pragma once

#include "diag.h"
#include "rules.h"

#include <linux/filter.h>
#include <stddef.h>
#include <stdio.h>

struct sf_filter {
	struct sock_filter *insns;
	size_t n;
};

/* Compile spec into a BPF program with the meaning in sysfence.profile(5) (see
 * docs/filter.md). Nothing is loaded. On success *ret is a new filter (free
 * with filter_free). On failure returns negative errno with a message in d. */
int filter_build(const struct sf_filter_spec *spec, struct sf_filter **ret, struct sf_diag *d);

void filter_free(struct sf_filter *f);

/* Install the program in the calling thread (seccomp(2) SECCOMP_SET_MODE_FILTER).
 * The caller has set no_new_privs or holds CAP_SYS_ADMIN. Returns 0 or -errno. */
int filter_load(const struct sf_filter *f);

/* Figures for --explain / --check -v: program length, longest path. */
struct filter_stats {
	size_t n_insns;
	size_t longest_path;	/* instructions executed on the longest path */
};
void filter_stats(const struct sf_filter *f, struct filter_stats *ret);
