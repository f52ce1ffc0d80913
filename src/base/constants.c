/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Symbolic constants for conditions, over the table that src/base/gen-constants.sh
 * generates from the system headers at build time. */
#include "constants.h"

#include "constants-table.h"	/* generated, in ${CMAKE_BINARY_DIR}/generated */

#include <stdlib.h>
#include <string.h>

static int entry_cmp(const void *key, const void *elem)
{
	const struct constant_entry *e = elem;

	return strcmp(key, constant_names_pool + e->name);
}

bool constant_lookup(const char *name, uint64_t *ret)
{
	const struct constant_entry *e;

	if (!name)
		return false;
	/* The generator sorts the table in the C locale, which is strcmp order. */
	e = bsearch(name, constant_table, constant_table_n, sizeof(constant_table[0]), entry_cmp);
	if (!e)
		return false;
	if (ret)
		*ret = e->value;
	return true;
}

const char *const *constant_names(void)
{
	/* Only hints and --report need the list: built on first use, kept
	 * for the life of the process. */
	static const char *const none[] = { NULL };
	static const char **names;

	if (!names) {
		const char **v = calloc(constant_table_n + 1, sizeof(*v));

		if (!v)
			return none;
		for (size_t i = 0; i < constant_table_n; i++)
			v[i] = constant_names_pool + constant_table[i].name;
		names = v;
	}
	return names;
}
