/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "userdb.h"
#include "cleanup.h"
#include "io.h"
#include "rootrule.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYSFENCE_GETENT
#define SYSFENCE_GETENT "/usr/bin/getent"
#endif

/* The one line a passwd or group answer is made of, without its '\n'.
 * getent ends every entry with a newline, so output without one was cut
 * short. Returns the line's length or -EBADMSG. */
static ssize_t one_line(const char *text, size_t len)
{
	if (len == 0 || text[len - 1] != '\n')
		return -EBADMSG;
	if (memchr(text, '\0', len) || memchr(text, '\n', len - 1))
		return -EBADMSG;
	return (ssize_t)(len - 1);
}

/* Split line into exactly n ':'-separated fields (the last one runs to the
 * end). Returns false if there are fewer or more. */
static bool split_fields(const char *line, size_t len, size_t n, const char **ret_start, size_t *ret_len)
{
	const char *p = line, *end = line + len;

	for (size_t i = 0; i < n; i++) {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		if (i + 1 == n) {
			if (colon)
				return false;	/* more fields */
			colon = end;
		} else if (!colon) {
			return false;		/* fewer fields */
		}
		ret_start[i] = p;
		ret_len[i] = (size_t)(colon - p);
		p = colon + 1;
	}
	return true;
}

/* A decimal id: digits only, at most max - 1, since (uid_t)-1 and
 * (gid_t)-1 mean "no id" to setresuid(2) and chown(2). */
static bool parse_id(const char *s, size_t len, uintmax_t max, uintmax_t *ret)
{
	uintmax_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (max - (uintmax_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uintmax_t)(s[i] - '0');
	}
	if (v >= max)
		return false;
	*ret = v;
	return true;
}

static bool field_is(const char *field, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(field, name, len) == 0;
}

int userdb_parse_passwd(const char *text, size_t len, const char *name, struct sf_userdb_user *ret)
{
	const char *f[7];
	size_t flen[7];
	uintmax_t uid, gid;
	ssize_t n = one_line(text, len);

	if (n < 0)
		return (int)n;
	if (!split_fields(text, (size_t)n, ELEMENTSOF(f), f, flen) || flen[0] == 0)
		return -EBADMSG;
	if (!parse_id(f[2], flen[2], (uid_t)-1, &uid) || !parse_id(f[3], flen[3], (gid_t)-1, &gid))
		return -EBADMSG;
	if (!field_is(f[0], flen[0], name))
		return -ESRCH;
	ret->uid = (uid_t)uid;
	ret->gid = (gid_t)gid;
	return 0;
}

int userdb_parse_group(const char *text, size_t len, const char *name, gid_t *ret_gid)
{
	const char *f[4];
	size_t flen[4];
	uintmax_t gid;
	ssize_t n = one_line(text, len);

	if (n < 0)
		return (int)n;
	if (!split_fields(text, (size_t)n, ELEMENTSOF(f), f, flen) || flen[0] == 0)
		return -EBADMSG;
	if (!parse_id(f[2], flen[2], (gid_t)-1, &gid))
		return -EBADMSG;
	if (!field_is(f[0], flen[0], name))
		return -ESRCH;
	*ret_gid = (gid_t)gid;
	return 0;
}

struct gid_at {
	gid_t gid;
	size_t pos;
};

