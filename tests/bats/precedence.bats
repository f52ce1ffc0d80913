#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The meaning of a set of rules (sysfence.profile(5) "Meaning"), one test per case.
# Conditions are tested on getppid, which ignores its arguments, so
# `probe raw getppid A0 A1 A2` shows only what the filter decided; and on
# socket() for the argument-width cases. Each test writes its profile
# inline, next to the answers it expects.

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

@test "a conditional deny wins over an unconditional allow written before it" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		allow = getppid
		deny = getppid if arg0 == 1
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 1
	sf_probe OK -p "$T/p.ini" -- raw getppid 2
}

@test "a conditional deny wins over an unconditional allow written after it" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 == 1
		allow = getppid
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 1
	sf_probe OK -p "$T/p.ini" -- raw getppid 2
}

@test "allow socket + deny socket if AF_NETLINK: netlink is denied, unix allowed (libseccomp would drop the condition)" {
	profile p <<-'EOF'
		[seccomp]
		default-action = EACCES
		allow = socket
		deny = socket if arg0 == AF_NETLINK
		[profile]
		include = ./base.ini
	EOF
	cp "$F/base.ini" "$T/base.ini"
	sf_probe EPERM -p "$T/p.ini" -- socket AF_NETLINK
	sf_probe OK -p "$T/p.ini" -- socket AF_UNIX
	sf_probe EACCES -p "$T/p.ini" -- raw getppid
}

@test "a conditional allow wins over an unconditional errno rule" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		EACCES = getppid
		allow = getppid if arg0 == 7
	EOF
	sf_probe OK -p "$T/p.ini" -- raw getppid 7
	sf_probe EACCES -p "$T/p.ini" -- raw getppid 8
}

@test "a conditional allow wins over an errno default-action" {
	profile p <<-'EOF'
		[profile]
		include = ./base.ini
		[seccomp]
		default-action = ENOSYS
		allow = getppid if arg0 == 7
	EOF
	cp "$F/base.ini" "$T/base.ini"
	sf_probe OK -p "$T/p.ini" -- raw getppid 7
	sf_probe ENOSYS -p "$T/p.ini" -- raw getppid 8
}

@test "&& binds tighter than ||" {
	# arg0 == 1 || (arg1 == 2 && arg2 == 3)
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 == 1 || arg1 == 2 && arg2 == 3
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 1 0 0
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0 2 3
	sf_probe OK -p "$T/p.ini" -- raw getppid 0 2 0
	sf_probe OK -p "$T/p.ini" -- raw getppid 0 0 3
	sf_probe OK -p "$T/p.ini" -- raw getppid 0 0 0
}

@test "&& needs every comparison, || any term" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 == 1 && arg1 == 2 || arg2 == 3 && arg3 == 4
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 1 2 0 0
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0 0 3 4
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 1 2 3 4
	sf_probe OK -p "$T/p.ini" -- raw getppid 1 0 3 0
	sf_probe OK -p "$T/p.ini" -- raw getppid 0 2 0 4
}

@test "comparison operators on every argument up to arg5" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		EACCES = getppid if arg0 != 5
		ENOSYS = getppid if arg1 < 10
		EPERM = getppid if arg2 <= 10
		EBUSY = getppid if arg3 > 10
		EEXIST = getppid if arg4 >= 10
		EINVAL = getppid if arg5 == 0x10
	EOF
	# Everything false: arg0 == 5, arg1 >= 10, arg2 > 10, arg3 <= 10, arg4 < 10.
	sf_probe OK -p "$T/p.ini" -- raw getppid 5 10 11 10 9 0
	sf_probe EACCES -p "$T/p.ini" -- raw getppid 4 10 11 10 9 0
	sf_probe ENOSYS -p "$T/p.ini" -- raw getppid 5 9 11 10 9 0
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 5 10 10 10 9 0
	sf_probe EBUSY -p "$T/p.ini" -- raw getppid 5 10 11 11 9 0
	sf_probe EEXIST -p "$T/p.ini" -- raw getppid 5 10 11 10 10 0
	sf_probe EINVAL -p "$T/p.ini" -- raw getppid 5 10 11 10 9 16
}

@test "comparisons are unsigned: -1 is the largest value" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 > 1000
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid -1
	sf_probe OK -p "$T/p.ini" -- raw getppid 1000
}

@test "argN & MASK == VALUE compares only the masked bits" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 & 0xf0 == 0x20
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0x25
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0x120
	sf_probe OK -p "$T/p.ini" -- raw getppid 0x35
	sf_probe OK -p "$T/p.ini" -- raw getppid 0x02
}

