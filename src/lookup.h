/* Profile search path (SPEC.md "Profile lookup"). Pure: builds path lists and
 * asks the file system whether candidates exist; opens nothing. */
#pragma once

#include "diag.h"

#include <stddef.h>

struct sf_lookup {
	char **dirs;		/* in priority order, first hit wins */
	size_t n;
};

/* Build the search path. profile_path is $SYSFENCE_PROFILE_PATH (NULL if
 * unset; colon-separated, empty elements ignored); otherwise
 * ${xdg_config_home:-home/.config}/sysfence/profiles, /etc/sysfence/profiles,
 * then datadir (the installed profile directory). Any of the string
 * arguments may be NULL. Returns 0 or -ENOMEM. */
int lookup_init(struct sf_lookup *l, const char *profile_path, const char *xdg_config_home,
    const char *home, const char *datadir);
void lookup_free(struct sf_lookup *l);

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

void strv_free(char **v);
