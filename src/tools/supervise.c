/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Supervised runs: fork, hand the notification descriptor over, answer
 * notifications (see supervise.h). */
#include "supervise.h"

#include "bpfsim.h"
#include "cleanup.h"
#include "handover.h"
#include "io.h"
#include "learn.h"
#include "outfile.h"
#include "report.h"
#include "report_answer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Linux 6.6: wake the notifying task on the supervisor's CPU, which makes
 * each round trip markedly cheaper. Older kernels refuse it; that is fine. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

struct child_ctx {
	struct handover *h;
	struct sf_diag *d;
};

/* launch_exec()'s step 6 in the child. The warnings of steps 2-5 go to
 * the supervisor first: under the filter, nothing but the gate is sure to
 * get through. */
static int child_load(const struct sf_filter *f, void *ctx)
{
	struct child_ctx *c = ctx;

	handover_send_diag(c->h->sock, c->d, SF_EXIT_OK);
	diag_clear(c->d);
	return handover_load(f, c->h);
}

static _Noreturn void child_main(const struct sf_launch *l, const struct sf_filter *f, struct handover *h,
    pid_t parent)
{
	struct sf_launch cl = *l;
	struct sf_diag d = { 0 };
	struct child_ctx c = { .h = h, .d = &d };
	int status = SF_EXIT_FAILURE;

	/* A supervisor that dies leaves nobody to answer: die with it. Step 2
	 * arms the parent-death signal, and step 5 re-arms it after an
	 * identity switch (which clears it). */
	cl.process.die_with_parent = true;
	cl.process.parent = parent;
	cl.filter = (struct sf_filter *)f;
	cl.load_filter = child_load;
	cl.load_filter_ctx = &c;
	cl.handover_fd = h->sock;
	launch_exec(&cl, &status, &d);
	/* Only execve can fail after the start gate; the gate says how, and
	 * the supervisor ends the child when it reads it. */
	if (h->passed)
		handover_report_failure(h, d.n ? d.msgs[d.n - 1].err : 0, status);
	if (!h->loaded)
		handover_send_diag(h->sock, &d, status);
	syscall(SYS_exit_group, (long)status);
	_exit(status);
}

/* ---- the parent ------------------------------------------------------------------- */

struct supervisor;
/* Answer one notification: fill resp and return 1 to send it, 0 when
 * nothing is to be sent (the caller was killed). */
typedef int (*notify_fn)(struct supervisor *s, const struct seccomp_notif *req, struct seccomp_notif_resp *resp);

struct supervisor {
	const struct sf_launch *l;
	const struct sf_policy *pol;
	notify_fn on_notify;
	sf_emit_fn emit;
	void *emit_ctx;
	struct learn_record *rec;	/* --learn */
	int error;			/* first error while supervising (-ENOMEM) */

	struct handover h;
	struct sf_report_opts ro;	/* --report */
	pid_t child;
	int listener_nr;		/* the child's number for it, or -1 */
	int listener;
	bool started;			/* the listener arrived */
	bool child_failed;		/* the child sent a message: it did not exec */
	int child_status;		/* the status it reported */
};

/* One message from the child. Returns 0, or 1 at the end of the stream. */
static int handle_child_msg(struct supervisor *s, int sock, struct sf_diag *d)
{
	struct handover_news n = { .listener_nr = s->listener_nr };
	int r = handover_recv(sock, &n, d);

	s->listener_nr = n.listener_nr;
	if (n.failed) {
		s->child_failed = true;
		s->child_status = n.status;
	}
	return r;
}

static int wait_status(int wst)
{
	if (WIFEXITED(wst))
		return WEXITSTATUS(wst);
	if (WIFSIGNALED(wst))
		return 128 + WTERMSIG(wst);
	return SF_EXIT_FAILURE;
}

/* Pass a signal that would have ended sysfence on to the program. SIGINT
 * and SIGQUIT from a terminal reach the program too when it shares our
 * process group, so those are passed on only when it does not. */
static void forward_signal(const struct supervisor *s, int sig)
{
	if ((sig == SIGINT || sig == SIGQUIT) && getpgid(s->child) == getpgrp())
		return;
	kill(s->child, sig);
}

/* The gate's calls are sysfence's own (src/tools/handover.h): the start gate is
 * answered 0 without running it; after a failed execve the child says why
 * and is ended. Every other call is the program's. */