@test "argN & MASK is true when any bit of MASK is set" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg1 & 0x5
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0 4
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0 1
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0 0xff
	sf_probe OK -p "$T/p.ini" -- raw getppid 0 2
	sf_probe OK -p "$T/p.ini" -- raw getppid 0xff 0
}

@test "symbolic constants combine with |" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 == O_CREAT|O_EXCL
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0xc0
	sf_probe OK -p "$T/p.ini" -- raw getppid 0x40
}

@test "the most restrictive of several matching conditional rules wins" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		allow = getppid if arg0 == 1
		log = getppid if arg0 == 1
		EACCES = getppid if arg0 == 1
		trap = getppid if arg1 == 1
		kill = getppid if arg2 == 1
		allow = getppid if arg3 == 1
	EOF
	sf_probe OK -p "$T/p.ini" -- raw getppid 0 0 0 0
	sf_probe OK -p "$T/p.ini" -- raw getppid 0 0 0 1
	sf_probe EACCES -p "$T/p.ini" -- raw getppid 1 0 0 1
	sf_probe 'SIGSYS getppid' -p "$T/p.ini" -- raw getppid 1 1 0 1
	sf_probe KILLED -p "$T/p.ini" -- raw getppid 1 1 1 1
	sf_probe KILLED -p "$T/p.ini" -- raw getppid 0 0 1 0
}

@test "a matching conditional allow does not weaken a matching conditional deny" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 == 1
		allow = getppid if arg1 == 1
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 1 1
	sf_probe OK -p "$T/p.ini" -- raw getppid 0 1
}

@test "between matching errno rules, the one written last wins (rules.h)" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		EACCES = getppid if arg0 == 1
		ENOSYS = getppid if arg1 == 1
	EOF
	sf_probe ENOSYS -p "$T/p.ini" -- raw getppid 1 1
	sf_probe EACCES -p "$T/p.ini" -- raw getppid 1 0
}

@test "kill-thread is more restrictive than trap" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		kill-thread = getppid if arg0 == 1
		trap = getppid if arg1 == 1
	EOF
	sf_probe KILLED -p "$T/p.ini" -- raw getppid 1 1
	sf_probe 'SIGSYS getppid' -p "$T/p.ini" -- raw getppid 0 1
}

@test "a later unconditional rule replaces an earlier one" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid
		allow = getppid
		EACCES = mkdir
		ENOSYS = mkdir
	EOF
	sf_probe OK -p "$T/p.ini" -- raw getppid
	sf_probe ENOSYS -p "$T/p.ini" -- mkdir "$W/d"
	profile q <<-'EOF'
		[seccomp]
		default-action = allow
		allow = getppid
		deny = getppid
	EOF
	sf_probe EPERM -p "$T/q.ini" -- raw getppid
}

@test "a later unconditional rule does not remove conditional ones" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 == 1
		EACCES = getppid
		allow = getppid
	EOF
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 1
	sf_probe OK -p "$T/p.ini" -- raw getppid 2
}

@test "included profiles come first, then the profile's own lines" {
	profile inc-deny <<-'EOF'
		[seccomp]
		deny = getppid
	EOF
	profile p <<-'EOF'
		[profile]
		include = ./inc-deny.ini
		[seccomp]
		default-action = allow
		allow = getppid
	EOF
	sf_probe OK -p "$T/p.ini" -- raw getppid

	profile inc-allow <<-'EOF'
		[seccomp]
		allow = getppid
	EOF
	profile q <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid
		[profile]
		include = ./inc-allow.ini
	EOF
	sf_probe EPERM -p "$T/q.ini" -- raw getppid
}

@test "includes apply in the order listed" {
	profile inc-eacces <<-'EOF'
		[seccomp]
		EACCES = getppid
	EOF
	profile inc-enosys <<-'EOF'
		[seccomp]
		ENOSYS = getppid
	EOF
	profile p <<-'EOF'
		[profile]
		include = ./inc-eacces.ini
		include = ./inc-enosys.ini
		[seccomp]
		default-action = allow
	EOF
	sf_probe ENOSYS -p "$T/p.ini" -- raw getppid
	profile q <<-'EOF'
		[profile]
		include = ./inc-enosys.ini
		include = ./inc-eacces.ini
		[seccomp]
		default-action = allow
	EOF
	sf_probe EACCES -p "$T/q.ini" -- raw getppid
}

@test "an include by NAME is found on the search path" {
	profile inc-by-name <<-'EOF'
		[seccomp]
		EACCES = getppid
	EOF
	profile p <<-'EOF'
		[profile]
		include = inc-by-name
		[seccomp]
		default-action = allow
	EOF
	SYSFENCE_PROFILE_PATH="$T" sf_probe EACCES -p p -- raw getppid
}

