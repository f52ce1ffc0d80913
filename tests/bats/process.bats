#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# [process]: environment, umask, working directory, descriptors, session
# and parent-death signal, as the program sees them (launch step 2, launch.h).

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	sf_setup_file
}

teardown_file() {
	sf_teardown_file
}

setup() {
	sf_setup
	C="$F/confine"
}

# Run "$@" as root, or as the test user when $1 is "user".
as() {
	local who=$1
	shift
	if [ "$who" = user ]; then
		as_user "$@"
	else
		"$@"
	fi
}

env_is_exactly_the_profile() {
	run -0 --separate-stderr as "$1" env -i PATH=/usr/bin:/bin HOME=/h LC_ALL=C SECRET=x \
		"$SYSFENCE" -p "$C/env.ini" -- /usr/bin/env
	assert_output "PATH=/usr/bin:/bin
LC_ALL=C
GREETING=hello world
CACHE=/h/.cache"
}

@test "env-clear, env-keep and env-set give exactly the profile's environment" {
	env_is_exactly_the_profile root
}

@test "as a user, the environment is exactly the profile's" {
	require_root
	env_is_exactly_the_profile user
}

@test "an unset \${VAR} in env-set stops before anything runs" {
	run -125 --separate-stderr env -i PATH=/usr/bin:/bin "$SYSFENCE" -p "$C/env.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/env.ini:6: environment variable \"HOME\" is not set (in \"\${HOME}/.cache\")" ]
	assert_file_not_exists "$W/ran"
}

@test "umask is set" {
	run -0 --separate-stderr "$SYSFENCE" -p "$C/umask.ini" -- /bin/sh -c umask
	assert_output 0027
}

@test "chdir enters the directory, \${VAR} expanded; a relative program still runs" {
	run -0 --separate-stderr env SF_DIR="$W" "$SYSFENCE" -p "$C/chdir.ini" -- /bin/sh -c pwd
	assert_output "$W"
	cd "$SF_TMP"
	run -0 --separate-stderr env SF_DIR="$W" "$SYSFENCE" -p "$C/chdir.ini" -- "bin/$(basename "$PROBE")" touch here
	assert_file_exists "$W/here"
}

@test "a missing chdir directory fails with 125 before anything runs" {
	run -125 --separate-stderr "$SYSFENCE" -p "$C/chdir-missing.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/chdir-missing.ini:2: cannot use \"/nonexistent-sysfence-dir\" as working directory: No such file or directory" ]
	assert_file_not_exists "$W/ran"
}

@test "close-fds closes descriptors above 2" {
	# ls lists its own directory descriptor too: the lowest free one, 3.
	run -0 --separate-stderr bash -c 'exec 5</dev/null 7</dev/null; exec "$0" -p "$1" -- /bin/ls /proc/self/fd' \
		"$SYSFENCE" "$C/close-fds.ini" 3>&-
	assert_output "0
1
2
3"
	# Without it, they are inherited.
	run -0 --separate-stderr bash -c 'exec 5</dev/null 7</dev/null; exec "$0" -p "$1" -- /bin/ls /proc/self/fd' \
		"$SYSFENCE" "$C/umask.ini" 3>&-
	assert_line 5
	assert_line 7
}

@test "close-fds keeps the LISTEN_FDS range when LISTEN_PID is ours, and the variables" {
	run -0 --separate-stderr bash -c 'exec 3</dev/null 4</dev/zero 5</dev/null; export LISTEN_PID=$$ LISTEN_FDS=2
		exec "$0" -p "$1" -- /bin/sh -c "readlink /proc/\$\$/fd/3 /proc/\$\$/fd/4 /proc/\$\$/fd/5 || :; echo \$LISTEN_FDS \$((LISTEN_PID == \$\$))"' \
		"$SYSFENCE" "$C/close-fds.ini" 3>&-
	assert_output "/dev/null
/dev/zero
2 1"
}

@test "close-fds closes the LISTEN_FDS range when LISTEN_PID is another process" {
	run -0 --separate-stderr bash -c 'exec 3</dev/null 4</dev/zero; export LISTEN_PID=1 LISTEN_FDS=2
		exec "$0" -p "$1" -- /bin/ls /proc/self/fd' "$SYSFENCE" "$C/close-fds.ini" 3>&-
	assert_output "0
1
2
3"
}

