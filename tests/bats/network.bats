#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# [network]: socket families (seccomp) and TCP ports (Landlock ABI 4).

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
	C="$F/confine"
	SERVER_PID=
}

teardown() {
	[ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || :
}

families_enforced() {
	sf_probe OK -p "$C/families.ini" -- socket AF_UNIX
	sf_probe OK -p "$C/families.ini" -- socket AF_INET
	sf_probe EAFNOSUPPORT -p "$C/families.ini" -- socket AF_INET6
	sf_probe EAFNOSUPPORT -p "$C/families.ini" -- socket AF_NETLINK
	sf_probe EAFNOSUPPORT -p "$C/families.ini" -- socket AF_PACKET
	# The kernel reads an int: junk in the upper half does not get through.
	sf_probe EAFNOSUPPORT -p "$C/families.ini" -- socket 0x100000010
	sf_probe EAFNOSUPPORT -p "$C/families.ini" -- raw socketpair 10 1 0 0
}

@test "families: other socket families fail with EAFNOSUPPORT" {
	families_enforced
}

@test "as a user, families: other socket families fail with EAFNOSUPPORT" {
	require_root
	SF_AS=user families_enforced
}

@test "families is a ceiling the profile's allow rules cannot widen" {
	sf_probe EAFNOSUPPORT -p "$C/families-allow.ini" -- socket AF_NETLINK
	sf_probe OK -p "$C/families-allow.ini" -- socket AF_INET
}

@test "an unknown family names the file and line" {
	run -125 --separate-stderr "$SYSFENCE" -p "$C/families-typo.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/families-typo.ini:2: unknown socket family \"inet4\" (did you mean \"inet\"?)" ]
	assert_file_not_exists "$W/ran"
}

@test "a bad port names the file and line" {
	run -125 --separate-stderr "$SYSFENCE" -p "$C/bad-port.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/bad-port.ini:2: invalid TCP port \"http\" for connect-tcp (expected 0-65535, a range such as 8000-8080, or \"none\")" ]
	assert_file_not_exists "$W/ran"
}

require_landlock_net() {
	local v
	v=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null) || v=0
	[ "$v" -ge 4 ] || skip "the kernel offers no Landlock ABI 4 (TCP rules)"
}

# Start a TCP server on 127.0.0.1 (a free port) that answers "hello" to
# every connection. Sets SF_PORT once it listens.
start_server() {
	local rfd
	mkfifo "$W/port"
	exec {rfd}<>"$W/port"
	python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
with open(sys.argv[1], "w") as f:
    print(s.getsockname()[1], file=f)
while True:
    c, _ = s.accept()
    c.sendall(b"hello\n")
    c.close()
' "$W/port" 3>&- &
	SERVER_PID=$!
	read -r -t 20 -u "$rfd" SF_PORT
	exec {rfd}>&-
	export SF_PORT
	printf '[network]\nconnect-tcp = %s\n[seccomp]\ndefault-action = allow\n' "$SF_PORT" | profile connect
}

connect_checks() {
	run -0 --separate-stderr "$@" "$SYSFENCE" -p "$T/connect.ini" -- \
		bash -c 'exec 4<>"/dev/tcp/127.0.0.1/$SF_PORT" && cat <&4'
	assert_output hello
	run -1 --separate-stderr "$@" "$SYSFENCE" -p "$C/connect-none.ini" -- \
		bash -c 'exec 4<>"/dev/tcp/127.0.0.1/$SF_PORT" && cat <&4'
	assert_output ''
	assert_stderr_contains "Permission denied"
}

@test "connect-tcp: an allowed port reaches a local server, another fails with EACCES" {
	require_landlock_net
	start_server
	connect_checks
}

@test "as a user, connect-tcp: an allowed port reaches a local server, another fails" {
	require_root
	require_landlock_net
	start_server
	connect_checks as_user
}

@test "bind-tcp: only the listed ports can be bound" {
	require_landlock_net
	local port=$((20000 + RANDOM % 20000))
	printf '[network]\nbind-tcp = %s\n[seccomp]\ndefault-action = allow\n' "$port" | profile bind
	sf_probe EACCES -p "$C/bind-none.ini" -- bind-tcp "$port"
	run -0 --separate-stderr "$SYSFENCE" -p "$T/bind.ini" -- "$PROBE" bind-tcp "$port"
	[[ "$output" == OK || "$output" == EADDRINUSE ]]	# the port may be taken; Landlock let it through
	sf_probe EACCES -p "$T/bind.ini" -- bind-tcp "$((port + 1))"
}

