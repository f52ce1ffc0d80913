#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --report: each syscall the profile denies or kills is printed as it
# happens (call and decoded arguments, pid and executable, rule FILE:LINE,
# group, the line that would allow it), and the program sees what it would
# see without --report.

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

# $stderr with every "pid N" made "pid N", for exact comparison.
stderr_without_pids() {
	sed -E 's/pid [0-9]+/pid N/g' <<<"$stderr"
}

@test "a denied syscall is reported with its rule, group and fix, and fails as without --report" {
	run -0 --separate-stderr "$SYSFENCE" --report -p "$F/deny-mkdir.ini" -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_not_exist "$W/d"
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): mkdir: EPERM (rule $F/deny-mkdir.ini:6, group @file-system); to allow: replace the rule at $F/deny-mkdir.ini:6 with \"allow = mkdir\""
}

@test "the pid reported is the program's" {
	run -0 --separate-stderr "$SYSFENCE" --report -p "$F/deny-mkdir.ini" -- \
		sh -c 'echo $$; exec "$0" mkdir "$1"' "$PROBE" "$W/d"
	assert_line --index 1 EPERM
	assert_stderr_prefix "sysfence: pid ${lines[0]} ($PROBE): mkdir: EPERM"
}

@test "the program sees the same errno, status and effects with and without --report" {
	local profile args plain n=0
	while read -r profile args; do
		run --separate-stderr "$SYSFENCE" -p "$F/$profile" -- $args
		plain="$status $output"
		run --separate-stderr "$SYSFENCE" --report -p "$F/$profile" -- $args
		assert_equal "$status $output" "$plain"
		n=$((n + 1))
	done <<-EOF
		deny-mkdir.ini $PROBE mkdir $W/a
		enosys-mkdir.ini $PROBE mkdir $W/b
		eacces-mkdir.ini $PROBE mkdir $W/c
		deny-mkdir.ini $PROBE touch $W/e
		kill-getppid.ini sh -c true
		kill-thread-getppid.ini sh -c true
		log-getppid.ini $PROBE raw getppid
		trap-getppid.ini $PROBE raw getppid
	EOF
	assert_equal "$n" 8
	assert_not_exist "$W/a"
	assert_file_exists "$W/e"
}

@test "a killed call is reported and the process dies of SIGSYS, as without --report" {
	run -159 --separate-stderr "$SYSFENCE" --report -p "$F/kill-getppid.ini" -- sh -c 'echo $PPID'
	assert_output ''
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N (/usr/bin/dash): getppid: killed (rule $F/kill-getppid.ini:6, group @default); to allow: replace the rule at $F/kill-getppid.ini:6 with \"allow = getppid\""
}

@test "a program that catches SIGSYS is killed with SIGKILL, and the report says so" {
	# The probe catches SIGSYS (to tell a trap from a kill); a supervisor
	# cannot force SIGSYS past a handler as the kernel's filter does.
	run -137 --separate-stderr "$SYSFENCE" --report -p "$F/kill-getppid.ini" -- "$PROBE" raw getppid
	assert_output ''
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): getppid: killed with SIGKILL, as the program catches or blocks SIGSYS (rule $F/kill-getppid.ini:6, group @default); to allow: replace the rule at $F/kill-getppid.ini:6 with \"allow = getppid\""
}

@test "socket families and ioctl requests are decoded, and the fix names the value" {
	profile r <<-'EOF'
		[seccomp]
		default-action = allow
		deny = socket
		ENOTTY = ioctl if arg1 == TIOCSTI
	EOF
	run -0 --separate-stderr "$SYSFENCE" --report -p "$T/r.ini" -- "$PROBE" socket AF_VSOCK
	assert_output EPERM
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): socket(AF_VSOCK, SOCK_STREAM, 0): EPERM (rule $T/r.ini:3, group @network-io); to allow: replace the rule at $T/r.ini:3 with \"allow = socket if arg0 == AF_VSOCK\""
	run -0 --separate-stderr "$SYSFENCE" --report -p "$T/r.ini" -- "$PROBE" ioctl-tiocsti
	assert_output ENOTTY
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): ioctl(-1, TIOCSTI, ...): ENOTTY (rule $T/r.ini:4, group @system-service); to allow: change the rule at $T/r.ini:4"
}

