/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Conditions: text -> struct sf_cond, messages, constants, printing back. */
#include "cleanup.h"
#include "cond.h"
#include "constants.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/socket.h>

#define FILE_NAME "test.ini"
#define LINE 7

struct want_cmp {
	unsigned arg;
	enum sf_cmp_op op;
	uint64_t value;
	uint64_t mask;
};

struct ok_case {
	const char *text;
	size_t n_terms;
	size_t n_cmps[4];
	struct want_cmp cmps[4][4];
};

#define EQ(a, v) { (a), SF_CMP_EQ, (v), 0 }
#define OP(a, o, v) { (a), (o), (v), 0 }
#define MASKED(a, m, v) { (a), SF_CMP_MASKED_EQ, (v), (m) }
#define ANY(a, m) { (a), SF_CMP_ANY_BITS, 0, (m) }

static const struct ok_case ok_cases[] = {
	{ "arg0 == AF_UNIX", 1, { 1 }, { { EQ(0, AF_UNIX) } } },
	{ "arg0==AF_UNIX", 1, { 1 }, { { EQ(0, AF_UNIX) } } },
	{ "  arg5\t!= 3  ", 1, { 1 }, { { OP(5, SF_CMP_NE, 3) } } },
	{ "arg1 < 10", 1, { 1 }, { { OP(1, SF_CMP_LT, 10) } } },
	{ "arg1 <= 10", 1, { 1 }, { { OP(1, SF_CMP_LE, 10) } } },
	{ "arg1 > 10", 1, { 1 }, { { OP(1, SF_CMP_GT, 10) } } },
	{ "arg1 >= 10", 1, { 1 }, { { OP(1, SF_CMP_GE, 10) } } },
	{ "arg1<=10&&arg2>=3", 1, { 2 }, { { OP(1, SF_CMP_LE, 10), OP(2, SF_CMP_GE, 3) } } },
	/* Numbers: decimal, hex, octal, negative (two's complement). */
	{ "arg0 == 0x1F", 1, { 1 }, { { EQ(0, 31) } } },
	{ "arg0 == 0X1f", 1, { 1 }, { { EQ(0, 31) } } },
	{ "arg0 == 0755", 1, { 1 }, { { EQ(0, 493) } } },
	{ "arg0 == 0", 1, { 1 }, { { EQ(0, 0) } } },
	{ "arg0 == -1", 1, { 1 }, { { EQ(0, UINT64_MAX) } } },
	{ "arg0==-100", 1, { 1 }, { { EQ(0, (uint64_t)-100) } } },
	{ "arg0 == -0x8000000000000000", 1, { 1 }, { { EQ(0, 0x8000000000000000ULL) } } },
	{ "arg0 == 18446744073709551615", 1, { 1 }, { { EQ(0, UINT64_MAX) } } },
	{ "arg0 == 0xffffffffffffffff", 1, { 1 }, { { EQ(0, UINT64_MAX) } } },
	{ "arg0 == AT_FDCWD", 1, { 1 }, { { EQ(0, (uint64_t)AT_FDCWD) } } },
	/* Constants and numbers joined by '|'. */
	{ "arg1 == O_CREAT|O_EXCL", 1, { 1 }, { { EQ(1, O_CREAT | O_EXCL) } } },
	{ "arg1 == O_CREAT | O_EXCL | 0x4", 1, { 1 }, { { EQ(1, O_CREAT | O_EXCL | 4) } } },
	/* Masks. */
	{ "arg2 & PROT_EXEC == PROT_EXEC", 1, { 1 }, { { MASKED(2, PROT_EXEC, PROT_EXEC) } } },
	{ "arg2&PROT_EXEC==0", 1, { 1 }, { { MASKED(2, PROT_EXEC, 0) } } },
	{ "arg1 & O_CREAT|O_TMPFILE == O_CREAT", 1, { 1 },
	    { { MASKED(1, O_CREAT | O_TMPFILE, O_CREAT) } } },
	{ "arg0 & CLONE_NEWUSER", 1, { 1 }, { { ANY(0, CLONE_NEWUSER) } } },
	{ "arg0&CLONE_NEWUSER|CLONE_NEWNET", 1, { 1 }, { { ANY(0, CLONE_NEWUSER | CLONE_NEWNET) } } },
	{ "arg0 & CLONE_NEWUSER && arg1 == 0", 1, { 2 }, { { ANY(0, CLONE_NEWUSER), EQ(1, 0) } } },
	{ "arg0&1&&arg1&2", 1, { 2 }, { { ANY(0, 1), ANY(1, 2) } } },
	{ "arg0 & 1 || arg1 & 2 == 2", 2, { 1, 1 }, { { ANY(0, 1) }, { MASKED(1, 2, 2) } } },
	/* "&&" binds tighter than "||". */
	{ "arg0 == 1 || arg1 == 2 && arg2 == 3", 2, { 1, 2 },
	    { { EQ(0, 1) }, { EQ(1, 2), EQ(2, 3) } } },
	{ "arg0 == 1 && arg1 == 2 || arg2 == 3", 2, { 2, 1 },
	    { { EQ(0, 1), EQ(1, 2) }, { EQ(2, 3) } } },
	{ "arg0 == AF_UNIX || arg0 == AF_INET || arg0 == AF_INET6", 3, { 1, 1, 1 },
	    { { EQ(0, AF_UNIX) }, { EQ(0, AF_INET) }, { EQ(0, AF_INET6) } } },
	{ "arg0==1&&arg1==2||arg2==3&&arg3==4", 2, { 2, 2 },
	    { { EQ(0, 1), EQ(1, 2) }, { EQ(2, 3), EQ(3, 4) } } },
	{ "arg1 == TIOCSTI", 1, { 1 }, { { EQ(1, TIOCSTI) } } },
};

