#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults around the launcher: unreadable or swapped profiles, no /proc, tiny
# resource limits, odd programs, huge argument lists, signals before exec.
# Each must end with status 125 and a message (or the program's normal
# result, confined), and never with the program running unconfined. The
# marker files the probe would create prove whether the program ran.

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
	# One file, no include: a filter that allows everything but mkdir.
	profile deny-mkdir <<-'EOF'
		[seccomp]
		default-action = allow
		deny = mkdir
	EOF
}

# Run "$@" with only descriptors 0-2 open (bats keeps others open, which
# would count against a tiny RLIMIT_NOFILE) and ulimit option $1 set to $2.
with_ulimit() {
	local opt=$1 value=$2
	shift 2
	bash -c '
		for fd in /proc/$$/fd/*; do
			fd=${fd##*/}
			[ "$fd" -gt 2 ] && eval "exec $fd>&-"
		done
		ulimit '"$opt"' "$0" && exec "$@"' "$value" "$@"
}

# Whether $SYSFENCE is built with AddressSanitizer, whose runtime reserves
# terabytes of address space and so cannot start under a small RLIMIT_AS.
built_with_asan() {
	ldd "$SYSFENCE" 2>/dev/null | grep -q libasan
}

@test "an unreadable profile ends with 125 and names it" {
	profile secret <<-'EOF'
		[seccomp]
		default-action = allow
	EOF
	chmod 0000 "$T/secret.ini"
	run -125 --separate-stderr as_user "$SYSFENCE" -p "$T/secret.ini" -- "$PROBE" touch "$W/marker"
	assert_equal "$stderr" "sysfence: cannot open \"$T/secret.ini\": Permission denied"
	assert_file_not_exists "$W/marker"
}

@test "each profile file is opened once and read from that descriptor" {
	command -v strace >/dev/null || skip "strace is not installed"
	profile base <<-'EOF'
		[seccomp]
		default-action = allow
	EOF
	profile main <<-'EOF'
		[profile]
		include = ./base.ini
		[seccomp]
		deny = mkdir
	EOF
	run -0 strace -f -qq -o "$T/trace" -e trace=open,openat,openat2,read "$SYSFENCE" --check -p "$T/main.ini"
	local f fd
	for f in main base; do
		run -0 grep -c "\"$T/$f.ini\"" "$T/trace"
		assert_output 1
		# The descriptor open returned is the one the text comes from.
		fd=$(sed -n "s/.*open.*\"$(printf '%s' "$T/$f.ini" | sed 's/[.[\*^$/]/\\&/g')\".* = \([0-9]*\)$/\1/p" "$T/trace")
		[ -n "$fd" ]
		run -0 grep -c "read($fd, \"\[" "$T/trace"
		assert [ "$output" -ge 1 ]
	done
}

@test "a profile swapped between opening and checking is refused (root)" {
	require_root
	command -v gdb >/dev/null || skip "gdb is not installed"
	# $T/sw is a symlink to a directory others can write; once sysfence
	# has opened sw/c.ini, the link is turned to a safe directory before
	# the ownership checks run (gdb stops sysfence at them:
	# root_rule_check() of src/base/rootrule.c). The checks must notice that the
	# name no longer leads to the file that was opened.
	mkdir -m 0777 "$T/evil"
	mkdir -m 0755 "$T/good" "$T/empty"
	printf '[seccomp]\ndefault-action = allow\n' >"$T/evil/c.ini"
	printf '[seccomp]\ndefault-action = allow\ndeny = mkdir\n' >"$T/good/c.ini"
	chmod 0644 "$T/evil/c.ini" "$T/good/c.ini"
	ln -s evil "$T/sw"
	SYSFENCE_PROFILE_PATH="$T/empty" run -0 gdb -q -batch -ex 'break root_rule_check' -ex run \
		-ex "shell ln -sfn good '$T/sw'" -ex delete -ex continue \
		--args "$SYSFENCE" --explain -p "$T/sw/c.ini"
	# The directory checked is the one of the file opened (its name from
	# /proc/self/fd), not the one the swapped link now leads to.
	assert_line "sysfence: refusing \"$T/sw/c.ini\": directory \"$T/evil\" is writable by group or others"
	assert_line --partial 'exited with code 0175'
	refute_line --partial 'default-action'
}

