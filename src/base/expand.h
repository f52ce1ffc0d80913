/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ${VAR} expansion for paths and env-set values (sysfence.profile(5) "Paths"). Pure:
 * the environment is an argument, so tests pass their own. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Expand every "${NAME}" in s from envp (a NULL-terminated "NAME=value"
 * vector, e.g. environ); "$$" stands for one "$", any other "$" is kept.
 * Returns 0 and a malloc'd *ret; -ENOENT when a variable is unset, with
 * the malloc'd name in *ret_name; -EINVAL when a "${" is not closed or the
 * name is not a valid variable name (*ret_name is then the text after "${").
 * -ENOMEM. Output parameters are written only as described. */
int expand_vars(const char *s, char *const *envp, char **ret, char **ret_name);

/* Whether s[0..len) is a variable name: letters, digits and _, not
 * starting with a digit (what ${NAME} and env-set accept). */
bool env_name_valid(const char *s, size_t len);

/* The value of NAME in envp, or NULL. */
const char *expand_getenv(char *const *envp, const char *name);

struct sf_diag;

/* expand_vars() for profile values: problems are reported at file:line.
 * Returns 0 and a malloc'd *ret, or a negative errno with a message in d. */
int expand_value(const char *s, char *const *envp, const char *file, unsigned line, char **ret,
    struct sf_diag *d);
