#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# "Rules that keep users safe" (sysfence(1)): never setuid/setgid, and as root
# never a profile that someone else could have written.

SETID_REFUSAL='sysfence: refusing to run set-user-id or set-group-id (real and effective ids differ)'

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
	require_root
}

require_suid_mount() {
	if findmnt -no OPTIONS -T "$T" | grep -qw nosuid; then
		skip "$T is on a nosuid mount"
	fi
}

# A copy of sysfence and one of the probe with the given mode (4755, 2755).
# The probe copy shows that the kernel really grants the ids.
install_setid() {
	cp "$SYSFENCE" "$T/sysfence"
	cp "$PROBE" "$T/probe"
	chown root:root "$T/sysfence" "$T/probe"
	chmod "$1" "$T/sysfence" "$T/probe"
}

@test "a setuid sysfence refuses to start (real and effective uid differ)" {
	require_suid_mount
	install_setid 4755
	run -0 as_user "$T/probe" uid
	assert_output --regexp "^uid=$(id -u "$TEST_USER") euid=0 "

	run -125 --separate-stderr as_user "$T/sysfence" -p "$F/allow-all.ini" -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix "$SETID_REFUSAL"
	assert_file_not_exists "$W/marker"
}

@test "a setgid sysfence refuses to start (real and effective gid differ)" {
	require_suid_mount
	install_setid 2755
	run -0 as_user "$T/probe" uid
	assert_output --regexp "^uid=[0-9]+ euid=[0-9]+ gid=$(id -g "$TEST_USER") egid=0 "

	run -125 --separate-stderr as_user "$T/sysfence" -p "$F/allow-all.ini" -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix "$SETID_REFUSAL"
	assert_file_not_exists "$W/marker"
}

# Write the deny-mkdir profile to PATH with the given mode.
deny_mkdir_profile() {
	cp "$F/deny-mkdir.ini" "$1"
	chmod "$2" "$1"
}

# refused_as_root PROFILE PREFIX: root refuses with a message starting with
# PREFIX, the user accepts.
refused_as_root() {
	run -125 --separate-stderr "$SYSFENCE" -p "$1" -- "$PROBE" touch "$W/marker"
	assert_stderr_prefix "$2"
	assert_file_not_exists "$W/marker"
	# The same profile is fine for an unprivileged user, and it works.
	SF_AS=user sf_probe EPERM -p "$1" -- mkdir "$W/d"
	assert_not_exist "$W/d"
}

@test "as root, a root-owned 0644 profile in a 0755 directory is accepted" {
	deny_mkdir_profile "$T/p.ini" 0644
	sf_probe EPERM -p "$T/p.ini" -- mkdir "$W/d"
	assert_not_exist "$W/d"
}

@test "as root, a group-writable profile is refused" {
	deny_mkdir_profile "$T/p.ini" 0664
	refused_as_root "$T/p.ini" "sysfence: refusing \"$T/p.ini\""
}

@test "as root, an other-writable profile is refused" {
	deny_mkdir_profile "$T/p.ini" 0646
	refused_as_root "$T/p.ini" "sysfence: refusing \"$T/p.ini\""
}

@test "as root, a profile not owned by root is refused" {
	deny_mkdir_profile "$T/p.ini" 0644
	chown "$TEST_USER" "$T/p.ini"
	refused_as_root "$T/p.ini" "sysfence: refusing \"$T/p.ini\""
}

@test "as root, a profile in a group-writable directory is refused" {
	mkdir "$T/dir"
	chmod 0775 "$T/dir"
	deny_mkdir_profile "$T/dir/p.ini" 0644
	refused_as_root "$T/dir/p.ini" "sysfence: refusing \"$T/dir"
}

@test "as root, a profile in an other-writable directory is refused" {
	mkdir "$T/dir"
	chmod 0757 "$T/dir"
	deny_mkdir_profile "$T/dir/p.ini" 0644
	refused_as_root "$T/dir/p.ini" "sysfence: refusing \"$T/dir"
}

@test "as root, a profile in a directory not owned by root is refused" {
	mkdir "$T/dir"
	chmod 0755 "$T/dir"
	chown "$TEST_USER" "$T/dir"
	deny_mkdir_profile "$T/dir/p.ini" 0644
	refused_as_root "$T/dir/p.ini" "sysfence: refusing \"$T/dir"
}