@test "as root, a symlink to a profile in a directory others can write is refused" {
	require_root
	cp "$T/deny-mkdir.ini" "$W/p.ini"
	ln -s "$W/p.ini" "$T/link.ini"
	run -125 --separate-stderr "$SYSFENCE" -p "$T/link.ini" -- "$PROBE" touch "$W/marker"
	assert_equal "$stderr" "sysfence: refusing \"$T/link.ini\": directory \"$W\" is writable by group or others"
	assert_file_not_exists "$W/marker"
}

@test "without /proc (a tmpfs over it, or unmounted) every step still applies" {
	require_root
	profile noproc <<-'EOF'
		[seccomp]
		default-action = allow
		deny = mkdir
		[capabilities]
		drop = all
		[process]
		close-fds = yes
		[limits]
		nofile = 64
	EOF
	touch "$W/file"
	local hide
	for hide in "mount -t tmpfs none /proc" "umount -l /proc"; do
		# (stdout only: a sanitizer build warns on stderr without /proc)
		run -0 --separate-stderr unshare -m sh -c "$hide && ! test -e /proc/self && exec \"\$@\"" sh \
			"$SYSFENCE" -p "$T/noproc.ini" -- "$PROBE" mkdir "$W/dir"
		assert_output EPERM
		# No capability is left: root cannot chown without CAP_CHOWN.
		run -0 --separate-stderr unshare -m sh -c "$hide && exec \"\$@\"" sh \
			"$SYSFENCE" -p "$T/noproc.ini" -- "$PROBE" chown "$W/file" 1 1
		assert_output EPERM
	done
	assert_file_not_exists "$W/dir"
}

@test "RLIMIT_NOFILE of 4: a single-file profile runs confined, an include fails with 125" {
	run -0 --separate-stderr with_ulimit -n 4 "$SYSFENCE" -p "$T/deny-mkdir.ini" -- "$PROBE" mkdir "$W/dir"
	assert_output EPERM
	profile base <<-'EOF'
		[seccomp]
		default-action = allow
	EOF
	profile inc <<-'EOF'
		[profile]
		include = ./base.ini
		[seccomp]
		deny = mkdir
	EOF
	run -125 --separate-stderr with_ulimit -n 4 "$SYSFENCE" -p "$T/inc.ini" -- "$PROBE" touch "$W/marker"
	assert_equal "$stderr" "sysfence: $T/inc.ini:2: cannot open \"$T/base.ini\": Too many open files"
	assert_file_not_exists "$W/marker"
	assert_file_not_exists "$W/dir"
}

@test "RLIMIT_AS from too small to start to enough: never unconfined, never silent" {
	built_with_asan && skip "AddressSanitizer cannot start under a small RLIMIT_AS"
	local kb n_fail=0 n_ran=0 i
	# A profile of about 900 KiB, so that sysfence's own allocations (the
	# file is read whole) need more than starting it does: there is then a
	# range of limits where sysfence starts and runs out of memory itself.
	{
		cat "$T/deny-mkdir.ini"
		for ((i = 0; i < 12000; i++)); do
			echo "# padding $i ................................................................"
		done
	} >"$T/big.ini"
	chmod 0644 "$T/big.ini"
	# 64 KiB steps across the range where exec, then sysfence's own
	# allocations, then nothing runs out of address space.
	for ((kb = 1024; kb <= 8192; kb += 64)); do
		# Not bats's run: it takes 127 for a missing command.
		status=0
		output=$(with_ulimit -v "$kb" "$SYSFENCE" -p "$T/big.ini" -- "$PROBE" mkdir "$W/dir" \
			2>"$T/stderr") || status=$?
		stderr=$(cat "$T/stderr")
		mapfile -t stderr_lines <"$T/stderr"
		case $status in
		0)	# the program ran, under the filter
			assert_output EPERM
			n_ran=$((n_ran + 1)) ;;
		125)	# sysfence failed, and said so
			assert_output ''
			assert_stderr_prefix 'sysfence: '
			n_fail=$((n_fail + 1)) ;;
		127)	# the dynamic loader (of sysfence or of the probe), or a
			# static sysfence's libc, failed before any code of ours ran
			[[ "$stderr" == *'error while loading shared libraries'* ||
			   "$stderr" == 'Fatal glibc error: Cannot allocate TLS block' ]] ||
				fail "RLIMIT_AS ${kb} KiB: status 127, stderr \"$stderr\"" ;;
		139)	# the kernel's execve (of sysfence, or of the probe once
			# confined) failed past the point of no return and sent
			# SIGSEGV: nothing ran
			assert_output '' ;;
		*)	fail "RLIMIT_AS ${kb} KiB: status $status, stdout \"$output\", stderr \"$stderr\"" ;;
		esac
		assert_file_not_exists "$W/dir"
	done
	[ "$n_ran" -gt 0 ]
	[ "$n_fail" -gt 0 ]
}

