#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --export: each format is checked by what reads it: the kernel (bpf, through
# tests/export/loadbpf.c), jq and crun (oci), systemd-analyze (systemd).

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	sf_setup_file
	[ -n "${LOADBPF:-}" ] || { echo "export.bats: \$LOADBPF is not set (run through ctest)" >&2; return 1; }
	cp "$LOADBPF" "$SF_TMP/bin/"
	chmod 0755 "$SF_TMP/bin/loadbpf"
	LOADBPF="$SF_TMP/bin/loadbpf"
	export LOADBPF
}

teardown_file() {
	sf_teardown_file
}

setup() {
	sf_setup
	# One profile with every action and a widened condition.
	profile mixed <<-'EOF'
	[seccomp]
	default-action = allow
	deny = mkdir
	ENOSYS = getppid
	kill = ptrace
	EACCES = socket if arg0 == AF_VSOCK
	deny = ioctl if arg1 == TIOCSTI
	EOF
}

# Run "$@" and print what the probe printed, or KILLED for a SIGSYS death.
outcome() {
	local out st
	out=$("$@" 2>/dev/null) && st=0 || st=$?
	if [ "$st" -eq 159 ]; then
		echo KILLED
	else
		echo "$out"
	fi
}

@test "bpf: the exported filter loaded by prctl behaves as sysfence itself" {
	"$SYSFENCE" --export=bpf -p "$T/mixed.ini" >"$W/f.bpf"
	[ -s "$W/f.bpf" ]
	[ $(($(stat -c %s "$W/f.bpf") % 8)) -eq 0 ]
	local -a cases=(
		"mkdir $W/d" "raw getppid" "raw ptrace 0" "socket AF_VSOCK" "socket 0x100000028"
		"socket AF_UNIX" "ioctl-tiocsti" "ioctl-tiocsti 0x100000000" "touch $W/f"
	)
	local c a b
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		a=$(outcome "$SYSFENCE" -p "$T/mixed.ini" -- "$PROBE" $c)
		# shellcheck disable=SC2086
		b=$(outcome "$LOADBPF" "$W/f.bpf" "$PROBE" $c)
		echo "$c: sysfence '$a', loadbpf '$b'"
		[ -n "$a" ]
		[ "$a" = "$b" ]
	done
	# The expected results, so that "both broken alike" cannot pass.
	[ "$(outcome "$LOADBPF" "$W/f.bpf" "$PROBE" mkdir "$W/e")" = EPERM ]
	[ "$(outcome "$LOADBPF" "$W/f.bpf" "$PROBE" raw getppid)" = ENOSYS ]
	[ "$(outcome "$LOADBPF" "$W/f.bpf" "$PROBE" raw ptrace 0)" = KILLED ]
	[ "$(outcome "$LOADBPF" "$W/f.bpf" "$PROBE" socket 0x100000028)" = EACCES ]
	[ "$(outcome "$LOADBPF" "$W/f.bpf" "$PROBE" socket AF_UNIX)" = OK ]
}

@test "bpf: also works for an unprivileged user" {
	require_root
	"$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o "$W/f.bpf"
	run -0 as_user "$LOADBPF" "$W/f.bpf" "$PROBE" mkdir "$W/d"
	assert_output EPERM
	assert_not_exist "$W/d"
}

@test "-o writes the same bytes as stdout, mode 0644, and leaves no temporary file" {
	"$SYSFENCE" --export=bpf -p "$T/mixed.ini" >"$W/stdout.bpf"
	echo old >"$W/out.bpf"
	run -0 --separate-stderr "$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o "$W/out.bpf"
	assert_output ''
	cmp "$W/stdout.bpf" "$W/out.bpf"
	[ "$(stat -c %a "$W/out.bpf")" = 644 ]
	run -0 find "$W" -name '.*'
	assert_output ''
}

@test "as a user, -o into a FIFO writes into it and never replaces it (as it must not replace /dev/null)" {
	local reader
	as_user mkfifo "$W/pipe"
	# Bounded: if the export never opened the FIFO, the reader must not
	# wait for a writer forever.
	timeout 20 cat "$W/pipe" >"$W/from-pipe" &
	reader=$!
	run -0 --separate-stderr as_user timeout 20 "$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o "$W/pipe"
	wait "$reader"
	[ -p "$W/pipe" ]
	"$SYSFENCE" --export=bpf -p "$T/mixed.ini" | cmp - "$W/from-pipe"
	run -0 find "$W" -name '.*'
	assert_output ''
}

@test "as root, -o never follows a symlink: one at FILE is refused with 125 and its target is unchanged" {
	require_root
	mkdir -m 0755 "$T/victim"
	echo precious >"$T/victim/file"
	as_user ln -s "$T/victim/file" "$W/out.bpf"
	run -125 --separate-stderr "$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o "$W/out.bpf"
	[ "$stderr" = "sysfence: cannot write \"$W/out.bpf\": it is a symbolic link, which root does not follow" ]
	[ "$(cat "$T/victim/file")" = precious ]
	[ -L "$W/out.bpf" ]
	run -0 find "$W" "$T/victim" -name '.*'
	assert_output ''
	# The same as the user, who can write only what the user could anyway:
	# the link is replaced, the target is never written through.
	run -0 --separate-stderr as_user "$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o "$W/out.bpf"
	[ "$(cat "$T/victim/file")" = precious ]
	[ -f "$W/out.bpf" ] && [ ! -L "$W/out.bpf" ]
}