static bool cmp_equal(const struct sf_cmp *got, const struct want_cmp *want)
{
	return got->arg == want->arg && got->op == want->op && got->value == want->value &&
	    got->mask == want->mask;
}

static void test_cond_parses_valid_conditions(void)
{
	for (size_t i = 0; i < ELEMENTSOF(ok_cases); i++) {
		const struct ok_case *k = &ok_cases[i];
		struct sf_diag d = { 0 };
		struct sf_cond *c = NULL;
		int r = cond_parse(k->text, FILE_NAME, LINE, &c, &d);

		CHECK_INT(r, 0);
		CHECK_INT(d.n, 0);
		if (r < 0 || !c) {
			printf("#   input: \"%s\"\n", k->text);
			diag_clear(&d);
			continue;
		}
		CHECK_INT(c->n, k->n_terms);
		for (size_t t = 0; t < c->n && t < k->n_terms; t++) {
			CHECK_INT(c->terms[t].n, k->n_cmps[t]);
			for (size_t j = 0; j < c->terms[t].n && j < k->n_cmps[t]; j++) {
				bool ok = cmp_equal(&c->terms[t].cmps[j], &k->cmps[t][j]);

				CHECK(ok);
				if (!ok)
					printf("#   input: \"%s\", term %zu, comparison %zu\n", k->text, t, j);
			}
		}
		cond_free(c);
		diag_clear(&d);
	}
}

struct err_case {
	const char *text;
	const char *msg;
};

