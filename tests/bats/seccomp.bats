#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Seccomp actions as the kernel applies them to the program: each test runs
# the probe under sysfence and checks what the system call really did.

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

@test "deny = mkdir makes mkdir fail with EPERM, creates nothing, and leaves other calls alone" {
	sf_probe EPERM -p "$F/deny-mkdir.ini" -- mkdir "$W/d"
	assert_not_exist "$W/d"
	sf_probe OK -p "$F/deny-mkdir.ini" -- touch "$W/f"
	assert_file_exists "$W/f"
}

@test "ENOSYS = mkdir makes mkdir fail with ENOSYS" {
	sf_probe ENOSYS -p "$F/enosys-mkdir.ini" -- mkdir "$W/d"
	assert_not_exist "$W/d"
}

@test "EACCES = mkdir makes mkdir fail with EACCES" {
	sf_probe EACCES -p "$F/eacces-mkdir.ini" -- mkdir "$W/d"
	assert_not_exist "$W/d"
}

@test "kill ends the process with SIGSYS (status 159) before the call returns" {
	sf_probe KILLED -p "$F/kill-getppid.ini" -- raw getppid
}

@test "kill through a shell: the launcher execs in place, so the shell sees 159" {
	run -0 --separate-stderr bash -c '"$0" -p "$1" -- "$2" raw getppid; echo "status $?"' \
		"$SYSFENCE" "$F/kill-getppid.ini" "$PROBE"
	assert_output 'status 159'
}

@test "kill-thread ends a single-threaded program with SIGSYS" {
	sf_probe KILLED -p "$F/kill-thread-getppid.ini" -- raw getppid
}

@test "trap delivers SIGSYS to the program, which can catch it" {
	sf_probe 'SIGSYS getppid' -p "$F/trap-getppid.ini" -- raw getppid
}

@test "log lets the call through" {
	sf_probe OK -p "$F/log-getppid.ini" -- raw getppid
	sf_probe OK -p "$F/log-getppid.ini" -- touch "$W/f"
	run -0 --separate-stderr "$SYSFENCE" -p "$F/log-getppid.ini" -- "$PROBE" status
	assert_line "Seccomp:${TAB}2"
}

@test "log writes an audit record for the call" {
	require_root
	[ "$(uname -m)" = x86_64 ] || skip "the record names getppid by its x86-64 number"
	grep -qw log /proc/sys/kernel/seccomp/actions_logged || skip "the log action is not logged on this system"
	pgrep -x auditd >/dev/null && skip "auditd takes the records away from the kernel log"
	dmesg >/dev/null 2>&1 || skip "cannot read the kernel log"

	# SECCOMP_RET_LOG is 0x7ffc0000; getppid is 110 on x86-64. kauditd
	# prints the record after the call, so follow the log until it shows
	# up. The kernel rate-limits these lines (printk_ratelimit, a burst per
	# 5 s), and other tests' kills are logged too: a record dropped by the
	# limit is looked for again in a later window, three times at most.
	local attempt pid re l rc found= deadline
	for attempt in 1 2 3; do
		run -0 --separate-stderr bash -c 'echo $$; exec "$0" -p "$1" -- "$2" raw getppid' \
			"$SYSFENCE" "$F/log-getppid.ini" "$PROBE"
		assert_line --index 1 OK
		pid=${lines[0]}
		re="type=1326 .* pid=$pid .* syscall=110 .* code=0x7ffc0000"
		deadline=$((SECONDS + 6))
		coproc DMESG { exec dmesg --follow; }
		while [ -z "$found" ] && [ "$SECONDS" -lt "$deadline" ]; do
			rc=0
			IFS= read -r -t 1 l <&"${DMESG[0]}" || rc=$?
			if [ "$rc" -gt 128 ]; then
				continue	# nothing new within a second
			elif [ "$rc" -ne 0 ]; then
				break		# dmesg ended
			fi
			[[ "$l" =~ $re ]] && found=1
		done
		kill "$DMESG_PID"
		wait "$DMESG_PID" || true
		[ -n "$found" ] && break
	done
	[ -n "$found" ] || fail "no audit record for pid $pid with the log action (3 tries)"
}

@test "default-action applies to every call no rule names" {
	sf_probe EPERM -p "$F/default-eperm.ini" -- raw getppid
	sf_probe EPERM -p "$F/default-eperm.ini" -- mkdir "$W/d"
	assert_not_exist "$W/d"
	# getpid is allowed by the included base profile.
	run -0 --separate-stderr "$SYSFENCE" -p "$F/default-eperm.ini" -- "$PROBE" pid
	assert_output --regexp '^[0-9]+$'
}

@test "default-action = kill kills on the first call no rule names" {
	sf_probe KILLED -p "$F/default-kill.ini" -- raw getppid
	run -0 --separate-stderr "$SYSFENCE" -p "$F/default-kill.ini" -- "$PROBE" pid
	assert_output --regexp '^[0-9]+$'
}

