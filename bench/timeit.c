/* SPDX-License-Identifier: GPL-2.0-or-later */
/* timeit: run several commands in interleaved rounds and print the median
 * wall time of one run of each, so that a noisy shared machine slows all of
 * them alike instead of whichever ran during a build.
 *
 *   timeit ROUNDS BATCH FILE [SAMPLES]
 *
 * FILE has one command per line: a label, a tab, then the arguments
 * separated by tabs (no shell). A label "NAME@FD=PATH" opens PATH read-only
 * as descriptor FD of the child (bubblewrap's --seccomp FD); NAME is the
 * label printed. Each round runs every command BATCH times
 * back to back (fork, execv, wait; output to /dev/null), starting with a
 * different command each round. A command that fails (status not 0) stops
 * everything with a message: timing a failure would be meaningless.
 * Output, one line per command in FILE order, times per run in
 * microseconds, over rounds:
 *   label<TAB>median<TAB>q1<TAB>q3<TAB>cpu_median
 * where the first three are wall time and cpu_median is the child's user
 * plus system time (wait4), which waiting for a busy CPU does not inflate.
 * With SAMPLES, every round's figures also go to that file, one line per
 * command and round: label<TAB>round<TAB>wall<TAB>cpu (for statistics
 * paired by round, which a drift of the machine's load affects less).
 * Part of bench/, not of sysfence. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 64
#define MAX_ARGS 64

struct cmd {
	char *label;
	char *argv[MAX_ARGS + 1];
	int fd; /* -1, or the descriptor to open path on */
	char *fd_path;
	double *samples; /* wall microseconds per run, one per round */
	double *cpu; /* CPU microseconds per run, one per round */
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double tv_us(struct timeval tv)
{
	return (double)tv.tv_sec * 1e6 + (double)tv.tv_usec;
}

/* Run c once; add its CPU time to *cpu_us. Returns its exit status. */
static int run_once(const struct cmd *c, int devnull, double *cpu_us)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		if (c->fd >= 0) {
			int fd = open(c->fd_path, O_RDONLY);

			if (fd < 0 || dup2(fd, c->fd) < 0)
				_exit(126);
		}
		execv(c->argv[0], c->argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	*cpu_us += tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Quantile q (0..1) of sorted v, linear between neighbours. */
static double quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (v[i + 1] - v[i]) * (pos - (double)i);
}

static size_t parse_file(const char *path, struct cmd *cmds)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;

	if (!f) {
		fprintf(stderr, "timeit: cannot open %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		char *save = NULL, *tok;
		size_t a = 0;

		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!*line || *line == '#')
			continue;
		if (n == MAX_CMDS) {
			fprintf(stderr, "timeit: more than %d commands\n", MAX_CMDS);
			exit(2);
		}
		cmds[n].label = strdup(strtok_r(line, "\t", &save));
		while ((tok = strtok_r(NULL, "\t", &save)) && a < MAX_ARGS)
			cmds[n].argv[a++] = strdup(tok);
		cmds[n].argv[a] = NULL;
		cmds[n].fd = -1;
		{
			char *at = strchr(cmds[n].label, '@');
			char *eq = at ? strchr(at, '=') : NULL;

			if (at && eq) {
				*at = *eq = '\0';
				cmds[n].fd = atoi(at + 1);
				cmds[n].fd_path = eq + 1;
			}
		}
		if (a == 0) {
			fprintf(stderr, "timeit: %s: no command\n", cmds[n].label);
			exit(2);
		}
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static struct cmd cmds[MAX_CMDS];
	int rounds, batch, devnull;
	size_t n;

	if ((argc != 4 && argc != 5) || (rounds = atoi(argv[1])) < 1 || (batch = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: timeit ROUNDS BATCH FILE [SAMPLES]\n");
		return 2;
	}
	n = parse_file(argv[3], cmds);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || n == 0) {
		fprintf(stderr, "timeit: nothing to run\n");
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		double ignored = 0;

		cmds[i].samples = calloc((size_t)rounds, sizeof(double));
		cmds[i].cpu = calloc((size_t)rounds, sizeof(double));
		/* Warm-up: page cache, dynamic loader caches, and a first check
		 * that the command works. */
		int st = run_once(&cmds[i], devnull, &ignored);

		if (st != 0) {
			fprintf(stderr, "timeit: %s: exit status %d\n", cmds[i].label, st);
			return 1;
		}
	}
	for (int r = 0; r < rounds; r++) {
		for (size_t j = 0; j < n; j++) {
			struct cmd *c = &cmds[(j + (size_t)r) % n];
			double t0 = now_us(), cpu = 0;

			for (int b = 0; b < batch; b++) {
				int st = run_once(c, devnull, &cpu);

				if (st != 0) {
					fprintf(stderr, "timeit: %s: exit status %d\n", c->label, st);
					return 1;
				}
			}
			c->samples[r] = (now_us() - t0) / batch;
			c->cpu[r] = cpu / batch;
		}
	}
	if (argc == 5) {
		FILE *out = fopen(argv[4], "we");

		if (!out) {
			fprintf(stderr, "timeit: cannot write %s: %s\n", argv[4], strerror(errno));
			return 1;
		}
		for (size_t i = 0; i < n; i++)
			for (int r = 0; r < rounds; r++)
				fprintf(out, "%s\t%d\t%.1f\t%.1f\n", cmds[i].label, r, cmds[i].samples[r], cmds[i].cpu[r]);
		if (fclose(out) != 0) {
			fprintf(stderr, "timeit: cannot write %s\n", argv[4]);
			return 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		qsort(cmds[i].samples, (size_t)rounds, sizeof(double), cmp_double);
		qsort(cmds[i].cpu, (size_t)rounds, sizeof(double), cmp_double);
		printf("%s\t%.1f\t%.1f\t%.1f\t%.1f\n", cmds[i].label, quantile(cmds[i].samples, (size_t)rounds, 0.5),
		    quantile(cmds[i].samples, (size_t)rounds, 0.25), quantile(cmds[i].samples, (size_t)rounds, 0.75),
		    quantile(cmds[i].cpu, (size_t)rounds, 0.5));
	}
	return 0;
}
