/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "caps.h"
#include "cleanup.h"
#include "membuf.h"
#include "names.h"

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The effective and permitted sets, with one capget(2): libcap-ng's
 * capng_get_caps_process() also parses /proc/PID/status twice (tens of
 * microseconds each), and a launch asks several times. Returns 0 or -errno. */
static int caps_read3(uint64_t *ret_effective, uint64_t *ret_permitted, uint64_t *ret_inheritable)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &h, data) < 0)
		return -errno;
	*ret_effective = (uint64_t)data[1].effective << 32 | data[0].effective;
	*ret_permitted = (uint64_t)data[1].permitted << 32 | data[0].permitted;
	*ret_inheritable = (uint64_t)data[1].inheritable << 32 | data[0].inheritable;
	return 0;
}

static int caps_read(uint64_t *ret_effective, uint64_t *ret_permitted)
{
	uint64_t inh = 0;

	return caps_read3(ret_effective, ret_permitted, &inh);
}

bool caps_have_effective(int cap)
{
	uint64_t eff = 0, perm = 0;

	if (cap < 0 || cap > 63 || caps_read(&eff, &perm) < 0)
		return false;
	return (eff >> cap) & 1;
}

uint64_t caps_permitted(void)
{
	uint64_t eff = 0, perm = 0;

	return caps_read(&eff, &perm) < 0 ? 0 : perm;
}

void caps_plan_clear(struct sf_caps_plan *plan)
{
	free(plan->groups);
	plan->groups = NULL;
	plan->n_groups = 0;
}

static int switch_ids(const struct sf_caps_plan *p, struct sf_diag *d)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (!p->switch_gid && !p->switch_uid)
		return 0;	/* nothing changes the ids, nothing to verify */
	if (setgroups(p->n_groups, p->groups) < 0)
		return diag_errno(d, "cannot set supplementary groups");
	if (p->switch_gid && setresgid(p->gid, p->gid, p->gid) < 0)
		return diag_errno(d, "cannot switch to group %u", (unsigned)p->gid);
	if (p->switch_uid) {
		/* Keep the permitted set across the uid change when capabilities
		 * are to survive it; the kernel clears it when leaving uid 0. */
		if (p->change && p->keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return diag_errno(d, "cannot keep capabilities across the user switch");
		if (setresuid(p->uid, p->uid, p->uid) < 0)
			return diag_errno(d, "cannot switch to user %u", (unsigned)p->uid);
		if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
			return diag_errno(d, "cannot reset PR_SET_KEEPCAPS");
	}
	/* Trust but verify: a partial switch must never reach exec. */
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return diag_errno(d, "cannot read back the process ids");
	if (p->switch_uid && (ru != p->uid || eu != p->uid || su != p->uid))
		return diag_msg(d, -EPERM, "the user switch did not take effect");
	if (p->switch_gid && (rg != p->gid || eg != p->gid || sg != p->gid))
		return diag_msg(d, -EPERM, "the group switch did not take effect");
	return 0;
}

/* The bounding set, with one PR_CAPBSET_DROP per capability not kept.
 * libcap-ng's capng_apply(CAPNG_SELECT_BOUNDS) makes the same calls but
 * first parses /proc/PID/status three times to learn state we already
 * hold (tens of microseconds each: docs/performance.md); libcap-ng still
 * sets the other sets below. Needs CAP_SETPCAP (caps_plan's
 * set_bounding). Returns 0 or -errno. */
static int drop_bounding(uint64_t keep)
{
	for (int c = 0; c <= cap_last(); c++) {
		if (keep & (UINT64_C(1) << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, (unsigned long)c, 0, 0, 0) < 0)
			return -errno;
	}
	return 0;
}

/* Whether the bounding set holds nothing outside keep. */
static bool bounding_within(uint64_t keep)
{
	for (int c = 0; c <= cap_last(); c++)
		if (!(keep & (UINT64_C(1) << c)) && prctl(PR_CAPBSET_READ, (unsigned long)c, 0, 0, 0) == 1)
			return false;
	return true;
}

int caps_apply(const struct sf_caps_plan *p, struct sf_diag *d)
{
	int r;

	if (!p->change && !p->switch_uid && !p->switch_gid)
		return 0;

	if (p->change) {
		uint64_t eff = 0, held = 0, inh = 0;

		/* What we hold now; libcap-ng's state starts from the clear
		 * below, so it need not read the process's sets itself. */
		r = caps_read3(&eff, &held, &inh);
		if (r < 0)
			return diag_fail(d, r, "cannot read the capabilities");
		/* Nothing to change (sysfence started inside another sandbox,
		 * e.g. through a link, with every capability gone already): no
		 * capset(2), which the outer filter may refuse. The ambient set
		 * is empty when the inheritable one is; raising a kept
		 * capability as ambient needs one held. */
		if (!p->switch_uid && !p->switch_gid && (held & ~p->keep) == 0 && eff == held && inh == 0 &&
		    (!p->raise_ambient || (held & p->keep) == 0) && (!p->set_bounding || bounding_within(p->keep)))
			return 0;
		capng_clear(CAPNG_SELECT_ALL);
		for (int c = 0; c <= cap_last(); c++) {
			if (!(p->keep & (UINT64_C(1) << c)))
				continue;
			/* Raise only what we hold: capset() refuses to add to the
			 * permitted set, and a non-root caller simply has less. */
			capng_type_t t = CAPNG_BOUNDING_SET;

			if (held & (UINT64_C(1) << c)) {
				t |= CAPNG_EFFECTIVE | CAPNG_PERMITTED;
				if (p->raise_ambient)
					t |= CAPNG_INHERITABLE | CAPNG_AMBIENT;
			}
			if (capng_update(CAPNG_ADD, t, (unsigned)c) < 0)
				return diag_msg(d, -EINVAL, "cannot keep capability %d", c);
		}
		if (p->set_bounding) {
			r = drop_bounding(p->keep);
			if (r < 0)
				return diag_fail(d, r, "cannot reduce the capability bounding set");
		}
	}

	r = switch_ids(p, d);
	if (r < 0)
		return r;

	if (p->change) {
		r = capng_apply(CAPNG_SELECT_CAPS);
		if (r < 0)
			return diag_fail(d, -EPERM, "cannot drop capabilities");
		r = capng_apply(CAPNG_SELECT_AMBIENT);
		if (r < 0)
			return diag_fail(d, -EPERM, "cannot set the ambient capabilities");
	}
	return 0;
}

