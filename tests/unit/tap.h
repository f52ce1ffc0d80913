/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Minimal test harness: TAP-style lines, exit 1 if any check failed. */
#pragma once

#include <stdbool.h>
#include <string.h>

void tap_check(bool ok, const char *expr, const char *file, int line);
void tap_check_str(const char *got, const char *want, const char *expr, const char *file, int line);
void tap_check_int(long long got, long long want, const char *expr, const char *file, int line);
void tap_run(const char *name, void (*fn)(void));
int tap_done(void);
/* True, after a "# skipped: ..." line naming what, when the test program
 * runs under an emulator (qemu-user, for a cross build: ctest sets
 * SYSFENCE_TEST_EMULATED). There a seccomp filter or a Landlock ruleset
 * would be applied to the emulator, not to the emulated program, so checks
 * that need the kernel to enforce something are left to a real machine of
 * the architecture (README.md, "Architectures"). */
bool tap_skip_kernel(const char *what);

#define CHECK(e) tap_check(!!(e), #e, __FILE__, __LINE__)
#define CHECK_STR(got, want) tap_check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_INT(got, want) tap_check_int((long long)(got), (long long)(want), #got, __FILE__, __LINE__)
#define RUN(fn) tap_run(#fn, fn)
