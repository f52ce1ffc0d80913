#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped profiles of programs that use the network or run other code:
# curl, wget, git, python3, node, nginx, perl, ruby, php and ssh each do
# real work under their own profile (picked by basename), as root and as
# the test user, against servers on 127.0.0.1 only; and something default
# allows but the program does not need is refused at kernel level.

bats_require_minimum_version 1.5.0
load helpers
load ../fixtures/apps/apps

# await_line FD REGEX [SECONDS]: read lines from FD until one matches REGEX
# (bash =~); set $line to it. Fails after SECONDS (default 20) without one.
await_line() {
	local fd=$1 re=$2 t=${3:-20}
	while IFS= read -r -t "$t" -u "$fd" line; do
		[[ "$line" =~ $re ]] && return 0
	done
	echo "await_line: no line matching \"$re\" within ${t}s" >&2
	return 1
}

# An HTTP server on 127.0.0.1, on a port the kernel picks, serving
# $SF_TMP/www. Python prints the port once it listens; a FIFO carries that
# line here, so the tests wait for exactly that moment.
setup_file() {
	sf_setup_file
	apps_setup_file
	[ -x /usr/bin/python3 ] || return 0	# the tests that need it skip
	mkdir "$SF_TMP/www"
	head -c 300000 /dev/urandom >"$SF_TMP/www/blob"
	chmod -R a+rX "$SF_TMP/www"
	mkfifo "$SF_TMP/http.fifo"
	(cd "$SF_TMP/www" && exec /usr/bin/python3 -u -m http.server --bind 127.0.0.1 0) \
		>"$SF_TMP/http.fifo" 2>"$SF_TMP/http.log" 3>&- &
	HTTP_PID=$!
	exec 4<"$SF_TMP/http.fifo"
	await_line 4 '^Serving HTTP on 127\.0\.0\.1 port ([0-9]+) '
	HTTP_PORT=${BASH_REMATCH[1]}
	exec 4<&-
	BLOB_URL="http://127.0.0.1:$HTTP_PORT/blob"
	BLOB_SHA=$(sha "$SF_TMP/www/blob")
	export HTTP_PID HTTP_PORT BLOB_URL BLOB_SHA
}

teardown_file() {
	if [ -n "${HTTP_PID:-}" ]; then
		kill "$HTTP_PID" 2>/dev/null || true
		wait "$HTTP_PID" 2>/dev/null || true
	fi
	sf_teardown_file
}

setup() {
	sf_setup
}

# The test's sshd, if it started one.
teardown() {
	if [ -n "${SSHD_PID:-}" ]; then
		kill "$SSHD_PID" 2>/dev/null || true
		wait "$SSHD_PID" 2>/dev/null || true
	fi
}

# free_port: a TCP port nobody listens on at the moment.
free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

require_http() {
	[ -n "${HTTP_PORT:-}" ] || skip "python3 is needed for the test HTTP server"
}

# ---- curl ------------------------------------------------------------------

_curl_work() {
	run -0 --separate-stderr sf curl -fsS -o "$D/blob" "$BLOB_URL"
	[ "$(sha "$D/blob")" = "$BLOB_SHA" ]
	# By name: getaddrinfo gets by without netlink, which curl.ini refuses.
	run -0 --separate-stderr sf curl -fsS -o /dev/null -w '%{http_code} %{size_download}' \
		"http://localhost:$HTTP_PORT/blob"
	assert_output "200 300000"
	run -22 --separate-stderr sf curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/missing"
}

@test "curl downloads a file from a local HTTP server" {
	require_program curl curl
	require_http
	as_each _curl_work
}

@test "curl: no fork, no netlink, no owner changes" {
	refused_fork curl
	refused curl EAFNOSUPPORT socket AF_NETLINK
	refused_chown curl
}

# ---- wget ------------------------------------------------------------------

_wget_work() {
	run -0 --separate-stderr sf wget -q -O "$D/blob" "$BLOB_URL"
	[ "$(sha "$D/blob")" = "$BLOB_SHA" ]
	run -8 --separate-stderr sf wget -q -O "$D/missing" "http://localhost:$HTTP_PORT/missing"
}

