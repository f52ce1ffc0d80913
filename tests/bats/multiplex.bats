#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# i386's socketcall multiplexer: with "architectures = native x86", i386
# code reaches socket(2) through socketcall(SYS_SOCKET, ARGS), whose
# arguments lie in memory where no filter can read them. sysfence gives
# socketcall(SYS_SOCKET) the most restrictive action socket(2) can get, so
# no family refused to socket(2) is reachable that way. Needs a kernel that
# runs i386 system calls (skipped otherwise).

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
	require_int80
}

x86_profile() {
	profile "$1" <<-EOF
		[profile]
		include = ${2:-default}
		[seccomp]
		architectures = native x86
	EOF
}

@test "control: without sysfence, i386 socketcall creates AF_VSOCK and AF_INET sockets" {
	run -0 "$PROBE" int80-socket AF_INET
	assert_output OK
	run -0 "$PROBE" int80-socket AF_VSOCK
	# EAFNOSUPPORT where the kernel has no vsock: the call reached it
	[[ "$output" == OK || "$output" == EAFNOSUPPORT ]]
}

@test "default with x86 allowed: socketcall cannot create a refused family (root, user, every capability kept)" {
	x86_profile x86
	sf_probe EPERM -p "$T/x86.ini" -- int80-socket AF_VSOCK
	SF_AS=user sf_probe EPERM -p "$T/x86.ini" -- int80-socket AF_VSOCK
	if [ "$EUID" -eq 0 ]; then
		sf_probe EPERM -p "$T/x86.ini" --caps-keep=all -- int80-socket AF_VSOCK
	fi
	# the native call of the same program is refused as before
	sf_probe EPERM -p "$T/x86.ini" -- socket AF_VSOCK
}

@test "[network] families holds for i386 socketcall too" {
	profile fam <<-'EOF'
		[seccomp]
		default-action = allow
		architectures = native x86
		[network]
		families = unix
	EOF
	sf_probe EAFNOSUPPORT -p "$T/fam.ini" -- int80-socket AF_INET
	SF_AS=user sf_probe EAFNOSUPPORT -p "$T/fam.ini" -- int80-socket AF_INET
	sf_probe EAFNOSUPPORT -p "$T/fam.ini" -- socket AF_INET
}

@test "a profile that allows socket outright leaves socketcall(SYS_SOCKET) allowed" {
	profile open <<-'EOF'
		[seccomp]
		default-action = allow
		architectures = native x86
	EOF
	sf_probe OK -p "$T/open.ini" -- int80-socket AF_INET
}

@test "--explain shows the derived socketcall rule with the line it comes from" {
	x86_profile x86
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$T/x86.ini"
	assert_line --regexp "^EPERM = socketcall if arg0 == 1 +; $SF_TMP/profiles/default.ini:[0-9]+\$"
}
