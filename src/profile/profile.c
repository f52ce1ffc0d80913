/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Profile files → an ordered list of entries: see profile.h. */
#include "profile.h"
#include "array.h"
#include "cleanup.h"
#include "ini_reader.h"
#include "inputs.h"
#include "membuf.h"
#include "profile_file.h"
#include "rootrule.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const profile_sections[] = { "profile", "groups", "seccomp", "capabilities", "process", "limits",
	"filesystem", "network", "sandbox", NULL };

/* The same file may be read more than once (two includes of one base
 * profile each place its rules again, in order). This cap keeps a lattice of
 * includes, each level including the next twice, from multiplying into
 * millions of reads. */
#define PROFILE_MAX_READS 1024

/* The profile's copy of a file name, recorded once in p->files. */
static const char *intern_file(struct sf_profile *p, const char *file)
{
	const char *s = NULL;
	int r;

	if (ARRAY_RESERVE(p->files, p->cap_files, p->n_files + 1) < 0)
		return NULL;
	r = strpool_intern(&p->pool, file, &s);
	if (r < 0)
		return NULL;
	if (r > 0)
		p->files[p->n_files++] = (char *)s;
	return s;
}

static int append_entry(struct sf_profile *p, const struct sf_entry *e)
{
	if (ARRAY_RESERVE(p->entries, p->cap_entries, p->n_entries + 1) < 0)
		return -ENOMEM;
	p->entries[p->n_entries++] = *e;
	return 0;
}

int profile_add_file(struct sf_profile *p, const char *file)
{
	return intern_file(p, file) ? 0 : -ENOMEM;
}

int profile_add_entry(struct sf_profile *p, const char *section, const char *key, const char *value,
    const char *file, unsigned line)
{
	struct sf_entry e = { .line = line };

	for (size_t i = 0; profile_sections[i] && !e.section; i++)
		if (strcmp(profile_sections[i], section) == 0)
			e.section = profile_sections[i];
	if (!e.section)
		return -EINVAL;
	e.key = strpool_strdup(&p->pool, key);
	e.value = strpool_strdup(&p->pool, value);
	e.file = intern_file(p, file);
	if (!e.key || !e.value || !e.file)
		return -ENOMEM;
	return append_entry(p, &e);
}

static int out_of_memory(struct sf_diag *d)
{
	return diag_fail(d, -ENOMEM, "cannot read profile");
}

/* libinih r55 removes an inline comment (";" after whitespace) from the
 * first line of a value but not from its continuation lines; sysfence.profile(5) makes
 * no such difference. Returns a trimmed copy of value without the comment. */
