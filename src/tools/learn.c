/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Counting the calls of a learning run, and the profile written from them
 * (see learn.h and docs/authoring.md). */
#include "learn.h"

#include "array.h"
#include "cleanup.h"
#include "learn_int.h"
#include "membuf.h"
#include "names.h"
#include "report.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* x32 calls arrive as x86-64 with this bit set in nr (docs/filter.md). */
#define X32_SYSCALL_BIT 0x40000000u

/* ---- the record ------------------------------------------------------------ */

struct learn_record *learn_record_new(void)
{
	struct learn_record *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->n_slots = 512;
	r->slots = calloc(r->n_slots, sizeof(*r->slots));
	if (!r->slots) {
		free(r);
		return NULL;
	}
	return r;
}

void learn_record_free(struct learn_record *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->sc[i].name);
		free(r->sc[i].values);
	}
	free(r->sc);
	free(r->slots);
	free(r);
}

static size_t slot_of(uint32_t arch, int nr, size_t n_slots)
{
	uint64_t h = ((uint64_t)arch << 32 | (uint32_t)nr) * UINT64_C(0x9e3779b97f4a7c15);

	return (size_t)(h >> 32) & (n_slots - 1);
}

static int index_grow(struct learn_record *r)
{
	size_t n = r->n_slots * 2;
	size_t *s = calloc(n, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		size_t k = slot_of(r->sc[i].arch, r->sc[i].nr, n);

		while (s[k])
			k = (k + 1) & (n - 1);
		s[k] = i + 1;
	}
	free(r->slots);
	r->slots = s;
	r->n_slots = n;
	return 0;
}

/* The entry for (arch, nr), created on first sight when create is set.
 * NULL on ENOMEM, or when it is not there and create is not set. */
static struct learn_syscall *record_get(struct learn_record *r, uint32_t arch, int nr, bool create)
{
	size_t k = slot_of(arch, nr, r->n_slots);
	struct learn_syscall *sc;

	for (; r->slots[k]; k = (k + 1) & (r->n_slots - 1)) {
		sc = &r->sc[r->slots[k] - 1];
		if (sc->arch == arch && sc->nr == nr)
			return sc;
	}
	if (!create)
		return NULL;
	if ((r->n + 1) * 2 > r->n_slots) {
		if (index_grow(r) < 0)
			return NULL;
		return record_get(r, arch, nr, create);
	}
	if (ARRAY_RESERVE(r->sc, r->cap, r->n + 1) < 0)
		return NULL;
	sc = &r->sc[r->n];
	*sc = (struct learn_syscall){ .arch = arch, .nr = nr, .arg = -1 };
	/* libseccomp returns NULL for a number it has no name for. */
	sc->name = seccomp_syscall_resolve_num_arch(arch, nr);
	if (sc->name) {
		const struct learn_guard *g = learn_guard_find(sc->name);

		sc->arg = report_tight_arg(sc->name);
		/* The learning run answers as the learned profile will, so
		 * that the fallback the program takes is seen (clone3's ENOSYS
		 * makes libc use clone). */
		if (g && g->kind == LEARN_GUARD_REFUSE)
			sc->refuse = g->err;
	}
	r->slots[k] = ++r->n;
	return sc;
}

static uint32_t arch_of(const struct seccomp_data *sd)
{
	if (sd->arch == SCMP_ARCH_X86_64 && ((uint32_t)sd->nr & X32_SYSCALL_BIT))
		return SCMP_ARCH_X32;
	return sd->arch;
}

int learn_refusal(struct learn_record *r, const struct seccomp_data *sd)
{
	const struct learn_syscall *sc = record_get(r, arch_of(sd), sd->nr, /* create= */ false);

	return sc ? sc->refuse : 0;
}

int learn_record_add(struct learn_record *r, const struct seccomp_data *sd)
{
	struct learn_syscall *sc;

	sc = record_get(r, arch_of(sd), sd->nr, /* create= */ true);
	if (!sc)
		return -ENOMEM;
	if (sc->arg >= 0) {
		uint64_t v = sd->args[sc->arg];
		size_t i = 0;

		while (i < sc->n_values && sc->values[i].value != v)
			i++;
		if (i < sc->n_values)
			sc->values[i].count++;
		else if (sc->n_values < LEARN_MAX_VALUES) {
			if (ARRAY_RESERVE(sc->values, sc->values_cap, sc->n_values + 1) < 0)
				return -ENOMEM;
			sc->values[sc->n_values++] = (struct learn_value){ v, 1 };
		} else
			sc->values_overflow = true;
		sc->values_or |= v;
	}
	sc->count++;
	r->calls++;
	return 0;
}

