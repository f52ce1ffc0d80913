/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Profile reading: INI text → entries with file:line, includes, .local
 * files, caps and the root ownership rule. */
#include "cleanup.h"
#include "diag.h"
#include "lookup.h"
#include "profile.h"
#include "tap.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TEST_FIXTURES
#define TEST_FIXTURES "tests/fixtures"	/* when built by hand from the top directory */
#endif

#define FIX TEST_FIXTURES "/profile"

static char tmp[] = "/tmp/sf-profile-XXXXXX";
static bool skipped_root_cases;

/* s with every occurrence of from replaced by to. */
static char *replace_all(const char *s, const char *from, const char *to)
{
	char *out = NULL;
	size_t size = 0, n = strlen(from);
	FILE *m = open_memstream(&out, &size);

	while (*s) {
		if (n && strncmp(s, from, n) == 0) {
			fputs(to, m);
			s += n;
		} else
			fputc(*s++, m);
	}
	fclose(m);
	return out;
}

/* Paths in expected texts: "T/" is the temporary directory, "F/" the
 * fixture directory tests/fixtures/profile. One pass, and only where a
 * word starts: the temporary directory's random name may itself end in
 * "F" or "T" (it did, once in 60 runs). */
static char *expand(const char *s)
{
	_cleanup_free_ char *tdir = NULL;
	char *out = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&out, &size);

	if (!m || asprintf(&tdir, "%s/", tmp) < 0)
		abort();
	for (const char *p = s; *p;) {
		bool start = p == s || !isalnum((unsigned char)p[-1]);

		if (start && strncmp(p, "T/", 2) == 0) {
			fputs(tdir, m);
			p += 2;
		} else if (start && strncmp(p, "F/", 2) == 0) {
			fputs(FIX "/", m);
			p += 2;
		} else
			fputc(*p++, m);
	}
	fclose(m);
	return out;
}

static char *shorten(const char *s)
{
	_cleanup_free_ char *t = replace_all(s, FIX "/", "F/");
	_cleanup_free_ char *tdir = NULL;

	if (asprintf(&tdir, "%s/", tmp) < 0)
		abort();
	return replace_all(t, tdir, "T/");
}

/* One line per entry: "FILE:LINE section.key=value", or without "FILE:"
 * when with_file is false. */
static char *render_entries(const struct sf_profile *p, bool with_file)
{
	_cleanup_free_ char *s = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&s, &size);

	for (size_t i = 0; p && i < p->n_entries; i++) {
		const struct sf_entry *e = &p->entries[i];

		if (with_file)
			fprintf(m, "%s:", e->file);
		fprintf(m, "%u %s.%s=%s\n", e->line, e->section, e->key, e->value);
	}
	fclose(m);
	return shorten(s);
}

/* One line per message, as main prints it. */
static char *render_diag(const struct sf_diag *d)
{
	_cleanup_free_ char *s = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&s, &size);

	for (size_t i = 0; i < d->n; i++) {
		_cleanup_free_ char *line = diag_format(&d->msgs[i]);

		fprintf(m, "%s\n", line);
	}
	fclose(m);
	return shorten(s);
}

struct parse_case {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *entries;	/* "LINE section.key=value\n" each */
	const char *errors;	/* "sysfence: t.ini:LINE: text\n" each */
};

