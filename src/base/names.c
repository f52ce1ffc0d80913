/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "names.h"
#include "cleanup.h"
#include "diag.h"
#include "membuf.h"

#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>

bool syscall_name_known(const char *name)
{
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

char *syscall_name_suggest(const char *name)
{
	/* Only the error path gets here, so building the candidate list on
	 * demand costs nothing on a normal launch. The native ABI's names
	 * come first; then x86-64's and arm64's, the names profiles are
	 * written with, which every ABI accepts (syscall_name_known()): on
	 * arm64 "opne" is still a typo of "open". */
	enum { MAX_NR = 1024 };
	const uint32_t tables[] = { SCMP_ARCH_NATIVE, SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64 };
	char *names[ELEMENTSOF(tables) * MAX_NR + 1] = { 0 };
	size_t n = 0;
	char *hit = NULL;

	for (size_t t = 0; t < ELEMENTSOF(tables); t++)
		for (int nr = 0; nr < MAX_NR; nr++) {
			char *s = seccomp_syscall_resolve_num_arch(tables[t], nr);
			bool dup = false;

			for (size_t i = 0; s && i < n && !dup; i++)
				dup = strcmp(names[i], s) == 0;
			if (dup)
				free(s);
			else if (s)
				names[n++] = s;
		}
	names[n] = NULL;
	const char *best = diag_closest(name, (const char *const *)names);
	if (best)
		hit = strdup(best);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return hit;
}

int cap_last(void)
{
	static int last = -1;
	_cleanup_fclose_ FILE *f = NULL;

	if (last >= 0)
		return last;
	/* The kernel may know more capabilities than the headers we were
	 * built with. PR_CAPBSET_READ fails with EINVAL exactly for numbers
	 * it does not know, so a binary search over 0..63 asks it in six
	 * calls, cheaper than opening a procfs file on every launch. Any
	 * other failure (a filter refusing prctl) falls back to the file. */
	if (prctl(PR_CAPBSET_READ, 0, 0, 0, 0) >= 0) {
		int lo = 0, hi = 64;	/* lo is known, hi is not */

		/* Most often the kernel knows exactly what the headers do:
		 * two calls settle it. */
		if (prctl(PR_CAPBSET_READ, CAP_LAST_CAP, 0, 0, 0) >= 0) {
			lo = CAP_LAST_CAP;
			if (CAP_LAST_CAP == 63 || (prctl(PR_CAPBSET_READ, CAP_LAST_CAP + 1, 0, 0, 0) < 0 && errno == EINVAL))
				hi = CAP_LAST_CAP + 1;
		} else if (errno == EINVAL)
			hi = CAP_LAST_CAP;

		while (hi - lo > 1) {
			int mid = lo + (hi - lo) / 2;

			if (prctl(PR_CAPBSET_READ, mid, 0, 0, 0) >= 0)
				lo = mid;
			else if (errno == EINVAL)
				hi = mid;
			else
				break;
		}
		if (hi - lo == 1)
			return last = lo;
	}
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (!f || fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
		last = CAP_LAST_CAP;
	return last;
}

int cap_from_name(const char *name)
{
	const char *bare = strncasecmp(name, "cap_", 4) == 0 ? name + 4 : name;
	int c;

	if (!*bare)
		return -EINVAL;
	c = capng_name_to_capability(bare);
	if (c < 0 || c > 63)
		return -EINVAL;
	return c;
}

char *cap_name_suggest(const char *name)
{
	const char *bare = strncasecmp(name, "cap_", 4) == 0 ? name + 4 : name;
	const char *names[65];
	char lower[64];
	size_t n = 0;
	char *out = NULL;

	for (int c = 0; c <= cap_last() && n < 64; c++) {
		const char *s = capng_capability_to_name((unsigned)c);

		if (s)
			names[n++] = s;
	}
	names[n] = NULL;
	snprintf(lower, sizeof(lower), "%s", bare);
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *best = diag_closest(lower, names);
	if (best && asprintf(&out, "cap_%s", best) < 0)
		out = NULL;
	return out;
}

int arch_from_name(const char *name, uint32_t *ret)
{
	uint32_t a;

	if (strcmp(name, "native") == 0)
		a = seccomp_arch_native();
	else
		a = seccomp_arch_resolve_name(name);
	if (a == 0)
		return -EINVAL;
	*ret = a;
	return 0;
}

uint64_t cap_all_mask(void)
{
	int last = cap_last();

	return last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;
}

const char *arch_name(uint32_t arch)
{
	/* libseccomp 2.5 resolves names to tokens but not back; these are
	 * its names, checked against it rather than trusted. */
	static const char *const names[] = { "x86", "x86_64", "x32", "arm", "aarch64", "mips", "mips64",
		"mips64n32", "mipsel", "mipsel64", "mipsel64n32", "ppc", "ppc64", "ppc64le", "s390", "s390x",
		"parisc", "parisc64", "riscv64" };

	for (size_t i = 0; i < ELEMENTSOF(names); i++)
		if (seccomp_arch_resolve_name(names[i]) == arch)
			return names[i];
	return NULL;
}

char *names_of_bits(uint64_t mask, const char *(*name_of)(int bit), const char *prefix, const char *sep)
{
	_cleanup_membuf_ struct membuf mb = { 0 };
	bool first = true;

	if (membuf_open(&mb) < 0)
		return NULL;
	for (int bit = 0; bit < 64; bit++)
		if (mask & (UINT64_C(1) << bit)) {
			const char *name = name_of(bit);

			if (name)
				fprintf(mb.f, "%s%s%s", first ? "" : sep, prefix, name);
			else
				fprintf(mb.f, "%s%d", first ? "" : sep, bit);
			first = false;
		}
	return membuf_take(&mb, NULL);
}
