#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Layers: a later layer's unconditional rule drops the earlier layers' less
# restrictive conditional rules and keeps the more restrictive ones. Each
# test runs the probe (or the escape program) under the shipped default
# profile plus a later layer (the command line or a .local file), as root,
# as the unprivileged test user, and as root with every capability kept
# (the filter is then the only barrier), and checks what the kernel did.
# A control runs the same call without sysfence.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	sf_setup_file
	sf_setup_escape
}

teardown_file() {
	sf_teardown_file
}

setup() {
	sf_setup
}

# probe_all WANT SYSFENCE-ARG... -- PROBE-ARG...: the same result as root,
# as the test user and (as root) with every capability kept.
probe_all() {
	local want=$1
	shift
	sf_probe "$want" "$@"
	if [ "$EUID" -eq 0 ]; then
		SF_AS=user sf_probe "$want" "$@"
		sf_probe "$want" --caps-keep=all "$@"
	fi
}

# escape_all WANT NAME SYSFENCE-ARG...: the escape program's line.
escape_all() {
	local want=$1 name=$2
	shift 2
	run -0 --separate-stderr "$SYSFENCE" "$@" -- "$ESCAPE" "$name"
	assert_output "$want"
	if [ "$EUID" -eq 0 ]; then
		run -0 --separate-stderr as_user "$SYSFENCE" "$@" -- "$ESCAPE" "$name"
		assert_output "$want"
		run -0 --separate-stderr "$SYSFENCE" --caps-keep=all "$@" -- "$ESCAPE" "$name"
		assert_output "$want"
	fi
}

# A .local for default in the test's own profile directory, searched first.
default_local() {
	cat >"$T/default.local"
	chmod 0644 "$T/default.local"
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
}

@test "control: without sysfence the probe creates sockets, socket pairs and NUMA policies" {
	run -0 "$PROBE" socket AF_INET
	assert_output OK
	run -0 "$PROBE" socket AF_UNIX
	assert_output OK
	run -0 "$PROBE" raw set_mempolicy 0 0 0
	assert_output OK
	# No buffer for the pair: the kernel got as far as copying it out.
	run -0 "$PROBE" raw socketpair 2 1 0 0
	assert_output EFAULT
}

@test "default alone allows unix and inet sockets" {
	probe_all OK -p default -- socket AF_INET
	probe_all OK -p default -- socket AF_UNIX
}

@test "--deny=socket on top of default denies every socket, the allowed families included" {
	probe_all EPERM -p default --deny=socket -- socket AF_INET
	probe_all EPERM -p default --deny=socket -- socket AF_UNIX
	probe_all EPERM -p default --deny=socket -- socket AF_INET6
}

@test "--kill=socket on top of default kills on an ordinary socket" {
	probe_all KILLED -p default --kill=socket -- socket AF_INET
}

@test "--deny=@network-io on top of default denies ordinary sockets" {
	probe_all EPERM -p default --deny=@network-io -- socket AF_INET
	probe_all EPERM -p default --deny=@network-io -- socket AF_UNIX
}

@test "a real program: python3 cannot open a TCP socket under default with --deny=socket" {
	local py='import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    print("opened")
except OSError as e:
    print(e.errno)'
	run -0 --separate-stderr "$SYSFENCE" -p default -- python3 -c "$py"
	assert_output opened
	run -0 --separate-stderr "$SYSFENCE" -p default --deny=socket -- python3 -c "$py"
	assert_output 1
	run -0 --separate-stderr as_user "$SYSFENCE" -p default --deny=socket -- python3 -c "$py"
	assert_output 1
}

@test "--deny=socket in a .local of default denies ordinary sockets" {
	default_local <<-'EOF'
		[seccomp]
		deny = socket
	EOF
	probe_all EPERM -p default -- socket AF_INET
}

@test "--allow=@system-service keeps AF_VSOCK, TIOCSTI and READ_IMPLIES_EXEC refused" {
	escape_all BLOCKED:EPERM af-vsock -p default --allow=@system-service
	escape_all BLOCKED:EPERM af-vsock-high -p default --allow=@system-service
	escape_all BLOCKED:EPERM tiocsti -p default --allow=@system-service
	escape_all BLOCKED:EPERM personality-rie -p default --allow=@system-service
}

@test "--allow=socket, --allow=ioctl and --allow=personality keep default's refusals" {
	escape_all BLOCKED:EPERM af-vsock -p default --allow=socket
	escape_all BLOCKED:EPERM af-packet -p default --allow=socket
	escape_all BLOCKED:EPERM tiocsti -p default --allow=ioctl
	escape_all BLOCKED:EPERM tiocsti-high -p default --allow=ioctl
	escape_all BLOCKED:EPERM personality-rie -p default --allow=personality
	# and the harmless values still pass
	escape_all OK harmless-personality -p default --allow=personality
}

@test "allow = @system-service in a .local keeps default's refusals" {
	default_local <<-'EOF'
		[seccomp]
		allow = @system-service ioctl personality socket
	EOF
	escape_all BLOCKED:EPERM af-vsock -p default
	escape_all BLOCKED:EPERM tiocsti -p default
	escape_all BLOCKED:EPERM personality-rie -p default
	probe_all OK -p default -- socket AF_INET
}

@test "default refuses socketpair for any family but unix" {
	probe_all EPERM -p default -- raw socketpair 2 1 0 0
	probe_all EPERM -p default -- raw socketpair 40 1 0 0
	# AF_UNIX reaches the kernel, which finds no buffer to write the pair to
	probe_all EFAULT -p default -- raw socketpair 1 1 0 0
}

@test "default refuses the NUMA memory policy calls" {
	probe_all EPERM -p default -- raw set_mempolicy 0 0 0
	probe_all EPERM -p default -- raw mbind 0 0 0 0 0 0
	probe_all EPERM -p default -- raw set_mempolicy_home_node 0 0 0 0
	probe_all EPERM -p default -- raw migrate_pages 0 0 0 0
}

@test "--explain shows a dropped rule and what overrode it" {
	profile base <<-'EOF'
		[seccomp]
		default-action = ENOSYS
		allow = execve
		EPERM = socket
		allow = socket if arg0 == AF_UNIX
	EOF
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$T/base.ini" --deny=socket
	assert_line --regexp "^# dropped: allow = socket if arg0 == 1 +; $T/base.ini:5, overridden by command line\$"
	assert_line --regexp '^EPERM = socket +; command line$'
}
