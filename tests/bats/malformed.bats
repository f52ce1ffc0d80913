#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Malformed profiles: each one is refused with "sysfence: FILE:LINE: message"
# (status 125, or 1 under --check), and the program never runs.

bats_require_minimum_version 1.5.0
load helpers

# One row per malformed profile:
#   profile to load | file the error is in ("=" same) | line ("-" none) | message
# The message column is a substring of the line after "FILE:LINE: ".
# Paths are relative to the fixture copy $F. The messages live only here.
BAD_PROFILES='
bad/section-typo.ini|=|2|unknown section [seccom] (did you mean [seccomp]?)
bad/section-unknown.ini|=|1|unknown section [container]
bad/key-typo.ini|=|3|unknown key "denny" in [seccomp] (did you mean "deny"?)
bad/key-typo-profile.ini|=|2|unknown key "descripton" in [profile] (did you mean "description"?)
bad/key-include-in-seccomp.ini|=|2|unknown key "include" in [seccomp]
bad/key-errno-typo.ini|=|3|unknown key "EPERN" in [seccomp]
bad/missing-equals.ini|=|3|expected "key = value"
bad/syscall-typo.ini|=|3|unknown syscall "opne" (did you mean "open"?)
bad/syscall-typo-in-list.ini|=|3|unknown syscall "wirte" (did you mean "write"?)
bad/syscall-typo-continuation.ini|=|4|unknown syscall "getpidd"
bad/group-unknown.ini|=|3|unknown group "@foo"
bad/group-member-typo.ini|=|2|unknown syscall "wrte"
bad/group-unused-typo.ini|=|4|unknown syscall "wirte" (did you mean "write"?)
bad/action-typo.ini|=|2|unknown action "alow"
bad/errno-typo-default.ini|=|2|unknown action "EPRM"
bad/cap-typo.ini|=|2|unknown capability "cap_net_bin"
bad/cap-typo-drop.ini|=|2|unknown capability "sys_admn"
bad/cond-bad-operator.ini|=|3|expected an operator after "arg0", found "=>"
bad/cond-arg6.ini|=|3|expected arg0 to arg5, found "arg6"
bad/cond-unknown-constant.ini|=|3|unknown constant "AF_UNIXX"
bad/cond-missing-value.ini|=|3|expected a value after "=="
bad/cond-two-syscalls.ini|=|3|one syscall
bad/execve-denied.ini|=|3|execve
bad/include-missing.ini|=|2|cannot find included profile "no-such-profile"
bad/include-cycle-a.ini|bad/include-cycle-b.ini|2|include cycle
bad/include-self.ini|=|2|include cycle
bad/include-has-typo.ini|bad/key-typo.ini|3|unknown key "denny" in [seccomp]
gen/depth-00.ini|gen/depth-16.ini|2|includes nested deeper than 16
bad/long-line.ini|=|2|line too long
gen/big.ini|=|16385|profile is larger than 1 MiB
gen/random.ini|=|1|invalid byte
gen/nul.ini|=|2|invalid byte
bad/bad-boolean.ini|=|2|expected yes or no, found "maybe"
bad/unknown-arch.ini|=|3|unknown architecture "x87"
bad/limits-nofile.ini|=|2|soft limit is above the hard limit in "2048:1024" for nofile
bad/process-umask.ini|=|2|invalid umask "0778"
empty.ini|=|1|the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)
comment-only.ini|=|1|the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)
bad/no-default-action.ini|=|5|the policy has no default-action
bad/ro-inside-rw.ini|=|6|"/usr" is inside the read-write tree "/" (
'

# Valid profiles next to them: the same checks must let these through.
GOOD_PROFILES='
allow-all.ini
valid/syntax.ini
valid/groups.ini
gen/depth-01.ini
'

setup_file() {
	sf_setup_file
	umask 022
	local gen="$F/gen" i
	mkdir "$gen"

	# 2 MB of comment lines: only the size is wrong. Line 1 has 10 bytes,
	# the others 64, so line 16385 crosses 1 MiB.
	{
		echo '[profile]'
		for i in $(seq 32768); do
			printf '# %061d\n' "$i"
		done
	} >"$gen/big.ini"

	# Random bytes, starting with control bytes so that line 1 is wrong
	# whatever the random part holds.
	{ printf '\001\002\n'; head -c 4096 /dev/urandom; } >"$gen/random.ini"
	printf '[seccomp]\ndeny = mk\000dir\n' >"$gen/nul.ini"

	# depth-00 -> depth-01 -> ... -> depth-17: from depth-00 that is 17
	# nested includes (one too many), from depth-01 exactly 16.
	for i in $(seq 0 16); do
		printf '[profile]\ninclude = ./depth-%02d.ini\n' $((i + 1)) >"$gen/$(printf 'depth-%02d.ini' "$i")"
	done
	printf '[seccomp]\ndefault-action = allow\n' >"$gen/depth-17.ini"

	chmod 0755 "$gen"
	chmod 0644 "$gen"/*
	if [ "$EUID" -eq 0 ]; then
		chown -R root:root "$gen"
	fi
}

teardown_file() {
	sf_teardown_file
}

setup() {
	sf_setup
}

# check_bad PROFILE ERRFILE LINE MESSAGE: refused in a normal run and under
# --check, with the expected message, and the probe never ran. Prints what
# went wrong and returns 1 instead of failing, so that one run reports every
# row that needs attention.
check_bad() {
	local profile="$F/$1" errfile="$F/$2" line=$3 msg=$4 want ok=0
	[ "$2" = = ] && errfile=$profile
	if [ "$line" = - ]; then
		want="sysfence: $errfile: "
	else
		want="sysfence: $errfile:$line: "
	fi

	local mode expect_status
	for mode in run check; do
		local -a args=(-p "$profile")
		expect_status=125
		if [ "$mode" = check ]; then
			args=(--check "${args[@]}")
			expect_status=1
		fi
		rm -f "$W/marker"
		run --separate-stderr "$SYSFENCE" "${args[@]}" -- "$PROBE" touch "$W/marker"
		if [ "$status" -ne "$expect_status" ]; then
			echo "$1 ($mode): status $status, expected $expect_status"
			ok=1
		fi
		if [ -e "$W/marker" ]; then
			echo "$1 ($mode): the program ran"
			ok=1
		fi
		local l found=
		for l in "${stderr_lines[@]}"; do
			if [[ "$l" == "$want"* && "$l" == *"$msg"* ]]; then
				found=1
			fi
		done
		if [ -z "$found" ]; then
			echo "$1 ($mode): no stderr line starts with '$want' and contains '$msg'; stderr was:"
			printf '    %s\n' "${stderr_lines[@]}"
			ok=1
		fi
	done
	return $ok
}

@test "every malformed profile is refused with FILE:LINE and the program never runs" {
	local row profile errfile line msg failed=0 n=0
	while IFS='|' read -r profile errfile line msg; do
		[ -n "$profile" ] || continue
		n=$((n + 1))
		check_bad "$profile" "$errfile" "$line" "$msg" || failed=$((failed + 1))
	done <<<"$BAD_PROFILES"
	[ "$n" -ge 25 ]
	if [ "$failed" -ne 0 ]; then
		fail "$failed of $n malformed profiles were not refused as expected (see above)"
	fi
}

# Not in the table: a run as an unprivileged user may be refused first
# because switching user needs root.
@test "an unknown user is an error with FILE:LINE under --check, and in a run as root" {
	local want="sysfence: $F/bad/unknown-user.ini:2: unknown user \"sysfence-no-such-user\""
	run -1 --separate-stderr "$SYSFENCE" --check -p "$F/bad/unknown-user.ini"
	assert_stderr_prefix "$want"
	[ "$EUID" -eq 0 ] || skip "a run needs root"
	run -125 --separate-stderr "$SYSFENCE" -p "$F/bad/unknown-user.ini" -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix "$want"
	assert_file_not_exists "$W/marker"
}

@test "valid profiles pass the same checks: --check says 0 and the program runs" {
	local profile failed=0
	while read -r profile; do
		[ -n "$profile" ] || continue
		rm -f "$W/marker"
		run --separate-stderr "$SYSFENCE" --check -p "$F/$profile"
		if [ "$status" -ne 0 ]; then
			echo "$profile (check): status $status, stderr: $stderr"
			failed=1
		fi
		run --separate-stderr "$SYSFENCE" -p "$F/$profile" -- "$PROBE" touch "$W/marker"
		if [ "$status" -ne 0 ] || [ "$output" != OK ] || [ ! -e "$W/marker" ]; then
			echo "$profile (run): status $status, output '$output', stderr: $stderr"
			failed=1
		fi
	done <<<"$GOOD_PROFILES"
	[ "$failed" -eq 0 ]
}

@test "--check reports every problem of a profile, each with its line" {
	run -1 --separate-stderr "$SYSFENCE" --check -p "$F/bad/several.ini"
	assert_stderr_prefix "sysfence: $F/bad/several.ini:3: unknown syscall \"opne\""
	assert_stderr_prefix "sysfence: $F/bad/several.ini:4: unknown key \"denny\" in [seccomp]"
	assert_stderr_prefix "sysfence: $F/bad/several.ini:6: unknown section [container]"
}

@test "a malformed profile found by name is reported with the path it was read from" {
	run -125 --separate-stderr env SYSFENCE_PROFILE_PATH="$F/bad" \
		"$SYSFENCE" -p syscall-typo -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix "sysfence: $F/bad/syscall-typo.ini:3: unknown syscall \"opne\""
	assert_file_not_exists "$W/marker"
}

@test "a profile that cannot be found by name is an error and the program never runs" {
	run -125 --separate-stderr "$SYSFENCE" -p no-such-profile -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix 'sysfence: cannot find profile "no-such-profile"'
	assert_file_not_exists "$W/marker"
}

@test "a profile path that does not exist is an error and the program never runs" {
	run -125 --separate-stderr "$SYSFENCE" -p "$T/missing.ini" -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix "sysfence: "
	assert_stderr_contains "$T/missing.ini"
	assert_file_not_exists "$W/marker"
}