static int cmp_gid_at(const void *a, const void *b)
{
	const struct gid_at *x = a, *y = b;

	if (x->gid != y->gid)
		return x->gid < y->gid ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Drop every repeat of a gid, keeping its first place: sort (gid, place)
 * pairs, keep the first of each run, then compact in the original order.
 * O(n log n), as a list may hold tens of thousands of groups. */
static int dedup_gids(gid_t *g, size_t *n)
{
	_cleanup_free_ struct gid_at *s = NULL;
	_cleanup_free_ bool *drop = NULL;
	size_t out = 0;

	if (*n < 2)
		return 0;
	s = malloc(*n * sizeof(*s));
	drop = calloc(*n, sizeof(*drop));
	if (!s || !drop)
		return -ENOMEM;
	for (size_t i = 0; i < *n; i++)
		s[i] = (struct gid_at){ g[i], i };
	qsort(s, *n, sizeof(*s), cmp_gid_at);
	for (size_t i = 1; i < *n; i++)
		if (s[i].gid == s[i - 1].gid)
			drop[s[i].pos] = true;
	for (size_t i = 0; i < *n; i++)
		if (!drop[i])
			g[out++] = g[i];
	*n = out;
	return 0;
}

int userdb_parse_initgroups(const char *text, size_t len, const char *name, gid_t primary, gid_t **ret,
    size_t *ret_n)
{
	_cleanup_free_ gid_t *g = NULL;
	size_t name_len = strlen(name), count = 1, n_tokens = 0;
	const char *p, *end;
	ssize_t n = one_line(text, len);
	int r;

	if (n < 0)
		return (int)n;
	end = text + n;
	/* getent echoes the key, so the line starts with exactly our name,
	 * followed by a space or the end of the line. */
	if (name_len == 0 || (size_t)n < name_len || memcmp(text, name, name_len) != 0)
		return -EBADMSG;
	p = text + name_len;
	if (p < end && *p != ' ')
		return -EBADMSG;
	/* First pass: check the syntax and count the gids. */
	for (const char *q = p; q < end;) {
		const char *tok;
		uintmax_t v;

		while (q < end && *q == ' ')
			q++;
		if (q == end)
			break;
		tok = q;
		while (q < end && *q != ' ')
			q++;
		if (!parse_id(tok, (size_t)(q - tok), (gid_t)-1, &v))
			return -EBADMSG;
		n_tokens++;
	}
	g = malloc((n_tokens + 1) * sizeof(*g));
	if (!g)
		return -ENOMEM;
	g[0] = primary;
	for (const char *q = p; q < end;) {
		const char *tok;
		uintmax_t v = 0;

		while (q < end && *q == ' ')
			q++;
		if (q == end)
			break;
		tok = q;
		while (q < end && *q != ' ')
			q++;
		(void)parse_id(tok, (size_t)(q - tok), (gid_t)-1, &v);	/* checked above */
		g[count++] = (gid_t)v;
	}
	r = dedup_gids(g, &count);
	if (r < 0)
		return r;
	if (count > USERDB_MAX_GROUPS)
		return -E2BIG;
	*ret = TAKE_PTR(g);
	*ret_n = count;
	return 0;
}

int userdb_check_program(const char *path, const struct sf_origin *o, struct sf_diag *d)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return diag_set(d, o->file, o->line, -errno, errno, "refusing \"%s\": cannot check it", path);
	if (!S_ISREG(st.st_mode))
		return diag_at(d, *o, -EPERM, "refusing \"%s\": not a regular file", path);
	return root_rule_check(path, -1, &st, o->file, o->line, d);
}

/* Move a descriptor to 3 or above, keeping it close-on-exec: the child's
 * 0, 1 and 2 are set up by file actions that must not clobber it. */
static int above_stdio(int *fd)
{
	int moved;

	if (*fd > 2)
		return 0;
	moved = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
	if (moved < 0)
		return -errno;
	close(*fd);
	*fd = moved;
	return 0;
}

/* Start getent with stdin and stderr on /dev/null and stdout on out_fd,
 * nothing else open, default signal handling, an empty signal mask and a
 * fixed environment. Returns 0 and the pid, or a positive errno. */
