/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "inputs.h"
#include "array.h"
#include "cleanup.h"
#include "io.h"
#include "profile_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void input_free(struct sf_input *x)
{
	free(x->name);
	for (size_t i = 0; i < x->n_paths; i++)
		free(x->paths[i]);
	free(x->paths);
	if (!x->borrowed)
		free(x->data);
}

int inputs_add(struct sf_inputs *in, const struct sf_input *x)
{
	struct sf_input c = { .kind = x->kind, .n_paths = 0 };

	c.name = strdup(x->name);
	if (!c.name)
		goto oom;
	if (x->n_paths) {
		c.paths = calloc(x->n_paths, sizeof(*c.paths));
		if (!c.paths)
			goto oom;
		for (; c.n_paths < x->n_paths; c.n_paths++) {
			c.paths[c.n_paths] = strdup(x->paths[c.n_paths]);
			if (!c.paths[c.n_paths])
				goto oom;
		}
	}
	if (x->kind == SF_INPUT_FILE && x->borrowed) {
		c.data = x->data;
		c.len = x->len;
		c.at = x->at;
		c.borrowed = true;
	} else if (x->kind == SF_INPUT_FILE) {
		c.data = malloc(x->len ? x->len : 1);
		if (!c.data)
			goto oom;
		if (x->len)
			memcpy(c.data, x->data, x->len);
		c.len = x->len;
	}
	if (ARRAY_RESERVE(in->v, in->cap, in->n + 1) < 0)
		goto oom;
	in->v[in->n++] = c;
	return 0;
oom:
	input_free(&c);
	return -ENOMEM;
}

void inputs_note_lookup(struct sf_inputs *in, const char *name, const char *path)
{
	char *paths[1] = { (char *)path };
	const struct sf_input x = { .kind = SF_INPUT_LOOKUP, .name = (char *)name, .paths = paths,
		.n_paths = path ? 1 : 0 };

	if (in && inputs_add(in, &x) < 0)
		in->failed = true;
}

void inputs_note_lookup_all(struct sf_inputs *in, const char *name, char *const *paths)
{
	size_t n = 0;

	if (!in)
		return;
	while (paths && paths[n])
		n++;
	if (inputs_add(in, &(struct sf_input){ .kind = SF_INPUT_LOOKUP_ALL, .name = (char *)name,
	    .paths = (char **)paths, .n_paths = n }) < 0)
		in->failed = true;
}

void inputs_note_file(struct sf_inputs *in, const char *path, const char *data, size_t len)
{
	if (in && inputs_add(in, &(struct sf_input){ .kind = SF_INPUT_FILE, .name = (char *)path,
	    .data = (char *)data, .len = len }) < 0)
		in->failed = true;
}

void inputs_clear(struct sf_inputs *in)
{
	for (size_t i = 0; i < in->n; i++)
		input_free(&in->v[i]);
	free(in->v);
	*in = (struct sf_inputs){ 0 };
}

static bool same_paths(const struct sf_input *x, char *const *paths, size_t n)
{
	if (n != x->n_paths)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(paths[i], x->paths[i]) != 0)
			return false;
	return true;
}

/* Whether the file still holds exactly x's bytes, compared as it is read
 * (no copy of the whole file). */
static int same_bytes(const struct sf_input *x, bool check_owner, int source_fd)
{
	off_t size = 0;
	_cleanup_close_ int fd = profile_open_file(x->name, check_owner, &size);
	/* A page each: bigger buffers cost more page faults than they save reads. */
	char buf[4096], want[4096];
	size_t at = 0;

	if (fd < 0)
		return fd;
	if (size != (off_t)x->len)	/* the size may still change while reading: compared below */
		return -ESTALE;
	for (;;) {
		ssize_t k = read_retry(fd, buf, sizeof(buf));

		if (k < 0)
			return (int)k;
		if (k == 0)
			break;
		if ((size_t)k > x->len - at)
			return -ESTALE;
		if (x->data) {
			if (memcmp(buf, x->data + at, (size_t)k) != 0)
				return -ESTALE;
		} else {
			ssize_t w = source_fd < 0 ? -1 : pread(source_fd, want, (size_t)k, x->at + (off_t)at);

			if (w != k)
				return w < 0 && source_fd >= 0 ? -errno : -ESTALE;
			if (memcmp(buf, want, (size_t)k) != 0)
				return -ESTALE;
		}
		at += (size_t)k;
	}
	return at == x->len ? 0 : -ESTALE;
}

static int replay_one(const struct sf_input *x, const struct sf_lookup *l, bool check_owner, int source_fd)
{
	switch (x->kind) {
	case SF_INPUT_LOOKUP: {
		_cleanup_free_ char *path = NULL;
		int r = lookup_find(l, x->name, &path);

		if (r < 0 && r != -ENOENT)
			return r;
		return same_paths(x, &path, r == 0 ? 1 : 0) ? 0 : -ESTALE;
	}
	case SF_INPUT_LOOKUP_ALL: {
		char **found = NULL;
		size_t n = 0;
		int r = lookup_find_all(l, x->name, &found);

		if (r < 0)
			return r;
		while (found[n])
			n++;
		r = same_paths(x, found, n) ? 0 : -ESTALE;
		strv_free(found);
		return r;
	}
	case SF_INPUT_FILE:
		return same_bytes(x, check_owner, source_fd);
	}
	return -EINVAL;
}

int inputs_replay_from(const struct sf_inputs *in, const struct sf_lookup *l, bool check_owner, int source_fd,
    const char **ret_what)
{
	for (size_t i = 0; i < in->n; i++) {
		int r = replay_one(&in->v[i], l, check_owner, source_fd);

		if (r < 0) {
			*ret_what = in->v[i].name;
			return r;
		}
	}
	return 0;
}
