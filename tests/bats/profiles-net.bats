#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped profiles of programs that use the network or run other code:
# curl, wget, git, python3, node and nginx each do real work under their own
# profile (picked by basename), as root and as the test user, against
# servers on 127.0.0.1 only; and something default allows but the program
# does not need is refused at kernel level.

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