static int spawn_getent(char *const argv[], int out_fd, pid_t *ret_pid)
{
	static char *const envp[] = { (char *)"LC_ALL=C", (char *)"PATH=/usr/bin:/bin", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	int r;

	r = posix_spawn_file_actions_init(&fa);
	if (r != 0)
		return r;
	r = posix_spawnattr_init(&attr);
	if (r != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return r;
	}
	sigfillset(&all);
	sigemptyset(&none);
	/* Every descriptor of ours is close-on-exec, but one inherited from
	 * whoever started sysfence need not be: closefrom(3) in the child
	 * leaves it only the three set up here. */
	if ((r = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0 &&
	    (r = posix_spawn_file_actions_adddup2(&fa, out_fd, 1)) == 0 &&
	    (r = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0)) == 0 &&
	    (r = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) == 0 &&
	    (r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) == 0 &&
	    (r = posix_spawnattr_setsigmask(&attr, &none)) == 0 &&
	    (r = posix_spawnattr_setsigdefault(&attr, &all)) == 0)
		r = posix_spawn(ret_pid, SYSFENCE_GETENT, &fa, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return r;
}

/* "cannot look up WHAT: cannot run GETENT" at o, with strerror(-neg). */
static int cannot_run(struct sf_diag *d, const struct sf_origin *o, int neg, const char *what)
{
	return diag_set(d, o->file, o->line, neg, -neg, "cannot look up %s: cannot run \"%s\"", what, SYSFENCE_GETENT);
}

/* A close-on-exec pipe for getent's output, both ends above the standard
 * descriptors. Returns 0 or a negative errno. */
static int output_pipe(int *ret_read, int *ret_write)
{
	int fds[2], r;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	*ret_read = fds[0];
	*ret_write = fds[1];
	r = above_stdio(ret_read);
	if (r == 0)
		r = above_stdio(ret_write);
	return r;
}

/* Run `getent DB -- NAME`. "--" ends getent's options, so a name starting
 * with '-' is looked up, not parsed as one. what names the lookup in
 * messages ("user \"www-data\""). Returns 0 with the output in *ret
 * (malloc'd) and *ret_len when getent found the key (status 0), -ESRCH when
 * it did not (status 2), or another error with a message. */
static int run_getent(const char *db, const char *name, const char *what, const struct sf_origin *o, char **ret,
    size_t *ret_len, struct sf_diag *d)
{
	char *const argv[] = { (char *)"getent", (char *)db, (char *)"--", (char *)name, NULL };
	const struct sigaction dfl = { .sa_handler = SIG_DFL };
	struct sigaction old_chld;
	_cleanup_close_ int rfd = -1, wfd = -1;
	_cleanup_free_ char *out = NULL;
	size_t len = 0;
	bool over = false;
	int status = 0, r, read_err;
	pid_t pid;

	/* As root, the program we run must be as safe from other users as a
	 * profile is (sysfence(1) "Rules that keep users safe"). It is checked,
	 * then run, by path: with the file and its directory root's, only
	 * root could replace it in between. */
	if (geteuid() == 0) {
		r = userdb_check_program(SYSFENCE_GETENT, o, d);
		if (r < 0)
			return r;
	}
	r = output_pipe(&rfd, &wfd);
	if (r < 0)
		return cannot_run(d, o, r, what);

	/* If whoever started us ignores SIGCHLD, the kernel reaps the child
	 * itself and waitpid(2) could not report its status. Restored below
	 * (it cannot fail with a valid signal and action): the program
	 * inherits the disposition. */
	if (sigaction(SIGCHLD, &dfl, &old_chld) < 0)
		return cannot_run(d, o, -errno, what);
	r = spawn_getent(argv, wfd, &pid);
	if (r != 0) {
		(void)sigaction(SIGCHLD, &old_chld, NULL);
		return cannot_run(d, o, -r, what);
	}
	close(TAKE_FD(wfd));	/* the child holds the only write end now */
	/* At most USERDB_MAX_OUTPUT bytes: more is refused below. */
	read_err = read_all(rfd, USERDB_MAX_OUTPUT, &out, &len);
	if (read_err == -EFBIG) {
		over = true;
		read_err = 0;
	}
	/* Closed before waiting: if we stopped reading early, getent gets
	 * EPIPE (or SIGPIPE) instead of blocking on a full pipe. */
	close(TAKE_FD(rfd));
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			r = -errno;
			(void)sigaction(SIGCHLD, &old_chld, NULL);
			return diag_set(d, o->file, o->line, r, -r, "cannot look up %s: cannot wait for \"%s\"", what,
			    SYSFENCE_GETENT);
		}
	}
	(void)sigaction(SIGCHLD, &old_chld, NULL);

	if (read_err < 0)
		return diag_set(d, o->file, o->line, read_err, -read_err, "cannot look up %s: cannot read from \"%s\"",
		    what, SYSFENCE_GETENT);
	if (over)
		return diag_at(
		    d, *o, -EBADMSG, "cannot look up %s: \"%s\" printed more than 1 MiB", what, SYSFENCE_GETENT);
	if (WIFSIGNALED(status))
		return diag_at(d, *o, -EIO, "cannot look up %s: \"%s\" was killed by signal %d", what, SYSFENCE_GETENT,
		    WTERMSIG(status));
	/* getent(1): 2 means "one or more supplied key could not be found". */
	if (WEXITSTATUS(status) == 2)
		return -ESRCH;
	if (WEXITSTATUS(status) != 0)
		return diag_at(d, *o, -EIO, "cannot look up %s: \"%s\" exited with status %d", what, SYSFENCE_GETENT,
		    WEXITSTATUS(status));
	*ret = TAKE_PTR(out);
	*ret_len = len;
	return 0;
}

