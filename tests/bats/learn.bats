#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --learn: the program runs under a filter that reports every syscall
# (threads, children and exec'd programs included); the profile written
# from it, run by sysfence with default-action = kill, lets the same
# workload produce the same output and status, and kills a syscall the
# workload did not make.

bats_require_minimum_version 1.5.0
load helpers

# The workload: a thread opens a datagram socket (AF_INET, or AF_INET6
# with "inet6"), a child execs echo, then "mkdir PATH" makes one call the
# plain run never makes, "clone3" calls clone3(NULL, 0) (EINVAL when it
# runs), "newuser" clone(CLONE_NEWUSER) and "socket N" socket(N,
# SOCK_STREAM), each printing OK or the errno name. Exits 3, so the status
# is checked too.
workload_source() {
	cat <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *result(long rc)
{
	return rc < 0 ? strerrorname_np(errno) : "OK";
}

static int family = AF_INET;

static void *worker(void *arg)
{
	int fd = socket(family, SOCK_DGRAM, 0);

	*(int *)arg = fd >= 0 ? 0 : errno;
	if (fd >= 0)
		close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int err = -1, st;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "inet6") == 0)
		family = AF_INET6;
	if (pthread_create(&t, NULL, worker, &err) != 0 || pthread_join(t, NULL) != 0)
		return 1;
	printf("thread: socket %s\n", err == 0 ? "ok" : strerror(err));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/echo", "echo", "child: exec ok", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	printf("child: status %d\n", WEXITSTATUS(st));
	fflush(stdout);
	if (argc > 2 && strcmp(argv[1], "mkdir") == 0)
		printf("mkdir: %s\n", mkdir(argv[2], 0755) == 0 ? "ok" : strerror(errno));
	if (argc > 1 && strcmp(argv[1], "clone3") == 0)
		printf("clone3: %s\n", result(syscall(SYS_clone3, NULL, 0)));
	if (argc > 1 && strcmp(argv[1], "newuser") == 0) {
		long rc = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);

		if (rc == 0)
			_exit(0);
		if (rc > 0)
			waitpid((pid_t)rc, &st, 0);
		printf("newuser: %s\n", result(rc));
	}
	if (argc > 2 && strcmp(argv[1], "socket") == 0) {
		int fd = socket(atoi(argv[2]), SOCK_STREAM, 0);

		printf("socket: %s\n", result(fd));
	}
	return 3;
}
EOF
}

setup_file() {
	sf_setup_file
	workload_source >"$SF_TMP/workload.c"
	${CC:-cc} -O1 -pthread -o "$SF_TMP/bin/workload" "$SF_TMP/workload.c"
	chmod 0755 "$SF_TMP/bin/workload"
	WORKLOAD="$SF_TMP/bin/workload"
	export WORKLOAD
}

teardown_file() {
	sf_teardown_file
}

setup() {
	sf_setup
}

WORKLOAD_OUTPUT='thread: socket ok
child: exec ok
child: status 0'

# learn_and_replay DIR: learn the workload into DIR/learned.ini, then run it
# under that profile; both runs must print the same and exit 3.
learn_and_replay() {
	local cmd=()
	[ "${SF_AS:-}" = user ] && cmd=(as_user)
	run -3 --separate-stderr "${cmd[@]}" "$SYSFENCE" --learn="$1/learned.ini" -- "$WORKLOAD"
	assert_output "$WORKLOAD_OUTPUT"
	assert_file_exists "$1/learned.ini"
	run -3 --separate-stderr "${cmd[@]}" "$SYSFENCE" -p "$1/learned.ini" -- "$WORKLOAD"
	assert_output "$WORKLOAD_OUTPUT"
	assert_equal "$stderr" ''
}

@test "a learned profile runs the same workload (threads, children, exec) to the same output and status" {
	require_root
	learn_and_replay "$T"
	run -0 grep -c '^default-action = kill$' "$T/learned.ini"
}

