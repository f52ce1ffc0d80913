#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --link, --unlink and runs through a link (sysfence(1) "LINKS"), as root
# and as the test user. Links go to private directories under the test's
# own; PATH is always set explicitly.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	sf_setup_file
}

teardown_file() {
	sf_teardown_file
}

# $T/real/probewrap: a real program that prints its arguments and execs the
# probe's status; $T/probewrap.ini: its profile, on the search path.
setup() {
	sf_setup
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
	mkdir -m 0755 "$T/real"
	printf '#!/bin/sh\nprintf "[%%s]" "$@"; echo\nexec %s status\n' "$PROBE" >"$T/real/probewrap"
	chmod 0755 "$T/real/probewrap"
	printf '[profile]\ninclude = default\n' | profile probewrap
	L="$W/links"	# world-writable parent: the test user can make it too
}

# run_as WHO CMD...: as root, or as the test user.
run_as() {
	if [ "$1" = user ]; then
		shift
		as_user "$@"
	else
		shift
		"$@"
	fi
}

link_runs_program() {
	local who=$1
	run_as "$who" mkdir -p "$L"
	run -0 --separate-stderr run_as "$who" "$SYSFENCE" --link probewrap --dir "$L"
	assert_output "$L/probewrap -> $SYSFENCE"
	[ "$(readlink "$L/probewrap")" = "$SYSFENCE" ]
	run -0 --separate-stderr run_as "$who" env PATH="$L:$T/real:/usr/bin:/bin" probewrap -s --x 'a b' -- -p
	assert_line --index 0 '[-s][--x][a b][--][-p]'
	assert_line "NoNewPrivs:${TAB}1"
	assert_line "Seccomp:${TAB}2"
	assert_equal "$stderr" ''
}

@test "a link made by --link runs the real program under its profile, arguments untouched" {
	link_runs_program root
}

@test "as a user, a link made by --link runs the real program under its profile" {
	link_runs_program user
}

@test "through a link, SYSFENCE_VERBOSE=1 stands for -v and the profile of the link's name is used" {
	mkdir -m 0755 "$L"
	"$SYSFENCE" -q --link probewrap --dir "$L"
	run -0 --separate-stderr env SYSFENCE_VERBOSE=1 PATH="$L:$T/real:/usr/bin:/bin" probewrap
	assert_stderr_contains "sysfence: read $T/probewrap.ini"
	assert_stderr_contains "sysfence: exec $T/real/probewrap"
}

@test "through a link without a profile of its name, default applies" {
	mkdir -m 0755 "$T/l2"
	ln -s "$SYSFENCE" "$T/l2/noprof"
	cp "$T/real/probewrap" "$T/real/noprof"
	run -0 --separate-stderr env SYSFENCE_VERBOSE=1 PATH="$T/l2:$T/real:/usr/bin:/bin" noprof
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/default.ini"
	assert_line "Seccomp:${TAB}2"
}

@test "links in two directories and no real program: 125, named as a loop" {
	mkdir -m 0755 "$T/l1" "$T/l2"
	"$SYSFENCE" -q --link probewrap --dir "$T/l1"
	"$SYSFENCE" -q --link probewrap --dir "$T/l2"
	run -125 --separate-stderr env PATH="$T/l1:$T/l2" probewrap -s
	assert_output ''
	assert_equal "$stderr" "sysfence: \"probewrap\" leads back to sysfence: every \"probewrap\" on PATH is a link to it ($T/l1/probewrap, $T/l2/probewrap)"
	# The real program after both: found, both links passed.
	run -0 --separate-stderr env PATH="$T/l1:$T/l2:$T/real" probewrap -s
	assert_line --index 0 '[-s]'
}

@test "the same link directory twice on PATH is no loop: the program is just not installed (127)" {
	mkdir -m 0755 "$T/l1"
	"$SYSFENCE" -q --link probewrap --dir "$T/l1"
	run -127 --separate-stderr env PATH="$T/l1:$T/l1/" probewrap
	assert_equal "$stderr" 'sysfence: cannot execute "probewrap": no program of that name on PATH, only the link to sysfence'
	# Started by its full path, with PATH holding nothing of that name.
	run -127 --separate-stderr env PATH=/nonexistent "$T/l1/probewrap"
	assert_equal "$stderr" 'sysfence: cannot execute "probewrap": no program of that name on PATH, only links to sysfence'
}

