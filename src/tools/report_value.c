/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --report's view of syscall arguments: which ones are decoded, and
 * their values written as a profile condition accepts them (see report.h). */
#include "report.h"

#include "cleanup.h"
#include "constants.h"
#include "membuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum arg_kind {
	ARG_INT, /* an int: decimal */
	ARG_FAMILY, /* AF_* */
	ARG_SOCKTYPE, /* SOCK_* type and flags */
	ARG_IOCTL, /* an ioctl request: TIOC*, TC*, FIO*, SIOC* */
	ARG_CLONE, /* CLONE_* flags and the exit signal */
	ARG_PERSONA, /* PER_* */
};

/* Syscalls whose arguments are decoded, and the one a tighter rule tests. */
static const struct decoded {
	const char *name;
	enum arg_kind args[3];
	unsigned n_args; /* shown; more follow when more is set */
	bool more;
	int tight;
} decoded[] = {
	{ "socket", { ARG_FAMILY, ARG_SOCKTYPE, ARG_INT }, 3, false, 0 },
	{ "socketpair", { ARG_FAMILY, ARG_SOCKTYPE, ARG_INT }, 3, true, 0 },
	{ "ioctl", { ARG_INT, ARG_IOCTL }, 2, true, 1 },
	{ "clone", { ARG_CLONE }, 1, true, 0 },
	{ "personality", { ARG_PERSONA }, 1, false, 0 },
};

static const struct decoded *find_decoded(const char *name)
{
	for (size_t i = 0; name && i < ELEMENTSOF(decoded); i++)
		if (strcmp(decoded[i].name, name) == 0)
			return &decoded[i];
	return NULL;
}

int report_tight_arg(const char *name)
{
	const struct decoded *dc = find_decoded(name);

	return dc ? dc->tight : -1;
}

/* ---- symbolic values ------------------------------------------------------ */

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Aliases never printed: the table is sorted by name, so without this list
 * the alias that sorts first would win (AF_LOCAL over AF_UNIX, AF_ROUTE
 * is AF_NETLINK, SIGCLD is SIGCHLD...). Counts and masks are not values. */
static const char *const alias_names[] = {
	"AF_LOCAL",
	"AF_FILE",
	"AF_ROUTE",
	"AF_MAX",
	"PER_MASK",
	"CLONE_NEWTIME",
	NULL,
};

static bool is_alias(const char *s)
{
	for (size_t i = 0; alias_names[i]; i++)
		if (strcmp(alias_names[i], s) == 0)
			return true;
	return false;
}

/* The first name in the constants table (sorted by name) that starts with
 * one of prefixes, is not excluded and has value v; NULL if none. */
static const char *constant_for(const char *const *prefixes, const char *const *exclude_prefixes, uint64_t v)
{
	for (const char *const *n = constant_names(); *n; n++) {
		bool want = false;
		uint64_t val;

		for (size_t i = 0; prefixes[i] && !want; i++)
			want = has_prefix(*n, prefixes[i]);
		for (size_t i = 0; want && exclude_prefixes && exclude_prefixes[i]; i++)
			want = !has_prefix(*n, exclude_prefixes[i]);
		if (want && !is_alias(*n) && constant_lookup(*n, &val) && val == v)
			return *n;
	}
	return NULL;
}

static void put_number(FILE *f, uint64_t v)
{
	if (v < 4096)
		fprintf(f, "%llu", (unsigned long long)v);
	else
		fprintf(f, "%#llx", (unsigned long long)v);
}

/* An int argument: the kernel reads the low 32 bits. Shown signed when the
 * upper half is a plain sign extension or zero, else all 64 bits in hex. */
static void put_int(FILE *f, uint64_t v)
{
	if (v <= UINT32_MAX)
		fprintf(f, "%d", (int)(uint32_t)v);
	else if ((int64_t)v < 0 && (int64_t)v >= INT32_MIN)
		fprintf(f, "%lld", (long long)(int64_t)v);
	else
		fprintf(f, "%#llx", (unsigned long long)v);
}

static void put_named(FILE *f, const char *const *prefixes, const char *const *exclude, uint64_t v, uint64_t min)
{
	const char *n = v >= min ? constant_for(prefixes, exclude, v) : NULL;

	if (n)
		fputs(n, f);
	else
		put_number(f, v);
}

