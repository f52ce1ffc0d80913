/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Precompiled policies (src/cache/cache.h, src/profile/inputs.h): an entry decodes to
 * exactly what was encoded (the record, the program, the kept entries);
 * a policy built from the kept entries has every setting the full
 * profile gives outside seccomp; the key and the file name; the decoder
 * refuses anything cache_encode() did not write; replaying a record
 * notices a changed byte, a new .local and a missing file. Pure and
 * unprivileged: nothing is loaded, no entry is stored. */
#include "cache.h"
#include "cleanup.h"
#include "diag.h"
#include "filter.h"
#include "inputs.h"
#include "lookup.h"
#include "policy.h"
#include "profile.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROFILES TEST_SOURCE_DIR "/profiles"
#define BUILD "test-build\n"
#define MAGIC "sysfence-precompiled\n"

/* What step 1 computes for one profile, as --precompile does. */
struct compiled {
	struct sf_inputs rec;
	struct sf_profile *p;
	struct sf_policy *pol;
	struct sf_filter *f;	/* NULL when the policy has no filter */
	struct sf_diag d;
};

static void print_diag(const struct sf_diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		_cleanup_free_ char *s = diag_format(&d->msgs[i]);

		printf("# %s\n", s ? s : "?");
	}
}

/* Read NAME through the search path dirs (":"-separated) with the group
 * library and .local files, recording every input; build the policy and
 * compile its filter. */
static bool compile_recorded(const char *dirs, const char *name, struct compiled *c)
{
	const struct sf_profile_opts po = { .load_group_library = true, .apply_local = true, .record = &c->rec };
	struct sf_lookup l = { 0 };
	bool ok;

	*c = (struct compiled){ 0 };
	ok = lookup_init(&l, dirs, NULL, NULL, NULL) == 0 && profile_load(&l, name, &po, &c->p, &c->d) == 0 &&
	    policy_build(c->p, NULL, &(struct sf_policy_opts){ 0 }, &c->pol, &c->d) == 0 &&
	    (!c->pol->has_filter || filter_build(&c->pol->filter, &c->f, &c->d) == 0);
	lookup_free(&l);
	print_diag(&c->d);
	return ok && !c->rec.failed;
}

static void compiled_clear(struct compiled *c)
{
	filter_free(c->f);
	policy_free(c->pol);
	profile_free(c->p);
	inputs_clear(&c->rec);
	diag_clear(&c->d);
	*c = (struct compiled){ 0 };
}

static bool same_str(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

static bool same_origin(struct sf_origin a, struct sf_origin b)
{
	return a.line == b.line && same_str(a.file, b.file);
}

/* ---- comparisons, each naming the first difference ------------------- */

static bool same_inputs(const struct sf_inputs *a, const struct sf_inputs *b)
{
	if (a->n != b->n) {
		printf("# %zu inputs, decoded %zu\n", a->n, b->n);
		return false;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct sf_input *x = &a->v[i], *y = &b->v[i];
		bool ok = x->kind == y->kind && strcmp(x->name, y->name) == 0 && x->n_paths == y->n_paths &&
		    x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);

		for (size_t k = 0; ok && k < x->n_paths; k++)
			ok = strcmp(x->paths[k], y->paths[k]) == 0;
		if (!ok) {
			printf("# input %zu (\"%s\") differs\n", i, x->name);
			return false;
		}
	}
	return true;
}

static bool same_filter(const struct sf_filter *a, const struct sf_filter *b)
{
	if (!a || !b)
		return a == b;
	return a->n == b->n && memcmp(a->insns, b->insns, a->n * sizeof(*a->insns)) == 0;
}

static bool dropped_section(const char *section)
{
	return strcmp(section, "groups") == 0 || strcmp(section, "seccomp") == 0;
}

/* b's entries are a's other than [groups] and [seccomp], in order. */
static bool same_kept_entries(const struct sf_profile *a, const struct sf_profile *b)
{
	size_t k = 0;

	for (size_t i = 0; i < a->n_entries; i++) {
		const struct sf_entry *x = &a->entries[i], *y = &b->entries[k];

		if (dropped_section(x->section))
			continue;
		if (k == b->n_entries) {
			printf("# entry %s:%u missing\n", x->file, x->line);
			return false;
		}
		if (strcmp(x->section, y->section) != 0 || strcmp(x->key, y->key) != 0 ||
		    strcmp(x->value, y->value) != 0 || strcmp(x->file, y->file) != 0 || x->line != y->line) {
			printf("# entry %s:%u differs from %s:%u\n", x->file, x->line, y->file, y->line);
			return false;
		}
		k++;
	}
	if (k != b->n_entries)
		printf("# %zu entries kept, decoded %zu\n", k, b->n_entries);
	return k == b->n_entries;
}