@test "as a user, a loop of links is refused too" {
	as_user mkdir -p "$W/u1" "$W/u2"
	as_user "$SYSFENCE" -q --link probewrap --dir "$W/u1"
	as_user "$SYSFENCE" -q --link probewrap --dir "$W/u2"
	run -125 --separate-stderr as_user env PATH="$W/u1:$W/u2" probewrap
	assert_equal "$stderr" "sysfence: \"probewrap\" leads back to sysfence: every \"probewrap\" on PATH is a link to it ($W/u1/probewrap, $W/u2/probewrap)"
}

@test "--link refuses to replace a file, goes on with the others, and is idempotent for its own links" {
	mkdir -m 0755 "$L"
	printf '[profile]\ninclude = default\n' | profile other
	echo keep >"$L/other"
	run -125 --separate-stderr "$SYSFENCE" --link other probewrap --dir "$L"
	assert_equal "$stderr" "sysfence: cannot link \"other\": \"$L/other\" exists and is not a link to sysfence"
	assert_output "$L/probewrap -> $SYSFENCE"
	[ "$(cat "$L/other")" = keep ]
	run -0 --separate-stderr "$SYSFENCE" --dir "$L" --link probewrap
	assert_output "$L/probewrap -> $SYSFENCE (already linked)"
	# A symlink to something else is not ours either.
	ln -s /bin/true "$L/else"
	printf '[profile]\ninclude = default\n' | profile else
	run -125 --separate-stderr "$SYSFENCE" --link else --dir "$L"
	assert_equal "$stderr" "sysfence: cannot link \"else\": \"$L/else\" exists and is not a link to sysfence"
	[ "$(readlink "$L/else")" = /bin/true ]
}

@test "--link needs a profile and a plain program name" {
	mkdir -m 0755 "$L"
	run -125 --separate-stderr "$SYSFENCE" --link nosuch groups ../x --dir "$L"
	assert_equal "${stderr_lines[0]}" 'sysfence: cannot link "nosuch": no profile nosuch.ini on the search path'
	assert_equal "${stderr_lines[1]}" 'sysfence: cannot link "groups": no profile groups.ini on the search path'
	assert_equal "${stderr_lines[2]}" 'sysfence: cannot link "../x": not a program name'
	run -125 --separate-stderr "$SYSFENCE" --link probewrap --dir "$L" -v
	assert_equal "$stderr" 'sysfence: unexpected option "-v" after the programs (only --dir=DIR may follow them)'
	run -125 --separate-stderr "$SYSFENCE" --list --dir "$L"
	assert_equal "$stderr" 'sysfence: option "--dir" only goes with --link or --unlink'
	run -125 --separate-stderr "$SYSFENCE" --link probewrap --dir
	assert_equal "$stderr" 'sysfence: option "--dir" needs a non-empty value'
	assert_dir_not_exists "$L/probewrap"
	[ ! -e "$L/probewrap" ]
}

@test "--link without programs links every installed program with a profile, but default and strict" {
	mkdir -m 0755 "$L"
	run -0 --separate-stderr env PATH="$T/real" "$SYSFENCE" --link --dir "$L"
	assert_output "$L/probewrap -> $SYSFENCE"
	run -0 ls "$L"
	assert_output probewrap
	# Installed per the same PATH walk: a link of ours is no installed program.
	run -0 --separate-stderr env PATH="$L" "$SYSFENCE" --link --dir "$T"
	assert_output 'nothing to link: no program with a profile is installed on PATH'
}

unlink_checks() {
	local who=$1
	run_as "$who" mkdir -p "$L"
	run_as "$who" "$SYSFENCE" -q --link probewrap --dir "$L"
	run_as "$who" sh -c "echo data >'$L/plain'; ln -s /bin/true '$L/true'; ln -s '$SYSFENCE' '$L/mine'"
	run -125 --separate-stderr run_as "$who" "$SYSFENCE" --unlink plain true --dir "$L"
	assert_equal "${stderr_lines[0]}" "sysfence: cannot unlink \"plain\": \"$L/plain\" is not a link to sysfence"
	assert_equal "${stderr_lines[1]}" "sysfence: cannot unlink \"true\": \"$L/true\" is not a link to sysfence"
	run -0 --separate-stderr run_as "$who" "$SYSFENCE" --unlink --dir "$L"
	assert_output "$(printf 'removed %s\nremoved %s' "$L/mine" "$L/probewrap")"
	run -0 ls "$L"
	assert_output "$(printf 'plain\ntrue')"
	[ "$(readlink "$L/true")" = /bin/true ]
	run -0 --separate-stderr run_as "$who" "$SYSFENCE" --unlink probewrap --dir "$L"
	assert_output "$L/probewrap was not linked"
	run -0 --separate-stderr run_as "$who" "$SYSFENCE" --unlink --dir "$L"
	assert_output "nothing to unlink: no link to sysfence in $L"
}

