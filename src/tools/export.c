/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "export.h"
#include "cleanup.h"
#include "filter.h"
#include "outfile.h"
#include "policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = {
	[SF_EXPORT_BPF] = "bpf",
	[SF_EXPORT_PFC] = "pfc",
	[SF_EXPORT_OCI] = "oci",
	[SF_EXPORT_SYSTEMD] = "systemd",
	NULL,
};

int export_format_parse(const char *s, enum sf_export_format *ret, struct sf_diag *d)
{
	const char *hint;

	for (size_t i = 0; format_names[i]; i++)
		if (strcmp(s, format_names[i]) == 0) {
			*ret = (enum sf_export_format)i;
			return 0;
		}
	hint = *s ? diag_closest(s, format_names) : NULL;
	if (hint)
		return diag_msg(d, -EINVAL, "unknown export format \"%s\" (did you mean \"%s\"?)", s, hint);
	return diag_msg(d, -EINVAL, "unknown export format \"%s\" (expected bpf, pfc, oci or systemd)", s);
}

int export_render(enum sf_export_format fmt, const struct sf_policy *pol, const struct sf_filter *f, char **ret,
    size_t *ret_len, struct sf_diag *d)
{
	if (fmt != SF_EXPORT_SYSTEMD && (!pol->has_filter || !f))
		return diag_msg(d, -ENOENT,
		    "the profile loads no seccomp filter (it has no [seccomp] section), so there is nothing to export as %s",
		    format_names[fmt]);
	switch (fmt) {
	case SF_EXPORT_BPF:
		return export_bpf(f, ret, ret_len, d);
	case SF_EXPORT_PFC:
		return export_pfc(pol, f, ret, ret_len, d);
	case SF_EXPORT_OCI:
		return export_oci(pol, ret, ret_len, d);
	case SF_EXPORT_SYSTEMD:
		return export_systemd(pol, ret, ret_len, d);
	}
	return diag_msg(d, -EINVAL, "unknown export format");
}

int export_write_file(const char *path, const char *data, size_t len, struct sf_diag *d)
{
	struct sf_outfile o;
	int r = outfile_open(path, SF_OUTFILE_REPLACE_OR_INTO, &o, d);

	if (r < 0)
		return r;
	r = outfile_write(&o, data, len);
	if (r < 0) {
		outfile_abort(&o);
		return diag_fail(d, r, "cannot write \"%s\"", path);
	}
	return outfile_commit(&o, d);
}