@test "a directory as the program ends with 126" {
	run -126 --separate-stderr as_user "$SYSFENCE" -p "$T/deny-mkdir.ini" -- "$W"
	assert_equal "$stderr" "sysfence: cannot execute \"$W\": Permission denied"
}

@test "an execute-only program (0711) runs confined; one nobody may execute ends with 126" {
	cp "$PROBE" "$T/probe-x"
	chmod 0711 "$T/probe-x"
	run -0 --separate-stderr as_user "$SYSFENCE" -p "$T/deny-mkdir.ini" -- "$T/probe-x" mkdir "$W/dir"
	assert_output EPERM
	chmod 0600 "$T/probe-x"
	run -126 --separate-stderr as_user "$SYSFENCE" -p "$T/deny-mkdir.ini" -- "$T/probe-x" touch "$W/marker"
	assert_equal "$stderr" "sysfence: cannot execute \"$T/probe-x\": Permission denied"
	assert_file_not_exists "$W/marker"
	assert_file_not_exists "$W/dir"
}

@test "argv and environment near ARG_MAX pass through; past it execve fails with 126" {
	profile allow <<-'EOF'
		[seccomp]
		default-action = allow
	EOF
	local arg_max big arg n i
	local -a args=()
	arg_max=$(getconf ARG_MAX)
	big=$(head -c 100000 /dev/zero | tr '\0' b)
	arg=$(head -c 999 /dev/zero | tr '\0' a)
	# What is left after this environment and the 100 kB variable, less a
	# margin for sysfence's own options; each argument costs 1000 bytes
	# and an 8-byte pointer.
	n=$(((arg_max - $(env | wc -c) - 100000 - 16 * 1024) / 1008))
	for ((i = 0; i < n; i++)); do args+=("$arg"); done
	BIG=$big run -0 --separate-stderr "$SYSFENCE" -p "$T/allow.ini" -- \
		/bin/sh -c 'echo "$# ${#BIG} ${#1}"' sh "${args[@]}"
	assert_output "$n 100000 999"

	# The profile adds 160 kB of environment: too much for execve, which
	# runs after the filter is loaded; still a message and 126.
	{
		printf '[seccomp]\ndefault-action = allow\n[process]\n'
		for ((i = 0; i < 1000; i++)); do printf 'env-set = V%d=%0150d\n' "$i" 0; done
	} >"$T/env.ini"
	chmod 0644 "$T/env.ini"
	BIG=$big run -126 --separate-stderr "$SYSFENCE" -p "$T/env.ini" -- \
		/bin/sh -c 'echo ran' sh "${args[@]}"
	assert_output ''
	assert_equal "$stderr" 'sysfence: cannot execute "/bin/sh": Argument list too long'
}

@test "SIGINT or SIGTERM before exec kills sysfence; the program never runs" {
	command -v strace >/dev/null || skip "strace is not installed"
	local sig step
	# strace delivers the signal at a chosen system call, so it arrives
	# at a known step: no_new_privs (prctl), the filter (seccomp), and
	# the execve of the program itself. The signal dispositions are reset
	# to the default, as bats may run us with SIGINT ignored.
	for sig in INT TERM; do
		for step in prctl seccomp execve; do
			run --separate-stderr as_user env --default-signal=INT,TERM \
				strace -qq -o /dev/null -e trace="$step" -e inject="$step:signal=SIG$sig:when=1" \
				"$SYSFENCE" -p "$T/deny-mkdir.ini" -- "$PROBE" touch "$W/marker"
			[ "$status" -eq $((128 + $(kill -l "$sig"))) ] ||
				fail "SIG$sig at $step: status $status, stdout \"$output\", stderr \"$stderr\""
			assert_output ''
			assert_file_not_exists "$W/marker"
		done
	done
}