static bool same_files(const struct sf_profile *a, const struct sf_profile *b)
{
	if (a->n_files != b->n_files)
		return false;
	for (size_t i = 0; i < a->n_files; i++)
		if (strcmp(a->files[i], b->files[i]) != 0)
			return false;
	return true;
}

static bool same_env_items(const struct sf_env_item *a, const struct sf_env_item *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!same_str(a[i].text, b[i].text) || !same_origin(a[i].origin, b[i].origin))
			return false;
	return true;
}

static bool same_process(const struct sf_process_settings *a, const struct sf_process_settings *b)
{
	return a->new_session == b->new_session && same_origin(a->new_session_origin, b->new_session_origin) &&
	    a->die_with_parent == b->die_with_parent &&
	    same_origin(a->die_with_parent_origin, b->die_with_parent_origin) && a->close_fds == b->close_fds &&
	    same_origin(a->close_fds_origin, b->close_fds_origin) && a->has_umask == b->has_umask &&
	    a->umask == b->umask && same_origin(a->umask_origin, b->umask_origin) && same_str(a->chdir, b->chdir) &&
	    same_origin(a->chdir_origin, b->chdir_origin) && a->env_clear == b->env_clear &&
	    same_origin(a->env_clear_origin, b->env_clear_origin) && a->n_env_keep == b->n_env_keep &&
	    same_env_items(a->env_keep, b->env_keep, a->n_env_keep) && a->n_env_set == b->n_env_set &&
	    same_env_items(a->env_set, b->env_set, a->n_env_set);
}

static bool same_limits(const struct sf_limits_settings *a, const struct sf_limits_settings *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct sf_limit *x = &a->items[i], *y = &b->items[i];

		if (x->resource != y->resource || x->rl.rlim_cur != y->rl.rlim_cur ||
		    x->rl.rlim_max != y->rl.rlim_max || !same_origin(x->origin, y->origin))
			return false;
	}
	return true;
}

static bool same_fs(const struct sf_fs_settings *a, const struct sf_fs_settings *b)
{
	if (a->n != b->n || a->mode != b->mode || a->mode_set != b->mode_set ||
	    !same_origin(a->mode_origin, b->mode_origin))
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!same_str(a->paths[i].path, b->paths[i].path) || a->paths[i].optional != b->paths[i].optional ||
		    a->paths[i].access != b->paths[i].access || !same_origin(a->paths[i].origin, b->paths[i].origin))
			return false;
	return true;
}

static bool same_ports(const struct sf_port_list *a, const struct sf_port_list *b)
{
	if (a->set != b->set || a->n != b->n || !same_origin(a->origin, b->origin))
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->ranges[i].lo != b->ranges[i].lo || a->ranges[i].hi != b->ranges[i].hi)
			return false;
	return true;
}

static bool same_network(const struct sf_network_settings *a, const struct sf_network_settings *b)
{
	return a->has_families == b->has_families && a->families == b->families &&
	    same_origin(a->families_origin, b->families_origin) && same_ports(&a->connect_tcp, &b->connect_tcp) &&
	    same_ports(&a->bind_tcp, &b->bind_tcp);
}

/* ---- round trip ------------------------------------------------------- */

/* Encode c under key, decode it, and check that the entry is what was
 * encoded. Returns the entry (the caller frees it and buf), or NULL. */
static struct sf_cache_entry *round_trip(const char *name, const struct compiled *c, const char *key, char **ret_buf)
{
	struct sf_cache_entry *e = NULL;
	char *buf = NULL;
	size_t len = 0;

	CHECK_INT(cache_encode(key, &c->rec, c->p, c->f, NULL, c->pol->filter.n_syscalls, &buf, &len), 0);
	if (!buf)
		return NULL;
	CHECK_INT(cache_decode(buf, len, &e), 0);
	if (!e) {
		printf("# %s: does not decode\n", name);
		free(buf);
		return NULL;
	}
	CHECK_STR(e->key, key);
	CHECK(same_inputs(&c->rec, &e->inputs));
	CHECK_INT(e->has_filter, c->f != NULL);
	CHECK(same_filter(c->f, e->filter));
	CHECK_INT(e->n_syscalls, c->pol->filter.n_syscalls);
	CHECK(same_kept_entries(c->p, e->profile));
	CHECK(same_files(c->p, e->profile));
	CHECK_STR(e->profile->name, c->p->name);
	CHECK_STR(e->profile->path, c->p->path);
	*ret_buf = buf;
	return e;
}

