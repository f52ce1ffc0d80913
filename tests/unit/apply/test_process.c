/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [process]: umask, environment, LISTEN_FDS, descriptor ranges, planning
 * errors, and applying descriptors and umask in a child. */
#include "expand.h"
#include "process.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *first_msg(const struct sf_diag *d)
{
	return d->n ? diag_format(&d->msgs[0]) : NULL;
}

static const struct sf_origin O = { "t.ini", 5 };

static void test_process_umask_is_octal(void)
{
	static const struct {
		const char *in;
		int want;
	} ok[] = { { "077", 077 }, { "0022", 022 }, { "0", 0 }, { "777", 0777 } };
	static const char *const bad[] = { "", "8", "0778", "1000", "u=rwx", "00777" };
	struct sf_diag d = { 0 };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		mode_t m = 0;

		CHECK_INT(process_parse_umask(ok[i].in, O, &m, &d), 0);
		CHECK_INT(m, ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mode_t m = 0;

		CHECK_INT(process_parse_umask(bad[i], O, &m, &d), -EINVAL);
	}
	{
		char *msg = first_msg(&d);

		CHECK_STR(msg, "sysfence: t.ini:5: invalid umask \"\" (expected octal 000 to 777, e.g. 077)");
		free(msg);
	}
	diag_clear(&d);
}

static char *env_join(char **env)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t i = 0; env && env[i]; i++)
		fprintf(f, "%s%s", i ? "|" : "", env[i]);
	fclose(f);
	return buf;
}

static void test_process_env_clear_keeps_only_listed_names(void)
{
	char *envp[] = { "PATH=/bin", "HOME=/root", "LC_ALL=C", "LC_TIME=x", "SECRET=1", "LANG=en", NULL };
	struct sf_process_settings s = { .env_clear = true };
	struct sf_diag d = { 0 };
	char **env = NULL;
	char *joined;

	CHECK_INT(process_add_env_keep(&s, "PATH LC_*, LANG", O, &d), 0);
	CHECK_INT(process_build_env(&s, envp, &env, &d), 0);
	joined = env_join(env);
	CHECK_STR(joined, "PATH=/bin|LC_ALL=C|LC_TIME=x|LANG=en");
	free(joined);
	process_env_free(env);
	process_settings_clear(&s);
	diag_clear(&d);
}

static void test_process_env_set_replaces_and_expands(void)
{
	char *envp[] = { "PATH=/bin", "HOME=/home/u", "FOO=old", NULL };
	struct sf_process_settings s = { 0 };
	struct sf_diag d = { 0 };
	char **env = NULL;
	char *joined;

	CHECK_INT(process_add_env_set(&s, "FOO=bar baz", O, &d), 0);
	CHECK_INT(process_add_env_set(&s, "CACHE=${HOME}/.cache", O, &d), 0);
	CHECK_INT(process_add_env_set(&s, "PRICE=$$5 and $x", O, &d), 0);
	CHECK_INT(process_add_env_set(&s, "EMPTY=", O, &d), 0);
	CHECK_INT(process_add_env_set(&s, "FOO=${FOO}:new", O, &d), 0);
	CHECK_INT(process_build_env(&s, envp, &env, &d), 0);
	joined = env_join(env);
	/* Values expand from the launcher's environment, not from earlier lines. */
	CHECK_STR(joined, "PATH=/bin|HOME=/home/u|FOO=old:new|CACHE=/home/u/.cache|PRICE=$5 and $x|EMPTY=");
	free(joined);
	process_env_free(env);
	process_settings_clear(&s);
	diag_clear(&d);
}

static void test_process_env_errors_name_the_line(void)
{
	static const struct {
		const char *set, *msg;
	} cases[] = {
		{ "NOVALUE", "sysfence: t.ini:5: expected NAME=value with a variable name (letters, digits, _), found \"NOVALUE\"" },
		{ "=x", "sysfence: t.ini:5: expected NAME=value with a variable name (letters, digits, _), found \"=x\"" },
		{ "A B=x", "sysfence: t.ini:5: expected NAME=value with a variable name (letters, digits, _), found \"A B=x\"" },
		{ "1A=x", "sysfence: t.ini:5: expected NAME=value with a variable name (letters, digits, _), found \"1A=x\"" },
	};
	char *envp[] = { "HOME=/h", NULL };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_process_settings s = { 0 };
		struct sf_diag d = { 0 };
		char *m;

		CHECK_INT(process_add_env_set(&s, cases[i].set, O, &d), -EINVAL);
		m = first_msg(&d);
		CHECK_STR(m, cases[i].msg);
		free(m);
		diag_clear(&d);
	}
	{
		struct sf_process_settings s = { 0 };
		struct sf_diag d = { 0 };
		char **env = NULL;
		char *m;

		CHECK_INT(process_add_env_set(&s, "X=${NOPE}/y", O, &d), 0);
		CHECK_INT(process_build_env(&s, envp, &env, &d), -ENOENT);
		CHECK(env == NULL);
		m = first_msg(&d);
		CHECK_STR(m, "sysfence: t.ini:5: environment variable \"NOPE\" is not set (in \"${NOPE}/y\")");
		free(m);
		process_settings_clear(&s);
		diag_clear(&d);
		CHECK_INT(process_add_env_set(&s, "X=${HOME", O, &d), 0);
		CHECK_INT(process_build_env(&s, envp, &env, &d), -EINVAL);
		process_settings_clear(&s);
		diag_clear(&d);
		CHECK_INT(process_add_env_set(&s, "X=${HO-ME}", O, &d), 0);
		CHECK_INT(process_build_env(&s, envp, &env, &d), -EINVAL);
		m = first_msg(&d);
		CHECK_STR(m, "sysfence: t.ini:5: expected ${NAME} with a variable name in \"${HO-ME}\" (write $$ for a literal $)");
		free(m);
		process_settings_clear(&s);
		diag_clear(&d);
		CHECK_INT(process_add_env_keep(&s, "PATH A=B", O, &d), -EINVAL);
		m = first_msg(&d);
		CHECK_STR(m, "sysfence: t.ini:5: invalid variable name \"A=B\" in env-keep (expected names or patterns such as LC_*)");
		free(m);
		process_settings_clear(&s);
		diag_clear(&d);
	}
}

