#include "expand.h"
#include "cleanup.h"
#include "diag.h"

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
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	_cleanup_fclose_ FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
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
	if (fclose(f) != 0) {
		f = NULL;
		return -ENOMEM;
	}
	f = NULL;
	*ret = TAKE_PTR(buf);
	return 0;
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
