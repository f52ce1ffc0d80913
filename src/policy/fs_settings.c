/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fs_settings.h"
#include "array.h"
#include "path_list.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *landlock_access_key(enum sf_fs_access a)
{
	switch (a) {
	case SF_FS_READ_ONLY:
		return "read-only";
	case SF_FS_READ_WRITE:
		return "read-write";
	case SF_FS_EXECUTE:
		return "execute";
	}
	return "?";
}

int landlock_add_paths(
    struct sf_fs_settings *s, enum sf_fs_access a, const char *value, struct sf_origin o, struct sf_diag *d)
{
	const char *cursor = value, *p;
	size_t len;
	bool optional, any = false;

	while (path_list_next(&cursor, &p, &len, &optional)) {
		if (len == 0 || (p[0] != '/' && p[0] != '$'))
			return diag_at(d, o, -EINVAL,
			    "%s paths must be absolute (or start with ${VAR}), found \"%.*s\"", landlock_access_key(a),
			    (int)len, p);
		if (ARRAY_RESERVE(s->paths, s->cap, s->n + 1) < 0)
			return -ENOMEM;
		s->paths[s->n] =
		    (struct sf_fs_path){ .path = strndup(p, len), .optional = optional, .access = a, .origin = o };
		if (!s->paths[s->n].path)
			return -ENOMEM;
		s->n++;
		any = true;
	}
	if (!any)
		return diag_at(d, o, -EINVAL, "empty list: name at least one path for %s", landlock_access_key(a));
	return 0;
}

int landlock_set_mode(struct sf_fs_settings *s, const char *value, struct sf_origin o, struct sf_diag *d)
{
	if (strcmp(value, "required") == 0)
		s->mode = SF_LANDLOCK_REQUIRED;
	else if (strcmp(value, "best-effort") == 0)
		s->mode = SF_LANDLOCK_BEST_EFFORT;
	else
		return diag_at(d, o, -EINVAL, "expected required or best-effort, found \"%s\"", value);
	s->mode_set = true;
	s->mode_origin = o;
	return 0;
}

void fs_settings_clear(struct sf_fs_settings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->paths[i].path);
	free(s->paths);
	*s = (struct sf_fs_settings){ 0 };
}
