/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's seccomp action cache, emulated for tests. */
#pragma once

#include "filter.h"

#include <stdbool.h>
#include <stdint.h>

/* seccomp_is_const_allow() in the kernel: run the program knowing only nr
 * and arch. Returns true and the RET value in *ret when the program reaches
 * a RET without loading any other field (an argument, the instruction
 * pointer) and without an instruction outside the few the kernel emulates;
 * false otherwise (the kernel then cannot cache this syscall). The kernel
 * caches the syscall exactly when this returns true with SECCOMP_RET_ALLOW. */
bool kcache_const_outcome(const struct sf_filter *f, uint32_t arch, uint32_t nr, uint32_t *ret);
