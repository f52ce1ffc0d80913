/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape: tries one known way out of a seccomp sandbox and reports whether
 * the kernel carried it out. tests/bats/escapes.bats runs every escape under
 * the shipped profiles.
 *
 *   escape NAME     try the escape NAME, print one line, exit 0:
 *                     BLOCKED:ERRNAME  the call was refused (EPERM, EACCES,
 *                                      ENOSYS, or a refusal the escape names
 *                                      below, such as EAFNOSUPPORT)
 *                     ESCAPED          the kernel ran the call: it succeeded,
 *                                      or it rejected the harmless arguments
 *                                      chosen on purpose (EINVAL, ENOENT,
 *                                      EBADF, ...), which it checks only after
 *                                      deciding that the caller may make it
 *                     OK               (harmless-* escapes only) what must
 *                                      keep working under the sandbox did
 *                   A filter that kills ends the process with SIGSYS before
 *                   it prints anything (a shell shows status 159); that too
 *                   means blocked.
 *   escape list     print the names of all escapes, one a line
 *
 * Every escape uses arguments that cannot harm the machine even when the
 * call goes through as root with every capability: a wrong reboot magic,
 * kexec flags the kernel rejects, a module image of zero bytes, paths that
 * do not exist, time values out of range, the process's own pseudo terminal,
 * its own namespaces and its own memory. Built without sanitizers, like the
 * probe: it runs under filters that refuse what their runtimes need. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef TIOCL_GETFGCONSOLE
#define TIOCL_GETFGCONSOLE 12
#endif

/* Junk for the upper half of a 64-bit register whose lower half the kernel
 * reads as an int: a filter that compares all 64 bits misses the call. */
#define HIGH_JUNK (UINT64_C(1) << 32)

/* The outcome of one escape: >= 0 when the call succeeded, else -errno. */
static long result(long rc)
{
	return rc < 0 ? -errno : rc;
}

/* syscall() with the result as above. */
#define SYS(...) result(syscall(__VA_ARGS__))

/* Close a descriptor a successful call returned, keep the outcome. */
static long closing(long rc)
{
	if (rc >= 0)
		close((int)rc);
	return rc;
}

/* Run fn in a child made by fork() and return its outcome. The child exits
 * at once, so nothing it gained outlives it. */
static long in_child(long (*fn)(void))
{
	int p[2];
	long out = -EIO;
	pid_t pid;

	if (pipe(p) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		long err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0) {
		long r = fn();
		ssize_t n = write(p[1], &r, sizeof(r));
		_exit(n == sizeof(r) ? 0 : 1);
	}
	close(p[1]);
	if (read(p[0], &out, sizeof(out)) != sizeof(out))
		out = -EIO;
	close(p[0]);
	(void)waitpid(pid, NULL, 0);
	return out;
}

/* A child from raw clone/clone3 exits at once; the parent reaps it. */
static long reap(long rc)
{
	if (rc == 0)
		_exit(0);
	if (rc > 0)
		(void)waitpid((pid_t)rc, NULL, __WALL);
	return rc;
}

/* ---- other ABIs ---------------------------------------------------------- */

static long esc_int80(void)
{
#if defined(__x86_64__)
	long rc;

	/* i386 getpid (20): a filter that checks only x86-64 numbers would
	 * read every i386 call as a different x86-64 one. */
	__asm__ volatile("int $0x80" : "=a"(rc) : "a"(20L) : "r8", "r9", "r10", "r11", "memory", "cc");
	return rc;
#else
	return -ENOSYS;
#endif
}

static long esc_x32(void)
{
#if defined(__x86_64__)
	return SYS(0x40000000L | SYS_getpid);
#else
	return -ENOSYS;
#endif
}

/* ---- other processes ----------------------------------------------------- */

static long esc_ptrace(void)
{
	/* Makes the parent the tracer; nothing is traced before the exit. */
	return SYS(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
}

static int own_word = 42;

static long esc_process_vm_readv(void)
{
	int copy = 0;
	struct iovec local = { &copy, sizeof(copy) }, remote = { &own_word, sizeof(own_word) };

	return SYS(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0);
}

static long esc_process_vm_writev(void)
{
	int value = 42;
	struct iovec local = { &value, sizeof(value) }, remote = { &own_word, sizeof(own_word) };

	return SYS(SYS_process_vm_writev, getpid(), &local, 1, &remote, 1, 0);
}

/* ---- kernel interfaces with a record of escalations ---------------------- */

static long esc_bpf(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));	/* an empty program: EINVAL */
	return closing(SYS(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr)));
}