@test "landlock = required fails closed when the kernel cannot enforce connect-tcp" {
	run -125 --separate-stderr "$SYSFENCE" -p "$C/no-landlock.ini" -- \
		"$SYSFENCE" -p "$C/connect-none.ini" -- "$PROBE" touch "$W/ran"
	[ "$stderr" = "sysfence: $C/connect-none.ini:2: connect-tcp needs Landlock ABI 4 (TCP rules) and the kernel offers no Landlock (landlock = best-effort runs without them)" ]
	assert_file_not_exists "$W/ran"
}

@test "--explain shows families and ports, and the socket rules they add" {
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$C/families.ini" -- true
	assert_line --regexp "^families = unix inet +; $C/families.ini:2\$"
	assert_line --regexp "^EAFNOSUPPORT = socket if arg0 != 1 && arg0 != 2 ; $C/families.ini:2\$"
}

require_mptcp() {
	[ -r /proc/sys/net/mptcp/enabled ] || skip "the kernel has no MPTCP (no /proc/sys/net/mptcp/enabled)"
	[ "$(cat /proc/sys/net/mptcp/enabled)" = 1 ] || skip "MPTCP is disabled (net.mptcp.enabled = 0)"
}

# Landlock restricts IPPROTO_TCP sockets only: an MPTCP socket would connect
# (its TCP subflow falls back to plain TCP with a plain server) to any port.
mptcp_checks() {
	run -0 "$@" "$PROBE" mptcp-connect "$SF_PORT"
	assert_output OK	# the kernel has MPTCP and the server answers
	run -0 --separate-stderr "$@" "$SYSFENCE" -p "$C/connect-none.ini" -- "$PROBE" mptcp-connect "$SF_PORT"
	assert_output EPROTONOSUPPORT
	run -0 --separate-stderr "$@" "$SYSFENCE" -p "$C/bind-none.ini" -- "$PROBE" mptcp-connect "$SF_PORT"
	assert_output EPROTONOSUPPORT
	# Even to a listed port: programs fall back to plain TCP, which Landlock sees.
	run -0 --separate-stderr "$@" "$SYSFENCE" -p "$T/connect.ini" -- "$PROBE" mptcp-connect "$SF_PORT"
	assert_output EPROTONOSUPPORT
}

@test "connect-tcp: an MPTCP socket cannot reach a port that is not listed" {
	require_landlock_net
	require_mptcp
	start_server
	mptcp_checks
}

@test "as a user, connect-tcp: an MPTCP socket cannot reach a port that is not listed" {
	require_root
	require_landlock_net
	require_mptcp
	start_server
	mptcp_checks as_user
}

@test "an allow rule on the command line does not reopen MPTCP" {
	require_landlock_net
	require_mptcp
	start_server
	run -0 --separate-stderr "$SYSFENCE" -p "$C/connect-none.ini" --default-action=allow --allow=socket -- "$PROBE" mptcp-connect "$SF_PORT"
	assert_output EPROTONOSUPPORT
}

listen_checks() {
	# The kernel would pick a free port for a socket never bound.
	run -0 "$@" "$PROBE" listen-tcp
	assert_output OK
	run -0 --separate-stderr "$@" "$SYSFENCE" -p "$C/bind-none.ini" -- "$PROBE" listen-tcp
	assert_output EACCES
}

@test "bind-tcp = none: listen() on a socket never bound fails with EACCES" {
	require_landlock_net
	listen_checks
}

@test "as a user, bind-tcp = none: listen() on a socket never bound fails with EACCES" {
	require_root
	require_landlock_net
	listen_checks as_user
}

@test "bind-tcp = none refuses unix-socket listeners too, unless families leaves out inet and inet6" {
	require_landlock_net
	local listen='import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
try:
    s.listen(1)
    print("OK")
except OSError as e:
    print(e.strerror)'
	run -0 --separate-stderr "$SYSFENCE" -p "$C/bind-none.ini" -- python3 -c "$listen" "$W/a.sock"
	assert_output "Permission denied"
	printf '[seccomp]\ndefault-action = allow\n[network]\nfamilies = unix\nbind-tcp = none\n' | profile unix-only
	run -0 --separate-stderr "$SYSFENCE" -p "$T/unix-only.ini" -- python3 -c "$listen" "$W/b.sock"
	assert_output OK
}

@test "--explain shows the MPTCP and listen refusals that TCP rules add" {
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$C/bind-none.ini" -- true
	assert_line --regexp "^EACCES = listen if arg0 >= 0 +; $C/bind-none.ini:2\$"
	assert_line --regexp "^EPROTONOSUPPORT = socket if arg0 == 2 && arg2 == 0x106 \|\| arg0 == 0xa && arg2 == 0x106 ; $C/bind-none.ini:2\$"
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$C/connect-none.ini" -- true
	refute_line --partial "listen"
	assert_line --regexp "^EPROTONOSUPPORT = socket if .* ; $C/connect-none.ini:2\$"
}
