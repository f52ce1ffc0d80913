/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Conditions as sets of "cubes" for --export=oci (export_oci_cubes.c).
 *
 * libseccomp, and so every OCI runtime, takes rules that are unordered,
 * must not overlap with different actions, and compare each argument at
 * most once. sysfence's rules are an ordered list (docs/filter.md). To
 * turn one into the other, each condition becomes a set of cubes: a cube
 * is a conjunction of atoms per argument; a set is their union. The
 * region of a rule is then "its test and none of the earlier ones",
 * computed exactly on 64-bit values with intersection and complement, and
 * each cube of a region becomes one libseccomp rule. Pure code. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cube_op {
	CUBE_MEQ, /* (x & mask) == value; mask ~0 is x == value */
	CUBE_NE,
	CUBE_LT,
	CUBE_LE,
	CUBE_GT,
	CUBE_GE,
};

struct atom {
	enum cube_op op;
	uint64_t mask, value; /* mask for CUBE_MEQ only */
};

#define CUBE_ARGS 6
#define CUBE_MAX_ATOMS 12

/* The atoms of each argument, all of which hold. No atom: any value. */
struct cube {
	struct atom a[CUBE_ARGS][CUBE_MAX_ATOMS];
	uint8_t n[CUBE_ARGS];
};

/* A union of cubes (not necessarily disjoint). */
struct cube_set {
	struct cube *c;
	size_t n, cap;
};

/* Most cubes one set may hold: beyond this, the operations fail with
 * -E2BIG rather than write thousands of rules. */
#define CUBE_SET_MAX 4096

/* The set holding one cube that matches everything. Returns 0, -ENOMEM. */
int cube_set_all(struct cube_set *s);
void cube_set_clear(struct cube_set *s);

/* Append c. Returns 0, -E2BIG past CUBE_SET_MAX, or -ENOMEM. */
int cube_set_push(struct cube_set *s, const struct cube *c);

/* Add atom to c's argument arg, simplified against the atoms there.
 * Returns 1, 0 when c became empty (no value satisfies it), or -E2BIG
 * when the argument has too many atoms. */
int cube_add(struct cube *c, unsigned arg, struct atom a);

/* *ret = a & b, a | b (appended), not a. Return 0 or a negative errno. */
int cube_set_and(const struct cube_set *a, const struct cube_set *b, struct cube_set *ret);
int cube_set_append(struct cube_set *a, const struct cube_set *b);
int cube_set_not(const struct cube_set *a, struct cube_set *ret);

/* Append to out the cubes of c rewritten so that every argument has at
 * most one atom, the form libseccomp takes: several "!=" (alone, or with
 * one masked "==") become the values between them, or a split over bits;
 * ">= lo" and "< hi" the values between. Returns 0; -ERANGE when out would
 * hold more than max cubes, or an argument's atoms have no such form
 * (a range with other atoms), with *bad_arg that argument (set it to
 * CUBE_ARGS before the call); or -ENOMEM. */
int cube_flatten(const struct cube *c, struct cube_set *out, size_t max, unsigned *bad_arg);
