/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --report: the facts about a calling thread that /proc gives, and the
 * answer to a call the profile's filter denies, kills or traps, as that
 * filter would have given it (src/tools/supervise.c reports the call first). */
#pragma once

#include "report.h"

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct report_facts {
	pid_t tgid; /* 0 when unknown */
	bool sigsys_handled; /* blocked, ignored or caught: SIGSYS would not kill */
};

/* From /proc/TID/status: the thread group, and whether SIGSYS would kill.
 * Unknown facts stay 0. */
void report_read_facts(pid_t tid, struct report_facts *ret);

/* Whether an outcome of the profile's filter (SECCOMP_RET_ACTION_FULL
 * bits) is reported: errno, kill, kill-thread and trap. */
bool report_is_denial(uint32_t action);

/* Answer ev, a reported call of thread group tgid, as the profile's own
 * filter would (with ev->permissive: let it go on). Fills resp and
 * returns 1 to send it, or signals the process and returns 0. */
int report_answer(const struct report_event *ev, pid_t tgid, struct seccomp_notif_resp *resp);
