/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [network]: socket families (compiled into the seccomp filter) and TCP
 * port lists (enforced by Landlock, see landlock.h). Pure parsing. */
#pragma once

#include "diag.h"
#include "rules.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A range of TCP ports, inclusive. */
struct sf_port_range {
	uint16_t lo, hi;
};

struct sf_port_list {
	bool set;			/* the key was written: this kind is restricted */
	struct sf_port_range *ranges;	/* may be empty ("none") */
	size_t n;
	size_t cap; /* private: room in ranges */
	struct sf_origin origin;	/* last line */
};

struct sf_network_settings {
	bool has_families;		/* families was written */
	uint64_t families;		/* bit N: AF N may be created */
	struct sf_origin families_origin;
	struct sf_port_list connect_tcp;
	struct sf_port_list bind_tcp;
};

/* The socket family for a name: "unix", "inet6", ..., also written
 * "AF_UNIX"; case-insensitive. Returns the AF_* value or -EINVAL. */
int netfamily_from_name(const char *name);

/* The profile name of an AF_* value ("inet6"), or NULL. */
const char *netfamily_name(int af);

/* families = LIST: add the named families ("none" adds nothing but still
 * restricts). Returns 0 or -EINVAL with a message at origin. */
int netfamily_add(struct sf_network_settings *s, const char *value, struct sf_origin origin, struct sf_diag *d);

/* connect-tcp / bind-tcp = PORTS: "none", or ports and ranges ("80 443
 * 8000-8080"). Appends to l. Returns 0 or -EINVAL with a message. */
int netport_add(struct sf_port_list *l, const char *key, const char *value, struct sf_origin origin,
    struct sf_diag *d);

/* The condition "arg0 is none of the families in mask", for the rules
 * added to socket and socketpair. Returns a new condition (cond_free) or
 * NULL on ENOMEM. */
struct sf_cond *netfamily_refuse_cond(uint64_t mask);

/* "unix inet inet6" for mask, or "none". Returns a malloc'd string. */
char *netfamily_format(uint64_t mask);

/* "80 443 8000-8080" or "none". Returns a malloc'd string. */
char *netport_format(const struct sf_port_list *l);

void network_settings_clear(struct sf_network_settings *s);
