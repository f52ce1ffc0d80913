/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which program runs, and under which profile. */
#include "program.h"
#include "cleanup.h"
#include "launch.h"
#include "links.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The profile to read: -p, else PROGRAM's basename, else "default". */
int program_profile(const struct sf_options *o, const struct sf_lookup *l, char **ret, struct sf_diag *d)
{
	_cleanup_free_ char *base = NULL;
	_cleanup_free_ char *file = NULL;
	_cleanup_free_ char *hit = NULL;
	_cleanup_free_ char *dirs = NULL;

	if (o->profile) {
		*ret = strdup(o->profile);
		return *ret ? 0 : -ENOMEM;
	}
	if (o->argc > 0) {
		_cleanup_free_ char *copy = strdup(o->argv[0]);

		if (!copy)
			return -ENOMEM;
		base = strdup(basename(copy));
		if (!base)
			return -ENOMEM;
		if (asprintf(&file, "%s.ini", base) < 0)
			return -ENOMEM;
		if (*base && strcmp(base, "groups") != 0 && lookup_find(l, file, &hit) == 0) {
			*ret = TAKE_PTR(base);
			return 0;
		}
	}
	if (lookup_find(l, "default.ini", &hit) == 0) {
		*ret = strdup("default");
		return *ret ? 0 : -ENOMEM;
	}
	dirs = lookup_dirs_text(l);
	if (base && *base)
		return diag_msg(d, -ENOENT,
		    "no profile for \"%s\": neither %s.ini nor default.ini is on the search path (%s)", base, base,
		    dirs ? dirs : "");
	return diag_msg(d, -ENOENT, "no default profile: default.ini is not on the search path (%s)", dirs ? dirs : "");
}

/* PROGRAM on PATH; through a link, the real program of the link's name,
 * never a link to sysfence (links.h). */
int program_resolve(const struct sf_options *o, char **path, struct sf_diag *d)
{
	_cleanup_(links_self_clear) struct sf_self self = { 0 };
	const char *name = o->argv[0];
	const char *slash = strrchr(name, '/');
	int r;

	if (!o->link_run)
		return launch_resolve_program(name, getenv("PATH"), path, d);
	r = links_self(&self, d);
	return r < 0 ? r : links_find_real(&self, slash ? slash + 1 : name, getenv("PATH"), path, d);
}
