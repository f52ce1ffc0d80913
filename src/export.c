#include "export.h"
#include "cleanup.h"
#include "filter.h"
#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
		return diag_set(d, NULL, 0, -EINVAL, 0, "unknown export format \"%s\" (did you mean \"%s\"?)", s, hint);
	return diag_set(d, NULL, 0, -EINVAL, 0, "unknown export format \"%s\" (expected bpf, pfc, oci or systemd)", s);
}

int export_render(enum sf_export_format fmt, const struct sf_policy *pol, const struct sf_filter *f, char **ret,
    size_t *ret_len, struct sf_diag *d)
{
	if (fmt != SF_EXPORT_SYSTEMD && (!pol->has_filter || !f))
		return diag_set(d, NULL, 0, -ENOENT, 0,
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
	return diag_set(d, NULL, 0, -EINVAL, 0, "unknown export format");
}

static int write_all(int fd, const char *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t k = write(fd, data + off, len - off);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)k;
	}
	return 0;
}

int export_write_file(const char *path, const char *data, size_t len, struct sf_diag *d)
{
	_cleanup_free_ char *copy = NULL;
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	/* Something that is not a regular file (/dev/null, /dev/stdout, a
	 * FIFO) is written to, never replaced: renaming over /dev/null would
	 * turn the device into a plain file for the whole system. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return diag_set(d, NULL, 0, -errno, errno, "cannot write \"%s\"", path);
		r = write_all(fd, data, len);
		if (r < 0)
			return diag_set(d, NULL, 0, r, -r, "cannot write \"%s\"", path);
		return 0;
	}
	/* The temporary file sits next to the target so that rename(2) stays
	 * on one file system and replaces the target in one step: a reader
	 * sees the old file or the new one, never a partial one. */
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	if (asprintf(&tmp, "%s/.sysfence-export.XXXXXX", dirname(copy)) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return diag_set(d, NULL, 0, -errno, errno, "cannot write \"%s\"", path);
	/* mkostemp creates 0600; an exported policy is not secret. */
	if (fchmod(fd, 0644) < 0) {
		r = -errno;
		goto fail;
	}
	r = write_all(fd, data, len);
	if (r < 0)
		goto fail;
	if (fsync(fd) < 0) {
		r = -errno;
		goto fail;
	}
	if (close(TAKE_FD(fd)) < 0) {
		r = -errno;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto fail;
	}
	return 0;
fail:
	unlink(tmp);
	return diag_set(d, NULL, 0, r, -r, "cannot write \"%s\"", path);
}
