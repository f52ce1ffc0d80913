#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# [limits]: the kernel's view (/proc/self/limits) and the errors of sysfence.profile(5).

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

limits_shown() {
	assert_line --regexp '^Max open files +64 +128 +files'
	assert_line --regexp '^Max core file size +0 +0 +bytes'
	assert_line --regexp '^Max file size +1048576 +2097152 +bytes'
	assert_line --regexp '^Max cpu time +30 +60 +seconds'
	assert_line --regexp '^Max stack size +4194304 +4194304 +bytes'
}

@test "/proc/self/limits shows the profile's limits" {
	run -0 --separate-stderr "$SYSFENCE" -p "$C/limits.ini" -- cat /proc/self/limits
	limits_shown
}

@test "as a user, /proc/self/limits shows the profile's limits" {
	require_root
	run -0 --separate-stderr as_user "$SYSFENCE" -p "$C/limits.ini" -- cat /proc/self/limits
	limits_shown
}

# Whether this shell holds CAP_SYS_RESOURCE (24) in its effective set.
have_sys_resource() {
	local eff
	eff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
	(( (16#$eff >> 24) & 1 ))
}

@test "with CAP_SYS_RESOURCE, a hard limit may be raised" {
	require_root
	have_sys_resource || skip "no CAP_SYS_RESOURCE here (a container?)"
	run -0 --separate-stderr bash -c 'ulimit -n 256 && exec "$0" -p "$1" -- cat /proc/self/limits' \
		"$SYSFENCE" "$C/limits-raise.ini"
	assert_line --regexp '^Max open files +64 +512 +files'
}

@test "as a user, raising a hard limit fails with 125 before anything runs" {
	require_root
	run -125 --separate-stderr as_user bash -c 'ulimit -n 256 && exec "$0" -p "$1" -- "$2" touch "$3"' \
		"$SYSFENCE" "$C/limits-raise.ini" "$PROBE" "$W/ran"
	[ "$stderr" = "sysfence: $C/limits-raise.ini:2: raising the hard nofile limit from 256 to 512 needs CAP_SYS_RESOURCE" ]
	assert_file_not_exists "$W/ran"
}

@test "bad limit values name the file and line" {
	local -a cases=(
		"bad-limit-order.ini|soft limit is above the hard limit in \"2048:1024\" for nofile"
		"bad-limit-junk.ini|invalid limit \"8Q\" for stack (expected a number with an optional K, M or G suffix, \"unlimited\", or SOFT:HARD)"
		"bad-limit-overflow.ini|limit \"17179869184G\" is too large for as"
		"bad-limit-suffix.ini|size suffixes are for byte limits; cpu counts seconds, found \"1K\""
	)
	local c file msg
	for c in "${cases[@]}"; do
		file=${c%%|*}
		msg=${c#*|}
		run -125 --separate-stderr "$SYSFENCE" -p "$C/$file" -- "$PROBE" touch "$W/ran"
		[ "$stderr" = "sysfence: $C/$file:2: $msg" ]
		run -1 --separate-stderr "$SYSFENCE" --check -p "$C/$file"
		[ "$stderr" = "sysfence: $C/$file:2: $msg" ]
	done
	assert_file_not_exists "$W/ran"
}

@test "nofile above fs.nr_open is refused in step 1" {
	run -125 --separate-stderr "$SYSFENCE" -p "$C/bad-limit-nr-open.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/bad-limit-nr-open.ini:2: nofile limit 2147483647 is above the kernel's maximum (fs.nr_open = $(cat /proc/sys/fs/nr_open))" ]
	assert_file_not_exists "$W/ran"
}
