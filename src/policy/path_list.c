/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "path_list.h"

#include <ctype.h>
#include <string.h>

bool path_list_next(const char **cursor, const char **ret_word, size_t *ret_len, bool *ret_optional)
{
	const char *p = *cursor;
	size_t len;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p) {
		*cursor = p;
		return false;
	}
	len = strcspn(p, " \t");
	*cursor = p + len;
	*ret_optional = p[0] == '-';
	if (*ret_optional) {
		p++;
		len--;
	}
	*ret_word = p;
	*ret_len = len;
	return true;
}
