/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "netfamily.h"
#include "array.h"
#include "cleanup.h"
#include "membuf.h"
#include "names.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

struct family {
	const char *name;
	int af;
};

/* Every family glibc's headers name, by its AF_ name in lower case. */
static const struct family families[] = {
	{ "unix", AF_UNIX }, { "local", AF_LOCAL }, { "inet", AF_INET }, { "ax25", AF_AX25 },
	{ "ipx", AF_IPX }, { "appletalk", AF_APPLETALK }, { "netrom", AF_NETROM }, { "bridge", AF_BRIDGE },
	{ "atmpvc", AF_ATMPVC }, { "x25", AF_X25 }, { "inet6", AF_INET6 }, { "rose", AF_ROSE },
	{ "decnet", AF_DECnet }, { "netbeui", AF_NETBEUI }, { "security", AF_SECURITY }, { "key", AF_KEY },
	{ "netlink", AF_NETLINK }, { "route", AF_ROUTE }, { "packet", AF_PACKET }, { "ash", AF_ASH },
	{ "econet", AF_ECONET }, { "atmsvc", AF_ATMSVC }, { "rds", AF_RDS }, { "sna", AF_SNA },
	{ "irda", AF_IRDA }, { "pppox", AF_PPPOX }, { "wanpipe", AF_WANPIPE }, { "llc", AF_LLC },
	{ "ib", AF_IB }, { "mpls", AF_MPLS }, { "can", AF_CAN }, { "tipc", AF_TIPC },
	{ "bluetooth", AF_BLUETOOTH }, { "iucv", AF_IUCV }, { "rxrpc", AF_RXRPC }, { "isdn", AF_ISDN },
	{ "phonet", AF_PHONET }, { "ieee802154", AF_IEEE802154 }, { "caif", AF_CAIF }, { "alg", AF_ALG },
	{ "nfc", AF_NFC }, { "vsock", AF_VSOCK }, { "kcm", AF_KCM }, { "qipcrtr", AF_QIPCRTR },
	{ "smc", AF_SMC }, { "xdp", AF_XDP }, { "mctp", AF_MCTP },
};

int netfamily_from_name(const char *name)
{
	const char *n = strncasecmp(name, "AF_", 3) == 0 ? name + 3 : name;

	for (size_t i = 0; i < ELEMENTSOF(families); i++)
		if (strcasecmp(families[i].name, n) == 0)
			return families[i].af;
	return -EINVAL;
}

const char *netfamily_name(int af)
{
	/* The first name of a family is its main one ("unix" before "local"). */
	for (size_t i = 0; i < ELEMENTSOF(families); i++)
		if (families[i].af == af)
			return families[i].name;
	return NULL;
}

