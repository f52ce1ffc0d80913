#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# [filesystem] with Landlock (launch step 4, launch.h): what the kernel lets the
# program reach, as root and as a user, and the errors of step 1.

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
	# $W/ro readable, $W/rw writable, $W/out not listed; all world-usable
	# so that the test user meets only Landlock, not file modes.
	mkdir -m 0755 "$W/ro" "$W/out"
	mkdir -m 0777 "$W/rw"
	chmod 0777 "$W/rw"
	echo data >"$W/ro/file"
	echo data >"$W/out/file"
	chmod 0644 "$W/ro/file" "$W/out/file"
	export SF_RO="$W/ro" SF_RW="$W/rw" SF_BIN="$SF_TMP/bin"
}

# landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)
require_landlock() {
	[ "$("$PROBE" raw landlock_create_ruleset 0 0 1)" = OK ] || skip "the kernel offers no Landlock"
}

reads_and_writes() {
	sf_probe OK -p "$C/fs.ini" -- open "$W/ro/file"
	sf_probe EACCES -p "$C/fs.ini" -- open "$W/out/file"
	sf_probe EACCES -p "$C/fs.ini" -- touch "$W/ro/new"
	sf_probe EACCES -p "$C/fs.ini" -- mkdir "$W/ro/dir"
	sf_probe OK -p "$C/fs.ini" -- touch "$W/rw/new"
	sf_probe OK -p "$C/fs.ini" -- mkdir "$W/rw/dir"
	assert_file_not_exists "$W/ro/new"
	assert_file_exists "$W/rw/new"
}

@test "reading outside read-only trees fails with EACCES, writing only in read-write ones" {
	require_landlock
	reads_and_writes
}

@test "as a user, reading outside read-only trees fails with EACCES, writing only in read-write ones" {
	require_root
	require_landlock
	SF_AS=user reads_and_writes
}

runs_only_from_execute() {
	cp "$PROBE" "$W/rw/probe2"
	chmod 0755 "$W/rw/probe2"
	run -0 --separate-stderr "$@" "$SYSFENCE" -p "$C/fs.ini" -- /bin/sh -c '"$0" exit 0 && echo ran' "$PROBE"
	assert_output ran
	run -126 --separate-stderr "$@" "$SYSFENCE" -p "$C/fs.ini" -- /bin/sh -c 'exec "$0" exit 0' "$W/rw/probe2"
	assert_stderr_contains "Permission denied"
}

@test "executing outside execute fails" {
	require_landlock
	runs_only_from_execute
}

@test "as a user, executing outside execute fails" {
	require_root
	require_landlock
	runs_only_from_execute as_user
}

@test "a program under no execute path is an error of step 1" {
	require_landlock
	run -125 --separate-stderr "$SYSFENCE" -p "$C/fs-no-exec.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/fs-no-exec.ini:3: \"$PROBE\" is under no execute path, so it could not start (add its directory to execute)" ]
	assert_file_not_exists "$W/ran"
}

@test "a missing path fails with 125 at its line; a path written -PATH may be missing" {
	run -125 --separate-stderr "$SYSFENCE" -p "$C/fs-missing.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/fs-missing.ini:3: cannot open \"/nonexistent-sysfence\" for read-only: No such file or directory" ]
	run -1 --separate-stderr "$SYSFENCE" --check -p "$C/fs-missing.ini"
	[ "$stderr" = "sysfence: $C/fs-missing.ini:3: cannot open \"/nonexistent-sysfence\" for read-only: No such file or directory" ]
	assert_file_not_exists "$W/ran"
	require_landlock
	sf_probe OK -p "$C/fs-optional.ini" -- open "$W/ro/file"
	sf_probe EACCES -p "$C/fs-optional.ini" -- open "$W/out/file"
}

@test "an unset \${VAR} in a path fails with 125" {
	run -125 --separate-stderr "$SYSFENCE" -p "$C/fs-unset.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/fs-unset.ini:3: environment variable \"SF_NOT_SET\" is not set (in \"\${SF_NOT_SET}/data\")" ]
	assert_file_not_exists "$W/ran"
}

# The outer sysfence's filter makes landlock_create_ruleset fail with
# ENOSYS, as on a kernel built without Landlock, for the inner one.
@test "landlock = required fails closed on a kernel without Landlock" {
	run -125 --separate-stderr "$SYSFENCE" -p "$C/no-landlock.ini" -- \
		"$SYSFENCE" -p "$C/fs.ini" -- "$PROBE" touch "$W/rw/ran"
	[ "$stderr" = "sysfence: $C/fs.ini:3: the kernel offers no Landlock, so [filesystem] rules cannot be enforced (landlock = best-effort runs without them)" ]
	assert_file_not_exists "$W/rw/ran"
}

@test "landlock = best-effort warns and runs on a kernel without Landlock" {
	run -0 --separate-stderr "$SYSFENCE" -p "$C/no-landlock.ini" -- \
		"$SYSFENCE" -p "$C/fs-best-effort.ini" -- "$PROBE" open "$W/out/file"
	[ "$stderr" = "sysfence: warning: $C/fs-best-effort.ini:5: the kernel offers no Landlock: [filesystem] rules are not enforced" ]
	assert_output OK
}

@test "--explain shows the filesystem rules with their lines" {
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$C/fs.ini" -- true
	assert_line --regexp "^read-only = \\\$\\{SF_RO\\} +; $C/fs.ini:3\$"
	assert_line --regexp "^read-write = \\\$\\{SF_RW\\} +; $C/fs.ini:4\$"
	assert_line --regexp "^landlock = required +; default\$"
}