@test "as root, -o refuses a symlink on the way to FILE and a device" {
	require_root
	mkdir -m 0755 "$T/victim"
	as_user ln -s "$T/victim" "$W/dir"
	run -125 --separate-stderr "$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o "$W/dir/out.bpf"
	[ "$stderr" = "sysfence: cannot write \"$W/dir/out.bpf\": as root, sysfence follows no symbolic link, and \"$W/dir\" has one" ]
	[ -z "$(ls -A "$T/victim")" ]
	run -125 --separate-stderr "$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o /dev/null
	[ "$stderr" = 'sysfence: cannot write "/dev/null": not a regular file' ]
	[ -c /dev/null ]
}

@test "as root, -o refuses a symlink on the way also on a kernel without openat2" {
	require_root
	mkdir -m 0755 "$T/victim"
	as_user ln -s "$T/victim" "$W/dir"
	# An outer sysfence makes openat2 look absent, as before Linux 5.6.
	printf '[seccomp]\ndefault-action = allow\nENOSYS = openat2\n[capabilities]\ndrop = none\n' >"$T/no-openat2.ini"
	run -125 --separate-stderr "$SYSFENCE" -p "$T/no-openat2.ini" -- \
		"$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o "$W/dir/out.bpf"
	[ "$stderr" = "sysfence: cannot write \"$W/dir/out.bpf\": as root, sysfence follows no symbolic link, and \"$W/dir\" has one" ]
	[ -z "$(ls -A "$T/victim")" ]
	# and a real directory is still written
	run -0 --separate-stderr "$SYSFENCE" -p "$T/no-openat2.ini" -- \
		"$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o "$W/out.bpf"
	[ -s "$W/out.bpf" ]
}

@test "as root, -o /dev/stdout writes into the pipe the caller passed" {
	require_root
	"$SYSFENCE" --export=bpf -p "$T/mixed.ini" >"$W/stdout.bpf"
	"$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o /dev/stdout | cmp - "$W/stdout.bpf"
	"$SYSFENCE" --export=bpf -p "$T/mixed.ini" -o /dev/fd/1 | cmp - "$W/stdout.bpf"
	# A regular file behind the descriptor is not a pipe or terminal.
	run -125 --separate-stderr sh -c '"$0" --export=bpf -p "$1" -o /dev/stdout >"$2"' "$SYSFENCE" "$T/mixed.ini" "$W/f"
	[ ! -s "$W/f" ]
	[ "$stderr" = 'sysfence: cannot write "/dev/stdout": as root, sysfence writes only a regular file it creates, a pipe or a terminal' ]
}

@test "-o into a missing directory fails with 125 and names the file" {
	run -125 --separate-stderr "$SYSFENCE" --export=oci -p "$T/mixed.ini" -o "$W/no/such/out.json"
	[ "$stderr" = "sysfence: cannot write \"$W/no/such/out.json\": No such file or directory" ]
}

@test "PROGRAM is optional and only picks the profile" {
	profile true <<-'EOF'
	[seccomp]
	default-action = allow
	ENOSYS = getppid
	EOF
	SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH" run -0 --separate-stderr "$SYSFENCE" --export=pfc -- true
	assert_output --partial 'action ERRNO(38);'
	# Nothing ran: true's own status would not say anything, so use a
	# program that would leave a mark.
	run -0 "$SYSFENCE" --export=pfc -p "$T/mixed.ini" -- "$PROBE" touch "$W/ran"
	assert_not_exist "$W/ran"
}

@test "pfc: says it is sysfence's own program and shows every outcome" {
	run -0 --separate-stderr "$SYSFENCE" --export=pfc -p "$T/mixed.ini"
	assert_line --index 1 '# pseudo filter code start'
	assert_line '# Written by sysfence, not by libseccomp: sysfence compiles its seccomp'
	assert_line '# filter for arch x86_64 (3221225534)'
	assert_line '  # filter for syscall "mkdir" (83)'
	assert_line '    action ERRNO(1);'
	assert_line '    action ERRNO(38);'
	assert_line '    action KILL_PROCESS;'
	# The widened condition tests the low half only.
	assert_line '    if ($a0.lo32 == 40)'
	assert_line '      action ERRNO(13);'
	assert_line '  # default action'
	assert_line '  action ALLOW;'
	assert_line '# invalid architecture action'
}

