/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --set=SECTION.KEY=VALUE: profile lines from the command line, checked
 * against the same section and key tables as a file's lines and applied
 * by the same handlers, as the last layer. */
#include "policy_groups.h"
#include "policy_int.h"

#include <errno.h>
#include <string.h>

/* The format's own spelling of a section (profile_sections), or NULL. */
static const char *known_section(const char *name)
{
	for (size_t i = 0; profile_sections[i]; i++)
		if (strcmp(profile_sections[i], name) == 0)
			return profile_sections[i];
	return NULL;
}

/* The entry a file would hold for set: its origin is the option ("--set",
 * line 0), so messages read "sysfence: --set: ...". Returns 0, or -EINVAL
 * with a message in d when the section does not exist or the key cannot
 * come from the command line. */
static int set_entry(const struct sf_override_set *set, struct sf_entry *ret, struct sf_diag *d)
{
	const struct sf_origin at = { set->label, 0 };
	const char *section = known_section(set->section);

	if (!section) {
		const char *hint = diag_closest(set->section, profile_sections);

		if (hint)
			return diag_at(d, at, -EINVAL, "unknown section [%s] (did you mean [%s]?)", set->section, hint);
		return diag_at(d, at, -EINVAL, "unknown section [%s]", set->section);
	}
	/* The profile and its includes were read before the command line
	 * applies: an include here would come too late to mean anything. */
	if (strcmp(section, "profile") == 0 && strcmp(set->key, "include") == 0)
		return diag_at(d, at, -EINVAL,
		    "[profile] include cannot come from the command line, which applies after the profile files are read (use --profile, or include in a .local file)");
	*ret = (struct sf_entry){
		.section = section,
		.key = set->key,
		.value = set->value,
		.file = set->label,
		.line = 0,
	};
	return 0;
}

int policy_set_groups(struct sf_policy *pol, const struct sf_overrides *ov, struct sf_diag *d)
{
	int r = 0;

	for (size_t i = 0; ov && i < ov->n_sets; i++) {
		struct sf_entry e = { .section = "", .key = "", .value = "" };
		int k;

		if (strcmp(ov->sets[i].section, "groups") != 0)
			continue;
		k = set_entry(&ov->sets[i], &e, d);
		if (k == 0)
			k = policy_group_entry(pol, &e, d);
		if (k < 0 && r == 0)
			r = k;
	}
	return r;
}

int policy_apply_sets(struct sf_policy *pol, const struct sf_overrides *ov, bool filter_precompiled, bool *have_default,
    struct sf_diag *d)
{
	int r = 0;

	for (size_t i = 0; ov && i < ov->n_sets; i++) {
		const struct sf_override_set *set = &ov->sets[i];
		struct sf_entry e = { .section = "", .key = "", .value = "" };
		int k;

		/* [groups] lines were taken with the files' (policy_set_groups). */
		if (strcmp(set->section, "groups") == 0)
			continue;
		/* A precompiled program holds the seccomp rules already. */
		if (filter_precompiled && strcmp(set->section, "seccomp") == 0)
			continue;
		k = set_entry(set, &e, d);
		if (k == 0)
			k = policy_entry_apply(pol, &e, d);
		if (k == 0 && strcmp(e.section, "seccomp") == 0 && strcmp(e.key, "default-action") == 0)
			*have_default = true;
		if (k < 0 && r == 0)
			r = k;
	}
	return r;
}
