/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Profile search path: sysfence(1) "Profile lookup". */
#include "cleanup.h"
#include "lookup.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[] = "/tmp/sf-lookup-XXXXXX";

/* The search path as one string: "dir1 dir2 ...". */
static char *joined(const struct sf_lookup *l)
{
	char *s = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&s, &size);

	for (size_t i = 0; i < l->n; i++)
		fprintf(m, "%s%s", i ? " " : "", l->dirs[i]);
	fclose(m);
	return s;
}

struct init_case {
	const char *profile_path, *xdg, *home, *datadir;
	const char *want;
};

static void test_lookup_search_order(void)
{
	static const struct init_case cases[] = {
		/* $SYSFENCE_PROFILE_PATH replaces the whole default path */
		{ "/a:/b", "/x", "/h", "/usr/share/sysfence/profiles", "/a /b" },
		/* empty elements are ignored, trailing slashes dropped, duplicates once */
		{ ":/a::/b/:", NULL, "/h", NULL, "/a /b" },
		{ "/a:/a/:/b:/a", NULL, NULL, NULL, "/a /b" },
		{ "/:/a", NULL, NULL, NULL, "/ /a" },
		{ "rel/dir", NULL, NULL, NULL, "rel/dir" },
		/* only empty elements: a path with no directory */
		{ ":", NULL, "/h", "/d", "" },
		/* unset or empty: the default path */
		{ NULL, "/x", "/h", "/usr/share/sysfence/profiles",
		    "/x/sysfence/profiles /etc/sysfence/profiles /usr/share/sysfence/profiles" },
		{ "", "/x", "/h", "/d", "/x/sysfence/profiles /etc/sysfence/profiles /d" },
		/* XDG_CONFIG_HOME unset, empty or relative: HOME/.config */
		{ NULL, NULL, "/h", "/d", "/h/.config/sysfence/profiles /etc/sysfence/profiles /d" },
		{ NULL, "", "/h/", "/d", "/h/.config/sysfence/profiles /etc/sysfence/profiles /d" },
		{ NULL, "rel", "/h", "/d", "/h/.config/sysfence/profiles /etc/sysfence/profiles /d" },
		/* neither (or a relative HOME): no per-user directory */
		{ NULL, NULL, NULL, "/d", "/etc/sysfence/profiles /d" },
		{ NULL, NULL, "h", NULL, "/etc/sysfence/profiles" },
		/* the datadir equal to /etc's is listed once */
		{ NULL, NULL, NULL, "/etc/sysfence/profiles/", "/etc/sysfence/profiles" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		const struct init_case *c = &cases[i];
		struct sf_lookup l = { 0 };
		_cleanup_free_ char *got = NULL;

		CHECK_INT(lookup_init(&l, c->profile_path, c->xdg, c->home, c->datadir), 0);
		got = joined(&l);
		CHECK_STR(got, c->want);
		lookup_free(&l);
	}
}

static char *path_of(const char *rel)
{
	char *s = NULL;

	if (asprintf(&s, "%s/%s", tmp, rel) < 0)
		abort();
	return s;
}

static void touch(const char *rel)
{
	_cleanup_free_ char *p = path_of(rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
}

static void with_dirs(struct sf_lookup *l)
{
	_cleanup_free_ char *pp = NULL;

	/* an empty element and a missing directory on the way */
	if (asprintf(&pp, "%s/a::%s/missing:%s/b:%s/c", tmp, tmp, tmp, tmp) < 0)
		abort();
	CHECK_INT(lookup_init(l, pp, NULL, NULL, NULL), 0);
	CHECK_INT(l->n, 4);
}

static void test_lookup_first_hit_wins(void)
{
	struct sf_lookup l = { 0 };
	_cleanup_free_ char *want_b = path_of("b/x.ini"), *want_a = path_of("a/y.ini");
	char *got = NULL;

	with_dirs(&l);
	CHECK_INT(lookup_find(&l, "x.ini", &got), 0);
	CHECK_STR(got, want_b);
	free(got);
	got = NULL;
	CHECK_INT(lookup_find(&l, "y.ini", &got), 0);
	CHECK_STR(got, want_a);
	free(got);
	got = NULL;
	CHECK_INT(lookup_find(&l, "none.ini", &got), -ENOENT);
	CHECK(got == NULL);
	lookup_free(&l);
	lookup_free(&l);	/* twice is harmless */
}

/* A dangling symlink is found (and fails when opened) instead of silently
 * letting a less specific directory win. */
static void test_lookup_finds_dangling_symlink(void)
{
	struct sf_lookup l = { 0 };
	_cleanup_free_ char *link = path_of("a/dangling.ini"), *want = path_of("a/dangling.ini");
	char *got = NULL;

	CHECK_INT(symlink("/nonexistent/target.ini", link), 0);
	with_dirs(&l);
	CHECK_INT(lookup_find(&l, "dangling.ini", &got), 0);
	CHECK_STR(got, want);
	free(got);
	lookup_free(&l);
}

static void test_lookup_find_all_least_specific_first(void)
{
	struct sf_lookup l = { 0 };
	_cleanup_free_ char *c = path_of("c/x.local"), *b = path_of("b/x.local"), *a = path_of("a/x.local");
	char **v = NULL;

	with_dirs(&l);
	CHECK_INT(lookup_find_all(&l, "x.local", &v), 0);
	CHECK(v && v[0] && v[1] && v[2] && !v[3]);
	if (v && v[0] && v[1] && v[2]) {
		CHECK_STR(v[0], c);
		CHECK_STR(v[1], b);
		CHECK_STR(v[2], a);
	}
	strv_free(v);

	v = NULL;
	CHECK_INT(lookup_find_all(&l, "none.local", &v), 0);
	CHECK(v && !v[0]);
	strv_free(v);
	strv_free(NULL);
	lookup_free(&l);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* A fix goes in the profile itself, or, for one in a later search-path
 * directory (shipped or system-wide), in NAME.local of the first. */
static void test_lookup_edit_file_local_for_shipped(void)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
		{ "/home/u/.config/sysfence/profiles/curl.ini", "/home/u/.config/sysfence/profiles/curl.ini" },
		{ "/etc/sysfence/profiles/curl.ini", "/home/u/.config/sysfence/profiles/curl.local" },
		{ "/usr/share/sysfence/profiles/curl.ini", "/home/u/.config/sysfence/profiles/curl.local" },
		{ "./mine.ini", "./mine.ini" },
		{ "mine.ini", "mine.ini" },
	};
	struct sf_lookup l = { 0 };

	CHECK_INT(lookup_init(&l, NULL, NULL, "/home/u", "/usr/share/sysfence/profiles"), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = lookup_edit_file(&l, cases[i].path);

		CHECK_STR(s, cases[i].want);
		free(s);
	}
	lookup_free(&l);
}

int main(void)
{
	int rc;

	if (!mkdtemp(tmp))
		return 1;
	for (const char *const *d = (const char *const[]){ "a", "b", "c", NULL }; *d; d++) {
		_cleanup_free_ char *p = path_of(*d);

		mkdir(p, 0755);
	}
	touch("b/x.ini");
	touch("c/x.ini");
	touch("a/y.ini");
	touch("c/y.ini");
	touch("a/x.local");
	touch("b/x.local");
	touch("c/x.local");

	RUN(test_lookup_search_order);
	RUN(test_lookup_first_hit_wins);
	RUN(test_lookup_finds_dangling_symlink);
	RUN(test_lookup_find_all_least_specific_first);
	RUN(test_lookup_edit_file_local_for_shipped);
	rc = tap_done();
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}
