/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The only kernel call of the filter module. */
#include "filter.h"

#include <errno.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

int filter_load(const struct sf_filter *f)
{
	struct sock_fprog prog;

	if (!f || f->n == 0 || f->n > BPF_MAXINSNS || f->n > USHRT_MAX)
		return -EINVAL;
	prog = (struct sock_fprog){ .len = (unsigned short)f->n, .filter = f->insns };
	/* seccomp(2) rather than prctl(PR_SET_SECCOMP): it reports unknown
	 * flags and actions precisely, and is what libseccomp uses too. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
}