# The OCI fields, as the runtime spec (config-linux.md, "Seccomp") defines
# them; jq exits non-zero when a rule is broken.
oci_check='
	def act: IN("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
		"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");
	def op: IN("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
		"SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
	def uint: type == "number" and . >= 0 and . == floor;
	(.defaultAction | type == "string" and act)
	and ((has("defaultErrnoRet") | not) or (.defaultAction == "SCMP_ACT_ERRNO" and (.defaultErrnoRet | uint)))
	and (.architectures | type == "array" and length > 0 and all(.[]; test("^SCMP_ARCH_[A-Z0-9_]+$")))
	and (.syscalls | type == "array" and all(.[];
		(.names | type == "array" and length > 0 and all(.[]; type == "string" and test("^[a-z0-9_]+$")))
		and (.action | act)
		and ((has("errnoRet") | not) or (IN(.action; "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE") and (.errnoRet | uint)))
		and ((has("args") | not) or (.args | type == "array" and all(.[];
			(.index | uint and . < 6) and (.value | uint) and ((has("valueTwo") | not) or (.valueTwo | uint))
			and (.op | op))))))'

# What libseccomp (as runc and crun use it) makes of the OCI rules for one
# call: "$name" and "$args" (numbers) in, the action ("ALLOW", "KILL",
# "ERRNO n") out. Rules matching the same call must agree, and a syscall
# with an unconditional rule must have no conditional one, or libseccomp's
# result would depend on its internal order: the evaluator fails then.
oci_eval='
	def u64: if . < 0 then . + 18446744073709551616 else . end;
	# jq numbers are doubles: exact below 2^53, which the sample values are.
	def band($a; $b): reduce range(0; 53) as $i ({a: $a, b: $b, r: 0, p: 1};
		.r += (if .a % 2 == 1 and .b % 2 == 1 then .p else 0 end)
		| .a = ((.a / 2) | floor) | .b = ((.b / 2) | floor) | .p *= 2) | .r;
	def holds($a): ($a[.index] | u64) as $x
		| if .op == "SCMP_CMP_EQ" then $x == .value
		elif .op == "SCMP_CMP_NE" then $x != .value
		elif .op == "SCMP_CMP_LT" then $x < .value
		elif .op == "SCMP_CMP_LE" then $x <= .value
		elif .op == "SCMP_CMP_GT" then $x > .value
		elif .op == "SCMP_CMP_GE" then $x >= .value
		else band($x; .value) == .valueTwo end;
	def act(r): if r.action == "SCMP_ACT_ERRNO" then "ERRNO \(r.errnoRet)"
		elif (r.action | test("KILL")) then "KILL" else (r.action | ltrimstr("SCMP_ACT_")) end;
	. as $p
	| [$p.syscalls[] | select(.names | index($name))] as $rules
	| if ($rules | any(has("args") | not)) and ($rules | any(has("args"))) then error("unconditional and conditional rules for \($name)") else . end
	| [$rules[] | select((.args // []) | all(holds($args)))] as $m
	| ([$m[] | act(.)] | unique) as $acts
	| if ($acts | length) > 1 then error("overlapping actions for \($name)")
	elif ($acts | length) == 1 then $acts[0]
	else act($p | {action: .defaultAction, errnoRet: .defaultErrnoRet}) end'

@test "oci: the JSON follows the runtime spec's field rules" {
	run -0 --separate-stderr "$SYSFENCE" --export=oci -p "$T/mixed.ini"
	echo "$output" >"$W/s.json"
	jq -e "$oci_check" "$W/s.json"
	run -0 jq -c '.architectures, [.syscalls[].names[]]' "$W/s.json"
	assert_line --index 0 '["SCMP_ARCH_X86_64"]'
	assert_line --index 1 '["mkdir","getppid","ptrace","socket","ioctl"]'
	# The widened AF_VSOCK rule: the low 32 bits, whatever the upper half.
	run -0 jq -c '.syscalls[] | select(.names == ["socket"]) | .args' "$W/s.json"
	assert_output '[{"index":0,"value":4294967295,"valueTwo":40,"op":"SCMP_CMP_MASKED_EQ"}]'
}

# oci_agrees PROFILE CASE...: for each CASE ("name arg..." for the probe's
# raw call, high bits set in some), what the jq model of libseccomp makes of
# the exported JSON is what the exported BPF does in the kernel.
oci_agrees() {
	local p=$1 c name rest want got bare a json
	shift
	"$SYSFENCE" --export=oci -p "$p" >"$W/s.json"
	"$SYSFENCE" --export=bpf -p "$p" >"$W/f.bpf"
	local -a args
	for c in "$@"; do
		read -r name rest <<<"$c"
		# shellcheck disable=SC2206
		args=($rest)
		json="["
		for a in "${args[@]}"; do
			json+="$(printf '%d' "$a"),"
		done
		json="${json%,}]"
		[ "$json" = "]" ] && json="[]"
		json=$(jq -c --argjson a "$json" -n '$a + [0,0,0,0,0,0] | .[0:6]')
		want=$(jq -r --arg name "$name" --argjson args "$json" "$oci_eval" "$W/s.json")
		got=$(outcome "$LOADBPF" "$W/f.bpf" "$PROBE" raw "$name" "${args[@]}")
		bare=$(outcome "$PROBE" raw "$name" "${args[@]}")
		echo "$c: oci '$want', kernel '$got', unfiltered '$bare'"
		case $want in
		ALLOW) [ "$got" = "$bare" ] ;;
		KILL) [ "$got" = KILLED ] ;;
		"ERRNO 1") [ "$got" = EPERM ] ;;
		"ERRNO 13") [ "$got" = EACCES ] ;;
		"ERRNO 38") [ "$got" = ENOSYS ] ;;
		*) false ;;
		esac
	done
}

