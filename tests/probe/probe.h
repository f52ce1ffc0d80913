/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What probe.c and probe_sandbox.c share. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Print the usage line; returns 2 (the probe was misused). */
int usage(void);
/* A 64-bit integer: decimal, 0x hex, 0 octal, or negative. */
bool parse_u64(const char *s, uint64_t *ret);
/* Print "OK" for rc >= 0, else the errno name of err (or "SIGSYS NAME"
 * after a trap); returns 0. */
int report(long rc, int err);
/* The [sandbox] actions: the probe's exit status, or -1 when action is
 * none of them. */
int probe_sandbox(const char *action, int argc, char **argv);
