/* SPDX-License-Identifier: GPL-2.0-or-later */
/* loadbpf: load a raw seccomp filter written by "sysfence --export=bpf",
 * then exec a program under it. The bats tests use it to show that the
 * exported file behaves exactly as sysfence's own filter does.
 *
 *   loadbpf FILE PROGRAM [ARG...]
 *
 * FILE holds struct sock_filter records in native byte order. Status 2:
 * misuse; 3: the file could not be read or loaded (message on stderr).
 * Built without sanitizers: their runtimes make calls filters deny. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static struct sock_filter insns[BPF_MAXINSNS + 1];
	struct sock_fprog prog;
	FILE *f;
	size_t n;

	if (argc < 3) {
		fputs("usage: loadbpf FILE PROGRAM [ARG...]\n", stderr);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "loadbpf: %s: %s\n", argv[1], strerror(errno));
		return 3;
	}
	n = fread(insns, 1, sizeof(insns), f);
	fclose(f);
	if (n == 0 || n % sizeof(insns[0]) || n / sizeof(insns[0]) > BPF_MAXINSNS) {
		fprintf(stderr, "loadbpf: %s: not a filter (%zu bytes)\n", argv[1], n);
		return 3;
	}
	prog.len = (unsigned short)(n / sizeof(insns[0]));
	prog.filter = insns;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		fprintf(stderr, "loadbpf: cannot load %s: %s\n", argv[1], strerror(errno));
		return 3;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "loadbpf: cannot execute %s: %s\n", argv[2], strerror(errno));
	return 127;
}