static const struct parse_case parse_cases[] = {
	{ "empty file", "", 0, "", "" },
	{ "comments only", "# one\n; two\n\n   \n\t# indented\n", 0, "", "" },
	{ "comments and inline comments",
	    "# comment\n; comment\n[seccomp]\nallow = read ; inline\nkill = a;b\ndeny = x #y\n  # indented\n", 0,
	    "4 seccomp.allow=read\n5 seccomp.kill=a;b\n6 seccomp.deny=x #y\n", "" },
	{ "continuation lines are entries of the same key",
	    "[seccomp]\nallow = read\n  write\n\twritev ; comment\n\n  pread64\nkill = ptrace\n", 0,
	    "2 seccomp.allow=read\n3 seccomp.allow=write\n4 seccomp.allow=writev\n6 seccomp.allow=pread64\n"
	    "7 seccomp.kill=ptrace\n", "" },
	{ "an indented first key is a key",
	    "[seccomp]\n  allow = read\n", 0, "2 seccomp.allow=read\n", "" },
	{ "repeated keys and sections append",
	    "[seccomp]\nallow = read\n[network]\nfamilies = unix\n[seccomp]\nallow = write\n", 0,
	    "2 seccomp.allow=read\n4 network.families=unix\n6 seccomp.allow=write\n", "" },
	{ "every known section", "[profile]\n[groups]\n[seccomp]\n[capabilities]\n[process]\n[limits]\n"
	    "[filesystem]\n[network]\nfamilies = unix\n", 0, "9 network.families=unix\n", "" },
	{ "values keep '=' and ':'",
	    "[process]\nenv-set = FOO=bar\n[limits]\nnofile = 1024:4096\nempty =\n", 0,
	    "2 process.env-set=FOO=bar\n4 limits.nofile=1024:4096\n5 limits.empty=\n", "" },
	{ "unknown section with a hint, its keys skipped",
	    "[seccomp]\nallow = read\n[filesytem]\nread-only = /usr\n  /etc\n[network]\nfamilies = unix\n", 0,
	    "2 seccomp.allow=read\n7 network.families=unix\n",
	    "sysfence: t.ini:3: unknown section [filesytem] (did you mean [filesystem]?)\n" },
	{ "unknown section without keys", "[seccomp]\n[Network]\n[bogus]\n", 0, "",
	    "sysfence: t.ini:2: unknown section [Network] (did you mean [network]?)\n"
	    "sysfence: t.ini:3: unknown section [bogus]\n" },
	{ "section with no keys", "[seccomp]\n[network]\n", 0, "", "" },
	{ "malformed lines are each reported",
	    "[seccomp]\nallow\nkill = ptrace\ndeny ;= x\n= read\n", 0, "3 seccomp.kill=ptrace\n",
	    "sysfence: t.ini:2: expected \"key = value\"\n"
	    "sysfence: t.ini:4: expected \"key = value\"\n"
	    "sysfence: t.ini:5: expected \"key = value\"\n" },
	{ "after a line without a key, an indented line is a key line (as in inih)",
	    "[seccomp]\n= read\n  kill = ptrace\n", 0, "3 seccomp.kill=ptrace\n",
	    "sysfence: t.ini:2: expected \"key = value\"\n" },
	{ "':' is not a separator, and its continuation is dropped",
	    "[seccomp]\nallow: read\n  write\nkill = x:y\n", 0, "4 seccomp.kill=x:y\n",
	    "sysfence: t.ini:2: expected \"key = value\" (\":\" is not a separator)\n" },
	{ "key outside any section", "allow = read\n[seccomp]\n", 0, "",
	    "sysfence: t.ini:1: key \"allow\" is outside any section\n" },
	{ "broken section headers",
	    "[seccomp\nallow = read\n[network] families = unix\n[seccomp] ; fine\n[process ;]\n", 0, "",
	    "sysfence: t.ini:1: missing \"]\" after section name\n"
	    "sysfence: t.ini:2: key \"allow\" is outside any section\n"
	    "sysfence: t.ini:3: unexpected text after [network]\n"
	    "sysfence: t.ini:5: missing \"]\" after section name\n" },
	{ "an indented header continues the previous value (as in inih)",
	    "[seccomp]\nallow = read\n  [network]\n", 0, "2 seccomp.allow=read\n3 seccomp.allow=[network]\n", "" },
	{ "NUL byte stops the file", "[seccomp]\nallow = a\nkill = b\0c\nallow = d\n", 34,
	    "2 seccomp.allow=a\n", "sysfence: t.ini:3: invalid byte 0x00 in profile\n" },
	{ "control byte", "[seccomp]\nallow = \x01read\n", 0, "",
	    "sysfence: t.ini:2: invalid byte 0x01 in profile\n" },
	{ "escape byte", "[seccomp]\nallow = \x1b[31mread\n", 0, "",
	    "sysfence: t.ini:2: invalid byte 0x1b in profile\n" },
	{ "DEL byte", "[seccomp]\n# \x7f\n", 0, "", "sysfence: t.ini:2: invalid byte 0x7f in profile\n" },
	{ "tab and a lone CR are fine", "[seccomp]\nallow =\tread\twrite\ndeny = a\rb\n", 0,
	    "2 seccomp.allow=read\twrite\n3 seccomp.deny=a\rb\n", "" },
	{ "CRLF line endings", "[seccomp]\r\nallow = read\r\n  write\r\n\r\n; c\r\nkill = x", 0,
	    "2 seccomp.allow=read\n3 seccomp.allow=write\n6 seccomp.kill=x\n", "" },
	{ "UTF-8 byte order mark", "\xEF\xBB\xBF[seccomp]\nallow = r\xC3\xA9\n", 0, "2 seccomp.allow=r\xC3\xA9\n", "" },
};

