/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sandbox_mount.h"
#include "caps.h"
#include "cleanup.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* The pseudo devices of private-devices, bound from the host's /dev.
 * /dev/shm is a tmpfs of its own (populate_devices()), like a private
 * /tmp: POSIX shared memory is files anyone may leave behind. */
static const struct {
	const char *name;
	bool dir;
} devices[] = {
	{ "null", false },
	{ "zero", false },
	{ "full", false },
	{ "random", false },
	{ "urandom", false },
	{ "tty", false },
	{ "pts", true },
	{ "mqueue", true },
};
#define N_DEVICES (sizeof(devices) / sizeof(devices[0]))

static const struct {
	const char *name;
	const char *target;
} device_links[] = {
	{ "ptmx", "pts/ptmx" },
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

/* What step 3 holds while it builds: the tree cloned from the host for
 * each entry that binds one, until it is mounted (-1 otherwise,
 * clone_source()), and which pseudo devices the host has. */
struct builder {
	const struct sf_sandbox_plan *p;
	int *trees;
	bool dev_present[N_DEVICES];
	struct sf_diag *d;
};

static int write_file(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return write_all(fd, text, strlen(text));
}

bool sandbox_inside_another(void)
{
	char buf[128];
	unsigned long inner, outer, count;
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
		return false;
	fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read_retry(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* The initial namespace maps the whole range. */
	return sscanf(buf, "%lu %lu %lu", &inner, &outer, &count) != 3 || count != 4294967295UL;
}

/* A user namespace of our own. Mapping root needs CAP_SETFCAP (a
 * namespace's root could otherwise write file capabilities valid
 * outside): without it, as if there were no user namespaces, so
 * best-effort stays outside one it cannot use. Returns 0 or a negative
 * errno. */
static int enter_user_ns(const struct sf_sandbox_ids *ids)
{
	if (ids->uid == 0 && !caps_have_effective(CAP_SETFCAP))
		return -EPERM;
	return unshare(CLONE_NEWUSER) < 0 ? -errno : 0;
}

/* In that namespace the caller is itself: its uid and gid map to
 * themselves and nothing else does, so files of other users show as the
 * overflow ids and no privilege over them is gained. Returns 0 or a
 * negative errno. */
static int map_own_ids(const struct sf_sandbox_ids *ids)
{
	char map[64];
	int dumpable, r;

	/* /proc/self of a process that is not dumpable (a supervised child
	 * of --report or --learn inherits that from its supervisor) belongs
	 * to root: the maps could not be written. execve resets it anyway. */
	dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	if (dumpable == 0)
		(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	/* The gid map of an unprivileged writer needs setgroups denied. */
	r = write_file("/proc/self/setgroups", "deny");
	if (r == 0) {
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)ids->uid, (unsigned)ids->uid);
		r = write_file("/proc/self/uid_map", map);
	}
	if (r == 0) {
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)ids->gid, (unsigned)ids->gid);
		r = write_file("/proc/self/gid_map", map);
	}
	if (dumpable == 0)
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	return r;
}

static int loopback_up(void)
{
	struct ifreq ifr = { 0 };
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	return 0;
}

/* The key and line that needs the namespaces, for messages. */
static void first_reason(const struct sf_sandbox_plan *p, const char **key, struct sf_origin *o)
{
	*key = "private-network";
	*o = (struct sf_origin){ 0 };
	if (p->n) {
		*key = p->mounts[0].key;
		*o = p->mounts[0].origin;
	}
}

/* The namespaces could not be made: an error, or under best-effort a
 * warning and nothing changed (returns 1). */