/* A policy built from the decoded entries as a run from the cache builds
 * it has every setting of the full one that is not compiled into the
 * seccomp program. */
static void check_same_settings(const char *name, const struct sf_policy *full, const struct sf_profile *kept)
{
	struct sf_policy *pol = NULL;
	struct sf_diag d = { 0 };

	CHECK_INT(policy_build(kept, NULL, &(struct sf_policy_opts){ .filter_precompiled = true }, &pol, &d), 0);
	CHECK_INT(d.n, 0);
	print_diag(&d);
	diag_clear(&d);
	if (!pol)
		return;
	printf("# %s: settings\n", name);
	/* The program comes from the entry: no rule is built again, not even
	 * for [network] families. */
	CHECK(!pol->has_filter);
	CHECK_INT(pol->filter.n_syscalls, 0);
	CHECK_INT(pol->caps_changed, full->caps_changed);
	CHECK(pol->caps_keep == full->caps_keep);
	CHECK(same_origin(pol->caps_origin, full->caps_origin));
	CHECK_INT(pol->nnp, full->nnp);
	CHECK(same_origin(pol->nnp_origin, full->nnp_origin));
	CHECK_STR(pol->user, full->user);
	CHECK(same_origin(pol->user_origin, full->user_origin));
	CHECK_STR(pol->group, full->group);
	CHECK(same_origin(pol->group_origin, full->group_origin));
	CHECK(same_process(&pol->process, &full->process));
	CHECK(same_limits(&pol->limits, &full->limits));
	CHECK(same_fs(&pol->fs, &full->fs));
	CHECK(same_network(&pol->network, &full->network));
	policy_free(pol);
}

/* The shipped profiles have no [limits]: test_cache_settings_of_every_kept_key covers it. */
static const char *const kept_sections[] = { "capabilities", "process", "filesystem", "network" };

/* Every round-trip and settings check on one shipped profile; notes in
 * seen[] which of kept_sections it has (seen may be NULL). */
static void check_shipped(const char *name, bool *seen)
{
	struct compiled c;
	_cleanup_free_ char *key = cache_key(BUILD, name, NULL), *buf = NULL;
	struct sf_cache_entry *e = NULL;

	printf("# profile %s\n", name);
	CHECK(key != NULL);
	if (!compile_recorded(PROFILES, name, &c) || !key) {
		printf("# %s: does not compile\n", name);
		CHECK(false);
		compiled_clear(&c);
		return;
	}
	/* groups.ini looked up and read, NAME.ini looked up and read, NAME.local looked for. */
	CHECK(c.rec.n >= 5);
	for (size_t i = 0; seen && i < c.p->n_entries; i++)
		for (size_t s = 0; s < ELEMENTSOF(kept_sections); s++)
			seen[s] |= strcmp(c.p->entries[i].section, kept_sections[s]) == 0;
	e = round_trip(name, &c, key, &buf);
	if (e)
		check_same_settings(name, c.pol, e->profile);
	cache_entry_free(e);
	compiled_clear(&c);
}

static void test_cache_default_round_trips(void)
{
	check_shipped("default", NULL);
}

static int is_shipped_profile(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 4 && strcmp(de->d_name + n - 4, ".ini") == 0 && strcmp(de->d_name, "groups.ini") != 0;
}

/* Every profile in profiles/ but the group library. Between them they
 * have every section an entry keeps. */
static void test_cache_every_shipped_profile_round_trips(void)
{
	struct dirent **list = NULL;
	int n = scandir(PROFILES, &list, is_shipped_profile, alphasort);
	bool seen[ELEMENTSOF(kept_sections)] = { false };

	CHECK(n > 10);
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *name = strndup(list[i]->d_name, strlen(list[i]->d_name) - 4);

		CHECK(name != NULL);
		if (name)
			check_shipped(name, seen);
		free(list[i]);
	}
	free(list);
	for (size_t s = 0; s < ELEMENTSOF(kept_sections); s++) {
		printf("# a shipped profile has [%s]\n", kept_sections[s]);
		CHECK(seen[s]);
	}
}

/* ---- key and file name ------------------------------------------------ */