static const struct err_case err_cases[] = {
	{ "", "empty condition" },
	{ "   \t ", "empty condition" },
	{ "arg6 == 1", "expected arg0 to arg5, found \"arg6\"" },
	{ "arg10 == 1", "expected arg0 to arg5, found \"arg10\"" },
	{ "arg == 1", "expected arg0 to arg5, found \"arg\"" },
	{ "foo == 1", "expected arg0 to arg5, found \"foo\"" },
	{ "1 == arg0", "expected arg0 to arg5, found \"1\"" },
	{ "(arg0 == 1)", "expected arg0 to arg5, found \"(\"" },
	{ "arg0", "expected an operator after \"arg0\"" },
	{ "arg0 = 1", "expected an operator after \"arg0\", found \"=\"" },
	{ "arg0 AF_UNIX", "expected an operator after \"arg0\", found \"AF_UNIX\"" },
	{ "arg0 ==", "expected a value after \"==\"" },
	{ "arg0 == && arg1 == 2", "expected a value after \"==\", found \"&&\"" },
	{ "arg0 == O_CREAT|", "expected a value after \"|\"" },
	{ "arg0 &", "expected a value after \"&\"" },
	{ "arg0 & 1 ==", "expected a value after \"==\"" },
	{ "arg0 == 1 &&", "expected arg0 to arg5 after \"&&\"" },
	{ "arg0 == 1 ||", "expected arg0 to arg5 after \"||\"" },
	{ "arg0 == 1 || || arg1 == 2", "expected arg0 to arg5 after \"||\", found \"||\"" },
	{ "arg0 == 1 && arg7 == 2", "expected arg0 to arg5 after \"&&\", found \"arg7\"" },
	{ "arg0 == AF_UNIXX", "unknown constant \"AF_UNIXX\" (did you mean \"AF_UNIX\"?)" },
	{ "arg0 == af_unix", "unknown constant \"af_unix\" (did you mean \"AF_UNIX\"?)" },
	{ "arg1 == TIOCSTO", "unknown constant \"TIOCSTO\" (did you mean \"TIOCSTI\"?)" },
	{ "arg0 == NO_SUCH_THING_AT_ALL", "unknown constant \"NO_SUCH_THING_AT_ALL\"" },
	{ "arg0 == 1 trailing", "unexpected \"trailing\" after \"arg0 == 1\"" },
	{ "arg0 == AF_UNIX AF_INET", "unexpected \"AF_INET\" after \"arg0 == AF_UNIX\"" },
	{ "arg0 == 1 & arg1 == 2", "unexpected \"&\" after \"arg0 == 1\"" },
	{ "arg0 == 1 ==", "unexpected \"==\" after \"arg0 == 1\"" },
	{ "arg0 & 1 2", "unexpected \"2\" after \"arg0 & 1\"" },
	{ "arg0 == 1 | arg1 == 2", "expected a value after \"|\", found \"arg1\" (did you mean \"||\"?)" },
	{ "arg0 == arg1", "comparing with another argument (\"arg1\") is not supported" },
	{ "arg0 == 18446744073709551616", "number \"18446744073709551616\" does not fit in 64 bits" },
	{ "arg0 == 0x10000000000000000", "number \"0x10000000000000000\" does not fit in 64 bits" },
	{ "arg0 == -0x8000000000000001", "number \"-0x8000000000000001\" does not fit in 64 bits" },
	{ "arg0 == 09", "invalid number \"09\"" },
	{ "arg0 == 0x", "invalid number \"0x\"" },
	{ "arg0 == 12abc", "invalid number \"12abc\"" },
	{ "arg0 == - 1", "expected a value after \"==\", found \"-\"" },
	{ "arg1 & O_CREAT != 0",
	    "\"arg1 & MASK != VALUE\" is not supported; write \"arg1 & MASK\" "
	    "(true when any bit of MASK is set) or \"arg1 != VALUE\"" },
	{ "arg2 & 3 < 2", "\"arg2 & MASK < VALUE\" is not supported; only \"==\" may follow a mask" },
	{ "arg0 & 0", "\"arg0 & 0\" can never be true (the mask is 0)" },
	{ "arg0 & 1 == 2", "\"arg0 & 1 == 2\" can never be true (the value has bits outside the mask)" },
};