@test "--unlink removes only links to sysfence, nothing else, ever" {
	unlink_checks root
}

@test "as a user, --unlink removes only links to sysfence" {
	unlink_checks user
}

@test "as a user, the default directory is ~/.local/bin, made when missing" {
	as_user mkdir "$W/home"
	run -0 --separate-stderr as_user env HOME="$W/home" PATH="$T/real:/usr/bin:/bin" "$SYSFENCE" --link probewrap
	assert_output "$W/home/.local/bin/probewrap -> $SYSFENCE"
	run -0 --separate-stderr as_user env HOME="$W/home" PATH="$W/home/.local/bin:$T/real:/usr/bin:/bin" probewrap
	assert_line "Seccomp:${TAB}2"
	run -0 --separate-stderr as_user env HOME="$W/home" "$SYSFENCE" --unlink
	assert_output "removed $W/home/.local/bin/probewrap"
	run -125 --separate-stderr as_user env -u HOME "$SYSFENCE" --link probewrap
	assert_equal "$stderr" 'sysfence: HOME is not an absolute directory, so there is no ~/.local/bin: give --dir DIR'
}

@test "--list says whether each program is installed and where it is linked" {
	mkdir -m 0755 "$L"
	run -0 --separate-stderr env PATH="$L:$T/real" "$SYSFENCE" --list
	assert_line "                 installed: $T/real/probewrap; linked: no"
	"$SYSFENCE" -q --link probewrap --dir "$L"
	run -0 --separate-stderr env PATH="$L:$T/real" "$SYSFENCE" --list
	assert_line --regexp '^probewrap +$'
	assert_line "                 $T/probewrap.ini"
	assert_line "                 installed: $T/real/probewrap; linked: $L/probewrap"
	run -0 --separate-stderr env PATH="$L" "$SYSFENCE" --list
	assert_line "                 installed: no; linked: $L/probewrap"
	# default and strict name no program: two lines each, as before.
	run -0 --separate-stderr env PATH="$L" "$SYSFENCE" --list
	assert_line --regexp '^default '
	refute_output --partial "linked: $L/default"
}

# The shipped profiles through a user's links: a real conversion.
shipped_checks() {
	local prog=$1 dir="$W/home/.local/bin"
	command -v "$prog" >/dev/null || skip "$prog is not installed"
	as_user mkdir -p "$dir"
	as_user "$SYSFENCE" -q --link "$prog" --dir "$dir"
	echo 'hello through a link' >"$W/in.txt"
	chmod 0666 "$W/in.txt"
	case $prog in
	gzip)
		run -0 --separate-stderr as_user env PATH="$dir:/usr/bin:/bin" sh -c "gzip -c '$W/in.txt' | gzip -dc"
		assert_output 'hello through a link'
		;;
	jq)
		run -0 --separate-stderr as_user env PATH="$dir:/usr/bin:/bin" sh -c "echo '{\"a\":[1,2]}' | jq -c '.a|add'"
		assert_output 3
		;;
	esac
}

@test "as a user, a link to gzip runs a real compression under the shipped profile" {
	shipped_checks gzip
}

@test "as a user, a link to jq runs a real query under the shipped profile" {
	shipped_checks jq
}

# tar runs gzip by name: with both linked, gzip's sysfence starts inside
# tar's sandbox and stacks its own filter on the first one.
nested_checks() {
	local dir="$W/links"
	command -v tar >/dev/null && command -v gzip >/dev/null || skip "tar or gzip is not installed"
	as_user mkdir -p "$dir" "$W/src"
	as_user "$SYSFENCE" -q --link tar gzip --dir "$dir"
	echo 'nested' >"$W/src/f.txt"
	chmod -R a+rwX "$W/src"
	run -0 --separate-stderr "$@" env PATH="$dir:/usr/bin:/bin" sh -c \
		"cd '$W' && tar -czf out.tgz src && tar -xzOf out.tgz src/f.txt"
	assert_output nested
}

@test "a linked program run by another linked program (tar -z running gzip) works, as a user" {
	nested_checks as_user
}

@test "a linked program run by another linked program (tar -z running gzip) works, as root" {
	require_root
	nested_checks
}