static int no_namespaces(
    const struct sf_sandbox_plan *p, const struct sf_sandbox_ids *ids, const char *what, int r, struct sf_diag *d)
{
	const char *key;
	struct sf_origin o;
	char where[300] = "";

	first_reason(p, &key, &o);
	if (o.file)
		snprintf(where, sizeof(where), " (%s:%u)", o.file, o.line);
	if (p->best_effort && ids->nested)
		return 1;
	if (p->best_effort) {
		diag_warn(d, p->namespaces_origin.file, p->namespaces_origin.line,
		    "cannot create %s (%s), so [sandbox] %s%s and the rest of the private view are not applied (namespaces = best-effort)",
		    what, strerror(-r), key, where);
		return 1;
	}
	return diag_fail(d, r,
	    "cannot create %s, which [sandbox] %s%s needs; user namespaces may be off here (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, or an AppArmor restriction), or a filter refuses unshare; write \"namespaces = best-effort\" to run without the private view",
	    what, key, where);
}

static int clone_tree(const char *path, bool recursive)
{
	int fd = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));

	return fd < 0 ? -errno : fd;
}

static int set_attr(int fd, uint64_t attr, bool recursive)
{
	struct mount_attr a = { .attr_set = attr };

	if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a)) < 0)
		return -errno;
	return 0;
}

/* Clone the tree entry i binds: the host's tree for a read-only or
 * read-write path, /dev/null for an inaccessible file (masks and private
 * devices are built in place, build_mask()). A nested entry's tree is
 * cloned before the first mount changes the view (a mount above may hide
 * it, or make it read-only); any other's just before it is mounted, so a
 * run holds few descriptors at a time. */
static int clone_source(struct builder *b, size_t i)
{
	const struct sf_mount *m = &b->p->mounts[i];
	int r = 0;

	if (m->kind == SF_MOUNT_READ_ONLY && strcmp(m->path, "/") == 0)
		return 0; /* made read-only in place, in build() */
	if (m->kind == SF_MOUNT_READ_ONLY || m->kind == SF_MOUNT_READ_WRITE) {
		r = b->trees[i] = clone_tree(m->path, true);
		if (r >= 0 && m->kind == SF_MOUNT_READ_ONLY)
			r = set_attr(b->trees[i], MOUNT_ATTR_RDONLY, true);
	} else if (m->kind == SF_MOUNT_INACCESSIBLE && !m->is_dir) {
		/* Nobody opens a device node on a nodev mount, root with every
		 * capability included. */
		r = b->trees[i] = clone_tree("/dev/null", false);
		if (r >= 0)
			r = set_attr(b->trees[i],
			    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, false);
	}
	if (r < 0)
		return diag_fail(b->d, r, "%s: cannot bind \"%s\"", m->key, m->path);
	return 0;
}

/* Make the mount point at path (absolute, below a tmpfs of ours) and the
 * directories on the way from root, each with mode dir_mode. */
