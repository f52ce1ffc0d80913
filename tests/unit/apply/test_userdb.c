/* SPDX-License-Identifier: GPL-2.0-or-later */
/* User and group names through getent: the parsers of its output (good
 * lines and every kind of malformed one), the ownership rule for the
 * program run as root, and lookups that must agree with getpwnam(3),
 * getgrnam(3) and getgrouplist(3). */
#include "cleanup.h"
#include "tap.h"
#include "userdb.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A literal with its length, so that an embedded NUL is part of it. */
#define TEXT(s) s, sizeof(s) - 1

static const struct sf_origin O = { "t.ini", 3 };
static char tmp[] = "/tmp/sysfence-userdb.XXXXXX";
static bool skipped_root_cases;

static char *first_msg(const struct sf_diag *d)
{
	return d->n ? diag_format(&d->msgs[0]) : NULL;
}

static void test_userdb_parse_passwd_accepts_entries(void)
{
	static const struct {
		const char *text;
		size_t len;
		const char *name;
		uid_t uid;
		gid_t gid;
	} cases[] = {
		{ TEXT("root:x:0:0:root:/root:/bin/bash\n"), "root", 0, 0 },
		{ TEXT("sysfence-test:x:999:995::/nonexistent:/usr/sbin/nologin\n"), "sysfence-test", 999, 995 },
		{ TEXT("big:*:4294967294:4294967294:::\n"), "big", 4294967294U, 4294967294U },
		{ TEXT("-x:x:12:34:a b, c:/h:/s\n"), "-x", 12, 34 },
		{ TEXT("a b:x:1:2:::\n"), "a b", 1, 2 },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct sf_userdb_user u = { 7, 7 };

		CHECK_INT(userdb_parse_passwd(cases[i].text, cases[i].len, cases[i].name, &u), 0);
		CHECK_INT(u.uid, cases[i].uid);
		CHECK_INT(u.gid, cases[i].gid);
	}
}

static void test_userdb_parse_passwd_rejects_malformed(void)
{
	static const struct {
		const char *text;
		size_t len;
	} cases[] = {
		{ TEXT("") },
		{ TEXT("\n") },
		{ TEXT("root:x:0:0:root:/root:/bin/bash") },			/* cut short: no newline */
		{ TEXT("root:x:0:0:root:/root\n") },				/* a field missing */
		{ TEXT("root:x:0:0\n") },
		{ TEXT("root\n") },
		{ TEXT("root:x:0:0:root:/root:/bin/bash:junk\n") },		/* one field too many */
		{ TEXT(":x:0:0:::\n") },					/* empty name */
		{ TEXT("root:x::0:::\n") },					/* empty uid */
		{ TEXT("root:x:0::::\n") },					/* empty gid */
		{ TEXT("root:x:zero:0:::\n") },
		{ TEXT("root:x:0x1:0:::\n") },
		{ TEXT("root:x:-1:0:::\n") },
		{ TEXT("root:x:+1:0:::\n") },
		{ TEXT("root:x: 1:0:::\n") },
		{ TEXT("root:x:1 :0:::\n") },
		{ TEXT("root:x:0:1a:::\n") },
		{ TEXT("root:x:4294967295:0:::\n") },				/* (uid_t)-1 */
		{ TEXT("root:x:0:4294967295:::\n") },				/* (gid_t)-1 */
		{ TEXT("root:x:4294967296:0:::\n") },				/* does not fit uid_t */
		{ TEXT("root:x:0:18446744073709551617:::\n") },
		{ TEXT("root:x:99999999999999999999999999:0:::\n") },
		{ TEXT("root:x:0:0:::\nroot:x:0:0:::\n") },			/* two lines */
		{ TEXT("root:x:0:0:::\njunk") },				/* trailing junk */
		{ TEXT("root:x:0:0:::\n\n") },
		{ TEXT("root:x:0:0:::\0\n") },					/* embedded NUL */
		{ TEXT("root\0:x:0:0:::\n") },
		{ TEXT("\0") },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct sf_userdb_user u = { 7, 7 };

		CHECK_INT(userdb_parse_passwd(cases[i].text, cases[i].len, "root", &u), -EBADMSG);
		CHECK(u.uid == 7 && u.gid == 7);	/* untouched on failure */
	}
}