@test "wget downloads a file from a local HTTP server" {
	require_program wget wget
	require_http
	as_each _wget_work
}

@test "wget: no fork, no netlink, no owner changes" {
	refused_fork wget
	refused wget EAFNOSUPPORT socket AF_NETLINK
	refused_chown wget
}

# ---- git -------------------------------------------------------------------

_git_work() {
	local -a id=(-c user.name=Sysfence -c user.email=test@example.org)
	export HOME=$D GIT_CONFIG_NOSYSTEM=1
	run -0 --separate-stderr sf git init -q -b main "$D/repo"
	who sh -c 'echo "first line" >"$1/README"; mkdir "$1/src"; seq 1 1000 >"$1/src/data"' sh "$D/repo"
	run -0 --separate-stderr sf git -C "$D/repo" add README src
	run -0 --separate-stderr sf git -C "$D/repo" "${id[@]}" commit -q -m "first commit"
	# file:// runs git-upload-pack and git-receive-pack as children, over
	# pipes.
	run -0 --separate-stderr sf git clone -q --bare "file://$D/repo" "$D/bare.git"
	run -0 --separate-stderr sf git clone -q "file://$D/bare.git" "$D/clone"
	[ "$(sha "$D/clone/src/data")" = "$(sha "$D/repo/src/data")" ]
	who sh -c 'echo "second line" >>"$1/README"' sh "$D/clone"
	run -0 --separate-stderr sf git -C "$D/clone" "${id[@]}" commit -q -a -m "second commit"
	run -0 --separate-stderr sf git -C "$D/clone" push -q origin main
	run -0 --separate-stderr sf git -C "$D/bare.git" log --format=%s main
	assert_output "second commit
first commit"
	run -0 --separate-stderr sf git -C "$D/bare.git" fsck --strict
	unset HOME GIT_CONFIG_NOSYSTEM
}

@test "git inits, commits, clones (file://), pushes and checks a repository" {
	require_program git git
	as_each _git_work
}

@test "git: no netlink, no id or owner changes" {
	refused git EAFNOSUPPORT socket AF_NETLINK
	refused git EPERM raw setresuid -1 -1 -1
	refused_chown git
}

# ---- python3 ---------------------------------------------------------------

_python_work() {
	run -0 --separate-stderr sf python3 "$F/apps/work.py" "$D/db.sqlite" "$BLOB_URL"
	assert_output "{\"child\": \"child\", \"download_sha256\": \"$BLOB_SHA\", \"rows\": {\"a\": 1, \"b\": 41}, \"tls_verifies\": true, \"total\": 42}"
}

@test "python3 runs a script using sqlite3, json, ssl, subprocess and urllib" {
	require_program python3 python3
	require_http
	as_each _python_work
}

@test "python3 by its real path and python3.11 get the python3 profile" {
	require_program python3.11 python3
	run -0 --separate-stderr "$SYSFENCE" -v -- /usr/bin/python3 -c 'print("hi")'
	assert_output hi
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/python3.ini"
	run -0 --separate-stderr "$SYSFENCE" -v -- python3.11 -c 'import os; print(os.getpid())'
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/python3.11.ini"
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/python3.ini"
	run -0 --separate-stderr "$SYSFENCE" -- python3 -c 'import os
try:
    os.setresuid(-1, -1, -1)
except PermissionError as e:
    print("refused", e.errno)'
	assert_output "refused 1"
}

@test "python3: no netlink, no id or owner changes" {
	refused python3 EAFNOSUPPORT socket AF_NETLINK
	refused python3 EPERM raw setresuid -1 -1 -1
	refused_chown python3
}

# ---- node ------------------------------------------------------------------

_node_work() {
	run -0 --separate-stderr sf "$1" "$F/apps/work.js" "$D"
	assert_output '{"status":200,"body":"served by node under sysfence","sha256":"b530679c9e39941d","child":"child"}'
}

