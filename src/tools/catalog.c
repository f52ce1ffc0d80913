/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "catalog.h"
#include "cleanup.h"
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
	size_t n = 0;
	struct dirent *de;

	*ret_n = 0;
	if (!dh)
		return NULL;
	while ((de = readdir(dh))) {
		size_t len = strlen(de->d_name);
		char **nv;

		if (len <= 4 || strcmp(de->d_name + len - 4, ".ini") != 0 || de->d_name[0] == '.')
			continue;
		if (strcmp(de->d_name, "groups.ini") == 0)
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
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

char *catalog_list(const struct sf_lookup *l, bool check_owner)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char **seen = NULL;
	size_t n_seen = 0;

	if (!f)
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
			fprintf(f, "%-16s %s%s\n%16s %s\n", names[k], desc, shadowed ? " (shadowed)" : "", "", path);
			profile_free(p);
			diag_clear(&d);
			if (!shadowed) {
				char **ns = realloc(seen, (n_seen + 1) * sizeof(*ns));

				if (ns) {
					seen = ns;
					seen[n_seen] = strdup(names[k]);
					if (seen[n_seen])
						n_seen++;
				}
			}
		}
		for (size_t k = 0; k < n; k++)
			free(names[k]);
		free(names);
	}
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i]);
	free(seen);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

char **catalog_names(const struct sf_lookup *l)
{
	char **v = calloc(1, sizeof(*v));
	size_t n_v = 0;

	for (size_t i = 0; v && i < l->n; i++) {
		size_t n = 0;
		char **names = dir_profiles(l->dirs[i], &n);

		for (size_t k = 0; k < n; k++) {
			char **nv;

			if (seen_before(v, n_v, names[k]))
				continue;
			nv = realloc(v, (n_v + 2) * sizeof(*nv));
			if (!nv) {
				strv_free(v);
				v = NULL;
				break;
			}
			v = nv;
			v[n_v++] = TAKE_PTR(names[k]);
			v[n_v] = NULL;
		}
		for (size_t k = 0; k < n; k++)
			free(names[k]);
		free(names);
	}
	return v;
}