@test "under the learned profile, a syscall the workload did not make kills it" {
	require_root
	learn_and_replay "$T"
	run -159 --separate-stderr "$SYSFENCE" -p "$T/learned.ini" -- "$WORKLOAD" mkdir "$W/d"
	assert_output "$WORKLOAD_OUTPUT"
	assert_not_exist "$W/d"
}

@test "under the learned profile, a socket family the workload did not use is refused with EPERM" {
	require_root
	learn_and_replay "$T"
	run -0 grep -x 'deny = socket if arg0 != AF_INET' "$T/learned.ini"
	run -3 --separate-stderr "$SYSFENCE" -p "$T/learned.ini" -- "$WORKLOAD" inet6
	assert_line -n 0 'thread: socket Operation not permitted'
	run -3 --separate-stderr "$SYSFENCE" -p "$T/learned.ini" -- "$WORKLOAD" socket 40	# AF_VSOCK
	assert_line 'socket: EPERM'
	run -3 --separate-stderr "$SYSFENCE" -p "$T/learned.ini" -- "$WORKLOAD" socket 2	# AF_INET, used
	assert_line 'socket: OK'
}

# clone3_and_newuser: under the profile learned into DIR (as SF_AS says),
# clone3 fails with ENOSYS (libc then uses clone) and clone with
# CLONE_NEWUSER with EPERM, as in the default profile.
clone3_and_newuser() {
	local cmd=()
	[ "${SF_AS:-}" = user ] && cmd=(as_user)
	run -3 --separate-stderr "${cmd[@]}" "$SYSFENCE" -p "$1/learned.ini" -- "$WORKLOAD" clone3
	assert_output "$WORKLOAD_OUTPUT
clone3: ENOSYS"
	run -3 --separate-stderr "${cmd[@]}" "$SYSFENCE" -p "$1/learned.ini" -- "$WORKLOAD" newuser
	assert_output "$WORKLOAD_OUTPUT
newuser: EPERM"
	run -0 grep -x 'ENOSYS = clone3  *; [0-9]* calls\{0,1\}, answered so while learning' "$1/learned.ini"
}

@test "a profile learned from a threaded program refuses clone3 (ENOSYS) and clone(CLONE_NEWUSER) as root" {
	require_root
	learn_and_replay "$T"
	clone3_and_newuser "$T"
}

@test "a profile learned from a threaded program refuses clone3 (ENOSYS) and clone(CLONE_NEWUSER) as a user" {
	SF_AS=user learn_and_replay "$W"
	SF_AS=user clone3_and_newuser "$W"
}

@test "a profile learned as root drops every capability" {
	require_root
	# learning with every capability kept: the profile must not inherit that
	run -0 --separate-stderr "$SYSFENCE" -q --caps-keep=all --learn="$T/status.ini" -- "$PROBE" status
	refute_line 'CapEff:	0000000000000000'
	run -0 grep -x 'drop = all' "$T/status.ini"
	run -0 --separate-stderr "$SYSFENCE" -p "$T/status.ini" -- "$PROBE" status
	assert_line 'CapEff:	0000000000000000'
	assert_line 'CapBnd:	0000000000000000'
}

@test "learning and the learned profile work for an unprivileged user" {
	SF_AS=user learn_and_replay "$W"
	run -159 --separate-stderr as_user "$SYSFENCE" -p "$W/learned.ini" -- "$WORKLOAD" mkdir "$W/d"
	assert_output "$WORKLOAD_OUTPUT"
	assert_not_exist "$W/d"
}

@test "clone flags become a rule that refuses the namespaces no call created" {
	run -3 --separate-stderr "$SYSFENCE" -q --learn="$W/learned.ini" -- "$WORKLOAD"
	run -0 grep -x 'deny = clone if arg0 & CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET' \
		"$W/learned.ini"
	run -0 grep -c '^# clone flags seen: .*CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD ([0-9]* calls\{0,1\})$' \
		"$W/learned.ini"
}

