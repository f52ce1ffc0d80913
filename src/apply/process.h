/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [process]: what the program inherits (launch step 2, launch.h): umask, working
 * directory, environment, descriptors, session, parent-death signal.
 * process_plan() computes everything in step 1 (reading, never changing,
 * the process); process_apply() makes the calls in step 2. The helpers
 * below it are pure, for tests. */
#pragma once

#include "diag.h"
#include "process_settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct sf_process_plan {
	bool set_umask;
	mode_t umask;
	int chdir_fd;		/* O_PATH directory, or -1 */
	char *chdir_path;	/* expanded, for messages */
	char **env;		/* the program's environment, or NULL: unchanged */
	bool close_fds;
	int listen_fds;		/* systemd's descriptors 3..3+listen_fds-1, kept */
	bool new_session;
	bool die_with_parent;
	pid_t parent;		/* noted in step 1 */
};

/* Step 1: expand and check everything: chdir must be an existing
 * directory, ${VAR}s must be set, LISTEN_FDS must make sense when
 * LISTEN_PID is ours; with will_run, also the checks on the process's
 * state (setsid possible, parent noted). envp is the launcher's
 * environment. Returns 0 and *ret (clear with process_plan_clear), or a
 * negative errno with a message in d. */
int process_plan(const struct sf_process_settings *s, char *const *envp, bool will_run,
    struct sf_process_plan *ret, struct sf_diag *d);

/* Step 2, after the limits, in the documented order: umask, working directory,
 * environment (assigns environ), descriptors (keep_fds: the launcher's own
 * descriptors still needed by later steps, all close-on-exec), session,
 * parent-death signal. Returns 0 or a negative errno with a message. */
int process_apply(const struct sf_process_plan *p, const int *keep_fds, size_t n_keep, struct sf_diag *d);

/* After a user or group switch (which clears the parent-death signal, see
 * prctl(2)): set it again and check the parent is still there. */
int process_rearm_parent_death(const struct sf_process_plan *p, struct sf_diag *d);

void process_plan_clear(struct sf_process_plan *p);

/* ---- pure helpers ---- */

/* The environment the program gets: with env-clear only variables whose
 * names match an env-keep pattern, else all of envp; then every env-set
 * in order (expanded from envp, replacing a variable of the same name).
 * Returns 0 and a malloc'd NULL-terminated vector (free with
 * process_env_free), or a negative errno with a message in d. */
int process_build_env(const struct sf_process_settings *s, char *const *envp, char ***ret, struct sf_diag *d);
void process_env_free(char **env);

/* For _cleanup_(process_env_freep) char **env = NULL; */
static inline void process_env_freep(char ***env)
{
	process_env_free(*env);
}

/* systemd's socket activation (sd_listen_fds(3)): the number of passed
 * descriptors if listen_pid is self, else 0. Returns -EINVAL when
 * listen_pid is self but listen_fds is not a number of descriptors. */
int process_listen_fds(const char *listen_pid, const char *listen_fds, pid_t self, int *ret_n);

struct sf_fd_range {
	unsigned lo, hi;	/* inclusive */
};

/* The ranges of descriptors to close: everything from 3 up except the
 * first listen_fds after 2 and the descriptors in keep (any order). out
 * has room for n_keep + 1 ranges. Returns the number of ranges. */
size_t process_close_ranges(int listen_fds, const int *keep, size_t n_keep, struct sf_fd_range *out);
