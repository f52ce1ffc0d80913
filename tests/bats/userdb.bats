#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# user = and group = are resolved in step 1 by running the system's getent
# (src/apply/userdb.h): the ids and groups the kernel gives the program, unknown
# names, how getent is run, and how its failures are reported. Tests that
# need a misbehaving getent bind-mount a script over it in a private mount
# namespace: the system's getent stays untouched for every other process.

bats_require_minimum_version 1.5.0
load helpers

# A second test user in two supplementary groups. sysfence-test itself
# keeps no supplementary group: status.bats checks that a user switch
# leaves it none, and may run at the same time as this file.
GROUPS_USER=sysfence-test2
EXTRA_GROUP=sysfence-test-g
EXTRA_GROUP2=sysfence-test-g2

# Remove the second user and the extra groups (root only), as at the end
# of a previous run that could not clean up.
remove_groups_user() {
	flock /run/lock/sysfence-test-user.lock sh -c "
		! getent passwd $GROUPS_USER >/dev/null || userdel $GROUPS_USER
		! getent group $GROUPS_USER >/dev/null || groupdel $GROUPS_USER
		! getent group $EXTRA_GROUP >/dev/null || groupdel $EXTRA_GROUP
		! getent group $EXTRA_GROUP2 >/dev/null || groupdel $EXTRA_GROUP2"
}

setup_file() {
	sf_setup_file
	GETENT=$(sed -n 's/^SYSFENCE_GETENT_PROGRAM:FILEPATH=\(\/.*\)$/\1/p' "${BUILD:-/nonexistent}/CMakeCache.txt" 2>/dev/null)
	export GETENT=${GETENT:-/usr/bin/getent}
	[ "$EUID" -eq 0 ] || return 0
	remove_groups_user
	flock /run/lock/sysfence-test-user.lock sh -c "
		useradd --system --no-create-home --user-group --home-dir /nonexistent --shell /usr/sbin/nologin $GROUPS_USER &&
		groupadd --system $EXTRA_GROUP && groupadd --system $EXTRA_GROUP2 &&
		usermod -a -G $EXTRA_GROUP,$EXTRA_GROUP2 $GROUPS_USER"
}

teardown_file() {
	[ "$EUID" -ne 0 ] || remove_groups_user
	sf_teardown_file
}

setup() {
	sf_setup
}

# The Uid:, Gid: and Groups: lines of $output (probe status), each with
# its numbers sorted and separated by single spaces.
status_ids() {
	local key=$1
	printf '%s\n' "${lines[@]}" | sed -n "s/^$key:\t//p" | tr -s ' \t' '\n' | sed '/^$/d' | sort -n | paste -sd' '
}

sorted() {
	tr -s ' \t' '\n' | sed '/^$/d' | sort -n | paste -sd' '
}

@test "as root, user = gives the program the user's ids and exactly the groups id -G lists" {
	require_root
	local u uid gid
	for u in "$TEST_USER" "$GROUPS_USER"; do
		printf '[capabilities]\nuser = %s\n[seccomp]\ndefault-action = allow\n' "$u" >"$T/p.ini"
		chmod 0644 "$T/p.ini"
		uid=$(id -u "$u")
		gid=$(id -g "$u")
		run -0 --separate-stderr "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" status
		assert_equal "$(status_ids Uid)" "$uid $uid $uid $uid"
		assert_equal "$(status_ids Gid)" "$gid $gid $gid $gid"
		assert_equal "$(status_ids Groups)" "$(id -G "$u" | sorted)"
	done
	# The second user really is in its two extra groups.
	[ "$(id -G "$GROUPS_USER" | wc -w)" -eq 3 ]
}

@test "as root, group = alone sets the gid and makes it the only group" {
	require_root
	local g
	g=$(getent group "$EXTRA_GROUP" | cut -d: -f3)
	printf '[capabilities]\ngroup = %s\n[seccomp]\ndefault-action = allow\n' "$EXTRA_GROUP" >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	run -0 --separate-stderr "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" status
	assert_equal "$(status_ids Uid)" "0 0 0 0"
	assert_equal "$(status_ids Gid)" "$g $g $g $g"
	assert_equal "$(status_ids Groups)" "$g"
}

