/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Links named after programs (sysfence(1) "LINKS"): --link and --unlink
 * make and remove them, a run started through one finds the real program.
 * Nothing is recorded on disk but the links: a link is ours when it is a
 * symbolic link that resolves to the running sysfence binary. */
#pragma once

#include "diag.h"
#include "lookup.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The running sysfence binary: its absolute path (/proc/self/exe) and its
 * inode, which every link of ours resolves to. */
struct sf_self {
	char *path;
	dev_t dev;
	ino_t ino;
};

/* Fill *ret for the running binary. Returns 0, or a negative errno with a
 * message in d. Free with links_self_clear(). */
int links_self(struct sf_self *ret, struct sf_diag *d);
void links_self_clear(struct sf_self *s);

/* What a walk along PATH found for one program name. */
struct sf_path_hits {
	char *real; /* the first executable regular file that is not sysfence, or NULL */
	bool eacces; /* a candidate that is not an executable regular file was seen */
	char *links; /* the links to sysfence passed, "A/x, B/x", or NULL */
	size_t n_links; /* how many distinct ones */
};

/* Walk path_env (NULL: "/bin:/usr/bin") for name as execvp(3) would, but
 * pass every candidate that is sysfence itself (our links). Returns 0 and
 * fills *ret (free with links_hits_clear()), or -ENOMEM. */
int links_search(const struct sf_self *self, const char *name, const char *path_env, struct sf_path_hits *ret);
void links_hits_clear(struct sf_path_hits *h);

/* A run through a link named name: the real program to execute. Returns 0
 * and a malloc'd *ret, or with a message in d: -ENOENT (status 127) when
 * PATH holds no program of that name but links to sysfence, -EACCES (126)
 * when the only one is not executable, -ELOOP (125) when more than one
 * link to sysfence and nothing else holds the name. */
int links_find_real(const struct sf_self *self, const char *name, const char *path_env, char **ret, struct sf_diag *d);

/* For --list (catalog.h): whether name's program is installed and where
 * it is linked, on PATH: "installed: /usr/bin/jq; linked: /usr/local/bin/jq",
 * "no" for either; "" for default and strict, which name no program.
 * ctx is a struct sf_links_env. Returns a malloc'd string, NULL on ENOMEM. */
struct sf_links_env {
	const struct sf_self *self;
	const char *path_env;
};
char *links_status(const char *name, void *ctx);

/* One --link or --unlink. */
struct sf_link_request {
	const struct sf_lookup *l; /* the profile search path */
	const struct sf_self *self;
	char **names; /* the programs named, NULL-terminated; none: every profile's */
	const char *dir; /* --dir, or NULL: default_dir */
	bool root; /* effective uid 0: the default dir is /usr/local/bin */
	const char *home; /* $HOME: the user's default dir is ~/.local/bin */
	const char *path_env; /* $PATH: which programs are installed */
};

/* --link: make DIR/NAME -> sysfence for each program. Never replaces
 * anything but a link of ours (which is left as it is). Each program is
 * tried, each failure reported in d. *ret_text gets the lines for stdout
 * (malloc'd). Returns 0, or a negative errno when any program failed. */
int links_make(const struct sf_link_request *req, char **ret_text, struct sf_diag *d);

/* --unlink: remove DIR/NAME for each program named (none: every link of
 * ours in DIR), only where it is a link of ours. As links_make(). */
int links_remove(const struct sf_link_request *req, char **ret_text, struct sf_diag *d);
