/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "process_settings.h"
#include "array.h"
#include "expand.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int process_parse_umask(const char *value, struct sf_origin o, mode_t *ret, struct sf_diag *d)
{
	size_t len = strlen(value);
	unsigned long v = 0;

	if (len == 0 || len > 4)
		goto bad;
	for (size_t i = 0; i < len; i++) {
		if (value[i] < '0' || value[i] > '7')
			goto bad;
		v = v * 8 + (unsigned long)(value[i] - '0');
	}
	if (v > 0777)
		goto bad;
	*ret = (mode_t)v;
	return 0;
bad:
	return diag_at(d, o, -EINVAL, "invalid umask \"%s\" (expected octal 000 to 777, e.g. 077)", value);
}

static int push_item(struct sf_env_item **v, size_t *n, size_t *cap, const char *text, size_t len, struct sf_origin o)
{
	if (array_reserve(v, cap, *n + 1, sizeof(**v)) < 0)
		return -ENOMEM;
	(*v)[*n] = (struct sf_env_item){ .text = strndup(text, len), .origin = o };
	if (!(*v)[*n].text)
		return -ENOMEM;
	(*n)++;
	return 0;
}

int process_add_env_keep(struct sf_process_settings *s, const char *value, struct sf_origin o, struct sf_diag *d)
{
	const char *p = value;
	bool any = false;

	while (*p) {
		size_t len;
		int r;

		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (!*p)
			break;
		len = strcspn(p, " \t,");
		/* A name, or a glob of names: letters, digits, _ and * ? [ ]. */
		for (size_t i = 0; i < len; i++)
			if (!isalnum((unsigned char)p[i]) && !strchr("_*?[]!", p[i]))
				return diag_at(d, o, -EINVAL,
				    "invalid variable name \"%.*s\" in env-keep (expected names or patterns such as LC_*)",
				    (int)len, p);
		r = push_item(&s->env_keep, &s->n_env_keep, &s->cap_env_keep, p, len, o);
		if (r < 0)
			return r;
		any = true;
		p += len;
	}
	if (!any)
		return diag_at(d, o, -EINVAL, "empty list: name the variables env-keep keeps");
	return 0;
}

int process_add_env_set(struct sf_process_settings *s, const char *value, struct sf_origin o, struct sf_diag *d)
{
	const char *eq = strchr(value, '=');

	if (!eq || !env_name_valid(value, (size_t)(eq - value)))
		return diag_at(d, o, -EINVAL,
		    "expected NAME=value with a variable name (letters, digits, _), found \"%s\"", value);
	return push_item(&s->env_set, &s->n_env_set, &s->cap_env_set, value, strlen(value), o);
}

void process_settings_clear(struct sf_process_settings *s)
{
	for (size_t i = 0; i < s->n_env_keep; i++)
		free(s->env_keep[i].text);
	for (size_t i = 0; i < s->n_env_set; i++)
		free(s->env_set[i].text);
	free(s->env_keep);
	free(s->env_set);
	free(s->chdir);
	*s = (struct sf_process_settings){ 0 };
}
