/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe: the test program the bats tests run under sysfence.
 *
 * Each invocation performs one action and prints one result line on stdout:
 * "OK" when the system call succeeded, otherwise the errno name ("EPERM",
 * "ENOSYS", ...). A call stopped by a SECCOMP_RET_TRAP filter prints
 * "SIGSYS NAME" (NAME is the system call the kernel reports in si_syscall),
 * so a trap can be told apart from a kill: a killed probe prints nothing and
 * dies of SIGSYS (a shell shows status 159). The probe exits 0 whatever the
 * call returned; 2 means the probe itself was misused.
 *
 *   probe raw NAME [ARG...]       syscall(NAME, ARG...): NAME resolved by
 *                                 libseccomp for the native ABI; up to six
 *                                 64-bit ARGs, decimal, 0x hex, 0 octal or
 *                                 negative (missing ones are 0)
 *   probe mkdir PATH              mkdir(PATH, 0755)
 *   probe batch "NAME ARG..."...  raw for each quoted call in turn, in one
 *                                 process: prints "NAME ARG...: RESULT" per
 *                                 call, flushed before the call, so a kill
 *                                 leaves "NAME ARG...: " as the last line
 *   probe calls NAME...           syscall(NAME) with no arguments for each
 *                                 NAME in turn, one result line each; stdout
 *                                 is buffered, so a kill loses every line
 *   probe open PATH               open(PATH, O_RDONLY)
 *   probe open-rw PATH            open(PATH, O_RDWR)
 *   probe touch PATH              create PATH (a marker that the program ran)
 *   probe chown PATH UID GID      chown(PATH, UID, GID)
 *   probe bind-tcp PORT           bind a TCP socket to 127.0.0.1:PORT (ports
 *                                 below 1024 need CAP_NET_BIND_SERVICE)
 *   probe listen-tcp              listen(2) on a TCP socket never bound (the
 *                                 kernel picks a port itself)
 *   probe mptcp-connect PORT      connect an MPTCP socket (IPPROTO_MPTCP) to
 *                                 127.0.0.1:PORT; the errno of socket(2) or
 *                                 of connect(2)
 *   probe socket FAMILY [TYPE]    raw socket(FAMILY, TYPE, 0); FAMILY is a
 *                                 number (all 64 bits reach the kernel, e.g.
 *                                 0x100000028 = AF_VSOCK | 1 << 32) or one of
 *                                 AF_UNIX AF_INET AF_INET6 AF_NETLINK
 *                                 AF_PACKET AF_VSOCK; TYPE a number or
 *                                 SOCK_STREAM SOCK_DGRAM SOCK_RAW (default:
 *                                 SOCK_RAW for netlink/packet, else STREAM)
 *   probe ioctl-tiocsti [HIGH]    ioctl(-1, TIOCSTI | HIGH, buf): the fd is
 *                                 invalid so nothing is ever injected; the
 *                                 kernel answers EBADF unless a filter
 *                                 intervenes first
 *   probe ptrace-traceme          ptrace(PTRACE_TRACEME)
 *   probe int80-getpid            i386 getpid (20) through int $0x80 (x86-64)
 *   probe int80-socket FAMILY     i386 socketcall(SYS_SOCKET, {FAMILY,
 *                                 SOCK_STREAM, 0}) through int $0x80 (x86-64):
 *                                 the family is in memory, out of a filter's
 *                                 reach
 *   probe x32-getpid              getpid with the x32 bit (0x40000000 | 39)
 *   probe chmod PATH MODE         chmod(2); MODE is all 64 bits, like raw's
 *   probe fchmod PATH MODE        fchmod(2) on PATH opened O_RDONLY
 *   probe fchmodat PATH MODE      fchmodat(AT_FDCWD, PATH, MODE, 0)
 *   probe fchmodat2 PATH MODE     fchmodat2(AT_FDCWD, PATH, MODE, 0)
 *   probe mkdir-mode PATH MODE    mkdir(2) with MODE
 *   probe mknod PATH MODE         mknod(PATH, S_IFREG | MODE, 0)
 *   probe mknodat PATH MODE       mknodat(AT_FDCWD, PATH, S_IFREG | MODE, 0)
 *   probe creat PATH MODE         creat(2)
 *   probe open-create PATH MODE   open(PATH, O_WRONLY | O_CREAT, MODE)
 *   probe openat-create PATH MODE openat(AT_FDCWD, PATH, O_WRONLY | O_CREAT,
 *                                 MODE)
 *   probe open-tmpfile DIR MODE   open(DIR, O_WRONLY | O_TMPFILE, MODE)
 *   probe openat2 PATH            openat2(AT_FDCWD, PATH, {O_RDONLY})
 *   probe kill PID SIGNAL         kill(PID, SIGNAL) (a number)
 *   probe kill-child              fork a child that waits, SIGTERM it, reap
 *                                 it: OK when it died of that signal
 *   probe write-mem PID           open /proc/PID/mem for writing
 *   probe unix-connect ADDR       connect a stream unix socket to ADDR, a
 *                                 path or "@NAME" (abstract)
 *   probe status                  the Uid, Gid, Groups, NoNewPrivs, Seccomp,
 *                                 Seccomp_filters and Cap* lines of
 *                                 /proc/self/status, as the kernel writes them
 *   probe uid                     "uid=R euid=E gid=G egid=EG groups=A,B"
 *   probe pid                     getpid()
 *   probe exit N                  exit with status N
 *
 * It uses only libc and libseccomp (for names), and is built without
 * sanitizers: their runtimes make calls the filters under test deny. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