@test "a profile without default-action is refused (125) and the program never runs" {
	run -125 --separate-stderr "$SYSFENCE" -p "$F/no-seccomp.ini" -- "$PROBE" touch "$W/marker"
	assert_equal "$stderr" "sysfence: $F/no-seccomp.ini:1: the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)"
	assert_output ''
	assert_file_not_exists "$W/marker"
	run -1 --separate-stderr "$SYSFENCE" --check -p "$F/no-seccomp.ini"
	assert_equal "$stderr" "sysfence: $F/no-seccomp.ini:1: the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)"
	# The command line completes the policy.
	sf_probe EPERM -p "$F/no-seccomp.ini" --default-action=allow --deny=mkdir -- mkdir "$W/d"
}

@test "default-action = allow loads a filter that allows every native syscall" {
	run -0 --separate-stderr "$SYSFENCE" -p "$F/allow-all.ini" -- "$PROBE" status
	assert_line "Seccomp:${TAB}2"
	sf_probe OK -p "$F/allow-all.ini" -- mkdir "$W/d"
	assert_dir_exists "$W/d"
}

@test "a profile with a [seccomp] section loads exactly one filter" {
	run -0 --separate-stderr "$SYSFENCE" -p "$F/deny-mkdir.ini" -- "$PROBE" status
	assert_line "Seccomp:${TAB}2"
	assert_line "Seccomp_filters:${TAB}1"
}

@test "architectures = native kills an i386 call made through int \$0x80" {
	require_int80
	sf_probe KILLED -p "$F/arch-native.ini" -- int80-getpid
}

@test "without an architectures key, an i386 call is killed too (native is the default)" {
	require_int80
	sf_probe KILLED -p "$F/allow-all.ini" -- int80-getpid
}

@test "architectures = native kills an x32 call" {
	[ "$(uname -m)" = x86_64 ] || skip "x86-64 only"
	sf_probe KILLED -p "$F/arch-native.ini" -- x32-getpid
	sf_probe KILLED -p "$F/allow-all.ini" -- x32-getpid
}

@test "architectures = native x86 lets i386 calls through" {
	require_int80
	sf_probe OK -p "$F/arch-native-x86.ini" -- int80-getpid
	run -0 --separate-stderr "$SYSFENCE" -p "$F/arch-native-x86.ini" -- "$PROBE" status
	assert_line "Seccomp:${TAB}2"
}

@test "architectures = native x86 applies the same rules to i386 calls" {
	require_int80
	sf_probe EPERM -p "$F/arch-native-x86-deny-getpid.ini" -- int80-getpid
}

@test "--deny on the command line adds to the profile" {
	sf_probe EPERM -p "$F/allow-all.ini" --deny=mkdir -- mkdir "$W/d"
	assert_not_exist "$W/d"
	sf_probe OK -p "$F/allow-all.ini" --deny=mkdir -- raw getppid
}

@test "--deny takes comma- and space-separated lists" {
	sf_probe EPERM -p "$F/allow-all.ini" --deny=mkdir,getppid -- raw getppid
	sf_probe EPERM -p "$F/allow-all.ini" --deny=mkdir,getppid -- mkdir "$W/d"
	sf_probe EPERM -p "$F/allow-all.ini" --deny 'mkdir getppid' -- raw getppid
	sf_probe EPERM -p "$F/allow-all.ini" --deny 'mkdir getppid' -- mkdir "$W/d"
	assert_not_exist "$W/d"
}

@test "--allow on the command line overrides the profile's deny" {
	sf_probe EPERM -p "$F/deny-mkdir.ini" -- mkdir "$W/d"
	sf_probe OK -p "$F/deny-mkdir.ini" --allow=mkdir -- mkdir "$W/d"
	assert_dir_exists "$W/d"
}

@test "--kill on the command line overrides the profile's deny" {
	sf_probe KILLED -p "$F/deny-mkdir.ini" --kill=mkdir -- mkdir "$W/d"
	assert_not_exist "$W/d"
}

@test "--default-action overrides the profile's default-action" {
	sf_probe OK -p "$F/allow-all.ini" -- raw getppid
	# base.ini has what the probe needs to start; getppid is not in it.
	sf_probe EPERM -p "$F/base.ini" --default-action=EPERM -- raw getppid
	sf_probe KILLED -p "$F/base.ini" --default-action=kill -- raw getppid
	sf_probe OK -p "$F/default-eperm.ini" --default-action=allow -- raw getppid
}

@test "--default-action keeps the profile's explicit rules" {
	sf_probe EPERM -p "$F/base-deny-mkdir.ini" --default-action=EACCES -- mkdir "$W/d"
	sf_probe EACCES -p "$F/base-deny-mkdir.ini" --default-action=EACCES -- raw getppid
	sf_probe OK -p "$F/base-deny-mkdir.ini" -- raw getppid
}

@test "as an unprivileged user, deny = mkdir returns EPERM" {
	SF_AS=user sf_probe EPERM -p "$F/deny-mkdir.ini" -- mkdir "$W/d"
	assert_not_exist "$W/d"
	SF_AS=user sf_probe OK -p "$F/deny-mkdir.ini" -- touch "$W/f"
	run -0 stat -c %U "$W/f"
	assert_output "$(as_user_name)"
}

@test "as an unprivileged user, kill ends the process with SIGSYS" {
	SF_AS=user sf_probe KILLED -p "$F/kill-getppid.ini" -- raw getppid
}
