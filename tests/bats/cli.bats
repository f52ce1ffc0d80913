#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The command line (sysfence(1)): options, modes that run nothing, and where
# the options end and the program begins.

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

# Assert that one line of $output contains every one of the given texts.
assert_line_has() {
	local l t ok
	for l in "${lines[@]}"; do
		ok=1
		for t in "$@"; do
			[[ "$l" == *"$t"* ]] || ok=
		done
		[ -n "$ok" ] && return 0
	done
	batslib_print_kv_single_or_multi 8 'texts' "$*" 'output' "$output" |
		batslib_decorate 'no output line contains all texts' | fail
}

project_version() {
	sed -n 's/^project(sysfence VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt"
}

@test "--help prints usage on stdout and exits 0" {
	local opt
	for opt in --help -h; do
		run -0 --separate-stderr "$SYSFENCE" "$opt"
		assert_output --partial '--profile'
		assert_output --partial '--check'
		assert_equal "$stderr" ''
	done
}

@test "--version prints the project version on stdout and exits 0" {
	local opt version
	version=$(project_version)
	[ -n "$version" ]
	for opt in --version -V; do
		run -0 --separate-stderr "$SYSFENCE" "$opt"
		assert_output --partial "sysfence"
		assert_output --partial "$version"
		assert_equal "$stderr" ''
	done
}

@test "an unknown option is an error (125) and the program never runs" {
	run -125 --separate-stderr "$SYSFENCE" --frobnicate -p "$F/allow-all.ini" -- "$PROBE" touch "$W/marker"
	assert_equal "${stderr_lines[0]}" 'sysfence: unknown option "--frobnicate"'
	assert_output ''
	assert_file_not_exists "$W/marker"
}

@test "a missing program is an error (125)" {
	run -125 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini"
	assert_stderr_prefix 'sysfence: '
	run -125 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" --
	assert_stderr_prefix 'sysfence: '
}

@test "--profile without a value is an error (125)" {
	run -125 --separate-stderr "$SYSFENCE" --profile
	assert_stderr_prefix 'sysfence: '
}

@test "-p PATH, -pPATH, --profile PATH and --profile=PATH all select the profile" {
	sf_probe EPERM -p "$F/deny-mkdir.ini" -- mkdir "$W/d"
	sf_probe EPERM "-p$F/deny-mkdir.ini" -- mkdir "$W/d"
	sf_probe EPERM --profile "$F/deny-mkdir.ini" -- mkdir "$W/d"
	sf_probe EPERM "--profile=$F/deny-mkdir.ini" -- mkdir "$W/d"
	assert_not_exist "$W/d"
}

@test "-p NAME looks the profile up on SYSFENCE_PROFILE_PATH" {
	sf_probe EPERM -p deny-mkdir -- mkdir "$W/d"
	sf_probe EACCES -p eacces-mkdir -- mkdir "$W/d"
}

@test "--check on a valid profile exits 0 and runs nothing" {
	run -0 --separate-stderr "$SYSFENCE" --check -p "$F/deny-mkdir.ini"
	run -0 --separate-stderr "$SYSFENCE" --check -p "$F/deny-mkdir.ini" -- "$PROBE" touch "$W/marker"
	assert_file_not_exists "$W/marker"
}

@test "--check FILE.ini checks that file, never a program or default.ini" {
	cd "$F"
	run -1 --separate-stderr "$SYSFENCE" --check bad/syscall-typo.ini
	assert_equal "$stderr" 'sysfence: bad/syscall-typo.ini:3: unknown syscall "opne" (did you mean "open"?)'
	assert_output ''
	run -1 --separate-stderr "$SYSFENCE" --check empty.ini
	assert_equal "$stderr" 'sysfence: ./empty.ini:1: the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)'
	run -0 --separate-stderr "$SYSFENCE" --check "$F/deny-mkdir.ini" allow-all.ini
	assert_equal "$output" "$(printf '%s: ok\n./allow-all.ini: ok' "$F/deny-mkdir.ini")"
	# One invalid file makes the whole check invalid; each is reported.
	run -1 --separate-stderr "$SYSFENCE" --check allow-all.ini bad/syscall-typo.ini
	assert_output './allow-all.ini: ok'
	assert_stderr_prefix 'sysfence: bad/syscall-typo.ini:3: '
	run -125 --separate-stderr "$SYSFENCE" --check allow-all.ini true
	assert_equal "$stderr" 'sysfence: unexpected argument "true" after the profiles to check (--check FILE.ini...)'
}