@test "oci: the rules mean what sysfence's own filter does in the kernel" {
	oci_agrees "$T/mixed.ini" "mkdir 0" "getppid" "ptrace 0" "socket 40 1 0" "socket 0x100000028 1 0" "socket 1 1 0" \
		"ioctl -1 0x5412 0" "ioctl -1 0x100005412 0" "ioctl -1 0x5413 0" "getpid"
}

@test "oci: an unconditional rule next to conditional ones, and overlapping rules, become regions that do not overlap" {
	profile both <<-'EOF'
	[seccomp]
	default-action = allow
	EACCES = socket
	allow = socket if arg0 == AF_UNIX || arg0 == AF_INET
	kill = socket if arg1 == 3
	ENOSYS = personality if arg0 >= 0x100000001 && arg0 <= 0x100000003
	EACCES = personality
	deny = ioctl if arg1 == TIOCSTI
	EACCES = ioctl if arg1 == TIOCSTI || arg1 == TIOCGWINSZ
	EOF
	run -0 --separate-stderr "$SYSFENCE" --export=oci -p "$T/both.ini"
	echo "$output" >"$W/s.json"
	jq -e "$oci_check" "$W/s.json"
	oci_agrees "$T/both.ini" "socket 1 1 0" "socket 2 2 0" "socket 16 1 0" "socket 0x100000001 1 0" \
		"socket 1 3 0" "socket 16 0x100000003 0" "personality 0xffffffff" "personality 0x100000002" \
		"personality 0x100000004" "ioctl -1 0x5412 0" "ioctl -1 0x5413 0" "ioctl -1 0x100005413 0" \
		"ioctl -1 0x5401 0" "getpid"
}

@test "oci: a comparison that loses its 32-bit meaning is refused" {
	profile narrow <<-'EOF'
	[seccomp]
	default-action = allow
	deny = personality if arg0 < 8
	EOF
	run -125 --separate-stderr "$SYSFENCE" --export=oci -p "$T/narrow.ini"
	[ "$stderr" = "sysfence: $T/narrow.ini:3: cannot export to OCI: \"arg0 < 8\" in a rule for \"personality\" cannot keep its meaning for 32-bit arguments (libseccomp compares all 64 bits, see docs/export.md)" ]
}

@test "oci: a range that one comparison cannot say, more restrictive than the default, is refused" {
	profile twice <<-'EOF'
	[seccomp]
	default-action = allow
	deny = personality if arg0 >= 0x100000000 && arg0 <= 0x200000000
	EOF
	run -125 --separate-stderr "$SYSFENCE" --export=oci -p "$T/twice.ini"
	[ "$stderr" = "sysfence: $T/twice.ini:3: cannot export to OCI: a rule for \"personality\" compares arg0 in a way one libseccomp comparison per argument cannot say, and the default action is less restrictive" ]
}

# crun needs cgroups it understands: in a private mount namespace, a
# cgroup2 file system at /sys/fs/cgroup, and no cgroup manager at all.
crun_run() {
	unshare -m sh -c 'mount --make-rprivate / && mount -t cgroup2 none /sys/fs/cgroup &&
		exec crun --cgroup-manager=disabled --root "$1/state" run -b "$1" "$2"' sh "$@"
}

@test "oci: crun runs a container under the exported profile" {
	require_root
	command -v crun >/dev/null || skip "crun is not installed"
	[ -x /bin/busybox ] || skip "busybox is not installed"
	local b="$W/bundle"
	mkdir -p "$b/rootfs/bin" "$b/rootfs/tmp"
	cp /bin/busybox "$b/rootfs/bin/"
	(cd "$b" && crun spec) || skip "crun spec does not work here"
	"$SYSFENCE" --export=oci -p "$T/mixed.ini" >"$W/s.json"
	jq --slurpfile sc "$W/s.json" '
		.process.terminal = false | .root.readonly = false | .linux.seccomp = $sc[0]
		| .process.args = ["/bin/busybox", "sh", "-c",
			"/bin/busybox mkdir /tmp/d; echo mkdir=$?; /bin/busybox echo allowed; /bin/busybox touch /tmp/f && echo touch=$?"]' \
		"$b/config.json" >"$W/config.json"
	mv "$W/config.json" "$b/config.json"
	crun_run "$b" "sysfence-export-$$" >"$W/out" 2>"$W/err" || {
		cat "$W/out" "$W/err"
		skip "crun cannot start a container here: $(head -n1 "$W/err")"
	}
	cat "$W/out" "$W/err"
	run cat "$W/out"
	assert_line mkdir=1
	assert_line allowed
	assert_line touch=0
	grep -q "can't create directory '/tmp/d': Operation not permitted" "$W/err"
	assert_not_exist "$b/rootfs/tmp/d"
	assert_exist "$b/rootfs/tmp/f"
}

