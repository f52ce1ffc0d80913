/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The refusals a learned profile keeps from the shipped default profile,
 * narrowed to what the learning run used, and the rules written for them
 * (see learn_int.h and docs/authoring.md). Every refusal is written as a
 * conditional rule, so that an "allow = NAME" added by a later layer (a
 * .local file, --allow) keeps it. */
#include "learn.h"
#include "learn_int.h"

#include "cleanup.h"
#include "constants.h"
#include "membuf.h"
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Sorted by name. The actions are the default profile's; the unit test
 * fails when profiles/default.ini refuses a call that is missing here, or
 * refuses one of these with another errno or on other values. */
const struct learn_guard learn_guards[] = {
	{ "clone", LEARN_GUARD_FLAGS, "deny", EPERM, 0,
	    "CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET" },
	{ "clone3", LEARN_GUARD_REFUSE, "ENOSYS", ENOSYS, -1, NULL },
	{ "ioctl", LEARN_GUARD_VALUES, "deny", EPERM, 1, "arg1 == TIOCSTI || arg1 == TIOCLINUX" },
	{ "personality", LEARN_GUARD_VALUES, "deny", EPERM, 0,
	    "arg0 != 0 && arg0 != 0x0008 && arg0 != 0x0040000 && arg0 != 0x0040008 && arg0 != 0xffffffff" },
	{ "socket", LEARN_GUARD_VALUES, "deny", EPERM, 0,
	    "arg0 != AF_UNIX && arg0 != AF_INET && arg0 != AF_INET6 && arg0 != AF_NETLINK" },
	{ "socketpair", LEARN_GUARD_VALUES, "deny", EPERM, 0, "arg0 != AF_UNIX" },
};
const size_t learn_n_guards = ELEMENTSOF(learn_guards);

const struct learn_guard *learn_guard_find(const char *name)
{
	for (size_t i = 0; name && i < ELEMENTSOF(learn_guards); i++)
		if (strcmp(learn_guards[i].name, name) == 0)
			return &learn_guards[i];
	return NULL;
}

/* ---- text helpers ---------------------------------------------------------- */

void learn_wrap_start(struct learn_wrap *w, FILE *f, const char *head)
{
	*w = (struct learn_wrap){ f, 0, true };
	w->col = (size_t)fprintf(f, "# %s:", head);
}

void learn_wrap_word(struct learn_wrap *w, const char *word)
{
	size_t len = strlen(word);

	if (!w->first && w->col + len + 2 > LEARN_WRAP) {
		fputs(",\n#  ", w->f);
		w->col = 3;
	} else if (!w->first) {
		fputc(',', w->f);
		w->col++;
	}
	w->col += (size_t)fprintf(w->f, " %s", word);
	w->first = false;
}

void learn_wrap_end(struct learn_wrap *w)
{
	fputc('\n', w->f);
}

const char *learn_calls(uint64_t n)
{
	return n == 1 ? "call" : "calls";
}

void learn_put_rule(FILE *f, const char *action, const char *what, const char *comment)
{
	_cleanup_free_ char *lhs = NULL;

	if (asprintf(&lhs, "%s = %s", action, what) < 0)
		return;
	fprintf(f, "%-40s ; %s\n", lhs, comment);
}

/* "allow = NAME ; N calls". */
static void put_allow_count(FILE *f, const struct learn_seen *s, const char *more)
{
	_cleanup_free_ char *c = NULL;

	if (asprintf(&c, "%llu %s%s", (unsigned long long)s->count, learn_calls(s->count), more) >= 0)
		learn_put_rule(f, "allow", s->name, c);
}

static int cmp_value(const void *a, const void *b)
{
	const struct learn_value *x = a, *y = b;

	return x->value < y->value ? -1 : x->value > y->value;
}

/* The value as the rules write it: its name, else a number. Long names
 * (a clone flag set) become hex, to keep lines inside the limit. */
static char *value_text(const char *name, int arg, uint64_t v)
{
	char *t = report_arg_value(name, (unsigned)arg, v);

	if (t && strlen(t) > LEARN_WRAP) {
		free(t);
		if (asprintf(&t, "%#llx", (unsigned long long)v) < 0)
			t = NULL;
	}
	return t;
}

/* "# HEAD: v1 (n calls), v2 (n calls)". */
static void put_seen(FILE *f, const char *head, const struct learn_guard *g, const struct learn_seen *s)
{
	struct learn_wrap w;

	learn_wrap_start(&w, f, head);
	for (size_t i = 0; i < s->n_values; i++) {
		_cleanup_free_ char *v = value_text(s->name, g->arg, s->values[i].value);
		_cleanup_free_ char *t = NULL;

		if (v &&
		    asprintf(&t, "%s (%llu %s)", v, (unsigned long long)s->values[i].count,
			learn_calls(s->values[i].count)) >= 0)
			learn_wrap_word(&w, t);
	}
	if (s->overflow)
		learn_wrap_word(&w, "and more");
	learn_wrap_end(&w);
}

