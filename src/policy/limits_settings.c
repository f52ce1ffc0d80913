/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "limits_settings.h"
#include "cleanup.h"
#include "membuf.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct limit_def {
	const char *name;
	int resource;
	bool bytes; /* a size: K/M/G suffixes make sense */
	const char *unit; /* for messages about non-byte limits */
};

static const struct limit_def defs[] = {
	{ "as", RLIMIT_AS, true, NULL },
	{ "core", RLIMIT_CORE, true, NULL },
	{ "cpu", RLIMIT_CPU, false, "seconds" },
	{ "data", RLIMIT_DATA, true, NULL },
	{ "fsize", RLIMIT_FSIZE, true, NULL },
	{ "locks", RLIMIT_LOCKS, false, "locks" },
	{ "memlock", RLIMIT_MEMLOCK, true, NULL },
	{ "msgqueue", RLIMIT_MSGQUEUE, true, NULL },
	{ "nice", RLIMIT_NICE, false, "a nice ceiling (20 - nice value)" },
	{ "nofile", RLIMIT_NOFILE, false, "descriptors" },
	{ "nproc", RLIMIT_NPROC, false, "processes" },
	{ "rss", RLIMIT_RSS, true, NULL },
	{ "rtprio", RLIMIT_RTPRIO, false, "a priority" },
	{ "rttime", RLIMIT_RTTIME, false, "microseconds" },
	{ "sigpending", RLIMIT_SIGPENDING, false, "signals" },
	{ "stack", RLIMIT_STACK, true, NULL },
};

static const struct limit_def *def_by_resource(int resource)
{
	for (size_t i = 0; i < ELEMENTSOF(defs); i++)
		if (defs[i].resource == resource)
			return &defs[i];
	return NULL;
}

int limits_resource(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(defs); i++)
		if (strcmp(defs[i].name, name) == 0)
			return defs[i].resource;
	return -EINVAL;
}

const char *limits_name(int resource)
{
	const struct limit_def *def = def_by_resource(resource);

	return def ? def->name : NULL;
}

/* One side of a value: digits, an optional suffix, or "unlimited". */
static int parse_one(const struct limit_def *def, const char *s, size_t len, rlim_t *ret, struct sf_origin at,
    const char *value, struct sf_diag *d)
{
	uint64_t v = 0, mult = 1;
	size_t i = 0;

	if ((len == 9 && strncmp(s, "unlimited", 9) == 0) || (len == 8 && strncmp(s, "infinity", 8) == 0)) {
		*ret = RLIM_INFINITY;
		return 0;
	}
	for (; i < len && isdigit((unsigned char)s[i]); i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return diag_at(d, at, -ERANGE, "limit \"%s\" is too large for %s", value, def->name);
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0)
		goto junk;
	if (i + 1 == len) {
		switch (s[i]) {
		case 'K':
		case 'k':
			mult = UINT64_C(1) << 10;
			break;
		case 'M':
		case 'm':
			mult = UINT64_C(1) << 20;
			break;
		case 'G':
		case 'g':
			mult = UINT64_C(1) << 30;
			break;
		default:
			goto junk;
		}
		if (!def->bytes)
			return diag_at(d, at, -EINVAL, "size suffixes are for byte limits; %s counts %s, found \"%s\"",
			    def->name, def->unit, value);
	} else if (i != len)
		goto junk;
	/* RLIM_INFINITY is all ones: a number must stay below it. */
	if (v > (RLIM_INFINITY - 1) / mult)
		return diag_at(d, at, -ERANGE, "limit \"%s\" is too large for %s", value, def->name);
	*ret = (rlim_t)(v * mult);
	return 0;
junk:
	if (def->bytes)
		return diag_at(d, at, -EINVAL,
		    "invalid limit \"%s\" for %s (expected a number with an optional K, M or G suffix, \"unlimited\", or SOFT:HARD)",
		    value, def->name);
	return diag_at(d, at, -EINVAL, "invalid limit \"%s\" for %s (expected a number, \"unlimited\", or SOFT:HARD)",
	    value, def->name);
}

int limits_parse(int resource, const char *value, struct sf_origin at, struct rlimit *ret, struct sf_diag *d)
{
	const struct limit_def *def = def_by_resource(resource);
	const char *colon = strchr(value, ':');
	struct rlimit rl = { 0, 0 };
	int r;

	if (!def)
		return -EINVAL;
	if (!colon) {
		r = parse_one(def, value, strlen(value), &rl.rlim_cur, at, value, d);
		if (r < 0)
			return r;
		rl.rlim_max = rl.rlim_cur;
	} else {
		r = parse_one(def, value, (size_t)(colon - value), &rl.rlim_cur, at, value, d);
		if (r < 0)
			return r;
		r = parse_one(def, colon + 1, strlen(colon + 1), &rl.rlim_max, at, value, d);
		if (r < 0)
			return r;
		/* RLIM_INFINITY is the largest rlim_t, so one comparison covers it. */
		if (rl.rlim_cur > rl.rlim_max)
			return diag_at(
			    d, at, -EINVAL, "soft limit is above the hard limit in \"%s\" for %s", value, def->name);
	}
	*ret = rl;
	return 0;
}

int limits_set(
    struct sf_limits_settings *s, const char *key, const char *value, struct sf_origin origin, struct sf_diag *d)
{
	int resource = limits_resource(key);
	struct rlimit rl;
	size_t i;
	int r;

	if (resource < 0)
		return diag_at(d, origin, -EINVAL, "unknown key \"%s\" in [limits]", key);
	r = limits_parse(resource, value, origin, &rl, d);
	if (r < 0)
		return r;
	for (i = 0; i < s->n && s->items[i].resource != resource; i++)
		;
	if (i == s->n) {
		if (s->n == SF_MAX_LIMITS)
			return diag_at(d, origin, -E2BIG, "too many limits");
		s->n++;
	}
	s->items[i] = (struct sf_limit){ .resource = resource, .rl = rl, .origin = origin };
	return 0;
}

static void format_one(FILE *f, const struct limit_def *def, rlim_t v)
{
	if (v == RLIM_INFINITY)
		fputs("unlimited", f);
	else if (def->bytes && v && v % (UINT64_C(1) << 30) == 0)
		fprintf(f, "%" PRIu64 "G", (uint64_t)v >> 30);
	else if (def->bytes && v && v % (UINT64_C(1) << 20) == 0)
		fprintf(f, "%" PRIu64 "M", (uint64_t)v >> 20);
	else if (def->bytes && v && v % (UINT64_C(1) << 10) == 0)
		fprintf(f, "%" PRIu64 "K", (uint64_t)v >> 10);
	else
		fprintf(f, "%" PRIu64, (uint64_t)v);
}

char *limits_format(int resource, const struct rlimit *rl)
{
	const struct limit_def *def = def_by_resource(resource);
	_cleanup_membuf_ struct membuf mb = { 0 };

	if (!def || membuf_open(&mb) < 0)
		return NULL;
	format_one(mb.f, def, rl->rlim_cur);
	if (rl->rlim_max != rl->rlim_cur) {
		fputc(':', mb.f);
		format_one(mb.f, def, rl->rlim_max);
	}
	return membuf_take(&mb, NULL);
}