# A bundle for the probe set: the host's /usr and /etc read-only, the
# probe's directory at /sf, a tmpfs /tmp, no capabilities, no_new_privs;
# config.tmpl has "@SECCOMP@" and "@ARGS@" where in_crun puts them in as
# text: jq reads numbers as doubles, which would round a 64-bit mask.
crun_bundle() { # DIR
	local b=$1 l mounts='[]'
	mkdir -p "$b/rootfs/usr" "$b/rootfs/etc" "$b/rootfs/tmp" "$b/rootfs/sf"
	for l in bin lib lib32 lib64 sbin; do
		if [ -L "/$l" ]; then
			ln -sfn "$(readlink "/$l")" "$b/rootfs/$l"
		elif [ -d "/$l" ]; then
			mkdir -p "$b/rootfs/$l"
			mounts=$(jq -c --arg d "/$l" '. + [{destination: $d, type: "bind", source: $d, options: ["rbind", "ro"]}]' <<<"$mounts")
		fi
	done
	(cd "$b" && rm -f config.json && crun spec) || return 1
	jq --argjson more "$mounts" --arg sf "$SF_TMP/bin" '
		.process.terminal = false | .root.readonly = true | .linux.seccomp = "@SECCOMP@" | .process.args = "@ARGS@"
		| .process.noNewPrivileges = true
		| .process.capabilities = {bounding: [], effective: [], permitted: [], inheritable: [], ambient: []}
		| .process.env = ["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME=/tmp", "LC_ALL=C"]
		| .mounts += [{destination: "/usr", type: "bind", source: "/usr", options: ["rbind", "ro"]},
			{destination: "/etc", type: "bind", source: "/etc", options: ["rbind", "ro"]},
			{destination: "/sf", type: "bind", source: $sf, options: ["rbind", "ro"]},
			{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]}] + $more' \
		"$b/config.json" >"$b/config.tmpl"
}

