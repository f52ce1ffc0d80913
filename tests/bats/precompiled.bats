#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Precompiled policies (issue 8; docs/performance.md, sysfence(1) --precompile):
# a run started from one applies exactly what the profile says, and any
# change to what step 1 read (a file's bytes, a new .local, a profile earlier
# on the search path, the seccomp options) makes sysfence compile again; an
# entry anyone but root could have written is never used.

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
	# Each test gets its own cache and profile directory ($T, first on the
	# search path).
	export SYSFENCE_CACHE_DIR="$T/cache"
	export SYSFENCE_PROFILE_PATH="$T:$F:$SF_TMP/profiles"
	profile pc <<-'EOF'
		[seccomp]
		default-action = allow
		deny = mkdir
	EOF
}

# The entry --precompile wrote for -p NAME (its only output line names it).
precompile() {
	run -0 --separate-stderr "$SYSFENCE" --precompile "$@"
	[ "${#lines[@]}" -eq 1 ] || fail "expected one line: $output"
	ENTRY=${output##*precompiled into }
	assert_file_exists "$ENTRY"
}

# Run the probe with -v; USED is "used" or the start of the reason it was not.
run_v() {
	run --separate-stderr "$@"
}

assert_used() {
	assert_stderr_contains "sysfence: precompiled policy $ENTRY"
}

assert_not_used() {
	assert_stderr_contains "sysfence: no precompiled policy used: $1"
}

@test "--precompile stores an entry owned by root, mode 0644, in a directory it creates 0755" {
	require_root
	precompile -p pc
	[ "$(stat -c '%u %a' "$ENTRY")" = "0 644" ]
	[ "$(stat -c '%u %a' "$T/cache")" = "0 755" ]
	assert_output "pc: precompiled into $T/cache/$(basename "$ENTRY")"
}

@test "a run from a precompiled policy: EPERM for mkdir, nothing created, NoNewPrivs 1, Seccomp 2, no capabilities" {
	require_root
	printf '[capabilities]\ndrop = all\n' >>"$T/pc.ini"
	precompile -p pc
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_used
	assert_not_exist "$W/d"
	run -0 --separate-stderr "$SYSFENCE" -p pc -- "$PROBE" status
	assert_line 'NoNewPrivs:	1'
	assert_line 'Seccomp:	2'
	assert_line 'CapEff:	0000000000000000'
	assert_line 'CapPrm:	0000000000000000'
	sf_probe OK -p pc -- touch "$W/f"
}

@test "as an unprivileged user, root's precompiled policy is used and enforced" {
	require_root
	precompile -p pc
	run_v -0 as_user "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_used
	assert_not_exist "$W/d"
}

@test "the shipped default profile, precompiled: same filter, same refusals as compiled" {
	require_root
	precompile -p default
	run_v -0 "$SYSFENCE" -v -p default -- "$PROBE" raw personality 0xffffffff
	assert_used
	local used=$output filter_used
	filter_used=$(grep '^sysfence: seccomp filter:' <<<"$stderr")
	run_v -0 env SYSFENCE_CACHE_DIR= "$SYSFENCE" -v -p default -- "$PROBE" raw personality 0xffffffff
	assert_not_used 'SYSFENCE_CACHE_DIR is empty'
	[ "$output" = "$used" ] || fail "precompiled: $used, compiled: $output"
	[ "$(grep '^sysfence: seccomp filter:' <<<"$stderr")" = "$filter_used" ]
	sf_probe EPERM -p default -- raw mount 0 0 0 0 0
	sf_probe EPERM -p default -- socket AF_PACKET
	SF_AS=user sf_probe EPERM -p default -- ptrace-traceme
}

@test "an edited profile is compiled again: the new rule applies" {
	require_root
	precompile -p pc
	sed -i 's/^deny = mkdir/ENOSYS = mkdir/' "$T/pc.ini"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output ENOSYS
	assert_not_used "\"$T/pc.ini\" is not what was precompiled"
}

@test "a change of one byte that keeps the size is seen" {
	require_root
	profile pc <<-'EOF'
		[seccomp]
		default-action = allow
		EPERM = mkdir
	EOF
	precompile -p pc
	sed -i 's/^EPERM = mkdir/EPERM = mkdur/' "$T/pc.ini"	# same size, unknown syscall
	run -125 --separate-stderr "$SYSFENCE" -p pc -- "$PROBE" touch "$W/ran"
	assert_stderr_contains "$T/pc.ini:3: unknown syscall \"mkdur\""
	assert_not_exist "$W/ran"
}

@test "a .local written after --precompile is applied" {
	require_root
	precompile -p pc
	printf '[seccomp]\nEACCES = mkdir\n' >"$T/pc.local"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EACCES
	assert_not_used '"pc.local" is not what was precompiled'
}

@test "a profile of the same name earlier on the search path is used instead" {
	require_root
	mkdir -m 0755 "$T/early"
	export SYSFENCE_PROFILE_PATH="$T/early:$SYSFENCE_PROFILE_PATH"
	precompile -p pc
	printf '[seccomp]\ndefault-action = allow\nENOSYS = mkdir\n' >"$T/early/pc.ini"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output ENOSYS
	assert_not_used '"pc.ini" is not what was precompiled'
}

@test "the seccomp options are part of the key; capability options apply either way" {
	require_root
	precompile -p pc --deny=getppid
	# Without the option: another key, no entry, compiled as written.
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" raw getppid
	assert_output OK
	assert_not_used "$T/cache/"
	assert_stderr_contains '.policy: none stored (sysfence --precompile stores one)'
	run_v -0 "$SYSFENCE" -v -p pc --deny=getppid -- "$PROBE" raw getppid
	assert_output EPERM
	assert_used
	# --caps-keep is applied at launch, not compiled: kept with the entry.
	run_v -0 "$SYSFENCE" -v -p pc --deny=getppid --caps-keep=cap_net_bind_service -- "$PROBE" status
	assert_used
	assert_line 'CapEff:	0000000000000400'
}

@test "an entry not owned by root is never used" {
	require_root
	precompile -p pc
	chown "$TEST_USER" "$ENTRY"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_not_used "$ENTRY: not owned by root, or writable by group or others"
}

@test "an entry writable by group, or in a directory others can write, is never used" {
	require_root
	precompile -p pc
	chmod 0664 "$ENTRY"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_not_used "$ENTRY: not owned by root, or writable by group or others"
	chmod 0644 "$ENTRY"
	chmod 0777 "$T/cache"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_not_used "$ENTRY: its directory is not owned by root, or writable by group or others"
}

@test "a user cannot plant an entry: one in a directory the user owns is ignored" {
	require_root
	precompile -p pc
	# The user copies a genuine entry into a directory of their own and
	# makes it allow mkdir (default-action allow, no rules): it is not root's.
	mkdir -m 0755 "$W/mine"
	chown "$TEST_USER" "$W/mine"
	as_user cp "$ENTRY" "$W/mine/"
	SYSFENCE_CACHE_DIR="$W/mine" run --separate-stderr as_user "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_success
	assert_output EPERM
	assert_stderr_contains "not owned by root, or writable by group or others"
	assert_not_exist "$W/d"
}

@test "a damaged entry is ignored and the profile compiled" {
	require_root
	precompile -p pc
	truncate -s -1 "$ENTRY"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_not_used "$ENTRY: the precompiled policy is damaged or from another version"
	printf 'not an entry' >"$ENTRY"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_not_used "$ENTRY: the precompiled policy is damaged or from another version"
	ln -sf /etc/hostname "$ENTRY"
	run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_not_used "$ENTRY: cannot open the precompiled policy"
}

@test "an empty SYSFENCE_CACHE_DIR turns precompiled policies off" {
	require_root
	precompile -p pc
	SYSFENCE_CACHE_DIR= run_v -0 "$SYSFENCE" -v -p pc -- "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_not_used 'SYSFENCE_CACHE_DIR is empty'
	SYSFENCE_CACHE_DIR= run -125 --separate-stderr "$SYSFENCE" --precompile -p pc
	assert_stderr_contains 'sysfence: --precompile: SYSFENCE_CACHE_DIR is set but empty'
}

@test "--precompile as a user fails with 125 and writes nothing" {
	run -125 --separate-stderr as_user "$SYSFENCE" --precompile -p pc
	assert_stderr_contains "sysfence: --precompile writes into $T/cache, which only root may"
	assert_not_exist "$T/cache"
}

@test "--precompile refuses a cache directory others can write" {
	require_root
	mkdir -m 0777 "$T/cache"
	chmod 0777 "$T/cache"
	run -125 --separate-stderr "$SYSFENCE" --precompile -p pc
	assert_stderr_contains "refusing to write into \"$T/cache\""
	[ -z "$(ls -A "$T/cache")" ]
}

@test "--precompile of an invalid profile reports FILE:LINE, exits 125 and stores nothing" {
	require_root
	profile broken <<-'EOF'
		[seccomp]
		default-action = allow
		deny = mkdri
	EOF
	run -125 --separate-stderr "$SYSFENCE" --precompile -p broken
	assert_stderr_contains "sysfence: $T/broken.ini:3: unknown syscall \"mkdri\" (did you mean \"mkdir\"?)"
	[ ! -e "$T/cache" ] || [ -z "$(ls -A "$T/cache")" ]
}

@test "--precompile with PROGRAM is refused" {
	run -125 --separate-stderr "$SYSFENCE" --precompile -p pc -- /bin/true
	assert_stderr_contains 'unexpected argument "/bin/true"'
}

@test "--precompile without -p compiles every profile on the search path" {
	require_root
	export SYSFENCE_PROFILE_PATH="$T:$SF_TMP/profiles"
	run -0 --separate-stderr "$SYSFENCE" --precompile
	local want
	want=$( (ls "$T"; ls "$SF_TMP/profiles") | sed -n 's/\.ini$//p' | grep -vx groups | sort -u | wc -l)
	[ "${#lines[@]}" -eq "$want" ] || fail "expected $want lines: $output"
	assert_line --regexp '^pc: precompiled into '
	assert_line --regexp '^default: precompiled into '
	assert_line --regexp '^curl: precompiled into '
	[ "$(ls "$T/cache" | wc -l)" -eq "$want" ]
}

@test "every shipped profile runs the same precompiled as compiled" {
	require_root
	export SYSFENCE_PROFILE_PATH="$SF_TMP/profiles"
	run -0 "$SYSFENCE" --precompile -q
	local name a b
	for name in $(ls "$SF_TMP/profiles" | sed -n 's/\.ini$//p' | grep -vx groups); do
		# Same status, same output, same messages but the first line.
		a=$("$SYSFENCE" -v -p "$name" -- "$PROBE" status 2>"$W/a.err"; echo "status $?")
		b=$(SYSFENCE_CACHE_DIR= "$SYSFENCE" -v -p "$name" -- "$PROBE" status 2>"$W/b.err"; echo "status $?")
		[ "$a" = "$b" ] || fail "$name: precompiled: $a; compiled: $b"
		# A profile whose [filesystem] rules do not let the probe run
		# fails alike both ways (125); the full step 1 then reports it.
		if [ "${a##*status }" = 0 ]; then
			grep -q '^sysfence: precompiled policy ' "$W/a.err" || fail "$name: entry not used: $(cat "$W/a.err")"
		else
			grep -q '^sysfence: no precompiled policy used: it does not prepare a launch here' "$W/a.err" ||
				fail "$name: $(cat "$W/a.err")"
		fi
		diff <(grep -v 'precompiled policy' "$W/a.err") <(grep -v 'precompiled policy' "$W/b.err") ||
			fail "$name: messages differ"
	done
}

@test "--precompile creates a missing cache directory and its parents, root-owned 0755" {
	require_root
	umask 077
	export SYSFENCE_CACHE_DIR="$T/var/cache/sysfence"
	run -0 --separate-stderr "$SYSFENCE" --precompile -p pc
	[ -z "$stderr" ] || fail "stderr: $stderr"
	assert_output --regexp "^pc: precompiled into $SYSFENCE_CACHE_DIR/"
	[ "$(stat -c '%u %a' "$T/var" "$T/var/cache" "$T/var/cache/sysfence")" = "0 755
0 755
0 755" ]
	# Every profile at once: the directory is made before the first one.
	export SYSFENCE_CACHE_DIR="$T/other/cache/sysfence"
	export SYSFENCE_PROFILE_PATH="$T:$SF_TMP/profiles"
	run -0 --separate-stderr "$SYSFENCE" --precompile -q
	[ -z "$stderr" ] || fail "stderr: $stderr"
	[ -n "$(ls -A "$SYSFENCE_CACHE_DIR")" ]
}

@test "--precompile follows no symlink on the way to the cache directory" {
	require_root
	mkdir "$W/elsewhere"
	ln -s "$W/elsewhere" "$T/link"
	SYSFENCE_CACHE_DIR="$T/link/cache" run -125 --separate-stderr "$SYSFENCE" --precompile -p pc
	[ "$stderr" = "sysfence: cannot create \"$T/link/cache\": \"link\" on the way is a symbolic link, which is not followed" ]
	[ -z "$(ls -A "$W/elsewhere")" ]
}
