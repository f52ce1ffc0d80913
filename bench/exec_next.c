/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exec_next: exec argv[1..] and nothing else. Built static, it is the floor
 * of any launcher: one more execve of a tiny binary. Part of bench/. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	execv(argv[1], argv + 1);
	perror("exec_next");
	return 127;
}