static void check_parse(const char *name, const char *text, size_t len, const char *want_entries,
    const char *want_errors)
{
	struct sf_profile *p = profile_new();
	struct sf_diag d = { 0 };
	_cleanup_free_ char *entries = NULL, *errors = NULL;
	int r;

	printf("# case: %s\n", name);
	r = profile_parse_text(p, "t.ini", text, len, &d);
	entries = render_entries(p, false);
	errors = render_diag(&d);
	CHECK_STR(entries, want_entries);
	CHECK_STR(errors, want_errors);
	CHECK_INT(r < 0, *want_errors != '\0');
	/* every entry points at the profile's copy of the file name */
	for (size_t i = 0; i < p->n_entries; i++)
		CHECK(p->entries[i].file == p->files[0]);
	profile_free(p);
	diag_clear(&d);
}

static void test_profile_parse_table(void)
{
	for (size_t i = 0; i < ELEMENTSOF(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];

		check_parse(c->name, c->text, c->len ? c->len : strlen(c->text), c->entries, c->errors);
	}
}

/* "[seccomp]\nallow = xxx...\n" whose second line is n bytes long. */
static char *line_of(size_t n, const char *eol)
{
	char *s = NULL;

	if (asprintf(&s, "[seccomp]\nallow = %0*d%s", (int)(n - strlen("allow = ")), 0, eol) < 0)
		abort();
	return s;
}

/* libinih's buffer is 200 bytes: the line, "\n" and NUL must fit. */
static void test_profile_line_length_limit(void)
{
	_cleanup_free_ char *at = line_of(198, "\n"), *at_crlf = line_of(198, "\r\n"), *over = line_of(199, "\n");
	_cleanup_free_ char *over_more = NULL, *want = NULL;

	if (asprintf(&want, "2 seccomp.allow=%0190d\n", 0) < 0 || asprintf(&over_more, "%sallow = read\n", over) < 0)
		abort();
	check_parse("exactly at the limit", at, strlen(at), want, "");
	check_parse("at the limit with CRLF", at_crlf, strlen(at_crlf), want, "");
	check_parse("one byte over, and nothing after it is read", over_more, strlen(over_more), "",
	    "sysfence: t.ini:2: line too long (199 bytes; the limit is 198)\n");
}

/* Comment lines of 100 bytes each, total bytes. */
static char *big_text(size_t total)
{
	char *s = malloc(total);

	if (!s)
		abort();
	for (size_t i = 0; i < total; i += 100) {
		memset(s + i, 'x', 100);
		s[i] = '#';
		s[i + 99] = '\n';
	}
	return s;
}

static void test_profile_size_limit(void)
{
	_cleanup_free_ char *exact = big_text(PROFILE_MAX_SIZE + 24), *big = big_text(2 * 1000 * 1000);

	/* 1 MiB exactly: the first 10485 lines and 76 bytes of a last one */
	exact[PROFILE_MAX_SIZE - 1] = '\n';
	check_parse("exactly 1 MiB", exact, PROFILE_MAX_SIZE, "", "");
	/* byte 1048576 (0-based) is on line 10486 */
	check_parse("2 MB", big, 2 * 1000 * 1000, "", "sysfence: t.ini:10486: profile is larger than 1 MiB\n");
}

