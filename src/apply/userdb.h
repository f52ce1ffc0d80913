/* SPDX-License-Identifier: GPL-2.0-or-later */
/* User and group names of [capabilities] user = and group = (launch step
 * 1), resolved by running the system's getent(1) instead of calling
 * getpwnam/getgrnam/getgrouplist. sysfence is linked statically, and a
 * static glibc can only use NSS modules (systemd, sss, ldap) built for the
 * very glibc version linked in; getent always runs the system's glibc with
 * its own /etc/nsswitch.conf. Pure parsers of getent's output, unit-tested,
 * and a thin layer that runs it. */
#pragma once

#include "diag.h"
#include "rules.h"

#include <stddef.h>
#include <sys/types.h>

/* getent prints one line per name; more output than this is an error. */
#define USERDB_MAX_OUTPUT (1024 * 1024)
/* NGROUPS_MAX of the kernel: setgroups(2) refuses a longer list. */
#define USERDB_MAX_GROUPS 65536

struct sf_userdb_user {
	uid_t uid;
	gid_t gid;	/* the primary group from the passwd entry */
};

/* Parse what `getent passwd NAME` prints: exactly one line
 * "name:password:uid:gid:gecos:home:shell\n" and nothing else. Ids are
 * decimal and below (uid_t)-1. Returns 0 and fills *ret; -ESRCH if the
 * entry is for another name (getent looks up an all-digit key as a uid,
 * and a lookup is by name only); -EBADMSG if the text is malformed. */
int userdb_parse_passwd(const char *text, size_t len, const char *name, struct sf_userdb_user *ret);

/* Parse what `getent group NAME` prints: exactly one line
 * "name:password:gid:members\n". Returns 0 and fills *ret_gid, -ESRCH for
 * another name (an all-digit key is a gid), -EBADMSG if malformed. */
int userdb_parse_group(const char *text, size_t len, const char *name, gid_t *ret_gid);

/* Parse what `getent initgroups NAME` prints (one line: NAME, then the
 * decimal gids of the groups listing NAME as a member, each after one or
 * more spaces; getent pads NAME to 21 columns) and build the list
 * getgrouplist(NAME, primary) gives: primary first, then those gids in
 * order, each once. Returns 0 with a malloc'd array the caller frees in
 * *ret and its length in *ret_n; -EBADMSG if malformed (including a line
 * for another name); -E2BIG past USERDB_MAX_GROUPS; -ENOMEM. */
int userdb_parse_initgroups(const char *text, size_t len, const char *name, gid_t primary, gid_t **ret,
    size_t *ret_n);

/* the root rule (sysfence(1), SECURITY), applied to the program we run as root: path must be
 * a regular file owned by root and not writable by group or others, and so
 * must the directory holding it (and, for a symlink, the one holding its
 * target). Returns 0, or -EPERM (or -errno) with a message at o in d. */
int userdb_check_program(const char *path, const struct sf_origin *o, struct sf_diag *d);

/* Look a user up by name with `getent passwd -- NAME`. Returns 0 and fills
 * *ret; -ESRCH if there is no such user (no message: the caller names the
 * profile line); any other error with a message at o in d. */
int userdb_lookup_user(const char *name, const struct sf_origin *o, struct sf_userdb_user *ret, struct sf_diag *d);

/* Look a group up by name with `getent group -- NAME`. Returns as
 * userdb_lookup_user(). */
int userdb_lookup_group(const char *name, const struct sf_origin *o, gid_t *ret_gid, struct sf_diag *d);

/* The supplementary groups getgrouplist(name, primary) would give, from
 * `getent initgroups -- NAME`: primary first, no duplicates. Call it for a
 * user userdb_lookup_user() found (initgroups finds every name). Returns 0
 * with a malloc'd array in *ret (the caller frees it) and its length in
 * *ret_n; -E2BIG past USERDB_MAX_GROUPS (no message); any other error with
 * a message at o in d. */
int userdb_user_groups(const char *name, gid_t primary, const struct sf_origin *o, gid_t **ret, size_t *ret_n,
    struct sf_diag *d);