@test "node serves and fetches HTTP on loopback, hashes, writes files, runs a child" {
	require_program node nodejs
	as_each _node_work node
}

@test "nodejs, Debian's other name, gets the node profile" {
	require_program nodejs nodejs
	run -0 --separate-stderr "$SYSFENCE" -v -- nodejs -e 'console.log(1 + 1)'
	assert_output 2
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/node.ini"
}

@test "node: no id or owner changes, no memory locking" {
	refused node EPERM raw setresuid -1 -1 -1
	refused node EPERM raw mlock 0 0
	refused_chown node
}

# ---- nginx -----------------------------------------------------------------

# _nginx_conf PORT: an nginx prefix in $D/nginx listening on PORT.
_nginx_conf() {
	local port=$1
	who mkdir -p "$D/nginx/html" "$D/nginx/logs" "$D/nginx/tmp"
	who sh -c 'echo "<h1>served by nginx under sysfence</h1>" >"$1/html/index.html"' sh "$D/nginx"
	who tee "$D/nginx/nginx.conf" >/dev/null <<-EOF
		daemon off;
		master_process on;
		worker_processes 2;
		pid logs/nginx.pid;
		error_log stderr notice;
		events { worker_connections 64; }
		http {
			access_log off;
			client_body_temp_path tmp/body;
			proxy_temp_path tmp/proxy;
			fastcgi_temp_path tmp/fastcgi;
			uwsgi_temp_path tmp/uwsgi;
			scgi_temp_path tmp/scgi;
			server { listen 127.0.0.1:$port; root html; }
		}
	EOF
}

# _nginx_local [PORT]: the nginx.local a user writes for a prefix of their
# own: its directory writable, its port (if given) allowed to listen on.
_nginx_local() {
	printf '[filesystem]\nread-write = %s\n' "$D/nginx" >"$T/nginx.local"
	[ -z "${1:-}" ] || printf '[network]\nbind-tcp = %s\n' "$1" >>"$T/nginx.local"
	chmod 0644 "$T/nginx.local"
}

# _nginx_serve: run nginx under its profile and an nginx.local with a
# configuration in $D on a free loopback port, fetch a page, stop it.
_nginx_serve() {
	local port
	port=$(free_port)
	_nginx_conf "$port"
	_nginx_local "$port"
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
	# Not through sf: a simple command in the background is exec'd, so
	# $! is nginx's own PID (sysfence execs in place).
	local -a cmd=("$SYSFENCE" -- nginx -e stderr -p "$D/nginx" -c nginx.conf)
	[ "$AS" = user ] && cmd=(setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups -- "${cmd[@]}")
	mkfifo "$W/nginx-$AS.fifo"
	"${cmd[@]}" 2>"$W/nginx-$AS.fifo" 3>&- &
	local pid=$!
	exec 5<"$W/nginx-$AS.fifo"
	# The listening socket is open before the workers start.
	if ! await_line 5 'start worker process [0-9]+'; then
		kill "$pid" || true
		fail "nginx did not start"
	fi
	run curl -fsS "http://127.0.0.1:$port/"
	local got=$status page=$output
	run ps -o user= --ppid "$pid"
	local workers=$output
	kill -TERM "$pid"
	wait "$pid" || fail "nginx exited with status $?"
	exec 5<&-
	[ "$got" -eq 0 ] || fail "curl: $page"
	assert_equal "$page" "<h1>served by nginx under sysfence</h1>"
	# Workers run as the configured user when nginx starts as root, else
	# as the user who started it.
	if [ "$AS" = user ]; then
		assert_equal "$workers" "$(printf '%s\n%s' "$TEST_USER" "$TEST_USER")"
	elif [ "$EUID" -eq 0 ]; then
		assert_equal "$workers" "$(printf 'nobody\nnobody')"
	fi
}

@test "nginx serves a page on loopback (root: workers switch to nobody; user: as the user)" {
	require_program nginx nginx
	require_program python3 python3
	as_each _nginx_serve
}