static void test_process_listen_fds_only_for_our_pid(void)
{
	int n = -1;

	CHECK_INT(process_listen_fds(NULL, "3", 100, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(process_listen_fds("99", "3", 100, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(process_listen_fds("100", "3", 100, &n), 0);
	CHECK_INT(n, 3);
	CHECK_INT(process_listen_fds("100", NULL, 100, &n), -EINVAL);
	CHECK_INT(process_listen_fds("100", "two", 100, &n), -EINVAL);
	CHECK_INT(process_listen_fds("100", "99999999999", 100, &n), -EINVAL);
}

static void test_process_close_ranges_skip_kept_descriptors(void)
{
	struct sf_fd_range r[4];
	const int keep[] = { 9, 5, 6, 1 };
	size_t n;

	n = process_close_ranges(0, NULL, 0, r);
	CHECK_INT(n, 1);
	CHECK(r[0].lo == 3 && r[0].hi == ~0U);
	n = process_close_ranges(2, keep, 4, r);	/* keeps 3, 4 (systemd), 5, 6, 9 */
	CHECK_INT(n, 2);
	CHECK(r[0].lo == 7 && r[0].hi == 8);
	CHECK(r[1].lo == 10 && r[1].hi == ~0U);
}

static void test_process_plan_reports_bad_chdir(void)
{
	char *envp[] = { "D=/nonexistent-sysfence", NULL };
	static const struct {
		const char *dir, *msg;
	} cases[] = {
		{ "${D}/x", "sysfence: t.ini:5: cannot use \"/nonexistent-sysfence/x\" as working directory: No such file or directory" },
		{ "/etc/passwd", "sysfence: t.ini:5: cannot use \"/etc/passwd\" as working directory: Not a directory" },
		{ "tmp", "sysfence: t.ini:5: chdir needs an absolute path, found \"tmp\"" },
		{ "${UNSET_X}", "sysfence: t.ini:5: environment variable \"UNSET_X\" is not set (in \"${UNSET_X}\")" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sf_process_settings s = { .chdir = (char *)cases[i].dir, .chdir_origin = O };
		struct sf_process_plan p = { .chdir_fd = -1 };
		struct sf_diag d = { 0 };
		char *m;

		CHECK(process_plan(&s, envp, /* will_run= */ false, &p, &d) < 0);
		CHECK_INT(p.chdir_fd, -1);
		m = first_msg(&d);
		CHECK_STR(m, cases[i].msg);
		free(m);
		diag_clear(&d);
	}
}

static void test_process_apply_closes_descriptors_in_a_child(void)
{
	struct sf_process_settings s = { .close_fds = true, .has_umask = true, .umask = 027 };
	char *envp[] = { "LISTEN_PID=1", "LISTEN_FDS=1", NULL };
	struct sf_process_plan p;
	struct sf_diag d = { 0 };
	int status = 0;
	pid_t pid;

	CHECK_INT(process_plan(&s, envp, /* will_run= */ true, &p, &d), 0);
	CHECK_INT(p.listen_fds, 0);	/* LISTEN_PID is not ours */
	pid = fork();
	if (pid == 0) {
		int a = open("/dev/null", O_RDONLY), b = open("/dev/null", O_RDONLY), c = open("/dev/null", O_RDONLY);
		int keep[] = { b };

		if (a < 3 || b < 3 || c < 3 || process_apply(&p, keep, 1, NULL) < 0)
			_exit(1);
		if (fcntl(a, F_GETFD) != -1 || fcntl(c, F_GETFD) != -1 || fcntl(b, F_GETFD) < 0)
			_exit(2);
		if (fcntl(0, F_GETFD) < 0 && errno != EBADF)
			_exit(3);
		_exit(umask(0) == 027 ? 0 : 4);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
	process_plan_clear(&p);
	diag_clear(&d);
}

int main(void)
{
	RUN(test_process_umask_is_octal);
	RUN(test_process_env_clear_keeps_only_listed_names);
	RUN(test_process_env_set_replaces_and_expands);
	RUN(test_process_env_errors_name_the_line);
	RUN(test_process_listen_fds_only_for_our_pid);
	RUN(test_process_close_ranges_skip_kept_descriptors);
	RUN(test_process_plan_reports_bad_chdir);
	RUN(test_process_apply_closes_descriptors_in_a_child);
	return tap_done();
}
