/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Profile search path: sysfence(1) "Profile lookup". */
#include "lookup.h"
#include "array.h"
#include "cleanup.h"
#include "membuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_set(const char *s)
{
	return s && *s;
}

/* Append a copy of dir[0..len) with trailing slashes removed (a lone "/"
 * stays). Duplicates are skipped: a directory listed twice would otherwise
 * apply its .local files twice. */
static int lookup_add(struct sf_lookup *l, const char *dir, size_t len, const char *suffix)
{
	_cleanup_free_ char *s = NULL;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (asprintf(&s, "%.*s%s", (int)len, dir, suffix ? suffix : "") < 0)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->dirs[i], s) == 0)
			return 0;
	if (ARRAY_RESERVE(l->dirs, l->cap, l->n + 1) < 0)
		return -ENOMEM;
	l->dirs[l->n++] = TAKE_PTR(s);
	return 0;
}

/* An empty SYSFENCE_PROFILE_PATH counts as unset, like an empty
 * XDG_CONFIG_HOME in the XDG Base Directory spec: `VAR= sysfence ...` must
 * not leave sysfence without any profile directory. A relative
 * XDG_CONFIG_HOME is ignored, as that spec requires; a relative HOME is not
 * a home directory either. */
int lookup_init(struct sf_lookup *l, const char *profile_path, const char *xdg_config_home,
    const char *home, const char *datadir)
{
	struct sf_lookup n = { 0 };
	int r = 0;

	if (is_set(profile_path)) {
		for (const char *p = profile_path; r == 0;) {
			size_t len = strcspn(p, ":");

			if (len > 0)	/* empty elements are ignored */
				r = lookup_add(&n, p, len, NULL);
			if (!p[len])
				break;
			p += len + 1;
		}
	} else {
		if (is_set(xdg_config_home) && xdg_config_home[0] == '/')
			r = lookup_add(&n, xdg_config_home, strlen(xdg_config_home), "/sysfence/profiles");
		else if (is_set(home) && home[0] == '/')
			r = lookup_add(&n, home, strlen(home), "/.config/sysfence/profiles");
		n.has_user_dir = n.n == 1;
		n.user_dir = 0;
		if (r == 0)
			r = lookup_add(&n, "/etc/sysfence/profiles", strlen("/etc/sysfence/profiles"), NULL);
		if (r == 0 && is_set(datadir))
			r = lookup_add(&n, datadir, strlen(datadir), NULL);
	}
	if (r < 0) {
		lookup_free(&n);
		return r;
	}
	*l = n;
	return 0;
}

/* Why root must not read dir, or NULL: each component from "/" on is
 * opened without following symlinks and checked. A missing component ends
 * the walk: nothing is there to read, and only root could add it. */
static const char *untrusted_why(const char *dir, size_t *ret_len)
{
	_cleanup_close_ int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	const char *p = dir;

	if (fd < 0)
		return "cannot be checked";
	while (*p) {
		size_t skip = strspn(p, "/"), len = strcspn(p + skip, "/");
		_cleanup_free_ char *name = strndup(p + skip, len);
		struct stat st;
		int next;
		bool last;

		if (!name)
			return "cannot be checked";
		if (len == 0)
			break;
		p += skip + len;
		last = p[strspn(p, "/")] == '\0';
		*ret_len = (size_t)(p - dir);
		next = openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return errno == ENOENT ? NULL : "cannot be checked";
		close(fd);
		fd = next;
		if (fstat(fd, &st) < 0)
			return "cannot be checked";
		if (S_ISLNK(st.st_mode))
			return "is a symbolic link";
		if (!S_ISDIR(st.st_mode))
			return "is not a directory";
		if (st.st_uid != 0)
			return "is not owned by root";
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) && (last || !(st.st_mode & S_ISVTX)))
			return "is writable by group or others";
	}
	return NULL;
}