/* The system call number a SECCOMP_RET_TRAP filter reported, or -1. The
 * handler only stores it: the main line prints it after the call returns. */
static volatile sig_atomic_t trapped_nr = -1;

static void on_sigsys(int sig, siginfo_t *si, void *uctx)
{
	(void)sig;
	(void)uctx;
	trapped_nr = si->si_syscall;
}

int usage(void)
{
	fputs("usage: probe ACTION [ARG...]; see the comment at the top of probe.c\n", stderr);
	return 2;
}

/* Parse a 64-bit integer: decimal, 0x hex, 0 octal, or negative. */
bool parse_u64(const char *s, uint64_t *ret)
{
	char *end = NULL;

	errno = 0;
	if (s[0] == '-') {
		long long v = strtoll(s, &end, 0);
		if (errno || end == s || *end)
			return false;
		*ret = (uint64_t)v;
	} else {
		unsigned long long v = strtoull(s, &end, 0);
		if (errno || end == s || *end)
			return false;
		*ret = v;
	}
	return true;
}

struct named { const char *name; uint64_t value; };

static const struct named families[] = {
	{"AF_UNIX", AF_UNIX}, {"AF_INET", AF_INET}, {"AF_INET6", AF_INET6},
	{"AF_NETLINK", AF_NETLINK}, {"AF_PACKET", AF_PACKET}, {"AF_VSOCK", AF_VSOCK},
	{NULL, 0},
};

static const struct named socktypes[] = {
	{"SOCK_STREAM", SOCK_STREAM}, {"SOCK_DGRAM", SOCK_DGRAM}, {"SOCK_RAW", SOCK_RAW},
	{NULL, 0},
};

/* A number, or one of the names in table. */
static bool parse_named(const char *s, const struct named *table, uint64_t *ret)
{
	for (const struct named *n = table; n->name; n++)
		if (strcmp(s, n->name) == 0) {
			*ret = n->value;
			return true;
		}
	return parse_u64(s, ret);
}

/* Print the outcome of one call: "SIGSYS NAME" if a trap fired, else "OK"
 * for rc >= 0, else the errno name. err is the errno saved after the call. */
int report(long rc, int err)
{
	if (trapped_nr >= 0) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, trapped_nr);
		if (name)
			printf("SIGSYS %s\n", name);
		else
			printf("SIGSYS %d\n", (int)trapped_nr);
		free(name);
	} else if (rc >= 0) {
		puts("OK");
	} else {
		const char *name = strerrorname_np(err);
		if (name)
			puts(name);
		else
			printf("errno %d\n", err);
	}
	return 0;
}

static int do_raw(int argc, char **argv)
{
	uint64_t a[6] = {0};
	int nr;
	long rc;

	if (argc < 1 || argc > 7)
		return usage();
	nr = seccomp_syscall_resolve_name(argv[0]);
	if (nr == __NR_SCMP_ERROR || nr < 0) {
		fprintf(stderr, "probe: unknown syscall \"%s\" on this architecture\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (!parse_u64(argv[i], &a[i - 1])) {
			fprintf(stderr, "probe: bad argument \"%s\"\n", argv[i]);
			return 2;
		}
	rc = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return report(rc, errno);
}

/* Each argument is one raw call: words separated by blanks. */
static int do_batch(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char buf[512], *words[8], *save = NULL;
		int n = 0;

		if (strlen(argv[i]) >= sizeof(buf))
			return usage();
		strcpy(buf, argv[i]);
		for (char *w = strtok_r(buf, " ", &save); w && n < 8; w = strtok_r(NULL, " ", &save))
			words[n++] = w;
		printf("%s: ", argv[i]);
		fflush(stdout);
		if (n == 0 || do_raw(n, words) == 2)
			return 2;
		fflush(stdout);
	}
	return 0;
}

