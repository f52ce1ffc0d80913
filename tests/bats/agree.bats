#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --check and a run agree: over every profile of the fuzz corpora (profile
# and policy harnesses: plain INI files) and every malformed-profile
# fixture, `--check -p FILE` exits 0 exactly when `-p FILE -- true` does
# not stop with 125. Whatever a run refuses, --check reports, and the other
# way round.

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

@test "--check and a run agree on every corpus profile and malformed fixture" {
	local dir f n=0 bad=0 check_status run_status true_bin
	true_bin=$(command -v true)
	# The corpora, copied so that the root rule (root-owned, not
	# group- or world-writable) holds for them as for the fixture copy $F.
	for dir in profile policy; do
		mkdir -m 0755 "$T/$dir"
		cp "$SRC/fuzz/corpus/$dir"/* "$T/$dir/"
		chmod 0644 "$T/$dir"/*
	done
	for f in "$T"/profile/* "$T"/policy/* "$F"/bad/*.ini; do
		n=$((n + 1))
		run --separate-stderr "$SYSFENCE" --check -q -p "$f"
		check_status=$status
		run --separate-stderr "$SYSFENCE" -q -p "$f" -- "$true_bin"
		run_status=$status
		if [ "$check_status" -ne 0 ] && [ "$check_status" -ne 1 ]; then
			echo "${f#"$SF_TMP"/}: --check exited $check_status"
			bad=$((bad + 1))
		elif { [ "$check_status" -eq 0 ] && [ "$run_status" -eq 125 ]; } ||
			{ [ "$check_status" -eq 1 ] && [ "$run_status" -ne 125 ]; }; then
			echo "${f#"$SF_TMP"/}: --check exited $check_status, the run $run_status: $stderr"
			bad=$((bad + 1))
		fi
	done
	[ "$n" -ge 40 ]
	[ "$bad" -eq 0 ]
}
