/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names users write in profiles, resolved through the libraries that own them:
 * syscalls and architectures (libseccomp), capabilities (libcap-ng). Pure. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* True when libseccomp knows the syscall on at least one architecture
 * (names of other architectures resolve to pseudo numbers on this one). */
bool syscall_name_known(const char *name);

/* The closest syscall name for a "did you mean" hint, or NULL: the native
 * ABI's names first, then x86-64's and arm64's. Returns a malloc'd string. */
char *syscall_name_suggest(const char *name);

/* Capability by name as capsh prints it, any case, with or without "cap_".
 * Returns the number or -EINVAL. */
int cap_from_name(const char *name);

/* Closest capability name ("cap_net_bind_service") or NULL; malloc'd. */
char *cap_name_suggest(const char *name);

/* Highest capability number the running kernel knows. */
int cap_last(void);

/* Bits 0..cap_last() set. */
uint64_t cap_all_mask(void);

/* Architecture by libseccomp name, or "native". Returns 0 and *ret (an
 * SCMP_ARCH_* token), or -EINVAL. */
int arch_from_name(const char *name, uint32_t *ret);

/* libseccomp's name of an SCMP_ARCH_* token ("x86_64"), or NULL. */
const char *arch_name(uint32_t arch);

/* The names of the bits set in mask, lowest first: name_of(bit) with
 * prefix before each, or the bit's number where name_of knows none, joined
 * by sep ("cap_net_raw, cap_sys_time"; "unix inet"). Malloc'd, or NULL
 * (ENOMEM). */
char *names_of_bits(uint64_t mask, const char *(*name_of)(int bit), const char *prefix, const char *sep);
