#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# [sandbox] restrict-suid-sgid, isolate-signals and isolate-abstract-sockets
# (sysfence.profile(5), docs/sandbox.md): what the kernel refuses under them,
# as root and as a user, each beside a control that makes the same attempt
# without sysfence and shows it works there; their defaults and --explain.

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
	export SYSFENCE_PROFILE_PATH="$T:$F:$SF_TMP/profiles"
	profile suid-no <<-'EOF'
		[profile]
		include = default
		[sandbox]
		restrict-suid-sgid = no
	EOF
	profile suid-yes <<-'EOF'
		[profile]
		include = default
		[sandbox]
		restrict-suid-sgid = yes
	EOF
	profile signals-no <<-'EOF'
		[profile]
		include = default
		[sandbox]
		isolate-signals = no
		isolate-abstract-sockets = no
	EOF
	PIDS=()
}

teardown() {
	sf_kill_pids
}

# The kernel's Landlock ABI (0: none), asked as sysfence asks.
landlock_abi() {
	python3 -c 'import ctypes; v = ctypes.CDLL(None).syscall(444, None, 0, 1); print(max(v, 0))'
}

require_scopes() {
	[ "$(landlock_abi)" -ge 6 ] || skip "the kernel offers no Landlock ABI 6"
}

# A file of the test user's (or root's, as root) to change modes on.
user_file() {
	cp /bin/sh "$W/$1"
	chmod 0755 "$W/$1"
	[ "$EUID" -ne 0 ] || [ "${2:-}" != user ] || chown "$TEST_USER:$TEST_USER" "$W/$1"
}

# Every call that makes a set-id file, each with a set-id mode on a fresh
# file: RESULT as the probe prints it ($1), under sysfence ARGS (after $2).
set_id_attempts() {
	local want=$1 as=$2
	shift 2
	local sfx=$RANDOM
	user_file "c$sfx" "$as"
	user_file "f$sfx" "$as"
	user_file "a$sfx" "$as"
	user_file "b$sfx" "$as"
	sf_probe "$want" "$@" -- chmod "$W/c$sfx" 04755
	sf_probe "$want" "$@" -- fchmod "$W/f$sfx" 02755
	sf_probe "$want" "$@" -- fchmodat "$W/a$sfx" 06755
	sf_probe "$want" "$@" -- fchmodat2 "$W/b$sfx" 04755
	sf_probe "$want" "$@" -- open-create "$W/o$sfx" 04755
	sf_probe "$want" "$@" -- openat-create "$W/t$sfx" 02755
	sf_probe "$want" "$@" -- creat "$W/r$sfx" 04755
	sf_probe "$want" "$@" -- mknod "$W/n$sfx" 04755
	sf_probe "$want" "$@" -- mknodat "$W/m$sfx" 02755
	sf_probe "$want" "$@" -- open-tmpfile "$W" 04755
	sf_probe "$want" "$@" -- mkdir-mode "$W/d$sfx" 02755
}

@test "as root under default: making set-id files fails with EPERM; without sysfence it works" {
	require_root
	set_id_attempts EPERM root -p default
	# Nothing was made or changed: checked from outside.
	run find "$W" -perm /6000
	assert_output ''
	set_id_attempts OK root -p suid-no
	run -0 find "$W" -perm /6000
	[ "${#lines[@]}" -ge 9 ] || fail "set-id files: $output"
	# The control: the same calls without sysfence.
	local f
	for f in chmod fchmod fchmodat fchmodat2; do
		cp /bin/sh "$W/x-$f"
		run -0 "$PROBE" "$f" "$W/x-$f" 04755
		assert_output OK
		[ "$(stat -c %a "$W/x-$f")" = 4755 ]
	done
	run -0 "$PROBE" open-create "$W/x-open" 04755
	assert_output OK
	run -0 "$PROBE" mknod "$W/x-mknod" 02755
	assert_output OK
	[ "$(stat -c %a "$W/x-mknod")" = 2755 ]
}

