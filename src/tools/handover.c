/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The listener's way from the child to the supervisor (see handover.h). */
#include "handover.h"

#include "cleanup.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Child to supervisor messages on their socket (SOCK_SEQPACKET keeps them
 * apart), told apart by the first byte: the listener's number, or one
 * diagnostic. */
enum { MSG_LISTENER = 'F', MSG_DIAG = 'E' };

struct handover_msg {
	char type; /* MSG_LISTENER */
	int fd;
};

struct diag_msg {
	char type; /* MSG_DIAG */
	bool warning;
	int status;
	int err;
	unsigned line;
	/* then file (empty: none) and text, each NUL-terminated */
};

#define DIAG_MSG_MAX 4096

/* Whether this process holds CAP_SYS_PTRACE in its effective set: then
 * pidfd_getfd works on a child that is not dumpable (ptrace(2), "Ptrace
 * access mode checking"), and the child need not become dumpable. */
static bool have_cap_sys_ptrace(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[CAP_TO_INDEX(CAP_SYS_PTRACE)].effective & CAP_TO_MASK(CAP_SYS_PTRACE);
}

int handover_init(struct handover *h, int sock)
{
	*h = (struct handover){ .sock = sock };
	if (getrandom(h->token, sizeof(h->token), 0) != (ssize_t)sizeof(h->token))
		return errno ? -errno : -EIO;
	h->dumpable = !have_cap_sys_ptrace();
	return 0;
}

/* ---- filters ---------------------------------------------------------------- */

static int filter_from(
    const struct sock_filter *a, size_t n_a, const struct sock_filter *b, size_t n_b, struct sf_filter **ret)
{
	struct sf_filter *f;

	if (n_a + n_b > BPF_MAXINSNS)
		return -E2BIG;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->n = n_a + n_b;
	f->insns = calloc(f->n, sizeof(*f->insns));
	if (!f->insns) {
		free(f);
		return -ENOMEM;
	}
	memcpy(f->insns, a, n_a * sizeof(*a));
	if (n_b)
		memcpy(f->insns + n_a, b, n_b * sizeof(*b));
	*ret = f;
	return 0;
}

int handover_learn_filter(struct sf_filter **ret)
{
	const struct sock_filter all[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF) };

	return filter_from(all, ELEMENTSOF(all), NULL, 0, ret);
}

