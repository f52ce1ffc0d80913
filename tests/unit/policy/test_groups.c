/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The group library profiles/groups.ini, checked against the libseccomp the
 * project is built with:
 * - every syscall libseccomp knows for x86_64 (and for the build machine's
 *   own architecture) is in some group, so that a syscall added by a newer
 *   libseccomp cannot slip through unclassified;
 * - every member is a syscall known on at least one architecture, or a
 *   defined @group, and groups do not include themselves;
 * - every group has a description (--list-groups shows it);
 * - @system-service shares no member with the groups that widen a program's
 *   reach, and @known holds every member of every group.
 *
 * The file is read with a small INI reader of its own that follows sysfence.profile(5)
 * (comment lines, " ;" inline comments, continuation lines), so this test
 * does not depend on the profile module. The checker collects messages
 * instead of stopping at the first, and the tests at the end feed it small
 * in-memory libraries to prove that each kind of problem is reported. */
#include "tap.h"

#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUPS_INI TEST_SOURCE_DIR "/profiles/groups.ini"

/* Groups that widen what a program can do to the system or to other
 * processes. None of their members may be in @system-service. */
static const char *const dangerous_groups[] = {
	"@clock", "@cpu-emulation", "@debug", "@keyring", "@module", "@mount", "@obsolete",
	"@privileged", "@raw-io", "@reboot", "@resources", "@swap", NULL,
};

/* Groups that profiles and users rely on by name. */
static const char *const required_groups[] = {
	"@aio", "@basic-io", "@chown", "@clock", "@cpu-emulation", "@debug", "@default",
	"@file-system", "@io-event", "@ipc", "@keyring", "@known", "@memlock", "@module",
	"@mount", "@network-io", "@obsolete", "@pkey", "@privileged", "@process", "@raw-io",
	"@reboot", "@resources", "@sandbox", "@setuid", "@signal", "@swap", "@sync",
	"@system-service", "@timer", NULL,
};

/* Every architecture this libseccomp may know, for "known somewhere". */
static const struct {
	const char *name;
	uint32_t token;
} arches[] = {
#define ARCH(a) { #a, SCMP_ARCH_##a },
	ARCH(X86) ARCH(X86_64) ARCH(X32) ARCH(ARM) ARCH(AARCH64)
	ARCH(MIPS) ARCH(MIPS64) ARCH(MIPS64N32) ARCH(MIPSEL) ARCH(MIPSEL64) ARCH(MIPSEL64N32)
	ARCH(PPC) ARCH(PPC64) ARCH(PPC64LE) ARCH(S390) ARCH(S390X)
#ifdef SCMP_ARCH_PARISC
	ARCH(PARISC) ARCH(PARISC64)
#endif
#ifdef SCMP_ARCH_RISCV64
	ARCH(RISCV64)
#endif
#ifdef SCMP_ARCH_LOONGARCH64
	ARCH(LOONGARCH64)
#endif
#ifdef SCMP_ARCH_M68K
	ARCH(M68K)
#endif
#ifdef SCMP_ARCH_SH
	ARCH(SH) ARCH(SHEB)
#endif
#undef ARCH
};

/* ---- small helpers -------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		perror("realloc");
		abort();
	}
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d) {
		perror("strndup");
		abort();
	}
	return d;
}

/* A list of strings; "owned" says whether strv_clear frees them. */
struct strv {
	char **v;
	size_t n;
	bool owned;
};

static bool strv_has(const struct strv *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return true;
	return false;
}

static void strv_push(struct strv *s, char *x)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = x;
}

static void strv_add_unique(struct strv *s, char *x)
{
	if (!strv_has(s, x))
		strv_push(s, x);
}

