/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "links.h"
#include "array.h"
#include "catalog.h"
#include "cleanup.h"
#include "membuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int links_self(struct sf_self *ret, struct sf_diag *d)
{
	_cleanup_free_ char *path = realpath("/proc/self/exe", NULL);
	struct stat st;

	/* realpath() of the magic link gives the binary's own absolute
	 * name; a binary replaced on disk since it started has none. */
	if (!path)
		return diag_errno(d, "cannot find the sysfence binary (/proc/self/exe)");
	if (stat(path, &st) < 0)
		return diag_errno(d, "cannot find the sysfence binary (\"%s\")", path);
	*ret = (struct sf_self){ .path = TAKE_PTR(path), .dev = st.st_dev, .ino = st.st_ino };
	return 0;
}

void links_self_clear(struct sf_self *s)
{
	free(s->path);
	s->path = NULL;
}

static bool is_self(const struct sf_self *self, const struct stat *st)
{
	return st->st_dev == self->dev && st->st_ino == self->ino;
}

/* A symbolic link that resolves to sysfence: one of ours. */
static bool is_ours(const struct sf_self *self, const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return false;
	return stat(path, &st) == 0 && is_self(self, &st);
}

void links_hits_clear(struct sf_path_hits *h)
{
	free(h->real);
	free(h->links);
	*h = (struct sf_path_hits){ 0 };
}

/* One more link to sysfence on the way, once per link (the same directory
 * may be on PATH twice, under two spellings). */
static int add_link(struct sf_path_hits *h, struct stat **seen, size_t *cap, const char *cand)
{
	struct stat st;
	char *text = NULL;

	if (lstat(cand, &st) < 0)
		return 0;
	for (size_t i = 0; i < h->n_links; i++)
		if ((*seen)[i].st_dev == st.st_dev && (*seen)[i].st_ino == st.st_ino)
			return 0;
	if (array_reserve(seen, cap, h->n_links + 1, sizeof(**seen)) < 0 ||
	    asprintf(&text, "%s%s%s", h->links ? h->links : "", h->links ? ", " : "", cand) < 0)
		return -ENOMEM;
	(*seen)[h->n_links++] = st;
	free(h->links);
	h->links = text;
	return 0;
}

