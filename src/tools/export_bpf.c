/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export=bpf: the program exactly as filter_load() hands it to the
 * kernel: an array of struct sock_filter in native byte order, no header.
 * A loader reads the file, divides its size by sizeof(struct sock_filter)
 * and passes it in a struct sock_fprog. */
#include "export.h"
#include "filter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int export_bpf(const struct sf_filter *f, char **ret, size_t *ret_len, struct sf_diag *d)
{
	size_t len = f->n * sizeof(*f->insns);
	char *buf = malloc(len + 1);

	if (!buf)
		return diag_fail(d, -ENOMEM, "cannot export the filter");
	memcpy(buf, f->insns, len);
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}
