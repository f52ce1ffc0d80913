/* Supervised runs: fork, hand the notification descriptor over, answer
 * notifications (see supervise.h). */
#include "supervise.h"

#include "bpfsim.h"
#include "cleanup.h"
#include "learn.h"
#include "outfile.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
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

/* Between loading the notifying filter and execve, the child makes one
 * call: sendmsg() of the listener to the parent, which cannot answer a
 * notification before it has the listener. The filter lets exactly that
 * call through: sendmsg on the child's socket with this flag combination,
 * which no program has a reason to use (MSG_CMSG_CLOEXEC is a receive
 * flag). Likewise exit_group() with HANDOFF_EXIT in the upper bits, for a
 * child that must give up before the parent holds the listener. */
#define HANDOFF_FLAGS (MSG_CMSG_CLOEXEC | MSG_NOSIGNAL | MSG_DONTWAIT)
#define HANDOFF_EXIT 0x5f5f5f00u

/* Child to parent messages (SOCK_SEQPACKET keeps them apart). */
enum { MSG_LISTENER = 'F', MSG_DIAG = 'E' };

struct diag_msg {
	char type;
	bool warning;
	int status;
	int err;
	unsigned line;
	/* then file (empty: none) and text, each NUL-terminated */
};

#define DIAG_MSG_MAX 4096

/* ---- filters ---------------------------------------------------------------- */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#endif

#define PREFIX_LEN 19

/* The hand-over prefix (see HANDOFF_FLAGS), then body: every path that is
 * not the hand-over falls into body with nothing assumed about A. */
static int filter_with_prefix(int sock, const struct sock_filter *body, size_t n_body, struct sf_filter **ret)
{
	enum { REST = PREFIX_LEN, ALLOW = PREFIX_LEN - 1 };
#define JF(i) (unsigned char)(REST - ((i) + 1))
	const struct sock_filter prefix[PREFIX_LEN] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, seccomp_arch_native(), 0, JF(1)),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sendmsg, 0, 12 - 4),
		/* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)sock, 0, JF(5)),
		/* 6 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(0)),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, JF(7)),
		/* 8 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HANDOFF_FLAGS, 0, JF(9)),
		/* 10 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(2)),
		/* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, ALLOW - 12, JF(11)),
		/* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 0, JF(12)),
		/* 13 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
		/* 14 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xffffff00u),
		/* 15 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HANDOFF_EXIT, 0, JF(15)),
		/* 16 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_HI(0)),
		/* 17 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, JF(17)),
		/* 18 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
#undef JF
	struct sf_filter *f;

	if (PREFIX_LEN + n_body > BPF_MAXINSNS)
		return -E2BIG;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->n = PREFIX_LEN + n_body;
	f->insns = calloc(f->n, sizeof(*f->insns));
	if (!f->insns) {
		free(f);
		return -ENOMEM;
	}
	memcpy(f->insns, prefix, sizeof(prefix));
	memcpy(f->insns + PREFIX_LEN, body, n_body * sizeof(*body));
	*ret = f;
	return 0;
}

/* --learn: every call is reported, on every ABI. */
static int learn_filter(int sock, struct sf_filter **ret)
{
	const struct sock_filter body[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF) };

	return filter_with_prefix(sock, body, ELEMENTSOF(body), ret);
}

/* --report: the profile's program with each errno and kill outcome turned
 * into a notification. Only the RET leaves change, so every call takes the
 * same path as under the profile's own filter, and the supervisor learns
 * the original outcome by running that filter on the notification. */
static int report_filter(int sock, const struct sf_filter *orig, struct sf_filter **ret)
{
	_cleanup_free_ struct sock_filter *body = calloc(orig->n, sizeof(*body));

	if (!body)
		return -ENOMEM;
	memcpy(body, orig->insns, orig->n * sizeof(*body));
	for (size_t i = 0; i < orig->n; i++) {
		uint32_t action = body[i].k & SECCOMP_RET_ACTION_FULL;

		if (BPF_CLASS(body[i].code) != BPF_RET || BPF_RVAL(body[i].code) != BPF_K)
			continue;
		if (action == SECCOMP_RET_ERRNO || action == SECCOMP_RET_KILL_THREAD ||
		    action == SECCOMP_RET_KILL_PROCESS)
			body[i].k = SECCOMP_RET_USER_NOTIF;
	}
	return filter_with_prefix(sock, body, orig->n, ret);
}

