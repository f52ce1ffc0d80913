#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Known ways out of a seccomp sandbox, each tried by tests/escape/escape.c
# under the shipped default profile:
# - as root (capabilities dropped, as the profile says),
# - as the unprivileged test user,
# - as root with every capability kept (--caps-keep=all), where the filter
#   is the only thing in the way: this proves that the filter itself
#   refuses the call, not the missing capability.
# The escape program prints BLOCKED:ERRNO or ESCAPED; a filter that kills
# ends it with SIGSYS (status 159), reported here as KILLED. A control test
# shows that the same escapes reach the kernel without sysfence.

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

# escape_run NAME [SYSFENCE-ARG...]: run one escape under sysfence (or, with
# no arguments and NOSF=1, without it) and set $result to its line or
# KILLED. With SF_AS=user the command runs as the test user.
escape_run() {
	local name=$1
	shift
	local -a cmd=("$SYSFENCE" "$@" -- "$ESCAPE" "$name")
	[ "${NOSF:-}" = 1 ] && cmd=("$ESCAPE" "$name")
	[ "${SF_AS:-}" = user ] && cmd=(as_user "${cmd[@]}")
	run --separate-stderr "${cmd[@]}"
	if [ "$status" -eq 159 ] && [ -z "$output" ]; then
		result=KILLED
	elif [ "$status" -eq 0 ]; then
		result=$output
	else
		result="status $status: $output $stderr"
	fi
}

# escape_blocked NAME WANT: under the default profile the escape gives WANT
# as root, as the test user, and as root with every capability kept.
escape_blocked() {
	local name=$1 want=$2
	escape_run "$name" -p default
	assert_equal "$result" "$want"
	if [ "$EUID" -eq 0 ]; then
		SF_AS=user escape_run "$name" -p default
		assert_equal "$result" "$want"
		escape_run "$name" -p default --caps-keep=all
		assert_equal "$result" "$want"
	fi
}

@test "the escape program knows every escape these tests try" {
	run -0 "$ESCAPE" list
	local n
	for n in $(sed -n 's/^@test ".*" { escape_blocked \([a-z0-9-]*\) .*/\1/p' "$BATS_TEST_FILENAME"); do
		assert_line "$n"
	done
	# and every escape it knows is tried here
	for n in "${lines[@]}"; do
		grep -qE "escape_(blocked|caps) $n " "$BATS_TEST_FILENAME" || fail "escape \"$n\" has no test"
	done
}

@test "with every capability kept, the default profile really keeps them (the filter is the only barrier)" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p default --caps-keep=all -- "$PROBE" status
	local bnd
	bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
	assert_line "CapEff:${TAB}$bnd"
	assert_line "CapPrm:${TAB}$bnd"
	refute_line "CapEff:${TAB}0000000000000000"
}

@test "as root, the default profile leaves all five capability sets empty" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p default -- "$PROBE" status
	assert_line "CapInh:${TAB}0000000000000000"
	assert_line "CapPrm:${TAB}0000000000000000"
	assert_line "CapEff:${TAB}0000000000000000"
	assert_line "CapBnd:${TAB}0000000000000000"
	assert_line "CapAmb:${TAB}0000000000000000"
	assert_line "NoNewPrivs:${TAB}1"
}

@test "control: without sysfence, root reaches the kernel with the escapes the default profile refuses" {
	require_root
	# Escapes that any kernel with these features carries out for root.
	# (x32, kexec, modules, iopl/ioperm, io_uring, AF_VSOCK and AF_ALG are
	# left out: kernels are often built or booted without them.)
	local n
	for n in ptrace process-vm-readv process-vm-writev bpf userfaultfd keyctl add-key \
		mount fsopen open-tree pivot-root chroot unshare-user unshare-mount \
		clone-newuser clone-newuser-high clone-newns clone-newnet clone-newpid setns clone3 \
		open-by-handle-at swapon reboot clock-settime settimeofday adjtimex acct quotactl syslog \
		personality-rie tiocsti tiocsti-high tioclinux tioclinux-high af-packet af-packet-high \
		setuid-root capset; do
		NOSF=1 escape_run "$n"
		[ "$result" = ESCAPED ] || fail "escape \"$n\" without sysfence: $result"
	done
	NOSF=1 escape_run harmless-personality
	assert_equal "$result" OK
}

# ---- other ABIs: killed by the architecture check -----------------------

@test "int80: an i386 system call through int \$0x80 is killed" {
	require_int80
	escape_blocked int80 KILLED
}

@test "x32: a system call with the x32 bit is killed" {
	[ "$(uname -m)" = x86_64 ] || skip "x86-64 only"
	escape_blocked x32 KILLED
}

