/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export: write the compiled policy in a format other tools read
 * (docs/export.md). The renderers are pure: policy and compiled filter in,
 * malloc'd bytes out. export_write_file() is the only part that touches the
 * file system. */
#pragma once

#include "diag.h"

#include <stddef.h>

struct sf_policy;
struct sf_filter;

enum sf_export_format {
	SF_EXPORT_BPF,		/* struct sock_filter[], as the kernel loads it */
	SF_EXPORT_PFC,		/* readable dump in libseccomp's PFC style */
	SF_EXPORT_OCI,		/* OCI runtime-spec linux.seccomp JSON */
	SF_EXPORT_SYSTEMD,	/* systemd unit directives */
};

/* The format named s ("bpf", "pfc", "oci", "systemd"). Returns 0 and *ret,
 * or -EINVAL with a message (and a "did you mean" hint where one fits) in d. */
int export_format_parse(const char *s, enum sf_export_format *ret, struct sf_diag *d);

/* Render pol in format fmt. f is pol's compiled filter, or NULL when the
 * policy loads none (then bpf, pfc and oci fail: there is nothing to
 * export). On success *ret is a malloc'd buffer of *ret_len bytes (text
 * formats are also NUL-terminated; the caller frees it). Returns 0 or a
 * negative errno with a message in d; a policy that a format cannot
 * express with the same meaning is an error naming the rule's FILE:LINE. */
int export_render(enum sf_export_format fmt, const struct sf_policy *pol, const struct sf_filter *f, char **ret,
    size_t *ret_len, struct sf_diag *d);

/* Write data to path atomically: a temporary file in the same directory,
 * mode 0644, flushed, then renamed over path; a FIFO or device is written
 * in place, except as root (outfile.h). On failure path is untouched.
 * Returns 0 or a negative errno with a message in d. */
int export_write_file(const char *path, const char *data, size_t len, struct sf_diag *d);

/* The renderers behind export_render(), same contract. */
int export_bpf(const struct sf_filter *f, char **ret, size_t *ret_len, struct sf_diag *d);
int export_pfc(const struct sf_policy *pol, const struct sf_filter *f, char **ret, size_t *ret_len,
    struct sf_diag *d);
int export_oci(const struct sf_policy *pol, char **ret, size_t *ret_len, struct sf_diag *d);
int export_systemd(const struct sf_policy *pol, char **ret, size_t *ret_len, struct sf_diag *d);