int handover_report_filter(const struct sf_filter *orig, bool permissive, struct sf_filter **ret)
{
	/* The gate number on the native ABI notifies; everything else falls
	 * into the profile's own program with nothing assumed about A. A
	 * notification for a call without the token is answered as that
	 * program would (src/tools/supervise.c runs it in bpfsim), and the number
	 * does nothing when executed, so the prefix grants nothing. */
	const struct sock_filter prefix[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, seccomp_arch_native(), 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HANDOVER_GATE_NR, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	_cleanup_free_ struct sock_filter *body = calloc(orig->n, sizeof(*body));

	if (!body)
		return -ENOMEM;
	memcpy(body, orig->insns, orig->n * sizeof(*body));
	/* Only the RET leaves change, so every call takes the same path as
	 * under the profile's own filter. */
	for (size_t i = 0; i < orig->n; i++) {
		uint32_t action = body[i].k & SECCOMP_RET_ACTION_FULL;

		if (BPF_CLASS(body[i].code) != BPF_RET || BPF_RVAL(body[i].code) != BPF_K)
			continue;
		if (action == SECCOMP_RET_ERRNO || action == SECCOMP_RET_KILL_THREAD ||
		    action == SECCOMP_RET_KILL_PROCESS || (permissive && action == SECCOMP_RET_TRAP))
			body[i].k = SECCOMP_RET_USER_NOTIF;
	}
	return filter_from(prefix, ELEMENTSOF(prefix), body, orig->n, ret);
}

/* ---- the child ---------------------------------------------------------------- */

static long gate(const struct handover *h, enum handover_op op, long a3, long a4)
{
	return syscall(HANDOVER_GATE_NR, h->token[0], h->token[1], (long)op, a3, a4);
}

int handover_load(const struct sf_filter *f, void *ctx)
{
	struct handover *h = ctx;
	struct sock_fprog prog = { .len = (unsigned short)f->n, .filter = f->insns };
	struct handover_msg m = { .type = MSG_LISTENER };
	long fd;

	if (f->n > USHRT_MAX)
		return -E2BIG;
	/* The supervisor made itself non-dumpable before the fork, and an
	 * identity switch (step 5) does the same: without CAP_SYS_PTRACE it
	 * can copy a descriptor only out of a dumpable process. The program
	 * is not running yet; its execve sets dumpability anew. */
	if (h->dumpable && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return -errno;
	/* The kernel gives the listener the lowest free descriptor, and
	 * nothing here opens another one before it: find that number. */
	m.fd = fcntl(h->sock, F_DUPFD_CLOEXEC, 0);
	if (m.fd < 0)
		return -errno;
	close(m.fd);
	if (send(h->sock, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m))
		return -errno;
	/* Raw system calls from here: a sanitizer's interceptor must not add
	 * calls under the filter. */
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0)
		return -errno;
	h->loaded = true;
	/* Wait here until the supervisor holds its copy of the listener:
	 * ours closes at execve, and a listener nobody holds answers every
	 * notification with ENOSYS. The supervisor answers 0; when it cannot
	 * take the listener it kills us instead. */
	if (gate(h, HANDOVER_OP_START, 0, 0) != 0)
		return -EPROTO;
	h->passed = true;
	return 0;
}

void handover_report_failure(const struct handover *h, int err, int status)
{
	gate(h, HANDOVER_OP_FAILED, err, status);
}

void handover_send_diag(int sock, const struct sf_diag *d, int status)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct sf_msg *m = &d->msgs[i];
		char buf[DIAG_MSG_MAX];
		struct diag_msg h = {
			.type = MSG_DIAG,
			.warning = m->warning,
			.status = status,
			.err = m->err,
			.line = m->line,
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
		send(sock, buf, sizeof(h) + (size_t)n + 1, MSG_NOSIGNAL);
	}
}

/* ---- the supervisor ------------------------------------------------------------ */

int handover_recv(int sock, struct handover_news *news, struct sf_diag *d)
{
	char buf[DIAG_MSG_MAX + 1];
	ssize_t n;

	/* One message a read on this SOCK_SEQPACKET socket. */
	n = read_retry(sock, buf, DIAG_MSG_MAX);
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	if (buf[0] == MSG_LISTENER && (size_t)n == sizeof(struct handover_msg)) {
		struct handover_msg m;

		memcpy(&m, buf, sizeof(m));
		news->listener_nr = m.fd;
		return 0;
	}
	if (buf[0] == MSG_DIAG && (size_t)n > sizeof(struct diag_msg)) {
		struct diag_msg h;
		const char *file = buf + sizeof(h);
		const char *text = file + strlen(file) + 1;

		memcpy(&h, buf, sizeof(h));
		if (text > buf + n)
			text = "";
		if (h.warning)
			diag_warn(d, *file ? file : NULL, h.line, "%s", text);
		else {
			diag_set(d, *file ? file : NULL, h.line, -EINVAL, h.err, "%s", text);
			news->failed = true;
			news->status = h.status;
		}
	}
	return 0;
}

int handover_take(int pidfd, int fd)
{
	int got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	uint64_t id = 0;

	if (got < 0)
		return errno == EBADF ? -EAGAIN : -errno;
	/* Only a seccomp listener knows this request; for it, an unknown id
	 * is ENOENT. Anything else at that number is a broken protocol. */
	if (ioctl(got, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0 && errno != ENOENT) {
		close(got);
		return -EBADF;
	}
	return got; /* pidfd_getfd(2) sets close-on-exec */
}

int handover_gate(const struct handover *h, pid_t child, const struct seccomp_notif *req)
{
	const struct seccomp_data *sd = &req->data;

	if (sd->nr != HANDOVER_GATE_NR || sd->arch != seccomp_arch_native() || (pid_t)req->pid != child ||
	    sd->args[0] != h->token[0] || sd->args[1] != h->token[1])
		return 0;
	if (sd->args[2] == HANDOVER_OP_START || sd->args[2] == HANDOVER_OP_FAILED)
		return (int)sd->args[2];
	return 0;
}