@test "as root under default: chmod 4755 of a copy of /bin/sh fails and leaves no set-id bit" {
	require_root
	user_file sh
	run -1 --separate-stderr "$SYSFENCE" -p default -- chmod 4755 "$W/sh"
	assert_stderr_contains "chmod: changing permissions of '$W/sh': Operation not permitted"
	[ "$(stat -c %a "$W/sh")" = 755 ]
	# Plain modes are untouched.
	run -0 "$SYSFENCE" -p default -- chmod 0700 "$W/sh"
	[ "$(stat -c %a "$W/sh")" = 700 ]
	# The control, and with restrict-suid-sgid = no.
	chmod 4755 "$W/sh"
	[ "$(stat -c %a "$W/sh")" = 4755 ]
	chmod 0755 "$W/sh"
	run -0 "$SYSFENCE" -p suid-no -- chmod 4755 "$W/sh"
	[ "$(stat -c %a "$W/sh")" = 4755 ]
}

@test "as root: install -m 4755 fails; a mode with the set-uid bit in the upper half of the argument too" {
	require_root
	run -1 --separate-stderr "$SYSFENCE" -p default -- install -m 4755 /bin/sh "$W/inst"
	assert_stderr_contains 'Operation not permitted'
	run find "$W" -perm /6000
	assert_output ''
	# chmod(2) reads a umode_t: the kernel ignores bits 32..63.
	user_file hi
	sf_probe EPERM -p default -- chmod "$W/hi" 0x100000800
	[ "$(stat -c %a "$W/hi")" = 755 ]
	run -0 "$PROBE" chmod "$W/hi" 0x100000800
	assert_output OK
	[ "$(stat -c %a "$W/hi")" = 4000 ]
	run -0 install -m 4755 /bin/sh "$W/inst"
	[ "$(stat -c %a "$W/inst")" = 4755 ]
}

@test "as root: chmod g+s on a directory fails under default (as under systemd's RestrictSUIDSGID=)" {
	require_root
	run -1 --separate-stderr "$SYSFENCE" -p default -- sh -c "mkdir '$W/d' && chmod g+s '$W/d'"
	assert_stderr_contains "chmod: changing permissions of '$W/d': Operation not permitted"
	[ "$(stat -c %a "$W/d")" = 755 ]
	chmod g+s "$W/d"
	[ "$(stat -c %a "$W/d")" = 2755 ]
	run -0 "$SYSFENCE" -p suid-no -- sh -c "mkdir '$W/e' && chmod g+s '$W/e'"
	[ "$(stat -c %a "$W/e")" = 2755 ]
}

@test "as root: openat2 fails with ENOSYS under restrict-suid-sgid, so libc falls back to openat" {
	require_root
	sf_probe ENOSYS -p default -- openat2 /etc/passwd
	sf_probe OK -p suid-no -- openat2 /etc/passwd
	run -0 "$PROBE" openat2 /etc/passwd
	assert_output OK
}

@test "as a user: no set-id refusal by default; restrict-suid-sgid = yes refuses the same calls" {
	local before
	SF_AS=user set_id_attempts OK user -p default
	run -0 find "$W" -perm /6000
	# S_ISGID on a new file in a directory of another group is dropped.
	[ "${#lines[@]}" -ge 7 ] || fail "set-id files: $output"
	before=$output
	SF_AS=user set_id_attempts EPERM user -p suid-yes
	run -0 find "$W" -perm /6000
	assert_output "$before"
	SF_AS=user sf_probe ENOSYS -p suid-yes -- openat2 /etc/passwd
	user_file u user
	run -0 as_user "$PROBE" chmod "$W/u" 04755
	assert_output OK
}

# A sleep started outside sysfence, as root or (user) as the test user.
start_sleep() {
	if [ "${1:-}" = user ] && [ "$EUID" -eq 0 ]; then
		setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups -- sleep 1000 &
	else
		sleep 1000 &
	fi
	SLEEP=$!
	PIDS+=("$SLEEP")
}