static int answer(struct supervisor *s, const struct seccomp_notif *req, struct seccomp_notif_resp *resp,
    struct sf_diag *d)
{
	switch (handover_gate(&s->h, s->child, req)) {
	case HANDOVER_OP_START:
		return 1;
	case HANDOVER_OP_FAILED:
		s->child_failed = true;
		s->child_status = (int)req->data.args[4];
		diag_set(d, NULL, 0, -EINVAL, (int)req->data.args[3], "cannot execute \"%s\"", s->l->argv[0]);
		kill(s->child, SIGKILL);
		return 0;
	default:
		return s->on_notify(s, req, resp);
	}
}

/* Answer notifications until the program is gone: its first process has
 * been reaped and the listener reports that no task uses the filter any
 * more (children the program left behind included). Returns the
 * program's status (wait_status()). */
static int serve(struct supervisor *s, int sock, int pidfd, int sigfd, struct sf_diag *d)
{
	const size_t req_size = sizeof(struct seccomp_notif) + 256;
	const size_t resp_size = sizeof(struct seccomp_notif_resp) + 256;
	_cleanup_free_ struct seccomp_notif *req = NULL;
	_cleanup_free_ struct seccomp_notif_resp *resp = NULL;
	struct seccomp_notif_sizes sizes = { 0 };
	size_t rq = req_size, rs = resp_size;
	bool reaped = false, hup = false;
	int status = SF_EXIT_FAILURE;
	struct pollfd p[4] = {
		{ .fd = -1, .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN },
		{ .fd = sock, .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};

	/* The kernel's structures may be larger than the headers': ask. */
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0) {
		if (sizes.seccomp_notif > rq)
			rq = sizes.seccomp_notif;
		if (sizes.seccomp_notif_resp > rs)
			rs = sizes.seccomp_notif_resp;
	}
	req = calloc(1, rq);
	resp = calloc(1, rs);
	if (!req || !resp) {
		s->error = -ENOMEM;
		rq = rs = 0;
	}

	while (!(reaped && (hup || !s->started))) {
		p[0].fd = s->started && !hup ? s->listener : -1;
		if (poll(p, ELEMENTSOF(p), -1) < 0) {
			if (errno == EINTR)
				continue;
			s->error = -errno;
			break;
		}
		if (p[0].revents & POLLIN) {
			if (!req || !resp) {
				/* Out of memory: let the program finish unanswered
				 * calls with ENOSYS rather than hang it. */
				close(s->listener);
				s->listener = -1;
				hup = true;
				continue;
			}
			memset(req, 0, rq);
			if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
				continue;	/* ENOENT: the caller died meanwhile; EINTR */
			memset(resp, 0, rs);
			resp->id = req->id;
			if (answer(s, req, resp, d) > 0)
				ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, resp);	/* ENOENT: it died */
		} else if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			hup = true;
		if (p[1].revents) {
			int wst;
			pid_t w = waitpid(s->child, &wst, WNOHANG);

			if (w == s->child) {
				status = wait_status(wst);
				reaped = true;
				p[1].fd = -1;
			}
		}
		if (p[2].revents && handle_child_msg(s, sock, d) == 1)
			p[2].fd = -1;
		if (p[3].revents) {
			struct signalfd_siginfo si;

			if (read_retry(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si) && !reaped)
				forward_signal(s, (int)si.ssi_signo);
		}
	}
	return status;
}

/* The listener, copied out of the child once its filter is loaded
 * (src/tools/handover.h), or the child's reason for not starting. The child
 * loads the filter right after it announces the number, so pidfd_getfd is
 * retried at short, growing intervals (up to 10 ms) until the descriptor
 * exists, while the child's messages and its death are watched. Returns
 * 0, -ECHILD when the child ended without a message, or another negative
 * errno with a message in d. */