static void strv_clear(struct strv *s)
{
	if (s->owned)
		for (size_t i = 0; i < s->n; i++)
			free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

__attribute__((format(printf, 2, 3)))
static void problem(struct strv *p, const char *fmt, ...)
{
	va_list ap;
	char *m = NULL;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&m, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	strv_push(p, m);
}

/* ---- the library as read from the file ------------------------------------ */

struct group {
	char *name;		/* "@basic-io" */
	unsigned line;		/* first "@name =" line */
	char *description;	/* NULL if none */
	unsigned description_line;
	struct strv members;	/* owned, in file order, duplicates kept */
	struct strv member_lines;	/* parallel: "LINE" strings, owned */
	int state;		/* expansion: 0 new, 1 in progress, 2 done */
	struct strv expanded;	/* syscall names, not owned (point into members) */
};

struct library {
	const char *file;
	struct group *g;
	size_t n;
};

static struct group *group_find(struct library *lib, const char *name)
{
	for (size_t i = 0; i < lib->n; i++)
		if (strcmp(lib->g[i].name, name) == 0)
			return &lib->g[i];
	return NULL;
}

static struct group *group_get(struct library *lib, const char *name)
{
	struct group *g = group_find(lib, name);

	if (g)
		return g;
	lib->g = xrealloc(lib->g, (lib->n + 1) * sizeof(*lib->g));
	g = &lib->g[lib->n++];
	*g = (struct group){ .name = xstrndup(name, strlen(name)) };
	g->members.owned = true;
	g->member_lines.owned = true;
	return g;
}

static void library_free(struct library *lib)
{
	for (size_t i = 0; i < lib->n; i++) {
		free(lib->g[i].name);
		free(lib->g[i].description);
		strv_clear(&lib->g[i].members);
		strv_clear(&lib->g[i].member_lines);
		strv_clear(&lib->g[i].expanded);
	}
	free(lib->g);
	*lib = (struct library){ 0 };
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim [*b, *e) of blanks and, for values, of a " ;" inline comment. */
static void trim(const char **b, const char **e, bool strip_comment)
{
	if (strip_comment)
		for (const char *p = *b; p < *e; p++)
			if (*p == ';' && p > *b && is_blank(p[-1])) {
				*e = p;
				break;
			}
	while (*b < *e && is_blank(**b))
		(*b)++;
	while (*e > *b && (is_blank((*e)[-1]) || (*e)[-1] == '\r'))
		(*e)--;
}

/* Apply one value (a "key =" line or a continuation line) to the library. */
static void apply_value(struct library *lib, const char *key, const char *b, const char *e, unsigned line,
    struct strv *problems)
{
	const char *dot = strchr(key, '.');
	struct group *g;

	if (key[0] != '@') {
		problem(problems, "%s:%u: key \"%s\" in [groups] does not name a @group", lib->file, line, key);
		return;
	}
	if (dot && strcmp(dot, ".description") == 0) {
		char *name = xstrndup(key, (size_t)(dot - key));
		char *d = NULL;

		g = group_get(lib, name);
		free(name);
		if (asprintf(&d, "%s%s%.*s", g->description ? g->description : "", g->description ? " " : "",
			(int)(e - b), b) < 0)
			abort();
		free(g->description);
		g->description = d;
		if (!g->description_line)
			g->description_line = line;
		return;
	}
	if (dot) {
		problem(problems, "%s:%u: unknown key \"%s\" in [groups]", lib->file, line, key);
		return;
	}
	g = group_get(lib, key);
	if (!g->line)
		g->line = line;
	while (b < e) {
		const char *w;
		char *num = NULL;

		while (b < e && is_blank(*b))
			b++;
		w = b;
		while (b < e && !is_blank(*b))
			b++;
		if (b == w)
			break;
		strv_push(&g->members, xstrndup(w, (size_t)(b - w)));
		if (asprintf(&num, "%u", line) < 0)
			abort();
		strv_push(&g->member_lines, num);
	}
}

/* Parse INI text into lib (lib->file must be set). Syntax problems go to
 * problems as "FILE:LINE: message". */
static void library_parse(struct library *lib, const char *text, struct strv *problems)
{
	char *key = NULL;	/* the key continuation lines continue */
	bool in_groups = false;
	unsigned line = 0;

	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		const char *b = p, *e;
		bool continued = is_blank(*p);

		if (!end)
			end = p + strlen(p);
		e = end;
		line++;
		p = *end ? end + 1 : end;

		trim(&b, &e, false);
		if (b == e || *b == '#' || *b == ';')
			continue;
		if (continued && key) {
			/* Starts with whitespace: continues the previous value. */
			trim(&b, &e, true);
			if (in_groups)
				apply_value(lib, key, b, e, line, problems);
			continue;
		}
		free(key);
		key = NULL;
		if (*b == '[') {
			const char *close = memchr(b, ']', (size_t)(e - b));

			if (!close) {
				problem(problems, "%s:%u: section header without ']'", lib->file, line);
				in_groups = false;
				continue;
			}
			in_groups = close - b - 1 == 6 && strncmp(b + 1, "groups", 6) == 0;
			if (!in_groups)
				problem(problems, "%s:%u: unexpected section [%.*s] (the library holds only [groups])",
				    lib->file, line, (int)(close - b - 1), b + 1);
			continue;
		}
		{
			const char *eq = memchr(b, '=', (size_t)(e - b));
			const char *kb = b, *ke;

			if (!eq) {
				problem(problems, "%s:%u: expected \"key = value\"", lib->file, line);
				continue;
			}
			ke = eq;
			trim(&kb, &ke, false);
			key = xstrndup(kb, (size_t)(ke - kb));
			b = eq + 1;
			trim(&b, &e, true);
			if (!in_groups) {
				problem(problems, "%s:%u: key \"%s\" outside [groups]", lib->file, line, key);
				continue;
			}
			apply_value(lib, key, b, e, line, problems);
		}
	}
	free(key);
}

/* ---- checks ----------------------------------------------------------------- */

static bool known_somewhere(const char *name)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (seccomp_syscall_resolve_name_arch(arches[i].token, name) >= 0)
			return true;
	return false;
}