@test "nginx as root keeps only the capabilities it needs" {
	require_root
	# The probe reads /proc/self/status, which nginx.ini does not grant.
	printf '[filesystem]\nexecute = %s\nread-only = /proc\n' "$SF_TMP/bin" >"$T/nginx.local"
	chmod 0644 "$T/nginx.local"
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
	run -0 --separate-stderr "$SYSFENCE" -p nginx -- "$PROBE" status
	# net_bind_service (10), setuid (7), setgid (6), dac_override (1),
	# chown (0)
	assert_line "CapEff:${TAB}00000000000004c3"
	assert_line "CapBnd:${TAB}00000000000004c3"
	assert_line "CapInh:${TAB}0000000000000000"
	assert_line "CapAmb:${TAB}0000000000000000"
}

@test "nginx: no netlink, no memory locking, no priority changes" {
	probe_may_run nginx
	refused nginx EAFNOSUPPORT socket AF_NETLINK
	refused nginx EPERM raw mlock 0 0
	refused nginx EPERM raw setpriority 0 0 0
}

# _nginx_confined: nginx.ini lets nginx listen on 80 and 443 only: with
# an nginx.local that adds its prefix but not its port, the real program
# fails to bind. Without that .local, the probe (allowed to run by its own)
# meets the same for reading, writing and listening in the prefix, while
# default allows all three; with the prefix and the port, it gets them.
_nginx_confined() {
	local port
	port=$(free_port)
	_nginx_conf "$port"
	_nginx_local
	run -1 --separate-stderr who "$SYSFENCE" -- nginx -e stderr -p "$D/nginx" -c nginx.conf
	assert_stderr_contains "bind() to 127.0.0.1:$port failed (13: Permission denied)"
	who sh -c 'echo "<p>x</p>" >"$1/html/page"' sh "$D/nginx"
	printf '[filesystem]\nexecute = %s\n' "$SF_TMP/bin" >"$T/nginx.local"
	chmod 0644 "$T/nginx.local"
	SF_AS=$AS sf_probe EACCES -p nginx -- open "$D/nginx/html/page"
	SF_AS=$AS sf_probe OK -p default -- open "$D/nginx/html/page"
	SF_AS=$AS sf_probe EACCES -p nginx -- touch "$D/nginx/logs/x"
	assert_not_exist "$D/nginx/logs/x"
	SF_AS=$AS sf_probe OK -p default -- touch "$D/nginx/logs/x"
	SF_AS=$AS sf_probe EACCES -p nginx -- bind-tcp "$port"
	SF_AS=$AS sf_probe OK -p default -- bind-tcp "$port"
	_nginx_local "$port"
	printf '[filesystem]\nexecute = %s\n' "$SF_TMP/bin" >>"$T/nginx.local"
	SF_AS=$AS sf_probe OK -p nginx -- open "$D/nginx/html/page"
	SF_AS=$AS sf_probe OK -p nginx -- touch "$D/nginx/logs/y"
	SF_AS=$AS sf_probe OK -p nginx -- bind-tcp "$port"
}

@test "nginx: reads and writes only its own trees, listens only on 80 and 443, unless nginx.local adds more" {
	require_program nginx nginx
	require_program python3 python3
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
	as_each _nginx_confined
}

# ---- perl, ruby, php -----------------------------------------------------

# _script_work PROGRAM SCRIPT: the script downloads the test blob, writes
# and reads back a file in $D, and runs a child.
_script_work() {
	run -0 --separate-stderr sf "$1" "$F/apps/$2" "$D" "$BLOB_URL"
	assert_output "{\"child\":\"child\",\"download_sha256\":\"$BLOB_SHA\",\"total\":500500}"
}

# _interp_refusals PROGRAM ARG...: what perl.ini, ruby.ini and php.ini
# take away, shown with the probe; then PROGRAM ARG... FILE, a one-line
# script that chmods FILE to 04755 as the program itself does it, prints
# "refused" when that fails with EPERM, and leaves the mode alone.
_interp_refusals() {
	refused "$1" EAFNOSUPPORT socket AF_NETLINK
	refused "$1" EPERM raw setresuid -1 -1 -1
	refused "$1" EPERM raw mlock 0 0
	as_each _interp_each "$@"
}

