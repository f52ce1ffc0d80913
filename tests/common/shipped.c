/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "shipped.h"
#include "lookup.h"

#include <stdio.h>
#include <stdlib.h>

bool compile_shipped(const char *profiles_dir, const char *name, struct compiled *c)
{
	const struct sf_profile_opts po = { .load_group_library = true, .apply_local = true };
	const struct sf_policy_opts pco = { 0 };
	struct sf_lookup l = { 0 };
	bool ok;

	*c = (struct compiled){ 0 };
	ok = lookup_init(&l, profiles_dir, NULL, NULL, NULL) == 0 && profile_load(&l, name, &po, &c->p, &c->d) == 0 &&
	    policy_build(c->p, NULL, &pco, &c->pol, &c->d) == 0 && c->pol->has_filter &&
	    filter_build(&c->pol->filter, &c->f, &c->d) == 0;
	lookup_free(&l);
	for (size_t i = 0; i < c->d.n; i++) {
		char *s = diag_format(&c->d.msgs[i]);

		printf("# %s\n", s ? s : "?");
		free(s);
	}
	return ok;
}

void compiled_free(struct compiled *c)
{
	filter_free(c->f);
	policy_free(c->pol);
	profile_free(c->p);
	diag_clear(&c->d);
}