static void test_cond_rejects_bad_conditions_with_exact_messages(void)
{
	for (size_t i = 0; i < ELEMENTSOF(err_cases); i++) {
		const struct err_case *k = &err_cases[i];
		struct sf_diag d = { 0 };
		struct sf_cond *c = (struct sf_cond *)&d;	/* must stay untouched */
		int r = cond_parse(k->text, FILE_NAME, LINE, &c, &d);

		CHECK_INT(r, -EINVAL);
		CHECK(c == (struct sf_cond *)&d);
		CHECK_INT(d.n, 1);
		CHECK_INT(d.n_errors, 1);
		if (d.n == 1) {
			CHECK_STR(d.msgs[0].text, k->msg);
			CHECK_STR(d.msgs[0].file, FILE_NAME);
			CHECK_INT(d.msgs[0].line, LINE);
			CHECK_INT(d.msgs[0].err, 0);
		}
		diag_clear(&d);
	}
}

static void test_cond_null_text_is_empty(void)
{
	struct sf_diag d = { 0 };
	struct sf_cond *c = NULL;

	CHECK_INT(cond_parse(NULL, NULL, 0, &c, &d), -EINVAL);
	CHECK(c == NULL);
	CHECK_INT(d.n, 1);
	if (d.n == 1)
		CHECK_STR(d.msgs[0].text, "empty condition");
	diag_clear(&d);
}

/* Builds "arg0 == 0 && arg1 == 1 && ..." with n comparisons joined by sep. */
static char *repeat_cmp(size_t n, const char *sep)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%sarg%zu == %zu", i ? sep : "", i % 6, i);
	fclose(f);
	return buf;
}

