/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>

static int failures;
static int checks;
static int tests;
static const char *current;

void tap_check(bool ok, const char *expr, const char *file, int line)
{
	checks++;
	if (!ok) {
		failures++;
		printf("# FAIL %s: %s:%d: %s\n", current ? current : "?", file, line, expr);
	}
}

void tap_check_str(const char *got, const char *want, const char *expr, const char *file, int line)
{
	bool ok = (got && want) ? strcmp(got, want) == 0 : got == want;

	tap_check(ok, expr, file, line);
	if (!ok)
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n", got ? got : "(null)", want ? want : "(null)");
}

void tap_check_int(long long got, long long want, const char *expr, const char *file, int line)
{
	tap_check(got == want, expr, file, line);
	if (got != want)
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
}

void tap_run(const char *name, void (*fn)(void))
{
	int before = failures;

	current = name;
	tests++;
	fn();
	printf("%s %d - %s\n", failures == before ? "ok" : "not ok", tests, name);
	current = NULL;
}

int tap_done(void)
{
	printf("1..%d\n# %d checks, %d failed\n", tests, checks, failures);
	if (checks == 0)
		return 1;	/* a test file that checks nothing is a failure */
	return failures ? 1 : 0;
}

bool tap_skip_kernel(const char *what)
{
	const char *e = getenv("SYSFENCE_TEST_EMULATED");

	if (!e || !*e)
		return false;
	printf("# skipped under %s: %s\n", e, what);
	return true;
}
