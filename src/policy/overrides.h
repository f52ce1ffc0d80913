/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a policy takes besides its profile: rules and settings given
 * outside any file, applied after every file as one more layer. The
 * command line fills it (cmd/sysfence/options.c); the core never sees the
 * command line itself, only this. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* One more [seccomp] line: ACTION = LIST. */
struct sf_override_rule {
	const char *action; /* as [seccomp] names it: "allow", "deny", "kill" */
	const char *list; /* the syscalls, as given */
	const char *label; /* where it came from, in messages: "--deny" */
};

/* One more [capabilities] line: keep = LIST or drop = LIST. */
struct sf_override_caps {
	bool keep;
	const char *list;
	const char *label; /* "--caps-keep" */
};

/* One profile line from --set=SECTION.KEY=VALUE or one of its aliases
 * (--rlimit-nofile=N, ...). The section and key are checked by the policy,
 * against the same tables as a file's lines, so new sections need nothing
 * here. */
struct sf_override_set {
	const char *section; /* as given: "limits" */
	const char *key; /* "nofile" */
	const char *value; /* taken as is: may hold '=' */
	const char *label; /* in messages and --explain: "--set", "--rlimit-nofile" */
};

struct sf_overrides {
	struct sf_override_rule *rules; /* in the order given */
	size_t n_rules;
	const char *default_action; /* NULL: the profile's */
	const char *default_action_label; /* "--default-action" */
	struct sf_override_caps *caps; /* in the order given */
	size_t n_caps;
	/* --set lines, in the order given: one more layer, after the rest of
	 * the command line (the last layer of all). */
	struct sf_override_set *sets;
	size_t n_sets;
};