/* The file capabilities of an open program: permitted, inheritable, and
 * whether the effective bit is set. Returns false when it has none (or
 * they do not apply: a nosuid mount). libcap-ng's state is left clear. */
static bool file_caps(int fd, uint64_t *ret_perm, uint64_t *ret_inh, bool *ret_eff)
{
	struct statvfs sv;
	bool eff = false;
	uint64_t perm = 0, inh = 0;

	if (fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_NOSUID))
		return false;
	if (capng_get_caps_fd(fd) < 0)
		return false;
	for (int c = 0; c <= cap_last() && c < 64; c++) {
		if (capng_have_capability(CAPNG_PERMITTED, (unsigned)c))
			perm |= UINT64_C(1) << c;
		if (capng_have_capability(CAPNG_INHERITABLE, (unsigned)c))
			inh |= UINT64_C(1) << c;
		eff |= capng_have_capability(CAPNG_EFFECTIVE, (unsigned)c) != 0;
	}
	capng_clear(CAPNG_SELECT_ALL);
	*ret_perm = perm;
	*ret_inh = inh;
	*ret_eff = eff;
	return perm != 0;
}

/* "cap_net_raw, cap_sys_time" (prefix "cap_", separator ", ") or
 * "net_raw,sys_time". Malloc'd, or NULL. */
static const char *cap_name_of(int c)
{
	return capng_capability_to_name((unsigned)c);
}

static char *cap_list(uint64_t set, const char *prefix, const char *sep)
{
	return names_of_bits(set, cap_name_of, prefix, sep);
}

int caps_check_file(const struct sf_caps_plan *p, const char *path, bool nnp, struct sf_diag *d)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };
	uint64_t fp = 0, fi = 0, bset = 0, pi, held, missing, lost;
	bool eff = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	bool has = fd >= 0 && file_caps(fd, &fp, &fi, &eff);
	_cleanup_free_ char *names = NULL, *keep = NULL, *keep_opt = NULL;

	if (fd >= 0)
		close(fd);
	/* A program without the effective bit raises what it needs itself
	 * and copes when it cannot; only the others are checked. */
	if (!has || !eff || syscall(SYS_capget, &h, data) < 0)
		return 0;
	held = (uint64_t)data[1].permitted << 32 | data[0].permitted;
	pi = (uint64_t)data[1].inheritable << 32 | data[0].inheritable;
	for (int c = 0; c <= cap_last() && c < 64; c++)
		if (prctl(PR_CAPBSET_READ, (unsigned long)c, 0, 0, 0) == 1)
			bset |= UINT64_C(1) << c;
	/* The sets step 5 leaves, as caps_apply() makes them. */
	if (p->change) {
		if (p->set_bounding)
			bset = p->keep;
		pi = p->raise_ambient ? p->keep & held : 0;
		held &= p->keep;
	}
	/* execve(2), capabilities(7): with the effective bit, the file's
	 * permitted set must all be granted, from the bounding set or the
	 * inheritable ones, or the exec fails with EPERM. */
	missing = fp & ~bset & ~(pi & fi);
	if (missing) {
		names = cap_list(missing, "cap_", ", ");
		keep = cap_list(missing, "", " ");
		keep_opt = cap_list(missing, "", ",");
		if (!names || !keep || !keep_opt)
			return -ENOMEM;
		return diag_msg(d, -EPERM,
		    "\"%s\" needs the file %s %s, which the policy drops (add keep = %s to [capabilities], or --caps-keep=%s)",
		    path, __builtin_popcountll(missing) > 1 ? "capabilities" : "capability", names, keep, keep_opt);
	}
	/* no_new_privs: the program gets no capability its launcher did not
	 * hold (after step 5). It runs, without them. */
	lost = nnp ? fp & ~held : 0;
	if (lost) {
		names = cap_list(lost, "cap_", ", ");
		if (!names)
			return -ENOMEM;
		bool many = __builtin_popcountll(lost) > 1;

		diag_warn(d, NULL, 0,
		    "\"%s\" has the file %s %s, which it cannot gain under no_new_privs: it runs without %s", path,
		    many ? "capabilities" : "capability", names, many ? "them" : "it");
	}
	return 0;
}