@test "every process of the program is reported, as it happens" {
	run -0 --separate-stderr "$SYSFENCE" --report -p "$F/deny-mkdir.ini" -- \
		sh -c '"$0" mkdir "$1/x"; echo between; "$0" mkdir "$1/y"' "$PROBE" "$W"
	assert_output $'EPERM\nbetween\nEPERM'
	assert_equal "${#stderr_lines[@]}" 2
	assert_stderr_prefix "sysfence: pid"
	[ "${stderr_lines[0]%% (*}" != "${stderr_lines[1]%% (*}" ] || fail "one pid for two processes: $stderr"
}

@test "--report works for an unprivileged user" {
	run -0 --separate-stderr as_user "$SYSFENCE" --report -p "$F/deny-mkdir.ini" -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): mkdir: EPERM (rule $F/deny-mkdir.ini:6, group @file-system); to allow: replace the rule at $F/deny-mkdir.ini:6 with \"allow = mkdir\""
	run -159 --separate-stderr as_user "$SYSFENCE" --report -p "$F/kill-getppid.ini" -- sh -c 'echo $PPID'
	assert_stderr_prefix "sysfence: pid"
}

@test "rules from the command line are named as such" {
	run -0 --separate-stderr "$SYSFENCE" --report -p "$F/allow-all.ini" --deny=mkdir -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): mkdir: EPERM (rule on the command line, group @file-system); to allow: --allow=mkdir"
}

@test "--report refuses a profile without default-action, and the program never runs" {
	run -125 --separate-stderr "$SYSFENCE" --report -p "$F/no-seccomp.ini" -- "$PROBE" touch "$W/marker"
	assert_output ''
	assert_equal "$stderr" "sysfence: $F/no-seccomp.ini:1: the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)"
	assert_file_not_exists "$W/marker"
}

@test "--report refuses other modes" {
	run -125 --separate-stderr "$SYSFENCE" --report --check -p "$F/deny-mkdir.ini" -- true
	assert_equal "$stderr" 'sysfence: option "--report" cannot be combined with another mode option'
	run -125 --separate-stderr "$SYSFENCE" --report --list-groups
	assert_equal "$stderr" 'sysfence: option "--report" cannot be combined with another mode option'
}

# Run "$@" as root (when the tests run as root) and as the test user.
# $who is "root" or "user" inside the body, which is the function $1.
for_root_and_user() {
	local body=$1
	if [ "$EUID" -eq 0 ]; then
		who=root "$body"
	fi
	who=user "$body"
}

# "$@", as the test user when $who is "user".
as_who() {
	if [ "$who" = user ]; then
		as_user "$@"
	else
		"$@"
	fi
}

sendmsg_holds() {
	# Every descriptor the hand-over socket could have had, with the
	# flags the old hand-over let through: each is refused by the kernel.
	run -0 --separate-stderr as_who "$SYSFENCE" --report -p "$T/s.ini" -- \
		sh -c 'for fd in 3 4 5 6 7 8 9; do "$0" raw sendmsg $fd 0 0x40004040; done; "$0" raw sendmsg 1' "$PROBE"
	assert_output "$(printf 'EPERM\n%.0s' 1 2 3 4 5 6 7 8)"
	assert_equal "${#stderr_lines[@]}" 8
	assert_equal "$(stderr_without_pids | sort -u)" \
		"sysfence: pid N ($PROBE): sendmsg: EPERM (rule $T/s.ini:3, group @network-io); to allow: replace the rule at $T/s.ini:3 with \"allow = sendmsg\""
}

@test "a profile's EPERM = sendmsg holds under --report, which still works" {
	profile s <<-'EOF'
		[seccomp]
		default-action = allow
		EPERM = sendmsg
	EOF
	for_root_and_user sendmsg_holds
}

exe_escaped() {
	run -0 --separate-stderr as_who "$SYSFENCE" --report -p "$F/deny-mkdir.ini" -- "$D/probe" mkdir "$W/d"
	assert_output EPERM
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($W/a\\e]0;x\\x07\\nb\\\\c\\xc2\\x9b/probe): mkdir: EPERM (rule $F/deny-mkdir.ini:6, group @file-system); to allow: replace the rule at $F/deny-mkdir.ini:6 with \"allow = mkdir\""
}

@test "the executable's path is printed escaped" {
	# A title-setting escape sequence, BEL, a newline, a backslash and a
	# C1 control (CSI) in the program's own directory name.
	D="$W/"$'a\e]0;x\a\nb\\c\xc2\x9b'
	mkdir -m 0755 "$D"
	cp "$PROBE" "$D/probe"
	chmod 0755 "$D/probe"
	for_root_and_user exe_escaped
}

