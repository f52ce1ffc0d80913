/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The [sandbox] planner on a described file system: which keys imply
 * which mounts, precedence for one path, paths shown again inside a
 * replaced tree, "~" and "-PATH", and the errors with their lines. The
 * kernel side is proved by tests/bats/sandbox-view.bats. */
#include "sandbox_plan.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct sf_origin O = { "t.ini", 3 };

/* The described host: directories end in "/"; "link" resolves to /srv/real. */
static const char *const host[] = {
	"/",
	"/usr/",
	"/etc/",
	"/boot/",
	"/home/",
	"/home/u/",
	"/home/u/.ssh/",
	"/home/u/.bashrc",
	"/home/u/work/",
	"/root/",
	"/tmp/",
	"/tmp/work/",
	"/var/",
	"/var/tmp/",
	"/dev/",
	"/proc/",
	"/proc/sys/",
	"/sys/",
	"/sys/fs/cgroup/",
	"/srv/",
	"/srv/real/",
	"/srv/real/f",
	NULL,
};

static int lookup(const char *path, char **ret_real, bool *ret_is_dir, void *ctx)
{
	char want[256], resolved[256];

	(void)ctx;
	if (strncmp(path, "/srv/link", 9) == 0 && (path[9] == '/' || !path[9])) {
		snprintf(resolved, sizeof(resolved), "/srv/real%s", path + 9);
		path = resolved;
	}
	for (size_t i = 0; host[i]; i++) {
		size_t n = strlen(host[i]);
		bool dir = host[i][n - 1] == '/';

		snprintf(want, sizeof(want), "%.*s", (int)(dir && n > 1 ? n - 1 : n), host[i]);
		if (strcmp(want, path) == 0) {
			*ret_real = strdup(path);
			*ret_is_dir = dir;
			return 0;
		}
	}
	if (strcmp(path, "/etc/hostname") == 0)
		return -EACCES;
	return -ENOENT;
}

static char *const envp[] = { "HOME=/home/u", "DATA=/srv", NULL };

static struct sf_sandbox_settings settings(const char *const *lines)
{
	struct sf_sandbox_settings s = { 0 };
	struct sf_diag d = { 0 };

	for (size_t i = 0; lines[i]; i += 2)
		CHECK_INT(sandbox_set(&s, lines[i], lines[i + 1], O, &d), 0);
	diag_clear(&d);
	return s;
}

/* The plan as "kind path" lines, shown-again entries marked "+". */
static char *plan_text(const char *const *lines, bool as_root, char **err)
{
	struct sf_sandbox_settings s = settings(lines);
	struct sf_sandbox_plan p = { 0 };
	struct sf_diag d = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	sandbox_resolve(&s, as_root, false);
	*err = NULL;
	if (sandbox_plan(&s, envp, lookup, NULL, &p, &d) < 0)
		*err = d.n ? diag_format(&d.msgs[0]) : strdup("?");
	for (size_t i = 0; i < p.n; i++)
		fprintf(f, "%s%s %s\n", p.mounts[i].shown_in >= 0 ? "+" : "", sandbox_mount_kind_name(p.mounts[i].kind),
		    p.mounts[i].path);
	fclose(f);
	sandbox_plan_clear(&p);
	sandbox_settings_clear(&s);
	diag_clear(&d);
	return out;
}

static void expect(const char *const *lines, bool as_root, const char *want)
{
	char *err = NULL;
	char *got = plan_text(lines, as_root, &err);

	CHECK_STR(err, NULL);
	CHECK_STR(got, want);
	free(got);
	free(err);
}

static void expect_error(const char *const *lines, const char *want)
{
	char *err = NULL;
	char *got = plan_text(lines, false, &err);

	CHECK_STR(err, want);
	free(got);
	free(err);
}