/* ---- the child ---------------------------------------------------------------- */

static int send_msg(int sock, const void *buf, size_t len, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	/* The raw system call: a sanitizer's interceptor must not add calls
	 * the hand-over prefix does not let through. */
	if (syscall(SYS_sendmsg, sock, &mh, HANDOFF_FLAGS) < 0)
		return -errno;
	return 0;
}

/* launch_exec()'s step 6 in the child: load the notifying filter, hand the
 * listener to the parent. The listener is close-on-exec (the kernel
 * creates it so), so nothing else is called before execve. */
static int load_and_hand_over(const struct sf_filter *f, void *ctx)
{
	const int sock = *(const int *)ctx;
	struct sock_fprog prog = { .len = (unsigned short)f->n, .filter = f->insns };
	const char type = MSG_LISTENER;
	long fd;

	if (f->n > USHRT_MAX)
		return -E2BIG;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0)
		return -errno;
	if (send_msg(sock, &type, 1, (int)fd) < 0) {
		/* The parent cannot answer without the listener, so any other
		 * call would wait for ever: leave by the prefix's exit. */
		syscall(SYS_exit_group, (long)(HANDOFF_EXIT | SF_EXIT_FAILURE));
	}
	return 0;
}

static void send_diag(int sock, const struct sf_diag *d, int status)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct sf_msg *m = &d->msgs[i];
		char buf[DIAG_MSG_MAX];
		struct diag_msg h = {
			.type = MSG_DIAG, .warning = m->warning, .status = status, .err = m->err, .line = m->line,
		};
		int n;

		memcpy(buf, &h, sizeof(h));
		n = snprintf(buf + sizeof(h), sizeof(buf) - sizeof(h), "%s%c%s", m->file ? m->file : "", '\0',
		    m->text ? m->text : "");
		if (n < 0)
			continue;
		if ((size_t)n >= sizeof(buf) - sizeof(h))
			n = (int)(sizeof(buf) - sizeof(h) - 1);
		buf[sizeof(h) + (size_t)n] = '\0';
		send_msg(sock, buf, sizeof(h) + (size_t)n + 1, -1);
	}
}

static _Noreturn void child_main(const struct sf_launch *l, const struct sf_filter *f, int sock, pid_t parent)
{
	struct sf_launch cl = *l;
	struct sf_diag d = { 0 };
	int status = SF_EXIT_FAILURE;

	/* A supervisor that dies leaves nobody to answer: die with it. Step 2
	 * arms the parent-death signal, and step 5 re-arms it after an
	 * identity switch (which clears it). */
	cl.process.die_with_parent = true;
	cl.process.parent = parent;
	cl.filter = (struct sf_filter *)f;
	cl.load_filter = load_and_hand_over;
	cl.load_filter_ctx = &sock;
	cl.handover_fd = sock;
	launch_exec(&cl, &status, &d);
	send_diag(sock, &d, status);
	/* After a failed execve the filter is loaded; the parent holds the
	 * listener then and answers, but the prefix's exit needs nobody. */
	syscall(SYS_exit_group, (long)(HANDOFF_EXIT | (unsigned)status));
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

	pid_t child;
	int listener;
	bool started;			/* the listener arrived */
	bool child_failed;		/* the child sent a message: it did not exec */
	int child_status;		/* the status it reported */
};

static int recv_msg(int sock, void *buf, size_t size, int *ret_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	ssize_t n;

	*ret_fd = -1;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
	return (int)n;
}