/* getent passwd looks up an all-digit key as a uid: "0" finds root. A
 * lookup is by name only, so an entry for another name is "not found". */
static void test_userdb_parse_passwd_another_name_is_not_found(void)
{
	static const char *const names[] = { "0", "roo", "rootx", "Root", "" };

	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		struct sf_userdb_user u = { 7, 7 };

		CHECK_INT(userdb_parse_passwd(TEXT("root:x:0:0:root:/root:/bin/bash\n"), names[i], &u), -ESRCH);
		CHECK(u.uid == 7 && u.gid == 7);
	}
}

static void test_userdb_parse_group_accepts_entries(void)
{
	static const struct {
		const char *text;
		size_t len;
		const char *name;
		gid_t gid;
	} cases[] = {
		{ TEXT("root:x:0:\n"), "root", 0 },
		{ TEXT("sysfence-test-g:x:996:sysfence-test,other\n"), "sysfence-test-g", 996 },
		{ TEXT("big:!:4294967294:a\n"), "big", 4294967294U },
		{ TEXT("-g::5:\n"), "-g", 5 },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		gid_t g = 7;

		CHECK_INT(userdb_parse_group(cases[i].text, cases[i].len, cases[i].name, &g), 0);
		CHECK_INT(g, cases[i].gid);
	}
}

static void test_userdb_parse_group_rejects_malformed(void)
{
	static const struct {
		const char *text;
		size_t len;
	} cases[] = {
		{ TEXT("") },
		{ TEXT("\n") },
		{ TEXT("root:x:0:") },		/* no newline */
		{ TEXT("root:x:0\n") },		/* members field missing */
		{ TEXT("root\n") },
		{ TEXT("root:x:0:a:b\n") },	/* one field too many */
		{ TEXT(":x:0:\n") },
		{ TEXT("root:x::\n") },
		{ TEXT("root:x:x:\n") },
		{ TEXT("root:x:-5:\n") },
		{ TEXT("root:x:4294967295:\n") },
		{ TEXT("root:x:4294967296:\n") },
		{ TEXT("root:x:0:\nroot:x:0:\n") },
		{ TEXT("root:x:0:\njunk") },
		{ TEXT("root:x:0:\0\n") },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		gid_t g = 7;

		CHECK_INT(userdb_parse_group(cases[i].text, cases[i].len, "root", &g), -EBADMSG);
		CHECK_INT(g, 7);
	}
	{
		gid_t g = 7;

		CHECK_INT(userdb_parse_group(TEXT("root:x:0:\n"), "0", &g), -ESRCH);
		CHECK_INT(userdb_parse_group(TEXT("root:x:0:\n"), "roots", &g), -ESRCH);
		CHECK_INT(g, 7);
	}
}

/* The list is getgrouplist(name, primary)'s: primary first, then the
 * groups getent printed, in order, each once. getent pads the name to 21
 * columns and prints nothing after it for a user in no group. */
static void test_userdb_parse_initgroups_builds_getgrouplist_order(void)
{
	static const struct {
		const char *text;
		size_t len;
		const char *name;
		gid_t primary;
		size_t n;
		gid_t want[6];
	} cases[] = {
		{ TEXT("root                 \n"), "root", 0, 1, { 0 } },
		{ TEXT("sysfence-test        \n"), "sysfence-test", 995, 1, { 995 } },
		{ TEXT("sysfence-test         996\n"), "sysfence-test", 995, 2, { 995, 996 } },
		{ TEXT("u                     10 20 30\n"), "u", 5, 4, { 5, 10, 20, 30 } },
		{ TEXT("u                     30 5 10\n"), "u", 5, 3, { 5, 30, 10 } },
		{ TEXT("u 10 20 10 30 20\n"), "u", 1, 4, { 1, 10, 20, 30 } },
		{ TEXT("u\n"), "u", 9, 1, { 9 } },
		{ TEXT("a-name-of-twenty-three\n"), "a-name-of-twenty-three", 4, 1, { 4 } },
		{ TEXT("a-name-of-twenty-three 7 4294967294\n"), "a-name-of-twenty-three", 4, 3,
		    { 4, 7, 4294967294U } },
		{ TEXT("a b                   2\n"), "a b", 1, 2, { 1, 2 } },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_free_ gid_t *g = NULL;
		size_t n = 0;

		CHECK_INT(userdb_parse_initgroups(cases[i].text, cases[i].len, cases[i].name, cases[i].primary, &g, &n),
		    0);
		CHECK_INT(n, cases[i].n);
		for (size_t j = 0; g && j < n && j < cases[i].n; j++)
			CHECK_INT(g[j], cases[i].want[j]);
	}
}

