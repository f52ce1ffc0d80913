/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "landlock.h"
#include "cleanup.h"
#include "expand.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/landlock.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Debian 12's linux-libc-dev (6.1) describes Landlock ABI 2; the kernels
 * sysfence runs on may offer more. The values below are the kernel's UAPI
 * (include/uapi/linux/landlock.h), defined here only where the installed
 * headers lack them. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)	/* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)	/* ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)	/* ABI 4 */
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)	/* ABI 4 */
#endif
/* enum landlock_rule_type: LANDLOCK_RULE_PATH_BENEATH = 1 is in the old
 * headers, LANDLOCK_RULE_NET_PORT = 2 (ABI 4) is not. An enum cannot be
 * tested with #ifdef, so sysfence uses its own names for both. */
#define SF_RULE_PATH_BENEATH 1
#define SF_RULE_NET_PORT 2

/* struct landlock_ruleset_attr grew with the ABI (handled_access_net in
 * ABI 4, scoped in ABI 6); the kernel takes the size we pass. */
struct sf_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct sf_net_port_attr {	/* struct landlock_net_port_attr (ABI 4) */
	uint64_t allowed_access;
	uint64_t port;
};

struct sf_path_beneath_attr {	/* struct landlock_path_beneath_attr */
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#define FS_ABI1 ((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)	/* bits 0..12 */
#define FS_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_EXEC (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE)
#define FS_WRITE                                                                                                      \
	(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |              \
	    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |                 \
	    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |              \
	    LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE |                     \
	    LANDLOCK_ACCESS_FS_IOCTL_DEV)
/* Rights that make sense on a file that is not a directory (the kernel
 * refuses the others in a rule for such a file). */
#define FS_FILE                                                                                                       \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |                   \
	    LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)
#define NET_TCP (LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP)

/* Every filesystem right the kernel offers at a given ABI. */
static uint64_t abi_fs(int abi)
{
	uint64_t m = 0;

	if (abi >= 1)
		m |= FS_ABI1;
	if (abi >= 2)
		m |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		m |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		m |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return m;
}

static uint64_t abi_net(int abi)
{
	return abi >= 4 ? NET_TCP : 0;
}

static uint64_t access_rights(enum sf_fs_access a)
{
	switch (a) {
	case SF_FS_READ_ONLY:
		return FS_READ;
	case SF_FS_READ_WRITE:
		return FS_READ | FS_WRITE;
	case SF_FS_EXECUTE:
		return FS_EXEC;
	}
	return 0;
}

int landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	/* ENOSYS: built without Landlock; EOPNOTSUPP: not enabled at boot. */
	return v < 0 ? 0 : (int)v;
}

int landlock_decide(const struct sf_fs_settings *fs, const struct sf_network_settings *net, int abi,
    uint64_t *ret_fs, uint64_t *ret_net, struct sf_diag *d)
{
	const bool want_fs = fs->n > 0;
	const struct sf_port_list *ports[] = { &net->connect_tcp, &net->bind_tcp };
	const char *const port_keys[] = { "connect-tcp", "bind-tcp" };
	const uint64_t port_rights[] = { LANDLOCK_ACCESS_NET_CONNECT_TCP, LANDLOCK_ACCESS_NET_BIND_TCP };
	const bool required = fs->mode == SF_LANDLOCK_REQUIRED;
	uint64_t hfs = 0, hnet = 0;

	/* the documented read-only/read-write promise truncation control: ABI 3. */
	if (want_fs && abi < 3) {
		const struct sf_origin *o = fs->mode_set ? &fs->mode_origin : &fs->paths[0].origin;

		if (required && abi == 0)
			return diag_at(d, *o, -EOPNOTSUPP,
			    "the kernel offers no Landlock, so [filesystem] rules cannot be enforced (landlock = best-effort runs without them)");
		if (required)
			return diag_at(d, *o, -EOPNOTSUPP,
			    "[filesystem] rules need Landlock ABI 3 (truncation) and the kernel offers ABI %d (landlock = best-effort enforces what it can)",
			    abi);
		if (abi == 0)
			diag_warn(d, o->file, o->line,
			    "the kernel offers no Landlock: [filesystem] rules are not enforced");
		else
			diag_warn(d, o->file, o->line,
			    "Landlock ABI %d cannot restrict truncation: files outside read-write paths can still be truncated",
			    abi);
	}
	if (want_fs)
		hfs = abi_fs(abi);
	for (size_t i = 0; i < ELEMENTSOF(ports); i++) {
		if (!ports[i]->set)
			continue;
		if (abi < 4) {
			const struct sf_origin *o = &ports[i]->origin;

			if (required)
				return diag_at(d, *o, -EOPNOTSUPP,
				    "%s needs Landlock ABI 4 (TCP rules) and the kernel offers %s%.0d (landlock = best-effort runs without them)",
				    port_keys[i], abi ? "ABI " : "no Landlock", abi);
			diag_warn(d, o->file, o->line, "%s is not enforced: it needs Landlock ABI 4 and the kernel offers %s%.0d",
			    port_keys[i], abi ? "ABI " : "no Landlock", abi);
			continue;
		}
		hnet |= port_rights[i] & abi_net(abi);
	}
	*ret_fs = hfs;
	*ret_net = hnet;
	return 0;
}