int links_search(const struct sf_self *self, const char *name, const char *path_env, struct sf_path_hits *ret)
{
	struct sf_path_hits h = { 0 };
	_cleanup_free_ struct stat *seen = NULL;
	size_t cap = 0;
	int r = 0;

	for (const char *p = path_env ? path_env : "/bin:/usr/bin"; r == 0 && !h.real;) {
		const char *colon = strchrnul(p, ':');
		size_t len = (size_t)(colon - p);
		_cleanup_free_ char *cand = NULL;
		struct stat st;

		/* An empty element means the current directory, as for execvp. */
		if (asprintf(&cand, "%.*s%s%s", (int)len, p, len ? "/" : "", name) < 0)
			r = -ENOMEM;
		else if (stat(cand, &st) < 0)
			; /* nothing there */
		else if (is_self(self, &st))
			r = add_link(&h, &seen, &cap, cand);
		else if (S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
			h.real = TAKE_PTR(cand);
		else
			h.eacces = true;
		if (!*colon)
			break;
		p = colon + 1;
	}
	if (r < 0) {
		links_hits_clear(&h);
		return r;
	}
	*ret = h;
	return 0;
}

int links_find_real(const struct sf_self *self, const char *name, const char *path_env, char **ret, struct sf_diag *d)
{
	_cleanup_(links_hits_clear) struct sf_path_hits h = { 0 };
	int r = links_search(self, name, path_env, &h);

	if (r < 0)
		return r;
	if (h.real) {
		*ret = TAKE_PTR(h.real);
		return 0;
	}
	if (h.eacces)
		return diag_fail(d, -EACCES, "cannot execute \"%s\"", name);
	/* Two links and nothing else: a launcher that followed PATH naively
	 * would run itself for ever. */
	if (h.n_links > 1)
		return diag_msg(d, -ELOOP, "\"%s\" leads back to sysfence: every \"%s\" on PATH is a link to it (%s)",
		    name, name, h.links);
	return diag_msg(d, -ENOENT, "cannot execute \"%s\": no program of that name on PATH, only %s to sysfence", name,
	    h.n_links ? "the link" : "links");
}

char *links_status(const char *name, void *ctx)
{
	const struct sf_links_env *env = ctx;
	_cleanup_(links_hits_clear) struct sf_path_hits h = { 0 };
	char *text = NULL;

	/* default and strict name no program. */
	if (strcmp(name, "default") == 0 || strcmp(name, "strict") == 0)
		return strdup("");
	if (links_search(env->self, name, env->path_env, &h) < 0)
		return NULL;
	if (asprintf(&text, "installed: %s; linked: %s", h.real ? h.real : "no", h.links ? h.links : "no") < 0)
		return NULL;
	return text;
}

/* ---- --link and --unlink ---------------------------------------------- */

/* A program name: one path component, nothing a shell would not find. */
static int check_name(const char *what, const char *name, struct sf_diag *d)
{
	if (!*name || strchr(name, '/') || name[0] == '.' || name[0] == '-')
		return diag_msg(d, -EINVAL, "cannot %s \"%s\": not a program name", what, name);
	return 0;
}

/* The directory: --dir, else /usr/local/bin as root, else ~/.local/bin,
 * made when missing (the user's own only). */
static int link_dir(const struct sf_link_request *req, bool make, char **ret, struct sf_diag *d)
{
	_cleanup_free_ char *local = NULL;

	if (req->dir)
		*ret = strdup(req->dir);
	else if (req->root)
		*ret = strdup("/usr/local/bin");
	else if (!req->home || req->home[0] != '/')
		return diag_msg(
		    d, -EINVAL, "HOME is not an absolute directory, so there is no ~/.local/bin: give --dir DIR");
	else if (asprintf(ret, "%s/.local/bin", req->home) < 0)
		*ret = NULL;
	if (!*ret)
		return -ENOMEM;
	if (make && !req->dir && !req->root) {
		if (asprintf(&local, "%s/.local", req->home) < 0)
			return -ENOMEM;
		if ((mkdir(local, 0755) < 0 && errno != EEXIST) || (mkdir(*ret, 0755) < 0 && errno != EEXIST))
			return diag_errno(d, "cannot make the directory \"%s\"", *ret);
	}
	return 0;
}

/* The profiles whose program is installed: every one on the search path
 * but default and strict, which name no program. */
static char **installed_programs(const struct sf_link_request *req)
{
	char **names = catalog_names(req->l);
	size_t n = 0;

	for (size_t i = 0; names && names[i]; i++) {
		struct sf_path_hits h = { 0 };
		bool keep = strcmp(names[i], "default") != 0 && strcmp(names[i], "strict") != 0 &&
		    links_search(req->self, names[i], req->path_env, &h) == 0 && h.real;

		links_hits_clear(&h);
		if (keep)
			names[n++] = names[i];
		else
			free(names[i]);
	}
	if (names)
		names[n] = NULL;
	return names;
}

/* DIR/NAME -> sysfence, unless a link of ours is there already. */
static int link_one(const struct sf_link_request *req, const char *dir, const char *name, FILE *out, struct sf_diag *d)
{
	_cleanup_free_ char *profile = NULL;
	_cleanup_free_ char *file = NULL;
	_cleanup_free_ char *path = NULL;
	int r = check_name("link", name, d);

	if (r < 0)
		return r;
	if (asprintf(&file, "%s.ini", name) < 0 || asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	if (strcmp(name, "groups") == 0 || lookup_find(req->l, file, &profile) < 0)
		return diag_msg(d, -ENOENT, "cannot link \"%s\": no profile %s.ini on the search path", name, name);
	if (symlink(req->self->path, path) == 0) {
		fprintf(out, "%s -> %s\n", path, req->self->path);
		return 0;
	}
	if (errno != EEXIST)
		return diag_errno(d, "cannot link \"%s\": cannot make \"%s\"", name, path);
	if (!is_ours(req->self, path))
		return diag_msg(
		    d, -EEXIST, "cannot link \"%s\": \"%s\" exists and is not a link to sysfence", name, path);
	fprintf(out, "%s -> %s (already linked)\n", path, req->self->path);
	return 0;
}

int links_make(const struct sf_link_request *req, char **ret_text, struct sf_diag *d)
{
	_cleanup_membuf_ struct membuf m = { 0 };
	_cleanup_(strv_freep) char **found = NULL;
	_cleanup_free_ char *dir = NULL;
	char **names = req->names;
	int r = 0;

	if (membuf_open(&m) < 0)
		return -ENOMEM;
	if (!names || !names[0]) {
		names = found = installed_programs(req);
		if (!found)
			return -ENOMEM;
		if (!found[0])
			fputs("nothing to link: no program with a profile is installed on PATH\n", m.f);
	}
	if (names[0] && link_dir(req, /* make= */ true, &dir, d) < 0)
		return -EINVAL;
	for (size_t i = 0; names[i]; i++) {
		int k = link_one(req, dir, names[i], m.f, d);

		if (k == -ENOMEM)
			return k;
		if (k < 0)
			r = k;
	}
	*ret_text = membuf_take(&m, NULL);
	return *ret_text ? r : -ENOMEM;
}

/* Remove DIR/NAME when it is a link of ours. */
static int unlink_one(
    const struct sf_link_request *req, const char *dir, const char *name, FILE *out, struct sf_diag *d)
{
	_cleanup_free_ char *path = NULL;
	struct stat st;
	int r = check_name("unlink", name, d);

	if (r < 0)
		return r;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return -ENOMEM;
	if (lstat(path, &st) < 0 && errno == ENOENT) {
		fprintf(out, "%s was not linked\n", path);
		return 0;
	}
	if (!is_ours(req->self, path))
		return diag_msg(d, -EEXIST, "cannot unlink \"%s\": \"%s\" is not a link to sysfence", name, path);
	if (unlink(path) < 0)
		return diag_errno(d, "cannot unlink \"%s\": cannot remove \"%s\"", name, path);
	fprintf(out, "removed %s\n", path);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every link of ours in dir, sorted. */
static char **links_in(const struct sf_self *self, const char *dir, struct sf_diag *d)
{
	DIR *dh = opendir(dir);
	char **v = calloc(1, sizeof(*v));
	size_t n = 0, cap = 1;
	struct dirent *de;

	if (!dh || !v) {
		free(v);
		if (dh)
			closedir(dh);
		else
			diag_errno(d, "cannot read the directory \"%s\"", dir);
		return NULL;
	}
	while ((de = readdir(dh))) {
		_cleanup_free_ char *path = NULL;

		if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0 || ARRAY_RESERVE(v, cap, n + 2) < 0)
			break;
		if (is_ours(self, path) && (v[n] = strdup(de->d_name)))
			v[++n] = NULL;
	}
	closedir(dh);
	qsort(v, n, sizeof(*v), cmp_names);
	return v;
}

int links_remove(const struct sf_link_request *req, char **ret_text, struct sf_diag *d)
{
	_cleanup_membuf_ struct membuf m = { 0 };
	_cleanup_(strv_freep) char **found = NULL;
	_cleanup_free_ char *dir = NULL;
	char **names = req->names;
	int r = link_dir(req, /* make= */ false, &dir, d);

	if (r < 0 || !dir)
		return r < 0 ? r : -ENOMEM;
	if (membuf_open(&m) < 0)
		return -ENOMEM;
	if (!names || !names[0]) {
		names = found = links_in(req->self, dir, d);
		if (!found)
			return diag_has_errors(d) ? -ENOENT : -ENOMEM;
		if (!found[0])
			fprintf(m.f, "nothing to unlink: no link to sysfence in %s\n", dir);
	}
	for (size_t i = 0; names[i]; i++) {
		int k = unlink_one(req, dir, names[i], m.f, d);

		if (k == -ENOMEM)
			return k;
		if (k < 0)
			r = k;
	}
	*ret_text = membuf_take(&m, NULL);
	return *ret_text ? r : -ENOMEM;
}
