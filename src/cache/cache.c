/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Precompiled policies: see cache.h. The format is private to one build
 * (the key names the build ID), so it is native-endian and versioned only
 * to reject stale or foreign files cleanly:
 *
 *   magic, u32 format, u32 HEAD_LEN, head (HEAD_LEN bytes), data
 *
 * The head holds the key, the inputs (a recorded file as its length only),
 * the filter and the profile's entries; the data is every recorded file's
 * bytes, in order. A launch reads only the head: the bytes are compared
 * with the profile files straight from the entry (inputs_replay_from),
 * without a copy of them in memory. */
#include "cache.h"
#include "array.h"
#include "cache_int.h"
#include "cleanup.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_FORMAT 3u

/* Bounds a decoder accepts; a stored entry never comes near them. */
#define MAX_INPUTS 4096u
#define MAX_PATHS 1024u
#define MAX_STRING (1024u * 1024u + 1u)	/* a file's bytes: PROFILE_MAX_SIZE + 1 */
#define MAX_INSNS 4096u			/* BPF_MAXINSNS */
#define MAX_ENTRIES 100000u		/* PROFILE_MAX_ENTRIES */

/* ---- encoding ----------------------------------------------------------- */

struct out {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->oom)
		return;
	if (ARRAY_RESERVE(o->buf, o->cap, o->len + n) < 0) {
		o->oom = true;
		return;
	}
	if (n)
		memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void put_u32(struct out *o, uint32_t v)
{
	put(o, &v, sizeof(v));
}

static void put_bytes(struct out *o, const char *s, size_t n)
{
	put_u32(o, (uint32_t)n);
	put(o, s, n);
}

static void put_str(struct out *o, const char *s)
{
	put_bytes(o, s, strlen(s));
}

/* ---- key ---------------------------------------------------------------- */