static char *strip_comment(struct sf_profile *p, const char *value)
{
	size_t len = 0;

	while (value[len] && !(value[len] == ';' && len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t')))
		len++;
	while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t' || value[len - 1] == '\r'))
		len--;
	return strpool_strndup(&p->pool, value, len);
}

struct sf_profile *profile_new(void)
{
	return calloc(1, sizeof(struct sf_profile));
}

void profile_free(struct sf_profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->path);
	free(p->description);
	strpool_done(&p->pool);
	free(p->entries);
	free(p->files); /* its strings live in p->pool */
	free(p);
}

/* State of one ini_parse_stream() run; the handler's only state. */
struct parse {
	struct sf_profile *p;
	struct sf_ini_reader r;
	const char *key;	/* the key indented lines continue; NULL when its line was refused */
	size_t held;		/* entries profile_load holds outside p, for the cap */
	bool too_many;
};

/* inih's handler: one call per "key = value" line and per continuation
 * line. The section comes from the reader, which knows unknown sections
 * (inih would also cut long section names). */
static int parse_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;
	struct sf_ini_reader *r = &ps->r;
	struct sf_entry e;
	const char *sep;

	ini_reader_handled(r, name);
	if (!r->continuation) {
		ps->key = NULL;
		/* inih also splits "key: value" at a ':', as a concession to
		 * Python's configparser. sysfence refuses it: the format has one
		 * separator, and values often hold ':' ("nofile = 1024:4096"),
		 * so "allow: read = x" would otherwise quietly become a key
		 * "allow". inih splits at the first '=' or ':' of the line, so
		 * that is the one to look at. */
		sep = NULL;
		for (size_t i = 0; i < r->raw_len && !sep; i++)
			if (r->raw[i] == '=' || r->raw[i] == ':')
				sep = r->raw + i;
		if (sep && *sep == ':') {
			ini_reader_error(r, -EINVAL, false, "expected \"key = value\" (\":\" is not a separator)");
			return 1;
		}
		if (!*name) {
			ini_reader_error(r, -EINVAL, false, "expected \"key = value\"");
			return 1;
		}
		if (!r->section) {
			/* Keys of an unknown section were reported with it. */
			if (!r->in_unknown_section)
				ini_reader_error(r, -EINVAL, false, "key \"%s\" is outside any section", name);
			return 1;
		}
		ps->key = strpool_strdup(&ps->p->pool, name);
		if (!ps->key) {
			ini_reader_stop(r, out_of_memory(r->d));
			return 1;
		}
	}
	if (!ps->key)
		return 1;
	if (ps->p->n_entries + ps->held >= PROFILE_MAX_ENTRIES) {
		ps->too_many = true;
		ini_reader_error(r, -E2BIG, true, "too many entries (the limit is %d)", PROFILE_MAX_ENTRIES);
		return 1;
	}
	e = (struct sf_entry){
		.section = r->section,
		.key = ps->key,
		.value = r->continuation ? strip_comment(ps->p, value) : strpool_strdup(&ps->p->pool, value),
		.file = r->file,
		.line = r->line,
	};
	if (!e.value || append_entry(ps->p, &e) < 0)
		ini_reader_stop(r, out_of_memory(r->d));
	return 1;	/* errors are recorded above; inih's own record is not needed */
}

/* Parse text into entries appended to p. Sets *ret_too_many when the entry
 * cap stopped it. */
static int parse_buffer(struct sf_profile *p, const char *file, const char *text, size_t len, size_t held,
    bool *ret_too_many, struct sf_diag *d)
{
	struct parse ps = { .p = p, .held = held };
	const char *f = intern_file(p, file);
	int rc;

	if (!f)
		return out_of_memory(d);
	ini_reader_init(&ps.r, text, len, PROFILE_MAX_SIZE, f, profile_sections, d);
	rc = ini_parse_stream(ini_reader_read, &ps.r, parse_entry, &ps);
	rc = ini_reader_finish(&ps.r, rc);
	if (ret_too_many)
		*ret_too_many = ps.too_many;
	return rc;
}