static void test_profile_entry_limit(void)
{
	const size_t n = PROFILE_MAX_ENTRIES + 1;
	_cleanup_free_ char *text = malloc(10 + n * 6);
	struct sf_profile *p = profile_new();
	struct sf_diag d = { 0 };
	_cleanup_free_ char *errors = NULL;

	memcpy(text, "[seccomp]\n", 10);
	for (size_t i = 0; i < n; i++)
		memcpy(text + 10 + i * 6, "a = b\n", 6);
	CHECK(profile_parse_text(p, "t.ini", text, 10 + n * 6, &d) < 0);
	errors = render_diag(&d);
	CHECK_STR(errors, "sysfence: t.ini:100002: too many entries (the limit is 100000)\n");
	CHECK_INT(p->n_entries, PROFILE_MAX_ENTRIES);
	profile_free(p);
	diag_clear(&d);
}

/* profile_load with the search path dirs (":"-separated, "T/" and "F/"
 * expanded); compares entries with files, and messages. */
static struct sf_profile *check_load(const char *dirs, const char *what, const struct sf_profile_opts *o,
    const char *want_entries, const char *want_errors)
{
	_cleanup_free_ char *path = expand(dirs), *name = expand(what), *entries = NULL, *errors = NULL;
	struct sf_lookup l = { 0 };
	struct sf_profile *p = NULL;
	struct sf_diag d = { 0 };
	int r;

	printf("# load: %s\n", what);
	CHECK_INT(lookup_init(&l, path, NULL, NULL, NULL), 0);
	r = profile_load(&l, name, o, &p, &d);
	entries = render_entries(p, true);
	errors = render_diag(&d);
	CHECK_STR(errors, want_errors);
	CHECK_INT(r < 0, *want_errors != '\0');
	CHECK((r < 0) == (p == NULL));
	if (want_entries)
		CHECK_STR(entries, want_entries);
	lookup_free(&l);
	diag_clear(&d);
	return p;
}

#define ORDER_PATH "F/order/high:F/order/mid:F/order/low"

static void test_profile_include_order(void)
{
	const struct sf_profile_opts o = { .load_group_library = true, .apply_local = true };
	struct sf_profile *p = check_load(ORDER_PATH, "main", &o,
	    "F/order/mid/groups.ini:2 groups.@lib=read\n"
	    "F/order/low/sibling.ini:2 seccomp.allow=sibling\n"
	    "F/order/low/first.ini:4 seccomp.allow=first-own\n"
	    "F/order/low/first.local:2 seccomp.allow=first.local-low\n"
	    "F/order/high/sub/second.ini:2 seccomp.allow=second\n"
	    "F/order/mid/second.local:2 seccomp.allow=second.local-mid\n"
	    "F/order/high/main.ini:5 seccomp.allow=main-own-1\n"
	    "F/order/high/main.ini:14 seccomp.allow=main-own-2\n"
	    "F/order/low/main.local:2 seccomp.allow=main.local-low\n"
	    "F/order/mid/main.local:2 seccomp.allow=main.local-mid\n"
	    "F/order/high/main.local:2 seccomp.allow=main.local-high\n",
	    "");
	_cleanup_free_ char *files = NULL;
	size_t size = 0;
	FILE *m;

	if (!p)
		return;
	CHECK_STR(p->name, "main");
	CHECK_STR(p->path, FIX "/order/high/main.ini");
	CHECK_STR(p->description, "include order, shown by --list");
	m = open_memstream(&files, &size);
	for (size_t i = 0; i < p->n_files; i++) {
		_cleanup_free_ char *s = shorten(p->files[i]);

		fprintf(m, "%s\n", s);
	}
	fclose(m);
	CHECK_STR(files, "F/order/mid/groups.ini\nF/order/high/main.ini\nF/order/low/first.ini\n"
	    "F/order/low/sibling.ini\nF/order/low/first.local\nF/order/high/sub/second.ini\n"
	    "F/order/mid/second.local\nF/order/low/main.local\nF/order/mid/main.local\nF/order/high/main.local\n");
	profile_free(p);
}

