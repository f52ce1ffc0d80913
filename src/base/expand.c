/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "expand.h"
#include "cleanup.h"
#include "diag.h"
#include "membuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *expand_getenv(char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; envp && envp[i]; i++)
		if (strncmp(envp[i], name, len) == 0 && envp[i][len] == '=')
			return envp[i] + len + 1;
	return NULL;
}

bool env_name_valid(const char *s, size_t len)
{
	if (len == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

int expand_vars(const char *s, char *const *envp, char **ret, char **ret_name)
{
	_cleanup_membuf_ struct membuf m = { 0 };
	FILE *f;

	if (membuf_open(&m) < 0)
		return -ENOMEM;
	f = m.f;
	for (const char *p = s; *p;) {
		if (p[0] == '$' && p[1] == '$') {
			fputc('$', f);
			p += 2;
		} else if (p[0] == '$' && p[1] == '{') {
			const char *name = p + 2;
			const char *end = strchr(name, '}');
			const char *value;
			_cleanup_free_ char *n = NULL;

			if (!end || !env_name_valid(name, (size_t)(end - name))) {
				*ret_name = strdup(name);
				return *ret_name ? -EINVAL : -ENOMEM;
			}
			n = strndup(name, (size_t)(end - name));
			if (!n)
				return -ENOMEM;
			value = expand_getenv(envp, n);
			if (!value) {
				*ret_name = TAKE_PTR(n);
				return -ENOENT;
			}
			fputs(value, f);
			p = end + 1;
		} else
			fputc(*p++, f);
	}
	*ret = membuf_take(&m, NULL);
	return *ret ? 0 : -ENOMEM;
}

int expand_value(const char *s, char *const *envp, const char *file, unsigned line, char **ret,
    struct sf_diag *d)
{
	_cleanup_free_ char *name = NULL;
	int r = expand_vars(s, envp, ret, &name);

	if (r == -ENOENT)
		return diag_set(d, file, line, r, 0, "environment variable \"%s\" is not set (in \"%s\")", name, s);
	if (r == -EINVAL)
		return diag_set(d, file, line, r, 0,
		    "expected ${NAME} with a variable name in \"%s\" (write $$ for a literal $)", s);
	return r;
}