static void test_cond_caps_comparisons_and_alternatives(void)
{
	static const struct {
		size_t n;
		const char *sep;
		const char *msg;	/* NULL: accepted */
	} cases[] = {
		{ 48, " && ", NULL },
		{ 49, " && ", "too many comparisons joined by \"&&\" (at most 48)" },
		{ 64, " || ", NULL },
		{ 65, " || ", "too many alternatives joined by \"||\" (at most 64)" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		char *text = repeat_cmp(cases[i].n, cases[i].sep);
		struct sf_diag d = { 0 };
		struct sf_cond *c = NULL;
		int r;

		CHECK(text != NULL);
		if (!text)
			continue;
		r = cond_parse(text, FILE_NAME, LINE, &c, &d);
		if (cases[i].msg) {
			CHECK_INT(r, -EINVAL);
			CHECK_INT(d.n, 1);
			if (d.n == 1)
				CHECK_STR(d.msgs[0].text, cases[i].msg);
		} else {
			CHECK_INT(r, 0);
			CHECK(c != NULL);
			if (c && strcmp(cases[i].sep, " && ") == 0) {
				CHECK_INT(c->n, 1);
				CHECK_INT(c->terms[0].n, cases[i].n);
			} else if (c) {
				CHECK_INT(c->n, cases[i].n);
			}
		}
		cond_free(c);
		diag_clear(&d);
		free(text);
	}
}

/* The VALUE of "arg0 == VALUE", through cond_parse(). */
static int value_of(const char *text, uint64_t *ret, struct sf_diag *d)
{
	struct sf_cond *c = NULL;
	char *rule = NULL;
	int r;

	if (asprintf(&rule, "arg0 == %s", text) < 0)
		return -ENOMEM;
	r = cond_parse(rule, FILE_NAME, LINE, &c, d);
	if (r == 0)
		*ret = c->terms[0].cmps[0].value;
	cond_free(c);
	free(rule);
	return r;
}

static void test_cond_parse_reads_values(void)
{
	static const struct {
		const char *text;
		uint64_t value;
		const char *msg;	/* NULL: accepted */
	} cases[] = {
		{ "AF_UNIX", AF_UNIX, NULL },
		{ " O_CREAT | O_EXCL ", O_CREAT | O_EXCL, NULL },
		{ "0x10|1", 0x11, NULL },
		{ "-1", UINT64_MAX, NULL },
		{ "010", 8, NULL },
		{ "O_CREATE", 0, "unknown constant \"O_CREATE\" (did you mean \"O_CREAT\"?)" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct sf_diag d = { 0 };
		uint64_t v = 12345;
		int r = value_of(cases[i].text, &v, &d);

		if (cases[i].msg) {
			CHECK_INT(r, -EINVAL);
			CHECK(v == 12345);
			CHECK_INT(d.n, 1);
			if (d.n == 1)
				CHECK_STR(d.msgs[0].text, cases[i].msg);
		} else {
			CHECK_INT(r, 0);
			CHECK(v == cases[i].value);
			CHECK_INT(d.n, 0);
		}
		diag_clear(&d);
	}
}

static bool cond_equal(const struct sf_cond *a, const struct sf_cond *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		if (a->terms[i].n != b->terms[i].n)
			return false;
		for (size_t j = 0; j < a->terms[i].n; j++) {
			const struct sf_cmp *x = &a->terms[i].cmps[j], *y = &b->terms[i].cmps[j];

			if (x->arg != y->arg || x->op != y->op || x->value != y->value || x->mask != y->mask)
				return false;
		}
	}
	return true;
}

static void test_cond_to_string_prints_canonically_and_round_trips(void)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "arg0==1", "arg0 == 1" },
		{ "arg1 == 0x10", "arg1 == 0x10" },
		{ "arg1 == 16", "arg1 == 0x10" },
		{ "arg0 != 9 && arg1 < 2 && arg2 <= 3 && arg3 > 4 && arg4 >= 5",
		    "arg0 != 9 && arg1 < 2 && arg2 <= 3 && arg3 > 4 && arg4 >= 5" },
		{ "arg0 == -1", "arg0 == 0xffffffffffffffff" },
		{ "arg2 & 0x4 == 0x4", "arg2 & 4 == 4" },
		{ "arg2 & 0x30 == 0x10", "arg2 & 0x30 == 0x10" },
		{ "arg0 & 0x10000000", "arg0 & 0x10000000" },
		{ "arg0 == 1 && arg1 == 2 || arg2 & 3", "arg0 == 1 && arg1 == 2 || arg2 & 3" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct sf_cond *c = NULL, *again = NULL;
		struct sf_diag d = { 0 };
		char *s = NULL;

		CHECK_INT(cond_parse(cases[i].text, FILE_NAME, LINE, &c, &d), 0);
		if (c)
			s = cond_to_string(c);
		CHECK_STR(s, cases[i].want);
		if (s) {
			CHECK_INT(cond_parse(s, FILE_NAME, LINE, &again, &d), 0);
			CHECK(again && cond_equal(c, again));
		}
		CHECK_INT(d.n, 0);
		cond_free(again);
		cond_free(c);
		free(s);
		diag_clear(&d);
	}

	/* Every valid case of the parser table survives the round trip. */
	for (size_t i = 0; i < ELEMENTSOF(ok_cases); i++) {
		struct sf_cond *c = NULL, *again = NULL;
		struct sf_diag d = { 0 };
		char *s = NULL;

		CHECK_INT(cond_parse(ok_cases[i].text, FILE_NAME, LINE, &c, &d), 0);
		if (c)
			s = cond_to_string(c);
		CHECK(s != NULL);
		if (s)
			CHECK_INT(cond_parse(s, FILE_NAME, LINE, &again, &d), 0);
		CHECK(c && again && cond_equal(c, again));
		cond_free(again);
		cond_free(c);
		free(s);
		diag_clear(&d);
	}
}