/* One message from the child. Returns 0, or 1 at the end of the stream. */
static int handle_child_msg(struct supervisor *s, int sock, struct sf_diag *d)
{
	char buf[DIAG_MSG_MAX + 1];
	int fd = -1;
	int n = recv_msg(sock, buf, DIAG_MSG_MAX, &fd);

	if (n <= 0) {
		if (fd >= 0)
			close(fd);
		return 1;
	}
	buf[n] = '\0';
	if (buf[0] == MSG_LISTENER && fd >= 0 && !s->started) {
		s->listener = fd;
		s->started = true;
		return 0;
	}
	if (fd >= 0)
		close(fd);
	if (buf[0] == MSG_DIAG && (size_t)n > sizeof(struct diag_msg)) {
		struct diag_msg h;
		const char *file = buf + sizeof(h);
		const char *text = file + strlen(file) + 1;

		memcpy(&h, buf, sizeof(h));
		if (text > buf + n)
			text = "";
		if (h.warning)
			diag_warn(d, *file ? file : NULL, h.line, "%s", text);
		else
			diag_set(d, *file ? file : NULL, h.line, -EINVAL, h.err, "%s", text);
		s->child_failed = !h.warning || s->child_failed;
		s->child_status = h.status;
	}
	return 0;
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
			if (s->on_notify(s, req, resp) > 0)
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

			if (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si) && !reaped)
				forward_signal(s, (int)si.ssi_signo);
		}
	}
	return status;
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

	pid = fork();
	if (pid < 0)
		return diag_set(d, NULL, 0, -errno, errno, "cannot start the program");
	if (pid == 0) {
		close(sock_pair[0]);
		child_main(s->l, f, sock_pair[1], parent);
	}
	close(sock_pair[1]);
	sock_pair[1] = -1;
	s->child = pid;
	s->listener = -1;

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
		status = diag_set(d, NULL, 0, -e, e, "cannot supervise the program");
		goto out;
	}

	/* First the listener, or the child's reason for not starting. */
	while (!s->started && !s->child_failed)
		if (handle_child_msg(s, sock_pair[0], d) == 1)
			break;
	if (!s->started) {
		int wst = 0;

		waitpid(pid, &wst, 0);
		if (!s->child_failed)
			status = diag_set(d, NULL, 0, -ECHILD, 0, "the program could not be started (status %d)",
			    wait_status(wst));
		else
			status = -EINVAL;
		goto out;
	}
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0);
	status = serve(s, sock_pair[0], pidfd, sigfd, d);
	if (s->listener >= 0)
		close(s->listener);
	/* Messages the child sent after the listener: execve failed. */
	while (handle_child_msg(s, sock_pair[0], d) == 0)
		;
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

static int open_sock_pair(int sv[2], struct sf_diag *d)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return diag_set(d, NULL, 0, -errno, errno, "cannot start the program");
	return 0;
}

/* ---- --learn -------------------------------------------------------------------------- */

static int learn_notify(struct supervisor *s, const struct seccomp_notif *req, struct seccomp_notif_resp *resp)
{
	int r = learn_record_add(s->rec, &req->data);

	if (r < 0 && s->error == 0)
		s->error = r;
	/* Learning only watches: every call goes on as if unfiltered. */
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	return 1;
}