int landlock_decide_scopes(const struct sf_sandbox_settings *sb, const struct sf_fs_settings *fs, int abi,
    bool may_restrict, uint64_t *ret_scoped, bool *ret_skipped, struct sf_diag *d)
{
	const struct {
		const char *key;
		const struct sf_sandbox_flag *flag;
		uint64_t scope;
	} keys[] = {
		{ "isolate-signals", &sb->isolate_signals, SF_SCOPE_SIGNAL },
		{ "isolate-abstract-sockets", &sb->isolate_abstract_sockets, SF_SCOPE_ABSTRACT_UNIX_SOCKET },
	};
	uint64_t scoped = 0;
	bool skipped = false;

	for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
		const struct sf_sandbox_flag *f = keys[i].flag;

		if (!f->value)
			continue;
		/* A default the kernel (or a profile without no_new_privs and
		 * without CAP_SYS_ADMIN) cannot have is left out; -v says so. */
		if (!f->set && (abi < 6 || !may_restrict)) {
			skipped = true;
			continue;
		}
		if (abi < 6 && fs->mode == SF_LANDLOCK_REQUIRED)
			return diag_at(d, f->origin, -EOPNOTSUPP,
			    "%s needs Landlock ABI 6 and the kernel offers %s%.0d ([filesystem] landlock = best-effort runs without it)",
			    keys[i].key, abi ? "ABI " : "no Landlock", abi);
		if (abi < 6) {
			diag_warn(d, f->origin.file, f->origin.line,
			    "%s is not enforced: it needs Landlock ABI 6 and the kernel offers %s%.0d", keys[i].key,
			    abi ? "ABI " : "no Landlock", abi);
			continue;
		}
		scoped |= keys[i].scope;
	}
	*ret_scoped = scoped;
	*ret_skipped = skipped;
	return 0;
}

/* Whether the file at path lies in the tree of one of the rules with
 * EXECUTE. Compares the inodes of the path and its real ancestors. */