static void test_constants_come_from_the_system_headers(void)
{
#define C(name) { #name, (uint64_t)(name) }
	static const struct {
		const char *name;
		uint64_t value;
	} want[] = {
		C(TIOCSTI), C(TIOCLINUX), C(TCGETS), C(FIONREAD),
		C(AF_UNIX), C(AF_INET), C(AF_INET6), C(AF_NETLINK), C(AF_PACKET), C(AF_VSOCK), C(AF_ALG),
		C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_CLOEXEC), C(SOL_SOCKET), C(SO_REUSEADDR),
		C(NETLINK_ROUTE), C(NETLINK_AUDIT),
		C(CLONE_NEWUSER), C(CLONE_NEWNS), C(CLONE_NEWPID), C(CLONE_NEWNET), C(CLONE_NEWUTS),
		C(CLONE_NEWIPC), C(CLONE_NEWCGROUP), C(CLONE_NEWTIME), C(CLONE_THREAD),
		C(PROT_EXEC), C(PROT_WRITE), C(MAP_SHARED), C(MAP_PRIVATE), C(MAP_ANONYMOUS), C(MFD_CLOEXEC),
		C(O_CREAT), C(O_EXCL), C(O_TMPFILE), C(O_WRONLY), C(O_RDWR), C(AT_FDCWD), C(F_SETFL),
		C(PER_LINUX32), C(ADDR_NO_RANDOMIZE), C(SIGSYS), C(SIGKILL), C(RLIMIT_NOFILE), C(GRND_RANDOM),
		C(PTRACE_TRACEME), C(PTRACE_ATTACH),
	};
#undef C
	const char *const *names = constant_names();
	size_t n = 0;

	for (size_t i = 0; i < ELEMENTSOF(want); i++) {
		uint64_t v = 0;
		bool found = constant_lookup(want[i].name, &v);

		CHECK(found);
		CHECK(v == want[i].value);
		if (!found || v != want[i].value)
			printf("#   constant %s\n", want[i].name);
	}
	/* Negative values are stored as two's complement. */
	CHECK(AT_FDCWD < 0);
	CHECK(constant_lookup("AT_FDCWD", NULL));
	CHECK(!constant_lookup("NO_SUCH_CONSTANT", NULL));
	CHECK(!constant_lookup("", NULL));
	CHECK(!constant_lookup("af_unix", NULL));
	/* Macros that are not integer constants are left out. */
	CHECK(!constant_lookup("MAP_FAILED", NULL));
	CHECK(!constant_lookup("SIG_DFL", NULL));
	CHECK(!constant_lookup("SIGRTMIN", NULL));

	/* Sorted for bsearch, every name found, NULL-terminated. */
	CHECK(names != NULL);
	for (n = 0; names && names[n]; n++) {
		if (n > 0)
			CHECK(strcmp(names[n - 1], names[n]) < 0);
		CHECK(constant_lookup(names[n], NULL));
	}
	CHECK(n > 500);
}

static void test_constants_parse_to_their_header_values(void)
{
	struct sf_diag d = { 0 };
	uint64_t v = 0;

	CHECK_INT(value_of("TIOCSTI", &v, &d), 0);
	CHECK(v == TIOCSTI);
	CHECK_INT(value_of("CLONE_NEWUSER|CLONE_NEWNS", &v, &d), 0);
	CHECK(v == (CLONE_NEWUSER | CLONE_NEWNS));
	CHECK_INT(value_of("AT_FDCWD", &v, &d), 0);
	CHECK(v == (uint64_t)AT_FDCWD);
	CHECK_INT(d.n, 0);
	diag_clear(&d);
}

int main(void)
{
	RUN(test_cond_parses_valid_conditions);
	RUN(test_cond_rejects_bad_conditions_with_exact_messages);
	RUN(test_cond_null_text_is_empty);
	RUN(test_cond_caps_comparisons_and_alternatives);
	RUN(test_cond_parse_reads_values);
	RUN(test_cond_to_string_prints_canonically_and_round_trips);
	RUN(test_constants_come_from_the_system_headers);
	RUN(test_constants_parse_to_their_header_values);
	return tap_done();
}
