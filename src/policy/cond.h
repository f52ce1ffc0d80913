/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule values: "SYSCALL" or "SYSCALL if COND" (sysfence.profile(5) "Conditions"). Pure. */
#pragma once

#include "diag.h"
#include "rules.h"

/* Parse a condition such as "arg0 == AF_UNIX || arg1 & O_CREAT".
 * On success *ret is a new condition (free with cond_free). On failure adds
 * one message to d at file:line and returns -EINVAL. */
int cond_parse(const char *text, const char *file, unsigned line, struct sf_cond **ret, struct sf_diag *d);

/* Print a condition back in profile syntax into a malloc'd string. */
char *cond_to_string(const struct sf_cond *c);