static long esc_perf_event_open(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_DUMMY;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	return closing(SYS(SYS_perf_event_open, &attr, 0, -1, -1, 0));
}

static long esc_userfaultfd(void)
{
	return closing(SYS(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY));
}

static long esc_io_uring_setup(void)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	return closing(SYS(SYS_io_uring_setup, 1, &p));
}

static long esc_keyctl(void)
{
	return SYS(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
}

static long esc_add_key(void)
{
	/* The process keyring ends with the process. */
	return SYS(SYS_add_key, "user", "sysfence-escape", "x", 1, KEY_SPEC_PROCESS_KEYRING);
}

/* ---- kexec, modules -------------------------------------------------------- */

/* Flag 0x8000 is neither a kexec flag nor an architecture: the kernel
 * answers EINVAL right after its permission checks. (Flags 0 with no
 * segments would unload a loaded kernel image: never used here.) */
static long esc_kexec_load(void)
{
	return SYS(SYS_kexec_load, 0, 0, NULL, 0x8000UL);
}

static long esc_kexec_file_load(void)
{
	return SYS(SYS_kexec_file_load, -1, -1, 0, NULL, 0x8000UL);
}

static long esc_init_module(void)
{
	return SYS(SYS_init_module, "", 0, "");	/* zero bytes: ENOEXEC */
}

static long esc_finit_module(void)
{
	return SYS(SYS_finit_module, -1, "", 0);
}

static long esc_delete_module(void)
{
	return SYS(SYS_delete_module, "sysfence_no_such_module", O_NONBLOCK);
}

/* ---- mounts and the root directory --------------------------------------- */

#define NOWHERE "/nonexistent-sysfence-escape"

static long esc_mount(void)
{
	return SYS(SYS_mount, NOWHERE, "/", NULL, MS_BIND, NULL);
}

static long esc_umount(void)
{
	return SYS(SYS_umount2, NOWHERE, 0);
}

static long esc_fsopen(void)
{
	/* A file system context only: nothing is mounted until fsmount(). */
	return closing(SYS(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC));
}

static long esc_fsmount(void)
{
	return SYS(SYS_fsmount, -1, FSMOUNT_CLOEXEC, 0);
}

static long esc_fspick(void)
{
	return closing(SYS(SYS_fspick, AT_FDCWD, NOWHERE, FSPICK_CLOEXEC));
}

static long esc_move_mount(void)
{
	return SYS(SYS_move_mount, AT_FDCWD, NOWHERE, AT_FDCWD, NOWHERE "-too", 0);
}

static long esc_open_tree(void)
{
	return closing(SYS(SYS_open_tree, AT_FDCWD, NOWHERE, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
}

static long esc_pivot_root(void)
{
	return SYS(SYS_pivot_root, NOWHERE, NOWHERE "-too");
}

static long esc_chroot(void)
{
	return SYS(SYS_chroot, "/");	/* the root it already has */
}

/* ---- namespaces ------------------------------------------------------------ */

static long esc_unshare_user(void)
{
	return SYS(SYS_unshare, CLONE_NEWUSER);
}

static long esc_unshare_mount(void)
{
	return SYS(SYS_unshare, CLONE_NEWNS);
}

/* Raw clone (x86-64 argument order: flags, stack, parent_tid, child_tid,
 * tls). A zero stack makes the child run on a copy of this one, like fork. */
static long clone_flags(uint64_t flags)
{
	return reap(SYS(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0));
}

static long esc_clone_newuser(void)
{
	return clone_flags(CLONE_NEWUSER);
}

static long esc_clone_newuser_high(void)
{
	return clone_flags(CLONE_NEWUSER | HIGH_JUNK);
}

static long esc_clone_newns(void)
{
	return clone_flags(CLONE_NEWNS);
}

static long esc_clone_newnet(void)
{
	return clone_flags(CLONE_NEWNET);
}

static long esc_clone_newpid(void)
{
	return clone_flags(CLONE_NEWPID);
}

static long esc_setns(void)
{
	long fd = result(open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC));
	long rc;

	if (fd < 0)
		return fd;
	rc = SYS(SYS_setns, (int)fd, CLONE_NEWUTS);	/* its own namespace */
	close((int)fd);
	return rc;
}

/* struct clone_args of <linux/sched.h>, which clashes with <sched.h>. */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static long esc_clone3(void)
{
	struct clone3_args a = { .exit_signal = SIGCHLD };

	/* Must fail with ENOSYS, so that glibc falls back to clone, whose
	 * flags a filter can read. */
	return reap(SYS(SYS_clone3, &a, sizeof(a)));
}

/* ---- files, swap, reboot, clock, accounting, logs ------------------------ */

static long esc_open_by_handle_at(void)
{
	struct {
		struct file_handle h;
		unsigned char bytes[MAX_HANDLE_SZ];
	} fh;
	int mount_id;

	memset(&fh, 0, sizeof(fh));
	fh.h.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, "/", &fh.h, &mount_id, 0) < 0) {
		/* A made-up handle still shows whether the call is reachable. */
		fh.h.handle_bytes = 8;
		fh.h.handle_type = 1;
	}
	return closing(SYS(SYS_open_by_handle_at, AT_FDCWD, &fh.h, O_RDONLY | O_CLOEXEC));
}