static bool under_execute(const struct sf_landlock_plan *p, const char *program)
{
	_cleanup_free_ char *real = realpath(program, NULL);

	if (!real)
		return false;
	for (;;) {
		struct stat st;
		char *slash;

		if (stat(real, &st) == 0)
			for (size_t i = 0; i < p->n_rules; i++) {
				struct stat rs;

				if ((p->rules[i].access & LANDLOCK_ACCESS_FS_EXECUTE) && fstat(p->rules[i].fd, &rs) == 0 &&
				    rs.st_dev == st.st_dev && rs.st_ino == st.st_ino)
					return true;
			}
		if (strcmp(real, "/") == 0)
			return false;
		slash = strrchr(real, '/');
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/* What execve(2) opens with FMODE_EXEC besides the program itself, which
 * Landlock checks for EXECUTE too: the ELF interpreter (PT_INTERP), or the
 * "#!" interpreter of a script. Returns a malloc'd path, or NULL when
 * there is none or the file cannot be read (execve will tell). */
static char *exec_interpreter(const char *program)
{
	_cleanup_close_ int fd = open(program, O_RDONLY | O_CLOEXEC);
	unsigned char head[256];
	ssize_t n;

	if (fd < 0 || (n = pread(fd, head, sizeof(head) - 1, 0)) < 4)
		return NULL;
	head[n] = '\0';
	if (head[0] == '#' && head[1] == '!') {
		char *p = (char *)head + 2;

		p += strspn(p, " \t");
		return strndup(p, strcspn(p, " \t\n"));
	}
	if (memcmp(head, ELFMAG, SELFMAG) == 0 && head[EI_CLASS] == ELFCLASS64 && (size_t)n >= sizeof(Elf64_Ehdr)) {
		Elf64_Ehdr eh;

		memcpy(&eh, head, sizeof(eh));
		for (unsigned i = 0; i < eh.e_phnum && i < 64; i++) {
			Elf64_Phdr ph;
			char *interp;

			if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) != sizeof(ph))
				return NULL;
			if (ph.p_type != PT_INTERP || ph.p_filesz == 0 || ph.p_filesz > PATH_MAX)
				continue;
			interp = calloc(1, ph.p_filesz + 1);
			if (interp && pread(fd, interp, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz) {
				free(interp);
				return NULL;
			}
			return interp;
		}
	}
	return NULL;
}

/* path with "//", "/./" and a trailing "/" removed, in place: the form
 * tree_contains() compares. ".." is left alone (a symlink may precede it). */
static void path_tidy(char *path)
{
	/* Only "/." and the like tidy to nothing, and they have room for "/". */
	const bool room = path[0] && path[1];
	char *w = path;

	for (const char *r = path; *r;) {
		if (r[0] == '/' && (r[1] == '/' || (r[1] == '.' && (r[2] == '/' || r[2] == '\0')))) {
			r += r[1] == '/' ? 1 : 2;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	if (w > path + 1 && w[-1] == '/')
		w[-1] = '\0';
	if (!*path && room) {
		path[0] = '/';
		path[1] = '\0';
	}
}

/* Whether path is tree or lies inside it, component by component:
 * /usr/lib is inside /usr, /usr2 is not. Both tidy. */
static bool tree_contains(const char *tree, const char *path)
{
	size_t n = strlen(tree);

	if (strcmp(tree, "/") == 0)
		return true;
	return strncmp(path, tree, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The form a rule's path is compared in: ${VAR} expanded, then its real
 * path when it exists (a symlink into a read-write tree is inside it, as
 * the inode Landlock sees is), else the expanded text tidied. */
static int path_canonical(
    const struct sf_fs_path *fp, char *const *envp, char **ret_shown, char **ret_canon, struct sf_diag *d)
{
	_cleanup_free_ char *shown = NULL;
	char *canon;
	int r = expand_value(fp->path, envp, fp->origin.file, fp->origin.line, &shown, d);

	if (r < 0)
		return r;
	canon = realpath(shown, NULL);
	if (!canon) {
		canon = strdup(shown);
		if (!canon)
			return -ENOMEM;
		path_tidy(canon);
	}
	*ret_canon = canon;
	*ret_shown = TAKE_PTR(shown);
	return 0;
}

/* Landlock grants add up down a tree: a read-only rule inside a read-write
 * tree leaves it writable. Refuse that lie in step 1, whatever the kernel
 * offers. execute inside read-write is no lie (it only adds running). */
static int check_nesting(const struct sf_fs_settings *fs, char *const *envp, struct sf_diag *d)
{
	char **shown = calloc(fs->n + 1, sizeof(*shown)), **canon = calloc(fs->n + 1, sizeof(*canon));
	int r = shown && canon ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < fs->n; i++)
		if (fs->paths[i].access != SF_FS_EXECUTE)
			r = path_canonical(&fs->paths[i], envp, &shown[i], &canon[i], d);
	for (size_t i = 0; r == 0 && i < fs->n; i++) {
		const struct sf_fs_path *ro = &fs->paths[i];

		for (size_t k = 0; ro->access == SF_FS_READ_ONLY && k < fs->n; k++) {
			const struct sf_fs_path *rw = &fs->paths[k];

			if (rw->access != SF_FS_READ_WRITE || !tree_contains(canon[k], canon[i]))
				continue;
			r = diag_at(d, ro->origin, -EINVAL,
			    "\"%s\" is inside the read-write tree \"%s\" (%s:%u): Landlock cannot make part of it read-only; use [sandbox] read-only-paths",
			    shown[i], shown[k], rw->origin.file ? rw->origin.file : "command line", rw->origin.line);
			break;
		}
	}
	for (size_t i = 0; i < fs->n && shown && canon; i++) {
		free(shown[i]);
		free(canon[i]);
	}
	free(shown);
	free(canon);
	return r;
}

/* Open every path of fs with O_PATH into p->rules (p->handled_fs set).
 * Returns 0 or a negative errno with a message in d. */
static int plan_paths(struct sf_landlock_plan *p, const struct sf_fs_settings *fs, char *const *envp, struct sf_diag *d)
{
	p->rules = calloc(fs->n + 1, sizeof(*p->rules));
	if (!p->rules)
		return -ENOMEM;
	for (size_t i = 0; i < fs->n; i++) {
		const struct sf_fs_path *fp = &fs->paths[i];
		_cleanup_free_ char *path = NULL;
		struct stat st;
		int fd, r;

		r = expand_value(fp->path, envp, fp->origin.file, fp->origin.line, &path, d);
		if (r < 0)
			return r;
		if (path[0] != '/')
			return diag_at(d, fp->origin, -EINVAL, "%s paths must be absolute, found \"%s\"",
			    landlock_access_key(fp->access), path);
		fd = open(path, O_PATH | O_CLOEXEC);
		if (fd < 0 && fp->optional && (errno == ENOENT || errno == ENOTDIR))
			continue;
		if (fd < 0 || fstat(fd, &st) < 0) {
			r = diag_set(d, fp->origin.file, fp->origin.line, -errno, errno, "cannot open \"%s\" for %s",
			    path, landlock_access_key(fp->access));
			if (fd >= 0)
				close(fd);
			return r;
		}
		p->rules[p->n_rules].fd = fd;
		p->rules[p->n_rules].path = TAKE_PTR(path);
		p->rules[p->n_rules].access =
		    access_rights(fp->access) & p->handled_fs & (S_ISDIR(st.st_mode) ? ~UINT64_C(0) : FS_FILE);
		p->n_rules++;
	}
	return 0;
}

/* The TCP port rules of net that p->handled_net enforces. Returns 0 or
 * -ENOMEM. */
static int plan_ports(struct sf_landlock_plan *p, const struct sf_network_settings *net)
{
	const struct sf_port_list *lists[] = { &net->connect_tcp, &net->bind_tcp };
	const uint64_t rights[] = { LANDLOCK_ACCESS_NET_CONNECT_TCP, LANDLOCK_ACCESS_NET_BIND_TCP };

	p->ports = calloc(lists[0]->n + lists[1]->n + 1, sizeof(*p->ports));
	if (!p->ports)
		return -ENOMEM;
	for (size_t k = 0; k < ELEMENTSOF(lists); k++) {
		if (!(p->handled_net & rights[k]))
			continue;
		for (size_t i = 0; i < lists[k]->n; i++)
			p->ports[p->n_ports++] =
			    (struct sf_landlock_port){ lists[k]->ranges[i].lo, lists[k]->ranges[i].hi, rights[k] };
	}
	return 0;
}

/* A policy under which the program could not start is an error: execve
 * needs EXECUTE on the program and its interpreter. Returns 0 or -EACCES
 * with a message in d. */
static int check_program(
    const struct sf_landlock_plan *p, const struct sf_fs_settings *fs, const char *program, struct sf_diag *d)
{
	_cleanup_free_ char *interp = exec_interpreter(program);
	const char *bad = !under_execute(p, program) ? program : interp && !under_execute(p, interp) ? interp : NULL;
	const struct sf_origin *o = &fs->paths[0].origin;

	for (size_t i = 0; i < fs->n; i++)
		if (fs->paths[i].access == SF_FS_EXECUTE) {
			o = &fs->paths[i].origin;
			break;
		}
	if (bad == program)
		return diag_at(d, *o, -EACCES,
		    "\"%s\" is under no execute path, so it could not start (add its directory to execute)", program);
	if (bad)
		return diag_at(d, *o, -EACCES,
		    "the interpreter \"%s\" of \"%s\" is under no execute path, so the program could not start (add its directory to execute)",
		    interp, program);
	return 0;
}

int landlock_plan(const struct sf_fs_settings *fs, const struct sf_network_settings *net, int abi, char *const *envp,
    const char *program, struct sf_landlock_plan *ret, struct sf_diag *d)
{
	struct sf_landlock_plan p = { .abi = abi };
	int r;

	r = check_nesting(fs, envp, d);
	if (r < 0)
		return r;
	r = landlock_decide(fs, net, abi, &p.handled_fs, &p.handled_net, d);
	if (r < 0)
		return r;
	if (p.handled_fs)
		r = plan_paths(&p, fs, envp, d);
	if (r == 0 && p.handled_net)
		r = plan_ports(&p, net);
	if (r == 0 && p.handled_fs && program)
		r = check_program(&p, fs, program, d);
	if (r < 0) {
		landlock_plan_clear(&p);
		return r;
	}
	*ret = p;
	return 0;
}

int landlock_apply(const struct sf_landlock_plan *p, struct sf_diag *d)
{
	struct sf_ruleset_attr attr = {
		.handled_access_fs = p->handled_fs,
		.handled_access_net = p->handled_net,
		.scoped = p->scoped,
	};
	/* Before ABI 4 the structure ends after handled_access_fs, before
	 * ABI 6 after handled_access_net. The scopes share the ruleset of the
	 * path and port rules: one domain. */
	size_t size = p->abi >= 6 ? sizeof(attr)
	    : p->abi >= 4         ? offsetof(struct sf_ruleset_attr, scoped)
				  : sizeof(attr.handled_access_fs);
	_cleanup_close_ int fd = -1;

	if (!p->handled_fs && !p->handled_net && !p->scoped)
		return 0;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		return diag_errno(d, "cannot create the Landlock ruleset");
	for (size_t i = 0; i < p->n_rules; i++) {
		struct sf_path_beneath_attr pb = { .allowed_access = p->rules[i].access, .parent_fd = p->rules[i].fd };
		_cleanup_close_ int fresh = -1;

		if (pb.allowed_access == 0)
			continue;	/* e.g. read-only on a file with only READ_DIR left */
		if (p->reopen && p->rules[i].path) {
			fresh = open(p->rules[i].path, O_PATH | O_CLOEXEC);
			if (fresh >= 0)
				pb.parent_fd = fresh;
		}
		if (syscall(SYS_landlock_add_rule, fd, SF_RULE_PATH_BENEATH, &pb, 0) < 0)
			return diag_errno(d, "cannot add a Landlock path rule");
	}
	for (size_t i = 0; i < p->n_ports; i++)
		for (unsigned port = p->ports[i].lo; port <= p->ports[i].hi; port++) {
			struct sf_net_port_attr np = { .allowed_access = p->ports[i].access, .port = port };

			if (syscall(SYS_landlock_add_rule, fd, SF_RULE_NET_PORT, &np, 0) < 0)
				return diag_errno(d, "cannot add a Landlock rule for TCP port %u", port);
		}
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0)
		return diag_errno(d, "cannot enforce the Landlock ruleset");
	return 0;
}

void landlock_plan_clear(struct sf_landlock_plan *p)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		if (p->rules[i].fd >= 0)
			close(p->rules[i].fd);
		free(p->rules[i].path);
	}
	free(p->rules);
	free(p->ports);
	*p = (struct sf_landlock_plan){ 0 };
}
