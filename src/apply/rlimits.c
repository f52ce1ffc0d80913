/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rlimits.h"
#include "caps.h"
#include "cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* fs.nr_open: the kernel refuses RLIMIT_NOFILE above it, even to root. */
static int read_nr_open(rlim_t *ret)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/sys/fs/nr_open", "re");
	unsigned long long v;

	if (!f || fscanf(f, "%llu", &v) != 1)
		return -errno ? -errno : -EIO;
	*ret = (rlim_t)v;
	return 0;
}

int limits_check(const struct sf_limits_settings *s, bool will_run, struct sf_diag *d)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct sf_limit *l = &s->items[i];
		const char *name = limits_name(l->resource);
		struct rlimit cur;

		if (l->resource == RLIMIT_NOFILE && l->rl.rlim_max != RLIM_INFINITY) {
			rlim_t nr_open = 0;

			if (read_nr_open(&nr_open) == 0 && l->rl.rlim_max > nr_open)
				return diag_at(d, l->origin, -EPERM,
				    "nofile limit %llu is above the kernel's maximum (fs.nr_open = %llu)",
				    (unsigned long long)l->rl.rlim_max, (unsigned long long)nr_open);
		}
		if (l->resource == RLIMIT_NOFILE && l->rl.rlim_max == RLIM_INFINITY)
			return diag_at(
			    d, l->origin, -EPERM, "nofile cannot be unlimited (the kernel's maximum is fs.nr_open)");
		if (!will_run)
			continue;
		if (getrlimit(l->resource, &cur) < 0)
			return diag_set(d, l->origin.file, l->origin.line, -errno, errno, "cannot read the %s limit",
			    name);
		/* setrlimit(2): raising the hard limit needs CAP_SYS_RESOURCE.
		 * Found now, before anything is applied, not in step 2. */
		if (l->rl.rlim_max > cur.rlim_max && !caps_have_effective(CAP_SYS_RESOURCE)) {
			_cleanup_free_ char *want = limits_format(l->resource, &(struct rlimit){ l->rl.rlim_max,
			    l->rl.rlim_max });
			_cleanup_free_ char *have = limits_format(l->resource, &(struct rlimit){ cur.rlim_max,
			    cur.rlim_max });

			return diag_at(d, l->origin, -EPERM,
			    "raising the hard %s limit from %s to %s needs CAP_SYS_RESOURCE", name, have ? have : "?",
			    want ? want : "?");
		}
	}
	return 0;
}

int limits_apply(const struct sf_limits_settings *s, struct sf_diag *d)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct sf_limit *l = &s->items[i];

		if (setrlimit(l->resource, &l->rl) < 0)
			return diag_set(d, l->origin.file, l->origin.line, -errno, errno, "cannot set the %s limit",
			    limits_name(l->resource));
	}
	return 0;
}