@test "as root, a profile found by name in a group-writable directory is refused" {
	mkdir "$T/dir"
	chmod 0775 "$T/dir"
	deny_mkdir_profile "$T/dir/p.ini" 0644
	SYSFENCE_PROFILE_PATH="$T/dir" refused_as_root p "sysfence: refusing \"$T/dir"
}

@test "as root, a group-writable included profile is refused" {
	printf '[profile]\ninclude = ./inc.ini\n' >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	deny_mkdir_profile "$T/inc.ini" 0664
	refused_as_root "$T/p.ini" "sysfence: $T/p.ini:2: refusing \"$T/inc.ini\""
}

@test "as root, a .local file not owned by root is refused" {
	printf '[seccomp]\ndefault-action = allow\n' >"$T/p.ini"
	chmod 0644 "$T/p.ini"
	deny_mkdir_profile "$T/p.local" 0644
	chown "$TEST_USER" "$T/p.local"
	SYSFENCE_PROFILE_PATH="$T" refused_as_root p "sysfence: refusing \"$T/p.local\""
}

# A home directory at $1 holding .config/sysfence/profiles/sf-home.ini (the
# deny-mkdir profile), every part root-owned 0755 (the caller changes one).
make_home() {
	mkdir -p "$1/.config/sysfence/profiles"
	chmod 0755 "$1" "$1/.config" "$1/.config/sysfence" "$1/.config/sysfence/profiles"
	deny_mkdir_profile "$1/.config/sysfence/profiles/sf-home.ini" 0644
}

# run_home HOME STATUS [as_user]: -p sf-home with that HOME and no
# SYSFENCE_PROFILE_PATH or XDG_CONFIG_HOME.
run_home() {
	run "$2" --separate-stderr ${3:-} env -u SYSFENCE_PROFILE_PATH -u XDG_CONFIG_HOME HOME="$1" \
		"$SYSFENCE" -v -p sf-home -- "$PROBE" mkdir "$W/d"
}

@test "as root, a profile directory reached through a user-owned HOME is skipped, and -v says why" {
	mkdir -m 0755 "$T/u"
	make_home "$T/u/home"
	chown "$TEST_USER" "$T/u/home"
	run_home "$T/u/home" -125
	assert_equal "${stderr_lines[0]}" "sysfence: skipping profile directory \"$T/u/home/.config/sysfence/profiles\": \"$T/u/home\" is not owned by root"
	assert_stderr_contains "cannot find profile \"sf-home\""
	assert_not_exist "$W/d"
	# The user's own run still reads it.
	run_home "$T/u/home" -0 as_user
	assert_output EPERM
}

@test "as root, a profile directory in a root-owned HOME is read" {
	make_home "$T/home"
	run_home "$T/home" -0
	assert_output EPERM
	[[ "$stderr" != *skipping* ]]
}

@test "as root, a profile directory reached through a symlink or a group-writable directory is skipped" {
	make_home "$T/real"
	mkdir -m 0755 "$T/home"
	ln -s "$T/real/.config" "$T/home/.config"
	run_home "$T/home" -125
	assert_equal "${stderr_lines[0]}" "sysfence: skipping profile directory \"$T/home/.config/sysfence/profiles\": \"$T/home/.config\" is a symbolic link"
	chmod 0775 "$T/real/.config"
	run_home "$T/real" -125
	assert_equal "${stderr_lines[0]}" "sysfence: skipping profile directory \"$T/real/.config/sysfence/profiles\": \"$T/real/.config\" is writable by group or others"
	# Without -v, nothing is said but that no profile was found.
	run -125 --separate-stderr env -u SYSFENCE_PROFILE_PATH -u XDG_CONFIG_HOME HOME="$T/real" \
		"$SYSFENCE" -p sf-home -- "$PROBE" mkdir "$W/d"
	[[ "$stderr" != *skipping* ]]
	assert_not_exist "$W/d"
}

@test "as root, XDG_CONFIG_HOME is held to the same rule" {
	mkdir -m 0755 "$T/u"
	make_home "$T/u/home"
	chown "$TEST_USER" "$T/u/home/.config"
	run -125 --separate-stderr env -u SYSFENCE_PROFILE_PATH XDG_CONFIG_HOME="$T/u/home/.config" \
		"$SYSFENCE" -v -p sf-home -- "$PROBE" mkdir "$W/d"
	assert_equal "${stderr_lines[0]}" "sysfence: skipping profile directory \"$T/u/home/.config/sysfence/profiles\": \"$T/u/home/.config\" is not owned by root"
}
