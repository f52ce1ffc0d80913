#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 8, the launch path: a run does only what running needs (no user
# database, no directory listing), and -v / --check -v show the filter's
# per-syscall cost. Timings are benchmarks (bench/run), never tests.

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
}

# The files and directory listings a run of the default profile makes,
# one syscall per line, as strace prints them into $W/trace.$1.
trace_run() {
	strace -f -qq -o "$W/trace.$1" -e trace=open,openat,openat2,getdents64,getdents \
		"$SYSFENCE" -p default -- "$PROBE" raw getppid
}

@test "--check -v prints the filter's instructions and longest path" {
	run -0 --separate-stderr "$SYSFENCE" --check -v -p default
	assert_output "$SF_TMP/profiles/default.ini: ok"
	[[ "$stderr" =~ (^|$'\n')"sysfence: seccomp filter: "[0-9]+" syscalls named, "([0-9]+)" BPF instructions, longest path "([0-9]+)($'\n'|$) ]] ||
		fail "no filter line in: $stderr"
	# The figures of issue 8: at most 24 instructions on any path.
	[ "${BASH_REMATCH[3]}" -le 24 ] || fail "longest path ${BASH_REMATCH[3]}"
	[ "${BASH_REMATCH[2]}" -gt 0 ]
}

@test "--explain ends with the filter's instructions and longest path" {
	run -0 --separate-stderr "$SYSFENCE" --explain -p default
	assert_line --regexp '^# filter: [0-9]+ BPF instructions, longest path [0-9]+$'
}

@test "a run without user = looks up no user database and lists no directory" {
	command -v strace >/dev/null || skip "strace is not installed"
	local who
	for who in self user; do
		if [ "$who" = user ]; then
			run -0 as_user bash -c "$(declare -f trace_run); W=$W SYSFENCE=$SYSFENCE PROBE=$PROBE trace_run user"
		else
			run -0 trace_run self
		fi
		assert_output OK
		run ! grep -E 'nsswitch|/etc/passwd|/etc/group|getdents' "$W/trace.$who"
		# The trace did record the run: the profiles were opened.
		run -0 grep -c 'default.ini' "$W/trace.$who"
	done
}

@test "a run from a precompiled policy looks up no user database, lists no directory, and reads the profiles only to compare them" {
	command -v strace >/dev/null || skip "strace is not installed"
	require_root
	run -0 "$SYSFENCE" --precompile -q -p default
	run -0 trace_run pre
	assert_output OK
	run ! grep -E 'nsswitch|/etc/passwd|/etc/group|getdents' "$W/trace.pre"
	# The entry, then each profile file once.
	run -0 grep -c '\.policy"' "$W/trace.pre"
	assert_output 1
	run -0 grep -c 'default.ini"' "$W/trace.pre"
	assert_output 1
	run -0 grep -c 'groups.ini"' "$W/trace.pre"
	assert_output 1
}

@test "a run with user = looks the user up" {
	command -v strace >/dev/null || skip "strace is not installed"
	require_root
	printf '[capabilities]\nuser = %s\n[seccomp]\ndefault-action = allow\n' "$TEST_USER" >"$T/user.ini"
	run -0 strace -f -qq -o "$W/trace" -e trace=open,openat "$SYSFENCE" -p "$T/user.ini" -- "$PROBE" raw getppid
	assert_output OK
	run -0 grep -E 'nsswitch|/etc/passwd' "$W/trace"
}
