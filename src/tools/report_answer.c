/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How --report answers a call (see report_answer.h). */
#include "report_answer.h"

#include "cleanup.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

void report_read_facts(pid_t tid, struct report_facts *ret)
{
	char path[64];
	_cleanup_fclose_ FILE *f = NULL;
	char line[256];
	const unsigned long long bit = 1ULL << (SIGSYS - 1);

	*ret = (struct report_facts){ 0 };
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long mask;
		int v;

		if (sscanf(line, "Tgid: %d", &v) == 1)
			ret->tgid = v;
		else if ((sscanf(line, "SigBlk: %llx", &mask) == 1 || sscanf(line, "SigIgn: %llx", &mask) == 1 ||
			     sscanf(line, "SigCgt: %llx", &mask) == 1) &&
		    (mask & bit))
			ret->sigsys_handled = true;
	}
}

bool report_is_denial(uint32_t action)
{
	return action == SECCOMP_RET_ERRNO || action == SECCOMP_RET_KILL_PROCESS || action == SECCOMP_RET_KILL_THREAD ||
	    action == SECCOMP_RET_TRAP;
}

int report_answer(const struct report_event *ev, pid_t tgid, struct seccomp_notif_resp *resp)
{
	uint32_t action = ev->ret & SECCOMP_RET_ACTION_FULL;

	if (ev->permissive) {
		/* Like log: the call goes on, and so does the program. */
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		return 1;
	}
	if (action == SECCOMP_RET_ERRNO) {
		resp->error = -(int)(ev->ret & SECCOMP_RET_DATA);
		return 1;
	}
	if (action == SECCOMP_RET_TRAP) {
		/* Without --permissive only the gate's number gets here (its
		 * prefix notifies whatever the profile says). It does nothing
		 * when run, so a trap's only effect is its SIGSYS. */
		syscall(SYS_tgkill, tgid > 0 ? tgid : ev->tid, ev->tid, SIGSYS);
		resp->error = -ENOSYS;
		return 1;
	}
	/* The filter would kill with SIGSYS, which the kernel forces past
	 * handlers and masks; a signal from here cannot be, so a program that
	 * would catch or block it gets SIGKILL. A signal cannot end a single
	 * thread either: kill-thread ends the whole process here. */
	if (ev->sigkill)
		kill(tgid > 0 ? tgid : ev->tid, SIGKILL);
	else if (tgid > 0)
		syscall(SYS_tgkill, tgid, ev->tid, SIGSYS);
	else
		kill(ev->tid, SIGSYS);
	return 0;
}
