/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command line (sysfence(1) "Command line"). Pure: argv in, struct out. */
#pragma once

#include "diag.h"
#include "export.h"
#include "overrides.h"

#include <stdbool.h>
#include <stddef.h>

enum sf_mode {
	SF_MODE_RUN,
	SF_MODE_CHECK,
	SF_MODE_EXPLAIN,
	SF_MODE_LIST,
	SF_MODE_LIST_GROUPS,
	SF_MODE_HELP,
	SF_MODE_VERSION,
	SF_MODE_EXPORT, /* --export: compile the profile, write it out, run nothing */
	SF_MODE_PRECOMPILE, /* --precompile: store policies for later runs (src/cache/cache.h) */
	SF_MODE_LINK, /* --link: make links named after programs (src/tools/links.h) */
	SF_MODE_UNLINK, /* --unlink: remove them */
};

struct sf_options {
	enum sf_mode mode;
	const char *profile; /* -p; NULL: look up the program's basename */
	bool verbose;
	bool quiet;
	/* --allow/--deny/--kill, --default-action, --caps-keep/--caps-drop,
	 * in the order given, labelled with the option's name; the lists
	 * point into argv. Then --set and its aliases, whose parts are
	 * copies (options_free). What the policy gets from the command line. */
	struct sf_overrides over;
	size_t rules_cap, caps_cap, sets_cap; /* private: the arrays' capacities */
	enum sf_export_format export_format; /* --export=FORMAT */
	const char *output; /* -o FILE for --export; NULL: stdout */
	const char *learn; /* --learn=FILE, or NULL */
	bool report; /* --report */
	bool permissive; /* --permissive (with --report) */
	char **check_files; /* --check A.ini B.ini: the profiles to check (then argc is 0) */
	int n_check_files;
	char **argv; /* PROGRAM and its arguments; NULL-terminated, points into argv */
	int argc;
	const char *link_dir; /* --dir, for --link and --unlink */
	char **link_names; /* --link/--unlink PROGRAM...: NULL-terminated, malloc'd vector into argv */
	bool link_run; /* started through a link: argv[0] is PROGRAM, every word its own */
};

/* Parse argv (argv[0] is sysfence itself). Options end at "--" or at the
 * first word that is not an option. Returns 0, or -EINVAL with a message in d.
 * Free with options_free(); strings point into argv. */
int options_parse(int argc, char **argv, struct sf_options *ret, struct sf_diag *d);
void options_free(struct sf_options *o);

/* Started under another name than sysfence (a link, src/tools/links.h):
 * no options at all, argv is PROGRAM and its arguments as they are;
 * SYSFENCE_VERBOSE=1 in the environment stands for -v. */
void options_from_link(int argc, char **argv, struct sf_options *ret);

/* The --help text. */
extern const char options_help[];
