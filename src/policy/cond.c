/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Conditions of rules ("SYSCALL if COND", sysfence.profile(5) "Conditions"): a small
 * lexer and a recursive-descent parser into struct sf_cond, and the printer
 * used by --explain. Pure: no I/O, messages go to struct sf_diag. */
#include "cond.h"
#include "array.h"

#include "cleanup.h"
#include "constants.h"
#include "membuf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A seccomp filter is limited to 4096 instructions; each comparison costs a
 * handful of them for each argument half, so these caps keep a condition
 * well inside what libseccomp can compile while allowing any sane policy. */
#define COND_MAX_CMPS_PER_TERM (6 * 8)
#define COND_MAX_TERMS 64

enum tok_kind {
	TOK_END,
	TOK_WORD,	/* identifier: argN or a constant */
	TOK_NUMBER,	/* starts with a digit, or '-' and a digit */
	TOK_CMP,	/* == != < <= > >= */
	TOK_AND,	/* && */
	TOK_OR,		/* || */
	TOK_AMP,	/* & */
	TOK_PIPE,	/* | */
	TOK_BAD,	/* anything else */
};

struct token {
	enum tok_kind kind;
	const char *start;
	int len;		/* for "%.*s"; inputs are profile lines, far below INT_MAX */
	enum sf_cmp_op op;	/* TOK_CMP only */
};

struct parser {
	const char *pos;	/* first character after tok */
	struct token tok;	/* the current (not yet consumed) token */
	struct token prev;	/* the last consumed token; kind TOK_END before the first */
	struct sf_origin at; /* where problems are reported */
	struct sf_diag *d;
};

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Read the token at p->pos into p->tok. Longest match first, so "&&" is one
 * token and "&" another, and likewise "||" and "|". */
static void lex(struct parser *p)
{
	static const struct {
		const char *text;
		enum tok_kind kind;
		enum sf_cmp_op op;
	} ops[] = {
		{ "&&", TOK_AND, SF_CMP_EQ },
		{ "||", TOK_OR, SF_CMP_EQ },
		{ "==", TOK_CMP, SF_CMP_EQ },
		{ "!=", TOK_CMP, SF_CMP_NE },
		{ "<=", TOK_CMP, SF_CMP_LE },
		{ ">=", TOK_CMP, SF_CMP_GE },
		{ "<", TOK_CMP, SF_CMP_LT },
		{ ">", TOK_CMP, SF_CMP_GT },
		{ "&", TOK_AMP, SF_CMP_EQ },
		{ "|", TOK_PIPE, SF_CMP_EQ },
	};
	const char *s = p->pos;
	const char *e;

	while (isspace((unsigned char)*s))
		s++;
	p->tok = (struct token){ .kind = TOK_END, .start = s, .len = 0 };
	if (*s == '\0') {
		p->pos = s;
		return;
	}
	e = s;
	if (isalpha((unsigned char)*s) || *s == '_' || isdigit((unsigned char)*s) ||
	    (*s == '-' && isdigit((unsigned char)s[1]))) {
		p->tok.kind = (isalpha((unsigned char)*s) || *s == '_') ? TOK_WORD : TOK_NUMBER;
		e++;
		while (is_word_char(*e))
			e++;
	} else {
		size_t i;

		for (i = 0; i < ELEMENTSOF(ops); i++) {
			size_t n = strlen(ops[i].text);

			if (strncmp(s, ops[i].text, n) == 0) {
				p->tok.kind = ops[i].kind;
				p->tok.op = ops[i].op;
				e = s + n;
				break;
			}
		}
		if (i == ELEMENTSOF(ops)) {
			/* Quote a whole run of stray characters (and never half
			 * of a UTF-8 sequence). */
			p->tok.kind = TOK_BAD;
			while (*e && !isspace((unsigned char)*e) && !is_word_char(*e))
				e++;
		}
	}
	p->tok.len = (int)(e - s);
	p->pos = e;
}

static void next(struct parser *p)
{
	p->prev = p->tok;
	lex(p);
}

/* "arg0" .. "arg5" (the word only, digits included). */
static bool tok_is_argword(const struct token *t)
{
	if (t->kind != TOK_WORD || t->len < 4 || strncmp(t->start, "arg", 3) != 0)
		return false;
	for (int i = 3; i < t->len; i++)
		if (!isdigit((unsigned char)t->start[i]))
			return false;
	return true;
}

static int fail_oom(struct parser *p)
{
	return diag_set(p->d, p->at.file, p->at.line, -ENOMEM, ENOMEM, "cannot parse a condition");
}

/* "expected X after "PREV", found "TOK"", leaving out what does not exist. */
static int fail_expected(struct parser *p, const char *what)
{
	bool after = p->prev.kind != TOK_END, found = p->tok.kind != TOK_END;

	if (after && found)
		return diag_at(p->d, p->at, -EINVAL, "expected %s after \"%.*s\", found \"%.*s\"", what, p->prev.len,
		    p->prev.start, p->tok.len, p->tok.start);
	if (after)
		return diag_at(p->d, p->at, -EINVAL, "expected %s after \"%.*s\"", what, p->prev.len, p->prev.start);
	if (found)
		return diag_at(p->d, p->at, -EINVAL, "expected %s, found \"%.*s\"", what, p->tok.len, p->tok.start);
	return diag_at(p->d, p->at, -EINVAL, "expected %s", what);
}