static void test_profile_without_library_and_locals(void)
{
	const struct sf_profile_opts o = { 0 };

	/* a path, not a name: the same file without extras */
	profile_free(check_load(ORDER_PATH, "F/order/high/main.ini", &o,
	    "F/order/low/sibling.ini:2 seccomp.allow=sibling\n"
	    "F/order/low/first.ini:4 seccomp.allow=first-own\n"
	    "F/order/high/sub/second.ini:2 seccomp.allow=second\n"
	    "F/order/high/main.ini:5 seccomp.allow=main-own-1\n"
	    "F/order/high/main.ini:14 seccomp.allow=main-own-2\n",
	    ""));
	profile_free(check_load(ORDER_PATH, "first", NULL,
	    "F/order/low/sibling.ini:2 seccomp.allow=sibling\nF/order/low/first.ini:4 seccomp.allow=first-own\n",
	    ""));
}

static void test_profile_include_depth(void)
{
	_cleanup_free_ char *want = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&want, &size);

	/* d1 → ... → d17: d17 is 16 includes deep */
	for (int i = 17; i >= 1; i--)
		fprintf(m, "F/deep/d%d.ini:%d seccomp.allow=d%d\n", i, i == 17 ? 2 : 4, i);
	fclose(m);
	profile_free(check_load("F/deep", "d1", NULL, want, ""));
	CHECK(!check_load("F/deep", "d0", NULL, NULL,
	    "sysfence: F/deep/d16.ini:2: includes nested deeper than 16\n"));
}

static void test_profile_include_cycles(void)
{
	CHECK(!check_load("F/cycle", "self", NULL, NULL,
	    "sysfence: F/cycle/self.ini:2: include cycle: self.ini -> self.ini\n"));
	CHECK(!check_load("F/cycle", "a", NULL, NULL,
	    "sysfence: F/cycle/b.ini:4: include cycle: a.ini -> b.ini -> a.ini\n"));
	/* entered elsewhere, the cycle is named from where it starts */
	CHECK(!check_load("F/cycle", "b", NULL, NULL,
	    "sysfence: F/cycle/a.ini:2: include cycle: b.ini -> a.ini -> b.ini\n"));
}

static void test_profile_missing_files(void)
{
	CHECK(!check_load("F/misc", "missing-include", NULL, "",
	    "sysfence: F/misc/missing-include.ini:2: cannot find included profile \"nope\"\n"
	    "sysfence: F/misc/missing-include.ini:3: cannot find included profile \"./nope.ini\"\n"
	    "sysfence: F/misc/missing-include.ini:4: \"include\" needs a profile name or path\n"));
	CHECK(!check_load("F/misc:T/none", "nosuch", NULL, NULL,
	    "sysfence: cannot find profile \"nosuch\" (searched: F/misc, T/none)\n"));
	CHECK(!check_load(":", "nosuch", NULL, NULL,
	    "sysfence: cannot find profile \"nosuch\" (no directory to search)\n"));
	CHECK(!check_load("F/misc", "", NULL, NULL, "sysfence: cannot find profile \"\" (searched: F/misc)\n"));
	CHECK(!check_load("F/misc", "F/misc/none.ini", NULL, NULL,
	    "sysfence: cannot open \"F/misc/none.ini\": No such file or directory\n"));
	CHECK(!check_load("F/misc", "F/misc", NULL, NULL, "sysfence: \"F/misc\" is not a regular file\n"));
}

static void test_profile_errors_name_file_and_line(void)
{
	CHECK(!check_load("F/misc", "unknown-section", NULL, NULL,
	    "sysfence: F/misc/unknown-section.ini:3: unknown section [filesytem] (did you mean [filesystem]?)\n"));
	CHECK(!check_load("F/misc", "colon", NULL, NULL,
	    "sysfence: F/misc/colon.ini:2: expected \"key = value\" (\":\" is not a separator)\n"));
}

static char *tpath(const char *rel)
{
	char *s = NULL;

	if (asprintf(&s, "%s/%s", tmp, rel) < 0)
		abort();
	return s;
}

static void put(const char *rel, const char *text)
{
	_cleanup_free_ char *p = tpath(rel);
	_cleanup_close_ int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
}