/* Expand g into g->expanded; report unknown names, undefined groups and
 * cycles (once, at the group that closes the cycle). */
static void expand(struct library *lib, struct group *g, struct strv *problems)
{
	if (g->state == 2)
		return;
	if (g->state == 1) {
		problem(problems, "%s:%u: %s includes itself", lib->file, g->line, g->name);
		return;
	}
	g->state = 1;
	for (size_t i = 0; i < g->members.n; i++) {
		char *m = g->members.v[i];
		const char *at = g->member_lines.v[i];

		if (m[0] == '@') {
			struct group *sub = group_find(lib, m);

			if (!sub || sub->members.n == 0) {
				problem(problems, "%s:%s: %s: unknown group \"%s\"", lib->file, at, g->name, m);
				continue;
			}
			expand(lib, sub, problems);
			if (sub->state != 2)
				continue;
			for (size_t j = 0; j < sub->expanded.n; j++)
				strv_add_unique(&g->expanded, sub->expanded.v[j]);
		} else if (!known_somewhere(m)) {
			problem(problems, "%s:%s: %s: syscall \"%s\" is known on no architecture", lib->file, at,
			    g->name, m);
		} else {
			strv_add_unique(&g->expanded, m);
		}
	}
	g->state = 2;
}

/* Every syscall libseccomp knows for arch (numbers [lo, hi)) must be in some
 * group: each one missing is reported by name. */
static void check_coverage(const struct strv *all, const char *arch_name, uint32_t arch, int lo, int hi,
    struct strv *problems)
{
	for (int nr = lo; nr < hi; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(arch, nr);

		if (!name)
			continue;
		if (!strv_has(all, name))
			problem(problems, "syscall \"%s\" (%s nr %d) is in no group", name, arch_name, nr);
		free(name);
	}
}

static const char *arch_name(uint32_t token)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i].token == token)
			return arches[i].name;
	return "native";
}