static int make_mount_point(const char *root, const char *path, bool is_dir, mode_t dir_mode)
{
	_cleanup_free_ char *buf = strdup(path);
	int r;

	if (!buf)
		return -ENOMEM;
	for (char *s = strchr(buf + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(buf, dir_mode) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (is_dir)
		r = mkdir(buf, dir_mode) < 0 && errno != EEXIST ? -errno : 0;
	else {
		int fd = open(buf, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0);

		r = fd < 0 ? -errno : 0;
		if (fd >= 0)
			close(fd);
	}
	return r;
}

/* A tmpfs over path whose root has mode mode. The old mount(2) call: it
 * needs no descriptor, so a run under a tiny RLIMIT_NOFILE still works. */
static int mount_tmpfs(const char *path, const char *mode, const char *size)
{
	char opts[64];

	snprintf(opts, sizeof(opts), "mode=%s%s%s", mode, size ? ",size=" : "", size ? size : "");
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		return -errno;
	return 0;
}

/* /dev/log, where syslog(3) writes: the host's link (to journald's
 * socket) again, or its socket bound. Without it a daemon's log lines
 * would vanish without an error. */
static int keep_dev_log(struct builder *b)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fstatat(AT_FDCWD, "log", &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(AT_FDCWD, "log", target, sizeof(target) - 1);
		if (n < 0)
			return 0;
		target[n] = '\0';
		if (symlink(target, "/dev/log") < 0)
			return diag_errno(b->d, "private-devices: cannot make /dev/log");
		return 0;
	}
	if (!S_ISSOCK(st.st_mode))
		return 0;
	if (make_mount_point("/dev", "/dev/log", false, 0755) < 0 ||
	    mount("log", "/dev/log", "none", MS_BIND, NULL) < 0)
		return diag_errno(b->d, "private-devices: cannot bind /dev/log");
	return 0;
}

/* The host's pseudo devices into the new /dev, bound by names relative to
 * the working directory: the host's /dev, entered before the new one
 * covered it (no descriptor needed). Then a /dev/shm of its own and the
 * usual links. */
static int populate_devices(struct builder *b)
{
	for (size_t k = 0; k < N_DEVICES; k++) {
		char path[64];
		int r;

		if (!b->dev_present[k])
			continue;
		snprintf(path, sizeof(path), "/dev/%s", devices[k].name);
		r = make_mount_point("/dev", path, devices[k].dir, 0755);
		if (r < 0)
			return diag_fail(b->d, r, "private-devices: cannot make \"%s\"", path);
		if (mount(devices[k].name, path, "none", MS_BIND | (devices[k].dir ? MS_REC : 0), NULL) < 0)
			return diag_errno(b->d, "private-devices: cannot bind \"%s\"", path);
	}
	for (size_t k = 0; k < sizeof(device_links) / sizeof(device_links[0]); k++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/%s", device_links[k].name);
		if (symlink(device_links[k].target, path) < 0)
			return diag_errno(b->d, "private-devices: cannot make %s", path);
	}
	if (mkdir("/dev/shm", 0755) < 0 || mount_tmpfs("/dev/shm", "1777", NULL) < 0)
		return diag_errno(b->d, "private-devices: cannot make a tmpfs for /dev/shm");
	return keep_dev_log(b);
}

/* The tmpfs that replaces the tree at entry i, with the mount points of
 * what is shown in it again; made read-only (but a private /tmp) once
 * they exist. */
static int build_mask(struct builder *b, size_t i)
{
	const struct sf_sandbox_plan *p = b->p;
	const struct sf_mount *m = &p->mounts[i];
	const bool tmp = m->kind == SF_MOUNT_TMP;
	const char *mode = tmp                 ? "1777"
	    : m->kind == SF_MOUNT_INACCESSIBLE ? (m->shows_below ? "0111" : "0000")
					       : "0755";
	const mode_t dir_mode = m->kind == SF_MOUNT_INACCESSIBLE ? 0111 : 0755;
	int r;

	if (m->kind == SF_MOUNT_DEVICES) {
		struct stat st;

		if (chdir("/dev") < 0)
			return diag_errno(b->d, "private-devices: cannot enter /dev");
		for (size_t k = 0; k < N_DEVICES; k++)
			b->dev_present[k] = fstatat(AT_FDCWD, devices[k].name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	}
	r = mount_tmpfs(m->path, mode, tmp ? NULL : "1m");
	if (r < 0)
		return diag_fail(b->d, r, "%s: cannot make a tmpfs for \"%s\"", m->key, m->path);
	for (size_t k = i + 1; k < p->n; k++) {
		if (p->mounts[k].shown_in != (int)i)
			continue;
		r = make_mount_point(m->path, p->mounts[k].path, p->mounts[k].is_dir, dir_mode);
		if (r < 0)
			return diag_fail(b->d, r, "%s: cannot show \"%s\" again in \"%s\"", p->mounts[k].key,
			    p->mounts[k].path, m->path);
	}
	if (m->kind == SF_MOUNT_DEVICES && (r = populate_devices(b)) < 0)
		return r;
	/* Only a private /tmp stays writable; the rest is read-only and holds
	 * nothing to run. Not recursive: what is bound inside keeps its own. */
	if (!tmp) {
		struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC };

		if (mount_setattr(AT_FDCWD, m->path, 0, &a, sizeof(a)) < 0)
			return diag_errno(b->d, "%s: cannot make the tmpfs for \"%s\" read-only", m->key, m->path);
	}
	return 0;
}

static int build(struct builder *b)
{
	const struct sf_sandbox_plan *p = b->p;
	int r;

	/* Slaves of the host: its new mounts still show here, ours never
	 * show there. */
	/* The kernel ignores source and type here; valgrind reads them. */
	if (mount("none", "/", "none", MS_REC | MS_SLAVE, NULL) < 0)
		return diag_errno(b->d, "cannot make the mounts of the private view private");
	for (size_t i = 0; i < p->n; i++)
		if (p->mounts[i].nested && (r = clone_source(b, i)) < 0)
			return r;
	for (size_t i = 0; i < p->n; i++) {
		const struct sf_mount *m = &p->mounts[i];

		if (!m->nested && (r = clone_source(b, i)) < 0)
			return r;
		if (b->trees[i] >= 0) {
			r = move_mount(b->trees[i], "", AT_FDCWD, m->path, MOVE_MOUNT_F_EMPTY_PATH) < 0 ? -errno : 0;
			close(b->trees[i]);
			b->trees[i] = -1;
			if (r < 0)
				return diag_fail(b->d, r, "%s: cannot mount \"%s\"", m->key, m->path);
		} else if (m->kind == SF_MOUNT_READ_ONLY) {
			/* "/": every mount there is, in place (a mount over the
			 * root would not be the process's root). */
			struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };

			if (mount_setattr(AT_FDCWD, m->path, AT_RECURSIVE, &a, sizeof(a)) < 0)
				return diag_errno(b->d, "%s: cannot make \"%s\" read-only", m->key, m->path);
		} else if (m->kind != SF_MOUNT_READ_WRITE && (r = build_mask(b, i)) < 0)
			return r;
	}
	return 0;
}