static int take_listener(struct supervisor *s, int sock, int pidfd, struct sf_diag *d)
{
	struct timespec wait = { .tv_nsec = 20 * 1000 };
	struct pollfd p[2] = { { .fd = sock, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };

	for (;;) {
		int n;

		if (s->child_failed)
			return -EINVAL;
		if (s->listener_nr >= 0) {
			int fd = handover_take(pidfd, s->listener_nr);

			if (fd >= 0) {
				s->listener = fd;
				s->started = true;
				return 0;
			}
			if (fd != -EAGAIN)
				return diag_fail(d, fd,
				    "cannot take the seccomp notification descriptor from the program's process");
		}
		n = ppoll(p, ELEMENTSOF(p), s->listener_nr >= 0 ? &wait : NULL, NULL);
		if (n < 0 && errno != EINTR)
			return diag_errno(d, "cannot supervise the program");
		if (n > 0 && p[0].revents && handle_child_msg(s, sock, d) == 1)
			p[0].fd = -1;
		if (n > 0 && p[1].revents) {
			/* It ended: read what it said before it did. */
			while (p[0].fd >= 0 && handle_child_msg(s, sock, d) == 0)
				;
			return s->child_failed ? -EINVAL : -ECHILD;
		}
		if (n == 0 && wait.tv_nsec < 10 * 1000 * 1000)
			wait.tv_nsec *= 2;
	}
}

/* Fork, hand over, serve. d gets the child's messages when it could not
 * start the program. Returns the program's status, or a negative errno. */
static int supervise(struct supervisor *s, const struct sf_filter *f, int sock_pair[2], struct sf_diag *d)
{
	_cleanup_close_ int pidfd = -1;
	_cleanup_close_ int sigfd = -1;
	sigset_t fwd, old_mask;
	const pid_t parent = getpid();
	int status = SF_EXIT_FAILURE;
	pid_t pid;
	int r;

	r = handover_init(&s->h, sock_pair[1]);
	if (r < 0)
		return diag_fail(d, r, "cannot start the program");
	s->listener_nr = -1;
	s->listener = -1;
	pid = fork();
	if (pid < 0)
		return diag_errno(d, "cannot start the program");
	if (pid == 0) {
		close(sock_pair[0]);
		child_main(s->l, f, &s->h, parent);
	}
	close(sock_pair[1]);
	sock_pair[1] = -1;
	s->child = pid;

	/* Signals that would end sysfence go to the program instead, which
	 * then ends, and sysfence with it (see forward_signal()). */
	sigemptyset(&fwd);
	sigaddset(&fwd, SIGTERM);
	sigaddset(&fwd, SIGHUP);
	sigaddset(&fwd, SIGINT);
	sigaddset(&fwd, SIGQUIT);
	sigprocmask(SIG_BLOCK, &fwd, &old_mask);
	sigfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 || sigfd < 0) {
		int e = errno;

		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		status = diag_fail(d, -e, "cannot supervise the program");
		goto out;
	}

	r = take_listener(s, sock_pair[0], pidfd, d);
	if (r < 0) {
		int wst = 0;

		/* Without the listener nobody can answer: a child that loaded
		 * its filter would wait in the gate for ever. */
		kill(pid, SIGKILL);
		waitpid(pid, &wst, 0);
		if (r == -ECHILD)
			r = diag_msg(d, r, "the program could not be started (status %d)", wait_status(wst));
		status = r;
		goto out;
	}
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0);
	status = serve(s, sock_pair[0], pidfd, sigfd, d);
	if (s->listener >= 0)
		close(s->listener);
	if (s->child_failed)
		status = -EINVAL;
out:
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return status;
}

/* Sets *ret_status from supervise()'s result. */
static int finish(const struct supervisor *s, int r, int *ret_status)
{
	if (r >= 0) {
		*ret_status = r;
		return 0;
	}
	*ret_status = s->child_failed ? s->child_status : SF_EXIT_FAILURE;
	return r;
}

/* A supervising sysfence holds the listener: a program of the same user
 * that could write into its memory (/proc/PID/mem, ptrace) could answer
 * its own calls. A process that is not dumpable is out of reach of those
 * without CAP_SYS_PTRACE (ptrace(2), "Ptrace access mode checking"). Set
 * before the fork; the child inherits it, and src/tools/handover.c undoes it in
 * the child where pidfd_getfd needs that. */
static int not_dumpable(struct sf_diag *d)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return diag_errno(d, "cannot make sysfence non-dumpable");
	return 0;
}

static void close_pair(int (*sv)[2])
{
	closep(&(*sv)[0]);
	closep(&(*sv)[1]);
}

/* For _cleanup_(): the supervisors' filters. */
static void supervise_filter_freep(struct sf_filter **f)
{
	filter_free(*f);
}

static int open_sock_pair(int sv[2], struct sf_diag *d)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return diag_errno(d, "cannot start the program");
	return 0;
}

/* ---- --learn -------------------------------------------------------------------------- */

static int learn_notify(struct supervisor *s, const struct seccomp_notif *req, struct seccomp_notif_resp *resp)
{
	int r = learn_record_add(s->rec, &req->data);
	int refuse = r == 0 ? learn_refusal(s->rec, &req->data) : 0;

	if (r < 0 && s->error == 0)
		s->error = r;
	/* Learning watches: every call goes on as if unfiltered, except
	 * those the learned profile refuses whatever their arguments, so
	 * that the fallback the program takes is learned too. */
	if (refuse) {
		resp->error = -refuse;
		return 1;
	}
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	return 1;
}