@test "calls through another ABI add it to architectures, and only that one" {
	require_int80
	run -0 --separate-stderr "$SYSFENCE" -q --learn="$T/i.ini" -- "$PROBE" int80-getpid
	assert_output OK
	run -0 grep -x 'architectures = native x86' "$T/i.ini"
	sf_probe OK -p "$T/i.ini" -- int80-getpid
	sf_probe KILLED -p "$T/i.ini" -- x32-getpid
}

@test "the summary says how many syscalls, which groups and which file" {
	run -3 --separate-stderr "$SYSFENCE" --learn="$W/learned.ini" -- "$WORKLOAD"
	assert_equal "${#stderr_lines[@]}" 2
	[[ "${stderr_lines[0]}" =~ ^sysfence:\ learned\ [0-9]+\ syscalls\ \([0-9]+\ calls\)\;\ groups\ used\ whole:\ none$ ]] ||
		fail "unexpected summary: ${stderr_lines[0]}"
	assert_equal "${stderr_lines[1]}" "sysfence: wrote $W/learned.ini"
	# Quiet: the profile is written, nothing is said.
	run -3 --separate-stderr "$SYSFENCE" -q --learn="$W/quiet.ini" -- "$WORKLOAD"
	assert_equal "$stderr" ''
	assert_file_exists "$W/quiet.ini"
}

@test "dangerous syscalls seen are named in the summary and the profile" {
	run -0 --separate-stderr "$SYSFENCE" --learn="$W/learned.ini" -- "$PROBE" ptrace-traceme
	assert_output OK
	assert_stderr_prefix 'sysfence: dangerous syscalls seen: ptrace (@debug)'
	run -0 grep -c '^# Dangerous syscalls seen (review them): .*ptrace (@debug)' "$W/learned.ini"
}

@test "the program's status is kept, death by a signal as 128+N, and its children are waited for" {
	run -143 --separate-stderr "$SYSFENCE" -q --learn="$W/a.ini" -- sh -c 'kill -TERM $$'
	assert_file_exists "$W/a.ini"
	# The background child outlives sh: learning goes on until it is gone.
	run -5 --separate-stderr "$SYSFENCE" -q --learn="$W/b.ini" -- sh -c '(echo background) & exit 5'
	assert_output background
}

@test "as root, --learn never writes through a symlink: 125, the program does not run, the target is unchanged" {
	require_root
	mkdir -m 0755 "$T/victim"
	echo precious >"$T/victim/file"
	as_user ln -s "$T/victim/file" "$W/learned.ini"
	run -125 --separate-stderr "$SYSFENCE" --learn="$W/learned.ini" -- "$PROBE" touch "$W/f"
	assert_equal "$stderr" "sysfence: cannot write \"$W/learned.ini\": it is a symbolic link, which root does not follow"
	assert_not_exist "$W/f"
	[ "$(cat "$T/victim/file")" = precious ]
}

@test "--learn checks FILE before the program runs" {
	run -125 --separate-stderr "$SYSFENCE" --learn=/nonexistent/x.ini -- "$PROBE" touch "$W/f"
	assert_equal "$stderr" 'sysfence: cannot write "/nonexistent/x.ini": No such file or directory'
	assert_not_exist "$W/f"
	run -125 --separate-stderr "$SYSFENCE" --learn="$W" -- "$PROBE" touch "$W/f"
	assert_equal "$stderr" "sysfence: cannot write \"$W\": it already exists (remove it, or name a file that does not exist)"
	assert_not_exist "$W/f"
}