static void test_profile_fifo_does_not_hang(void)
{
	_cleanup_free_ char *fifo = tpath("fifo.ini");

	CHECK_INT(mkfifo(fifo, 0644), 0);
	put("inc-fifo.ini", "[profile]\ninclude = fifo\n");
	alarm(10);	/* a hang fails the test instead of blocking ctest */
	CHECK(!check_load("T/", "T/fifo.ini", NULL, NULL, "sysfence: \"T/fifo.ini\" is not a regular file\n"));
	CHECK(!check_load("T/", "inc-fifo", NULL, NULL,
	    "sysfence: T/inc-fifo.ini:2: \"T/fifo.ini\" is not a regular file\n"));
	alarm(0);
}

static void test_profile_large_file_on_disk(void)
{
	_cleanup_free_ char *text = big_text(2 * 1000 * 1000), *path = tpath("big.ini");
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(fd >= 0 && write(fd, text, 2 * 1000 * 1000) == 2 * 1000 * 1000);
	CHECK(!check_load("T/", "big", NULL, NULL, "sysfence: T/big.ini:10486: profile is larger than 1 MiB\n"));
}

/* The entry cap counts every file: big1's own entries wait while big2 is read. */
static void test_profile_entry_limit_across_files(void)
{
	_cleanup_free_ char *body = NULL, *one = NULL, *two = NULL;
	size_t n = 60000;

	body = malloc(n * 6 + 1);
	if (!body)
		abort();
	for (size_t i = 0; i < n; i++)
		memcpy(body + i * 6, "a = b\n", 6);
	body[n * 6] = '\0';
	if (asprintf(&one, "[profile]\ninclude = big2\n[seccomp]\n%s", body) < 0 ||
	    asprintf(&two, "[seccomp]\n%s", body) < 0)
		abort();
	put("big1.ini", one);
	put("big2.ini", two);
	CHECK(!check_load("T/", "big1", NULL, NULL,
	    "sysfence: T/big2.ini:40002: too many entries (the limit is 100000)\n"));
}

/* Including the same file twice is allowed, but a lattice of such includes
 * must not multiply into millions of reads. */
static void test_profile_read_count_limit(void)
{
	for (int i = 0; i <= 10; i++) {
		_cleanup_free_ char *name = NULL, *text = NULL;

		if (asprintf(&name, "l%d.ini", i) < 0 ||
		    asprintf(&text, "[profile]\ninclude = l%d\ninclude = l%d\n", i + 1, i + 1) < 0)
			abort();
		if (i == 10)	/* the bottom of the lattice includes nothing */
			text[0] = '\0';
		put(name, text);
	}
	/* l1: 2^10 - 1 = 1023 reads; l0: l0 itself, l1 once, then the second
	 * l1 include starts the 1025th read */
	profile_free(check_load("T/", "l1", NULL, "", ""));
	CHECK(!check_load("T/", "l0", NULL, NULL,
	    "sysfence: T/l0.ini:3: too many profile files read (the limit is 1024)\n"));
}

static int chmod_t(const char *rel, mode_t mode)
{
	_cleanup_free_ char *p = tpath(rel);

	return chmod(p, mode);
}

static int chown_t(const char *rel, uid_t uid)
{
	_cleanup_free_ char *p = tpath(rel);

	return chown(p, uid, (gid_t)-1);
}

/* As root, refuse files (and their directories) that someone else
 * could change. Needs root to give files away. */
