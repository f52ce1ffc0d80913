/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Landlock: the rights chosen for each ABI (injected, so every kernel
 * generation is tested here), path lists, planning errors, and a real
 * ruleset applied in a child. */
#include "landlock.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRUNCATE_BIT (1ULL << 14)
#define IOCTL_DEV_BIT (1ULL << 15)
#define CONNECT_BIT (1ULL << 1)
#define BIND_BIT (1ULL << 0)

static char *msg_at(const struct sf_diag *d, size_t i)
{
	return d->n > i ? diag_format(&d->msgs[i]) : NULL;
}

static const struct sf_origin O = { "t.ini", 7 };

static struct sf_fs_settings fs_with(const char *ro, bool best_effort)
{
	struct sf_fs_settings s = { 0 };
	struct sf_diag d = { 0 };

	if (ro)
		landlock_add_paths(&s, SF_FS_READ_ONLY, ro, O, &d);
	if (best_effort)
		landlock_set_mode(&s, "best-effort", (struct sf_origin){ "t.ini", 9 }, &d);
	diag_clear(&d);
	return s;
}

static void test_landlock_decide_uses_every_right_of_the_abi(void)
{
	struct sf_fs_settings fs = fs_with("/usr", false);
	struct sf_network_settings net = { 0 };
	struct sf_diag d = { 0 };
	uint64_t hfs = 0, hnet = 0;

	net.connect_tcp.set = true;
	CHECK_INT(landlock_decide(&fs, &net, 7, &hfs, &hnet, &d), 0);
	CHECK(hfs == 0xffff);	/* ABI 1's 13 rights, refer, truncate, ioctl-dev */
	CHECK(hnet == CONNECT_BIT);
	CHECK_INT(d.n, 0);
	CHECK_INT(landlock_decide(&fs, &net, 4, &hfs, &hnet, &d), 0);
	CHECK(hfs == 0x7fff);	/* no device ioctls before ABI 5 */
	CHECK(!(hfs & IOCTL_DEV_BIT) && (hfs & TRUNCATE_BIT));
	CHECK_INT(d.n, 0);
	fs_settings_clear(&fs);
}

