/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Profile search path (sysfence(1) "Profile lookup"). Builds path lists and
 * asks the file system whether candidates exist; reads no file. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

struct sf_lookup {
	char **dirs;		/* in priority order, first hit wins */
	size_t n;
	/* dirs[user_dir] came from XDG_CONFIG_HOME or HOME, when has_user_dir. */
	bool has_user_dir;
	size_t user_dir;
	size_t cap; /* private: room in dirs */
};

/* Build the search path. profile_path is $SYSFENCE_PROFILE_PATH (NULL if
 * unset; colon-separated, empty elements ignored); otherwise
 * ${xdg_config_home:-home/.config}/sysfence/profiles, /etc/sysfence/profiles,
 * then datadir (the installed profile directory). Any of the string
 * arguments may be NULL. Returns 0 or -ENOMEM. */
int lookup_init(struct sf_lookup *l, const char *profile_path, const char *xdg_config_home,
    const char *home, const char *datadir);
void lookup_free(struct sf_lookup *l);

/* As root: drop the directory that came from XDG_CONFIG_HOME or HOME when
 * the way to it is not root's alone: a symlink anywhere on it, or a
 * directory not owned by root, or writable by group or others (a sticky
 * one such as /tmp is fine on the way, not as the directory itself). A
 * user's environment must not choose root's profiles. The explicit
 * SYSFENCE_PROFILE_PATH is not dropped: the file rule (profile.h) refuses
 * what it finds there instead. *ret_why is set to a malloc'd reason when a
 * directory is dropped, else NULL. Returns 0 or -ENOMEM. */
int lookup_drop_untrusted(struct sf_lookup *l, char **ret_why);

/* First dirs[i]/filename that exists. *ret_path is malloc'd (caller frees).
 * Returns 0, or -ENOENT when no directory holds it. */
int lookup_find(const struct sf_lookup *l, const char *filename, char **ret_path);

/* Every dirs[i]/filename that exists, in *reverse* priority order (the most
 * specific directory last, so that it is applied last and wins).
 * *ret is a NULL-terminated malloc'd vector of malloc'd strings. */
int lookup_find_all(const struct sf_lookup *l, const char *filename, char ***ret);

/* The file a user edits to change the profile at profile_path: that file,
 * or, when it lies in a search-path directory other than the first (the
 * user's own, or the first of $SYSFENCE_PROFILE_PATH), so a shipped or
 * system-wide profile, NAME.local in the first directory, which is
 * applied on top of it. Returns a malloc'd string, or NULL on ENOMEM. */
char *lookup_edit_file(const struct sf_lookup *l, const char *profile_path);

/* The search path for messages: the directories joined with ", ".
 * Returns a malloc'd string ("" when there is none), or NULL on ENOMEM. */
char *lookup_dirs_text(const struct sf_lookup *l);

void strv_free(char **v);

/* For _cleanup_(strv_freep) char **v = NULL; */
static inline void strv_freep(char ***v)
{
	strv_free(*v);
}