int supervise_learn(const struct sf_launch *l, const struct sf_policy *pol, const char *file, const char *profile,
    sf_emit_fn emit, void *ctx, int *ret_status, struct sf_diag *d)
{
	struct supervisor s = { .l = l, .pol = pol, .on_notify = learn_notify };
	_cleanup_(supervise_filter_freep) struct sf_filter *f = NULL;
	_cleanup_free_ char *text = NULL;
	struct sf_outfile out;
	_cleanup_(close_pair) int sv[2] = { -1, -1 };
	int r;

	*ret_status = SF_EXIT_FAILURE;
	/* Check FILE before anything runs: a run whose profile cannot be
	 * written would be wasted. */
	r = outfile_open(file, SF_OUTFILE_NEW, &out, d);
	if (r < 0)
		return r;

	s.rec = learn_record_new();
	r = s.rec ? not_dumpable(d) : -ENOMEM;
	if (r == 0)
		r = open_sock_pair(sv, d);
	if (r == 0)
		r = handover_learn_filter(&f);
	if (r == 0)
		r = supervise(&s, f, sv, d);
	r = finish(&s, r, ret_status);
	if (r == 0 && s.error < 0)
		r = diag_fail(d, s.error, "cannot record the program's system calls");
	if (r == 0) {
		const struct learn_info info = { .argv = l->argv, .profile = profile };

		text = learn_profile(s.rec, pol, &info);
		r = text ? outfile_write(&out, text, strlen(text)) : -ENOMEM;
		if (r < 0)
			diag_fail(d, r, "cannot write \"%s\"", file);
		else
			r = outfile_commit(&out, d);
	}
	outfile_abort(&out);
	if (r < 0) {
		if (*ret_status < SF_EXIT_FAILURE)
			*ret_status = SF_EXIT_FAILURE;
	} else if (emit) {
		_cleanup_free_ char *sum = learn_summary(s.rec, pol, file);

		for (char *line = sum, *nl; line && *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				break;
			*nl = '\0';
			emit(line, ctx);
		}
	}
	learn_record_free(s.rec);
	return r;
}

/* ---- --report ------------------------------------------------------------------------ */

static int report_notify(struct supervisor *s, const struct seccomp_notif *req, struct seccomp_notif_resp *resp)
{
	const struct sf_filter *orig = s->l->filter;
	uint32_t ret = bpfsim_run(orig->insns, orig->n, &req->data, NULL);
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL;
	struct report_event ev = {
		.data = req->data,
		.ret = ret,
		.tid = (pid_t)req->pid,
		.permissive = s->ro.permissive,
		.fix_file = s->ro.fix_file,
	};
	struct report_facts pf;
	char path[64], exe[PATH_MAX];
	ssize_t n;
	_cleanup_free_ char *line = NULL;

	if (!report_is_denial(action)) {
		/* Allowed or logged (the gate's number): it goes on. */
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		return 1;
	}
	report_read_facts(ev.tid, &pf);
	ev.pid = pf.tgid;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)ev.tid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		ev.exe = exe;
	}
	/* The thread may have died and its id been reused while /proc was
	 * read: then the facts are not its own, and nothing waits any more. */
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		return 0;
	ev.sigkill = !ev.permissive && (action == SECCOMP_RET_KILL_PROCESS || action == SECCOMP_RET_KILL_THREAD) &&
	    pf.sigsys_handled;
	line = report_line(s->pol, &ev);
	if (line && s->emit)
		s->emit(line, s->emit_ctx);
	return report_answer(&ev, pf.tgid, resp);
}

int supervise_report(const struct sf_launch *l, const struct sf_policy *pol, const struct sf_report_opts *ro,
    sf_emit_fn emit, void *ctx, int *ret_status, struct sf_diag *d)
{
	struct supervisor s = {
		.l = l, .pol = pol, .ro = *ro, .on_notify = report_notify, .emit = emit, .emit_ctx = ctx,
	};
	_cleanup_(supervise_filter_freep) struct sf_filter *f = NULL;
	_cleanup_(close_pair) int sv[2] = { -1, -1 };
	int r;

	*ret_status = SF_EXIT_FAILURE;
	if (!l->filter) {
		if (emit)
			emit("nothing to report: the profile loads no seccomp filter", ctx);
		return launch_exec(l, ret_status, d);
	}
	r = not_dumpable(d);
	if (r == 0)
		r = open_sock_pair(sv, d);
	if (r == 0) {
		r = handover_report_filter(l->filter, ro->permissive, &f);
		if (r == -E2BIG)
			r = diag_msg(d, r, "the filter is too large to report on (%zu instructions)", l->filter->n);
	}
	if (r == 0)
		r = supervise(&s, f, sv, d);
	return finish(&s, r, ret_status);
}
