/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal-safe text: what a program controls is escaped byte for byte,
 * valid UTF-8 that a terminal does not act on passes. */
#include "escape.h"
#include "tap.h"

#include <stdlib.h>

static void test_escape_controls_and_unsafe_utf8(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "/usr/bin/curl", "/usr/bin/curl" },
		{ "a\nb\tc\rd", "a\\nb\\tc\\rd" },
		{ "\x1b]0;x\x07", "\\e]0;x\\x07" },
		{ "back\\slash", "back\\\\slash" },
		{ "del\x7f", "del\\x7f" },
		{ "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" }, /* é € pass */
		{ "csi\xc2\x9b", "csi\\xc2\\x9b" }, /* C1 control */
		{ "rlo\xe2\x80\xae", "rlo\\xe2\\x80\\xae" }, /* U+202E */
		{ "bad\xff\xc3", "bad\\xff\\xc3" }, /* invalid, truncated */
		{ "over\xc0\xaf", "over\\xc0\\xaf" }, /* overlong '/' */
		{ "sur\xed\xa0\x80", "sur\\xed\\xa0\\x80" }, /* a surrogate */
		{ "", "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = escape_text(cases[i].in);

		CHECK_STR(s, cases[i].want);
		free(s);
	}
}

int main(void)
{
	RUN(test_escape_controls_and_unsafe_utf8);
	return tap_done();
}