@test "--learn never writes over an existing file, and follows no symlink there" {
	echo keep >"$W/old.ini"
	run -125 --separate-stderr "$SYSFENCE" --learn="$W/old.ini" -- "$PROBE" touch "$W/f"
	assert_equal "$stderr" "sysfence: cannot write \"$W/old.ini\": it already exists (remove it, or name a file that does not exist)"
	assert_not_exist "$W/f"
	assert_equal "$(cat "$W/old.ini")" keep
	ln -s "$W/target.ini" "$W/link.ini"
	# root says why it will not follow the link; a user, that it exists
	run -125 --separate-stderr "$SYSFENCE" --learn="$W/link.ini" -- "$PROBE" touch "$W/f"
	if [ "$EUID" -eq 0 ]; then
		assert_equal "$stderr" "sysfence: cannot write \"$W/link.ini\": it is a symbolic link, which root does not follow"
		run -125 --separate-stderr as_user "$SYSFENCE" --learn="$W/link.ini" -- "$PROBE" touch "$W/f"
	fi
	assert_equal "$stderr" "sysfence: cannot write \"$W/link.ini\": it already exists (remove it, or name a file that does not exist)"
	assert_not_exist "$W/target.ini"
	assert_not_exist "$W/f"
}

@test "--learn writes into a pipe the caller passed as /dev/stdout" {
	run -0 --separate-stderr bash -c '"$1" -q --learn=/dev/stdout -- "$2" pid | grep -c "^default-action = kill$"' _ \
		"$SYSFENCE" "$PROBE"
	assert_output 1
}

@test "--learn takes its file only as --learn=FILE" {
	run -125 --separate-stderr "$SYSFENCE" --learn -- "$PROBE" touch "$W/f"
	assert_equal "$stderr" 'sysfence: option "--learn" needs a file: write --learn=FILE'
	run -125 --separate-stderr "$SYSFENCE" --learn "$T/x.ini" "$PROBE" touch "$W/f"
	assert_equal "$stderr" "sysfence: option \"--learn\" takes its value after \"=\": write --learn=$T/x.ini, not --learn $T/x.ini"
	run -125 --separate-stderr "$SYSFENCE" --learn=-- "$PROBE" touch "$W/f"
	assert_equal "$stderr" 'sysfence: option "--learn" needs a file name, not "--": write --learn=FILE -- PROGRAM'
	assert_not_exist "$W/f"
	assert_not_exist "$T/x.ini"
	assert_not_exist ./--
}

@test "--learn with --profile applies its other sections and replaces its seccomp rules" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -q -p "$F/caps-drop-all.ini" --learn="$W/caps.ini" -- "$PROBE" status
	assert_line 'CapEff:	0000000000000000'
	assert_line 'NoNewPrivs:	1'
	run -0 grep -c '^# under the profile .*caps-drop-all.ini, whose other sections applied' "$W/caps.ini"
	# deny = mkdir is not in force while learning: the call is seen.
	run -0 --separate-stderr "$SYSFENCE" -q -p "$F/deny-mkdir.ini" --learn="$W/mk.ini" -- "$PROBE" mkdir "$W/d"
	assert_output OK
	run -0 grep -c '^allow = mkdir  ' "$W/mk.ini"
}

@test "--learn refuses other modes, --report and seccomp options" {
	run -125 --separate-stderr "$SYSFENCE" --learn="$W/x.ini" --check -- true
	assert_equal "$stderr" 'sysfence: option "--learn" cannot be combined with another mode option'
	run -125 --separate-stderr "$SYSFENCE" --explain --learn="$W/x.ini" -- true
	assert_equal "$stderr" 'sysfence: option "--learn" cannot be combined with another mode option'
	run -125 --separate-stderr "$SYSFENCE" --learn="$W/x.ini" --report -- true
	assert_equal "$stderr" 'sysfence: options "--learn" and "--report" cannot be combined'
	run -125 --separate-stderr "$SYSFENCE" --learn="$W/x.ini" --deny=mkdir -- true
	assert_equal "$stderr" 'sysfence: option "--learn" replaces the seccomp rules: it cannot be combined with --allow, --deny, --kill or --default-action'
	run -125 --separate-stderr "$SYSFENCE" --learn= -- true
	assert_equal "$stderr" 'sysfence: option "--learn" needs a non-empty value'
	assert_not_exist "$W/x.ini"
}