_interp_each() {
	_refused_chown "$1"
	_setid_refused "$1"
	local f="$D/tool"
	who sh -c 'printf "#!/bin/sh\n" >"$1"' sh "$f"
	run -0 --separate-stderr sf "$@" "$f"
	assert_output refused
	[ "$(stat -c %a "$f")" = 644 ]
}

@test "perl runs a script using HTTP::Tiny, files, JSON::PP and a child" {
	require_program perl perl
	require_http
	as_each _script_work perl work.pl
}

@test "perl: no netlink, no id or owner changes, no set-id files" {
	require_program perl perl
	_interp_refusals perl -e 'chmod(04755, $ARGV[0]) or $!{EPERM} and print "refused\n"'
}

@test "ruby runs a script using Net::HTTP, files, a thread, JSON and a child" {
	require_program ruby ruby
	require_http
	as_each _script_work ruby work.rb
}

@test "ruby3.1, what ruby links to, gets the ruby profile" {
	require_program ruby3.1 ruby3.1
	run -0 --separate-stderr "$SYSFENCE" -v -- ruby3.1 -e 'begin; Process::Sys.setresuid(-1, -1, -1); rescue Errno::EPERM; puts "refused"; end'
	assert_output refused
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/ruby3.1.ini"
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/ruby.ini"
}

@test "ruby: no netlink, no id or owner changes, no set-id files" {
	require_program ruby ruby
	_interp_refusals ruby -e 'begin; File.chmod(04755, ARGV[0]); rescue Errno::EPERM; puts "refused"; end'
}

@test "php runs a script using the http stream, files, JSON and a child" {
	require_program php php-cli
	require_http
	as_each _script_work php work.php
}

@test "php8.2, what php leads to, gets the php profile" {
	require_program php8.2 php8.2-cli
	run -0 --separate-stderr "$SYSFENCE" -v -- php8.2 -r 'var_dump(@chown("/", 0));'
	assert_output 'bool(false)'
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/php8.2.ini"
	assert_stderr_contains "sysfence: read $SF_TMP/profiles/php.ini"
}

@test "php: no netlink, no id or owner changes, no set-id files" {
	require_program php php-cli
	_interp_refusals php -r 'if (!@chmod($argv[1], 04755)) echo "refused\n";'
}

# ---- ssh -----------------------------------------------------------------

# _sshd: an OpenSSH server on a free port of 127.0.0.1, run (unconfined)
# as the test user, which accepts the key $W/id for that user only and
# serves SFTP inside itself (internal-sftp: the test user's shell is
# nologin). Sets SSHD_PID and SSHD_PORT.
_sshd() {
	SSHD_PORT=$(free_port)
	as_user ssh-keygen -q -t ed25519 -N '' -C host -f "$W/hostkey"
	as_user ssh-keygen -q -t ed25519 -N '' -C client -f "$W/id"
	as_user cp "$W/id.pub" "$W/authorized_keys"
	cat >"$W/sshd_config" <<-EOF
		ListenAddress 127.0.0.1:$SSHD_PORT
		HostKey $W/hostkey
		AuthorizedKeysFile $W/authorized_keys
		PidFile none
		UsePAM no
		StrictModes no
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		Subsystem sftp internal-sftp
	EOF
	chmod 0644 "$W/sshd_config"
	mkfifo "$W/sshd.fifo"
	# A simple command, not as_user (a function would run in a subshell):
	# setpriv execs sshd, so $! is sshd's own PID, which teardown stops.
	local -a cmd=(/usr/sbin/sshd -D -e -f "$W/sshd_config")
	[ "$EUID" -eq 0 ] && cmd=(setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups -- "${cmd[@]}")
	"${cmd[@]}" >/dev/null 2>"$W/sshd.fifo" 3>&- &
	SSHD_PID=$!
	exec 5<"$W/sshd.fifo"
	await_line 5 '^Server listening on 127\.0\.0\.1 port' || fail "sshd did not start"
	# Keep reading what sshd logs, so that it never blocks on the FIFO.
	cat <&5 >"$W/sshd.log" 2>/dev/null 3>&- &
	exec 5<&-
	# ssh, through scp -S, runs under sysfence: $W/ssh is named ssh so
	# that sysfence picks ssh.ini.
	mkdir "$W/bin"
	printf '#!/bin/sh\nexec "%s" -- /usr/bin/ssh "$@"\n' "$SYSFENCE" >"$W/bin/ssh"
	chmod 0755 "$W/bin" "$W/bin/ssh"
}

