/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal-safe text (see escape.h). */
#include "escape.h"
#include "membuf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* The length of the valid UTF-8 sequence at s (2-4 bytes: no overlong
 * forms, no surrogates, nothing above U+10FFFF) and its code point, or 0. */
static size_t utf8_seq(const unsigned char *s, uint32_t *ret_cp)
{
	static const uint32_t min_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return len;
}

/* Code points a terminal or a text layout acts on. */
static bool unsafe_cp(uint32_t cp)
{
	return cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void escape_put(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		uint32_t cp = 0;
		size_t len;

		switch (*s) {
		case '\\':
			fputs("\\\\", f);
			s++;
			continue;
		case '\n':
			fputs("\\n", f);
			s++;
			continue;
		case '\t':
			fputs("\\t", f);
			s++;
			continue;
		case '\r':
			fputs("\\r", f);
			s++;
			continue;
		case 0x1b:
			fputs("\\e", f);
			s++;
			continue;
		default:
			break;
		}
		if (*s >= 0x20 && *s < 0x7f) {
			fputc(*s++, f);
			continue;
		}
		len = *s >= 0x80 ? utf8_seq(s, &cp) : 0;
		if (len && !unsafe_cp(cp)) {
			fwrite(s, 1, len, f);
			s += len;
			continue;
		}
		/* One byte at a time: the rest of an unsafe sequence is
		 * continuation bytes, escaped in turn. */
		for (size_t i = 0; i < (len ? len : 1); i++)
			fprintf(f, "\\x%02x", s[i]);
		s += len ? len : 1;
	}
}

char *escape_text(const char *s)
{
	_cleanup_membuf_ struct membuf m = { 0 };

	if (membuf_open(&m) < 0)
		return NULL;
	escape_put(m.f, s);
	return membuf_take(&m, NULL);
}
