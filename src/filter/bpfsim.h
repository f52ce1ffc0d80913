/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A user-space interpreter for seccomp classic BPF, as the kernel runs it.
 * Used to check a compiled program (execve must be allowed), by tests and by
 * the differential fuzzer. Pure. */
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* Run prog on data. Returns the SECCOMP_RET_* value, and the number of
 * instructions executed in *ret_steps if not NULL. An invalid program
 * (bad opcode, out-of-range jump or load) returns SECCOMP_RET_KILL_PROCESS
 * with *ret_steps = 0, as the kernel would refuse it. */
uint32_t bpfsim_run(const struct sock_filter *prog, size_t n, const struct seccomp_data *data,
    size_t *ret_steps);
