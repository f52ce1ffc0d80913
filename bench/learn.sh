#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Overhead of --learn on a syscall-heavy workload: every system call makes a
# round trip to the supervising sysfence process (seccomp user notification).
#
#   bench/learn.sh [SYSFENCE [ROUNDS [COUNT]]]
#
# SYSFENCE defaults to build/sysfence. The workload is
# "dd if=/dev/zero of=/dev/null bs=1 count=COUNT" (two syscalls per byte;
# COUNT defaults to 200000). Each round runs, in turn: the workload bare,
# under --learn, and under --report with a profile that denies nothing (the
# cost of a supervised run when no call is reported). Rounds are interleaved
# so that load from elsewhere hits every variant alike; the medians and the
# ratios are taken from this run. Not a test: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

sysfence=${1:-build/sysfence}
rounds=${2:-7}
count=${3:-200000}
[ -x "$sysfence" ] || { echo "learn.sh: $sysfence is not built (cmake --build build)" >&2; exit 1; }
export SYSFENCE_PROFILE_PATH=${SYSFENCE_PROFILE_PATH:-$PWD/profiles}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '[seccomp]\ndefault-action = allow\n' >"$tmp/allow.ini"
chmod 0644 "$tmp/allow.ini"

workload=(dd if=/dev/zero of=/dev/null bs=1 "count=$count" status=none)

# now_ns: monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

# time_ns CMD...: run CMD, print its wall time in nanoseconds.
time_ns() {
	local t0 t1
	t0=$(now_ns)
	"$@" >/dev/null 2>"$tmp/stderr"
	t1=$(now_ns)
	echo $((t1 - t0))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

: >"$tmp/bare"
: >"$tmp/learn"
: >"$tmp/report"
for ((i = 1; i <= rounds; i++)); do
	time_ns "${workload[@]}" >>"$tmp/bare"
	time_ns "$sysfence" --learn="$tmp/learned.ini" -- "${workload[@]}" >>"$tmp/learn"
	calls=$(sed -n 's/^sysfence: learned [0-9]* syscalls (\([0-9]*\) calls.*/\1/p' "$tmp/stderr")
	time_ns "$sysfence" --report -p "$tmp/allow.ini" -- "${workload[@]}" >>"$tmp/report"
done

bare=$(median <"$tmp/bare")
learn=$(median <"$tmp/learn")
report=$(median <"$tmp/report")
awk -v b="$bare" -v l="$learn" -v r="$report" -v c="$calls" -v n="$rounds" -v k="$count" 'BEGIN {
	printf "workload: dd bs=1 count=%d (%d system calls under --learn), median of %d interleaved rounds\n", k, c, n
	printf "  bare                        %8.1f ms\n", b / 1e6
	printf "  --learn                     %8.1f ms  (%.1fx bare, %.2f us per call)\n", l / 1e6, l / b, (l - b) / c / 1e3
	printf "  --report, nothing denied    %8.1f ms  (%.2fx bare)\n", r / 1e6, r / b
}'