/* Built with put() rather than stdio: this runs at every launch. */
static void put_text(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* "LEN:TEXT\n": length-prefixed, so no value can imitate a line. */
static void put_field(struct out *o, const char *s)
{
	char num[24];
	size_t n = strlen(s), i = sizeof(num);

	do
		num[--i] = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	put(o, num + i, sizeof(num) - i);
	put(o, ":", 1);
	put(o, s, strlen(s));
	put(o, "\n", 1);
}

char *cache_key(const char *build, const char *profile, const struct sf_overrides *ov)
{
	struct out k = { 0 };

	put_text(&k, build);
	put_text(&k, "profile ");
	put_field(&k, profile);
	for (size_t i = 0; ov && i < ov->n_rules; i++) {
		put_text(&k, "rule ");
		put_text(&k, ov->rules[i].action);
		put_text(&k, " ");
		put_field(&k, ov->rules[i].list);
	}
	if (ov && ov->default_action) {
		put_text(&k, "default-action ");
		put_field(&k, ov->default_action);
	}
	put(&k, "", 1);
	if (k.oom) {
		free(k.buf);
		return NULL;
	}
	return k.buf;
}

char *cache_file(const char *dir, const char *key)
{
	uint64_t h = UINT64_C(14695981039346656037);	/* FNV-1a */
	struct out p = { 0 };
	char hex[16];

	for (const unsigned char *s = (const unsigned char *)key; *s; s++)
		h = (h ^ *s) * UINT64_C(1099511628211);
	for (int i = 15; i >= 0; i--, h >>= 4)
		hex[i] = "0123456789abcdef"[h & 15];
	put_text(&p, dir);
	put(&p, "/", 1);
	put(&p, hex, sizeof(hex));
	put(&p, ".policy", sizeof(".policy"));
	if (p.oom) {
		free(p.buf);
		return NULL;
	}
	return p.buf;
}

static size_t file_index(const struct sf_profile *p, const char *file)
{
	for (size_t i = 0; i < p->n_files; i++)
		if (p->files[i] == file || strcmp(p->files[i], file) == 0)
			return i;
	return SIZE_MAX;
}

static bool filter_section(const char *section)
{
	return strcmp(section, "seccomp") == 0 || strcmp(section, "groups") == 0;
}

int cache_encode(const char *key, const struct sf_inputs *in, const struct sf_profile *p, const struct sf_filter *f,
    const struct sf_filter *f_root, size_t n_syscalls, char **ret, size_t *ret_len)
{
	struct out o = { 0 }, all = { 0 };
	uint32_t n_kept = 0;

	put_str(&o, key);

	put_u32(&o, (uint32_t)in->n);
	for (size_t i = 0; i < in->n; i++) {
		const struct sf_input *x = &in->v[i];

		put_u32(&o, (uint32_t)x->kind);
		put_str(&o, x->name);
		put_u32(&o, (uint32_t)x->n_paths);
		for (size_t k = 0; k < x->n_paths; k++)
			put_str(&o, x->paths[k]);
		if (x->kind == SF_INPUT_FILE)
			put_u32(&o, (uint32_t)x->len);	/* the bytes go to the data part */
	}

	put_u32(&o, f ? 1 : 0);
	put_u32(&o, f ? (uint32_t)f->n : 0);
	if (f)
		put(&o, f->insns, f->n * sizeof(*f->insns));
	put_u32(&o, (uint32_t)n_syscalls);
	put_u32(&o, f && f_root ? (uint32_t)f_root->n : 0);
	if (f && f_root)
		put(&o, f_root->insns, f_root->n * sizeof(*f_root->insns));

	put_str(&o, p->name ? p->name : "");
	put_str(&o, p->path ? p->path : "");
	put_u32(&o, (uint32_t)p->n_files);
	for (size_t i = 0; i < p->n_files; i++)
		put_str(&o, p->files[i]);
	for (size_t i = 0; i < p->n_entries; i++)
		n_kept += !filter_section(p->entries[i].section);
	put_u32(&o, n_kept);
	for (size_t i = 0; i < p->n_entries; i++) {
		const struct sf_entry *e = &p->entries[i];
		size_t fi = file_index(p, e->file);

		if (filter_section(e->section))
			continue;
		if (fi == SIZE_MAX) {
			free(o.buf);
			return -EINVAL;
		}
		put_str(&o, e->section);
		put_str(&o, e->key);
		put_str(&o, e->value);
		put_u32(&o, (uint32_t)fi);
		put_u32(&o, e->line);
	}
	put(&all, CACHE_MAGIC, strlen(CACHE_MAGIC));
	put_u32(&all, CACHE_FORMAT);
	put_u32(&all, (uint32_t)o.len);
	put(&all, o.buf, o.len);
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].kind == SF_INPUT_FILE)
			put(&all, in->v[i].data, in->v[i].len);
	free(o.buf);
	if (o.oom || all.oom || o.len > UINT32_MAX) {
		free(all.buf);
		return -ENOMEM;
	}
	*ret = all.buf;
	*ret_len = all.len;
	return 0;
}

/* ---- decoding ----------------------------------------------------------- */

struct in {
	const char *p;
	size_t left;
	bool bad;
};

static const char *take(struct in *c, size_t n)
{
	const char *s = c->p;

	if (c->bad || c->left < n) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return s;
}

static uint32_t get_u32(struct in *c, uint32_t max)
{
	const char *s = take(c, sizeof(uint32_t));
	uint32_t v;

	if (!s)
		return 0;
	memcpy(&v, s, sizeof(v));
	if (v > max) {
		c->bad = true;
		return 0;
	}
	return v;
}

/* Bytes that may hold anything (a file's contents); *ret_len set. */
static const char *get_bytes(struct in *c, size_t *ret_len)
{
	uint32_t n = get_u32(c, MAX_STRING);
	const char *s = take(c, n);

	*ret_len = s ? n : 0;
	return s;
}

/* A string: no NUL inside. Returns a malloc'd copy, or NULL (c->bad set,
 * or *oom on ENOMEM). */
static char *get_str(struct in *c, bool *oom)
{
	size_t n = 0;
	const char *s = get_bytes(c, &n);
	char *copy;

	if (!s)
		return NULL;
	if (memchr(s, '\0', n)) {
		c->bad = true;
		return NULL;
	}
	copy = strndup(s, n);
	if (!copy)
		*oom = true;
	return copy;
}