static void test_userdb_parse_initgroups_rejects_malformed(void)
{
	static const struct {
		const char *text;
		size_t len;
	} cases[] = {
		{ TEXT("") },
		{ TEXT("\n") },
		{ TEXT("u 1") },		/* no newline */
		{ TEXT("u 1\nu 2\n") },		/* two lines */
		{ TEXT("u 1\njunk") },
		{ TEXT("u 1\0\n") },		/* embedded NUL */
		{ TEXT("u\0 1\n") },
		{ TEXT("v 1\n") },		/* another name */
		{ TEXT("uu 1\n") },		/* our name is only a prefix */
		{ TEXT("u1\n") },
		{ TEXT(" u 1\n") },
		{ TEXT("u\t1\n") },
		{ TEXT("u 1\t2\n") },
		{ TEXT("u 1,2\n") },
		{ TEXT("u 1x\n") },
		{ TEXT("u x\n") },
		{ TEXT("u -1\n") },
		{ TEXT("u +1\n") },
		{ TEXT("u 4294967295\n") },	/* (gid_t)-1 */
		{ TEXT("u 4294967296\n") },
		{ TEXT("u 1 99999999999999999999999\n") },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		gid_t *g = NULL;
		size_t n = 7;

		CHECK_INT(userdb_parse_initgroups(cases[i].text, cases[i].len, "u", 0, &g, &n), -EBADMSG);
		CHECK(!g && n == 7);
	}
}

/* The kernel takes at most 65536 groups: the primary group counts, a
 * repeat does not. */
static void test_userdb_parse_initgroups_caps_the_count(void)
{
	static const struct {
		unsigned extra;		/* gids printed after the name: 1, 2, ... extra */
		gid_t primary;
		int want;
		size_t n;
	} cases[] = {
		{ USERDB_MAX_GROUPS - 1, 0, 0, USERDB_MAX_GROUPS },
		{ USERDB_MAX_GROUPS, 1, 0, USERDB_MAX_GROUPS },	/* primary 1 is printed too */
		{ USERDB_MAX_GROUPS, 0, -E2BIG, 0 },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *text = NULL;
		_cleanup_free_ gid_t *g = NULL;
		size_t len = 0, n = 0;
		FILE *f = open_memstream(&text, &len);

		CHECK(f != NULL);
		if (!f)
			return;
		fputs("u", f);
		for (unsigned j = 1; j <= cases[i].extra; j++)
			fprintf(f, " %u", j);
		fputc('\n', f);
		CHECK_INT(fclose(f), 0);
		CHECK(len < USERDB_MAX_OUTPUT);
		CHECK_INT(userdb_parse_initgroups(text, len, "u", cases[i].primary, &g, &n), cases[i].want);
		CHECK_INT(n, cases[i].n);
		if (g && n) {
			CHECK_INT(g[0], cases[i].primary);
			CHECK_INT(g[n - 1], cases[i].extra);
		}
	}
}

static char *tpath(const char *rel)
{
	char *p = NULL;

	return asprintf(&p, "%s/%s", tmp, rel) < 0 ? NULL : p;
}