static void test_landlock_required_fails_closed_on_old_abi(void)
{
	static const struct {
		int abi;
		bool fs, connect, bind;
		const char *msg;
	} cases[] = {
		{ 0, true, false, false, "sysfence: t.ini:7: the kernel offers no Landlock, so [filesystem] rules cannot be enforced (landlock = best-effort runs without them)" },
		{ 2, true, false, false, "sysfence: t.ini:7: [filesystem] rules need Landlock ABI 3 (truncation) and the kernel offers ABI 2 (landlock = best-effort enforces what it can)" },
		{ 3, true, true, false, "sysfence: t.ini:8: connect-tcp needs Landlock ABI 4 (TCP rules) and the kernel offers ABI 3 (landlock = best-effort runs without them)" },
		{ 0, false, false, true, "sysfence: t.ini:8: bind-tcp needs Landlock ABI 4 (TCP rules) and the kernel offers no Landlock (landlock = best-effort runs without them)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_fs_settings fs = fs_with(cases[i].fs ? "/usr" : NULL, false);
		struct sf_network_settings net = { 0 };
		struct sf_diag d = { 0 };
		uint64_t hfs = 7, hnet = 7;
		char *m;

		net.connect_tcp = (struct sf_port_list){ .set = cases[i].connect, .origin = { "t.ini", 8 } };
		net.bind_tcp = (struct sf_port_list){ .set = cases[i].bind, .origin = { "t.ini", 8 } };
		CHECK_INT(landlock_decide(&fs, &net, cases[i].abi, &hfs, &hnet, &d), -EOPNOTSUPP);
		CHECK(hfs == 7 && hnet == 7);
		m = msg_at(&d, 0);
		CHECK_STR(m, cases[i].msg);
		free(m);
		diag_clear(&d);
		fs_settings_clear(&fs);
	}
}

static void test_landlock_best_effort_warns_and_enforces_what_it_can(void)
{
	struct sf_fs_settings fs = fs_with("/usr", true);
	struct sf_network_settings net = { 0 };
	struct sf_diag d = { 0 };
	uint64_t hfs = 0, hnet = 0;
	char *m;

	net.connect_tcp = (struct sf_port_list){ .set = true, .origin = { "t.ini", 8 } };
	CHECK_INT(landlock_decide(&fs, &net, 2, &hfs, &hnet, &d), 0);
	CHECK(hfs == 0x3fff);	/* ABI 2: no truncate */
	CHECK(hnet == 0);
	CHECK_INT(d.n, 2);
	CHECK(!diag_has_errors(&d));
	m = msg_at(&d, 0);
	CHECK_STR(m, "sysfence: warning: t.ini:9: Landlock ABI 2 cannot restrict truncation: files outside read-write paths can still be truncated");
	free(m);
	m = msg_at(&d, 1);
	CHECK_STR(m, "sysfence: warning: t.ini:8: connect-tcp is not enforced: it needs Landlock ABI 4 and the kernel offers ABI 2");
	free(m);
	diag_clear(&d);
	CHECK_INT(landlock_decide(&fs, &net, 0, &hfs, &hnet, &d), 0);
	CHECK(hfs == 0 && hnet == 0);
	m = msg_at(&d, 0);
	CHECK_STR(m, "sysfence: warning: t.ini:9: the kernel offers no Landlock: [filesystem] rules are not enforced");
	free(m);
	diag_clear(&d);
	fs_settings_clear(&fs);
}

/* [sandbox] settings with both isolations resolved; set: written at
 * t.ini:11 and t.ini:12. */
static struct sf_sandbox_settings scopes_with(bool set, bool value)
{
	struct sf_sandbox_settings sb = { 0 };
	struct sf_diag d = { 0 };

	if (set) {
		sandbox_set(&sb, "isolate-signals", value ? "yes" : "no", (struct sf_origin){ "t.ini", 11 }, &d);
		sandbox_set(
		    &sb, "isolate-abstract-sockets", value ? "yes" : "no", (struct sf_origin){ "t.ini", 12 }, &d);
	}
	sandbox_resolve(&sb, false, false);
	diag_clear(&d);
	return sb;
}

static void test_landlock_scopes_default_on_abi_6_and_left_out_before(void)
{
	struct sf_sandbox_settings sb = scopes_with(false, false);
	struct sf_fs_settings fs = { 0 };
	struct sf_diag d = { 0 };
	uint64_t scoped = 0;
	bool skipped = true;

	CHECK_INT(landlock_decide_scopes(&sb, &fs, 7, true, &scoped, &skipped, &d), 0);
	CHECK(scoped == (SF_SCOPE_SIGNAL | SF_SCOPE_ABSTRACT_UNIX_SOCKET) && !skipped);
	/* A default the kernel lacks, or that no domain could be entered for,
	 * is left out without a message. */
	CHECK_INT(landlock_decide_scopes(&sb, &fs, 5, true, &scoped, &skipped, &d), 0);
	CHECK(scoped == 0 && skipped);
	CHECK_INT(landlock_decide_scopes(&sb, &fs, 7, false, &scoped, &skipped, &d), 0);
	CHECK(scoped == 0 && skipped);
	CHECK_INT(d.n, 0);
	sb = scopes_with(true, false);
	CHECK_INT(landlock_decide_scopes(&sb, &fs, 7, true, &scoped, &skipped, &d), 0);
	CHECK(scoped == 0 && !skipped);
}

static void test_landlock_scopes_written_need_abi_6(void)
{
	struct sf_sandbox_settings sb = scopes_with(true, true);
	struct sf_fs_settings fs = { 0 }, be = fs_with(NULL, true);
	struct sf_diag d = { 0 };
	uint64_t scoped = 7;
	bool skipped = false;
	char *m;

	CHECK_INT(landlock_decide_scopes(&sb, &fs, 5, true, &scoped, &skipped, &d), -EOPNOTSUPP);
	CHECK(scoped == 7);
	m = msg_at(&d, 0);
	CHECK_STR(m,
	    "sysfence: t.ini:11: isolate-signals needs Landlock ABI 6 and the kernel offers ABI 5 ([filesystem] landlock = best-effort runs without it)");
	free(m);
	diag_clear(&d);
	CHECK_INT(landlock_decide_scopes(&sb, &be, 0, true, &scoped, &skipped, &d), 0);
	CHECK(scoped == 0 && !skipped);
	CHECK_INT(d.n, 2);
	CHECK(!diag_has_errors(&d));
	m = msg_at(&d, 1);
	CHECK_STR(m,
	    "sysfence: warning: t.ini:12: isolate-abstract-sockets is not enforced: it needs Landlock ABI 6 and the kernel offers no Landlock");
	free(m);
	diag_clear(&d);
	fs_settings_clear(&be);
}

static void test_landlock_path_lists(void)
{
	struct sf_fs_settings s = { 0 };
	struct sf_diag d = { 0 };
	char *m;

	CHECK_INT(landlock_add_paths(&s, SF_FS_READ_WRITE, "/tmp  ${HOME}/.cache -/opt/x", O, &d), 0);
	CHECK_INT(s.n, 3);
	CHECK_STR(s.paths[1].path, "${HOME}/.cache");
	CHECK(!s.paths[1].optional && s.paths[2].optional);
	CHECK_STR(s.paths[2].path, "/opt/x");
	CHECK_INT(landlock_add_paths(&s, SF_FS_EXECUTE, "usr/bin", O, &d), -EINVAL);
	m = msg_at(&d, 0);
	CHECK_STR(m, "sysfence: t.ini:7: execute paths must be absolute (or start with ${VAR}), found \"usr/bin\"");
	free(m);
	diag_clear(&d);
	CHECK_INT(landlock_add_paths(&s, SF_FS_READ_ONLY, " ", O, &d), -EINVAL);
	m = msg_at(&d, 0);
	CHECK_STR(m, "sysfence: t.ini:7: empty list: name at least one path for read-only");
	free(m);
	diag_clear(&d);
	CHECK_INT(landlock_set_mode(&s, "maybe", O, &d), -EINVAL);
	m = msg_at(&d, 0);
	CHECK_STR(m, "sysfence: t.ini:7: expected required or best-effort, found \"maybe\"");
	free(m);
	diag_clear(&d);
	fs_settings_clear(&s);
}

static void test_landlock_plan_reports_paths(void)
{
	char *envp[] = { "HOME=/nonexistent-sysfence", NULL };
	static const struct {
		const char *ro, *program, *msg;
	} cases[] = {
		{ "/nonexistent-sysfence", NULL, "sysfence: t.ini:7: cannot open \"/nonexistent-sysfence\" for read-only: No such file or directory" },
		{ "${HOME}/.cache", NULL, "sysfence: t.ini:7: cannot open \"/nonexistent-sysfence/.cache\" for read-only: No such file or directory" },
		{ "${XDG_NOPE}/x", NULL, "sysfence: t.ini:7: environment variable \"XDG_NOPE\" is not set (in \"${XDG_NOPE}/x\")" },
		{ "${HOME}x", NULL, NULL },
		{ "/usr", "/bin/sh", "sysfence: t.ini:7: \"/bin/sh\" is under no execute path, so it could not start (add its directory to execute)" },
	};
	struct sf_network_settings net = { 0 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_fs_settings fs = fs_with(cases[i].ro, false);
		struct sf_landlock_plan p = { 0 };
		struct sf_diag d = { 0 };
		char *m;

		CHECK(landlock_plan(&fs, &net, 7, envp, cases[i].program, &p, &d) < 0);
		m = msg_at(&d, 0);
		if (cases[i].msg)
			CHECK_STR(m, cases[i].msg);
		free(m);
		diag_clear(&d);
		fs_settings_clear(&fs);
	}
}

static void test_landlock_plan_checks_the_interpreter(void)
{
	struct sf_fs_settings fs = { 0 };
	struct sf_network_settings net = { 0 };
	struct sf_landlock_plan p = { 0 };
	struct sf_diag d = { 0 };
	const char *want = "sysfence: t.ini:7: the interpreter \"";
	char *m;

	landlock_add_paths(&fs, SF_FS_READ_ONLY, "/usr", O, &d);
	landlock_add_paths(&fs, SF_FS_EXECUTE, "/usr/bin", O, &d);
	CHECK_INT(landlock_plan(&fs, &net, 7, NULL, "/usr/bin/env", &p, &d), -EACCES);
	m = msg_at(&d, 0);
	CHECK(m && strncmp(m, want, strlen(want)) == 0);
	CHECK(m && strstr(m, "\" of \"/usr/bin/env\" is under no execute path, so the program could not start (add its directory to execute)"));
	free(m);
	fs_settings_clear(&fs);
	diag_clear(&d);
}

static void test_landlock_plan_opens_paths_and_masks_file_rights(void)
{
	struct sf_fs_settings fs = { 0 };
	struct sf_network_settings net = { 0 };
	struct sf_landlock_plan p = { 0 };
	struct sf_diag d = { 0 };

	landlock_add_paths(&fs, SF_FS_READ_WRITE, "/etc/hostname -/nonexistent-sysfence /tmp", O, &d);
	landlock_add_paths(&fs, SF_FS_EXECUTE, "/usr", O, &d);
	netport_add(&net.connect_tcp, "connect-tcp", "80 8000-8002", O, &d);
	CHECK_INT(landlock_plan(&fs, &net, 7, NULL, "/bin/sh", &p, &d), 0);
	CHECK_INT(p.n_rules, 3);	/* the optional missing path is skipped */
	if (p.n_rules != 3)
		return;
	CHECK(p.rules[0].fd >= 0);
	CHECK((p.rules[0].access & LANDLOCK_ACCESS_FS_READ_DIR) == 0);	/* a file */
	CHECK(p.rules[0].access & LANDLOCK_ACCESS_FS_WRITE_FILE);
	CHECK(p.rules[1].access & LANDLOCK_ACCESS_FS_MAKE_DIR);
	CHECK(p.rules[1].access & TRUNCATE_BIT);
	CHECK_INT(p.n_ports, 2);
	CHECK(p.ports[1].lo == 8000 && p.ports[1].hi == 8002 && p.ports[1].access == CONNECT_BIT);
	CHECK(fcntl(p.rules[0].fd, F_GETFD) == FD_CLOEXEC);
	landlock_plan_clear(&p);
	fs_settings_clear(&fs);
	network_settings_clear(&net);
	diag_clear(&d);
}

/* A real ruleset, unprivileged: read-only on one directory, nothing else. */
static void test_landlock_apply_denies_outside_the_listed_tree(void)
{
	char dir[] = "/tmp/sysfence-ll-XXXXXX";
	struct sf_fs_settings fs = { 0 };
	struct sf_network_settings net = { 0 };
	struct sf_landlock_plan p = { 0 };
	struct sf_diag d = { 0 };
	int status = 0, fd;
	pid_t pid;

	if (landlock_abi() < 3) {
		puts("# skipped: the kernel offers no Landlock ABI 3");
		return;
	}
	CHECK(mkdtemp(dir) != NULL);
	fd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0 && mkdirat(fd, "in", 0755) == 0);
	landlock_add_paths(&fs, SF_FS_READ_ONLY, dir, O, &d);
	CHECK_INT(landlock_plan(&fs, &net, landlock_abi(), NULL, NULL, &p, &d), 0);
	pid = fork();
	if (pid == 0) {
		int r;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || landlock_apply(&p, NULL) < 0)
			_exit(1);
		if (openat(fd, "in", O_RDONLY | O_DIRECTORY) < 0)
			_exit(2);	/* reading inside is allowed */
		r = mkdirat(fd, "new", 0755);
		if (r == 0 || errno != EACCES)
			_exit(3);	/* writing is not */
		if (open("/etc/hostname", O_RDONLY) >= 0 || errno != EACCES)
			_exit(4);	/* nor is anything outside */
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
	unlinkat(fd, "in", AT_REMOVEDIR);
	close(fd);
	rmdir(dir);
	landlock_plan_clear(&p);
	fs_settings_clear(&fs);
	diag_clear(&d);
}