# ---- other processes ------------------------------------------------------

@test "ptrace: PTRACE_TRACEME is refused" { escape_blocked ptrace BLOCKED:EPERM; }
@test "process_vm_readv is refused" { escape_blocked process-vm-readv BLOCKED:EPERM; }
@test "process_vm_writev is refused" { escape_blocked process-vm-writev BLOCKED:EPERM; }

# ---- kernel interfaces ------------------------------------------------------

@test "bpf is refused" { escape_blocked bpf BLOCKED:EPERM; }
@test "perf_event_open is refused" { escape_blocked perf-event-open BLOCKED:EPERM; }
@test "userfaultfd is refused" { escape_blocked userfaultfd BLOCKED:EPERM; }
@test "io_uring_setup looks absent (ENOSYS)" { escape_blocked io-uring-setup BLOCKED:ENOSYS; }
@test "keyctl is refused" { escape_blocked keyctl BLOCKED:EPERM; }
@test "add_key is refused" { escape_blocked add-key BLOCKED:EPERM; }
@test "kexec_load is refused" { escape_blocked kexec-load BLOCKED:EPERM; }
@test "kexec_file_load is refused" { escape_blocked kexec-file-load BLOCKED:EPERM; }
@test "init_module is refused" { escape_blocked init-module BLOCKED:EPERM; }
@test "finit_module is refused" { escape_blocked finit-module BLOCKED:EPERM; }
@test "delete_module is refused" { escape_blocked delete-module BLOCKED:EPERM; }

# ---- mounts and the root directory ------------------------------------------

@test "mount is refused" { escape_blocked mount BLOCKED:EPERM; }
@test "umount2 is refused" { escape_blocked umount BLOCKED:EPERM; }
@test "fsopen is refused" { escape_blocked fsopen BLOCKED:EPERM; }
@test "fsmount is refused" { escape_blocked fsmount BLOCKED:EPERM; }
@test "fspick is refused" { escape_blocked fspick BLOCKED:EPERM; }
@test "move_mount is refused" { escape_blocked move-mount BLOCKED:EPERM; }
@test "open_tree is refused" { escape_blocked open-tree BLOCKED:EPERM; }
@test "pivot_root is refused" { escape_blocked pivot-root BLOCKED:EPERM; }
@test "chroot is refused" { escape_blocked chroot BLOCKED:EPERM; }

# ---- namespaces ---------------------------------------------------------------

@test "unshare(CLONE_NEWUSER) is refused" { escape_blocked unshare-user BLOCKED:EPERM; }
@test "unshare(CLONE_NEWNS) is refused" { escape_blocked unshare-mount BLOCKED:EPERM; }
@test "clone with CLONE_NEWUSER is refused" { escape_blocked clone-newuser BLOCKED:EPERM; }
@test "clone with CLONE_NEWUSER and junk in the upper 32 bits is refused" { escape_blocked clone-newuser-high BLOCKED:EPERM; }
@test "clone with CLONE_NEWNS is refused" { escape_blocked clone-newns BLOCKED:EPERM; }
@test "clone with CLONE_NEWNET is refused" { escape_blocked clone-newnet BLOCKED:EPERM; }
@test "clone with CLONE_NEWPID is refused" { escape_blocked clone-newpid BLOCKED:EPERM; }
@test "setns is refused" { escape_blocked setns BLOCKED:EPERM; }
@test "clone3 looks absent (ENOSYS), so libc falls back to clone" { escape_blocked clone3 BLOCKED:ENOSYS; }

# ---- files, swap, reboot, clock, accounting, logs -----------------------------

@test "open_by_handle_at is refused" { escape_blocked open-by-handle-at BLOCKED:EPERM; }
@test "swapon is refused" { escape_blocked swapon BLOCKED:EPERM; }
@test "swapoff is refused" { escape_blocked swapoff BLOCKED:EPERM; }
@test "reboot is refused" { escape_blocked reboot BLOCKED:EPERM; }
@test "clock_settime is refused" { escape_blocked clock-settime BLOCKED:EPERM; }
@test "settimeofday is refused" { escape_blocked settimeofday BLOCKED:EPERM; }
@test "adjtimex is refused" { escape_blocked adjtimex BLOCKED:EPERM; }
@test "clock_adjtime is refused" { escape_blocked clock-adjtime BLOCKED:EPERM; }
@test "acct is refused" { escape_blocked acct BLOCKED:EPERM; }
@test "quotactl is refused" { escape_blocked quotactl BLOCKED:EPERM; }
@test "syslog is refused" { escape_blocked syslog BLOCKED:EPERM; }

