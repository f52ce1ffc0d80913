/* SPDX-License-Identifier: GPL-2.0-or-later */
/* maxrss: peak resident set size, as the kernel accounts it (getrusage).
 * Part of bench/.
 *
 *   maxrss              print this process's peak RSS in KiB
 *   maxrss CMD [ARG...] run CMD as a child and print the child's peak RSS
 *                       in KiB (wait4), then CMD's own output follows
 *
 * The kernel keeps a process's peak across execve (exec_mmap() folds the
 * old address space's high-water mark into it), so the child's figure is
 * the larger of a launcher's peak before it execs and the program's own.
 * With this small static binary as both parent and program, neither adds
 * more than a few hundred KiB: the figure is the launcher's. A child
 * forked from a large parent (a shell) would start from the parent's
 * pages instead, which is why the parent is this program. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2) {
		if (getrusage(RUSAGE_SELF, &ru) != 0)
			return 1;
		printf("%ld\n", ru.ru_maxrss);
		return 0;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0)
			dup2(devnull, 1);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "maxrss: %s failed\n", argv[1]);
		return 1;
	}
	printf("%ld\n", ru.ru_maxrss);
	return 0;
}
