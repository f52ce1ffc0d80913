/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A reference evaluator of sysfence.profile(5) "Meaning", written from its words and
 * not from the compiler's: which action a rule set gives one system call.
 * Shared by tests/unit/filter/test_filter.c and the policy fuzzer
 * (fuzz/fuzz_policy.c), which both compare it with compiled programs run in
 * bpfsim. Pure; slow on purpose (no sorting, no simplification). */
#pragma once

#include "rules.h"

#include <stdbool.h>
#include <stdint.h>

/* The two readings of an argument x for comparison c: all 64 bits
 * (low false), or the low 32 bits as the kernel reads an int (low true). */
uint64_t ref_read_as(const struct sf_cmp *c, uint64_t x, bool low);

/* Whether c holds for the raw argument under one reading. */
bool ref_cmp(const struct sf_cmp *c, uint64_t raw, bool low);

/* Whether cond holds for args; bit N of low set: argument N is read as its
 * low 32 bits, clear: as all 64. */
bool ref_cond(const struct sf_cond *cond, const uint64_t args[6], unsigned low);

/* The action sysfence.profile(5) gives the system call nr made through ABI arch (an
 * AUDIT_ARCH_* value, equal to libseccomp's SCMP_ARCH_* token) with args
 * under the readings low: an ABI not in the spec is killed (x32 numbers,
 * 0x40000000..0xfffffffe on x86-64, are their own ABI; -1 is no ABI's); otherwise the most
 * restrictive matching conditional rule of the syscall (ties: the one
 * written last) among those the layering does not drop (a conditional rule
 * less restrictive than an unconditional rule of a later layer), else its
 * unconditional rule, else the default action. Reads every conditional rule
 * of the spec, n_cond and n_dropped alike. */
struct sf_action ref_meaning(const struct sf_filter_spec *s, uint32_t arch, uint32_t nr, const uint64_t args[6],
    unsigned low);

/* The kind of a SECCOMP_RET_* value. */
enum sf_action_kind ref_kind_of_ret(uint32_t ret);
