/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "membuf.h"

#include <errno.h>
#include <stdlib.h>

int membuf_open(struct membuf *m)
{
	*m = (struct membuf){ 0 };
	m->f = open_memstream(&m->buf, &m->len);
	return m->f ? 0 : -ENOMEM;
}

char *membuf_take(struct membuf *m, size_t *ret_len)
{
	char *s;

	if (!m->f)
		return NULL;
	/* fclose() fails when a write ran out of memory: the text is then
	 * incomplete, and is dropped. */
	if (fclose(m->f) != 0) {
		m->f = NULL;
		membuf_done(m);
		return NULL;
	}
	m->f = NULL;
	s = m->buf;
	if (ret_len)
		*ret_len = m->len;
	m->buf = NULL;
	m->len = 0;
	return s;
}

void membuf_done(struct membuf *m)
{
	if (m->f)
		fclose(m->f);
	free(m->buf);
	*m = (struct membuf){ 0 };
}
