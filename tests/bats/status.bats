#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What the program finds itself running with (/proc/self/status, ids, PID),
# and the exit statuses of sysfence.profile(5).

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

ZERO=0000000000000000
NBS=0000000000000400	# CAP_NET_BIND_SERVICE (10)

@test "with a filter the program runs with NoNewPrivs: 1 and Seccomp: 2" {
	run -0 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$PROBE" status
	assert_line "NoNewPrivs:${TAB}1"
	assert_line "Seccomp:${TAB}2"
}

@test "no-new-privs = yes with default-action = allow sets NoNewPrivs" {
	run -0 --separate-stderr "$SYSFENCE" -p "$F/nnp-only.ini" -- "$PROBE" status
	assert_line "NoNewPrivs:${TAB}1"
	assert_line "Seccomp:${TAB}2"
}

@test "as root, a profile without [capabilities] empties every capability set" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$F/nnp-only.ini" -- "$PROBE" status
	assert_line "CapEff:${TAB}0000000000000000"
	assert_line "CapPrm:${TAB}0000000000000000"
	assert_line "CapInh:${TAB}0000000000000000"
	assert_line "CapBnd:${TAB}0000000000000000"
	assert_line "CapAmb:${TAB}0000000000000000"
	assert_equal "$stderr" ''
	# Read by the kernel, not by the probe: the same for any program.
	run -0 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" -- grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status
	assert_output "$(printf 'CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000')"
	# drop = none is how a profile keeps them.
	printf '[seccomp]\ndefault-action = allow\n[capabilities]\ndrop = none\n' >"$T/keep.ini"
	chmod 0644 "$T/keep.ini"
	run -0 --separate-stderr "$SYSFENCE" -p "$T/keep.ini" -- grep '^CapEff:' /proc/self/status
	refute_output "CapEff:${TAB}0000000000000000"
}

@test "as an unprivileged user a filter comes with NoNewPrivs: 1" {
	run -0 --separate-stderr as_user "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$PROBE" status
	assert_line "NoNewPrivs:${TAB}1"
	assert_line "Seccomp:${TAB}2"
}

@test "as root, no-new-privs = no with a filter leaves NoNewPrivs: 0" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$F/nnp-no.ini" -- "$PROBE" status
	assert_line "NoNewPrivs:${TAB}0"
	assert_line "Seccomp:${TAB}2"
	sf_probe EPERM -p "$F/nnp-no.ini" -- mkdir "$W/d"
}

@test "as an unprivileged user, no-new-privs = no with a filter is an error" {
	run -125 --separate-stderr as_user "$SYSFENCE" -p "$F/nnp-no.ini" -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix "sysfence: "
	assert_stderr_contains "no-new-privs"
	assert_file_not_exists "$W/marker"
}

@test "as root, drop = all empties all five capability sets" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$F/caps-drop-all.ini" -- "$PROBE" status
	assert_line "CapInh:${TAB}$ZERO"
	assert_line "CapPrm:${TAB}$ZERO"
	assert_line "CapEff:${TAB}$ZERO"
	assert_line "CapBnd:${TAB}$ZERO"
	assert_line "CapAmb:${TAB}$ZERO"
}

@test "as root, drop = all really takes the power away: chown to another user fails" {
	require_root
	touch "$W/f"
	run -0 --separate-stderr "$SYSFENCE" -p "$F/caps-drop-all.ini" -- "$PROBE" chown "$W/f" 1 1
	assert_output EPERM
	run -0 stat -c %u "$W/f"
	assert_output 0
}

@test "as root, keep = net_bind_service leaves only that capability" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$F/caps-keep-nbs.ini" -- "$PROBE" status
	assert_line "CapPrm:${TAB}$NBS"
	assert_line "CapEff:${TAB}$NBS"
	assert_line "CapBnd:${TAB}$NBS"
}

# A port below ip_unprivileged_port_start needs CAP_NET_BIND_SERVICE.
require_privileged_port() {
	local start
	start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
	[ "$start" -gt 977 ] || skip "port 977 needs no capability here"
	[ "$("$PROBE" bind-tcp 977)" = OK ] || skip "port 977 is in use"
}

@test "as root, the kept capability still works and a dropped one does not" {
	require_root
	require_privileged_port
	sf_probe OK -p "$F/caps-keep-nbs.ini" -- bind-tcp 977
	sf_probe EACCES -p "$F/caps-drop-all.ini" -- bind-tcp 977
	touch "$W/f"
	sf_probe EPERM -p "$F/caps-keep-nbs.ini" -- chown "$W/f" 1 1
}

