/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [process] as written (other than no-new-privs): umask, working
 * directory, environment, descriptors, session, parent-death signal. Pure
 * parsing; process.h plans and applies them. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One env-keep pattern or env-set "NAME=value", as written. */
struct sf_env_item {
	char *text;
	struct sf_origin origin;
};

struct sf_process_settings {
	bool new_session;
	struct sf_origin new_session_origin;
	bool die_with_parent;
	struct sf_origin die_with_parent_origin;
	bool close_fds;
	struct sf_origin close_fds_origin;
	bool has_umask;
	mode_t umask;
	struct sf_origin umask_origin;
	char *chdir; /* as written (${VAR} not expanded), or NULL */
	struct sf_origin chdir_origin;
	bool env_clear;
	struct sf_origin env_clear_origin;
	struct sf_env_item *env_keep; /* glob patterns of names */
	size_t n_env_keep;
	struct sf_env_item *env_set; /* "NAME=value" in the order written */
	size_t n_env_set;
	size_t cap_env_keep, cap_env_set; /* private */
};

/* umask = OCTAL ("077", "0022"). Returns 0 or -EINVAL with a message. */
int process_parse_umask(const char *value, struct sf_origin o, mode_t *ret, struct sf_diag *d);

/* env-keep = NAMES: each a variable name, or a glob ("LC_*"). Appends.
 * Returns 0 or -EINVAL/-ENOMEM with a message. */
int process_add_env_keep(struct sf_process_settings *s, const char *value, struct sf_origin o, struct sf_diag *d);

/* env-set = NAME=value (the whole line; ${VAR} is expanded at launch).
 * Appends. Returns 0 or -EINVAL/-ENOMEM with a message. */
int process_add_env_set(struct sf_process_settings *s, const char *value, struct sf_origin o, struct sf_diag *d);

void process_settings_clear(struct sf_process_settings *s);