# ---- raw I/O, CPU modes ---------------------------------------------------------

@test "iopl is refused" { escape_blocked iopl BLOCKED:EPERM; }
@test "ioperm is refused" { escape_blocked ioperm BLOCKED:EPERM; }
@test "personality(READ_IMPLIES_EXEC) is refused" { escape_blocked personality-rie BLOCKED:EPERM; }
@test "the harmless personality calls (query, PER_LINUX, ADDR_NO_RANDOMIZE) still work" { escape_blocked harmless-personality OK; }

# ---- terminals: the process's own pseudo terminal ------------------------------

@test "ioctl TIOCSTI is refused" { escape_blocked tiocsti BLOCKED:EPERM; }
@test "ioctl TIOCSTI with junk in the upper 32 bits is refused" { escape_blocked tiocsti-high BLOCKED:EPERM; }
@test "ioctl TIOCLINUX is refused" { escape_blocked tioclinux BLOCKED:EPERM; }
@test "ioctl TIOCLINUX with junk in the upper 32 bits is refused" { escape_blocked tioclinux-high BLOCKED:EPERM; }

# ---- socket families ------------------------------------------------------------

@test "AF_PACKET sockets are refused" { escape_blocked af-packet BLOCKED:EPERM; }
@test "AF_PACKET with junk in the upper 32 bits is refused" { escape_blocked af-packet-high BLOCKED:EPERM; }
@test "AF_VSOCK sockets are refused" { escape_blocked af-vsock BLOCKED:EPERM; }
@test "AF_VSOCK with junk in the upper 32 bits is refused" { escape_blocked af-vsock-high BLOCKED:EPERM; }
@test "AF_ALG sockets are refused" { escape_blocked af-alg BLOCKED:EPERM; }
@test "AF_ALG with junk in the upper 32 bits is refused" { escape_blocked af-alg-high BLOCKED:EPERM; }

# ---- regaining root after the launch ----------------------------------------------
# setuid and capset stay allowed (programs that drop privileges check their
# result); what stops them is the capabilities dropped at launch and
# no_new_privs. So these are checked as root with the profile's capabilities
# and as the user, not with every capability kept.

# escape_caps NAME WANT: as root under default and as the test user.
escape_caps() {
	local name=$1 want=$2
	escape_run "$name" -p default
	assert_equal "$result" "$want"
	if [ "$EUID" -eq 0 ]; then
		SF_AS=user escape_run "$name" -p default
		assert_equal "$result" "$want"
	fi
}

@test "setuid(0) then raising CAP_SYS_ADMIN is refused" { escape_caps setuid-root BLOCKED:EPERM; }
@test "capset raising CAP_SYS_ADMIN is refused" { escape_caps capset BLOCKED:EPERM; }

# Every shipped profile includes default (profiles.bats checks that), so
# it can only be tighter, unless it allows something back. One escape of
# each family, with every capability kept so that only the filter stands in
# the way, shows that none does.
@test "every shipped profile blocks one escape of each family (filter only, every capability kept)" {
	local f p n
	local -a opts=() names=(x32 ptrace process-vm-readv bpf perf-event-open userfaultfd io-uring-setup
		keyctl kexec-load init-module mount fsopen pivot-root unshare-user clone-newuser-high setns
		clone3 open-by-handle-at reboot clock-settime syslog iopl personality-rie tiocsti-high
		tioclinux af-packet af-vsock-high af-alg-high)
	[ "$EUID" -eq 0 ] && opts=(--caps-keep=all)
	[ "$("$PROBE" int80-getpid 2>/dev/null)" = OK ] && names+=(int80)
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
	for f in "$SF_TMP"/profiles/*.ini; do
		p=$(basename "$f" .ini)
		# groups.ini is the library; a profile without [seccomp] only
		# includes another one (an alias such as nodejs.ini).
		[ "$p" = groups ] && continue
		grep -q '^\[seccomp\]' "$f" || continue
		# A profile with [filesystem] rules runs programs from its
		# execute trees only: a NAME.local lets the escape program run.
		if grep -q '^\[filesystem\]' "$f"; then
			printf '[filesystem]\nexecute = %s\n' "$SF_TMP/bin" >"$T/$p.local"
			chmod 0644 "$T/$p.local"
		fi
		for n in "${names[@]}"; do
			escape_run "$n" -p "$p" "${opts[@]}"
			[[ "$result" == BLOCKED:* || "$result" == KILLED ]] || fail "profile $p, escape $n: $result"
		done
	done
}