@test "capability names are case-insensitive, with or without cap_" {
	require_root
	local spelling
	for spelling in CAP_NET_BIND_SERVICE Net_Bind_Service cap_net_bind_service; do
		printf '[capabilities]\nkeep = %s\n[seccomp]\ndefault-action = allow\n' "$spelling" >"$T/p.ini"
		chmod 0644 "$T/p.ini"
		run -0 --separate-stderr "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" status
		assert_line "CapEff:${TAB}$NBS"
	done
}

@test "as root, user = and keep = switch ids and keep the capability as ambient" {
	require_root
	local uid gid
	uid=$(id -u "$TEST_USER")
	gid=$(id -g "$TEST_USER")
	run -0 --separate-stderr "$SYSFENCE" -p "$F/caps-user-keep-nbs.ini" -- "$PROBE" status
	assert_line "Uid:${TAB}$uid${TAB}$uid${TAB}$uid${TAB}$uid"
	assert_line "Gid:${TAB}$gid${TAB}$gid${TAB}$gid${TAB}$gid"
	assert_line "CapAmb:${TAB}$NBS"
	assert_line "CapPrm:${TAB}$NBS"
	assert_line "CapEff:${TAB}$NBS"
	assert_line "CapBnd:${TAB}$NBS"
}

@test "as root, user = with keep = lets the new user bind a privileged port" {
	require_root
	require_privileged_port
	sf_probe OK -p "$F/caps-user-keep-nbs.ini" -- bind-tcp 977
	run -0 --separate-stderr "$SYSFENCE" -p "$F/caps-user-keep-nbs.ini" -- "$PROBE" uid
	assert_output --regexp "^uid=$(id -u "$TEST_USER") euid=$(id -u "$TEST_USER") "
	# Without the launcher, the user cannot.
	run -0 as_user "$PROBE" bind-tcp 977
	assert_output EACCES
}

@test "as root, user = drops root's supplementary groups" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$F/caps-user-keep-nbs.ini" -- "$PROBE" uid
	local uid gid
	uid=$(id -u "$TEST_USER")
	gid=$(id -g "$TEST_USER")
	assert_output --regexp "^uid=$uid euid=$uid gid=$gid egid=$gid groups=($gid)?\$"
}

@test "as an unprivileged user, drop = all is not an error and the rest of the profile applies" {
	profile p <<-'EOF'
		[capabilities]
		drop = all
		[seccomp]
		default-action = allow
		deny = mkdir
	EOF
	run -0 --separate-stderr as_user "$SYSFENCE" -p "$T/p.ini" -- "$PROBE" status
	assert_line "CapPrm:${TAB}$ZERO"
	assert_line "CapEff:${TAB}$ZERO"
	assert_line "CapAmb:${TAB}$ZERO"
	assert_line "Seccomp:${TAB}2"
	SF_AS=user sf_probe EPERM -p "$T/p.ini" -- mkdir "$W/d"
}

@test "the program keeps the launcher's PID (exec in place)" {
	run -0 --separate-stderr bash -c 'echo $$; exec "$0" -p "$1" -- "$2" pid' \
		"$SYSFENCE" "$F/deny-mkdir.ini" "$PROBE"
	assert_equal "${#lines[@]}" 2
	assert_equal "${lines[1]}" "${lines[0]}"
}

@test "the program's exit status passes through" {
	run -42 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$PROBE" exit 42
	run -0 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$PROBE" exit 0
	run -1 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$PROBE" exit 1
	run -125 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$PROBE" exit 125
	assert_equal "$stderr" ""
}

@test "a program that is not found: 127 and a message" {
	run -127 --separate-stderr env PATH="$T" "$SYSFENCE" -p "$F/deny-mkdir.ini" -- nonexistent
	assert_equal "$stderr" 'sysfence: cannot execute "nonexistent": No such file or directory'
	assert_output ''
}

@test "a program path that does not exist: 127" {
	run -127 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$T/nonexistent"
	assert_equal "$stderr" "sysfence: cannot execute \"$T/nonexistent\": No such file or directory"
}

@test "a file that is not executable: 126 and a message" {
	printf '#!/bin/sh\ntouch "%s"\n' "$W/marker" >"$T/noexec"
	chmod 0644 "$T/noexec"
	run -126 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$T/noexec"
	assert_stderr_prefix "sysfence: cannot execute \"$T/noexec\": "
	assert_file_not_exists "$W/marker"
}

@test "a non-executable file found on PATH: 126" {
	printf '#!/bin/sh\ntouch "%s"\n' "$W/marker" >"$T/noexec"
	chmod 0644 "$T/noexec"
	run -126 --separate-stderr env PATH="$T" "$SYSFENCE" -p "$F/deny-mkdir.ini" -- noexec
	assert_stderr_prefix "sysfence: cannot execute \"noexec\": "
	assert_file_not_exists "$W/marker"
}