static void test_protect_keys_imply_their_paths(void)
{
	expect((const char *const[]){ "protect-system", "yes", NULL }, false, "read-only /boot\nread-only /usr\n");
	expect((const char *const[]){ "protect-system", "full", NULL }, false,
	    "read-only /boot\nread-only /etc\nread-only /usr\n");
	expect((const char *const[]){ "protect-system", "strict", NULL }, false,
	    "read-only /\nread-write /dev\nread-write /proc\nread-write /sys\n");
	expect((const char *const[]){ "protect-home", "yes", NULL }, false, "inaccessible /home\ninaccessible /root\n");
	expect((const char *const[]){ "protect-home", "read-only", NULL }, false, "read-only /home\nread-only /root\n");
	expect((const char *const[]){ "protect-home", "tmpfs", NULL }, false, "empty tmpfs /home\nempty tmpfs /root\n");
	expect(
	    (const char *const[]){ "private-tmp", "yes", NULL }, false, "private tmpfs /tmp\nprivate tmpfs /var/tmp\n");
	expect((const char *const[]){ "private-devices", "yes", NULL }, false, "private devices /dev\n");
	expect((const char *const[]){ "protect-kernel-tunables", "yes", NULL }, false,
	    "read-only /proc/sys\nread-only /sys\n");
	expect((const char *const[]){ "protect-control-groups", "yes", NULL }, false, "read-only /sys/fs/cgroup\n");
	expect((const char *const[]){ "private-network", "yes", NULL }, false, "");
}

static void test_root_defaults(void)
{
	const char *const none[] = { NULL };
	const char *const off[] = { "protect-system", "no", "protect-kernel-tunables", "no", "private-devices", "no",
		NULL };

	expect(none, true,
	    "read-only /boot\nprivate devices /dev\nread-only /etc\nread-only /proc/sys\nread-only /sys\nread-only /usr\n");
	expect(none, false, "");
	expect(off, true, "");
}

static void test_one_path_keeps_the_strongest_key(void)
{
	/* Explicit beats implied; among explicit, the most restrictive. */
	expect((const char *const[]){ "protect-system", "full", "read-write-paths", "/etc", NULL }, false,
	    "read-only /boot\nread-write /etc\nread-only /usr\n");
	expect((const char *const[]){ "read-write-paths", "/srv", "read-only-paths", "/srv", NULL }, false,
	    "read-only /srv\n");
	expect((const char *const[]){ "read-only-paths", "/srv", "inaccessible-paths", "/srv", "read-write-paths",
		   "/srv", NULL },
	    false, "inaccessible /srv\n");
	expect((const char *const[]){ "private-tmp", "yes", "inaccessible-paths", "/tmp", NULL }, false,
	    "inaccessible /tmp\nprivate tmpfs /var/tmp\n");
}

/* A later layer (a per-app profile after default, a .local file) wins
 * for one path, whatever its key. */
static void test_a_later_layer_wins_for_one_path(void)
{
	struct sf_sandbox_settings s = { 0 };
	struct sf_sandbox_plan p = { 0 };
	struct sf_diag d = { 0 };

	sandbox_set(&s, "inaccessible-paths", "/srv ~/.ssh", O, &d);
	s.layer = 1;
	sandbox_set(&s, "read-write-paths", "/srv", O, &d);
	s.layer = 2;
	sandbox_set(&s, "read-only-paths", "~/.ssh", O, &d);
	sandbox_resolve(&s, false, false);
	CHECK_INT(sandbox_plan(&s, envp, lookup, NULL, &p, &d), 0);
	CHECK_INT(p.n, 2);
	CHECK_STR(p.mounts[0].path, "/home/u/.ssh");
	CHECK_INT(p.mounts[0].kind, SF_MOUNT_READ_ONLY);
	CHECK_STR(p.mounts[1].path, "/srv");
	CHECK_INT(p.mounts[1].kind, SF_MOUNT_READ_WRITE);
	sandbox_plan_clear(&p);
	sandbox_settings_clear(&s);

	/* A tree hidden in a later layer hides what earlier layers said
	 * about paths in it; said in the same layer, they are shown again. */
	s = (struct sf_sandbox_settings){ 0 };
	sandbox_set(&s, "read-only-paths", "~/.bashrc", O, &d);
	s.layer = 1;
	sandbox_set(&s, "protect-home", "tmpfs", O, &d);
	sandbox_set(&s, "read-write-paths", "~/work", O, &d);
	sandbox_resolve(&s, false, false);
	CHECK_INT(sandbox_plan(&s, envp, lookup, NULL, &p, &d), 0);
	CHECK_INT(p.n, 3);
	CHECK_STR(p.mounts[0].path, "/home");
	CHECK_STR(p.mounts[1].path, "/home/u/work");
	CHECK_INT(p.mounts[1].shown_in, 0);
	CHECK_STR(p.mounts[2].path, "/root");
	sandbox_plan_clear(&p);
	sandbox_settings_clear(&s);
	diag_clear(&d);
}

