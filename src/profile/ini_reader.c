/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Line reader for libinih: see ini_reader.h. The classification below
 * mirrors ini_parse_stream() of inih r55 with Debian's settings
 * (multi-line on, start comments ";#", inline comments ";" after
 * whitespace), so that the reader knows which lines must reach the handler. */
#include "ini_reader.h"

#include "cleanup.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define UTF8_BOM "\xEF\xBB\xBF"

/* isspace() of the C locale, minus the bytes the reader refuses anyway
 * (\v, \f) and the line terminator. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_bad_byte(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f;
}

/* Offset of the first byte of s[0..len) that is_bad_byte(), or len. Eight
 * bytes at a time: a word holding no byte below 0x20 and none equal to 0x7f
 * (the usual case: the bit tricks below find out in a few instructions) has
 * no bad byte; any other word (a tab, say) is looked at byte by byte. */
static size_t find_bad_byte(const char *s, size_t len)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t x, del;

		memcpy(&x, s + i, 8);
		del = x ^ (0x7f * ones);
		/* (v - 0x01..) & ~v & 0x80.. is non-zero iff some byte of v is
		 * zero; with 0x20 for 0x01, iff some byte is below 0x20. */
		if ((((x - 0x20 * ones) & ~x) | ((del - ones) & ~del)) & highs)
			for (size_t k = i; k < i + 8; k++)
				if (is_bad_byte((unsigned char)s[k]))
					return k;
	}
	for (; i < len; i++)
		if (is_bad_byte((unsigned char)s[i]))
			return i;
	return len;
}

int ini_reader_error(struct sf_ini_reader *r, int err, bool stop, const char *fmt, ...)
{
	_cleanup_free_ char *text = NULL;
	va_list ap;

	if (err >= 0)
		err = -EINVAL;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	diag_set(r->d, r->file, r->line, err, 0, "%s", text ? text : "out of memory");
	if (r->error == 0)
		r->error = err;
	if (stop)
		r->stopped = true;
	return err;
}

void ini_reader_init(struct sf_ini_reader *r, const char *text, size_t len, size_t max_size,
    const char *file, const char *const *sections, struct sf_diag *d)
{
	*r = (struct sf_ini_reader){
		.text = text,
		.len = len,
		.max_size = max_size,
		.file = file,
		.sections = sections,
		.d = d,
	};
}

/* A "[name]" line (s starts at '['). Like inih, the name ends at the first
 * ']' and an inline comment (" ;") before it means there is no ']'. Unlike
 * inih, text after the ']' other than a comment is refused: it would
 * otherwise vanish silently. */
static void reader_header(struct sf_ini_reader *r, const char *s, size_t len)
{
	size_t end = 1, name_len, i;
	const char *hint;
	char name[256];

	while (end < len && s[end] != ']' && !(s[end] == ';' && is_blank(s[end - 1])))
		end++;
	if (end >= len || s[end] != ']') {
		ini_reader_error(r, -EINVAL, false, "missing \"]\" after section name");
		return;		/* inih keeps the previous section too */
	}
	name_len = end - 1;
	/* Longer than any known section: shown shortened, unknown anyway. */
	snprintf(name, sizeof(name), "%.*s", (int)(name_len < sizeof(name) - 1 ? name_len : sizeof(name) - 1),
	    s + 1);
	r->have_key = false;
	r->section = NULL;
	r->in_unknown_section = true;
	for (i = 0; r->sections && r->sections[i]; i++)
		if (strlen(r->sections[i]) == name_len && memcmp(r->sections[i], s + 1, name_len) == 0) {
			r->section = r->sections[i];
			r->in_unknown_section = false;
			break;
		}
	if (!r->section) {
		hint = diag_closest(name, r->sections);
		if (hint)
			ini_reader_error(r, -EINVAL, false, "unknown section [%s] (did you mean [%s]?)", name,
			    hint);
		else
			ini_reader_error(r, -EINVAL, false, "unknown section [%s]", name);
	}
	for (i = end + 1; i < len && is_blank(s[i]); i++)
		;
	if (i < len && s[i] != ';')
		ini_reader_error(r, -EINVAL, false, "unexpected text after [%s]", name);
}