/* ---- text ------------------------------------------------------------------- */

/* Text safe inside a comment or a value: printable ASCII only, no inline
 * comment start. Not escape_put() (escape.h), which is for a terminal:
 * this goes into a profile, whose reader knows no escapes, so a "\n"
 * would be read back as two characters, and ";" or "#" would still start
 * a comment; the one safe change is a stand-in byte (pinned by
 * test_learn_unknown_numbers_and_unsafe_text). The summary learn_summary()
 * makes holds no text the program controls. */
static void put_safe(FILE *f, const char *s, size_t max, bool value)
{
	size_t n = 0;

	for (; *s && n < max; s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f || (value && (c == ';' || c == '#')))
			c = value ? '_' : '?';
		fputc(c, f);
	}
	if (*s)
		fputs("...", f);
}

static void put_header(FILE *f, const struct learn_analysis *an, const struct learn_info *info)
{
	size_t col = 2;

	fputs("# Learned by sysfence --learn from one run of:\n#  ", f);
	for (size_t i = 0; info && info->argv && info->argv[i]; i++) {
		size_t len = strlen(info->argv[i]);

		if (col + len + 1 > LEARN_WRAP && col > 2) {
			fputs("\n#  ", f);
			col = 2;
		}
		fputc(' ', f);
		put_safe(f, info->argv[i], LEARN_WRAP, false);
		col += 1 + (len > LEARN_WRAP ? LEARN_WRAP + 3 : len);
	}
	fputc('\n', f);
	if (info && info->profile) {
		fputs("# under the profile ", f);
		put_safe(f, info->profile, LEARN_WRAP, false);
		fputs(", whose other sections applied (they\n# are not copied here).\n", f);
	}
	fputs("# It allows exactly the syscalls that run made, and kills the process on\n"
	      "# any other. Code paths the run did not take made no calls here: exercise\n"
	      "# the program fully, review this file, then test the program under it.\n"
	      "# Like the default profile, it refuses clone3 with ENOSYS (libc then uses\n"
	      "# clone) and, with EPERM, the namespace flags of clone and the socket\n"
	      "# families, ioctl requests and personality values the run did not use.\n"
	      "# Call counts follow \";\".\n",
	    f);
	if (an->dangerous) {
		struct learn_wrap w;

		learn_wrap_start(&w, f, "Dangerous syscalls seen (review them)");
		for (char *item = an->dangerous, *nl; item; item = nl ? nl + 1 : NULL) {
			nl = strchr(item, '\n');
			if (nl)
				*nl = '\0';
			learn_wrap_word(&w, item);
			if (nl)
				*nl = '\n';
		}
		learn_wrap_end(&w);
	} else
		fputs("# Dangerous syscalls seen: none.\n", f);
}

/* "# @group: a 1, b 2" and "allow = @group" for each group allowed whole. */
static void put_groups(FILE *f, const struct learn_analysis *an, const struct sf_policy *pol)
{
	for (size_t i = 0; i < an->n_whole; i++) {
		struct learn_names ns = { 0 };
		struct learn_wrap w;

		if (learn_group_expand(pol, an->whole[i], &ns, 0) < 0) {
			free(ns.v);
			continue;
		}
		learn_wrap_start(&w, f, an->whole[i]->name);
		for (size_t k = 0; k < ns.n; k++) {
			const struct learn_entry *e = learn_entry_find(an, ns.v[k]);
			_cleanup_free_ char *s = NULL;

			if (e && asprintf(&s, "%s %llu", e->name, (unsigned long long)e->count) >= 0)
				learn_wrap_word(&w, s);
		}
		learn_wrap_end(&w);
		fprintf(f, "allow = %s\n", an->whole[i]->name);
		free(ns.v);
	}
}

/* Syscalls allowed by name, then those whose rules keep a refusal of the
 * default profile (learn_guard.c), then the refusals for calls not seen. */