# getgrouplist(user, gid): the chosen gid, then the groups that list the
# user, each once; the primary group of the passwd entry is not added.
@test "as root, user = with group = has that gid and the user's other groups, each once" {
	require_root
	local uid g g2
	uid=$(id -u "$GROUPS_USER")
	g=$(getent group "$EXTRA_GROUP" | cut -d: -f3)
	g2=$(getent group "$EXTRA_GROUP2" | cut -d: -f3)
	printf '[capabilities]\nuser = %s\ngroup = %s\n[seccomp]\ndefault-action = allow\n' "$GROUPS_USER" "$EXTRA_GROUP" >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	run -0 --separate-stderr "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" status
	assert_equal "$(status_ids Uid)" "$uid $uid $uid $uid"
	assert_equal "$(status_ids Gid)" "$g $g $g $g"
	assert_equal "$(status_ids Groups)" "$(echo "$g $g2" | sorted)"
}

@test "an unknown user or group: 125, FILE:LINE, and the program never runs" {
	require_root
	local key name
	for key in user group; do
		for name in sysfence-no-such-name 0 --help -x; do
			# An all-digit name is not an id (lookups are by name), and a
			# name starting with "-" is not a getent option.
			printf '[capabilities]\n%s = %s\n[seccomp]\ndefault-action = allow\n' "$key" "$name" >"$T/p.ini"
			chmod 0644 "$T/p.ini"
			run -125 --separate-stderr "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" touch "$W/marker"
			assert_equal "$stderr" "sysfence: $T/p.ini:2: unknown $key \"$name\""
			assert_file_not_exists "$W/marker"
		done
	done
}

@test "--check resolves the names too, with or without root" {
	printf '[capabilities]\nuser = %s\n[seccomp]\ndefault-action = allow\n' "$TEST_USER" >"$T/ok.ini"
	printf '[capabilities]\nuser = sysfence-no-such-name\n[seccomp]\ndefault-action = allow\n' >"$T/bad.ini"
	chmod 0644 "$T/ok.ini" "$T/bad.ini"
	getent passwd "$TEST_USER" >/dev/null || skip "no $TEST_USER user"
	run -0 --separate-stderr "$SYSFENCE" --check -p "$T/ok.ini"
	run -1 --separate-stderr as_user "$SYSFENCE" --check -p "$T/bad.ini"
	assert_stderr_prefix "sysfence: $T/bad.ini:2: unknown user \"sysfence-no-such-name\""
}

@test "a run without user = or group = runs no getent" {
	command -v strace >/dev/null || skip "strace is not installed"
	run -0 strace -f -qq -o "$W/trace" -e trace=execve "$SYSFENCE" -p default -- "$PROBE" raw getppid
	assert_output OK
	run ! grep getent "$W/trace"
	run -0 grep -c execve "$W/trace"
	assert_output 2	# sysfence, then the probe
}

@test "as root, the launcher itself reads no user database: getent, its child, does" {
	require_root
	command -v strace >/dev/null || skip "strace is not installed"
	local pid
	printf '[capabilities]\nuser = %s\n[seccomp]\ndefault-action = allow\n' "$TEST_USER" >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	run -0 strace -f -qq -o "$W/trace" -e trace=execve,open,openat "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" raw getppid
	assert_output OK
	pid=$(head -n 1 "$W/trace" | cut -d' ' -f1)
	run ! grep -E "^$pid .*(nsswitch|/etc/passwd|/etc/group|libnss)" "$W/trace"
	run -0 grep -E "^[0-9]+ +execve\(\"$GETENT\", \[\"getent\", \"passwd\", \"--\", \"$TEST_USER\"\]" "$W/trace"
	run -0 grep -E '^[0-9]+ .*/etc/passwd' "$W/trace"
}