@test "--check and a run agree on a group no rule uses" {
	printf '[groups]\n@unused = opne\n[seccomp]\ndefault-action = allow\n' >"$T/g.ini"
	chmod 0644 "$T/g.ini"
	run -1 --separate-stderr "$SYSFENCE" --check -p "$T/g.ini"
	assert_equal "$stderr" "sysfence: $T/g.ini:2: unknown syscall \"opne\" (did you mean \"open\"?)"
	run -125 --separate-stderr "$SYSFENCE" -p "$T/g.ini" -- "$PROBE" touch "$W/marker"
	assert_equal "$stderr" "sysfence: $T/g.ini:2: unknown syscall \"opne\" (did you mean \"open\"?)"
	assert_file_not_exists "$W/marker"
}

@test "--explain prints every rule with the file and line it came from" {
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$F/explain.ini"
	assert_line_has "$F/explain.ini:4" allow
	assert_line_has "$F/explain.ini:5" mkdir EPERM
	assert_line_has "$F/explain.ini:6" ptrace kill
	assert_line_has "$F/explain-inc.ini:2" getppid EACCES
}

@test "--explain shows command-line rules and runs nothing" {
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$F/explain.ini" --deny=getpid \
		-- "$PROBE" touch "$W/marker"
	assert_line_has getpid EPERM
	assert_file_not_exists "$W/marker"
}

@test "--list lists the profiles on the search path with paths and descriptions" {
	mkdir -m 0755 "$T/a" "$T/b"
	printf '[profile]\ndescription = the first test profile\n' >"$T/a/first.ini"
	printf '[profile]\ndescription = the second test profile\n' >"$T/b/second.ini"
	chmod 0644 "$T/a/first.ini" "$T/b/second.ini"
	run -0 --separate-stderr env SYSFENCE_PROFILE_PATH="$T/a:$T/b" "$SYSFENCE" --list
	assert_output --partial "$T/a/first.ini"
	assert_output --partial "the first test profile"
	assert_output --partial "$T/b/second.ini"
	assert_output --partial "the second test profile"
}

@test "--list-groups lists the syscall groups and their members" {
	run -0 --separate-stderr "$SYSFENCE" --list-groups
	assert_line --regexp '^@[a-z0-9-]+'
	assert_output --partial '@network-io'
	assert_output --partial 'socket'
}

@test "-v says which files were read, on stderr" {
	run -0 --separate-stderr "$SYSFENCE" -v -p "$F/explain.ini" -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_stderr_contains "$F/explain.ini"
	assert_stderr_contains "$F/explain-inc.ini"
}

@test "-q still prints errors" {
	run -125 --separate-stderr "$SYSFENCE" -q -p "$F/bad/syscall-typo.ini" -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix "sysfence: $F/bad/syscall-typo.ini:3: unknown syscall \"opne\""
	assert_file_not_exists "$W/marker"
}

@test "-- ends the options; later words are the program's, even a second --" {
	run -3 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" -- "$PROBE" exit 3
	run -0 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" -- /bin/echo -- --deny=write
	assert_output -- '-- --deny=write'
}

@test "the first non-option word is the program: options after it are the program's" {
	run -0 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" /bin/echo --deny=write -v --help
	assert_output -- '--deny=write -v --help'
	assert_equal "$stderr" ''
	# Had sysfence taken --deny=mkdir for itself, the probe would get no
	# path; instead it creates a directory of that name.
	cd "$W"
	run -0 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" "$PROBE" mkdir --deny=mkdir
	assert_output OK
	assert_dir_exists "$W/--deny=mkdir"
}

@test "--caps-drop=all on the command line empties the capability sets" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" --caps-drop=all -- "$PROBE" status
	assert_line "CapEff:${TAB}0000000000000000"
	assert_line "CapBnd:${TAB}0000000000000000"
}

@test "--caps-keep on the command line keeps only the listed capability" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" --caps-keep=net_bind_service -- "$PROBE" status
	assert_line "CapEff:${TAB}0000000000000400"
	assert_line "CapBnd:${TAB}0000000000000400"
}

@test "a bad --default-action, --deny or --caps-keep value is an error and the program never runs" {
	run -125 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" --default-action=alow -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix 'sysfence: '
	assert_stderr_contains 'unknown action "alow"'
	run -125 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" --deny=opne -- "$PROBE" touch "$W/marker"
	assert_stderr_contains 'unknown syscall "opne"'
	run -125 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" --caps-keep=cap_net_bin -- "$PROBE" touch "$W/marker"
	assert_stderr_contains 'unknown capability "cap_net_bin"'
	assert_file_not_exists "$W/marker"
}

@test "messages are not colored when stderr is not a terminal" {
	run -125 --separate-stderr "$SYSFENCE" -p "$F/bad/syscall-typo.ini" -- "$PROBE" pid
	[ -n "$stderr" ]
	[[ "$stderr" != *$'\e'* ]]
}
