/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [sandbox] as written, and the defaults that apply when a profile says
 * nothing. Pure parsing: the set-id refusals become seccomp rules
 * (policy_confine.c), the two isolations Landlock scopes (landlock.h), and
 * the private view (namespaces and mounts) is planned by sandbox_plan.h
 * and built by sandbox_mount.h. */
#pragma once

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

/* One yes/no key. */
struct sf_sandbox_flag {
	bool set; /* written in a profile or given on the command line */
	bool value; /* as written; the default when !set */
	struct sf_origin origin; /* where it was written (set only) */
	unsigned layer; /* the layer it was written in (set only) */
};

/* protect-system: systemd's ProtectSystem=. */
enum sf_protect_system {
	SF_PROTECT_SYSTEM_NO,
	SF_PROTECT_SYSTEM_YES, /* /usr /boot /efi read-only */
	SF_PROTECT_SYSTEM_FULL, /* and /etc */
	SF_PROTECT_SYSTEM_STRICT, /* all but /dev /proc /sys */
};

/* protect-home: systemd's ProtectHome=. */
enum sf_protect_home {
	SF_PROTECT_HOME_NO,
	SF_PROTECT_HOME_YES, /* /home /root /run/user inaccessible */
	SF_PROTECT_HOME_READ_ONLY,
	SF_PROTECT_HOME_TMPFS, /* an empty read-only tmpfs over each */
};

/* One multiple-choice key (protect-system, protect-home, namespaces). */
struct sf_sandbox_choice {
	bool set;
	int value; /* an enum above; the default when !set */
	struct sf_origin origin;
	unsigned layer;
};

enum sf_sandbox_path_kind {
	SF_SANDBOX_READ_ONLY,
	SF_SANDBOX_READ_WRITE,
	SF_SANDBOX_INACCESSIBLE,
};

struct sf_sandbox_path {
	char *path; /* as written: "~" and ${VAR} not expanded, no "-" */
	bool optional; /* written "-PATH": ignored when it does not exist */
	enum sf_sandbox_path_kind kind;
	struct sf_origin origin;
	unsigned layer; /* the layer it was written in (see layer below) */
};

enum sf_namespaces_mode {
	SF_NAMESPACES_REQUIRED, /* default: fail with 125 */
	SF_NAMESPACES_BEST_EFFORT, /* warn and run without the private view */
};

struct sf_sandbox_settings {
	struct sf_sandbox_flag restrict_suid_sgid;
	struct sf_sandbox_flag isolate_signals;
	struct sf_sandbox_flag isolate_abstract_sockets;
	struct sf_sandbox_flag private_tmp;
	struct sf_sandbox_flag private_devices;
	struct sf_sandbox_flag private_network;
	struct sf_sandbox_flag protect_kernel_tunables;
	struct sf_sandbox_flag protect_control_groups;
	struct sf_sandbox_choice protect_system; /* enum sf_protect_system */
	struct sf_sandbox_choice protect_home; /* enum sf_protect_home */
	struct sf_sandbox_choice namespaces; /* enum sf_namespaces_mode */
	/* read-only-paths, read-write-paths, inaccessible-paths, in the
	 * order written; an empty value drops what earlier lines said. */
	struct sf_sandbox_path *paths;
	size_t n_paths;
	size_t cap_paths; /* private: room in paths */
	/* The layer the next lines come from (each file is one, the command
	 * line the last): for one path, a later layer's key wins. The
	 * policy sets it before each line. */
	unsigned layer;
	/* The value in effect of restrict-suid-sgid, protect-system,
	 * protect-kernel-tunables and private-devices comes from the root
	 * default (sandbox_resolve()), not from a line. */
	bool suid_root_default;
	bool system_root_default;
	bool tunables_root_default;
	bool devices_root_default;
};

/* One "KEY = VALUE" line of [sandbox]. Returns 0 or -EINVAL (unknown key,
 * bad value) / -ENOMEM with a message at o. */
int sandbox_set(
    struct sf_sandbox_settings *s, const char *key, const char *value, struct sf_origin o, struct sf_diag *d);

/* Settle the defaults: restrict-suid-sgid, protect-system (full),
 * protect-kernel-tunables and private-devices, when not written, are yes
 * for a program that will run as uid 0 (launched as root without a user =
 * switch). The
 * isolations default to yes; whether the kernel can enforce them is
 * decided at launch (landlock.h). */
void sandbox_resolve(struct sf_sandbox_settings *s, bool as_root, bool switches_user);

/* Whether any key in effect needs a mount or network namespace. */
bool sandbox_needs_namespaces(const struct sf_sandbox_settings *s);

/* Names of the values, as a profile writes them. */
const char *sandbox_protect_system_name(int v);
const char *sandbox_protect_home_name(int v);
const char *sandbox_path_key(enum sf_sandbox_path_kind k);

void sandbox_settings_clear(struct sf_sandbox_settings *s);
