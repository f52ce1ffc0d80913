/* Symbolic constants for conditions, over the table that src/gen-constants.sh
 * generates from the system headers at build time. */
#include "constants.h"

#include "constants-table.h"	/* generated, in ${CMAKE_BINARY_DIR}/generated */

#include <stdlib.h>
#include <string.h>

static int entry_cmp(const void *key, const void *elem)
{
	const struct constant_entry *e = elem;

	return strcmp(key, e->name);
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
	return constant_table_names;
}