static int do_calls(int argc, char **argv)
{
	if (argc < 1)
		return usage();
	for (int i = 0; i < argc; i++) {
		int nr = seccomp_syscall_resolve_name(argv[i]);
		long rc;

		if (nr == __NR_SCMP_ERROR || nr < 0) {
			fprintf(stderr, "probe: unknown syscall \"%s\" on this architecture\n", argv[i]);
			return 2;
		}
		rc = syscall(nr, 0, 0, 0, 0, 0, 0);
		report(rc, errno);
	}
	return 0;
}

static int do_socket(int argc, char **argv)
{
	uint64_t family, type;
	long rc;

	if (argc < 1 || argc > 2 || !parse_named(argv[0], families, &family))
		return usage();
	if (argc == 2) {
		if (!parse_named(argv[1], socktypes, &type))
			return usage();
	} else {
		/* Compare the low half only: the probe passes high bits on. */
		uint32_t f = (uint32_t)family;
		type = (f == AF_NETLINK || f == AF_PACKET) ? SOCK_RAW : SOCK_STREAM;
	}
	/* Not socket(): glibc's int parameter would cut the upper 32 bits. */
	rc = syscall(SYS_socket, family, type, 0);
	int err = errno;
	if (rc >= 0)
		close((int)rc);
	return report(rc, err);
}

static int do_bind_tcp(int argc, char **argv)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	uint64_t port;
	int fd, rc, err;

	if (argc != 1 || !parse_u64(argv[0], &port) || port > 65535)
		return usage();
	sin.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1, errno);
	rc = bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	err = errno;
	close(fd);
	return report(rc, err);
}

static int do_listen_tcp(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc, err;

	if (fd < 0)
		return report(-1, errno);
	rc = listen(fd, 1);
	err = errno;
	close(fd);
	return report(rc, err);
}

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

static int do_mptcp_connect(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	uint64_t port;
	int fd, rc, err;

	if (argc != 1 || !parse_u64(argv[0], &port) || port > 65535)
		return usage();
	sin.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_MPTCP);
	if (fd < 0)
		return report(-1, errno);
	rc = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	err = errno;
	close(fd);
	return report(rc, err);
}

static int do_ioctl_tiocsti(int argc, char **argv)
{
	uint64_t high = 0;
	char c = 'x';
	long rc;

	if (argc > 1 || (argc == 1 && !parse_u64(argv[0], &high)))
		return usage();
	rc = syscall(SYS_ioctl, -1, (uint64_t)TIOCSTI | high, &c);
	return report(rc, errno);
}

static int do_int80_getpid(void)
{
#if defined(__x86_64__)
	long rc;

	/* The 32-bit entry saves and restores every register but rax; the
	 * clobbers are there for kernels that do not preserve r8-r11. */
	__asm__ volatile("int $0x80" : "=a"(rc) : "a"(20L) : "r8", "r9", "r10", "r11", "memory", "cc");
	if (rc < 0 && rc > -4096)
		return report(-1, (int)-rc);
	return report(rc, 0);
#else
	fputs("probe: int80-getpid exists only on x86-64\n", stderr);
	return 2;
#endif
}

static int do_int80_socket(int argc, char **argv)
{
#if defined(__x86_64__)
	uint64_t family;
	uint32_t *args;
	long rc;

	if (argc != 1 || !parse_named(argv[0], families, &family))
		return usage();
	/* The i386 entry truncates pointers to 32 bits: the arguments must
	 * live below 4 GiB. */
	args = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (args == MAP_FAILED)
		return report(-1, errno);
	args[0] = (uint32_t)family;
	args[1] = SOCK_STREAM;
	args[2] = 0;
	/* i386 socketcall is 102, SYS_SOCKET 1 */
	__asm__ volatile("int $0x80"
			 : "=a"(rc)
			 : "a"(102L), "b"(1L), "c"((long)(uintptr_t)args)
			 : "r8", "r9", "r10", "r11", "memory", "cc");
	if (rc < 0 && rc > -4096)
		return report(-1, (int)-rc);
	close((int)rc);
	return report(0, 0);
#else
	(void)argc;
	(void)argv;
	fputs("probe: int80-socket exists only on x86-64\n", stderr);
	return 2;
#endif
}

