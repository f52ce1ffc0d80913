/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --learn: count the system calls a program makes, then write the profile
 * that allows exactly those (docs/authoring.md). Pure: no kernel calls;
 * names come from libseccomp's tables and the loaded group library.
 * src/tools/supervise.c feeds the record, one call at a time. */
#pragma once

#include "policy.h"

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Distinct values kept of the argument a tighter rule tests; past this
 * many, the syscall is allowed whatever its argument. */
#define LEARN_MAX_VALUES 32

struct learn_value {
	uint64_t value;
	uint64_t count;
};

/* One syscall number on one ABI. */
struct learn_syscall {
	uint32_t arch;		/* SCMP_ARCH_* token; x32 calls are SCMP_ARCH_X32 */
	int nr;			/* as the filter saw it */
	char *name;		/* libseccomp's name, or NULL when it has none */
	uint64_t count;
	int arg;		/* the argument recorded (report_tight_arg()), or -1 */
	struct learn_value *values;	/* its distinct values, in the order first seen */
	size_t n_values;
	size_t values_cap; /* private: room in values */
	bool values_overflow;	/* more than LEARN_MAX_VALUES distinct values */
	uint64_t values_or;	/* every value seen, ORed together */
	int refuse;		/* the errno the learning run answers with, or 0: run it */
};

struct learn_record {
	struct learn_syscall *sc;	/* in the order first seen */
	size_t n;
	uint64_t calls;		/* all calls counted */
	/* private: an index on (arch, nr) */
	size_t *slots;		/* index into sc plus one; 0 is empty */
	size_t n_slots;		/* a power of two */
	size_t cap; /* room in sc */
};

/* An empty record, or NULL on ENOMEM. Free with learn_record_free(). */
struct learn_record *learn_record_new(void);
void learn_record_free(struct learn_record *r);

/* Count one call, as the filter saw it. Returns 0, or -ENOMEM (the
 * record is then unchanged). */
int learn_record_add(struct learn_record *r, const struct seccomp_data *sd);

/* The errno a learning run answers a call with instead of letting it run,
 * or 0. Only calls the learned profile refuses whatever their arguments
 * are answered so (clone3: ENOSYS), so that the program takes the same
 * fallback while learning as under the profile, and that fallback is
 * recorded. Call after learn_record_add() for the same call. */
int learn_refusal(struct learn_record *r, const struct seccomp_data *sd);

/* What the profile's header says about the run. */
struct learn_info {
	char *const *argv;	/* the program and its arguments, NULL-terminated */
	const char *profile;	/* the --profile learned under, or NULL */
};

/* The learned profile, as docs/authoring.md describes it: default-action =
 * kill; groups of pol's group library where every member that exists on
 * the native architecture was used and none needs a condition; other
 * syscalls by name, with their call counts as comments; the refusals of
 * the shipped default profile, as conditional rules narrowed to what was
 * seen (socket and socketpair families, ioctl requests and personality
 * values not used, clone's namespace flags not used, clone3 with ENOSYS);
 * a comment naming the dangerous syscalls seen; [capabilities] drop = all.
 * Returns a malloc'd string, or NULL on ENOMEM. */
char *learn_profile(const struct learn_record *r, const struct sf_policy *pol, const struct learn_info *info);

/* The summary for stderr: lines without the "sysfence: " prefix, each
 * ending in '\n' (syscalls and calls seen, groups used, dangerous syscalls
 * seen, the file written). Returns a malloc'd string, or NULL on ENOMEM. */
char *learn_summary(const struct learn_record *r, const struct sf_policy *pol, const char *file);
