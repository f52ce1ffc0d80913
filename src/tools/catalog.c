/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "catalog.h"
#include "array.h"
#include "cleanup.h"
#include "membuf.h"
#include "profile.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool seen_before(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* The sorted NAME.ini entries of one directory (without ".ini"). */
static char **dir_profiles(const char *dir, size_t *ret_n)
{
	DIR *dh = opendir(dir);
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	*ret_n = 0;
	if (!dh)
		return NULL;
	while ((de = readdir(dh))) {
		size_t len = strlen(de->d_name);

		if (len <= 4 || strcmp(de->d_name + len - 4, ".ini") != 0 || de->d_name[0] == '.')
			continue;
		if (strcmp(de->d_name, "groups.ini") == 0)
			continue;
		if (ARRAY_RESERVE(v, cap, n + 1) < 0)
			break;
		v[n] = strndup(de->d_name, len - 4);
		if (v[n])
			n++;
	}
	closedir(dh);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*ret_n = n;
	return v;
}

char *catalog_list(const struct sf_lookup *l, bool check_owner, catalog_status_fn status, void *ctx)
{
	_cleanup_membuf_ struct membuf m = { 0 };
	char **seen = NULL;
	size_t n_seen = 0, cap = 0;

	if (membuf_open(&m) < 0)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		size_t n = 0;
		char **names = dir_profiles(l->dirs[i], &n);

		for (size_t k = 0; k < n; k++) {
			_cleanup_free_ char *path = NULL;
			struct sf_profile *p = NULL;
			struct sf_diag d = { 0 };
			const struct sf_profile_opts o = { .check_owner = check_owner };
			bool shadowed = seen_before(seen, n_seen, names[k]);
			const char *desc = "";

			if (asprintf(&path, "%s/%s.ini", l->dirs[i], names[k]) < 0)
				break;
			if (profile_load(l, path, &o, &p, &d) < 0)
				desc = "(invalid: run sysfence --check)";
			else if (p->description)
				desc = p->description;
			fprintf(m.f, "%-16s %s%s\n%16s %s\n", names[k], desc, shadowed ? " (shadowed)" : "", "", path);
			if (!shadowed && status) {
				_cleanup_free_ char *line = status(names[k], ctx);

				if (line && *line)
					fprintf(m.f, "%16s %s\n", "", line);
			}
			profile_free(p);
			diag_clear(&d);
			if (!shadowed && ARRAY_RESERVE(seen, cap, n_seen + 1) == 0) {
				seen[n_seen] = strdup(names[k]);
				if (seen[n_seen])
					n_seen++;
			}
		}
		for (size_t k = 0; k < n; k++)
			free(names[k]);
		free(names);
	}
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i]);
	free(seen);
	return membuf_take(&m, NULL);
}

char **catalog_names(const struct sf_lookup *l)
{
	char **v = calloc(1, sizeof(*v));
	size_t n_v = 0, cap = 1;

	for (size_t i = 0; v && i < l->n; i++) {
		size_t n = 0;
		char **names = dir_profiles(l->dirs[i], &n);

		for (size_t k = 0; k < n; k++) {
			if (seen_before(v, n_v, names[k]))
				continue;
			if (ARRAY_RESERVE(v, cap, n_v + 2) < 0) {
				strv_free(v);
				v = NULL;
				break;
			}
			v[n_v++] = TAKE_PTR(names[k]);
			v[n_v] = NULL;
		}
		for (size_t k = 0; k < n; k++)
			free(names[k]);
		free(names);
	}
	return v;
}