static void test_cache_key_tells_profiles_and_options_apart(void)
{
	struct sf_override_rule allow_read[] = { { "allow", "read", "--allow" } };
	struct sf_override_rule deny_read[] = { { "deny", "read", "--deny" } };
	struct sf_override_rule kill_read[] = { { "kill", "read", "--kill" } };
	struct sf_override_rule allow_write[] = { { "allow", "write", "--allow" } };
	struct sf_override_rule allow_both[] = { { "allow", "read", "--allow" }, { "allow", "write", "--allow" } };
	const struct sf_overrides opts[] = {
		{ .n_rules = 0 },
		{ .rules = allow_read, .n_rules = 1 },
		{ .rules = deny_read, .n_rules = 1 },
		{ .rules = kill_read, .n_rules = 1 },
		{ .rules = allow_write, .n_rules = 1 },
		{ .rules = allow_both, .n_rules = 2 },
		{ .default_action = "EPERM", .default_action_label = "--default-action" },
		{ .default_action = "allow", .default_action_label = "--default-action" },
		{ .rules = allow_read,
		    .n_rules = 1,
		    .default_action = "EPERM",
		    .default_action_label = "--default-action" },
	};
	char *keys[ELEMENTSOF(opts) + 2] = { NULL };
	size_t n = 0;

	for (size_t i = 0; i < ELEMENTSOF(opts); i++)
		keys[n++] = cache_key(BUILD, "default", &opts[i]);
	keys[n++] = cache_key(BUILD, "strict", NULL);
	keys[n++] = cache_key("other-build\n", "default", NULL);
	for (size_t i = 0; i < n; i++) {
		CHECK(keys[i] != NULL);
		for (size_t k = 0; k < i; k++)
			if (keys[i] && keys[k] && strcmp(keys[i], keys[k]) == 0) {
				printf("# keys %zu and %zu are the same\n", k, i);
				CHECK(false);
			}
	}
	/* No options and empty options are the same thing. */
	{
		_cleanup_free_ char *none = cache_key(BUILD, "default", NULL);

		CHECK_STR(none, keys[0]);
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
}

/* A value with a newline cannot pass for another line of the key: every
 * string is length-prefixed. */
static void test_cache_key_cannot_be_forged_with_a_newline(void)
{
	static const char forged[] = "x\nprofile 7:default";
	struct sf_override_rule one[] = { { "allow", forged, "--allow" } };
	struct sf_override_rule two[] = { { "allow", "x", "--allow" }, { "allow", "x", "--allow" } };
	struct sf_override_rule nested[] = { { "allow", "x\nrule allow 1:x", "--allow" } };
	const struct sf_overrides o_one = { .rules = one, .n_rules = 1 };
	const struct sf_overrides o_two = { .rules = two, .n_rules = 2 };
	const struct sf_overrides o_nested = { .rules = nested, .n_rules = 1 };
	_cleanup_free_ char *a = cache_key(BUILD, "other", &o_one), *b = cache_key(BUILD, "default", NULL);
	_cleanup_free_ char *c = cache_key(BUILD, "default", &o_two), *d = cache_key(BUILD, "default", &o_nested);
	_cleanup_free_ char *want = NULL;

	CHECK(a && b && strcmp(a, b) != 0);
	CHECK(c && d && strcmp(c, d) != 0);
	CHECK(asprintf(&want, "rule allow %zu:%s\n", strlen(forged), forged) > 0);
	CHECK(a && want && strstr(a, want) != NULL);
	CHECK(b && strstr(b, "profile 7:default\n") != NULL);
	CHECK(c && strstr(c, "rule allow 1:x\nrule allow 1:x\n") != NULL);
	CHECK(d && strstr(d, "rule allow 16:x\nrule allow 1:x\n") != NULL);
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return false;
	return true;
}

static void test_cache_file_is_dir_hash_policy(void)
{
	_cleanup_free_ char *k1 = cache_key(BUILD, "default", NULL), *k2 = cache_key(BUILD, "strict", NULL);
	const char *dir = "/var/cache/sysfence", *prefix = "/var/cache/sysfence/";
	_cleanup_free_ char *f1 = cache_file(dir, k1), *f1again = cache_file(dir, k1), *f2 = cache_file(dir, k2);

	CHECK(f1 && f1again && f2);
	if (!f1 || !f1again || !f2)
		return;
	CHECK_STR(f1, f1again);
	CHECK(strcmp(f1, f2) != 0);
	CHECK_INT(strlen(f1), strlen(prefix) + 16 + strlen(".policy"));
	CHECK(strncmp(f1, prefix, strlen(prefix)) == 0);
	CHECK(is_hex(f1 + strlen(prefix), 16));
	CHECK_STR(f1 + strlen(prefix) + 16, ".policy");
}

/* ---- a tiny profile in a temporary directory -------------------------- */

static char *make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *dir = NULL;

	if (asprintf(&dir, "%s/sf-cache-XXXXXX", t && *t ? t : "/tmp") < 0)
		return NULL;
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_tree(const char *dir)
{
	if (dir)
		CHECK_INT(nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS), 0);
}

