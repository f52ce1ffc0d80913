/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How a supervised run (src/tools/supervise.c) gets the seccomp notification
 * descriptor from the child that loads the filter, without a single
 * system call let through on the child's behalf.
 *
 * The child tells the supervisor, over their socket and before it loads
 * the filter, the number its listener will get (the lowest free
 * descriptor). It loads the filter, then blocks in a "gate": a call of a
 * system call number that no kernel implements, with a random token as
 * its arguments, which every supervising filter turns into a notification.
 * Meanwhile the supervisor copies the listener out of the child with
 * pidfd_getfd(2), retrying until the filter is loaded; only then can it
 * read the gate's notification and answer it, and the child goes on to
 * execve. A call of the gate number without the token is the program's
 * own, answered as the profile says. */
#pragma once

#include "diag.h"
#include "filter.h"

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The gate's system call number: none on any ABI Linux has (x86-64's x32
 * numbers start at 0x40000000), so a call of it has no effect whatever
 * the answer. */
#define HANDOVER_GATE_NR 0x3ffffff0

/* What a gate call asks (its third argument). */
enum handover_op {
	HANDOVER_OP_START = 1, /* the filter is loaded: let me execve */
	HANDOVER_OP_FAILED = 2, /* execve failed with errno arg3, status arg4 */
};

/* Shared by the supervisor and the child it forks (which inherits it). */
struct handover {
	uint64_t token[2]; /* random, made before the fork */
	int sock; /* the child's end of the socket pair */
	bool dumpable; /* the child must be dumpable for pidfd_getfd */
	bool loaded; /* child: the filter is loaded */
	bool passed; /* child: the supervisor answered the start gate */
};

/* Fill h for a run: a fresh token, and whether the child must make itself
 * dumpable (when this process lacks CAP_SYS_PTRACE). Returns 0 or a
 * negative errno (getrandom). */
int handover_init(struct handover *h, int sock);

/* The filter for --learn: every call is a notification (the gate too). */
int handover_learn_filter(struct sf_filter **ret);

/* The filter for --report: orig with each errno and kill outcome (and,
 * when permissive, each trap) turned into a notification, behind a prefix
 * that makes the gate number on the native ABI a notification. Returns 0,
 * -ENOMEM or -E2BIG (too many instructions). */
int handover_report_filter(const struct sf_filter *orig, bool permissive, struct sf_filter **ret);

/* The child's step 6 (struct sf_launch's load_filter, ctx a struct
 * handover): announce the listener's number, load f, pass the start gate.
 * Returns 0 or a negative errno; h->loaded says whether f is loaded. */
int handover_load(const struct sf_filter *f, void *ctx);

/* The child, after a failed execve with the filter loaded: tell the
 * supervisor through the gate (which then ends the child). */
void handover_report_failure(const struct handover *h, int err, int status);

/* The child, before the filter is loaded: send d's messages (status: the
 * exit status it will have) over sock. */
void handover_send_diag(int sock, const struct sf_diag *d, int status);

/* What the supervisor learned from the child's messages. */
struct handover_news {
	int listener_nr; /* the listener's number to come, or -1 */
	bool failed; /* an error came: the child will not exec */
	int status; /* the status it gave with it */
};

/* The supervisor: read one message of the child from sock into n, or d
 * (its diagnostics). Returns 0, or 1 at the end of the stream. */
int handover_recv(int sock, struct handover_news *n, struct sf_diag *d);

/* The supervisor: copy descriptor number fd of the process behind pidfd.
 * Returns it, -EAGAIN while the child has not created it yet, or another
 * negative errno (-EPERM: not allowed; -EBADF: fd is not a listener). */
int handover_take(int pidfd, int fd);

/* Whether req is a gate call of the child (the token, the child's pid, the
 * native ABI); returns its enum handover_op, or 0 for any other call. */
int handover_gate(const struct handover *h, pid_t child, const struct seccomp_notif *req);