# _ssh_work: with HOME=$D, the key in ~/.ssh (which default hides) and
# known_hosts there (which default makes read-only), scp copies a file up
# and back with ssh under its profile, and ssh, by name, logs in.
_ssh_work() {
	export HOME=$D
	local -a o=(-o BatchMode=yes -o StrictHostKeyChecking=accept-new
		-o "UserKnownHostsFile=$D/.ssh/known_hosts" -o "IdentityFile=$D/.ssh/id_ed25519")
	who mkdir -m 0700 "$D/.ssh"
	who cp "$W/id" "$D/.ssh/id_ed25519"
	who chmod 0600 "$D/.ssh/id_ed25519"
	who touch "$D/.ssh/known_hosts"
	who sh -c 'head -c 200000 /dev/urandom >"$1"' sh "$D/up"
	local to="$TEST_USER@127.0.0.1"
	[ "$EUID" -eq 0 ] || to="$(id -un)@127.0.0.1"
	# Up and back down over SFTP.
	run -0 --separate-stderr who scp -q -S "$W/bin/ssh" -P "$SSHD_PORT" "${o[@]}" "$D/up" "$to:$D/remote"
	run -0 --separate-stderr who scp -q -S "$W/bin/ssh" -P "$SSHD_PORT" "${o[@]}" "$to:$D/remote" "$D/down"
	[ "$(sha "$D/down")" = "$(sha "$D/up")" ]
	# The host key was recorded (hashed, as Debian's ssh_config asks).
	run -0 ssh-keygen -F "[127.0.0.1]:$SSHD_PORT" -f "$D/.ssh/known_hosts"
	# ssh itself, by name: authenticated, and the server ran the command
	# through the user's shell (the test user's is nologin).
	if [ "$(getent passwd "${to%@*}" | cut -d: -f7)" = /usr/sbin/nologin ]; then
		run -1 --separate-stderr sf ssh -p "$SSHD_PORT" "${o[@]}" "$to" echo ran
		assert_output 'This account is currently not available.'
	else
		run -0 --separate-stderr sf ssh -p "$SSHD_PORT" "${o[@]}" "$to" echo ran
		assert_output ran
	fi
	# Under default the key is hidden, and ssh cannot log in.
	run -255 --separate-stderr who "$SYSFENCE" -p default -- ssh -p "$SSHD_PORT" "${o[@]}" "$to" echo ran
	# The rest of ~/.ssh stays read-only: no authorized key can be added.
	SF_AS=$AS sf_probe EROFS -p ssh -- touch "$D/.ssh/authorized_keys"
	assert_not_exist "$D/.ssh/authorized_keys"
	unset HOME
}

@test "ssh logs in with a key and carries scp's files up and back (SFTP)" {
	require_program ssh openssh-client
	require_program scp openssh-client
	[ -x /usr/sbin/sshd ] || skip "sshd is not installed (Debian package openssh-server; .ci/deps installs it)"
	_sshd
	as_each _ssh_work
}

_ssh_each_refused() {
	_refused_chown ssh
	_setid_refused ssh
}

@test "ssh: no netlink, no id or owner changes, no set-id files" {
	refused ssh EAFNOSUPPORT socket AF_NETLINK
	refused ssh EPERM raw setresuid -1 -1 -1
	as_each _ssh_each_refused
}
