/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the root rule (sysfence(1), SECURITY): a file root trusts (a profile, an include, a
 * .local, getent, a precompiled policy) and the directory holding it must
 * be owned by root and not writable by group or others, so that no other
 * user can change what root runs under. One implementation for every file
 * the rule covers. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <sys/stat.h>

/* "/a/b.ini" → "/a", "b.ini" → ".", "/b.ini" → "/". Malloc'd, or NULL. */
char *path_dir(const char *path);

/* Owned by root and not writable by group or others. */
bool root_only(const struct stat *st);

/* The whole rule for path, whose status st the caller read (fstat of fd,
 * or stat of path when fd is -1): the file, the directory holding the
 * name and, for a symlink, the directory holding its target. The
 * directory is checked through a descriptor, in which the file is then
 * found by name, so nothing can be swapped in between; only a symlink (or
 * a name that no longer leads to the file) is resolved further. Problems
 * are "refusing PATH: ..." at file:line in d. Returns 0 or a negative
 * errno. */
int root_rule_check(const char *path, int fd, const struct stat *st, const char *file, unsigned line,
    struct sf_diag *d);

/* Open directory dir (O_PATH) one component at a time without following
 * a symlink anywhere on the way (openat2's RESOLVE_NO_SYMLINKS by hand, for
 * kernels without it); with create, make each missing component (mode
 * 0755 whatever the umask). A symlink on the way is -ELOOP, with its name
 * in *ret_link (free it) when ret_link is not NULL. Returns the descriptor
 * or a negative errno. */
int root_walk_dir(const char *dir, bool create, char **ret_link);

/* Create dir and any missing parent (mode 0755 whatever the umask, owned
 * by the caller: root, for the precompiled policies' directory). Every
 * component is opened without following symlinks, so a symlink anywhere
 * on the way is an error, as is a component that is not a directory.
 * What exists is left as it is (the caller checks the last directory).
 * Returns 0 or a negative errno with "cannot create DIR: ..." in d. */
int root_mkdir_p(const char *dir, struct sf_diag *d);
