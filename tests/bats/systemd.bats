#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# What systemd relies on survives the launcher (sysfence(1) "Using it from
# systemd"): the PID systemd started is the program's, NOTIFY_SOCKET
# messages arrive from that PID, socket activation hands over a listening
# descriptor that a real server answers on, and SIGTERM reaches the program.
# Also: the example units pass systemd-analyze verify. tests/nspawn/run does
# the same under a real systemd (opt-in, see README.md).

bats_require_minimum_version 1.5.0
load helpers

PY=/usr/bin/python3

setup_file() {
	sf_setup_file
}

teardown_file() {
	sf_teardown_file
}

setup() {
	sf_setup
	[ -x "$PY" ] || skip "python3 is not installed"
}

# Read one line from a FIFO, failing after 20 s. Opening it read-write does
# not block, so a writer that never starts cannot hang the test.
await_fifo() {
	local fd line
	exec {fd}<>"$1"
	if ! read -r -t 20 -u "$fd" line; then
		exec {fd}<&-
		echo "nothing arrived on $1 within 20 s" >&2
		return 1
	fi
	exec {fd}<&-
}

# wait for a background PID, but at most 20 s: kill it and fail after that.
wait_bounded() {
	local pid=$1 i
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		echo "process $pid did not end within 20 s" >&2
		return 1
	fi
	wait "$pid"
}

# Exec a command as root or, with $1 = user, as the test user. It replaces
# the shell that runs it, so that $! of "as ... &" is the program's PID:
# use it only in the background or under run (both in a subshell).
as() {
	local who=$1
	shift
	if [ "$who" = user ]; then
		exec setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups -- "$@"
	fi
	exec "$@"
}

# The users to run each check as: root and the test user when root, else
# the current user only.
users() {
	if [ "$EUID" -eq 0 ]; then
		echo root user
	else
		echo self
	fi
}

# A datagram receiver on $1: reports "ready" on fifo $2 once bound, then
# prints the sender's pid (SCM_CREDENTIALS) and the message of the first
# datagram, and exits.
notify_receiver() {
	"$PY" - "$1" "$2" <<-'EOF'
	import os, socket, struct, sys
	path, ready = sys.argv[1], sys.argv[2]
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind(path)
	os.chmod(path, 0o777)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
	s.settimeout(20)
	with open(ready, "w") as f:
	    f.write("ready\n")
	msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
	pid = [struct.unpack("iII", d)[0] for (l, t, d) in anc
	       if l == socket.SOL_SOCKET and t == socket.SCM_CREDENTIALS][0]
	print("pid=%d" % pid)
	print(msg.decode().strip().replace("\n", " "))
	EOF
}

@test "the program keeps the PID sysfence was started with (exec in place)" {
	local who
	for who in $(users); do
		run -0 --separate-stderr as "$who" bash -c '"$1" -p default -- /bin/sh -c "echo \$\$" & echo "$!"; wait "$!"' \
			_ "$SYSFENCE"
		[ "${#lines[@]}" -eq 2 ]
		assert_equal "${lines[1]}" "${lines[0]}"
	done
}

@test "NOTIFY_SOCKET messages from the program arrive, sent by the PID systemd started" {
	local who sock pid recv
	for who in $(users); do
		sock="$W/notify-$who"
		mkfifo "$W/ready-$who"
		notify_receiver "$sock" "$W/ready-$who" >"$W/recv-$who" &
		recv=$!
		await_fifo "$W/ready-$who"
		# The sender is the program itself, as with NotifyAccess=main.
		NOTIFY_SOCKET=$sock as "$who" "$SYSFENCE" -p default -- "$PY" -c '
import os, socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"READY=1\nSTATUS=confined", os.environ["NOTIFY_SOCKET"])' &
		pid=$!
		wait_bounded "$pid"
		wait_bounded "$recv"
		run cat "$W/recv-$who"
		assert_line "pid=$pid"
		assert_line 'READY=1 STATUS=confined'
	done
}

@test "systemd-notify --ready under sysfence reaches NOTIFY_SOCKET" {
	# --no-block: the receiver answers no barrier, as systemd would.
	command -v systemd-notify >/dev/null || skip "systemd-notify is not installed"
	local sock="$W/notify" recv
	mkfifo "$W/ready"
	notify_receiver "$sock" "$W/ready" >"$W/recv" &
	recv=$!
	await_fifo "$W/ready"
	NOTIFY_SOCKET=$sock run -0 "$SYSFENCE" -p default -- systemd-notify --no-block --ready --status=up
	wait_bounded "$recv"
	run cat "$W/recv"
	assert_line 'READY=1 STATUS=up'
}