static int do_x32_getpid(void)
{
#if defined(__x86_64__)
	long rc = syscall(0x40000000L | 39);
	return report(rc, errno);
#else
	fputs("probe: x32-getpid exists only on x86-64\n", stderr);
	return 2;
#endif
}

static int do_status(void)
{
	static const char *const keys[] = {
		"Uid:", "Gid:", "Groups:", "NoNewPrivs:", "Seccomp:", "Seccomp_filters:",
		"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:", NULL,
	};
	char line[4096];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return report(-1, errno);
	while (fgets(line, sizeof(line), f))
		for (const char *const *k = keys; *k; k++)
			if (strncmp(line, *k, strlen(*k)) == 0)
				fputs(line, stdout);
	fclose(f);
	return 0;
}

static int do_uid(void)
{
	gid_t groups[256];
	int n = getgroups(256, groups);

	if (n < 0)
		return report(-1, errno);
	printf("uid=%u euid=%u gid=%u egid=%u groups=", (unsigned)getuid(), (unsigned)geteuid(),
	    (unsigned)getgid(), (unsigned)getegid());
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", (unsigned)groups[i]);
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	const char *action;
	long rc;

	if (argc < 2)
		return usage();
	action = argv[1];
	argc -= 2;
	argv += 2;

	/* Catch SIGSYS so that a trap prints "SIGSYS NAME" instead of dying like
	 * a kill. A filter that denies rt_sigaction itself makes this fail; then
	 * a trap kills the probe, which a test expecting a trap reports. */
	(void)sigaction(SIGSYS, &sa, NULL);

	if (strcmp(action, "raw") == 0)
		return do_raw(argc, argv);
	if (strcmp(action, "calls") == 0)
		return do_calls(argc, argv);
	if (strcmp(action, "batch") == 0)
		return do_batch(argc, argv);
	if (strcmp(action, "socket") == 0)
		return do_socket(argc, argv);
	if (strcmp(action, "ioctl-tiocsti") == 0)
		return do_ioctl_tiocsti(argc, argv);
	if (strcmp(action, "bind-tcp") == 0)
		return do_bind_tcp(argc, argv);
	if (strcmp(action, "int80-socket") == 0)
		return do_int80_socket(argc, argv);
	if (strcmp(action, "mptcp-connect") == 0)
		return do_mptcp_connect(argc, argv);
	rc = probe_sandbox(action, argc, argv);
	if (rc >= 0)
		return (int)rc;
	if (strcmp(action, "chown") == 0) {
		uint64_t uid, gid;
		if (argc != 3 || !parse_u64(argv[1], &uid) || !parse_u64(argv[2], &gid))
			return usage();
		rc = chown(argv[0], (uid_t)uid, (gid_t)gid);
		return report(rc, errno);
	}

	if (strcmp(action, "mkdir") == 0 || strcmp(action, "open") == 0 || strcmp(action, "open-rw") == 0 ||
	    strcmp(action, "touch") == 0) {
		if (argc != 1)
			return usage();
		if (strcmp(action, "mkdir") == 0)
			rc = mkdir(argv[0], 0755);
		else if (strcmp(action, "open") == 0)
			rc = open(argv[0], O_RDONLY | O_CLOEXEC);
		else if (strcmp(action, "open-rw") == 0)
			rc = open(argv[0], O_RDWR | O_CLOEXEC);
		else
			rc = open(argv[0], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		int err = errno;
		if (rc >= 0 && strcmp(action, "mkdir") != 0)
			close((int)rc);
		return report(rc, err);
	}
	if (strcmp(action, "exit") == 0) {
		uint64_t n;
		if (argc != 1 || !parse_u64(argv[0], &n))
			return usage();
		exit((int)n);
	}
	if (argc != 0)
		return usage();
	if (strcmp(action, "ptrace-traceme") == 0) {
		rc = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		return report(rc, errno);
	}
	if (strcmp(action, "listen-tcp") == 0)
		return do_listen_tcp();
	if (strcmp(action, "int80-getpid") == 0)
		return do_int80_getpid();
	if (strcmp(action, "x32-getpid") == 0)
		return do_x32_getpid();
	if (strcmp(action, "status") == 0)
		return do_status();
	if (strcmp(action, "uid") == 0)
		return do_uid();
	if (strcmp(action, "pid") == 0) {
		printf("%ld\n", (long)getpid());
		return 0;
	}
	return usage();
}