signals_are_isolated() {
	local as=$1
	shift
	start_sleep "$as"
	sf_probe EPERM "$@" -- kill "$SLEEP" 15
	kill -0 "$SLEEP" || fail "the sleep died"
	# /proc/PID/mem says EACCES when the ptrace check (here Landlock's) fails.
	sf_probe EACCES "$@" -- write-mem "$SLEEP"
	sf_probe OK "$@" -- kill-child
	# The control: the same probe, outside.
	if [ "$as" = user ]; then
		run -0 as_user "$PROBE" write-mem "$SLEEP"
	else
		run -0 "$PROBE" write-mem "$SLEEP"
	fi
	assert_output OK
	if [ "$as" = user ]; then
		run -0 as_user "$PROBE" kill "$SLEEP" 15
	else
		run -0 "$PROBE" kill "$SLEEP" 15
	fi
	assert_output OK
	wait "$SLEEP" || true
}

@test "isolate-signals: under default the program cannot signal or write the memory of an outside process" {
	require_scopes
	SF_AS=user signals_are_isolated user -p default
	if [ "$EUID" -eq 0 ]; then
		signals_are_isolated root -p default
		signals_are_isolated root -p default --caps-keep=all
	fi
}

@test "isolate-signals = no: the program signals an outside process again" {
	require_scopes
	start_sleep user
	SF_AS=user sf_probe OK -p signals-no -- kill "$SLEEP" 0
	SF_AS=user sf_probe OK -p signals-no -- kill "$SLEEP" 15
	wait "$SLEEP" || true
	! kill -0 "$SLEEP" 2>/dev/null
}

# A listener outside sysfence on the abstract unix socket @$1 and one on the
# path $W/path.sock; returns once both listen.
start_listeners() {
	mkfifo "$W/ready"
	python3 -c '
import signal, socket, sys
a = socket.socket(socket.AF_UNIX); a.bind("\0" + sys.argv[1]); a.listen(8)
p = socket.socket(socket.AF_UNIX); p.bind(sys.argv[2]); p.listen(8)
import os; os.chmod(sys.argv[2], 0o777)
open(sys.argv[3], "w").write("ready\n")
signal.pause()' "$1" "$W/path.sock" "$W/ready" &
	PIDS+=("$!")
	read -r _ <"$W/ready"
}

@test "isolate-abstract-sockets: connecting to an abstract socket made outside fails; a path socket works" {
	require_scopes
	local name="sysfence-test-$$-$BATS_TEST_NUMBER"
	start_listeners "$name"
	run -0 "$PROBE" unix-connect "@$name"
	assert_output OK
	run -0 as_user "$PROBE" unix-connect "@$name"
	assert_output OK
	SF_AS=user sf_probe EPERM -p default -- unix-connect "@$name"
	SF_AS=user sf_probe OK -p default -- unix-connect "$W/path.sock"
	SF_AS=user sf_probe OK -p signals-no -- unix-connect "@$name"
	if [ "$EUID" -eq 0 ]; then
		sf_probe EPERM -p default -- unix-connect "@$name"
		sf_probe EPERM -p default --caps-keep=all -- unix-connect "@$name"
		sf_probe OK -p default -- unix-connect "$W/path.sock"
	fi
}

@test "the scopes join the [filesystem] rules in one Landlock domain; -v names them" {
	require_scopes
	profile fs <<-EOF
		[seccomp]
		default-action = allow
		[filesystem]
		read-only = /
		read-write = $W
		execute = /
	EOF
	start_sleep user
	SF_AS=user sf_probe EPERM -p fs -- kill "$SLEEP" 15
	SF_AS=user sf_probe OK -p fs -- touch "$W/f"
	SF_AS=user sf_probe EACCES -p fs -- touch "$T/f"
	run -0 --separate-stderr as_user "$SYSFENCE" -v -p fs -- "$PROBE" pid
	assert_stderr_contains $'sysfence: landlock ABI '
	assert_stderr_contains $'\nsysfence: landlock scopes: signals abstract-unix-sockets\n'
}

# One --explain line: "KEY = VALUE", padded as sysfence pads it, "; WHERE".
explain_line() {
	printf '%-45s ; %s' "$1" "$2"
}

