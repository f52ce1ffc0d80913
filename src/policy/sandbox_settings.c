/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sandbox_settings.h"

#include <errno.h>
#include <string.h>

static struct sf_sandbox_flag *flag_of(struct sf_sandbox_settings *s, const char *key)
{
	if (strcmp(key, "restrict-suid-sgid") == 0)
		return &s->restrict_suid_sgid;
	if (strcmp(key, "isolate-signals") == 0)
		return &s->isolate_signals;
	if (strcmp(key, "isolate-abstract-sockets") == 0)
		return &s->isolate_abstract_sockets;
	return NULL;
}

int sandbox_set(
    struct sf_sandbox_settings *s, const char *key, const char *value, struct sf_origin o, struct sf_diag *d)
{
	struct sf_sandbox_flag *f = flag_of(s, key);
	bool v;

	if (!f)
		return diag_at(d, o, -EINVAL, "unknown key \"%s\" in [sandbox]", key);
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
		v = true;
	else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0)
		v = false;
	else
		return diag_at(d, o, -EINVAL, "expected yes or no, found \"%s\"", value);
	*f = (struct sf_sandbox_flag){ .set = true, .value = v, .origin = o };
	return 0;
}

void sandbox_resolve(struct sf_sandbox_settings *s, bool as_root, bool switches_user)
{
	if (!s->isolate_signals.set)
		s->isolate_signals.value = true;
	if (!s->isolate_abstract_sockets.set)
		s->isolate_abstract_sockets.value = true;
	s->suid_root_default = !s->restrict_suid_sgid.set && as_root && !switches_user;
	s->suid_refused = s->restrict_suid_sgid.set ? s->restrict_suid_sgid.value : s->suid_root_default;
	if (!s->restrict_suid_sgid.set)
		s->restrict_suid_sgid.value = s->suid_refused;
}
