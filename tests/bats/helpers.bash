# SPDX-License-Identifier: GPL-2.0-or-later
# Shared setup for the sysfence integration tests.
#
# ctest passes the freshly built binaries and the source tree in the
# environment: SYSFENCE, PROBE, FIX (tests/fixtures), SRC, BUILD.
#
# Each .bats file calls sf_setup_file/sf_teardown_file and sf_setup. They
# build one private tree per file under /tmp, readable by the unprivileged
# test user and, when running as root, owned by root and writable by root
# only (sysfence refuses anything else as root):
#
#   $SF_TMP/bin       copies of sysfence and probe ($SYSFENCE, $PROBE point here)
#   $F                copy of tests/fixtures ("$F/bad/x.ini" in messages)
#   $SF_TMP/profiles  copy of the shipped profiles (the group library)
#   $T                per test, 0755: profiles written by the test
#   $W                per test, 0777: where the probe creates files
#
# SYSFENCE_PROFILE_PATH is always set, so the user's own profiles never leak
# in; SYSFENCE_CACHE_DIR points at $SF_TMP/cache (absent unless a test
# precompiles), so no system-wide precompiled policy is ever used.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load '/usr/lib/bats/bats-file/load'

TEST_USER=sysfence-test
TAB=$'\t'

sf_setup_file() {
	local v
	for v in SYSFENCE PROBE FIX SRC; do
		[ -n "${!v:-}" ] || { echo "helpers.bash: \$$v is not set (run the tests through ctest)" >&2; return 1; }
	done

	umask 022
	SF_TMP=$(mktemp -d /tmp/sysfence-bats.XXXXXX)
	chmod 0755 "$SF_TMP"
	mkdir "$SF_TMP/bin" "$SF_TMP/profiles"
	cp "$SYSFENCE" "$PROBE" "$SF_TMP/bin/"
	cp -R "$FIX" "$SF_TMP/fix"
	if [ -d "$SRC/profiles" ]; then
		cp -R "$SRC/profiles/." "$SF_TMP/profiles/"
	fi
	chmod -R u=rwX,go=rX "$SF_TMP"
	chmod 0755 "$SF_TMP/bin/"*
	if [ "$EUID" -eq 0 ]; then
		chown -R root:root "$SF_TMP"
		sf_ensure_user
	fi

	SYSFENCE="$SF_TMP/bin/$(basename "$SYSFENCE")"
	PROBE="$SF_TMP/bin/$(basename "$PROBE")"
	F="$SF_TMP/fix"
	export SF_TMP SYSFENCE PROBE F
}

# For files that run tests/escape/escape.c: a copy of it beside the probe.
sf_setup_escape() {
	[ -n "${ESCAPE:-}" ] || { echo "\$ESCAPE is not set (run the tests through ctest)" >&2; return 1; }
	cp "$ESCAPE" "$SF_TMP/bin/"
	chmod 0755 "$SF_TMP/bin/escape"
	ESCAPE="$SF_TMP/bin/escape"
	export ESCAPE
}

sf_teardown_file() {
	if [ -n "${SF_TMP:-}" ] && [ -d "$SF_TMP" ]; then
		rm -rf "$SF_TMP"
	fi
}

sf_setup() {
	# Filters kill the probe on purpose: no core files.
	ulimit -c 0
	umask 022
	export SYSFENCE_PROFILE_PATH="$F:$SF_TMP/profiles"
	# Precompiled policies: none unless a test makes them (precompiled.bats),
	# so every other test exercises the full step 1.
	export SYSFENCE_CACHE_DIR="$SF_TMP/cache"
	T="$SF_TMP/t$BATS_TEST_NUMBER"
	W="$SF_TMP/w$BATS_TEST_NUMBER"
	mkdir -m 0755 "$T"
	mkdir -m 0777 "$W"
	chmod 0777 "$W"	# mkdir -m is filtered by the umask on some shells
}

# For teardown: kill every process whose PID a test added to PIDS (the
# test's own servers and sleepers, stopped even when it failed half-way).
sf_kill_pids() {
	local p
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
}

# Create the unprivileged test user once (root only). Several .bats files may
# run at once, so creation is serialised with a lock.
sf_ensure_user() {
	flock /run/lock/sysfence-test-user.lock sh -c \
		"getent passwd $TEST_USER >/dev/null ||
		 useradd --system --no-create-home --user-group --home-dir /nonexistent --shell /usr/sbin/nologin $TEST_USER"
}

require_root() {
	[ "$EUID" -eq 0 ] || skip "needs root"
}

# Run a command as an unprivileged user, keeping the environment: as root,
# the test user with no supplementary groups; otherwise the current user.
as_user() {
	if [ "$EUID" -eq 0 ]; then
		setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups -- "$@"
	else
		"$@"
	fi
}

# The name of the user as_user runs as.
as_user_name() {
	if [ "$EUID" -eq 0 ]; then
		echo "$TEST_USER"
	else
		id -un
	fi
}

# Write stdin to $T/NAME.ini (mode 0644) for a profile written inside a test.
profile() {
	cat >"$T/$1.ini"
	chmod 0644 "$T/$1.ini"
}

# sf_probe RESULT SYSFENCE-ARG... -- PROBE-ARG...
# Run the probe under sysfence and check what the kernel did. RESULT is the
# line the probe prints ("OK", "EPERM", "SIGSYS getppid"), or KILLED: the
# probe died of SIGSYS (status 159 as the shell reports it) and printed
# nothing. With SF_AS=user the whole command runs as the test user.
sf_probe() {
	local want=$1 i
	shift
	local -a opts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ "${1:-}" = -- ] || { echo "sf_probe: missing --" >&2; return 1; }
	shift

	local -a cmd=("$SYSFENCE" "${opts[@]}" -- "$PROBE" "$@")
	if [ "${SF_AS:-}" = user ]; then
		cmd=(as_user "${cmd[@]}")
	fi
	if [ "$want" = KILLED ]; then
		run -159 --separate-stderr "${cmd[@]}"
		assert_output ''
	else
		run -0 --separate-stderr "${cmd[@]}"
		assert_output "$want"
	fi
}

# Assert that some line of $stderr (from run --separate-stderr) starts with
# the given text.
assert_stderr_prefix() {
	local l
	for l in "${stderr_lines[@]}"; do
		[[ "$l" == "$1"* ]] && return 0
	done
	batslib_print_kv_single_or_multi 8 'prefix' "$1" 'stderr' "$stderr" |
		batslib_decorate 'no stderr line starts with prefix' | fail
}

# Assert that $stderr contains the given text.
assert_stderr_contains() {
	[[ "$stderr" == *"$1"* ]] && return 0
	batslib_print_kv_single_or_multi 8 'expected' "$1" 'stderr' "$stderr" |
		batslib_decorate 'stderr does not contain text' | fail
}

# Skip unless the kernel runs i386 system calls made through int $0x80
# (CONFIG_IA32_EMULATION and not disabled at boot).
require_int80() {
	[ "$(uname -m)" = x86_64 ] || skip "x86-64 only"
	[ "$("$PROBE" int80-getpid 2>/dev/null)" = OK ] || skip "the kernel runs no i386 system calls"
}