static bool write_file(const char *dir, const char *name, const char *data, size_t len, const char *mode)
{
	_cleanup_free_ char *path = NULL;
	FILE *f;
	bool ok;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return false;
	f = fopen(path, mode);
	if (!f)
		return false;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

static bool write_text(const char *dir, const char *name, const char *text)
{
	return write_file(dir, name, text, strlen(text), "w");
}

/* Copy profiles/NAME into dir. */
static bool copy_shipped(const char *dir, const char *name)
{
	_cleanup_free_ char *src = NULL, *data = NULL;
	size_t size = 0;
	FILE *in, *m;
	int ch;

	if (asprintf(&src, "%s/%s", PROFILES, name) < 0)
		return false;
	in = fopen(src, "r");
	if (!in)
		return false;
	m = open_memstream(&data, &size);
	while (m && (ch = fgetc(in)) != EOF)
		fputc(ch, m);
	fclose(in);
	if (!m || fclose(m) != 0)
		return false;
	return write_file(dir, name, data, size, "w");
}

static const char tiny_main[] =
	"[profile]\n"
	"include = tiny-base\n"
	"[seccomp]\n"
	"default-action = EPERM\n"
	"allow = read write exit_group\n"
	"[process]\n"
	"umask = 077\n";
static const char tiny_base[] =
	"[seccomp]\n"
	"allow = close\n"
	"[limits]\n"
	"nofile = 64\n";

/* A small valid entry: tiny.ini including tiny-base.ini in a new
 * directory (removed again), loaded with a record. */
static bool tiny_encoding(char **ret, size_t *ret_len)
{
	_cleanup_free_ char *dir = make_tmpdir(), *key = cache_key(BUILD, "tiny", NULL);
	struct compiled c = { 0 };
	bool ok;

	ok = dir && key && write_text(dir, "tiny.ini", tiny_main) && write_text(dir, "tiny-base.ini", tiny_base) &&
	    compile_recorded(dir, "tiny", &c) && c.f &&
	    cache_encode(key, &c.rec, c.p, c.f, NULL, c.pol->filter.n_syscalls, ret, ret_len) == 0;
	compiled_clear(&c);
	rm_tree(dir);
	return ok;
}

/* cache_decode() of a copy of exactly len bytes, so that the sanitizers
 * see any read past the end. Checks that *ret is written only on success. */
static int decode_exact(const char *buf, size_t len)
{
	struct sf_cache_entry *e = NULL;
	char *copy = malloc(len ? len : 1);
	int r;

	if (!copy)
		return -ENOMEM;
	if (len)
		memcpy(copy, buf, len);
	r = cache_decode(copy, len, &e);
	if ((r == 0) != (e != NULL))
		CHECK(false);	/* *ret is written only on success */
	cache_entry_free(e);
	free(copy);
	return r;
}

static void put_u32_at(char *buf, size_t at, uint32_t v)
{
	memcpy(buf + at, &v, sizeof(v));
}

static void test_cache_decode_rejects_damage(void)
{
	_cleanup_free_ char *buf = NULL, *longer = NULL, *bad = NULL, *key = cache_key(BUILD, "tiny", NULL);
	/* After the magic: the format, the head's length, then the key's
	 * length and the key. */
	const size_t key_at = strlen(MAGIC) + 8;
	size_t len = 0, key_len = key ? strlen(key) : 0;
	size_t prefixes_ok = 0;
	uint32_t stored_key_len;

	CHECK(tiny_encoding(&buf, &len));
	if (!buf || !key)
		return;
	CHECK_INT(decode_exact(buf, len), 0);
	CHECK(memcmp(buf, MAGIC, strlen(MAGIC)) == 0);
	memcpy(&stored_key_len, buf + key_at, sizeof(stored_key_len));
	CHECK_INT(stored_key_len, key_len);
	if (stored_key_len != key_len || len < key_at + 4 + key_len + 4)
		return;

	for (size_t n = 0; n < len; n++)
		prefixes_ok += decode_exact(buf, n) == -EBADMSG;
	CHECK_INT(prefixes_ok, len);

	longer = malloc(len + 1);
	bad = malloc(len);
	if (!longer || !bad)
		return;
	memcpy(longer, buf, len);
	longer[len] = '\0';
	CHECK_INT(decode_exact(longer, len + 1), -EBADMSG);

	memcpy(bad, buf, len);
	bad[0] ^= 1;
	CHECK_INT(decode_exact(bad, len), -EBADMSG);	/* magic */

	memcpy(bad, buf, len);
	put_u32_at(bad, strlen(MAGIC), 1);
	CHECK_INT(decode_exact(bad, len), -EBADMSG);	/* format (1: before the head/data split) */

	memcpy(bad, buf, len);
	put_u32_at(bad, strlen(MAGIC) + 4, (uint32_t)(len - strlen(MAGIC) - 8 + 1));
	CHECK_INT(decode_exact(bad, len), -EBADMSG);	/* a head longer than the entry */

	memcpy(bad, buf, len);
	bad[key_at + 4 + 3] = '\0';
	CHECK_INT(decode_exact(bad, len), -EBADMSG);	/* NUL inside the key */

	memcpy(bad, buf, len);
	put_u32_at(bad, key_at, UINT32_MAX);
	CHECK_INT(decode_exact(bad, len), -EBADMSG);	/* the key's length */

	memcpy(bad, buf, len);
	put_u32_at(bad, key_at + 4 + key_len, UINT32_MAX);
	CHECK_INT(decode_exact(bad, len), -EBADMSG);	/* the number of inputs */

	memcpy(bad, buf, len);
	put_u32_at(bad, key_at + 4 + key_len, 0);
	CHECK_INT(decode_exact(bad, len), -EBADMSG);	/* fewer inputs: the rest does not parse */
}

/* Any single damaged byte decodes or is refused, never anything else. */
static void test_cache_decode_survives_every_flipped_byte(void)
{
	static const unsigned char masks[] = { 0x01, 0x80, 0xff };
	_cleanup_free_ char *buf = NULL, *bad = NULL;
	size_t len = 0, refused = 0, accepted = 0, other = 0;

	CHECK(tiny_encoding(&buf, &len));
	bad = malloc(len ? len : 1);
	if (!buf || !bad)
		return;
	for (size_t i = 0; i < len; i++)
		for (size_t m = 0; m < ELEMENTSOF(masks); m++) {
			int r;

			memcpy(bad, buf, len);
			((unsigned char *)bad)[i] ^= masks[m];
			r = decode_exact(bad, len);
			if (r == 0)
				accepted++;
			else if (r == -EBADMSG)
				refused++;
			else {
				printf("# byte %zu ^ %#x: %s\n", i, masks[m], strerror(-r));
				other++;
			}
		}
	printf("# %zu bytes: %zu damaged copies accepted, %zu refused\n", len, accepted, refused);
	CHECK_INT(other, 0);
	CHECK(refused > 0);
	CHECK(accepted > 0);	/* a changed byte of a recorded file's contents is still well-formed */
}

/* An entry without a seccomp program. Every policy has one now (a profile
 * without default-action is refused), but the format keeps room for an
 * entry without it, and the decoder must read that back exactly. */
static void test_cache_round_trips_without_filter(void)
{
	_cleanup_free_ char *dir = make_tmpdir(), *key = cache_key(BUILD, "nofilter", NULL), *buf = NULL;
	struct sf_cache_entry *e = NULL;
	struct compiled c = { 0 };

	CHECK(dir && key);
	CHECK(dir && write_text(dir, "nofilter.ini",
	    "[seccomp]\ndefault-action = allow\n[process]\nenv-clear = yes\nenv-keep = PATH LC_*\n[network]\nconnect-tcp = 443\n"));
	if (dir && key && compile_recorded(dir, "nofilter", &c)) {
		filter_free(c.f);
		c.f = NULL;
		e = round_trip("nofilter", &c, key, &buf);
		CHECK(e && !e->has_filter && !e->filter);
		if (e)
			check_same_settings("nofilter", c.pol, e->profile);
	} else {
		printf("# nofilter: does not compile\n");
		CHECK(false);
	}
	cache_entry_free(e);
	compiled_clear(&c);
	rm_tree(dir);
}

/* Every key of every section an entry keeps, across a profile, its include
 * and its .local; a [groups] group used by [seccomp]. */
static const char every_main[] =
	"[profile]\n"
	"include = every-base\n"
	"[groups]\n"
	"@mine = read write\n"
	"[seccomp]\n"
	"default-action = EPERM\n"
	"allow = @mine exit_group\n"
	"[capabilities]\n"
	"drop = all\n"
	"keep = net_bind_service chown\n"
	"user = nobody\n"
	"group = nogroup\n"
	"[process]\n"
	"no-new-privs = yes\n"
	"new-session = yes\n"
	"die-with-parent = yes\n"
	"close-fds = yes\n"
	"umask = 027\n"
	"chdir = /tmp\n"
	"env-clear = yes\n"
	"env-keep = PATH LC_*\n"
	"env-set = A=b\n"
	"[limits]\n"
	"nofile = 64:128\n"
	"stack = 8M:unlimited\n"
	"[filesystem]\n"
	"read-only = /usr -/opt/none\n"
	"read-write = /tmp\n"
	"execute = /usr/bin\n"
	"landlock = best-effort\n"
	"[network]\n"
	"families = unix inet\n"
	"connect-tcp = 80 443\n"
	"bind-tcp = 8000-8080\n";
static const char every_base[] =
	"[seccomp]\n"
	"allow = close\n"
	"[limits]\n"
	"nproc = 100\n"
	"[process]\n"
	"env-set = B=c\n";
static const char every_local[] =
	"[limits]\n"
	"nofile = 32:128\n"
	"[network]\n"
	"connect-tcp = 8443\n";

static void test_cache_settings_of_every_kept_key(void)
{
	_cleanup_free_ char *dir = make_tmpdir(), *key = cache_key(BUILD, "every", NULL), *buf = NULL;
	struct sf_cache_entry *e = NULL;
	struct compiled c = { 0 };
	bool ok;

	ok = dir && key && write_text(dir, "every.ini", every_main) && write_text(dir, "every-base.ini", every_base) &&
	    write_text(dir, "every.local", every_local);
	CHECK(ok);
	if (ok && compile_recorded(dir, "every", &c)) {
		CHECK(c.f != NULL);
		CHECK_INT(c.pol->limits.n, 3);
		CHECK_INT(c.pol->process.n_env_set, 2);
		CHECK_INT(c.pol->fs.n, 4);
		CHECK_INT(c.pol->network.connect_tcp.n, 3);
		e = round_trip("every", &c, key, &buf);
		if (e)
			check_same_settings("every", c.pol, e->profile);
	} else {
		printf("# every: does not compile\n");
		CHECK(false);
	}
	cache_entry_free(e);
	compiled_clear(&c);
	rm_tree(dir);
}

/* ---- replay ----------------------------------------------------------- */

/* gzip.ini (which includes default) with groups.ini, copied into a new
 * directory and loaded from there with a record. */
struct replay_case {
	char *dir;
	struct sf_lookup l;
	struct sf_inputs rec;
};

static bool replay_setup(struct replay_case *rc)
{
	const struct sf_profile_opts po = { .load_group_library = true, .apply_local = true, .record = &rc->rec };
	struct sf_profile *p = NULL;
	struct sf_diag d = { 0 };
	bool ok;

	*rc = (struct replay_case){ .dir = make_tmpdir() };
	ok = rc->dir && copy_shipped(rc->dir, "groups.ini") && copy_shipped(rc->dir, "default.ini") &&
	    copy_shipped(rc->dir, "gzip.ini") && lookup_init(&rc->l, rc->dir, NULL, NULL, NULL) == 0 &&
	    profile_load(&rc->l, "gzip", &po, &p, &d) == 0 && !rc->rec.failed;
	print_diag(&d);
	diag_clear(&d);
	profile_free(p);
	CHECK(ok);
	return ok;
}

static void replay_clear(struct replay_case *rc)
{
	rm_tree(rc->dir);
	free(rc->dir);
	lookup_free(&rc->l);
	inputs_clear(&rc->rec);
}

static int replay(const struct replay_case *rc, const char **ret_what)
{
	*ret_what = NULL;
	return inputs_replay_from(&rc->rec, &rc->l, /* check_owner= */ false, /* source_fd= */ -1, ret_what);
}

static void test_inputs_replay_unchanged_is_0(void)
{
	struct replay_case rc;
	const char *what = NULL;
	size_t files = 0, lookups = 0, lookup_alls = 0;

	if (replay_setup(&rc)) {
		for (size_t i = 0; i < rc.rec.n; i++)
			switch (rc.rec.v[i].kind) {
			case SF_INPUT_LOOKUP:
				lookups++;
				break;
			case SF_INPUT_LOOKUP_ALL:
				lookup_alls++;
				break;
			case SF_INPUT_FILE:
				files++;
				break;
			}
		CHECK_INT(files, 3);
		CHECK_INT(lookups, 3);		/* groups.ini, gzip.ini, default.ini */
		CHECK_INT(lookup_alls, 2);	/* default.local, gzip.local */
		CHECK_INT(replay(&rc, &what), 0);
		CHECK_INT(replay(&rc, &what), 0);	/* replaying changes nothing */
	}
	replay_clear(&rc);
}

static void test_inputs_replay_notices_an_appended_byte(void)
{
	struct replay_case rc;
	_cleanup_free_ char *want = NULL;
	const char *what = NULL;

	if (replay_setup(&rc) && asprintf(&want, "%s/default.ini", rc.dir) > 0) {
		CHECK(write_file(rc.dir, "default.ini", "\n", 1, "a"));
		CHECK_INT(replay(&rc, &what), -ESTALE);
		CHECK_STR(what, want);
	}
	replay_clear(&rc);
}

static void test_inputs_replay_notices_a_changed_byte_of_the_same_size(void)
{
	struct replay_case rc;
	_cleanup_free_ char *path = NULL;
	const char *what = NULL;
	int fd = -1;

	if (replay_setup(&rc) && asprintf(&path, "%s/gzip.ini", rc.dir) > 0) {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		CHECK(fd >= 0 && pwrite(fd, "X", 1, 0) == 1);
		if (fd >= 0)
			close(fd);
		CHECK_INT(replay(&rc, &what), -ESTALE);
		CHECK_STR(what, path);
	}
	replay_clear(&rc);
}

static void test_inputs_replay_notices_a_new_local(void)
{
	struct replay_case rc;
	const char *what = NULL;

	if (replay_setup(&rc)) {
		CHECK(write_text(rc.dir, "gzip.local", "[process]\numask = 077\n"));
		CHECK(replay(&rc, &what) < 0);
		CHECK_STR(what, "gzip.local");
	}
	replay_clear(&rc);
}

static void test_inputs_replay_notices_a_removed_file(void)
{
	struct replay_case rc;
	_cleanup_free_ char *path = NULL;
	const char *what = NULL;

	if (replay_setup(&rc) && asprintf(&path, "%s/default.ini", rc.dir) > 0) {
		CHECK_INT(unlink(path), 0);
		CHECK(replay(&rc, &what) < 0);
		CHECK_STR(what, "default.ini");	/* the lookup no longer finds it */
	}
	replay_clear(&rc);
}

/* A recorded file the lookup still finds but that is no longer a regular
 * file: reading it as profile_load() fails. */
static void test_inputs_replay_notices_an_unreadable_file(void)
{
	struct replay_case rc;
	_cleanup_free_ char *path = NULL;
	const char *what = NULL;

	if (replay_setup(&rc) && asprintf(&path, "%s/groups.ini", rc.dir) > 0) {
		CHECK_INT(unlink(path), 0);
		CHECK_INT(mkdir(path, 0755), 0);
		CHECK(replay(&rc, &what) < 0);
		CHECK_STR(what, path);
	}
	replay_clear(&rc);
}

int main(void)
{
	RUN(test_cache_default_round_trips);
	RUN(test_cache_every_shipped_profile_round_trips);
	RUN(test_cache_round_trips_without_filter);
	RUN(test_cache_settings_of_every_kept_key);
	RUN(test_cache_key_tells_profiles_and_options_apart);
	RUN(test_cache_key_cannot_be_forged_with_a_newline);
	RUN(test_cache_file_is_dir_hash_policy);
	RUN(test_cache_decode_rejects_damage);
	RUN(test_cache_decode_survives_every_flipped_byte);
	RUN(test_inputs_replay_unchanged_is_0);
	RUN(test_inputs_replay_notices_an_appended_byte);
	RUN(test_inputs_replay_notices_a_changed_byte_of_the_same_size);
	RUN(test_inputs_replay_notices_a_new_local);
	RUN(test_inputs_replay_notices_a_removed_file);
	RUN(test_inputs_replay_notices_an_unreadable_file);
	return tap_done();
}