static void test_profile_root_ownership_rule(void)
{
	const struct sf_profile_opts o = { .check_owner = true, .apply_local = true };
	_cleanup_free_ char *own = tpath("own"), *sub = tpath("own/sub");

	if (geteuid() != 0) {
		printf("# skip: needs root\n");
		skipped_root_cases = true;
		return;
	}
	CHECK_INT(mkdir(own, 0755), 0);
	CHECK_INT(mkdir(sub, 0755), 0);
	put("own/ok.ini", "[seccomp]\nallow = read\n");
	put("own/inc.ini", "[profile]\ninclude = sub/bad.ini\n");
	put("own/sub/bad.ini", "[seccomp]\nallow = read\n");
	put("own/loc.ini", "[seccomp]\nallow = read\n");
	put("own/loc.local", "[seccomp]\nallow = write\n");

	profile_free(check_load("T/own", "ok", &o, "T/own/ok.ini:2 seccomp.allow=read\n", ""));

	CHECK_INT(chmod_t("own/ok.ini", 0664), 0);
	CHECK(!check_load("T/own", "ok", &o, NULL,
	    "sysfence: refusing \"T/own/ok.ini\": writable by group or others\n"));
	CHECK_INT(chmod_t("own/ok.ini", 0646), 0);
	CHECK(!check_load("T/own", "ok", &o, NULL,
	    "sysfence: refusing \"T/own/ok.ini\": writable by group or others\n"));
	CHECK_INT(chmod_t("own/ok.ini", 0644), 0);
	CHECK_INT(chown_t("own/ok.ini", 65534), 0);
	CHECK(!check_load("T/own", "ok", &o, NULL,
	    "sysfence: refusing \"T/own/ok.ini\": not owned by root\n"));
	/* without the rule (not root), the same file is read */
	profile_free(check_load("T/own", "ok", NULL, "T/own/ok.ini:2 seccomp.allow=read\n", ""));
	CHECK_INT(chown_t("own/ok.ini", 0), 0);

	/* an include is refused at the include line */
	CHECK_INT(chmod_t("own/sub/bad.ini", 0666), 0);
	CHECK(!check_load("T/own", "inc", &o, NULL,
	    "sysfence: T/own/inc.ini:2: refusing \"T/own/sub/bad.ini\": writable by group or others\n"));
	CHECK_INT(chmod_t("own/sub/bad.ini", 0644), 0);
	CHECK_INT(chmod_t("own/sub", 0775), 0);
	CHECK(!check_load("T/own", "inc", &o, NULL,
	    "sysfence: T/own/inc.ini:2: refusing \"T/own/sub/bad.ini\": directory \"T/own/sub\" is writable by group "
	    "or others\n"));
	CHECK_INT(chmod_t("own/sub", 0755), 0);
	CHECK_INT(chown_t("own/sub", 65534), 0);
	CHECK(!check_load("T/own", "inc", &o, NULL,
	    "sysfence: T/own/inc.ini:2: refusing \"T/own/sub/bad.ini\": directory \"T/own/sub\" is not owned by "
	    "root\n"));
	CHECK_INT(chown_t("own/sub", 0), 0);
	profile_free(check_load("T/own", "inc", &o, "T/own/sub/bad.ini:2 seccomp.allow=read\n", ""));

	/* .local files too */
	CHECK_INT(chown_t("own/loc.local", 65534), 0);
	CHECK(!check_load("T/own", "loc", &o, NULL,
	    "sysfence: refusing \"T/own/loc.local\": not owned by root\n"));
	CHECK_INT(chown_t("own/loc.local", 0), 0);

	/* a symlink: the directory holding the target counts too */
	CHECK_INT(chmod_t("own/sub", 0777), 0);
	{
		_cleanup_free_ char *target = tpath("own/sub/bad.ini"), *link = tpath("own/link.ini");

		CHECK_INT(symlink(target, link), 0);
	}
	CHECK(!check_load("T/own", "link", &o, NULL,
	    "sysfence: refusing \"T/own/link.ini\": directory \"T/own/sub\" is writable by group or "
	    "others\n"));
	CHECK_INT(chmod_t("own/sub", 0755), 0);
	profile_free(check_load("T/own", "link", &o, "T/own/link.ini:2 seccomp.allow=read\n", ""));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	int rc;

	if (!mkdtemp(tmp))
		return 1;
	RUN(test_profile_parse_table);
	RUN(test_profile_line_length_limit);
	RUN(test_profile_size_limit);
	RUN(test_profile_entry_limit);
	RUN(test_profile_include_order);
	RUN(test_profile_without_library_and_locals);
	RUN(test_profile_include_depth);
	RUN(test_profile_include_cycles);
	RUN(test_profile_missing_files);
	RUN(test_profile_errors_name_file_and_line);
	RUN(test_profile_fifo_does_not_hang);
	RUN(test_profile_large_file_on_disk);
	RUN(test_profile_entry_limit_across_files);
	RUN(test_profile_read_count_limit);
	RUN(test_profile_root_ownership_rule);
	rc = tap_done();
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	/* 77: ctest reports the root-only cases as skipped */
	return rc == 0 && skipped_root_cases ? 77 : rc;
}
