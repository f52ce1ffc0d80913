#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped profiles of network servers: redis-server, memcached,
# mosquitto, dnsmasq, lighttpd and haproxy each run in the foreground under
# their own profile (picked by basename) on a free port of 127.0.0.1, as
# root (switching to nobody where the server does that itself) and as the
# test user, and answer a real client; then something the profile takes
# away is refused at kernel level, by the real server (a port or a tree
# outside its Landlock rules) and by the probe.

bats_require_minimum_version 1.5.0
load helpers
load ../fixtures/apps/apps

setup_file() {
	sf_setup_file
	apps_setup_file
}

teardown_file() {
	sf_teardown_file
}

setup() {
	sf_setup
	SERVER_PIDS=()
	export SYSFENCE_PROFILE_PATH="$T:$SYSFENCE_PROFILE_PATH"
}

# Every server a test started, stopped even when the test failed half-way.
teardown() {
	local pid
	for pid in "${SERVER_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# free_port: a TCP port nobody listens on at the moment.
free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# _local NAME LINE...: $T/NAME.local holds the LINEs: what a user adds to
# the shipped profile for a server of their own (its directory, its port).
_local() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$T/$name.local"
	chmod 0644 "$T/$name.local"
}

# _start NAME COMMAND...: run COMMAND in the background as $AS, its output
# in $D/NAME.log. A simple command in the background is exec'd, and
# sysfence execs in place, so $SERVER_PID is the server's own PID.
_start() {
	local name=$1
	shift
	local -a cmd=("$@")
	[ "$AS" = user ] && cmd=(setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups -- "${cmd[@]}")
	"${cmd[@]}" >"$D/$name.log" 2>&1 3>&- &
	SERVER_PID=$!
	SERVER_PIDS+=("$SERVER_PID")
}