/* Run every check on a parsed library. */
static void library_check(struct library *lib, struct strv *problems)
{
	struct strv all = { 0 };
	struct group *service, *known;
	uint32_t native = seccomp_arch_native();

	for (size_t i = 0; i < lib->n; i++) {
		struct group *g = &lib->g[i];

		if (g->members.n == 0)
			problem(problems, "%s:%u: description for undefined group %s", lib->file,
			    g->description_line, g->name);
		else if (!g->description || !g->description[0])
			problem(problems, "%s:%u: %s has no description", lib->file, g->line, g->name);
		expand(lib, g, problems);
		for (size_t j = 0; j < g->expanded.n; j++)
			strv_add_unique(&all, g->expanded.v[j]);
	}
	for (const char *const *r = required_groups; *r; r++)
		if (!group_find(lib, *r) || group_find(lib, *r)->members.n == 0)
			problem(problems, "%s: missing group %s", lib->file, *r);

	/* The two architectures sysfence is built and tested on (README.md,
	 * "Architectures"), on any build machine; then the native one. */
	check_coverage(&all, "x86_64", SCMP_ARCH_X86_64, 0, 1024, problems);
	check_coverage(&all, "aarch64", SCMP_ARCH_AARCH64, 0, 1024, problems);
	if (native != SCMP_ARCH_X86_64 && native != SCMP_ARCH_AARCH64) {
		/* Other ABIs number from an offset (MIPS: 4000-6999); ARM's
		 * private calls start at 0x0f0000. */
		check_coverage(&all, arch_name(native), native, 0, 10000, problems);
		check_coverage(&all, arch_name(native), native, 0x0f0000, 0x0f0100, problems);
	}

	service = group_find(lib, "@system-service");
	for (const char *const *d = dangerous_groups; service && *d; d++) {
		struct group *g = group_find(lib, *d);

		for (size_t j = 0; g && j < g->expanded.n; j++)
			if (strv_has(&service->expanded, g->expanded.v[j]))
				problem(problems, "%s: @system-service contains \"%s\" from %s", lib->file,
				    g->expanded.v[j], *d);
	}

	known = group_find(lib, "@known");
	for (size_t j = 0; known && j < all.n; j++)
		if (!strv_has(&known->expanded, all.v[j]))
			problem(problems, "%s: @known misses \"%s\"", lib->file, all.v[j]);
	strv_clear(&all);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	for (;;) {
		buf = xrealloc(buf, n + 4096 + 1);
		size_t r = fread(buf + n, 1, 4096, f);

		n += r;
		if (r < 4096)
			break;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Parse and check text; the caller clears *problems. */
static void check_text(const char *file, const char *text, struct strv *problems)
{
	struct library lib = { .file = file };

	problems->owned = true;
	library_parse(&lib, text, problems);
	library_check(&lib, problems);
	library_free(&lib);
}

static void check_problem_present(const struct strv *problems, const char *want, int line)
{
	bool found = strv_has(problems, want);

	tap_check(found, want, __FILE__, line);
	if (!found)
		for (size_t i = 0; i < problems->n && i < 20; i++)
			printf("#   reported: %s\n", problems->v[i]);
}

/* ---- tests ------------------------------------------------------------------ */

/* The shipped library: no problem at all. Each problem is its own failed
 * check whose text names the syscall or group. */
static void test_groups_ini_is_complete_and_consistent(void)
{
	char *text = read_file(GROUPS_INI);
	struct strv problems = { 0 };

	CHECK(text != NULL);
	if (!text)
		return;
	check_text("profiles/groups.ini", text, &problems);
	CHECK_INT(problems.n, 0);
	for (size_t i = 0; i < problems.n; i++)
		tap_check(false, problems.v[i], __FILE__, __LINE__);
	strv_clear(&problems);
	free(text);
}

/* The checker itself: each kind of problem is reported with its text. */
static const struct {
	const char *text;
	const char *want;
} bad_libraries[] = {
	{ "[groups]\n@a = read opne\n@a.description = x\n",
	    "t.ini:2: @a: syscall \"opne\" is known on no architecture" },
	{ "[groups]\n@a = read\n\t@nope\n@a.description = x\n", "t.ini:3: @a: unknown group \"@nope\"" },
	{ "[groups]\n@a = read\n", "t.ini:2: @a has no description" },
	{ "[groups]\n@a.description = x\n", "t.ini:2: description for undefined group @a" },
	{ "[groups]\n@a = @b\n@a.description = x\n@b = @a\n@b.description = y\n", "t.ini:2: @a includes itself" },
	{ "[groups]\n@a = read\n@a.description = x\n", "syscall \"write\" (x86_64 nr 1) is in no group" },
	{ "[groups]\n@a = read\n@a.description = x\n", "syscall \"write\" (aarch64 nr 64) is in no group" },
	{ "[groups]\n@system-service = ptrace\n@debug = ptrace\n",
	    "t.ini: @system-service contains \"ptrace\" from @debug" },
	{ "[groups]\n@known = read\n@x = write\n", "t.ini: @known misses \"write\"" },
	{ "[groups]\n@a = read\n", "t.ini: missing group @default" },
	{ "[seccomp]\nallow = read\n", "t.ini:1: unexpected section [seccomp] (the library holds only [groups])" },
	{ "[groups]\nread = x\n", "t.ini:2: key \"read\" in [groups] does not name a @group" },
};

static void test_checker_reports_each_problem(void)
{
	for (size_t i = 0; i < sizeof(bad_libraries) / sizeof(bad_libraries[0]); i++) {
		struct strv problems = { 0 };

		check_text("t.ini", bad_libraries[i].text, &problems);
		check_problem_present(&problems, bad_libraries[i].want, __LINE__);
		strv_clear(&problems);
	}
}

/* Names that exist only on other architectures are members, not errors,
 * and comments, inline comments and continuation lines are read as sysfence.profile(5)
 * says: ';' starts a comment only after whitespace. */
static void test_checker_accepts_foreign_names_comments_and_continuations(void)
{
	static const char text[] = "[groups]\n"
				   "# comment\n"
				   "@a = _llseek socketcall ; i386 and friends\n"
				   "\tread\n"
				   "@a.description = one\n"
				   "\tline\n"
				   "@b = x;y\n";
	struct library lib = { .file = "t.ini" };
	struct strv problems = { .owned = true };
	struct group *a, *b;

	library_parse(&lib, text, &problems);
	CHECK_INT(problems.n, 0);
	a = group_find(&lib, "@a");
	b = group_find(&lib, "@b");
	CHECK(a != NULL);
	CHECK(b != NULL);
	if (a) {
		CHECK_INT(a->members.n, 3);
		CHECK_STR(a->description, "one line");
		CHECK_INT(a->line, 3);
		expand(&lib, a, &problems);
		CHECK_INT(problems.n, 0);
		CHECK_INT(a->expanded.n, 3);
	}
	if (b) {
		CHECK_INT(b->members.n, 1);
		CHECK_STR(b->members.v[0], "x;y");
	}
	strv_clear(&problems);
	library_free(&lib);
}

int main(void)
{
	RUN(test_groups_ini_is_complete_and_consistent);
	RUN(test_checker_reports_each_problem);
	RUN(test_checker_accepts_foreign_names_comments_and_continuations);
	return tap_done();
}
