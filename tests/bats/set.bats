#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --set=SECTION.KEY=VALUE and its firejail aliases (sysfence(1)): a profile
# line from the command line, the last layer, with a file's meaning and
# messages; proven by what the kernel then does to the program.

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
	A="$F/allow-all.ini"
}

# Run sf_probe as the caller (root) and as the test user; what the first
# run created in $W is removed before the second.
both() {
	"$@"
	rm -rf "${W:?}"/*
	SF_AS=user "$@"
}

@test "--set=seccomp.deny=mkdir makes mkdir fail with EPERM" {
	both sf_probe OK -p "$A" -- mkdir "$W/a"
	both sf_probe EPERM -p "$A" --set=seccomp.deny=mkdir -- mkdir "$W/b"
	both sf_probe EPERM --set=seccomp.deny=mkdir -- mkdir "$W/c"
}

@test "--set=network.families=unix refuses AF_INET with EAFNOSUPPORT, not AF_UNIX" {
	both sf_probe EAFNOSUPPORT -p "$A" --set=network.families=unix -- socket AF_INET
	both sf_probe OK -p "$A" --set=network.families=unix -- socket AF_UNIX
	both sf_probe EAFNOSUPPORT -p "$A" --protocol=unix -- socket AF_INET6
	both sf_probe OK -p "$A" --protocol=unix,inet -- socket AF_INET
}

@test "--set=limits.nofile=64 shows in the program's /proc/self/limits, in a section new to the profile" {
	local opt
	for opt in --set=limits.nofile=64 --rlimit-nofile=64 '--set= limits.nofile = 64 '; do
		run -0 --separate-stderr "$SYSFENCE" -p "$A" "$opt" -- cat /proc/self/limits
		assert_line --regexp '^Max open files +64 +64 +files'
		run -0 --separate-stderr as_user "$SYSFENCE" -p "$A" "$opt" -- cat /proc/self/limits
		assert_line --regexp '^Max open files +64 +64 +files'
	done
	run -0 --separate-stderr "$SYSFENCE" -p "$A" --rlimit-fsize=1M --rlimit-as=2G -- cat /proc/self/limits
	assert_line --regexp '^Max file size +1048576 +1048576 +bytes'
	assert_line --regexp '^Max address space +2147483648 +2147483648 +bytes'
}

@test "--set=process.umask=077 makes the program create files with mode 0600" {
	run -0 --separate-stderr "$SYSFENCE" -p "$A" --set=process.umask=077 -- "$PROBE" touch "$W/root"
	assert_output OK
	run -0 stat -c %a "$W/root"
	assert_output 600
	run -0 --separate-stderr as_user "$SYSFENCE" -p "$A" --set=process.umask=077 -- "$PROBE" touch "$W/user"
	assert_output OK
	run -0 stat -c %a "$W/user"
	assert_output 600
}

@test "a value may hold \"=\": --set=process.env-set and --env" {
	run -0 --separate-stderr "$SYSFENCE" -p "$A" --set=process.env-set=FOO=bar=baz --env=B=1 -- /bin/sh -c 'echo "$FOO $B"'
	assert_output 'bar=baz 1'
	run -0 --separate-stderr as_user "$SYSFENCE" -p "$A" --env=FOO=a=b -- /bin/sh -c 'echo "$FOO"'
	assert_output 'a=b'
}

@test "--set is the last layer: it wins over the .local file and the other options" {
	profile layered <<-'EOF'
		[seccomp]
		default-action = allow
		deny = mkdir
	EOF
	printf '[seccomp]\nallow = mkdir\n' >"$T/layered.local"
	chmod 0644 "$T/layered.local"
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
	both sf_probe OK -p layered -- mkdir "$W/a"
	both sf_probe EPERM -p layered --set=seccomp.deny=mkdir -- mkdir "$W/b"
	both sf_probe OK -p layered --deny=mkdir --set=seccomp.allow=mkdir -- mkdir "$W/c"
	both sf_probe EPERM -p layered --set=seccomp.allow=mkdir --set=seccomp.deny=mkdir -- mkdir "$W/d"
}

@test "--set=groups.@NAME defines a group that --set can use" {
	both sf_probe EPERM -p "$A" --set=groups.@mine=mkdir --set=seccomp.deny=@mine -- mkdir "$W/a"
}

@test "--nonewprivs sets no_new_privs where the profile says no-new-privs = no" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$F/nnp-no.ini" -- grep NoNewPrivs /proc/self/status
	assert_output "NoNewPrivs:${TAB}0"
	run -0 --separate-stderr "$SYSFENCE" -p "$F/nnp-no.ini" --nonewprivs -- grep NoNewPrivs /proc/self/status
	assert_output "NoNewPrivs:${TAB}1"
}

@test "--caps.keep and --caps.drop are --caps-keep and --caps-drop" {
	require_root
	run -0 --separate-stderr "$SYSFENCE" -p "$A" --caps.keep=net_raw -- grep CapEff /proc/self/status
	assert_output "CapEff:${TAB}0000000000002000"
	run -0 --separate-stderr "$SYSFENCE" -p "$A" --caps.keep=net_raw --caps.drop=all -- grep CapEff /proc/self/status
	assert_output "CapEff:${TAB}0000000000000000"
}

# The exact messages, the same for a run and for --check (status 1).
set_fails() {
	local want=$1
	shift
	run -125 --separate-stderr "$SYSFENCE" -p "$A" "$@" -- true
	assert_equal "$stderr" "$want"
	run -125 --separate-stderr as_user "$SYSFENCE" -p "$A" "$@" -- true
	assert_equal "$stderr" "$want"
	run -1 --separate-stderr "$SYSFENCE" --check -p "$A" "$@"
	assert_equal "$stderr" "$want"
}

@test "an unknown section is refused with a hint" {
	set_fails 'sysfence: --set: unknown section [filesytem] (did you mean [filesystem]?)' --set=filesytem.read-only=/usr
	set_fails 'sysfence: --set: unknown section [nosuch]' --set=nosuch.key=1
}

@test "an unknown key is refused with a hint" {
	set_fails 'sysfence: --set: unknown key "dney" in [seccomp] (did you mean "deny"?)' --set=seccomp.dney=mkdir
	set_fails 'sysfence: --set: unknown key "nofiles" in [limits] (did you mean "nofile"?)' --set=limits.nofiles=64
}

@test "a bad value is refused as in a file, under the option's name" {
	set_fails 'sysfence: --set: invalid limit "lots" for nofile (expected a number, "unlimited", or SOFT:HARD)' \
		--set=limits.nofile=lots
	set_fails 'sysfence: --rlimit-nofile: invalid limit "lots" for nofile (expected a number, "unlimited", or SOFT:HARD)' \
		--rlimit-nofile=lots
	set_fails 'sysfence: --set: unknown syscall "mkdri" (did you mean "mkdir"?)' --set=seccomp.deny=mkdri
	set_fails 'sysfence: --protocol: unknown socket family "inet7" (did you mean "inet"?)' --protocol=unix,inet7
	set_fails 'sysfence: --set: invalid umask "999" (expected octal 000 to 777, e.g. 077)' --set=process.umask=999
}

@test "[profile] include cannot come from --set" {
	set_fails 'sysfence: --set: [profile] include cannot come from the command line, which applies after the profile files are read (use --profile, or include in a .local file)' \
		--set=profile.include=default
}

@test "every problem is reported, then the run stops" {
	run -125 --separate-stderr "$SYSFENCE" -p "$A" --set=limits.nofile=x --set=seccomp.kil=ptrace -- true
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" 'sysfence: --set: invalid limit "x" for nofile (expected a number, "unlimited", or SOFT:HARD)'
	assert_equal "${stderr_lines[1]}" 'sysfence: --set: unknown key "kil" in [seccomp] (did you mean "kill"?)'
}

@test "--set is shown by --explain and never uses a precompiled policy" {
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$A" --set=limits.nofile=64 --rlimit-nproc=100
	assert_line --regexp '^nofile = 64 +; --set$'
	assert_line --regexp '^nproc = 100 +; --rlimit-nproc$'
	run -0 --separate-stderr "$SYSFENCE" -v -p "$A" --set=limits.nofile=64 -- true
	assert_stderr_contains 'sysfence: no precompiled policy used: --set lines are compiled for each run'
	run -125 --separate-stderr "$SYSFENCE" --precompile -p "$A" --set=limits.nofile=64
	assert_equal "$stderr" 'sysfence: option "--set" cannot be combined with --precompile (a run with --set compiles its policy itself)'
}

@test "the [sandbox] aliases are --set lines: --private-tmp, --private-dev, --net=none, --read-only, --read-write, --blacklist" {
	run -0 --separate-stderr "$SYSFENCE" --explain -p "$A" --private-tmp --private-dev --net=none \
		--read-only=/usr --read-write=/var --blacklist=/srv
	assert_line --regexp '^private-tmp = yes +; --private-tmp$'
	assert_line --regexp '^private-devices = yes +; --private-dev$'
	assert_line --regexp '^private-network = yes +; --net$'
	assert_line --regexp '^read-only-paths = /usr +; --read-only$'
	assert_line --regexp '^read-write-paths = /var +; --read-write$'
	assert_line --regexp '^inaccessible-paths = /srv +; --blacklist$'
	run -125 --separate-stderr "$SYSFENCE" -p "$A" --net=eth0 -- true
	assert_equal "$stderr" 'sysfence: --net=eth0: only --net=none (a network namespace with loopback only) is supported'
	# --net=none at kernel level: only a loopback interface.
	run -0 --separate-stderr "$SYSFENCE" -p "$A" --net=none -- sh -c "awk -F: 'NR > 2 { gsub(/ /, \"\", \$1); print \$1 }' /proc/net/dev"
	assert_output lo
}