# With SIGCHLD ignored the kernel would reap getent itself and waitpid
# could not tell its status; the launcher restores the disposition, which
# the program inherits.
@test "as root, a launcher started with SIGCHLD ignored still looks names up, and the program inherits that" {
	require_root
	local want
	printf '[capabilities]\nuser = %s\n[seccomp]\ndefault-action = allow\n' "$TEST_USER" >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	run -0 env --ignore-signal=CHLD grep SigIgn /proc/self/status
	want=$output
	[[ "$want" == "SigIgn:${TAB}"* ]]
	run -0 --separate-stderr env --ignore-signal=CHLD "$SYSFENCE" -p "$T/p.ini" -- grep SigIgn /proc/self/status
	assert_output "$want"
}

# Run a command as root in a private mount namespace where $GETENT is the
# script $1 (bind-mounted over it).
with_getent() {
	local script=$1
	shift
	unshare --mount --propagation private -- sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' \
		"$script" "$GETENT" "$@"
}

require_mount_namespace() {
	require_root
	unshare --mount --propagation private true 2>/dev/null || skip "cannot make a mount namespace"
	cp "$GETENT" "$T/getent.real"
	chmod 0755 "$T/getent.real"
}

# fake_getent NAME BODY: a root-owned 0755 shell script $T/NAME.
fake_getent() {
	printf '#!/bin/sh\n%s\n' "$2" >"$T/$1"
	chmod 0755 "$T/$1"
}

@test "getent gets /dev/null, a pipe and /dev/null, no other descriptor, a fixed environment and -- before the name" {
	require_mount_namespace
	# /proc/$$ is the script itself, as sysfence started it: the subshell
	# redirects its own output, not the script's.
	fake_getent spy "(find /proc/\$\$/fd -mindepth 1 -printf '%f %l\\n' >>'$W/fds')
tr '\\0' '\\n' </proc/\$\$/environ >'$W/env.'\"\$1\"
printf '%s\\n' \"\$@\" >>'$W/argv'
exec '$T/getent.real' \"\$@\""
	printf '[capabilities]\nuser = %s\n[seccomp]\ndefault-action = allow\n' "$TEST_USER" >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	# Descriptors sysfence inherits without close-on-exec must not reach getent.
	run -0 --separate-stderr with_getent "$T/spy" bash -c 'exec 5</dev/null 7>/dev/null; exec "$@"' bash \
		"$SYSFENCE" -p "$T/p.ini" -- "$PROBE" uid
	assert_output --regexp "^uid=$(id -u "$TEST_USER") "
	# Two runs (passwd, initgroups); each had 0, 1, 2 and the script,
	# which sh opened by the name getent was run as.
	run -0 sort -n "$W/fds"
	assert_equal "${#lines[@]}" 8
	assert_equal "$(grep -c '^0 /dev/null$' "$W/fds")" 2
	assert_equal "$(grep -c '^1 pipe:\[[0-9]*\]$' "$W/fds")" 2
	assert_equal "$(grep -c '^2 /dev/null$' "$W/fds")" 2
	assert_equal "$(grep -c "^[0-9]* $GETENT\$" "$W/fds")" 2
	run -0 sort "$W/env.passwd"
	assert_output "LC_ALL=C
PATH=/usr/bin:/bin"
	run -0 sort "$W/env.initgroups"
	assert_output "LC_ALL=C
PATH=/usr/bin:/bin"
	run -0 cat "$W/argv"
	assert_output "passwd
--
$TEST_USER
initgroups
--
$TEST_USER"
}