# Run ARGS in the bundle DIR (crun_bundle) under the seccomp JSON in
# $CRUN_SECCOMP: its output, its status.
in_crun() { # DIR ARGS...
	local b=$1 args cfg sc
	shift
	args=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
	cfg=$(cat "$b/config.tmpl")
	sc=$(cat "$CRUN_SECCOMP")
	cfg=${cfg/\"@SECCOMP@\"/"$sc"}
	printf '%s\n' "${cfg/\"@ARGS@\"/"$args"}" >"$b/config.json"
	crun_run "$b" "sf-$$-$RANDOM"
}

# Run ARGS under sysfence with profile P.
in_sysfence() { # P ARGS...
	local p=$1
	shift
	env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/tmp LC_ALL=C \
		SYSFENCE_PROFILE_PATH="$SYSFENCE_PROFILE_PATH" SYSFENCE_CACHE_DIR="$SYSFENCE_CACHE_DIR" \
		"$SYSFENCE" -p "$p" -- "$@"
}

# "CASE: RESULT" for each probe case run by RUNNER ARGS... probe batch,
# KILLED where the probe died in the call; after a death the rest run in
# a new process.
batch() { # RUNNER-AND-ARGS... -- PROBE-PATH CASES...
	local -a run=() cases
	while [ "$1" != -- ]; do
		run+=("$1")
		shift
	done
	shift
	local probe=$1 out i line
	shift
	cases=("$@")
	while [ "${#cases[@]}" -gt 0 ]; do
		out=$("${run[@]}" "$probe" batch "${cases[@]}" 2>"$W/batch.err") || true
		i=0
		while IFS= read -r line; do
			[ "$i" -lt "${#cases[@]}" ] || break
			if [ "$line" = "${cases[$i]}: " ] || [ "$line" = "${cases[$i]}:" ]; then
				break
			fi
			[ "${line%%: *}" = "${cases[$i]}" ] || { echo "batch: unexpected line \"$line\"" >&2; cat "$W/batch.err" >&2; return 1; }
			echo "$line"
			i=$((i + 1))
		done <<<"$out"
		[ "$i" -lt "${#cases[@]}" ] || break
		# The probe died in cases[i] (or never started: then say why).
		grep -qF "${cases[$i]}:" <<<"$out" || { echo "batch: no output for \"${cases[$i]}\"" >&2; cat "$W/batch.err" >&2; return 1; }
		echo "${cases[$i]}: KILLED"
		cases=("${cases[@]:$((i + 1))}")
	done
}

# What every shipped profile is probed with: allowed and refused socket
# families (and one with junk in the upper half), socketpair, TIOCSTI (also
# with junk above), terminal ioctls, clone with namespace flags, clone
# without CLONE_THREAD (CLONE_SIGHAND alone: the kernel says EINVAL, so
# nothing is ever started), unshare, personality. The calls that change
# the process when let through come last.
oci_probes=(
	"getpid" "socket 1 1 0" "socket 2 1 0" "socket 10 2 0" "socket 16 3 0" "socket 17 3 0" "socket 40 1 0"
	"socket 38 5 0" "socket 0x100000002 1 0" "socket 2 1 262" "socketpair 1 1 0 0" "socketpair 2 1 0 0"
	"ioctl -1 0x5412 0" "ioctl -1 0x100005412 0" "ioctl -1 0x5401 0" "ioctl -1 0x5413 0" "ioctl -1 0x541c 0"
	"clone 0x10010000" "clone 0x10000" "clone 0x800" "personality 0xffffffff" "unshare 0x10000000"
	"personality 0x400000"
)

@test "oci: every shipped profile exports, and under crun the probes get what they get under sysfence" {
	require_root
	command -v crun >/dev/null || skip "crun is not installed"
	local b="$W/bundle" p n=0 differ=0 i
	local -a sf cr bare
	mkdir -p "$b"
	crun_bundle "$b" || skip "crun spec does not work here"
	: >"$W/report"
	batch -- "$PROBE" "${oci_probes[@]}" >"$W/bare.out"
	mapfile -t bare <"$W/bare.out"
	# The probe may start under the profiles with [filesystem] execute
	# (the .local files in $T); the programs run under the profiles as
	# shipped.
	local shipped=$SYSFENCE_PROFILE_PATH
	for p in "$SF_TMP"/profiles/*.ini; do
		p=$(basename "$p" .ini)
		[ "$p" = groups ] && continue
		printf '[filesystem]\nexecute = %s -/lib64 /usr/lib\n' "$SF_TMP/bin" >"$T/$p.local"
		run -0 --separate-stderr "$SYSFENCE" --export=oci -p "$p"
		printf '%s\n' "$output" >"$W/$p.json"
		jq -e "$oci_check" "$W/$p.json" >/dev/null || fail "$p: the JSON breaks the spec's field rules"
		export CRUN_SECCOMP="$W/$p.json"
		if [ "$n" -eq 0 ] && ! in_crun "$b" /bin/true >"$W/out" 2>"$W/err"; then
			skip "crun cannot start a container here: $(head -n1 "$W/err")"
		fi
		SYSFENCE_PROFILE_PATH="$T:$shipped" batch in_sysfence "$p" -- "$PROBE" "${oci_probes[@]}" >"$W/sf.out" ||
			fail "$p: the probe did not run under sysfence"
		batch in_crun "$b" -- /sf/probe "${oci_probes[@]}" >"$W/crun.out" || fail "$p: the probe did not run under crun"
		# The ordinary workload: the program itself, where the host has it.
		local -a work=()
		case $p in
		default) work=(sh -c 'printf "%s\n" b a | sort | tr a-z A-Z; ls /usr >/dev/null && echo listed') ;;
		strict) work=(cat /etc/os-release) ;;
		nginx | pdftotext | unzip) work=("$p" -v) ;;
		openssl) work=(openssl version) ;;
		7z) work=(7z i) ;;
		*) command -v "$p" >/dev/null && work=("$p" --version) ;;
		esac
		if [ "${#work[@]}" -gt 0 ] && command -v "${work[0]}" >/dev/null; then
			local ws wc
			in_sysfence "$p" "${work[@]}" >"$W/work.sf" 2>/dev/null && ws=0 || ws=$?
			in_crun "$b" "${work[@]}" >"$W/work.crun" 2>/dev/null && wc=0 || wc=$?
			echo "$p workload ${work[*]}: sysfence status $ws, crun status $wc" >>"$W/report"
			[ "$ws" = "$wc" ] || fail "$p: ${work[*]} exits $ws under sysfence, $wc under crun"
			cmp -s "$W/work.sf" "$W/work.crun" || { diff "$W/work.sf" "$W/work.crun" || true; fail "$p: ${work[*]} prints something else under crun"; }
		fi
		mapfile -t sf <"$W/sf.out"
		mapfile -t cr <"$W/crun.out"
		for ((i = 0; i < ${#oci_probes[@]}; i++)); do
			local s=${sf[$i]##*: } c=${cr[$i]##*: } u=${bare[$i]##*: }
			echo "$p ${oci_probes[$i]}: sysfence $s, crun $c, unfiltered $u" >>"$W/report"
			[ "$s" = "$c" ] && continue
			# Where the export leaves a refusal to the default action, the
			# call fails all the same, with the default's errno.
			case "$s $c" in
			E*" "E*) [ "$s" != "$u" ] && [ "$c" != "$u" ] ||
				fail "$p ${oci_probes[$i]}: sysfence $s, crun $c, unfiltered $u" ;;
			*) fail "$p ${oci_probes[$i]}: sysfence $s, crun $c" ;;
			esac
			differ=$((differ + 1))
		done
		n=$((n + 1))
	done
	grep -v 'sysfence \(.*\), crun \1,' "$W/report" || true
	echo "$n profiles, $differ refusals with the default's errno"
	[ "$n" -ge 30 ]
}

@test "systemd: systemd-analyze verify accepts a unit built from the export" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	profile svc <<-'EOF'
	[profile]
	description = a service
	[seccomp]
	default-action = EPERM
	allow = @system-service
	ENOSYS = clone3
	deny = ioctl if arg1 == TIOCSTI
	[capabilities]
	keep = net_bind_service
	user = root
	EOF
	{
		printf '[Unit]\nDescription=sysfence export test\n\n'
		"$SYSFENCE" --export=systemd -p "$T/svc.ini"
		printf 'ExecStart=/bin/true\n'
	} >"$W/sf-export.service"
	cat "$W/sf-export.service"
	run -0 systemd-analyze verify "$W/sf-export.service"
	assert_output ''
	run -0 cat "$W/sf-export.service"
	assert_line '[Service]'
	assert_line 'NoNewPrivileges=yes'
	assert_line 'User=root'
	assert_line 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE'
	assert_line 'AmbientCapabilities=CAP_NET_BIND_SERVICE'
	assert_line 'SystemCallArchitectures=native'
	assert_line 'SystemCallErrorNumber=EPERM'
	assert_line --regexp '^SystemCallFilter=.* openat .*'
	assert_line "# - ENOSYS = clone3 ($T/svc.ini:6): an allow list has one errno, so clone3 gets EPERM here"
	assert_line "# - EPERM = ioctl if arg1 == 0x5412 ($T/svc.ini:7): systemd filters by name only, so ioctl always gets allow here"
}

@test "systemd: a deny list keeps each syscall's errno" {
	run -0 --separate-stderr "$SYSFENCE" --export=systemd -p "$T/mixed.ini"
	assert_line 'SystemCallFilter=~mkdir:EPERM getppid:ENOSYS ptrace:kill'
	assert_line 'RestrictAddressFamilies=~AF_VSOCK'
}

@test "usage errors: unknown format (with a hint), -o without --export" {
	run -125 --separate-stderr "$SYSFENCE" --export=ocj -p "$T/mixed.ini"
	[ "$stderr" = 'sysfence: unknown export format "ocj" (did you mean "oci"?)' ]
	run -125 --separate-stderr "$SYSFENCE" --export=xml -p "$T/mixed.ini"
	[ "$stderr" = 'sysfence: unknown export format "xml" (expected bpf, pfc, oci or systemd)' ]
	run -125 --separate-stderr "$SYSFENCE" -o "$W/x" -p "$T/mixed.ini" -- true
	[ "$stderr" = 'sysfence: option "--output" only goes with --export=FORMAT' ]
	assert_not_exist "$W/x"
}

@test "a profile without default-action exports nothing; one without [capabilities] exports an empty bounding set" {
	profile nofilter <<-'EOF'
	[capabilities]
	drop = all
	EOF
	run -125 --separate-stderr "$SYSFENCE" --export=bpf -p "$T/nofilter.ini"
	[ "$stderr" = "sysfence: $T/nofilter.ini:1: the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; a profile that wants no syscall filter writes default-action = allow)" ]
	profile nocaps <<-'EOF'
	[seccomp]
	default-action = allow
	EOF
	run -0 --separate-stderr "$SYSFENCE" --export=systemd -p "$T/nocaps.ini"
	assert_line 'CapabilityBoundingSet='
}

# "FILE:LINE SECTION KEY" for every key line of the files a profile reads.
# [profile] and [groups] compose the profile and set nothing; a line that
# starts with blanks continues the key above it.
profile_keys() {
	local f
	"$SYSFENCE" --check -v -p "$1" 2>&1 >/dev/null | sed -n 's/^sysfence: read //p' | while read -r f; do
		awk -v f="$f" '/^\[/ { s = $0; gsub(/[][ \t]/, "", s); next }
			/^[A-Za-z@][^=]*=/ && s != "profile" && s != "groups" {
				k = $0; sub(/[ \t]*=.*/, "", k); print f ":" NR, s, k }' "$f"
	done
}