# _await_tcp PORT NAME: wait (up to 10 s) until something accepts TCP
# connections on 127.0.0.1:PORT; fail if the server NAME exits first.
_await_tcp() {
	local i
	for i in $(seq 200); do
		if (exec 5<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
			return 0
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			cat "$D/$2.log" >&2
			fail "$2 exited before it listened on port $1"
		fi
		sleep 0.05
	done
	fail "$2 does not listen on port $1 after 10 s"
}

# _stop: SIGTERM to the server, which must exit with status 0.
_stop() {
	kill -TERM "$SERVER_PID"
	local rc=0
	wait "$SERVER_PID" || rc=$?
	[ "$rc" -eq 0 ] || { cat "$D/$1.log" >&2; fail "$1 exited with status $rc after SIGTERM"; }
}

# _fails NAME PATTERN COMMAND...: COMMAND (a server under sysfence) exits
# with a non-zero status by itself, with PATTERN in its output.
_fails() {
	local name=$1 pattern=$2
	shift 2
	run who timeout 10 "$@"
	[ "$status" -ne 0 ] && [ "$status" -ne 124 ] || fail "$name: status $status, output: $output"
	assert_output --partial "$pattern"
}

# _proc_user PID: the user the process runs as.
_proc_user() {
	ps -o user= -p "$1" | tr -d ' '
}

# _server_user: the user a server that switches to nobody as root runs as.
_server_user() {
	if [ "$AS" = user ]; then
		echo "$TEST_USER"
	elif [ "$EUID" -eq 0 ]; then
		echo nobody
	else
		id -un
	fi
}

# _outside_refused PROFILE: with only the probe's directory added, the
# probe cannot create a file in $D under PROFILE's [filesystem] (EACCES),
# while default lets it.
_outside_refused() {
	_local "$1" '[filesystem]' "execute = $SF_TMP/bin"
	SF_AS=$AS sf_probe EACCES -p "$1" -- touch "$D/planted"
	assert_not_exist "$D/planted"
	SF_AS=$AS sf_probe OK -p default -- touch "$D/planted"
}

# _chown_outside_refused PROFILE: _refused_chown and _outside_refused.
_chown_outside_refused() {
	_refused_chown "$1"
	_outside_refused "$1"
}

# ---- redis-server --------------------------------------------------------

_redis_work() {
	local port
	port=$(free_port)
	who mkdir "$D/data" "$D/elsewhere"
	_local redis-server '[filesystem]' "read-write = $D/data" '[network]' "bind-tcp = $port"
	# Protected configs allowed, as in Redis before 7: CONFIG SET dir works,
	# and only Landlock stands in the way.
	local -a redis=(redis-server --port "$port" --bind 127.0.0.1 --dir "$D/data" --save ''
		--appendonly no --daemonize no --logfile '' --enable-protected-configs yes)
	_start redis "$SYSFENCE" -- "${redis[@]}"
	_await_tcp "$port" redis
	run -0 redis-cli -p "$port" set greeting "served by redis under sysfence"
	assert_output OK
	run -0 redis-cli -p "$port" rpush list a b c
	run -0 redis-cli -p "$port" lrange list 0 -1
	assert_output "a
b
c"
	# A background save: a child process of redis writes the snapshot.
	run -0 redis-cli -p "$port" bgsave
	local i
	for i in $(seq 200); do
		run -0 redis-cli -p "$port" info persistence
		[[ "$output" == *"rdb_bgsave_in_progress:0"* ]] && break
		sleep 0.05
	done
	assert_output --partial "rdb_last_bgsave_status:ok"
	assert_file_exists "$D/data/dump.rdb"
	# The take-over of an exposed Redis: point dir elsewhere and save.
	run -0 redis-cli -p "$port" config set dir "$D/elsewhere"
	run -0 redis-cli -p "$port" save
	assert_output --partial ERR
	run -0 find "$D/elsewhere" -type f
	assert_output ''
	run -0 redis-cli -p "$port" get greeting
	assert_output "served by redis under sysfence"
	assert_equal "$(_proc_user "$SERVER_PID")" "$(who id -un)"
	_stop redis
	run -0 grep 'Failed opening the temp RDB file' "$D/redis.log"
	assert_output --partial 'Permission denied'
	# A port that is not in bind-tcp.
	local other
	other=$(free_port)
	_fails redis-server 'bind: Permission denied' "$SYSFENCE" -- "${redis[@]/#$port/$other}"
}

@test "redis-server serves clients and saves in its directory; a save elsewhere and another port are refused" {
	require_program redis-server redis-server
	require_program redis-cli redis-tools
	as_each _redis_work
}

@test "redis-server: no writes outside its trees, no id changes, no memory locking" {
	probe_may_run redis-server
	as_each _outside_refused redis-server
	refused redis-server EPERM raw setresuid -1 -1 -1
	refused redis-server EPERM raw mlock 0 0
}

# ---- memcached -----------------------------------------------------------

_memcached_work() {
	local port
	port=$(free_port)
	_local memcached '[network]' "bind-tcp = $port"
	local -a mc=(memcached -l 127.0.0.1 -p "$port" -U 0 -m 16 -t 2)
	[ "$AS" = self ] && [ "$EUID" -eq 0 ] && mc+=(-u nobody)
	_start memcached "$SYSFENCE" -- "${mc[@]}"
	_await_tcp "$port" memcached
	run -0 busybox nc 127.0.0.1 "$port" < <(printf 'set k 0 0 31\r\nserved by memcached in sysfence\r\nincr n 1\r\nset n 0 0 1\r\n7\r\nincr n 35\r\nget k\r\nquit\r\n')
	assert_output "$(printf 'STORED\r\nNOT_FOUND\r\nSTORED\r\n42\r\nVALUE k 0 31\r\nserved by memcached in sysfence\r\nEND\r')"
	assert_equal "$(_proc_user "$SERVER_PID")" "$(_server_user)"
	_stop memcached
	# A port that is not in bind-tcp.
	local other
	other=$(free_port)
	_fails memcached 'Permission denied' "$SYSFENCE" -- "${mc[@]/#$port/$other}"
}

@test "memcached stores and serves values (root: as -u nobody); another port is refused" {
	require_program memcached memcached
	as_each _memcached_work
}

# _memcached_connect: connect-tcp = none: bash, started under the profile,
# cannot connect to any TCP port (EACCES), while default lets it.
_memcached_connect() {
	_outside_refused memcached
	local port
	port=$(free_port)
	_start listener busybox httpd -f -p "127.0.0.1:$port" -h "$D"
	_await_tcp "$port" listener
	run who "$SYSFENCE" -p memcached -- bash -c "exec 5<>/dev/tcp/127.0.0.1/$port"
	assert_failure
	assert_output --partial 'Permission denied'
	who "$SYSFENCE" -p default -- bash -c "exec 5<>/dev/tcp/127.0.0.1/$port"
	kill -TERM "$SERVER_PID"
}

@test "memcached: no TCP connections out, no processes, no writes outside /run" {
	probe_may_run memcached
	as_each _memcached_connect
	refused_fork memcached
}

# ---- mosquitto -----------------------------------------------------------

# _mosquitto_conf PORT: a broker configuration in $D/mosquitto.conf.
_mosquitto_conf() {
	who tee "$D/mosquitto.conf" >/dev/null <<-EOF
		listener $1 127.0.0.1
		allow_anonymous true
		persistence true
		persistence_location $D/
		log_dest stderr
		user nobody
	EOF
}

_mosquitto_work() {
	local port
	port=$(free_port)
	_mosquitto_conf "$port"
	_local mosquitto '[filesystem]' "read-write = $D" '[network]' "bind-tcp = $port"
	_start mosquitto "$SYSFENCE" -- mosquitto -c "$D/mosquitto.conf"
	_await_tcp "$port" mosquitto
	run -0 mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -r -t sysfence/test -m "retained under sysfence"
	run -0 mosquitto_sub -h 127.0.0.1 -p "$port" -t 'sysfence/#' -C 1 -W 10 -v
	assert_output "sysfence/test retained under sysfence"
	assert_equal "$(_proc_user "$SERVER_PID")" "$(_server_user)"
	_stop mosquitto
	# The retained message was saved on the way out.
	assert_file_exists "$D/mosquitto.db"
	# A listener on a port that is not in bind-tcp.
	_mosquitto_conf "$(free_port)"
	_fails mosquitto 'Permission denied' "$SYSFENCE" -- mosquitto -c "$D/mosquitto.conf"
}

@test "mosquitto relays and persists a retained message (root: as nobody); another port is refused" {
	require_program mosquitto mosquitto
	require_program mosquitto_pub mosquitto-clients
	as_each _mosquitto_work
}

@test "mosquitto: no processes, no owner changes, no memory locking, no writes outside its trees" {
	probe_may_run mosquitto
	refused_fork mosquitto
	refused mosquitto EPERM raw mlock 0 0
	as_each _chown_outside_refused mosquitto
}

# ---- dnsmasq -------------------------------------------------------------

_dnsmasq_work() {
	local port
	port=$(free_port)
	_local dnsmasq '[network]' "bind-tcp = $port"
	local -a dns=(dnsmasq --keep-in-foreground --port="$port" --listen-address=127.0.0.1 --bind-interfaces
		--no-resolv --no-hosts --pid-file= --log-facility=- --address=/sysfence.test/10.1.2.3
		--host-record=box.sysfence.test,10.4.5.6)
	_start dnsmasq "$SYSFENCE" -- "${dns[@]}"
	_await_tcp "$port" dnsmasq
	run -0 busybox nslookup -type=a www.sysfence.test "127.0.0.1:$port"
	assert_output --partial 'Address: 10.1.2.3'
	run -0 busybox nslookup -type=a box.sysfence.test "127.0.0.1:$port"
	assert_output --partial 'Address: 10.4.5.6'
	assert_equal "$(_proc_user "$SERVER_PID")" "$(_server_user)"
	_stop dnsmasq
	# A port that is not in bind-tcp (DNS over TCP listens on it too).
	local other
	other=$(free_port)
	_fails dnsmasq 'Permission denied' "$SYSFENCE" -- "${dns[@]/#--port=$port/--port=$other}"
}

@test "dnsmasq answers DNS queries (root: as nobody); another port is refused" {
	require_program dnsmasq dnsmasq-base
	as_each _dnsmasq_work
}

@test "dnsmasq: no owner changes, no memory locking, no writes outside its trees" {
	probe_may_run dnsmasq
	refused dnsmasq EPERM raw mlock 0 0
	as_each _chown_outside_refused dnsmasq
}

# ---- lighttpd ------------------------------------------------------------

# _lighttpd_conf PORT: a server in $D/lighttpd serving $D/lighttpd/html.
_lighttpd_conf() {
	who mkdir -p "$D/lighttpd/html"
	who sh -c 'echo "<h1>served by lighttpd under sysfence</h1>" >"$1/html/index.html"' sh "$D/lighttpd"
	who tee "$D/lighttpd/lighttpd.conf" >/dev/null <<-EOF
		server.document-root = "$D/lighttpd/html"
		server.bind = "127.0.0.1"
		server.port = $1
		index-file.names = ( "index.html" )
	EOF
	if [ "$AS" = self ] && [ "$EUID" -eq 0 ]; then
		printf 'server.username = "nobody"\nserver.groupname = "nogroup"\n' >>"$D/lighttpd/lighttpd.conf"
	fi
}

_lighttpd_work() {
	local port
	port=$(free_port)
	_lighttpd_conf "$port"
	_local lighttpd '[filesystem]' "read-write = $D/lighttpd" '[network]' "bind-tcp = $port"
	_start lighttpd "$SYSFENCE" -- lighttpd -D -f "$D/lighttpd/lighttpd.conf"
	_await_tcp "$port" lighttpd
	run -0 curl -fsS "http://127.0.0.1:$port/"
	assert_output "<h1>served by lighttpd under sysfence</h1>"
	run -22 curl -fsS "http://127.0.0.1:$port/missing"
	assert_equal "$(_proc_user "$SERVER_PID")" "$(_server_user)"
	_stop lighttpd
	# A port that is not in bind-tcp.
	_lighttpd_conf "$(free_port)"
	_fails lighttpd 'Permission denied' "$SYSFENCE" -- lighttpd -D -f "$D/lighttpd/lighttpd.conf"
}

@test "lighttpd serves a page on loopback (root: as nobody); another port is refused" {
	require_program lighttpd lighttpd
	require_program curl curl
	as_each _lighttpd_work
}

@test "lighttpd: no owner changes, no memory locking, no writes outside its trees" {
	probe_may_run lighttpd
	refused lighttpd EPERM raw mlock 0 0
	as_each _chown_outside_refused lighttpd
}

# ---- haproxy -------------------------------------------------------------

# _haproxy_conf PORT BACKEND-PORT STATS-SOCKET: a proxy configuration in
# $D/haproxy/haproxy.cfg; as root it locks itself into $D/haproxy/empty
# and switches to nobody.
_haproxy_conf() {
	who mkdir -p "$D/haproxy/empty"
	{
		echo global
		if [ "$AS" = self ] && [ "$EUID" -eq 0 ]; then
			printf '\tchroot %s\n\tuser nobody\n\tgroup nogroup\n' "$D/haproxy/empty"
		fi
		printf '\tstats socket %s mode 600\n' "$3"
		printf 'defaults\n\tmode http\n\ttimeout connect 5s\n\ttimeout client 10s\n\ttimeout server 10s\n'
		printf 'frontend web\n\tbind 127.0.0.1:%s\n\tdefault_backend app\n' "$1"
		printf 'backend app\n\tserver one 127.0.0.1:%s\n' "$2"
	} | who tee "$D/haproxy/haproxy.cfg" >/dev/null
}

_haproxy_work() {
	local port backend
	port=$(free_port)
	backend=$(free_port)
	who mkdir -p "$D/www"
	who sh -c 'echo "proxied by haproxy under sysfence" >"$1/page"' sh "$D/www"
	# The back-end: busybox's web server, unconfined.
	_start backend busybox httpd -f -p "127.0.0.1:$backend" -h "$D/www"
	_await_tcp "$backend" backend
	local backend_pid=$SERVER_PID
	_haproxy_conf "$port" "$backend" "$D/haproxy/stats.sock"
	_local haproxy '[filesystem]' "read-write = $D/haproxy"
	_start haproxy "$SYSFENCE" -- haproxy -db -f "$D/haproxy/haproxy.cfg"
	_await_tcp "$port" haproxy
	run -0 curl -fsS "http://127.0.0.1:$port/page"
	assert_output "proxied by haproxy under sysfence"
	assert_equal "$(_proc_user "$SERVER_PID")" "$(_server_user)"
	[ -S "$D/haproxy/stats.sock" ]
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID" || true
	# A stats socket outside the trees the profile and the .local allow.
	_haproxy_conf "$port" "$backend" "$D/stats.sock"
	_fails haproxy 'cannot bind UNIX socket' "$SYSFENCE" -- haproxy -db -f "$D/haproxy/haproxy.cfg"
	assert_not_exist "$D/stats.sock"
	kill -TERM "$backend_pid"
}

@test "haproxy proxies HTTP to a back-end (root: chroot and nobody); a socket outside its trees is refused" {
	require_program haproxy haproxy
	require_program curl curl
	as_each _haproxy_work
}

@test "haproxy: no owner changes, no memory locking, no writes outside its trees" {
	probe_may_run haproxy
	refused haproxy EPERM raw mlock 0 0
	as_each _chown_outside_refused haproxy
}