/* Split on white space and commas into a vector of malloc'd words. */
static int split(const char *value, char ***ret, size_t *ret_n)
{
	_cleanup_free_ char *copy = strdup(value);
	char **v = NULL;
	size_t n = 0, cap = 0;

	if (!copy)
		return -ENOMEM;
	for (char *save = NULL, *w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		if (ARRAY_RESERVE(v, cap, n + 1) < 0 || !(v[n] = strdup(w))) {
			for (size_t i = 0; i < n; i++)
				free(v[i]);
			free(v);
			return -ENOMEM;
		}
		n++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

static void split_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int netfamily_add(struct sf_network_settings *s, const char *value, struct sf_origin origin, struct sf_diag *d)
{
	char **w = NULL;
	size_t n = 0;
	uint64_t mask = 0;
	int r = split(value, &w, &n);

	if (r < 0)
		return r;
	if (n == 0)
		r = diag_at(d, origin, -EINVAL, "empty list: name socket families (unix inet inet6 ...) or \"none\"");
	for (size_t i = 0; i < n && r == 0; i++) {
		int af;

		if (strcasecmp(w[i], "none") == 0) {
			if (n > 1)
				r = diag_at(d, origin, -EINVAL, "\"none\" cannot be combined with family names");
			continue;
		}
		af = netfamily_from_name(w[i]);
		if (af < 0 || af >= 64) {
			const char *names[ELEMENTSOF(families) + 1];
			_cleanup_free_ char *lower = strdup(w[i]);
			const char *hint;

			for (size_t k = 0; k < ELEMENTSOF(families); k++)
				names[k] = families[k].name;
			names[ELEMENTSOF(families)] = NULL;
			for (char *p = lower; p && *p; p++)
				*p = (char)tolower((unsigned char)*p);
			hint = lower ? diag_closest(lower, names) : NULL;
			if (hint)
				r = diag_at(d, origin, -EINVAL, "unknown socket family \"%s\" (did you mean \"%s\"?)",
				    w[i], hint);
			else
				r = diag_at(d, origin, -EINVAL, "unknown socket family \"%s\"", w[i]);
			break;
		}
		mask |= UINT64_C(1) << af;
	}
	split_free(w, n);
	if (r < 0)
		return r;
	s->has_families = true;
	s->families |= mask;
	s->families_origin = origin;
	return 0;
}

static int parse_port(const char *s, const char *end, uint16_t *ret)
{
	unsigned long v = 0;

	if (s == end)
		return -EINVAL;
	for (const char *p = s; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 65535)
			return -ERANGE;
	}
	*ret = (uint16_t)v;
	return 0;
}

int netport_add(struct sf_port_list *l, const char *key, const char *value, struct sf_origin origin,
    struct sf_diag *d)
{
	char **w = NULL;
	size_t n = 0;
	int r = split(value, &w, &n);

	if (r < 0)
		return r;
	if (n == 0)
		r = diag_at(d, origin, -EINVAL, "empty list: name TCP ports for %s, or \"none\"", key);
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *dash = strchr(w[i], '-');
		const char *end = w[i] + strlen(w[i]);
		struct sf_port_range pr;

		if (strcasecmp(w[i], "none") == 0) {
			if (n > 1)
				r = diag_at(d, origin, -EINVAL, "\"none\" cannot be combined with ports");
			continue;
		}
		if (parse_port(w[i], dash ? dash : end, &pr.lo) < 0 ||
		    (dash && parse_port(dash + 1, end, &pr.hi) < 0)) {
			r = diag_at(d, origin, -EINVAL,
			    "invalid TCP port \"%s\" for %s (expected 0-65535, a range such as 8000-8080, or \"none\")",
			    w[i], key);
			break;
		}
		if (!dash)
			pr.hi = pr.lo;
		if (pr.lo > pr.hi) {
			r = diag_at(d, origin, -EINVAL,
			    "invalid TCP port range \"%s\" for %s (the first port is above the last)", w[i], key);
			break;
		}
		if (ARRAY_RESERVE(l->ranges, l->cap, l->n + 1) < 0) {
			r = -ENOMEM;
			break;
		}
		l->ranges[l->n++] = pr;
	}
	split_free(w, n);
	if (r < 0)
		return r;
	l->set = true;
	l->origin = origin;
	return 0;
}

struct sf_cond *netfamily_refuse_cond(uint64_t mask)
{
	struct sf_cond *c = calloc(1, sizeof(*c));
	size_t n = 0;

	if (!c)
		return NULL;
	c->terms = calloc(1, sizeof(*c->terms));
	if (!c->terms) {
		free(c);
		return NULL;
	}
	c->n = 1;
	c->terms[0].cmps = calloc(64, sizeof(*c->terms[0].cmps));
	if (!c->terms[0].cmps) {
		cond_free(c);
		return NULL;
	}
	for (int af = 0; af < 64; af++)
		if (mask & (UINT64_C(1) << af))
			c->terms[0].cmps[n++] = (struct sf_cmp){ .arg = 0, .op = SF_CMP_NE, .value = (uint64_t)af };
	/* No family allowed: a comparison that always holds (unsigned). */
	if (n == 0)
		c->terms[0].cmps[n++] = (struct sf_cmp){ .arg = 0, .op = SF_CMP_GE, .value = 0 };
	c->terms[0].n = n;
	return c;
}

char *netfamily_format(uint64_t mask)
{
	return mask ? names_of_bits(mask, netfamily_name, "", " ") : strdup("none");
}

char *netport_format(const struct sf_port_list *l)
{
	_cleanup_membuf_ struct membuf mb = { 0 };
	FILE *f;

	if (membuf_open(&mb) < 0)
		return NULL;
	f = mb.f;
	for (size_t i = 0; i < l->n; i++) {
		if (l->ranges[i].lo == l->ranges[i].hi)
			fprintf(f, "%s%u", i ? " " : "", l->ranges[i].lo);
		else
			fprintf(f, "%s%u-%u", i ? " " : "", l->ranges[i].lo, l->ranges[i].hi);
	}
	if (l->n == 0)
		fputs("none", f);
	return membuf_take(&mb, NULL);
}

void network_settings_clear(struct sf_network_settings *s)
{
	free(s->connect_tcp.ranges);
	free(s->bind_tcp.ranges);
	*s = (struct sf_network_settings){ 0 };
}