static int parse_number(struct parser *p, uint64_t *ret)
{
	_cleanup_free_ char *text = strndup(p->tok.start, (size_t)p->tok.len);
	bool neg;
	char *end = NULL;
	unsigned long long v;

	if (!text)
		return fail_oom(p);
	neg = text[0] == '-';
	/* The lexer guarantees a digit first, so strtoull sees no sign or
	 * blank of its own; base 0 gives decimal, 0x hex and 0 octal. */
	errno = 0;
	v = strtoull(text + neg, &end, 0);
	if (*end != '\0')
		return diag_at(p->d, p->at, -EINVAL, "invalid number \"%s\"", text);
	if (errno == ERANGE || (neg && v > (1ULL << 63)))
		return diag_at(p->d, p->at, -EINVAL, "number \"%s\" does not fit in 64 bits", text);
	/* A leading '-' means two's complement, as the kernel sees an int -1. */
	*ret = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	next(p);
	return 0;
}

static int parse_constant(struct parser *p, uint64_t *ret)
{
	_cleanup_free_ char *name = strndup(p->tok.start, (size_t)p->tok.len);
	_cleanup_free_ char *upper = NULL;
	const char *hint = NULL;

	if (!name)
		return fail_oom(p);
	if (constant_lookup(name, ret)) {
		next(p);
		return 0;
	}
	if (tok_is_argword(&p->tok) && p->prev.kind == TOK_PIPE)
		return diag_at(
		    p->d, p->at, -EINVAL, "expected a value after \"|\", found \"%s\" (did you mean \"||\"?)", name);
	if (tok_is_argword(&p->tok))
		return diag_at(p->d, p->at, -EINVAL, "comparing with another argument (\"%s\") is not supported", name);
	/* Constants are upper case; "af_unix" most likely means AF_UNIX. */
	upper = strdup(name);
	if (!upper)
		return fail_oom(p);
	for (char *c = upper; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	if (constant_lookup(upper, NULL))
		hint = upper;
	else
		hint = diag_closest(name, constant_names());
	if (hint)
		return diag_at(p->d, p->at, -EINVAL, "unknown constant \"%s\" (did you mean \"%s\"?)", name, hint);
	return diag_at(p->d, p->at, -EINVAL, "unknown constant \"%s\"", name);
}

/* VALUE: numbers and constants joined by '|'. */
static int parse_value(struct parser *p, uint64_t *ret)
{
	uint64_t v = 0;

	for (;;) {
		uint64_t atom = 0;
		int r;

		if (p->tok.kind == TOK_NUMBER)
			r = parse_number(p, &atom);
		else if (p->tok.kind == TOK_WORD)
			r = parse_constant(p, &atom);
		else
			r = fail_expected(p, "a value");
		if (r < 0)
			return r;
		v |= atom;
		if (p->tok.kind != TOK_PIPE)
			break;
		next(p);
	}
	*ret = v;
	return 0;
}

/* The text of the comparison from start to the last consumed token, for messages. */
static int cmp_len(const struct parser *p, const char *start)
{
	return (int)(p->prev.start + p->prev.len - start);
}

/* argN OP VALUE | argN & MASK == VALUE | argN & MASK */
static int parse_cmp(struct parser *p, struct sf_cmp *ret)
{
	struct sf_cmp c = { 0 };
	const char *start = p->tok.start;
	int r;

	if (!tok_is_argword(&p->tok) || p->tok.len != 4 || p->tok.start[3] > '5')
		return fail_expected(p, "arg0 to arg5");
	c.arg = (unsigned)(p->tok.start[3] - '0');
	next(p);

	if (p->tok.kind == TOK_AMP) {
		next(p);
		r = parse_value(p, &c.mask);
		if (r < 0)
			return r;
		if (p->tok.kind == TOK_CMP && p->tok.op != SF_CMP_EQ) {
			/* seccomp's masked comparison is an equality only. */
			if (p->tok.op == SF_CMP_NE)
				return diag_at(p->d, p->at, -EINVAL,
				    "\"arg%u & MASK != VALUE\" is not supported; write \"arg%u & MASK\" "
				    "(true when any bit of MASK is set) or \"arg%u != VALUE\"",
				    c.arg, c.arg, c.arg);
			return diag_at(p->d, p->at, -EINVAL,
			    "\"arg%u & MASK %.*s VALUE\" is not supported; only \"==\" may follow a mask", c.arg,
			    p->tok.len, p->tok.start);
		}
		if (p->tok.kind == TOK_CMP) {
			next(p);
			r = parse_value(p, &c.value);
			if (r < 0)
				return r;
			c.op = SF_CMP_MASKED_EQ;
			if (c.value & ~c.mask)
				return diag_at(p->d, p->at, -EINVAL,
				    "\"%.*s\" can never be true (the value has bits outside the mask)",
				    cmp_len(p, start), start);
		} else {
			c.op = SF_CMP_ANY_BITS;
			if (c.mask == 0)
				return diag_at(p->d, p->at, -EINVAL, "\"%.*s\" can never be true (the mask is 0)",
				    cmp_len(p, start), start);
		}
	} else if (p->tok.kind == TOK_CMP) {
		c.op = p->tok.op;
		next(p);
		r = parse_value(p, &c.value);
		if (r < 0)
			return r;
	} else {
		return fail_expected(p, "an operator");
	}

	if (p->tok.kind != TOK_END && p->tok.kind != TOK_AND && p->tok.kind != TOK_OR)
		return diag_at(p->d, p->at, -EINVAL, "unexpected \"%.*s\" after \"%.*s\"", p->tok.len, p->tok.start,
		    cmp_len(p, start), start);
	*ret = c;
	return 0;
}

/* Comparisons joined by "&&", appended to t. */
static int parse_term(struct parser *p, struct sf_term *t)
{
	size_t cap = 0; /* t starts empty */

	for (;;) {
		struct sf_cmp c;
		int r;

		if (t->n == COND_MAX_CMPS_PER_TERM)
			return diag_at(p->d, p->at, -EINVAL, "too many comparisons joined by \"&&\" (at most %d)",
			    COND_MAX_CMPS_PER_TERM);
		r = parse_cmp(p, &c);
		if (r < 0)
			return r;
		if (ARRAY_RESERVE(t->cmps, cap, t->n + 1) < 0)
			return fail_oom(p);
		t->cmps[t->n++] = c;
		if (p->tok.kind != TOK_AND)
			return 0;
		next(p);
	}
}

static void cond_freep(struct sf_cond **c)
{
	cond_free(*c);
}

int cond_parse(const char *text, const char *file, unsigned line, struct sf_cond **ret, struct sf_diag *d)
{
	_cleanup_(cond_freep) struct sf_cond *c = NULL;
	struct parser p = { .pos = text ? text : "", .at = { file, line }, .d = d };
	size_t cap = 0;

	lex(&p);
	if (p.tok.kind == TOK_END)
		return diag_at(d, p.at, -EINVAL, "empty condition");
	c = calloc(1, sizeof(*c));
	if (!c)
		return fail_oom(&p);
	for (;;) {
		int r;

		if (c->n == COND_MAX_TERMS)
			return diag_at(
			    d, p.at, -EINVAL, "too many alternatives joined by \"||\" (at most %d)", COND_MAX_TERMS);
		/* The term joins c before it is filled, so cond_free sees every
		 * allocation if parsing stops half way. */
		if (ARRAY_RESERVE(c->terms, cap, c->n + 1) < 0)
			return fail_oom(&p);
		c->terms[c->n++] = (struct sf_term){ 0 };
		r = parse_term(&p, &c->terms[c->n - 1]);
		if (r < 0)
			return r;
		if (p.tok.kind == TOK_END)
			break;
		/* parse_cmp accepts only "&&", "||" or the end after a comparison. */
		next(&p);
	}
	*ret = TAKE_PTR(c);
	return 0;
}

/* Small numbers read best in decimal, flags and ioctl numbers in hex. */
static void print_value(FILE *f, uint64_t v)
{
	if (v < 10)
		fprintf(f, "%" PRIu64, v);
	else
		fprintf(f, "0x%" PRIx64, v);
}

static const char *op_text(enum sf_cmp_op op)
{
	switch (op) {
	case SF_CMP_EQ:
		return "==";
	case SF_CMP_NE:
		return "!=";
	case SF_CMP_LT:
		return "<";
	case SF_CMP_LE:
		return "<=";
	case SF_CMP_GT:
		return ">";
	case SF_CMP_GE:
		return ">=";
	case SF_CMP_MASKED_EQ:
		return "==";
	case SF_CMP_ANY_BITS:
		return "";
	}
	return "?";
}

char *cond_to_string(const struct sf_cond *c)
{
	_cleanup_membuf_ struct membuf mb = { 0 };
	FILE *f;

	if (membuf_open(&mb) < 0)
		return NULL;
	f = mb.f;
	for (size_t i = 0; c && i < c->n; i++) {
		const struct sf_term *t = &c->terms[i];

		if (i > 0)
			fputs(" || ", f);
		for (size_t j = 0; j < t->n; j++) {
			const struct sf_cmp *m = &t->cmps[j];

			if (j > 0)
				fputs(" && ", f);
			fprintf(f, "arg%u ", m->arg);
			if (m->op == SF_CMP_MASKED_EQ || m->op == SF_CMP_ANY_BITS) {
				fputs("& ", f);
				print_value(f, m->mask);
				if (m->op == SF_CMP_ANY_BITS)
					continue;
				fputc(' ', f);
			}
			fprintf(f, "%s ", op_text(m->op));
			print_value(f, m->value);
		}
	}
	if (ferror(f))
		return NULL;
	return membuf_take(&mb, NULL);
}