not_dumpable() {
	# The program is started by the supervisor: $PPID is sysfence.
	run -0 --separate-stderr as_who "$SYSFENCE" --report -p "$T/d.ini" -- \
		sh -c 'exec "$0" open-rw "/proc/$PPID/mem"' "$PROBE"
	assert_output EACCES
	assert_equal "$stderr" ''
	run -0 --separate-stderr as_who "$SYSFENCE" -q --learn="$W/l-$who.ini" -p "$T/d.ini" -- \
		sh -c 'exec "$0" open-rw "/proc/$PPID/mem"' "$PROBE"
	assert_output EACCES
	run -0 as_who sh -c 'exec "$0" open-rw "/proc/$$/mem"' "$PROBE"
	assert_output OK	# the control: a dumpable process of the same user
}

@test "a supervising sysfence is not dumpable: the program cannot open its memory" {
	# Without capabilities, as root too: CAP_SYS_PTRACE would pass.
	profile d <<-'EOF'
		[seccomp]
		default-action = allow
		[capabilities]
		drop = all
	EOF
	for_root_and_user not_dumpable
}

permissive_lists_all() {
	run -0 --separate-stderr as_who "$SYSFENCE" --report --permissive -p "$T/k.ini" -- "$PROBE" calls acct vhangup
	assert_output $'EPERM\nEPERM'
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): acct: would be killed (rule $T/k.ini:2, group @privileged); to allow: add \"allow = acct\" to [seccomp] in $T/k.ini
sysfence: pid N ($PROBE): vhangup: would be killed (rule $T/k.ini:2, group @privileged); to allow: add \"allow = vhangup\" to [seccomp] in $T/k.ini"
	# Without --permissive the first call kills it (SIGKILL: the probe
	# catches SIGSYS), and its buffered output is lost.
	run -137 --separate-stderr as_who "$SYSFENCE" --report -p "$T/k.ini" -- "$PROBE" calls acct vhangup
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 1
}

@test "--permissive reports every denied call of a default-action = kill profile and lets the program finish" {
	profile k <<-'EOF'
		[seccomp]
		default-action = kill
		allow = @system-service
		[capabilities]
		drop = all
	EOF
	for_root_and_user permissive_lists_all
}

@test "--permissive only goes with --report" {
	run -125 --separate-stderr "$SYSFENCE" --permissive -p "$F/deny-mkdir.ini" -- true
	assert_equal "$stderr" 'sysfence: option "--permissive" only goes with --report'
}

@test "a fix names the rule's own file:line, the profile to edit, and for a shipped profile a .local file" {
	mkdir -m 0755 "$T/own" "$T/shipped"
	cat >"$T/shipped/ship.ini" <<-'EOF'
		[seccomp]
		default-action = ENOSYS
		allow = @system-service
		deny = mkdir
		[capabilities]
		drop = all
	EOF
	cp "$T/shipped/ship.ini" "$T/own/mine.ini"
	chmod 0644 "$T/shipped/ship.ini" "$T/own/mine.ini"
	export SYSFENCE_PROFILE_PATH="$T/own:$T/shipped:$SF_TMP/profiles"

	run -0 --separate-stderr "$SYSFENCE" --report -p ship -- "$PROBE" calls mkdir acct
	assert_output $'EPERM\nENOSYS'
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): mkdir: EPERM (rule $T/shipped/ship.ini:4, group @file-system); to allow: add \"allow = mkdir\" to [seccomp] in $T/own/ship.local (it overrides the rule at $T/shipped/ship.ini:4)
sysfence: pid N ($PROBE): acct: ENOSYS (rule $T/shipped/ship.ini:2, group @privileged); to allow: add \"allow = acct\" to [seccomp] in $T/own/ship.local"
	run -0 --separate-stderr "$SYSFENCE" --report -p mine -- "$PROBE" calls mkdir acct
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): mkdir: EPERM (rule $T/own/mine.ini:4, group @file-system); to allow: replace the rule at $T/own/mine.ini:4 with \"allow = mkdir\"
sysfence: pid N ($PROBE): acct: ENOSYS (rule $T/own/mine.ini:2, group @privileged); to allow: add \"allow = acct\" to [seccomp] in $T/own/mine.ini"

	# The fix works where it says: the .local is applied on top.
	printf '[seccomp]\nallow = mkdir\n' >"$T/own/ship.local"
	chmod 0644 "$T/own/ship.local"
	run -0 --separate-stderr "$SYSFENCE" --report -p ship -- "$PROBE" mkdir "$W/d"
	assert_output OK
	assert_equal "$stderr" ''
}
