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

#define CHECK(e) tap_check(!!(e), #e, __FILE__, __LINE__)
#define CHECK_STR(got, want) tap_check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_INT(got, want) tap_check_int((long long)(got), (long long)(want), #got, __FILE__, __LINE__)
#define RUN(fn) tap_run(#fn, fn)