/* Flag words: named single bits at or above min_bit, in ascending order,
 * then whatever is left as a number. */
static void put_bits(FILE *f, const char *const *prefixes, uint64_t v, uint64_t min_bit, bool *first)
{
	for (uint64_t bit = min_bit; bit && bit <= v; bit <<= 1) {
		const char *n;

		if (!(v & bit))
			continue;
		n = constant_for(prefixes, NULL, bit);
		if (!n)
			continue;
		fprintf(f, "%s%s", *first ? "" : "|", n);
		*first = false;
		v &= ~bit;
	}
	for (uint64_t bit = min_bit; bit && bit <= v; bit <<= 1)
		if (v & bit) {
			fprintf(f, "%s%#llx", *first ? "" : "|", (unsigned long long)bit);
			*first = false;
		}
}

static void put_value(FILE *f, enum arg_kind k, uint64_t v)
{
	static const char *const af[] = { "AF_", NULL };
	static const char *const ioc[] = { "TIOC", "TC", "FIO", "SIOC", NULL };
	static const char *const per[] = { "PER_", NULL };
	static const char *const sig[] = { "SIG", NULL };
	static const char *const sig_not[] = { "SIGEV_", "SIG_", NULL };
	static const char *const clone_[] = { "CLONE_", NULL };
	static const char *const sock_types[] = { "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
		"SOCK_DCCP", "SOCK_PACKET", NULL };
	static const char *const sock_flags[] = { "SOCK_NONBLOCK", "SOCK_CLOEXEC", NULL };
	bool first = true;

	switch (k) {
	case ARG_INT:
		put_int(f, v);
		return;
	case ARG_FAMILY:
		put_named(f, af, NULL, v, 0);
		return;
	case ARG_IOCTL:
		/* Small numbers are never requests, and TC* holds small
		 * tcflush/tcsetattr arguments that would read as names. */
		put_named(f, ioc, NULL, v, 0x100);
		return;
	case ARG_PERSONA:
		put_named(f, per, NULL, v, 0);
		return;
	case ARG_SOCKTYPE: {
		/* The type is the low four bits; only these names, not
		 * every SOCK_* constant (socket options share the prefix). */
		uint64_t base = v & 0xf, rest = v & ~UINT64_C(0xf);
		const char *bn = constant_for(sock_types, NULL, base);
		uint64_t fv;

		if (!bn) {
			put_number(f, v);
			return;
		}
		fputs(bn, f);
		for (size_t i = 0; sock_flags[i]; i++)
			if (constant_lookup(sock_flags[i], &fv) && fv && (rest & fv) == fv) {
				fprintf(f, "|%s", sock_flags[i]);
				rest &= ~fv;
			}
		if (rest)
			fprintf(f, "|%#llx", (unsigned long long)rest);
		return;
	}
	case ARG_CLONE: {
		/* clone(2): the low byte is the signal sent at exit. */
		uint64_t sigv = v & 0xff;

		put_bits(f, clone_, v & ~UINT64_C(0xff), 0x100, &first);
		if (sigv) {
			const char *n = constant_for(sig, sig_not, sigv);

			fprintf(f, "%s", first ? "" : "|");
			if (n)
				fputs(n, f);
			else
				put_number(f, sigv);
			first = false;
		}
		if (first)
			fputc('0', f);
		return;
	}
	}
	put_number(f, v);
}

char *report_arg_value(const char *name, unsigned arg, uint64_t v)
{
	const struct decoded *dc = find_decoded(name);
	_cleanup_membuf_ struct membuf m = { 0 };

	if (membuf_open(&m) < 0)
		return NULL;
	if (dc && arg < dc->n_args)
		put_value(m.f, dc->args[arg], v);
	else
		put_number(m.f, v);
	return membuf_take(&m, NULL);
}

void report_put_call(FILE *f, const char *name, const struct seccomp_data *sd)
{
	const struct decoded *dc = find_decoded(name);

	if (!name) {
		fprintf(f, "syscall %d", (int)sd->nr);
		return;
	}
	fputs(name, f);
	if (!dc)
		return;
	fputc('(', f);
	for (unsigned i = 0; i < dc->n_args; i++) {
		if (i)
			fputs(", ", f);
		put_value(f, dc->args[i], sd->args[i]);
	}
	fputs(dc->more ? ", ...)" : ")", f);
}