int supervise_learn(const struct sf_launch *l, const struct sf_policy *pol, const char *file, const char *profile,
    sf_emit_fn emit, void *ctx, int *ret_status, struct sf_diag *d)
{
	struct supervisor s = { .l = l, .pol = pol, .on_notify = learn_notify };
	struct sf_filter *f = NULL;
	_cleanup_free_ char *text = NULL;
	struct sf_outfile out;
	int sv[2] = { -1, -1 };
	int r;

	*ret_status = SF_EXIT_FAILURE;
	/* Open FILE before anything runs: a run whose profile cannot be
	 * written would be wasted. The profile is written next to it and
	 * renamed over it at the end, so FILE is never half written. */
	r = outfile_open(file, /* in_place= */ false, &out, d);
	if (r < 0)
		return r;

	s.rec = learn_record_new();
	r = s.rec ? open_sock_pair(sv, d) : -ENOMEM;
	if (r == 0)
		r = learn_filter(sv[1], &f);
	if (r == 0)
		r = supervise(&s, f, sv, d);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	filter_free(f);
	r = finish(&s, r, ret_status);
	if (r == 0 && s.error < 0)
		r = diag_set(d, NULL, 0, s.error, -s.error, "cannot record the program's system calls");
	if (r == 0) {
		const struct learn_info info = { .argv = l->argv, .profile = profile };

		text = learn_profile(s.rec, pol, &info);
		r = text ? outfile_write(&out, text, strlen(text)) : -ENOMEM;
		if (r < 0)
			diag_set(d, NULL, 0, r, -r, "cannot write \"%s\"", file);
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

struct proc_facts {
	pid_t tgid;
	bool sigsys_handled;	/* blocked, ignored or caught: SIGSYS would not kill */
};

/* From /proc/TID/status: the thread group, and whether SIGSYS would kill. */
static void read_proc_facts(pid_t tid, struct proc_facts *ret)
{
	char path[64];
	_cleanup_fclose_ FILE *f = NULL;
	char line[256];
	const unsigned long long bit = 1ULL << (SIGSYS - 1);

	*ret = (struct proc_facts){ 0 };
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

static int report_notify(struct supervisor *s, const struct seccomp_notif *req, struct seccomp_notif_resp *resp)
{
	const struct sf_filter *orig = s->l->filter;
	uint32_t ret = bpfsim_run(orig->insns, orig->n, &req->data, NULL);
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL;
	struct report_event ev = { .data = req->data, .ret = ret, .tid = (pid_t)req->pid };
	struct proc_facts pf;
	char path[64], exe[PATH_MAX];
	ssize_t n;
	_cleanup_free_ char *line = NULL;

	if (action != SECCOMP_RET_ERRNO && action != SECCOMP_RET_KILL_PROCESS && action != SECCOMP_RET_KILL_THREAD) {
		/* Only those outcomes notify; anything else goes on. */
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		return 1;
	}
	read_proc_facts(ev.tid, &pf);
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
	ev.sigkill = action != SECCOMP_RET_ERRNO && pf.sigsys_handled;
	line = report_line(s->pol, &ev);
	if (line && s->emit)
		s->emit(line, s->emit_ctx);
	if (action == SECCOMP_RET_ERRNO) {
		resp->error = -(int)(ret & SECCOMP_RET_DATA);
		return 1;
	}
	/* The filter would kill with SIGSYS, which the kernel forces past
	 * handlers and masks; a signal from here cannot be, so a program that
	 * would catch or block it gets SIGKILL. A signal cannot end a single
	 * thread either: kill-thread ends the whole process here. */
	if (ev.sigkill)
		kill(pf.tgid > 0 ? pf.tgid : ev.tid, SIGKILL);
	else if (pf.tgid > 0)
		syscall(SYS_tgkill, pf.tgid, ev.tid, SIGSYS);
	else
		kill(ev.tid, SIGSYS);
	return 0;
}

int supervise_report(const struct sf_launch *l, const struct sf_policy *pol, sf_emit_fn emit, void *ctx,
    int *ret_status, struct sf_diag *d)
{
	struct supervisor s = { .l = l, .pol = pol, .on_notify = report_notify, .emit = emit, .emit_ctx = ctx };
	struct sf_filter *f = NULL;
	int sv[2] = { -1, -1 };
	int r;

	*ret_status = SF_EXIT_FAILURE;
	if (!l->filter) {
		if (emit)
			emit("nothing to report: the profile loads no seccomp filter", ctx);
		return launch_exec(l, ret_status, d);
	}
	r = open_sock_pair(sv, d);
	if (r == 0) {
		r = report_filter(sv[1], l->filter, &f);
		if (r == -E2BIG)
			r = diag_set(d, NULL, 0, r, 0, "the filter is too large to report on (%zu instructions)",
			    l->filter->n);
	}
	if (r == 0)
		r = supervise(&s, f, sv, d);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	filter_free(f);
	return finish(&s, r, ret_status);
}