static long esc_swapon(void)
{
	return SYS(SYS_swapon, NOWHERE, 0);
}

static long esc_swapoff(void)
{
	return SYS(SYS_swapoff, NOWHERE);
}

static long esc_reboot(void)
{
	/* Wrong magic: after the capability check the kernel stops with EINVAL. */
	return SYS(SYS_reboot, 0xdeadbeefUL, 0xfeedUL, LINUX_REBOOT_CMD_CAD_OFF, NULL);
}

/* Out-of-range values: the kernel rejects them with EINVAL. */
static long esc_clock_settime(void)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 2000000000L };

	return SYS(SYS_clock_settime, CLOCK_REALTIME, &ts);
}

static long esc_settimeofday(void)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 2000000L };

	return SYS(SYS_settimeofday, &tv, NULL);
}

static long esc_adjtimex(void)
{
	struct timex tx = { .modes = ADJ_TICK, .tick = 1 };

	return SYS(SYS_adjtimex, &tx);
}

static long esc_clock_adjtime(void)
{
	struct timex tx = { .modes = ADJ_TICK, .tick = 1 };

	return SYS(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
}

static long esc_acct(void)
{
	return SYS(SYS_acct, NOWHERE);
}

static long esc_quotactl(void)
{
	/* Q_SYNC of every file system: writes quota files out, changes nothing. */
	return SYS(SYS_quotactl, QCMD(Q_SYNC, USRQUOTA), NULL, 0, NULL);
}

static long esc_syslog(void)
{
	return SYS(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
}

/* ---- raw I/O, CPU modes ------------------------------------------------------ */

/* x86's port I/O calls: other ABIs have none (-ENOSYS, as the kernel
 * answers a number it does not know). */
static long esc_iopl(void)
{
#ifdef SYS_iopl
	return SYS(SYS_iopl, 0);	/* the level it has: no port access */
#else
	return -ENOSYS;
#endif
}

static long esc_ioperm(void)
{
#ifdef SYS_ioperm
	return SYS(SYS_ioperm, 0x80, 1, 0);	/* turns access off */
#else
	return -ENOSYS;
#endif
}

static long esc_personality_rie(void)
{
	long old = SYS(SYS_personality, PER_LINUX | READ_IMPLIES_EXEC);

	if (old >= 0)
		(void)syscall(SYS_personality, (unsigned long)old);
	return old;
}

/* What programs do with personality and must keep doing: ask (0xffffffff),
 * set PER_LINUX, and ADDR_NO_RANDOMIZE (setarch -R). */
static long esc_harmless_personality(void)
{
	static const unsigned long values[] = { 0xffffffffUL, PER_LINUX, ADDR_NO_RANDOMIZE, PER_LINUX };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		long rc = SYS(SYS_personality, values[i]);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- terminals ----------------------------------------------------------- */

/* Open a new pseudo terminal and make its slave this process's controlling
 * terminal, so that TIOCSTI needs no capability: the process types into a
 * terminal only it has. Returns the slave descriptor or -errno. */
static long own_terminal(void)
{
	long m = result(posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
	const char *name;
	long s;

	if (m < 0)
		return m;
	if (grantpt((int)m) < 0 || unlockpt((int)m) < 0 || !(name = ptsname((int)m)))
		return -errno;
	/* Without a controlling terminal, a session leader acquires the
	 * first terminal it opens. */
	if (setsid() < 0)
		return -errno;
	s = result(open(name, O_RDWR | O_CLOEXEC));
	if (s >= 0)
		(void)ioctl((int)s, TIOCSCTTY, 0);
	return s;
}

/* Without a terminal of its own (a profile that answers every ioctl but a
 * few with ENOTTY refuses the pseudo terminal's TIOCGPTN and TIOCSPTLCK,
 * yet may still let a process type into the terminal it inherited), the
 * request goes to an invalid descriptor: a filter decides on the request
 * alone, and the kernel answers EBADF (ESCAPED) only if the filter let it
 * through. Setting up cannot pass for a refusal of the escape, either way. */
static long tty_ioctl(unsigned long cmd, void *arg)
{
	long fd = own_terminal();

	if (fd < 0)
		fd = -1;
	return SYS(SYS_ioctl, (int)fd, cmd, arg);
}

static long do_tiocsti(void)
{
	char c = '\n';

	return tty_ioctl(TIOCSTI, &c);
}

static long do_tiocsti_high(void)
{
	char c = '\n';

	return tty_ioctl(TIOCSTI | HIGH_JUNK, &c);
}

static long do_tioclinux(void)
{
	char sub = TIOCL_GETFGCONSOLE;	/* a query, on a console; a pty has no such ioctl */

	return tty_ioctl(TIOCLINUX, &sub);
}

static long do_tioclinux_high(void)
{
	char sub = TIOCL_GETFGCONSOLE;

	return tty_ioctl(TIOCLINUX | HIGH_JUNK, &sub);
}

/* setsid() needs a process that leads no process group; a child is one. */
static long esc_tiocsti(void)
{
	return in_child(do_tiocsti);
}

static long esc_tiocsti_high(void)
{
	return in_child(do_tiocsti_high);
}

static long esc_tioclinux(void)
{
	return in_child(do_tioclinux);
}

static long esc_tioclinux_high(void)
{
	return in_child(do_tioclinux_high);
}

/* ---- socket families ----------------------------------------------------- */

/* Raw syscall: glibc's socket() takes an int and would drop the junk. */
static long sock(uint64_t family, int type)
{
	return closing(SYS(SYS_socket, family, type, 0));
}

static long esc_af_packet(void)
{
	return sock(AF_PACKET, SOCK_RAW);
}

static long esc_af_packet_high(void)
{
	return sock(AF_PACKET | HIGH_JUNK, SOCK_RAW);
}

static long esc_af_vsock(void)
{
	return sock(AF_VSOCK, SOCK_STREAM);
}

static long esc_af_vsock_high(void)
{
	return sock(AF_VSOCK | HIGH_JUNK, SOCK_STREAM);
}

static long esc_af_alg(void)
{
	return sock(AF_ALG, SOCK_SEQPACKET);
}

static long esc_af_alg_high(void)
{
	return sock(AF_ALG | HIGH_JUNK, SOCK_SEQPACKET);
}

/* ---- regaining root ------------------------------------------------------ */

/* Raise CAP_SYS_ADMIN into the permitted and effective sets. */
static long raise_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective = CAP_TO_MASK(CAP_SYS_ADMIN);
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted = CAP_TO_MASK(CAP_SYS_ADMIN);
	return SYS(SYS_capset, &h, d);
}

/* Become uid 0 and use it: as root, uid 0 without capabilities is not root. */
static long esc_setuid_root(void)
{
	long rc = SYS(SYS_setresuid, 0, 0, 0);

	return rc < 0 ? rc : raise_sys_admin();
}

static long esc_capset(void)
{
	return raise_sys_admin();
}

/* ---- table --------------------------------------------------------------- */

struct escape {
	const char *name;
	long (*fn)(void);
	int refusal;	/* a further errno that means "refused", or 0 */
	bool harmless;	/* must work: prints OK */
};

static const struct escape escapes[] = {
	{ "int80", esc_int80, 0, false },
	{ "x32", esc_x32, 0, false },
	{ "ptrace", esc_ptrace, 0, false },
	{ "process-vm-readv", esc_process_vm_readv, 0, false },
	{ "process-vm-writev", esc_process_vm_writev, 0, false },
	{ "bpf", esc_bpf, 0, false },
	{ "perf-event-open", esc_perf_event_open, 0, false },
	{ "userfaultfd", esc_userfaultfd, 0, false },
	{ "io-uring-setup", esc_io_uring_setup, 0, false },
	{ "keyctl", esc_keyctl, 0, false },
	{ "add-key", esc_add_key, 0, false },
	{ "kexec-load", esc_kexec_load, 0, false },
	{ "kexec-file-load", esc_kexec_file_load, 0, false },
	{ "init-module", esc_init_module, 0, false },
	{ "finit-module", esc_finit_module, 0, false },
	{ "delete-module", esc_delete_module, 0, false },
	{ "mount", esc_mount, 0, false },
	{ "umount", esc_umount, 0, false },
	{ "fsopen", esc_fsopen, 0, false },
	{ "fsmount", esc_fsmount, 0, false },
	{ "fspick", esc_fspick, 0, false },
	{ "move-mount", esc_move_mount, 0, false },
	{ "open-tree", esc_open_tree, 0, false },
	{ "pivot-root", esc_pivot_root, 0, false },
	{ "chroot", esc_chroot, 0, false },
	{ "unshare-user", esc_unshare_user, 0, false },
	{ "unshare-mount", esc_unshare_mount, 0, false },
	{ "clone-newuser", esc_clone_newuser, 0, false },
	{ "clone-newuser-high", esc_clone_newuser_high, 0, false },
	{ "clone-newns", esc_clone_newns, 0, false },
	{ "clone-newnet", esc_clone_newnet, 0, false },
	{ "clone-newpid", esc_clone_newpid, 0, false },
	{ "setns", esc_setns, 0, false },
	{ "clone3", esc_clone3, 0, false },
	{ "open-by-handle-at", esc_open_by_handle_at, 0, false },
	{ "swapon", esc_swapon, 0, false },
	{ "swapoff", esc_swapoff, 0, false },
	{ "reboot", esc_reboot, 0, false },
	{ "clock-settime", esc_clock_settime, 0, false },
	{ "settimeofday", esc_settimeofday, 0, false },
	{ "adjtimex", esc_adjtimex, 0, false },
	{ "clock-adjtime", esc_clock_adjtime, 0, false },
	{ "acct", esc_acct, 0, false },
	{ "quotactl", esc_quotactl, 0, false },
	{ "syslog", esc_syslog, 0, false },
	{ "iopl", esc_iopl, 0, false },
	{ "ioperm", esc_ioperm, 0, false },
	{ "personality-rie", esc_personality_rie, 0, false },
	/* Since Linux 6.2, dev.tty.legacy_tiocsti = 0 makes the kernel
	 * refuse TIOCSTI without CAP_SYS_ADMIN with EIO. */
	{ "tiocsti", esc_tiocsti, EIO, false },
	{ "tiocsti-high", esc_tiocsti_high, EIO, false },
	{ "tioclinux", esc_tioclinux, 0, false },
	{ "tioclinux-high", esc_tioclinux_high, 0, false },
	/* A kernel built without the family refuses it with EAFNOSUPPORT. */
	{ "af-packet", esc_af_packet, EAFNOSUPPORT, false },
	{ "af-packet-high", esc_af_packet_high, EAFNOSUPPORT, false },
	{ "af-vsock", esc_af_vsock, EAFNOSUPPORT, false },
	{ "af-vsock-high", esc_af_vsock_high, EAFNOSUPPORT, false },
	{ "af-alg", esc_af_alg, EAFNOSUPPORT, false },
	{ "af-alg-high", esc_af_alg_high, EAFNOSUPPORT, false },
	{ "setuid-root", esc_setuid_root, 0, false },
	{ "capset", esc_capset, 0, false },
	{ "harmless-personality", esc_harmless_personality, 0, true },
};

static int report(const struct escape *e, long rc)
{
	int err = rc < 0 ? (int)-rc : 0;
	bool refused = err == EPERM || err == EACCES || err == ENOSYS || (err && err == e->refusal);

	if (refused || (e->harmless && rc < 0)) {
		const char *name = strerrorname_np(err);

		if (name)
			printf("BLOCKED:%s\n", name);
		else
			printf("BLOCKED:errno%d\n", err);
	} else if (e->harmless)
		puts("OK");
	else
		puts("ESCAPED");
	return fflush(stdout) == 0 ? 0 : 1;
}

static int usage(void)
{
	fputs("usage: escape NAME | escape list (see the comment at the top of escape.c)\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return usage();
	if (strcmp(argv[1], "list") == 0) {
		for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++)
			puts(escapes[i].name);
		return 0;
	}
	for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++)
		if (strcmp(argv[1], escapes[i].name) == 0)
			return report(&escapes[i], escapes[i].fn());
	fprintf(stderr, "escape: unknown escape \"%s\"\n", argv[1]);
	return 2;
}
