/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --report: the words for one system call that the profile denies or kills
 * (which rule decided it, its group, the profile line that would allow it),
 * and the symbolic names of the arguments that tighter rules test. Pure:
 * src/tools/supervise.c gathers the facts, this module only words them. */
#pragma once

#include "policy.h"

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* What the supervisor knows about one call the profile's filter stopped. */
struct report_event {
	struct seccomp_data data;	/* the call, as the filter saw it */
	uint32_t ret;			/* the profile's own filter's answer (SECCOMP_RET_*) */
	pid_t pid;			/* thread group id; 0 when unknown */
	pid_t tid;			/* the calling thread */
	const char *exe;		/* target of /proc/TID/exe, or NULL when unreadable */
	bool sigkill;			/* killed with SIGKILL, as the program catches or blocks SIGSYS */
	bool permissive;		/* --permissive: the call went on */
	const char *fix_file;		/* where a fix goes (lookup_edit_file()); NULL: say the line only */
};

/* One report line, without the "sysfence: " prefix, e.g.
 *   pid 42 (/usr/bin/probe): mkdir: EPERM (rule p.ini:4, group @file-system); to allow: allow = mkdir
 * Returns a malloc'd string, or NULL on ENOMEM. */
char *report_line(const struct sf_policy *pol, const struct report_event *ev);

/* The argument of syscall NAME that a tighter rule tests (socket and
 * socketpair: the family, arg0; ioctl: the request, arg1; personality:
 * arg0; clone: the flags, arg0), or -1. */
int report_tight_arg(const char *name);

/* A value of argument ARG of syscall NAME written as a profile condition
 * accepts it: symbolic constants joined by '|' where the argument is one
 * sysfence decodes ("AF_UNIX", "TIOCSTI", "CLONE_VM|CLONE_FS|SIGCHLD"),
 * else a number (decimal below 4096, else 0x hex). Returns a malloc'd
 * string, or NULL on ENOMEM. */
char *report_arg_value(const char *name, unsigned arg, uint64_t v);

/* "NAME(ARG, ...)" with the arguments sysfence decodes, "NAME" for other
 * syscalls, "syscall NR" when name is NULL (libseccomp has none): for a
 * report line. */
void report_put_call(FILE *f, const char *name, const struct seccomp_data *sd);