int profile_parse_text(struct sf_profile *p, const char *file, const char *text, size_t len,
    struct sf_diag *d)
{
	return parse_buffer(p, file, text, len, 0, NULL, d);
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The profile NAME of a file: its basename without ".ini". */
static char *name_of(const char *path)
{
	const char *b = base_of(path);
	size_t len = strlen(b);

	if (len > 4 && strcmp(b + len - 4, ".ini") == 0)
		len -= 4;
	return strndup(b, len);
}

/* One file on the current include chain, for cycle detection. */
struct link {
	dev_t dev;
	ino_t ino;
	const char *path;
};

/* Where a problem with a file is reported: at the include line that names
 * it. Files that are not included (the main profile, the group library,
 * .local files) have no such line. */
struct origin {
	const char *file;
	unsigned line;
	const char *name;	/* the include value as written */
};

enum file_kind {
	FILE_MAIN,
	FILE_INCLUDED,
	FILE_LOCAL,
	FILE_LIBRARY,
};

struct load {
	const struct sf_lookup *l;
	bool check_owner;
	struct sf_inputs *rec;	/* NULL unless precompiling */
	struct sf_profile *p;
	struct sf_diag *d;
	/* Each include level holds at most a profile and one of its .local
	 * files (whose includes are the next level). */
	struct link chain[2 * (PROFILE_MAX_DEPTH + 1) + 1];
	size_t n_chain;
	size_t held;		/* own entries of files whose includes are being read */
	unsigned n_reads;
	bool abort;		/* a cap or ENOMEM: read nothing more */
	int error;		/* first negative errno */
};

/* Note a failure (already reported in c->d) and return it. */
static int load_fail(struct load *c, int r)
{
	if (r >= 0)
		r = -EINVAL;
	if (c->error == 0)
		c->error = r;
	if (r == -ENOMEM)
		c->abort = true;
	return r;
}

static int load_oom(struct load *c)
{
	return load_fail(c, out_of_memory(c->d));
}

/* The location of a problem with a file: its include line, or none. */
static struct sf_origin where(const struct origin *at)
{
	return at ? (struct sf_origin){ at->file, at->line } : (struct sf_origin){ NULL, 0 };
}

/* "include cycle: a.ini -> b.ini -> a.ini", from the first file of the cycle. */
static int report_cycle(struct load *c, size_t from, const char *path, const struct origin *at)
{
	_cleanup_membuf_ struct membuf mb = { 0 };
	_cleanup_free_ char *text = NULL;

	if (membuf_open(&mb) < 0)
		return -ENOMEM;
	for (size_t i = from; i < c->n_chain; i++)
		fprintf(mb.f, "%s -> ", base_of(c->chain[i].path));
	fputs(base_of(path), mb.f);
	text = membuf_take(&mb, NULL);
	if (!text)
		return -ENOMEM;
	return diag_at(c->d, where(at), -ELOOP, "include cycle: %s", text);
}

static int load_file(struct load *c, const char *path, unsigned level, enum file_kind kind, bool locals,
    const struct origin *at);

/* Follow one "include =" line: a NAME is looked up on the search path, a
 * path is relative to the directory of the file that includes it. */
static int load_include(struct load *c, const struct sf_entry *e, unsigned level, bool locals)
{
	_cleanup_free_ char *path = NULL;
	const struct origin at = { .file = e->file, .line = e->line, .name = e->value };
	const char *v = e->value;
	int r;

	if (!*v)
		return load_fail(
		    c, diag_at(c->d, profile_entry_at(e), -EINVAL, "\"include\" needs a profile name or path"));
	if (level + 1 > PROFILE_MAX_DEPTH)
		return load_fail(
		    c, diag_at(c->d, profile_entry_at(e), -ELOOP, "includes nested deeper than %d", PROFILE_MAX_DEPTH));
	if (v[0] == '/')
		path = strdup(v);
	else if (strchr(v, '/')) {
		_cleanup_free_ char *dir = path_dir(e->file);

		while (v[0] == '.' && v[1] == '/')	/* "./b.ini": keep messages tidy */
			for (v += 2; *v == '/'; v++)
				;
		if (dir && asprintf(&path, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", v) < 0)
			path = NULL;
	} else {
		_cleanup_free_ char *file = NULL;

		if (asprintf(&file, "%s.ini", v) < 0)
			return load_oom(c);
		r = lookup_find(c->l, file, &path);
		if (r == 0 || r == -ENOENT)
			inputs_note_lookup(c->rec, file, path);
		if (r == -ENOENT)
			return load_fail(
			    c, diag_at(c->d, profile_entry_at(e), -ENOENT, "cannot find included profile \"%s\"", v));
		if (r < 0)
			return load_oom(c);
	}
	if (!path)
		return load_oom(c);
	return load_file(c, path, level + 1, FILE_INCLUDED, locals, &at);
}

/* Apply every NAME.local on the search path, least specific first. */
static int load_locals(struct load *c, const char *path, unsigned level)
{
	_cleanup_free_ char *name = name_of(path), *file = NULL;
	char **found = NULL;

	if (!name || asprintf(&file, "%s.local", name) < 0)
		return load_oom(c);
	if (lookup_find_all(c->l, file, &found) < 0)
		return load_oom(c);
	inputs_note_lookup_all(c->rec, file, found);
	for (char **f = found; *f && !c->abort; f++)
		load_file(c, *f, level, FILE_LOCAL, /* locals= */ true, NULL);
	strv_free(found);
	return 0;
}

/* Append the value of a main profile's [profile] description line; several
 * lines (or continuation lines) are joined with a space. */
static int add_description(struct sf_profile *p, const char *value)
{
	char *s;

	if (!p->description)
		s = strdup(value);
	else if (asprintf(&s, "%s %s", p->description, value) < 0)
		s = NULL;
	if (!s)
		return -ENOMEM;
	free(p->description);
	p->description = s;
	return 0;
}

static bool is_profile_key(const struct sf_entry *e, const char *key)
{
	return strcmp(e->section, "profile") == 0 && strcmp(e->key, key) == 0;
}

/* Open, check and read one file (st gets its identity). The descriptor
 * goes to *fd (the caller's, closed by it) and stays open while the file's
 * includes are read, as the descriptors of the files that include it do.
 * Every problem is added to c->d; returns 0 and *ret (free it), or what
 * load_fail() returns. */
static int read_file(
    struct load *c, const char *path, const struct origin *at, int *fd, struct stat *st, char **ret, size_t *ret_len)
{
	const char *f = at ? at->file : NULL;
	unsigned line = at ? at->line : 0;
	int r;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is then
	 * refused as not a regular file. */
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (*fd < 0 && errno == ENOENT && at)
		return load_fail(c, diag_at(c->d, where(at), -ENOENT, "cannot find included profile \"%s\"", at->name));
	if (*fd < 0)
		return load_fail(c, diag_set(c->d, f, line, -errno, errno, "cannot open \"%s\"", path));
	if (fstat(*fd, st) < 0)
		return load_fail(c, diag_set(c->d, f, line, -errno, errno, "cannot read \"%s\"", path));
	if (!S_ISREG(st->st_mode))
		return load_fail(c, diag_at(c->d, where(at), -EINVAL, "\"%s\" is not a regular file", path));
	for (size_t i = 0; i < c->n_chain; i++)
		if (c->chain[i].dev == st->st_dev && c->chain[i].ino == st->st_ino)
			return load_fail(c, report_cycle(c, i, path, at));
	if (c->check_owner) {
		/* The message names the path itself; only an include has a line. */
		r = root_rule_check(path, *fd, st, f, line, c->d);
		if (r < 0)
			return r == -ENOMEM ? load_oom(c) : load_fail(c, r);
	}
	r = profile_read_fd(*fd, st->st_size, PROFILE_MAX_SIZE + 1, ret, ret_len);
	if (r == -ENOMEM)
		return load_oom(c);
	if (r < 0)
		return load_fail(c, diag_set(c->d, f, line, r, -r, "cannot read \"%s\"", path));
	return 0;
}

/* Parse one file and place its entries: its includes' first, then its own,
 * then its .local files'. Every problem is added to c->d and noted in
 * c->error; reading goes on unless c->abort is set. Returns 0, or the
 * negative errno that stopped this file (its includes' problems are only in
 * c->error). */
static int load_file(struct load *c, const char *path, unsigned level, enum file_kind kind, bool locals,
    const struct origin *at)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	_cleanup_free_ struct sf_entry *incs = NULL, *own = NULL;
	const char *file;
	size_t len = 0, start, n_incs = 0, n_own = 0;
	bool too_many = false;
	struct stat st;
	int r;

	if (c->abort)
		return -ECANCELED;
	if (++c->n_reads > PROFILE_MAX_READS) {
		c->abort = true;
		return load_fail(c,
		    diag_at(
			c->d, where(at), -ELOOP, "too many profile files read (the limit is %d)", PROFILE_MAX_READS));
	}
	r = read_file(c, path, at, &fd, &st, &buf, &len);
	if (r < 0)
		return r;
	inputs_note_file(c->rec, path, buf, len);
	file = intern_file(c->p, path);
	if (!file || c->n_chain >= ELEMENTSOF(c->chain))
		return load_oom(c);	/* the chain cannot overflow: see struct load */

	start = c->p->n_entries;
	r = parse_buffer(c->p, file, buf, len, c->held, &too_many, c->d);
	if (r < 0)
		load_fail(c, r);
	if (too_many)
		c->abort = true;
	free(TAKE_PTR(buf));

	/* Take this file's entries out of p, so its includes land before them. */
	incs = malloc((c->p->n_entries - start + 1) * sizeof(*incs));	/* filled before read */
	own = malloc((c->p->n_entries - start + 1) * sizeof(*own));
	if (!incs || !own)
		return load_oom(c);
	for (size_t i = start; i < c->p->n_entries; i++) {
		const struct sf_entry *e = &c->p->entries[i];

		if (is_profile_key(e, "include"))
			incs[n_incs++] = *e;
		else if (is_profile_key(e, "description")) {
			if (kind == FILE_MAIN && add_description(c->p, e->value) < 0)
				return load_oom(c);
		} else
			own[n_own++] = *e;
	}
	c->p->n_entries = start;

	c->chain[c->n_chain++] = (struct link){ .dev = st.st_dev, .ino = st.st_ino, .path = file };
	c->held += n_own;
	for (size_t i = 0; i < n_incs && !c->abort; i++)
		load_include(c, &incs[i], level, locals);
	c->held -= n_own;
	for (size_t i = 0; i < n_own; i++)
		if (append_entry(c->p, &own[i]) < 0) {
			c->n_chain--;
			return load_oom(c);
		}
	if (locals && kind != FILE_LOCAL && !c->abort)
		load_locals(c, path, level);
	c->n_chain--;
	return 0;
}

/* "cannot find profile", with the directories searched. */
static void report_not_found(struct load *c, const char *name)
{
	_cleanup_free_ char *dirs = lookup_dirs_text(c->l);

	if (!dirs)
		load_oom(c);
	else if (c->l->n == 0)
		load_fail(c, diag_msg(c->d, -ENOENT, "cannot find profile \"%s\" (no directory to search)", name));
	else
		load_fail(c, diag_msg(c->d, -ENOENT, "cannot find profile \"%s\" (searched: %s)", name, dirs));
}

int profile_load(const struct sf_lookup *l, const char *name_or_path, const struct sf_profile_opts *o,
    struct sf_profile **ret, struct sf_diag *d)
{
	static const struct sf_profile_opts defaults = { 0 };
	_cleanup_free_ char *path = NULL;
	struct sf_profile *p;
	struct load c;
	int r;

	if (!o)
		o = &defaults;
	p = profile_new();
	if (!p)
		return out_of_memory(d);
	c = (struct load){ .l = l, .check_owner = o->check_owner, .rec = o->record, .p = p, .d = d };

	if (o->load_group_library) {
		r = lookup_find(l, "groups.ini", &path);
		if (r == 0 || r == -ENOENT)
			inputs_note_lookup(c.rec, "groups.ini", path);
		if (r == 0)
			load_file(&c, path, 0, FILE_LIBRARY, /* locals= */ false, NULL);
		else if (r != -ENOENT)
			load_oom(&c);
		free(TAKE_PTR(path));
	}

	if (strchr(name_or_path, '/'))
		path = strdup(name_or_path);
	else {
		_cleanup_free_ char *file = NULL;

		/* An empty NAME would find a file called ".ini". */
		if (asprintf(&file, "%s.ini", name_or_path) < 0)
			r = -ENOMEM;
		else
			r = *name_or_path ? lookup_find(l, file, &path) : -ENOENT;
		if (*name_or_path && (r == 0 || r == -ENOENT))
			inputs_note_lookup(c.rec, file, path);
		if (r == -ENOENT)
			report_not_found(&c, name_or_path);
		else if (r < 0)
			load_oom(&c);
	}
	if (!c.error && !path)
		load_oom(&c);
	if (!c.error && path) {
		p->path = strdup(path);
		p->name = strchr(name_or_path, '/') ? name_of(path) : strdup(name_or_path);
		if (!p->path || !p->name)
			load_oom(&c);
		else
			load_file(&c, path, 0, FILE_MAIN, o->apply_local, NULL);
	}
	if (c.error && !(o->keep_partial && p->path && c.error != -ENOMEM)) {
		profile_free(p);
		return c.error;
	}
	*ret = p;
	return c.error;
}