@test "close-fds under systemd-socket-activate keeps the listening socket" {
	command -v systemd-socket-activate >/dev/null || skip "systemd-socket-activate is not installed"
	command -v python3 >/dev/null || skip "python3 is not installed"
	local rfd pid line
	mkfifo "$W/ready"
	exec {rfd}<>"$W/ready"
	systemd-socket-activate -l "$W/sock" -- "$SYSFENCE" -p "$C/close-fds.ini" -- \
		/bin/sh -c 'ls -l /proc/$$/fd/3; echo "$LISTEN_FDS $((LISTEN_PID == $$))"' \
		>"$W/out" 2>"$W/ready" 3>&- 5</dev/null &
	pid=$!
	read -r -t 20 -u "$rfd" line	# "Listening on ... as 3." once the socket exists
	[[ "$line" == Listening* ]]
	# The first connection starts the program (execs in place).
	python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.close()' "$W/sock"
	wait "$pid"
	exec {rfd}>&-
	run cat "$W/out"
	assert_line --index 0 --regexp '/proc/[0-9]+/fd/3 -> socket:\[[0-9]+\]$'
	assert_line --index 1 "1 1"
}

session_of() {
	# Field 6 of /proc/PID/stat is the session id; field 1 the pid.
	awk '{ print $1 " " $6 }' "/proc/$1/stat"
}

@test "new-session makes the program lead a new session" {
	run -0 --separate-stderr "$SYSFENCE" -p "$C/new-session.ini" -- awk '{ print ($1 == $6) ? "leader" : "member" }' /proc/self/stat
	assert_output leader
	run -0 --separate-stderr "$SYSFENCE" -p "$C/umask.ini" -- awk '{ print ($1 == $6) ? "leader" : "member" }' /proc/self/stat
	assert_output member
}

@test "as a user, new-session makes the program lead a new session" {
	require_root
	run -0 --separate-stderr as_user "$SYSFENCE" -p "$C/new-session.ini" -- awk '{ print ($1 == $6) ? "leader" : "member" }' /proc/self/stat
	assert_output leader
}

# Start a parent shell that runs the sandboxed program in the background
# and waits; the program reports its pid through a fifo once it runs (so
# sysfence's setup is over). Kill the parent, reap it, then wait up to
# LIMIT seconds for the program to go. Prints "died" or "survived".
parent_dies() {
	local who=$1 profile=$2 limit=$3 rfd ppid child
	local script='"$0" -p "$1" -- /bin/sh -c "echo \$\$ >\"$2\"; exec sleep 600" & wait'
	mkfifo "$W/pid"
	chmod 0666 "$W/pid"
	exec {rfd}<>"$W/pid"
	(
		[ "$who" = user ] && exec setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups -- \
			bash -c "$script" "$SYSFENCE" "$profile" "$W/pid"
		exec bash -c "$script" "$SYSFENCE" "$profile" "$W/pid"
	) 2>/dev/null 3>&- &
	ppid=$!
	read -r -t 20 -u "$rfd" child
	exec {rfd}>&-
	kill -KILL "$ppid"
	wait "$ppid" || :
	# The kernel sends the parent-death signal while the parent exits.
	if timeout "$limit" tail -s 0.05 --pid="$child" -f /dev/null; then
		echo died
	else
		echo survived
		kill -KILL "$child"
	fi
}

@test "die-with-parent: the program dies when its parent dies" {
	run -0 parent_dies root "$C/die-with-parent.ini" 10
	assert_output died
}

@test "without die-with-parent the program outlives its parent" {
	run -0 parent_dies root "$C/umask.ini" 1
	assert_output survived
}

@test "as a user, die-with-parent: the program dies when its parent dies" {
	require_root
	run -0 parent_dies user "$C/die-with-parent.ini" 10
	assert_output died
}

@test "die-with-parent survives the switch to another user" {
	require_root
	run -0 parent_dies root "$C/die-with-parent-user.ini" 10
	assert_output died
}