@test "as root, a getent not owned by root, or writable by group or others, is refused before it runs" {
	require_mount_namespace
	fake_getent touching "touch '$W/ran'; exec '$T/getent.real' \"\$@\""
	printf '[capabilities]\nuser = %s\n[seccomp]\ndefault-action = allow\n' "$TEST_USER" >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	run -0 --separate-stderr with_getent "$T/touching" "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" pid
	assert_file_exists "$W/ran"
	rm "$W/ran"

	chown 65534 "$T/touching"
	run -125 --separate-stderr with_getent "$T/touching" "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" touch "$W/marker"
	assert_equal "$stderr" "sysfence: $T/p.ini:2: refusing \"$GETENT\": not owned by root"
	chown 0 "$T/touching"
	local mode
	for mode in 0775 0757; do
		chmod "$mode" "$T/touching"
		run -125 --separate-stderr with_getent "$T/touching" "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" touch "$W/marker"
		assert_equal "$stderr" "sysfence: $T/p.ini:2: refusing \"$GETENT\": writable by group or others"
	done
	assert_file_not_exists "$W/ran"
	assert_file_not_exists "$W/marker"
}

# getent_fails KEY BODY WANT [MODE]: with getent replaced by the script
# BODY (mode 0755 unless given), a profile with "KEY = " the test user or
# the extra group ends sysfence with 125 and the message WANT at line 2,
# and the program never runs.
getent_fails() {
	local key=$1 body=$2 want=$3 mode=${4:-0755} name=$TEST_USER
	[ "$key" = user ] || name=$EXTRA_GROUP
	fake_getent bad "$body"
	chmod "$mode" "$T/bad"
	printf '[capabilities]\n%s = %s\n[seccomp]\ndefault-action = allow\n' "$key" "$name" >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	run -125 --separate-stderr with_getent "$T/bad" "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" touch "$W/marker"
	assert_equal "$stderr" "sysfence: $T/p.ini:2: $want"
	assert_file_not_exists "$W/marker"
}

@test "a getent that fails, dies, cannot run or prints garbage: 125 with the profile line, and the program never runs" {
	require_mount_namespace
	local u="user \"$TEST_USER\"" g="group \"$EXTRA_GROUP\"" gu="the groups of user \"$TEST_USER\""
	local real="exec '$T/getent.real' \"\$@\""
	getent_fails user 'exit 3' "cannot look up $u: \"$GETENT\" exited with status 3"
	getent_fails user 'exit 1' "cannot look up $u: \"$GETENT\" exited with status 1"
	getent_fails group 'exit 3' "cannot look up $g: \"$GETENT\" exited with status 3"
	getent_fails user 'kill -KILL $$' "cannot look up $u: \"$GETENT\" was killed by signal 9"
	getent_fails user 'exec yes' "cannot look up $u: \"$GETENT\" printed more than 1 MiB"
	# Malformed: a field missing, a negative id, no newline, two lines, (gid_t)-1.
	getent_fails user "echo '$TEST_USER:x:1:2'" "cannot look up $u: unexpected output from \"$GETENT\""
	getent_fails user "echo '$TEST_USER:x:-1:2:::'" "cannot look up $u: unexpected output from \"$GETENT\""
	getent_fails user "printf '$TEST_USER:x:1:2:::'" "cannot look up $u: unexpected output from \"$GETENT\""
	getent_fails user "printf '$TEST_USER:x:1:2:::\\n$TEST_USER:x:1:2:::\\n'" \
		"cannot look up $u: unexpected output from \"$GETENT\""
	getent_fails group "echo '$EXTRA_GROUP:x:4294967295:'" "cannot look up $g: unexpected output from \"$GETENT\""
	# The user is found; the supplementary groups are not.
	getent_fails user "[ \"\$1\" = initgroups ] && exit 1; $real" \
		"cannot look up $gu: \"$GETENT\" exited with status 1"
	getent_fails user "[ \"\$1\" != initgroups ] || { echo 'someone-else 1'; exit 0; }; $real" \
		"cannot look up $gu: unexpected output from \"$GETENT\""
	# Not executable: posix_spawn reports exec's error.
	getent_fails group 'exit 0' "cannot look up $g: cannot run \"$GETENT\": Permission denied" 0644
}