@test "socket activation: a server under sysfence answers on 127.0.0.1 through the passed descriptor 3" {
	command -v systemd-socket-activate >/dev/null || skip "systemd-socket-activate is not installed"
	local who port fd line act
	for who in $(users); do
		port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		mkfifo "$W/listen-$who"
		# systemd-socket-activate says "Listening on ..." once bound; it
		# starts the server at the first connection, as Accept=no does.
		as "$who" systemd-socket-activate -E SYSFENCE_PROFILE_PATH -l "127.0.0.1:$port" -- "$SYSFENCE" -p default -- "$PY" -c '
import os, socket
assert os.environ["LISTEN_FDS"] == "1"
s = socket.socket(fileno=3)
c, _ = s.accept()
c.sendall(("pid=%d listen_pid=%s\n" % (os.getpid(), os.environ["LISTEN_PID"])).encode())
c.close()' 2>"$W/listen-$who" >/dev/null &
		act=$!
		# Keep the fifo open until the end: its writer must not get EPIPE.
		exec {fd}<"$W/listen-$who"
		while read -r -t 20 -u "$fd" line; do
			[[ "$line" == *'Listening on'* ]] && break
		done
		run -0 "$PY" -c '
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
print(c.makefile().readline().strip())' "$port"
		wait_bounded "$act"
		exec {fd}<&-
		[[ "$output" =~ ^pid=([0-9]+)\ listen_pid=([0-9]+)$ ]]
		assert_equal "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}"
	done
}

@test "SIGTERM reaches the program" {
	local who pid st
	for who in $(users); do
		mkfifo -m 0666 "$W/up-$who"
		as "$who" "$SYSFENCE" -p default -- "$PY" -c '
import signal, sys
# Blocked, then awaited: a signal that comes before the wait stays pending
# (a handler plus signal.pause() would miss one that lands in between).
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
open(sys.argv[1], "w").write("up\n")
signal.sigwait({signal.SIGTERM})
print("got SIGTERM", flush=True)' "$W/up-$who" >"$W/out-$who" &
		pid=$!
		await_fifo "$W/up-$who"
		kill -TERM "$pid"
		st=0
		wait_bounded "$pid" || st=$?
		assert_equal "$st" 0
		run cat "$W/out-$who"
		assert_output 'got SIGTERM'
	done
}

@test "the example units name the launcher under the configured prefix" {
	[ -f "${BUILD:-}/CMakeCache.txt" ] || skip "no build directory in \$BUILD"
	local prefix bindir f
	prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
	bindir=$(sed -n 's/^CMAKE_INSTALL_BINDIR:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
	case $bindir in /*) ;; *) bindir=$prefix/$bindir ;; esac
	for f in "$BUILD"/packaging/systemd/*.service; do
		run -0 grep '^ExecStart=' "$f"
		assert_output --regexp "^ExecStart=$bindir/sysfence "
	done
	# The templates name no path of their own.
	run grep -l '/usr/bin/sysfence\|/usr/local/bin/sysfence' "$SRC"/packaging/systemd/*
	assert_output ''
	# An install to another prefix than the configured one gets units
	# that name the launcher it installed.
	command -v cmake >/dev/null || skip "cmake is not installed"
	run -0 env DESTDIR="$T/root" cmake --install "$BUILD" --prefix /opt/sf-prefix-test
	[ -x "$T/root/opt/sf-prefix-test/bin/sysfence" ]
	for f in "$T"/root/opt/sf-prefix-test/share/doc/sysfence/examples/*.service; do
		run -0 grep '^ExecStart=' "$f"
		assert_output --regexp '^ExecStart=/opt/sf-prefix-test/bin/sysfence '
	done
	[ -f "$T/root/opt/sf-prefix-test/share/doc/sysfence/examples/sysfence-demo-echo@.service" ]
}

@test "the example units pass systemd-analyze verify" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	[ -d "${BUILD:-}/packaging/systemd" ] || skip "no configured units in \$BUILD"
	local f
	# verify checks that ExecStart= exists: point it at the built binary.
	for f in "$BUILD"/packaging/systemd/*.service "$BUILD"/packaging/systemd/*.socket; do
		sed "s|^ExecStart=[^ ]*/sysfence |ExecStart=$SYSFENCE |" "$f" >"$T/$(basename "$f")"
	done
	run -0 --separate-stderr systemd-analyze verify --man=no "$T"/*.service "$T"/*.socket
	assert_equal "$stderr" ''
	# A unit with a typo is caught: the check does look at the units.
	printf 'Typo=1\n' >>"$T/sysfence-demo-notify.service"
	run --separate-stderr systemd-analyze verify --man=no "$T"/sysfence-demo-notify.service
	assert_stderr_contains "Unknown key 'Typo'"
}