int lookup_drop_untrusted(struct sf_lookup *l, char **ret_why)
{
	char *dir;
	const char *why;
	size_t len = 0;

	*ret_why = NULL;
	if (!l->has_user_dir)
		return 0;
	dir = l->dirs[l->user_dir];
	why = untrusted_why(dir, &len);
	if (!why)
		return 0;
	if (asprintf(ret_why, "skipping profile directory \"%s\": \"%.*s\" %s", dir, (int)len, dir, why) < 0) {
		*ret_why = NULL;
		return -ENOMEM;
	}
	memmove(&l->dirs[l->user_dir], &l->dirs[l->user_dir + 1], (l->n - l->user_dir - 1) * sizeof(*l->dirs));
	l->n--;
	l->has_user_dir = false;
	free(dir);
	return 0;
}

void lookup_free(struct sf_lookup *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->dirs[i]);
	free(l->dirs);
	l->dirs = NULL;
	l->n = l->cap = 0;
	l->has_user_dir = false;
}

/* A candidate exists when the directory holds an entry of that name, of any
 * type. lstat() rather than stat(): a dangling symlink or a directory named
 * curl.ini is found and then fails loudly when opened, instead of silently
 * letting a less specific directory win. */
static int candidate(const char *dir, const char *filename, char **ret_path)
{
	size_t dl = strlen(dir), fl = strlen(filename);
	bool slash = dl > 0 && dir[dl - 1] == '/';
	/* Joined by hand: every launch looks up several names. */
	_cleanup_free_ char *path = malloc(dl + !slash + fl + 1);
	struct stat st;

	if (!path)
		return -ENOMEM;
	memcpy(path, dir, dl);
	if (!slash)
		path[dl++] = '/';
	memcpy(path + dl, filename, fl + 1);
	if (lstat(path, &st) < 0)
		return 0;
	*ret_path = TAKE_PTR(path);
	return 1;
}

int lookup_find(const struct sf_lookup *l, const char *filename, char **ret_path)
{
	for (size_t i = 0; i < l->n; i++) {
		char *path = NULL;
		int r = candidate(l->dirs[i], filename, &path);

		if (r < 0)
			return r;
		if (r > 0) {
			*ret_path = path;
			return 0;
		}
	}
	return -ENOENT;
}

int lookup_find_all(const struct sf_lookup *l, const char *filename, char ***ret)
{
	char **v = calloc(l->n + 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return -ENOMEM;
	/* Walk from the least specific directory so the most specific comes
	 * last and is applied last. */
	for (size_t i = l->n; i-- > 0;) {
		int r = candidate(l->dirs[i], filename, &v[n]);

		if (r < 0) {
			strv_free(v);
			return r;
		}
		n += r;
	}
	*ret = v;
	return 0;
}

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **s = v; *s; s++)
		free(*s);
	free(v);
}

char *lookup_edit_file(const struct sf_lookup *l, const char *profile_path)
{
	const char *slash = strrchr(profile_path, '/');
	const char *base = slash ? slash + 1 : profile_path;
	size_t dir_len = slash ? (size_t)(slash - profile_path) : 0;
	size_t name_len = strlen(base);
	char *ret = NULL;

	if (name_len > 4 && strcmp(base + name_len - 4, ".ini") == 0)
		name_len -= 4;
	/* The first directory is the user's own (or the first of
	 * $SYSFENCE_PROFILE_PATH); a profile in a later one is shipped or
	 * system-wide, and a NAME.local in the first is applied on top. */
	for (size_t i = 0; slash && i < l->n; i++)
		if (strlen(l->dirs[i]) == dir_len && strncmp(l->dirs[i], profile_path, dir_len) == 0) {
			if (i == 0)
				break;
			if (asprintf(&ret, "%s/%.*s.local", l->dirs[0], (int)name_len, base) < 0)
				return NULL;
			return ret;
		}
	return strdup(profile_path);
}

char *lookup_dirs_text(const struct sf_lookup *l)
{
	_cleanup_membuf_ struct membuf m = { 0 };

	if (membuf_open(&m) < 0)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		fprintf(m.f, "%s%s", i ? ", " : "", l->dirs[i]);
	return membuf_take(&m, NULL);
}
