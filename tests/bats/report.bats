#!/usr/bin/env bats
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
		"sysfence: pid N ($PROBE): mkdir: EPERM (rule $F/deny-mkdir.ini:6, group @file-system); to allow: allow = mkdir"
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
		"sysfence: pid N (/usr/bin/dash): getppid: killed (rule $F/kill-getppid.ini:6, group @default); to allow: allow = getppid"
}

@test "a program that catches SIGSYS is killed with SIGKILL, and the report says so" {
	# The probe catches SIGSYS (to tell a trap from a kill); a supervisor
	# cannot force SIGSYS past a handler as the kernel's filter does.
	run -137 --separate-stderr "$SYSFENCE" --report -p "$F/kill-getppid.ini" -- "$PROBE" raw getppid
	assert_output ''
	assert_equal "$(stderr_without_pids)" \
		"sysfence: pid N ($PROBE): getppid: killed with SIGKILL, as the program catches or blocks SIGSYS (rule $F/kill-getppid.ini:6, group @default); to allow: allow = getppid"
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
		"sysfence: pid N ($PROBE): socket(AF_VSOCK, SOCK_STREAM, 0): EPERM (rule $T/r.ini:3, group @network-io); to allow: allow = socket if arg0 == AF_VSOCK"
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
		"sysfence: pid N ($PROBE): mkdir: EPERM (rule $F/deny-mkdir.ini:6, group @file-system); to allow: allow = mkdir"
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
