/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shared helpers of src/base: diagnostics shapes, membuf, io, arrays. */
#include "array.h"
#include "cleanup.h"
#include "diag.h"
#include "io.h"
#include "membuf.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* The one message of d, formatted as main prints it. */
static char *only_msg(struct sf_diag *d)
{
	return d->n == 1 ? diag_format(&d->msgs[0]) : NULL;
}

static void test_base_diag_shapes_format_as_main_prints(void)
{
	static const struct {
		int which;
		const char *want;
		int ret;
	} cases[] = {
		{ 0, "sysfence: a.ini:3: bad value \"x\"", -EINVAL },
		{ 1, "sysfence: --deny: bad value \"x\"", -EINVAL },
		{ 2, "sysfence: cannot read \"x\": No such file or directory", -ENOENT },
		{ 3, "sysfence: bad value \"x\"", -E2BIG },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct sf_diag d = { 0 };
		_cleanup_free_ char *m = NULL;
		int r = 0;

		switch (cases[i].which) {
		case 0:
			r = diag_at(&d, (struct sf_origin){ "a.ini", 3 }, -EINVAL, "bad value \"%s\"", "x");
			break;
		case 1:
			r = diag_at(&d, (struct sf_origin){ "--deny", 0 }, 0, "bad value \"%s\"", "x");
			break;
		case 2:
			errno = ENOENT;
			r = diag_errno(&d, "cannot read \"%s\"", "x");
			break;
		default:
			r = diag_msg(&d, -E2BIG, "bad value \"%s\"", "x");
			break;
		}
		m = only_msg(&d);
		CHECK_STR(m, cases[i].want);
		CHECK_INT(r, cases[i].ret);
		CHECK(diag_has_errors(&d));
		diag_clear(&d);
	}
}

static void test_base_membuf_builds_and_hands_over_text(void)
{
	struct membuf m;
	_cleanup_membuf_ struct membuf never_taken = { 0 };
	_cleanup_free_ char *s = NULL;
	size_t len = 0;

	CHECK_INT(membuf_open(&m), 0);
	fprintf(m.f, "%s=%d", "a", 1);
	s = membuf_take(&m, &len);
	CHECK_STR(s, "a=1");
	CHECK_INT(len, 3);
	CHECK(m.f == NULL && m.buf == NULL);
	CHECK(membuf_take(&m, NULL) == NULL);	/* taken once only */
	CHECK_INT(membuf_open(&never_taken), 0);
	fputs("freed by the cleanup", never_taken.f);
}

static void test_base_read_all_reads_to_the_end_and_caps_size(void)
{
	int p[2];
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	char big[10000];

	CHECK(pipe(p) == 0);
	CHECK_INT(write_all(p[1], "hello", 5), 0);
	close(p[1]);
	CHECK_INT(read_all(p[0], 100, &buf, &len), 0);
	close(p[0]);
	CHECK_STR(buf, "hello");
	CHECK_INT(len, 5);

	memset(big, 'x', sizeof(big));
	CHECK(pipe(p) == 0);
	CHECK_INT(write_all(p[1], big, 5000), 0);
	close(p[1]);
	free(buf);
	buf = NULL;
	CHECK_INT(read_all(p[0], 4096, &buf, &len), -EFBIG);
	CHECK(buf == NULL);
	close(p[0]);
}

static void test_base_array_reserve_doubles_and_keeps_contents(void)
{
	int *v = NULL;
	size_t cap = 0, n = 0;

	for (int i = 0; i < 100; i++) {
		CHECK_INT(ARRAY_RESERVE(v, cap, n + 1), 0);
		v[n++] = i;
	}
	CHECK(cap >= 100 && cap <= 128);
	CHECK(v && v[0] == 0 && v[99] == 99);
	CHECK_INT(array_reserve(&v, &cap, (size_t)-1, sizeof(*v)), -ENOMEM);
	CHECK(v && v[99] == 99);
	free(v);
}

int main(void)
{
	RUN(test_base_diag_shapes_format_as_main_prints);
	RUN(test_base_membuf_builds_and_hands_over_text);
	RUN(test_base_read_all_reads_to_the_end_and_caps_size);
	RUN(test_base_array_reserve_doubles_and_keeps_contents);
	return tap_done();
}