/* A name that cannot appear in getent's one-line, ':'-separated output
 * cannot be in the database either: it is simply not found. */
static bool name_can_exist(const char *name)
{
	return *name && !strpbrk(name, ":\n");
}

static int bad_output(const char *what, const struct sf_origin *o, struct sf_diag *d)
{
	return diag_at(d, *o, -EBADMSG, "cannot look up %s: unexpected output from \"%s\"", what, SYSFENCE_GETENT);
}

/* Look up the user or group name (kind "user" or "group") in db: the
 * output, and in *ret_what the lookup's name for messages. Returns 0, or
 * -ESRCH when the name cannot exist or is not found, or another error
 * with a message. */
static int lookup_name(const char *db, const char *kind, const char *name, const struct sf_origin *o, char **ret_what,
    char **ret_out, size_t *ret_len, struct sf_diag *d)
{
	if (!name_can_exist(name))
		return -ESRCH;
	if (asprintf(ret_what, "%s \"%s\"", kind, name) < 0) {
		*ret_what = NULL;
		return -ENOMEM;
	}
	return run_getent(db, name, *ret_what, o, ret_out, ret_len, d);
}

int userdb_lookup_user(const char *name, const struct sf_origin *o, struct sf_userdb_user *ret, struct sf_diag *d)
{
	_cleanup_free_ char *what = NULL, *out = NULL;
	size_t len = 0;
	int r = lookup_name("passwd", "user", name, o, &what, &out, &len, d);

	if (r < 0)
		return r;
	r = userdb_parse_passwd(out, len, name, ret);
	return r == -EBADMSG ? bad_output(what, o, d) : r;
}

int userdb_lookup_group(const char *name, const struct sf_origin *o, gid_t *ret_gid, struct sf_diag *d)
{
	_cleanup_free_ char *what = NULL, *out = NULL;
	size_t len = 0;
	int r = lookup_name("group", "group", name, o, &what, &out, &len, d);

	if (r < 0)
		return r;
	r = userdb_parse_group(out, len, name, ret_gid);
	return r == -EBADMSG ? bad_output(what, o, d) : r;
}

int userdb_user_groups(const char *name, gid_t primary, const struct sf_origin *o, gid_t **ret, size_t *ret_n,
    struct sf_diag *d)
{
	_cleanup_free_ char *what = NULL, *out = NULL;
	size_t len = 0;
	int r;

	if (asprintf(&what, "the groups of user \"%s\"", name) < 0)
		return -ENOMEM;
	r = run_getent("initgroups", name, what, o, &out, &len, d);
	/* initgroups answers for any name; "not found" here is getent
	 * misbehaving, not an unknown user. */
	if (r == -ESRCH)
		return diag_at(d, *o, -EIO, "cannot look up %s: \"%s\" exited with status 2", what, SYSFENCE_GETENT);
	if (r < 0)
		return r;
	r = userdb_parse_initgroups(out, len, name, primary, ret, ret_n);
	if (r == -EBADMSG)
		return bad_output(what, o, d);
	return r;
}