/* want with every "T/ replaced by the temporary directory's path. */
static char *expand_t(const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (const char *p = want; *p; p++) {
		if (p[0] == '"' && p[1] == 'T' && p[2] == '/') {
			fprintf(f, "\"%s", tmp);
			p++;
		} else {
			fputc(*p, f);
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Check path with userdb_check_program(); want is the expected message
 * with "T/ for the temporary directory, or NULL for success. */
static void check_program(const char *rel, const char *want)
{
	_cleanup_free_ char *path = tpath(rel), *m = NULL, *w = NULL;
	struct sf_diag d = { 0 };
	int r = userdb_check_program(path, &O, &d);

	m = first_msg(&d);
	if (!want) {
		CHECK_INT(r, 0);
		CHECK_STR(m, NULL);
	} else {
		w = expand_t(want);
		CHECK(r < 0);
		CHECK_STR(m, w);
	}
	diag_clear(&d);
}

static int put(const char *rel, mode_t mode)
{
	_cleanup_free_ char *p = tpath(rel);
	int fd = p ? open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) : -1;

	if (fd < 0)
		return -1;
	close(fd);
	return chmod(p, mode);
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

/* the root rule (sysfence(1), SECURITY) for the getent that root runs. The check takes a
 * path, so it is tested on files of our own; the launcher only ever passes
 * SYSFENCE_GETENT, which must pass it. */
static void test_userdb_check_program_root_rule(void)
{
	struct stat st;

	CHECK_INT(put("prog", 0755), 0);
	if (geteuid() != 0) {
		check_program("prog", "sysfence: t.ini:3: refusing \"T/prog\": not owned by root");
		printf("# skip: the rest needs root\n");
		skipped_root_cases = true;
		return;
	}
	/* The temporary directory is root's and 0700. */
	check_program("prog", NULL);
	CHECK_INT(chmod_t("prog", 0775), 0);
	check_program("prog", "sysfence: t.ini:3: refusing \"T/prog\": writable by group or others");
	CHECK_INT(chmod_t("prog", 0757), 0);
	check_program("prog", "sysfence: t.ini:3: refusing \"T/prog\": writable by group or others");
	CHECK_INT(chmod_t("prog", 0755), 0);
	CHECK_INT(chown_t("prog", 65534), 0);
	check_program("prog", "sysfence: t.ini:3: refusing \"T/prog\": not owned by root");
	CHECK_INT(chown_t("prog", 0), 0);
	check_program("missing",
	    "sysfence: t.ini:3: refusing \"T/missing\": cannot check it: No such file or directory");

	{
		_cleanup_free_ char *sub = tpath("sub");

		CHECK_INT(mkdir(sub, 0755), 0);
	}
	check_program("sub", "sysfence: t.ini:3: refusing \"T/sub\": not a regular file");
	CHECK_INT(put("sub/prog", 0755), 0);
	check_program("sub/prog", NULL);
	CHECK_INT(chmod_t("sub", 0775), 0);
	check_program("sub/prog",
	    "sysfence: t.ini:3: refusing \"T/sub/prog\": directory \"T/sub\" is writable by group or others");
	CHECK_INT(chmod_t("sub", 0755), 0);
	CHECK_INT(chown_t("sub", 65534), 0);
	check_program("sub/prog",
	    "sysfence: t.ini:3: refusing \"T/sub/prog\": directory \"T/sub\" is not owned by root");
	CHECK_INT(chown_t("sub", 0), 0);

	/* A symlink: the directory holding the target counts too. */
	{
		_cleanup_free_ char *target = tpath("sub/prog"), *link = tpath("link");

		CHECK_INT(symlink(target, link), 0);
	}
	check_program("link", NULL);
	CHECK_INT(chmod_t("sub", 0777), 0);
	check_program("link",
	    "sysfence: t.ini:3: refusing \"T/link\": directory \"T/sub\" is writable by group or others");
	CHECK_INT(chmod_t("sub", 0755), 0);

	/* The getent the launcher runs, when it is installed as it should be. */
	if (stat(SYSFENCE_GETENT, &st) == 0 && st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH))) {
		struct sf_diag d = { 0 };

		CHECK_INT(userdb_check_program(SYSFENCE_GETENT, &O, &d), 0);
		diag_clear(&d);
	}
}

/* Without a getent (a minimal container), the lookups cannot agree with
 * anything: say so and check nothing. */
static bool have_getent(void)
{
	if (access(SYSFENCE_GETENT, X_OK) == 0)
		return true;
	printf("# skip: %s is not installed\n", SYSFENCE_GETENT);
	return false;
}

static bool same_gids(const gid_t *a, size_t na, const gid_t *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Whether userdb and libc agree about one user now: the same ids and the
 * same group list as getgrouplist(), or both "not found". */
static bool user_agrees(const char *name)
{
	_cleanup_free_ gid_t *g = NULL, *want = NULL;
	struct sf_userdb_user u = { 0 };
	struct sf_diag d = { 0 };
	struct passwd *pw;
	size_t n = 0;
	int nwant = 256, r;
	bool ok;

	r = userdb_lookup_user(name, &O, &u, &d);
	pw = getpwnam(name);
	if (!pw || r < 0) {
		ok = !pw && r == -ESRCH && d.n == 0;	/* the caller writes the message */
		diag_clear(&d);
		return ok;
	}
	ok = u.uid == pw->pw_uid && u.gid == pw->pw_gid;
	want = malloc((size_t)nwant * sizeof(*want));
	ok = ok && want && getgrouplist(name, u.gid, want, &nwant) >= 0;
	ok = ok && userdb_user_groups(name, u.gid, &O, &g, &n, &d) == 0;
	ok = ok && same_gids(g, n, want, (size_t)nwant);
	diag_clear(&d);
	return ok;
}

static bool group_agrees(const char *name)
{
	struct sf_diag d = { 0 };
	struct group *gr;
	gid_t g = 7;
	int r;
	bool ok;

	r = userdb_lookup_group(name, &O, &g, &d);
	gr = getgrnam(name);
	if (!gr || r < 0)
		ok = !gr && r == -ESRCH && d.n == 0 && g == 7;
	else
		ok = g == gr->gr_gid;
	diag_clear(&d);
	return ok;
}

/* Other tests may add and remove users while this one runs (ctest -j):
 * a real disagreement persists, a change under our feet does not. */
static bool agrees(bool (*fn)(const char *), const char *name)
{
	for (int attempt = 0; attempt < 3; attempt++)
		if (fn(name))
			return true;
	printf("# %s: userdb and libc disagree\n", name);
	return false;
}

/* The lookups give what getpwnam/getgrouplist gave before (this test is
 * linked dynamically, so its own NSS calls work): every user of the
 * passwd database, and names that must not be found. */
static void test_userdb_lookups_agree_with_getpwnam_and_getgrouplist(void)
{
	static const char *const absent[] = { "sysfence-no-such-user", "0", "--help", "-x", "a:b", "a\nb", "" };
	_cleanup_free_ char **names = NULL;
	struct passwd *pw;
	size_t n = 0;

	if (!have_getent())
		return;
	names = calloc(64, sizeof(*names));
	CHECK(names != NULL);
	if (!names)
		return;
	setpwent();
	while (n < 64 && (pw = getpwent()))
		names[n++] = strdup(pw->pw_name);
	endpwent();
	CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		CHECK(names[i] && agrees(user_agrees, names[i]));
		free(names[i]);
	}
	for (size_t i = 0; i < ELEMENTSOF(absent); i++) {
		CHECK(getpwnam(absent[i]) == NULL);
		CHECK(user_agrees(absent[i]));
	}
}

static void test_userdb_group_lookups_agree_with_getgrnam(void)
{
	static const char *const absent[] = { "sysfence-no-such-group", "0", "--help", "a:b", "" };
	_cleanup_free_ char **names = NULL;
	struct group *gr;
	size_t n = 0;

	if (!have_getent())
		return;
	names = calloc(64, sizeof(*names));
	CHECK(names != NULL);
	if (!names)
		return;
	setgrent();
	while (n < 64 && (gr = getgrent()))
		names[n++] = strdup(gr->gr_name);
	endgrent();
	CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		CHECK(names[i] && agrees(group_agrees, names[i]));
		free(names[i]);
	}
	for (size_t i = 0; i < ELEMENTSOF(absent); i++) {
		CHECK(getgrnam(absent[i]) == NULL);
		CHECK(group_agrees(absent[i]));
	}
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
	RUN(test_userdb_parse_passwd_accepts_entries);
	RUN(test_userdb_parse_passwd_rejects_malformed);
	RUN(test_userdb_parse_passwd_another_name_is_not_found);
	RUN(test_userdb_parse_group_accepts_entries);
	RUN(test_userdb_parse_group_rejects_malformed);
	RUN(test_userdb_parse_initgroups_builds_getgrouplist_order);
	RUN(test_userdb_parse_initgroups_rejects_malformed);
	RUN(test_userdb_parse_initgroups_caps_the_count);
	RUN(test_userdb_check_program_root_rule);
	RUN(test_userdb_lookups_agree_with_getpwnam_and_getgrouplist);
	RUN(test_userdb_group_lookups_agree_with_getgrnam);
	rc = tap_done();
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	/* 77: ctest reports the root-only cases as skipped */
	return rc == 0 && skipped_root_cases ? 77 : rc;
}