/* clone: the namespace flags no call set are refused. */
static void put_flags(FILE *f, const struct learn_guard *g, const struct learn_seen *s)
{
	_cleanup_free_ char *flags = strdup(g->base);
	_cleanup_free_ char *m = NULL;
	uint64_t mask = 0, v;
	char *save = NULL;

	for (char *t = flags ? strtok_r(flags, "|", &save) : NULL; t; t = strtok_r(NULL, "|", &save))
		if (constant_lookup(t, &v))
			mask |= v;
	mask &= ~s->values_or;
	put_seen(f, "clone flags seen", g, s);
	if (!mask) {
		put_allow_count(f, s, ", with every namespace flag");
		return;
	}
	m = report_arg_value(s->name, (unsigned)g->arg, mask);
	put_allow_count(f, s, "");
	/* No call seen created a namespace of these kinds: refuse them. */
	if (m)
		fprintf(f, "%s = %s if arg%d & %s\n", g->action, s->name, g->arg, m);
}

/* The refusal of every value not seen, as one rule "argN != A && argN !=
 * B" when it fits a line, else as one rule per gap between the values
 * seen ("argN > A && argN < B"): the rules of a syscall add up, the
 * conditions of one rule cannot be split across lines. */
static void put_unseen(FILE *f, const struct learn_guard *g, const struct learn_seen *s)
{
	_cleanup_membuf_ struct membuf m = { 0 };
	_cleanup_free_ char *one = NULL;

	if (membuf_open(&m) < 0)
		return;
	for (size_t i = 0; i < s->n_values; i++) {
		_cleanup_free_ char *v = value_text(s->name, g->arg, s->values[i].value);

		fprintf(m.f, "%s arg%d != %s", i ? " &&" : "", g->arg, v ? v : "?");
	}
	one = membuf_take(&m, NULL);
	if (!one)
		return;
	if (strlen(s->name) + strlen(one) + 20 <= LEARN_RULE_WRAP) {
		fprintf(f, "%s = %s if%s\n", g->action, s->name, one);
		return;
	}
	for (size_t i = 0; i <= s->n_values; i++) {
		const struct learn_value *lo = i ? &s->values[i - 1] : NULL;
		const struct learn_value *hi = i < s->n_values ? &s->values[i] : NULL;
		_cleanup_free_ char *lv = lo ? value_text(s->name, g->arg, lo->value) : NULL;
		_cleanup_free_ char *hv = hi ? value_text(s->name, g->arg, hi->value) : NULL;

		if ((lo && !lv) || (hi && !hv))
			continue;
		if (!lo && hi->value > 0)
			fprintf(f, "%s = %s if arg%d < %s\n", g->action, s->name, g->arg, hv);
		else if (lo && hi && hi->value > lo->value + 1)
			fprintf(f, "%s = %s if arg%d > %s && arg%d < %s\n", g->action, s->name, g->arg, lv, g->arg, hv);
		else if (lo && !hi && lo->value < UINT64_MAX)
			fprintf(f, "%s = %s if arg%d > %s\n", g->action, s->name, g->arg, lv);
	}
}

static void put_values(FILE *f, const struct learn_guard *g, const struct learn_seen *s)
{
	_cleanup_free_ char *head = NULL;

	if (asprintf(&head, "%s, arg%d seen", s->name, g->arg) < 0)
		return;
	put_seen(f, head, g, s);
	put_allow_count(f, s, "");
	if (s->overflow || s->n_values == 0) {
		/* Too many values for a rule: what the default profile refuses. */
		fprintf(f, "# too many distinct values: refused as in the default profile\n");
		fprintf(f, "%s = %s if %s\n", g->action, s->name, g->base);
		return;
	}
	put_unseen(f, g, s);
}

void learn_guard_write(FILE *f, const struct learn_guard *g, const struct learn_seen *s)
{
	_cleanup_free_ char *c = NULL;

	if (s->n_values)
		qsort(s->values, s->n_values, sizeof(*s->values), cmp_value);
	switch (g->kind) {
	case LEARN_GUARD_FLAGS:
		put_flags(f, g, s);
		return;
	case LEARN_GUARD_VALUES:
		put_values(f, g, s);
		return;
	case LEARN_GUARD_REFUSE:
		break;
	}
	/* clone3 is the only one: its flags are in memory, where no filter
	 * can read them. */
	fputs("# clone3 passes its flags in memory, where a filter cannot read them: ENOSYS\n"
	      "# makes libc fall back to clone, whose flags a filter can read.\n",
	    f);
	if (s->count == 0)
		c = strdup("not seen");
	else if (asprintf(&c, "%llu %s, answered so while learning", (unsigned long long)s->count,
		     learn_calls(s->count)) < 0)
		c = NULL;
	learn_put_rule(f, g->action, s->name, c ? c : "");
}