@test "NAME.local on the search path is applied after the profile" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid
		EACCES = mkdir
	EOF
	cat >"$T/p.local" <<-'EOF'
		[seccomp]
		allow = getppid
	EOF
	chmod 0644 "$T/p.local"
	SYSFENCE_PROFILE_PATH="$T" sf_probe OK -p p -- raw getppid
	SYSFENCE_PROFILE_PATH="$T" sf_probe EACCES -p p -- mkdir "$W/d"
}

@test "every NAME.local on the search path applies, the first directory's last" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
	EOF
	mkdir -m 0755 "$T/high" "$T/low"
	printf '[seccomp]\nENOSYS = getppid\nEACCES = mkdir\n' >"$T/high/p.local"
	printf '[seccomp]\nEBUSY = getppid\n' >"$T/low/p.local"
	chmod 0644 "$T/high/p.local" "$T/low/p.local"
	SYSFENCE_PROFILE_PATH="$T/high:$T:$T/low" sf_probe ENOSYS -p p -- raw getppid
	SYSFENCE_PROFILE_PATH="$T/high:$T:$T/low" sf_probe EACCES -p p -- mkdir "$W/d"
}

@test "the command line applies after the profile and its .local" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid
	EOF
	printf '[seccomp]\nEACCES = mkdir\n' >"$T/p.local"
	chmod 0644 "$T/p.local"
	SYSFENCE_PROFILE_PATH="$T" sf_probe OK -p p --allow=getppid -- raw getppid
	SYSFENCE_PROFILE_PATH="$T" sf_probe EPERM -p p --deny=mkdir -- mkdir "$W/d"
	SYSFENCE_PROFILE_PATH="$T" sf_probe EACCES -p p -- mkdir "$W/d"
	assert_not_exist "$W/d"
}

@test "a command-line allow does not remove a profile's conditional deny" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 == 1
	EOF
	sf_probe EPERM -p "$T/p.ini" --allow=getppid -- raw getppid 1
	sf_probe OK -p "$T/p.ini" --allow=getppid -- raw getppid 2
}

@test "deny = socket if arg0 == AF_VSOCK also denies AF_VSOCK with junk in the upper 32 bits" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = socket if arg0 == AF_VSOCK
	EOF
	sf_probe EPERM -p "$T/p.ini" -- socket AF_VSOCK
	# AF_VSOCK | 1 << 32: the kernel reads family as an int, so this is a
	# VSOCK socket to the kernel and must be denied.
	sf_probe EPERM -p "$T/p.ini" -- socket 0x100000028
	sf_probe EPERM -p "$T/p.ini" -- socket 0xffffffff00000028
	sf_probe OK -p "$T/p.ini" -- socket AF_UNIX
}

@test "an allow with a condition does not match when the upper 32 bits disagree" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		EPERM = socket
		allow = socket if arg0 == AF_UNIX
	EOF
	sf_probe OK -p "$T/p.ini" -- socket AF_UNIX
	sf_probe EPERM -p "$T/p.ini" -- socket AF_INET
	# AF_UNIX | 1 << 32: the filter cannot know which reading applies.
	sf_probe EPERM -p "$T/p.ini" -- socket 0x100000001
}

@test "the argument width rule holds for inequalities, in both directions" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = getppid if arg0 <= 5
	EOF
	# 1 << 32 | 3: the low half is <= 5, so the deny must match.
	sf_probe EPERM -p "$T/p.ini" -- raw getppid 0x100000003
	sf_probe OK -p "$T/p.ini" -- raw getppid 6

	profile q <<-'EOF'
		[seccomp]
		default-action = allow
		EACCES = getppid
		allow = getppid if arg0 > 5
	EOF
	# 1 << 32 | 3: only the 64-bit reading is > 5, so the allow must not match.
	sf_probe EACCES -p "$T/q.ini" -- raw getppid 0x100000003
	sf_probe OK -p "$T/q.ini" -- raw getppid 6
}

@test "ioctl TIOCSTI is denied with junk in the upper bits of the request" {
	profile p <<-'EOF'
		[seccomp]
		default-action = allow
		deny = ioctl if arg1 == TIOCSTI
	EOF
	sf_probe EPERM -p "$T/p.ini" -- ioctl-tiocsti
	sf_probe EPERM -p "$T/p.ini" -- ioctl-tiocsti 0x100000000
	# Without the rule the kernel answers EBADF for the probe's invalid fd.
	sf_probe EBADF -p "$F/allow-all.ini" -- ioctl-tiocsti 0x100000000
}