@test "--explain shows the [sandbox] values and where each comes from" {
	run -0 --separate-stderr as_user "$SYSFENCE" --explain -p default -- true
	assert_line "$(explain_line 'restrict-suid-sgid = no' 'default: yes only for a program that runs as root')"
	assert_line "$(explain_line 'isolate-signals = yes' 'default: where the kernel has Landlock ABI 6')"
	assert_line "$(explain_line 'isolate-abstract-sockets = yes' 'default: where the kernel has Landlock ABI 6')"
	run -0 --separate-stderr as_user "$SYSFENCE" --explain -p signals-no -- true
	assert_line "$(explain_line 'isolate-signals = no' "$T/signals-no.ini:4")"
	assert_line "$(explain_line 'isolate-abstract-sockets = no' "$T/signals-no.ini:5")"
	run -0 --separate-stderr as_user "$SYSFENCE" --explain -p suid-yes -- true
	assert_line "$(explain_line 'restrict-suid-sgid = yes' "$T/suid-yes.ini:4")"
	assert_line "$(explain_line 'EPERM = chmod if arg1 & 0xc00' "$T/suid-yes.ini:4")"
	assert_line "$(explain_line 'ENOSYS = openat2 if arg0 >= 0' "$T/suid-yes.ini:4")"
	if [ "$EUID" -eq 0 ]; then
		run -0 --separate-stderr "$SYSFENCE" --explain -p default -- true
		assert_line "$(explain_line 'restrict-suid-sgid = yes' 'default: the program runs as root')"
		assert_line "$(explain_line 'EPERM = chmod if arg1 & 0xc00' 'default: the program runs as root')"
		run -0 --separate-stderr "$SYSFENCE" --explain -p suid-no -- true
		assert_line "$(explain_line 'restrict-suid-sgid = no' "$T/suid-no.ini:4")"
		refute_line --partial 'EPERM = chmod if'
	fi
}

@test "an unknown [sandbox] key is an error at FILE:LINE with a hint; so is a value other than yes or no" {
	profile bad-key <<-'EOF'
		[seccomp]
		default-action = allow
		[sandbox]
		isolate-signal = yes
	EOF
	run -125 --separate-stderr "$SYSFENCE" -p bad-key -- true
	[ "$stderr" = "sysfence: $T/bad-key.ini:4: unknown key \"isolate-signal\" in [sandbox] (did you mean \"isolate-signals\"?)" ]
	profile bad-value <<-'EOF'
		[seccomp]
		default-action = allow
		[sandbox]
		restrict-suid-sgid = maybe
	EOF
	run -125 --separate-stderr "$SYSFENCE" -p bad-value -- true
	[ "$stderr" = "sysfence: $T/bad-value.ini:4: expected yes or no, found \"maybe\"" ]
	run -1 --separate-stderr "$SYSFENCE" --check "$T/bad-value.ini"
	assert_stderr_contains "$T/bad-value.ini:4: expected yes or no, found \"maybe\""
}

@test "precompiled: a run as root gets the root default, a run as a user does not" {
	require_root
	export SYSFENCE_CACHE_DIR="$T/cache"
	run -0 --separate-stderr "$SYSFENCE" --precompile -p default
	user_file r
	user_file u user
	run -0 --separate-stderr "$SYSFENCE" -v -p default -- "$PROBE" chmod "$W/r" 04755
	assert_output EPERM
	assert_stderr_contains 'sysfence: precompiled policy '
	run -0 --separate-stderr as_user "$SYSFENCE" -v -p default -- "$PROBE" chmod "$W/u" 04755
	assert_output OK
	assert_stderr_contains 'sysfence: precompiled policy '
	[ "$(stat -c %a "$W/r") $(stat -c %a "$W/u")" = "755 4755" ]
}

@test "--export describes the profile: as root too, the root default of restrict-suid-sgid is left out" {
	require_root
	local as_root as_user with_key
	as_root=$("$SYSFENCE" --export=pfc -p default)
	as_user=$(as_user "$SYSFENCE" --export=pfc -p default)
	[ "$as_root" = "$as_user" ] || fail "the export as root differs from the export as a user"
	with_key=$("$SYSFENCE" --export=pfc -p suid-yes)
	[ "$with_key" != "$as_root" ] || fail "restrict-suid-sgid = yes changed nothing in the export"
}