/* The working directory: shown again in a private /tmp. */
static void test_working_directory_in_private_tmp(void)
{
	struct sf_sandbox_settings s = settings((const char *const[]){ "private-tmp", "yes", NULL });
	struct sf_sandbox_plan p = { 0 };
	struct sf_diag d = { 0 };

	sandbox_resolve(&s, false, false);
	CHECK_INT(sandbox_plan_for(&s, envp, false, NULL, "/tmp/work", lookup, NULL, &p, &d), 0);
	CHECK_INT(p.n, 3);
	CHECK_STR(p.mounts[1].path, "/tmp/work");
	CHECK_INT(p.mounts[1].kind, SF_MOUNT_READ_WRITE);
	CHECK_INT(p.mounts[1].shown_in, 0);
	sandbox_plan_clear(&p);
	CHECK_INT(sandbox_plan_for(&s, envp, false, NULL, "/tmp", lookup, NULL, &p, &d), 0);
	CHECK_INT(p.n, 2); /* the tmpfs itself: nothing to show */
	sandbox_plan_clear(&p);
	/* The program's own file, below a replaced tree: shown read-only. */
	CHECK_INT(sandbox_plan_for(&s, envp, false, "/tmp/work", "/srv/real", lookup, NULL, &p, &d), 0);
	CHECK_INT(p.n, 3);
	CHECK_STR(p.mounts[1].path, "/tmp/work");
	CHECK_INT(p.mounts[1].kind, SF_MOUNT_READ_ONLY);
	sandbox_plan_clear(&p);
	sandbox_settings_clear(&s);
}

static void test_paths_below_a_replaced_tree_are_shown_again(void)
{
	expect((const char *const[]){ "protect-home", "tmpfs", "read-write-paths", "~/work", "read-only-paths",
		   "~/.bashrc", NULL },
	    false, "empty tmpfs /home\n+read-only /home/u/.bashrc\n+read-write /home/u/work\nempty tmpfs /root\n");
	/* Hidden inside a hidden tree: nothing to do. */
	expect((const char *const[]){ "protect-home", "yes", "inaccessible-paths", "~/.ssh", NULL }, false,
	    "inaccessible /home\ninaccessible /root\n");
	/* Below a tree shown again, the host's path is in place. */
	expect((const char *const[]){ "protect-home", "tmpfs", "read-write-paths", "~", "inaccessible-paths", "~/.ssh",
		   NULL },
	    false, "empty tmpfs /home\n+read-write /home/u\ninaccessible /home/u/.ssh\nempty tmpfs /root\n");
	expect((const char *const[]){ "protect-system", "strict", "read-write-paths", "/var/tmp", NULL }, false,
	    "read-only /\nread-write /dev\nread-write /proc\nread-write /sys\nread-write /var/tmp\n");
}

static void test_written_paths(void)
{
	/* "~", ${VAR}, symbolic links resolved, "//" and "." folded. */
	expect((const char *const[]){ "inaccessible-paths", "~/.ssh ${DATA}/link//./f -/nope -~/.nope", NULL }, false,
	    "inaccessible /home/u/.ssh\ninaccessible /srv/real/f\n");
	/* An empty value drops what earlier lines of that key said. */
	expect((const char *const[]){ "read-only-paths", "/srv", "inaccessible-paths", "/usr", "read-only-paths", "",
		   NULL },
	    false, "inaccessible /usr\n");
	/* An optional path whose variable is unset is left out. */
	expect((const char *const[]){ "read-only-paths", "-${UNSET}/x", NULL }, false, "");
}