void cache_entry_free(struct sf_cache_entry *e)
{
	if (!e)
		return;
	free(e->key);
	inputs_clear(&e->inputs);
	if (e->fd >= 0)
		close(e->fd);
	filter_free(e->filter);
	filter_free(e->filter_root);
	profile_free(e->profile);
	free(e);
}

/* The inputs of the head. A recorded file's bytes are at *data_at in the
 * data part (advanced past them): in memory at data + offset when data is
 * given, else in the entry file at data_file_at + offset. */
static int decode_inputs(struct in *c, struct sf_inputs *ret, const char *data, uint64_t data_file_at,
    uint64_t *data_at, bool *oom)
{
	uint32_t n = get_u32(c, MAX_INPUTS);

	for (uint32_t i = 0; i < n && !c->bad && !*oom; i++) {
		struct sf_input x = { .kind = get_u32(c, SF_INPUT_FILE) };
		_cleanup_free_ char **paths = NULL;
		size_t n_paths = 0;

		x.name = get_str(c, oom);
		n_paths = get_u32(c, MAX_PATHS);
		if (!c->bad && !*oom && n_paths) {
			paths = calloc(n_paths, sizeof(*paths));
			if (!paths)
				*oom = true;
		}
		for (size_t k = 0; k < n_paths && !c->bad && !*oom; k++, x.n_paths++)
			paths[k] = get_str(c, oom);
		if ((x.kind == SF_INPUT_LOOKUP && x.n_paths > 1) || (x.kind == SF_INPUT_FILE && x.n_paths != 0))
			c->bad = true;
		if (x.kind == SF_INPUT_FILE) {
			x.len = get_u32(c, MAX_STRING);
			x.data = data ? (char *)data + *data_at : NULL;
			x.at = (off_t)(data_file_at + *data_at);
			x.borrowed = true;	/* not the record's to free: cache_decode() */
			*data_at += x.len;
		}
		x.paths = paths;
		if (!c->bad && !*oom && inputs_add(ret, &x) < 0)
			*oom = true;
		free(x.name);
		for (size_t k = 0; k < x.n_paths; k++)
			free(paths[k]);
	}
	return c->bad ? -EBADMSG : *oom ? -ENOMEM : 0;
}

/* A copy of n instructions into *ret. Returns 0 or -ENOMEM. */
static int filter_copy(const char *insns, uint32_t n, struct sf_filter **ret, bool *oom)
{
	struct sf_filter *f = calloc(1, sizeof(*f));

	if (f)
		f->insns = malloc((size_t)n * sizeof(struct sock_filter));
	if (!f || !f->insns) {
		free(f);
		*oom = true;
		return -ENOMEM;
	}
	memcpy(f->insns, insns, (size_t)n * sizeof(struct sock_filter));
	f->n = n;
	*ret = f;
	return 0;
}

static int decode_filter(struct in *c, struct sf_cache_entry *e, bool *oom)
{
	uint32_t has = get_u32(c, 1);
	uint32_t n = get_u32(c, MAX_INSNS);
	const char *insns = take(c, (size_t)n * sizeof(struct sock_filter));
	uint32_t n_root;
	const char *insns_root;
	int r;

	e->n_syscalls = get_u32(c, UINT32_MAX);
	n_root = get_u32(c, MAX_INSNS);
	insns_root = take(c, (size_t)n_root * sizeof(struct sock_filter));
	if (c->bad || (has && n == 0) || (!has && (n != 0 || n_root != 0)))
		return c->bad = true, -EBADMSG;
	e->has_filter = has;
	if (!has)
		return 0;
	r = filter_copy(insns, n, &e->filter, oom);
	if (r == 0 && n_root)
		r = filter_copy(insns_root, n_root, &e->filter_root, oom);
	return r;
}