@test "a directory: 126" {
	run -126 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$T"
	assert_stderr_prefix "sysfence: cannot execute \"$T\": "
}

@test "no profile found: 125 and the program never runs" {
	mkdir -m 0755 "$T/empty"
	run -125 --separate-stderr env SYSFENCE_PROFILE_PATH="$T/empty" \
		"$SYSFENCE" -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix 'sysfence: no profile for "probe": neither probe.ini nor default.ini is on the search path'
	assert_file_not_exists "$W/marker"
}

@test "without --profile, the program's basename names the profile" {
	mkdir -m 0755 "$T/dir"
	cp "$F/eacces-mkdir.ini" "$T/dir/probe.ini"
	cp "$F/enosys-mkdir.ini" "$T/dir/default.ini"
	chmod 0644 "$T/dir/"*
	SYSFENCE_PROFILE_PATH="$T/dir" sf_probe EACCES -- mkdir "$W/d"
}

@test "without --profile and without a profile for the program, default is used" {
	mkdir -m 0755 "$T/dir"
	cp "$F/enosys-mkdir.ini" "$T/dir/default.ini"
	chmod 0644 "$T/dir/default.ini"
	SYSFENCE_PROFILE_PATH="$T/dir" sf_probe ENOSYS -- mkdir "$W/d"
}

@test "the profile is searched in SYSFENCE_PROFILE_PATH order, first hit wins" {
	mkdir -m 0755 "$T/a" "$T/b"
	cp "$F/eacces-mkdir.ini" "$T/a/p.ini"
	cp "$F/enosys-mkdir.ini" "$T/b/p.ini"
	chmod 0644 "$T/a/p.ini" "$T/b/p.ini"
	SYSFENCE_PROFILE_PATH="$T/b:$T/a" sf_probe ENOSYS -p p -- mkdir "$W/d"
	SYSFENCE_PROFILE_PATH="$T/a:$T/b" sf_probe EACCES -p p -- mkdir "$W/d"
}

# A copy of true with the file capability cap_net_raw and the effective bit
# (a legacy program that expects the kernel to raise it), in $T.
setcap_true() {
	command -v setcap >/dev/null || skip "setcap is not installed (libcap2-bin)"
	cp /bin/true "$T/raw-true"
	chmod 0755 "$T/raw-true"
	setcap cap_net_raw+ep "$T/raw-true" || skip "the file system of $T takes no file capabilities"
	if findmnt -no OPTIONS -T "$T" | grep -qw nosuid; then
		skip "$T is on a nosuid mount (file capabilities do not apply)"
	fi
}

@test "as root, a program with a file capability the policy drops: 125 naming it and how to keep it" {
	require_root
	setcap_true
	run -125 --separate-stderr "$SYSFENCE" -p "$F/caps-drop-all.ini" -- "$T/raw-true"
	[ "$stderr" = "sysfence: \"$T/raw-true\" needs the file capability cap_net_raw, which the policy drops (add keep = net_raw to [capabilities], or --caps-keep=net_raw)" ]
	# Kept, it runs.
	run -0 --separate-stderr "$SYSFENCE" -p "$F/caps-drop-all.ini" --caps-keep=net_raw -- "$T/raw-true"
	[ -z "$stderr" ]
	# Two capabilities, both named.
	setcap cap_net_raw,cap_sys_time+ep "$T/raw-true"
	run -125 --separate-stderr "$SYSFENCE" -p "$F/caps-drop-all.ini" -- "$T/raw-true"
	[ "$stderr" = "sysfence: \"$T/raw-true\" needs the file capabilities cap_net_raw, cap_sys_time, which the policy drops (add keep = net_raw sys_time to [capabilities], or --caps-keep=net_raw,sys_time)" ]
}

@test "as a user, a program with a file capability runs without it, and a warning says so" {
	require_root
	setcap_true
	run -0 --separate-stderr as_user "$SYSFENCE" -p "$F/caps-drop-all.ini" -- "$T/raw-true"
	[ "$stderr" = "sysfence: warning: \"$T/raw-true\" has the file capability cap_net_raw, which it cannot gain under no_new_privs: it runs without it" ]
	run -0 --separate-stderr as_user "$SYSFENCE" -q -p "$F/caps-drop-all.ini" -- "$T/raw-true"
	[ -z "$stderr" ]
}

@test "a file capability without the effective bit is the program's own business" {
	require_root
	setcap_true
	setcap cap_net_raw+p "$T/raw-true"
	run -0 --separate-stderr "$SYSFENCE" -p "$F/caps-drop-all.ini" -- "$T/raw-true"
	[ -z "$stderr" ]
}
