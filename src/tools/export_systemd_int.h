/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the two halves of --export=systemd: export_systemd.c writes
 * the seccomp directives, export_systemd_keys.c those of every other
 * section. Whatever a half cannot say goes to the "not expressed" list,
 * with the FILE:LINE of the key. */
#pragma once

#include "diag.h"

#include <stddef.h>
#include <stdio.h>

struct sf_policy;

/* The "not expressed" list being written. */
struct sd_notes {
	FILE *f;
	size_t n;
};

/* Add "# - TEXT" to the list. */
void sd_note(struct sd_notes *no, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "FILE:LINE", or "command line" for a key given as an option. */
void sd_where(const struct sf_origin *o, char *buf, size_t len);

/* "# KEY (FILE:LINE)" above the directive KEY is written as, so every
 * directive names the line it comes from. */
void sd_source(FILE *f, const char *key, const struct sf_origin *o);

/* The directives of [process] (but no-new-privs), [limits],
 * [filesystem], [network] connect-tcp and bind-tcp, and [sandbox]. */
void sd_put_settings(FILE *f, struct sd_notes *no, const struct sf_policy *pol);