/* Decide what inih will do with the line, in inih's order: blank or
 * comment, continuation, section header, "key = value". */
static void reader_classify(struct sf_ini_reader *r, const char *s, size_t len)
{
	size_t i = 0;

	r->expect_call = false;
	r->continuation = false;
	r->called = false;
	while (i < len && is_blank(s[i]))
		i++;
	if (i == len || s[i] == ';' || s[i] == '#')
		return;
	if (r->have_key && i > 0) {
		r->expect_call = true;
		r->continuation = true;
	} else if (s[i] == '[')
		reader_header(r, s + i, len - i);
	else
		r->expect_call = true;
}

/* Lines inih rejects (no '=', or a comment before it) never reach the
 * handler; inih only returns the first one's number, so the reader
 * notices each one here, when the next line is asked for. */
static void reader_check_line(struct sf_ini_reader *r)
{
	if (r->expect_call && !r->called)
		ini_reader_error(r, -EINVAL, false, "expected \"key = value\"");
	r->expect_call = false;
}

char *ini_reader_read(char *str, int num, void *stream)
{
	struct sf_ini_reader *r = stream;
	const char *s, *nl;
	size_t len, next, limit, bad;

	reader_check_line(r);
	if (r->stopped || r->pos >= r->len)
		return NULL;
	s = r->text + r->pos;
	nl = memchr(s, '\n', r->len - r->pos);
	len = nl ? (size_t)(nl - s) : r->len - r->pos;
	next = r->pos + len + (nl ? 1 : 0);
	r->line++;
	r->raw = s;
	r->raw_len = 0;
	r->pos = next;

	if (next > r->max_size) {
		if (r->max_size % (1024 * 1024) == 0)
			ini_reader_error(r, -EFBIG, true, "profile is larger than %zu MiB",
			    r->max_size / (1024 * 1024));
		else
			ini_reader_error(r, -EFBIG, true, "profile is larger than %zu bytes", r->max_size);
		return NULL;
	}
	if (len > 0 && s[len - 1] == '\r')	/* CRLF line ending */
		len--;
	if (r->line == 1 && len >= 3 && memcmp(s, UTF8_BOM, 3) == 0) {
		s += 3;		/* inih would skip it too; done here so the
				 * classification sees the same text */
		len -= 3;
	}
	bad = find_bad_byte(s, len);
	if (bad < len) {
		ini_reader_error(r, -EINVAL, true, "invalid byte 0x%02x in profile", (unsigned char)s[bad]);
		return NULL;
	}
	/* Hand inih the line as fgets() would, with its '\n': inih's buffer
	 * must hold the text, the '\n' and the terminating NUL. A longer line
	 * would be cut and the rest parsed as a line of its own. */
	limit = num > 2 ? (size_t)num - 2 : 0;
	if (len > limit) {
		ini_reader_error(r, -EINVAL, true, "line too long (%zu bytes; the limit is %zu)", len, limit);
		return NULL;
	}
	r->raw = s;
	r->raw_len = len;
	memcpy(str, s, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	reader_classify(r, s, len);
	return str;
}

void ini_reader_handled(struct sf_ini_reader *r, const char *name)
{
	r->called = true;
	/* inih continues indented lines only after a key with a name ("= x"
	 * leaves its saved name empty). */
	if (!r->continuation)
		r->have_key = name && *name;
}

void ini_reader_stop(struct sf_ini_reader *r, int err)
{
	r->stopped = true;
	if (r->error == 0)
		r->error = err < 0 ? err : -EINVAL;
}

int ini_reader_finish(struct sf_ini_reader *r, int rc)
{
	reader_check_line(r);
	if (rc < 0 && r->error == 0) {
		/* -1 cannot happen with a stream; -2 is inih's malloc failing */
		r->error = -ENOMEM;
		diag_set(r->d, r->file, 0, -ENOMEM, ENOMEM, "cannot parse profile");
	} else if (rc > 0 && r->error == 0) {
		/* inih saw an error the reader's mirror of it did not: report it
		 * rather than accept the file. */
		r->line = (unsigned)rc;
		ini_reader_error(r, -EINVAL, false, "expected \"key = value\"");
	}
	return r->error;
}