# The unit systemd-analyze verifies: the export, and a program to run.
export_unit() {
	{
		printf '[Unit]\nDescription=sysfence export of %s\n\n' "$1"
		"$SYSFENCE" --export=systemd -p "$1"
		printf 'ExecStart=/bin/true\n'
	} >"$2"
}

@test "systemd: every shipped profile exports a unit systemd-analyze accepts, and no key goes unsaid" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	local p n=0 at sec key unit
	local -A seen
	for p in "$SF_TMP"/profiles/*.ini; do
		p=$(basename "$p" .ini)
		[ "$p" = groups ] && continue
		unit="$W/sf-$p.service"
		export_unit "$p" "$unit"
		run -0 systemd-analyze verify "$unit"
		[ -z "$output" ] || fail "$p: systemd-analyze verify says: $output"
		grep -q '^SystemCallFilter=' "$unit" || fail "$p: no SystemCallFilter="
		grep -q '^SystemCallArchitectures=native' "$unit" || fail "$p: no SystemCallArchitectures="
		# A key is said when one of its lines is named, above a directive
		# ("# KEY (FILE:LINE)") or in the "not expressed" list.
		seen=()
		while read -r at sec key; do
			[ "$sec" = seccomp ] && continue
			# keep and drop set one thing: the last line wins.
			[ "$sec" = capabilities ] && case $key in keep | drop) key=keep/drop ;; esac
			grep -qF "$at)" "$unit" && seen["$sec $key"]=1
			[ -n "${seen["$sec $key"]:-}" ] || seen["$sec $key"]=0
			n=$((n + 1))
		done < <(profile_keys "$p")
		for key in "${!seen[@]}"; do
			[ "${seen[$key]}" = 1 ] || fail "$p: [${key% *}] ${key#* } is neither a directive nor in the not-expressed list"
		done
	done
	[ "$n" -ge 40 ] || fail "only $n keys outside [seccomp] checked"
	# A profile with [network] families still lets the unit open sockets.
	run -0 grep '^SystemCallFilter=' "$W/sf-curl.service"
	assert_output --regexp ' socket '
	run -0 cat "$W/sf-curl.service"
	assert_line 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6'
	assert_line 'RestrictNamespaces=yes'
	assert_line 'LockPersonality=yes'
	run -0 cat "$W/sf-default.service"
	assert_line 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK'
}

@test "systemd: each key of [process], [limits], [filesystem], [network] and [sandbox] is a directive or a note" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	profile all <<-'EOF'
	[seccomp]
	default-action = allow
	[process]
	new-session = yes
	die-with-parent = yes
	close-fds = yes
	umask = 027
	chdir = /tmp
	env-clear = yes
	env-keep = TERM LC_*
	env-set = GREETING=hello "world" 100%
	env-set = WHERE=${HOME}/x
	[limits]
	nofile = 1024:4096
	as = 2G
	cpu = unlimited
	[filesystem]
	read-only = /usr /etc -/opt/nowhere
	read-write = /tmp
	execute = /usr
	landlock = best-effort
	[network]
	families = unix inet
	connect-tcp = 80 443
	bind-tcp = 8000-8080 9000
	[sandbox]
	restrict-suid-sgid = yes
	isolate-signals = no
	EOF
	export_unit "$T/all.ini" "$W/all.service"
	cat "$W/all.service"
	run -0 systemd-analyze verify "$W/all.service"
	assert_output ''
	run -0 cat "$W/all.service"
	local i=$T/all.ini
	assert_line "# umask ($i:7)"
	assert_line 'UMask=0027'
	assert_line 'WorkingDirectory=/tmp'
	assert_line 'PassEnvironment=TERM'
	assert_line 'Environment="GREETING=hello \"world\" 100%%"'
	assert_line 'LimitNOFILE=1024:4096'
	assert_line 'LimitAS=2147483648'
	assert_line 'LimitCPU=infinity'
	assert_line 'ReadOnlyPaths=/'
	assert_line 'NoExecPaths=/'
	assert_line 'ReadOnlyPaths=/usr /etc -/opt/nowhere'
	assert_line 'ReadWritePaths=/tmp'
	assert_line 'ExecPaths=/usr'
	assert_line "# families ($i:23)"
	assert_line 'RestrictAddressFamilies=AF_UNIX AF_INET'
	assert_line 'SocketBindAllow=udp'
	assert_line 'SocketBindAllow=tcp:8000-8080'
	assert_line 'SocketBindAllow=tcp:9000'
	assert_line 'SocketBindDeny=any'
	assert_line 'RestrictSUIDSGID=yes'
	assert_line "# - new-session = yes ($i:4): no directive; systemd starts every service in a session of its own, so the unit does this anyway"
	assert_line "# - env-keep = LC_* ($i:10): PassEnvironment= takes names, not patterns"
	assert_line "# - env-set = WHERE=\${HOME}/x ($i:12): Environment= does not expand \${VAR}; set it by hand"
	assert_line "# - connect-tcp = 80 443 ($i:24): systemd cannot limit the ports a service connects to (IPAddressAllow= limits addresses)"
	assert_line --regexp "^# - isolate-signals = no \\($i:28\\): a Landlock scope; "
	assert_line --regexp "^# - isolate-abstract-sockets = yes \\(default where the kernel has Landlock ABI 6\\): "
	assert_line --regexp "^# - \\[filesystem\\] \\($i:18\\): Landlock makes every path outside the listed trees unreachable"
	# restrict-suid-sgid's seccomp rules are said by RestrictSUIDSGID=.
	refute_line --regexp '^# - .* = chmod if '
	# Every key line of the profile is named.
	local at sec key
	while read -r at sec key; do
		[ "$sec" = seccomp ] && continue
		grep -qF "$at)" "$W/all.service" || fail "[$sec] $key ($at) is not in the export"
	done < <(profile_keys "$T/all.ini")
}