static void test_errors_name_the_line(void)
{
	struct sf_sandbox_settings s = { 0 };
	struct sf_diag d = { 0 };
	char *m;

	expect_error((const char *const[]){ "read-only-paths", "/nope", NULL },
	    "sysfence: t.ini:3: read-only-paths: \"/nope\" does not exist (write \"-/nope\" if it may be missing)");
	expect_error((const char *const[]){ "inaccessible-paths", "/srv/../etc", NULL },
	    "sysfence: t.ini:3: inaccessible-paths: \"/srv/../etc\" has a \"..\" component; name the path itself");
	expect_error((const char *const[]){ "read-write-paths", "${UNSET}/x", NULL },
	    "sysfence: t.ini:3: read-write-paths: environment variable \"UNSET\" is not set (in \"${UNSET}/x\")");
	expect_error((const char *const[]){ "read-only-paths", "/etc/hostname", NULL },
	    "sysfence: t.ini:3: read-only-paths: cannot look up \"/etc/hostname\": Permission denied");

	/* Bad values, at parse time. */
	CHECK_INT(sandbox_set(&s, "protect-system", "everything", O, &d), -EINVAL);
	m = diag_format(&d.msgs[0]);
	CHECK_STR(m, "sysfence: t.ini:3: expected no, yes, full or strict, found \"everything\"");
	free(m);
	diag_clear(&d);
	CHECK_INT(sandbox_set(&s, "read-only-paths", "relative/path", O, &d), -EINVAL);
	m = diag_format(&d.msgs[0]);
	CHECK_STR(m,
	    "sysfence: t.ini:3: read-only-paths: paths must be absolute or start with ~/ or ${VAR}, found \"relative/path\"");
	free(m);
	diag_clear(&d);
	CHECK_INT(sandbox_set(&s, "private-everything", "yes", O, &d), -EINVAL);
	m = diag_format(&d.msgs[0]);
	CHECK_STR(m, "sysfence: t.ini:3: unknown key \"private-everything\" in [sandbox]");
	free(m);
	diag_clear(&d);
	CHECK_INT(sandbox_set(&s, "namespaces", "maybe", O, &d), -EINVAL);
	m = diag_format(&d.msgs[0]);
	CHECK_STR(m, "sysfence: t.ini:3: expected required or best-effort, found \"maybe\"");
	free(m);
	diag_clear(&d);
	sandbox_settings_clear(&s);
}

static void test_namespaces_mode_and_network(void)
{
	struct sf_sandbox_settings s =
	    settings((const char *const[]){ "namespaces", "best-effort", "private-network", "yes", NULL });
	struct sf_sandbox_plan p = { 0 };
	struct sf_diag d = { 0 };

	sandbox_resolve(&s, false, false);
	CHECK(sandbox_needs_namespaces(&s));
	CHECK_INT(sandbox_plan(&s, envp, lookup, NULL, &p, &d), 0);
	CHECK(p.best_effort);
	CHECK(p.net_ns);
	CHECK(!p.mount_ns);
	sandbox_plan_clear(&p);
	sandbox_settings_clear(&s);
	/* A user's run with nothing written needs no namespace at all. */
	s = (struct sf_sandbox_settings){ 0 };
	sandbox_resolve(&s, false, false);
	CHECK(!sandbox_needs_namespaces(&s));
	sandbox_resolve(&s, true, true);
	CHECK(!sandbox_needs_namespaces(&s));
}

int main(void)
{
	RUN(test_protect_keys_imply_their_paths);
	RUN(test_root_defaults);
	RUN(test_one_path_keeps_the_strongest_key);
	RUN(test_a_later_layer_wins_for_one_path);
	RUN(test_paths_below_a_replaced_tree_are_shown_again);
	RUN(test_working_directory_in_private_tmp);
	RUN(test_written_paths);
	RUN(test_errors_name_the_line);
	RUN(test_namespaces_mode_and_network);
	return tap_done();
}