int sandbox_enter(const struct sf_sandbox_plan *p, const struct sf_sandbox_ids *ids, struct sf_diag *d)
{
	struct builder b = { .p = p, .d = d };
	int flags = (p->mount_ns ? CLONE_NEWNS : 0) | (p->net_ns ? CLONE_NEWNET : 0);
	int r;

	if (!flags)
		return 0;
	if (ids->user_ns) {
		r = enter_user_ns(ids);
		if (r < 0)
			return no_namespaces(p, ids,
			    ids->uid == 0
				? "a user namespace (root without CAP_SYS_ADMIN needs CAP_SETFCAP to map itself)"
				: "a user namespace",
			    r, d);
		r = map_own_ids(ids);
		if (r < 0)
			return diag_fail(d, r, "cannot map the user and group ids in the user namespace");
	}
	if (unshare(flags) < 0) {
		r = -errno;
		/* Inside a user namespace already made, a failure here is
		 * not "namespaces are off" but a bug or a limit. */
		if (ids->user_ns)
			return diag_fail(d, r, "cannot create the mount and network namespaces");
		return no_namespaces(p, ids, p->mount_ns ? "a mount namespace" : "a network namespace", r, d);
	}
	if (p->net_ns && (r = loopback_up()) < 0)
		return diag_fail(d, r, "private-network: cannot bring the loopback interface up");
	if (!p->mount_ns)
		return 0;

	b.trees = malloc(p->n * sizeof(*b.trees));
	if (!b.trees)
		return -ENOMEM;
	for (size_t i = 0; i < p->n; i++)
		b.trees[i] = -1;
	r = build(&b);
	for (size_t i = 0; i < p->n; i++)
		if (b.trees[i] >= 0)
			close(b.trees[i]);
	free(b.trees);
	return r;
}