static int decode_profile(struct in *c, struct sf_profile *p, bool *oom)
{
	uint32_t n_files, n_entries;
	_cleanup_free_ char **files = NULL;
	size_t have = 0;
	int r = 0;

	p->name = get_str(c, oom);
	p->path = get_str(c, oom);
	n_files = get_u32(c, MAX_INPUTS);
	if (c->bad || *oom)
		return c->bad ? -EBADMSG : -ENOMEM;
	files = calloc(n_files + 1, sizeof(*files));
	if (!files)
		return *oom = true, -ENOMEM;
	for (; have < n_files && !c->bad && !*oom; have++)
		files[have] = get_str(c, oom);
	for (size_t i = 0; i < have && !c->bad && !*oom; i++)
		if (profile_add_file(p, files[i]) < 0)
			*oom = true;
	n_entries = get_u32(c, MAX_ENTRIES);
	for (uint32_t i = 0; i < n_entries && !c->bad && !*oom && r == 0; i++) {
		_cleanup_free_ char *section = get_str(c, oom), *key = get_str(c, oom), *value = get_str(c, oom);
		uint32_t fi = get_u32(c, n_files ? n_files - 1 : 0);
		uint32_t line = get_u32(c, UINT32_MAX);

		if (c->bad || *oom)
			break;
		if (n_files == 0 || filter_section(section))
			c->bad = true;
		else
			r = profile_add_entry(p, section, key, value, files[fi], line);
		if (r == -EINVAL)
			c->bad = true;
		else if (r < 0)
			*oom = true;
	}
	for (size_t i = 0; i < have; i++)
		free(files[i]);
	return c->bad ? -EBADMSG : *oom ? -ENOMEM : 0;
}

/* The magic, format and head length at the start of buf. Returns the
 * head's length, or -EBADMSG. */
long cache_decode_prefix(const char *buf, size_t len)
{
	struct in c = { .p = buf, .left = len };
	const char *magic = take(&c, strlen(CACHE_MAGIC));
	uint32_t format, head_len;

	if (!magic || memcmp(magic, CACHE_MAGIC, strlen(CACHE_MAGIC)) != 0)
		return -EBADMSG;
	format = get_u32(&c, UINT32_MAX);
	head_len = get_u32(&c, CACHE_MAX_SIZE);
	if (c.bad || format != CACHE_FORMAT)
		return -EBADMSG;
	return (long)head_len;
}

int cache_decode_head(
    const char *head, size_t head_len, const char *data, uint64_t data_len, struct sf_cache_entry **ret)
{
	struct in c = { .p = head, .left = head_len };
	struct sf_cache_entry *e = calloc(1, sizeof(*e));
	uint64_t data_at = 0;
	bool oom = false;
	int r;

	if (!e)
		return -ENOMEM;
	e->fd = -1;
	e->profile = profile_new();
	if (!e->profile) {
		cache_entry_free(e);
		return -ENOMEM;
	}
	e->key = get_str(&c, &oom);
	r = c.bad ? -EBADMSG : oom ? -ENOMEM : 0;
	if (r == 0)
		r = decode_inputs(&c, &e->inputs, data, CACHE_PREFIX_LEN + head_len, &data_at, &oom);
	if (r == 0)
		r = decode_filter(&c, e, &oom);
	if (r == 0)
		r = decode_profile(&c, e->profile, &oom);
	if (r == 0 && (c.left != 0 || data_at != data_len))
		r = -EBADMSG;	/* trailing or missing bytes: not what we wrote */
	if (r < 0) {
		cache_entry_free(e);
		return r;
	}
	*ret = e;
	return 0;
}

int cache_decode(const char *buf, size_t len, struct sf_cache_entry **ret)
{
	long head_len = len >= CACHE_PREFIX_LEN ? cache_decode_prefix(buf, len) : -EBADMSG;

	if (head_len < 0 || (size_t)head_len > len - CACHE_PREFIX_LEN)
		return -EBADMSG;
	return cache_decode_head(buf + CACHE_PREFIX_LEN, (size_t)head_len, buf + CACHE_PREFIX_LEN + head_len,
	    len - CACHE_PREFIX_LEN - (size_t)head_len, ret);
}