/* A read-only path inside a read-write tree (after ${VAR}, component by
 * component) is refused whatever the kernel offers; the rest is not. */
static void test_landlock_plan_refuses_read_only_inside_read_write(void)
{
	static const struct {
		const char *rw, *ro, *exec;
		const char *msg;	/* NULL: accepted */
	} cases[] = {
		{ "/", "/usr", NULL, "sysfence: a.ini:2: \"/usr\" is inside the read-write tree \"/\" (a.ini:1): Landlock cannot make part of it read-only; use [sandbox] read-only-paths" },
		{ "/usr", "/usr/lib", NULL, "sysfence: a.ini:2: \"/usr/lib\" is inside the read-write tree \"/usr\" (a.ini:1): Landlock cannot make part of it read-only; use [sandbox] read-only-paths" },
		{ "/srv/x", "/srv/x", NULL, "sysfence: a.ini:2: \"/srv/x\" is inside the read-write tree \"/srv/x\" (a.ini:1): Landlock cannot make part of it read-only; use [sandbox] read-only-paths" },
		{ "${D}/a/", "${D}//a/./b", NULL, "sysfence: a.ini:2: \"/nonexistent-sf//a/./b\" is inside the read-write tree \"/nonexistent-sf/a/\" (a.ini:1): Landlock cannot make part of it read-only; use [sandbox] read-only-paths" },
		{ "/usr", "/usr2", NULL, NULL },
		{ "/usr/lib", "/usr", NULL, NULL },
		{ "/usr", "/etc", "/usr/bin", NULL },
	};
	char *envp[] = { "D=/nonexistent-sf", NULL };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_fs_settings fs = { .mode = SF_LANDLOCK_BEST_EFFORT };
		struct sf_network_settings net = { 0 };
		struct sf_landlock_plan p = { 0 };
		struct sf_diag d = { 0 };
		char *m = NULL;
		int r;

		CHECK_INT(landlock_add_paths(&fs, SF_FS_READ_WRITE, cases[i].rw, (struct sf_origin){ "a.ini", 1 }, &d), 0);
		CHECK_INT(landlock_add_paths(&fs, SF_FS_READ_ONLY, cases[i].ro, (struct sf_origin){ "a.ini", 2 }, &d), 0);
		if (cases[i].exec)
			CHECK_INT(landlock_add_paths(&fs, SF_FS_EXECUTE, cases[i].exec, (struct sf_origin){ "a.ini", 3 }, &d), 0);
		/* ABI 0, best-effort: nothing is opened, only the check runs. */
		r = landlock_plan(&fs, &net, 0, envp, NULL, &p, &d);
		if (cases[i].msg) {
			CHECK_INT(r, -EINVAL);
			m = msg_at(&d, 0);
			CHECK_STR(m, cases[i].msg);
		} else
			CHECK_INT(r, 0);
		free(m);
		landlock_plan_clear(&p);
		fs_settings_clear(&fs);
		diag_clear(&d);
	}
}

int main(void)
{
	RUN(test_landlock_decide_uses_every_right_of_the_abi);
	RUN(test_landlock_required_fails_closed_on_old_abi);
	RUN(test_landlock_best_effort_warns_and_enforces_what_it_can);
	RUN(test_landlock_scopes_default_on_abi_6_and_left_out_before);
	RUN(test_landlock_scopes_written_need_abi_6);
	RUN(test_landlock_path_lists);
	RUN(test_landlock_plan_reports_paths);
	RUN(test_landlock_plan_checks_the_interpreter);
	RUN(test_landlock_plan_opens_paths_and_masks_file_rights);
	RUN(test_landlock_plan_refuses_read_only_inside_read_write);
	RUN(test_landlock_apply_denies_outside_the_listed_tree);
	return tap_done();
}
