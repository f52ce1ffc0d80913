/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysloop: time N calls of a few syscalls and print nanoseconds per call,
 * to compare the cost of a seccomp filter (run it bare, then under a
 * launcher). Part of bench/.
 *
 *   sysloop N    ->  lines "getppid<TAB>ns", "read", "ioctl", "socket"
 *
 * read: 1 byte from /dev/zero. ioctl: TCGETS on /dev/null (ENOTTY, the
 * filter runs all the same). socket: socket(AF_UNIX, SOCK_STREAM) and close,
 * reported per pair, N/20 times (it costs some microseconds). Each figure
 * is the best of 5 batches: the machine is shared, and the fastest batch is
 * the one least disturbed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int zero_fd, null_fd;

static int do_getppid(void)
{
	/* The raw syscall: glibc does not cache getppid, but be explicit. */
	return (int)syscall(SYS_getppid) > 0 ? 0 : -1;
}

static int do_read(void)
{
	char c;

	return read(zero_fd, &c, 1) == 1 ? 0 : -1;
}

static int do_ioctl(void)
{
	struct termios t;

	return ioctl(null_fd, TCGETS, &t) < 0 ? 0 : -1; /* ENOTTY expected */
}

static int do_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
		long divisor;
	} tests[] = { { "getppid", do_getppid, 1 }, { "read", do_read, 1 }, { "ioctl", do_ioctl, 1 },
		{ "socket", do_socket, 20 } };
	long n = argc > 1 ? atol(argv[1]) : 100000;

	zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (zero_fd < 0 || null_fd < 0 || n < 1) {
		perror("sysloop");
		return 1;
	}
	for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
		long calls = n / tests[t].divisor > 0 ? n / tests[t].divisor : 1;
		double best = 0;

		for (int batch = 0; batch < 5; batch++) {
			double t0 = now_ns();

			for (long i = 0; i < calls; i++)
				if (tests[t].fn() < 0) {
					fprintf(stderr, "sysloop: %s failed\n", tests[t].name);
					return 1;
				}
			double per = (now_ns() - t0) / (double)calls;

			if (batch == 0 || per < best)
				best = per;
		}
		printf("%s\t%.1f\n", tests[t].name, best);
	}
	return 0;
}