static void put_syscalls(FILE *f, const struct learn_analysis *an)
{
	for (size_t i = 0; i < an->n; i++) {
		const struct learn_entry *e = &an->e[i];
		_cleanup_free_ char *c = NULL;

		if (e->covered || e->guard)
			continue;
		if (e->implied) {
			if (asprintf(&c, "not seen: %s", e->implied) < 0)
				continue;
		} else if (asprintf(&c, "%llu %s", (unsigned long long)e->count, learn_calls(e->count)) < 0)
			continue;
		learn_put_rule(f, "allow", e->name, c);
	}
	for (size_t i = 0; i < an->n; i++) {
		const struct learn_entry *e = &an->e[i];
		const struct learn_seen s = { e->name, e->count, e->values, e->n_values, e->overflow, e->values_or };

		if (e->guard)
			learn_guard_write(f, e->guard, &s);
	}
	for (size_t i = 0; i < learn_n_guards; i++) {
		const struct learn_guard *g = &learn_guards[i];
		const struct learn_seen s = { .name = g->name };

		if (g->kind == LEARN_GUARD_REFUSE && !learn_entry_find(an, g->name) &&
		    seccomp_syscall_resolve_name_arch(seccomp_arch_native(), g->name) >= 0)
			learn_guard_write(f, g, &s);
	}
}

static void put_unknown(FILE *f, const struct learn_record *r)
{
	bool any = false;
	struct learn_wrap w;

	for (size_t i = 0; i < r->n; i++)
		any |= !r->sc[i].name;
	if (!any)
		return;
	learn_wrap_start(&w, f, "Not allowed, as libseccomp has no name for them: syscall numbers");
	for (size_t i = 0; i < r->n; i++) {
		const char *an = arch_name(r->sc[i].arch);
		_cleanup_free_ char *s = NULL;

		if (!r->sc[i].name && asprintf(&s, "%d on %s (%llu %s)", r->sc[i].nr, an ? an : "?",
		    (unsigned long long)r->sc[i].count, learn_calls(r->sc[i].count)) >= 0)
			learn_wrap_word(&w, s);
	}
	learn_wrap_end(&w);
}

/* Analyse r into *an and open the text in *m: its stream, or NULL on
 * ENOMEM (both are the caller's to clear either way). */
static FILE *text_start(
    const struct learn_record *r, const struct sf_policy *pol, struct learn_analysis *an, struct membuf *m)
{
	if (learn_analyse(r, pol, an) < 0 || membuf_open(m) < 0)
		return NULL;
	return m->f;
}

char *learn_profile(const struct learn_record *r, const struct sf_policy *pol, const struct learn_info *info)
{
	_cleanup_(learn_analysis_clear) struct learn_analysis an = { 0 };
	_cleanup_membuf_ struct membuf m = { 0 };
	FILE *f = text_start(r, pol, &an, &m);

	if (!f)
		return NULL;
	put_header(f, &an, info);

	fputs("\n[profile]\ndescription = learned from one run of ", f);
	if (info && info->argv && info->argv[0]) {
		const char *base = strrchr(info->argv[0], '/');

		put_safe(f, base ? base + 1 : info->argv[0], 60, true);
	}
	fputs("\n\n[seccomp]\ndefault-action = kill\narchitectures = native", f);
	for (size_t i = 0; i < an.n_arches; i++) {
		const char *n = arch_name(an.arches[i]);

		if (n)
			fprintf(f, " %s", n);
	}
	fputc('\n', f);
	put_groups(f, &an, pol);
	put_syscalls(f, &an);
	put_unknown(f, r);
	/* A profile without [capabilities] drops them all too; saying so
	 * shows where to keep one. */
	fputs("\n[capabilities]\n"
	      "# Every capability is dropped. To keep one, write instead, for example:\n"
	      "# keep = net_bind_service\n"
	      "drop = all\n",
	    f);
	return membuf_take(&m, NULL);
}

char *learn_summary(const struct learn_record *r, const struct sf_policy *pol, const char *file)
{
	_cleanup_(learn_analysis_clear) struct learn_analysis an = { 0 };
	_cleanup_membuf_ struct membuf m = { 0 };
	FILE *f = text_start(r, pol, &an, &m);

	if (!f)
		return NULL;
	fprintf(f, "learned %zu syscalls (%llu %s); groups used whole: ", an.n_seen, (unsigned long long)r->calls,
	    learn_calls(r->calls));
	if (an.n_whole == 0)
		fputs("none", f);
	for (size_t i = 0; i < an.n_whole; i++)
		fprintf(f, "%s%s", i ? ", " : "", an.whole[i]->name);
	fputc('\n', f);
	if (an.dangerous) {
		fputs("dangerous syscalls seen: ", f);
		for (const char *c = an.dangerous; *c; c++)
			if (*c == '\n')
				fputs(", ", f);
			else
				fputc(*c, f);
		fputc('\n', f);
	}
	fprintf(f, "wrote %s\n", file);
	return membuf_take(&m, NULL);
}
