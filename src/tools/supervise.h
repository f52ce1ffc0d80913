/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Supervised runs: --learn and --report (docs/authoring.md).
 *
 * Unlike a plain run, sysfence does not exec in place: it forks. The child
 * applies the launch plan (no_new_privs, capabilities, identity) as
 * launch_exec() does, loads a filter that reports system calls through
 * seccomp user notification as its last step, waits until the parent has
 * copied the listener descriptor out of it (src/tools/handover.h: no system call
 * is let through for that) and execs the program. The parent, not
 * dumpable, answers every notification until no process of the
 * program is left, then returns the program's status. This needs a process
 * that outlives the program's start, which is why these modes are for
 * development and not for ExecStart= lines. */
#pragma once

#include "diag.h"
#include "launch.h"
#include "policy.h"

/* Takes one line of output (no "sysfence: " prefix, no newline); main
 * prints it. */
typedef void (*sf_emit_fn)(const char *line, void *ctx);

/* --learn=FILE: run l's program under a filter that reports every call
 * (and continues it), on every ABI, in every thread and child; then write
 * the profile learn_profile() makes to FILE (see outfile.h) and
 * pass the summary to emit (if not NULL). l's own filter is not loaded: the
 * learning filter replaces it. FILE is checked before the program starts.
 * profile is the --profile name for the header, or NULL.
 * Returns 0 and the program's status in *ret_status (128+N when signal N
 * ended it), or a negative errno with a message in d and *ret_status 125
 * (126/127 when exec failed). */
int supervise_learn(const struct sf_launch *l, const struct sf_policy *pol, const char *file, const char *profile,
    sf_emit_fn emit, void *ctx, int *ret_status, struct sf_diag *d);

/* What --report adds to a run. */
struct sf_report_opts {
	bool permissive;	/* --permissive: report every denial and let the call go on */
	const char *fix_file;	/* where a fix goes (lookup_edit_file()), or NULL */
};

/* --report: run l's program under l's filter with every errno and kill
 * outcome turned into a notification; for each, pass report_line() to emit
 * as it happens, then answer as the filter would have: the same errno, or
 * SIGSYS to the process (SIGKILL when it catches or blocks SIGSYS); with
 * ro->permissive, traps are reported too and every call goes on. Without
 * a filter, says so through emit and execs in place as launch_exec() does.
 * Returns as supervise_learn() does. */
int supervise_report(const struct sf_launch *l, const struct sf_policy *pol, const struct sf_report_opts *ro,
    sf_emit_fn emit, void *ctx, int *ret_status, struct sf_diag *d);
