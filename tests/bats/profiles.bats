#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped profiles as a whole: every one is valid (CI runs --check on
# each), described, picked by the program's basename, and every per-program
# profile builds on default, so it can only be tighter. The programs
# themselves are run in profiles-local.bats, profiles-net.bats,
# profiles-input.bats and profiles-serve.bats; the escapes in escapes.bats.

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

# The per-program profiles: every shipped one except the library and the
# two general ones.
app_profiles() {
	local f p
	for f in "$SF_TMP"/profiles/*.ini; do
		p=$(basename "$f" .ini)
		case $p in groups | default | strict) ;; *) echo "$p" ;; esac
	done
}

@test "sysfence --check accepts every shipped profile" {
	local f n=0
	for f in "$SF_TMP"/profiles/*.ini; do
		# The group library is no profile (--list or a run never picks
		# it); --list-groups checks every group in it.
		[ "${f##*/}" != groups.ini ] || continue
		run -0 --separate-stderr "$SYSFENCE" --check -p "$f"
		assert_output "$f: ok"
		assert_equal "$stderr" ""
		n=$((n + 1))
	done
	[ "$n" -ge 18 ]
	run -0 --separate-stderr env SYSFENCE_PROFILE_PATH="$SF_TMP/profiles" "$SYSFENCE" --list-groups
	assert_equal "$stderr" ""
}

@test "at least 40 programs have a profile of their own (aliases not counted)" {
	local p n=0
	for p in $(app_profiles); do
		grep -q '^\[seccomp\]' "$SF_TMP/profiles/$p.ini" && n=$((n + 1))
	done
	[ "$n" -ge 40 ] || fail "only $n per-program profiles"
}

@test "every shipped profile has a description, shown by --list" {
	run -0 --separate-stderr "$SYSFENCE" --list
	local p
	for p in default strict $(app_profiles); do
		grep -q '^description = .' "$SF_TMP/profiles/$p.ini" || fail "$p.ini has no description"
		assert_line --regexp "^$p +[^ ]"
	done
}

@test "profiles/README.md names every shipped profile" {
	local p missing=
	for p in groups.ini default.ini strict.ini $(app_profiles); do
		grep -qF "\`$p\`" "$SRC/profiles/README.md" || missing="$missing $p"
	done
	[ -z "$missing" ] || fail "not in profiles/README.md:$missing"
}

@test "each per-program profile is picked by the program's basename and reads default under it" {
	local p
	for p in $(app_profiles); do
		run -0 --separate-stderr "$SYSFENCE" --check -v -- "/usr/bin/$p" --help
		assert_output "$SF_TMP/profiles/$p.ini: ok"
		assert_stderr_contains "sysfence: read $SF_TMP/profiles/$p.ini"
		assert_stderr_contains "sysfence: read $SF_TMP/profiles/default.ini"
	done
}

@test "a program without a profile of its own runs under default" {
	run -0 --separate-stderr "$SYSFENCE" -v -- "$PROBE" socket AF_PACKET
	assert_output EPERM
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/default.ini"
}

@test "a .local file adds rules to a shipped profile: tighter, or an unconditional rule replaced" {
	printf '[seccomp]\ndeny = socket if arg0 == AF_INET6\nallow = setresuid\n' >"$T/curl.local"
	chmod 0644 "$T/curl.local"
	sf_probe OK -p curl -- socket AF_INET6
	sf_probe EPERM -p curl -- raw setresuid -1 -1 -1
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
	sf_probe EPERM -p curl -- socket AF_INET6
	sf_probe OK -p curl -- socket AF_INET
	sf_probe OK -p curl -- raw setresuid -1 -1 -1
}

@test "a .local cannot undo a conditional refusal; a profile of the same name earlier on the path replaces the shipped one" {
	# jq.ini refuses every socket family ([network] families = none, a
	# conditional rule), and of two matching conditional rules the more
	# restrictive wins. The .local lets the probe run (jq.ini's [filesystem]
	# lets only /usr run): execute paths add up.
	printf '[seccomp]\nallow = socket if arg0 == AF_UNIX\n[filesystem]\nexecute = %s\n' "$SF_TMP/bin" >"$T/jq.local"
	chmod 0644 "$T/jq.local"
	SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH" sf_probe EAFNOSUPPORT -p jq -- socket AF_UNIX
	rm "$T/jq.local"
	printf '[profile]\ndescription = my jq\ninclude = default\n' >"$T/jq.ini"
	chmod 0644 "$T/jq.ini"
	SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH" sf_probe OK -p jq -- socket AF_UNIX
	SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH" sf_probe EPERM -p jq -- socket AF_PACKET
}
