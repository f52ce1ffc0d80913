/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The resolved policy: what policy_build() (policy.h) fills in and the
 * later stages read. Data only, so that the resolver's own files can use
 * it without the builder's interface. */
#pragma once

#include "diag.h"
#include "fs_settings.h"
#include "limits_settings.h"
#include "netfamily.h"
#include "process_settings.h"
#include "rules.h"
#include "sandbox_settings.h"
#include "strpool.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct policy_store;

enum sf_nnp {
	SF_NNP_DEFAULT, /* not written: set it (secure default) */
	SF_NNP_YES,
	SF_NNP_NO,
};

struct sf_group {
	char *name; /* "@basic-io" */
	char *description; /* NULL if none */
	char **words; /* members as written */
	struct sf_origin *word_origins;
	size_t n_words;
	struct sf_origin origin; /* first definition */
	/* private */
	int state; /* expansion state (policy_groups.c) */
	size_t cap_words, cap_word_origins;
};

struct sf_policy {
	bool has_filter; /* some [seccomp] entry or seccomp option exists */
	struct sf_filter_spec filter;

	bool caps_changed; /* any keep/drop line or option; always, after policy_build() */
	bool caps_unsaid; /* no keep/drop line nor option: every capability dropped */
	uint64_t caps_keep; /* bit N set: capability N survives */
	struct sf_origin caps_origin;

	char *user;
	struct sf_origin user_origin;
	char *group;
	struct sf_origin group_origin;

	enum sf_nnp nnp;
	struct sf_origin nnp_origin;

	/* [process] (other than no-new-privs), [limits], [filesystem],
	 * [network], [sandbox]: as written; launch_prepare() expands and
	 * checks them. */
	struct sf_process_settings process;
	struct sf_limits_settings limits;
	struct sf_fs_settings fs;
	struct sf_network_settings network;
	struct sf_sandbox_settings sandbox; /* defaults settled by policy_build() */

	char *description;
	struct sf_group *groups;
	size_t n_groups;
	size_t cap_groups; /* private */

	/* private */
	uint32_t layer; /* of the entry being applied (rules.h) */
	struct strpool pool; /* names, words and file names of the rules */
	struct policy_store *store; /* syscall index, resolved groups (policy_store.c) */
};
