#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped profiles of programs that work on local files: each real
# program does real work under its own profile (picked by its basename), as
# root and as the test user, and something default allows but the program
# does not need is refused at kernel level.

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
}

# ---- jq ------------------------------------------------------------------

_jq_work() {
	who sh -c 'printf "%s\n" "{\"items\":[{\"n\":\"a\",\"v\":2},{\"n\":\"b\",\"v\":40}]}" >"$1"' sh "$D/in.json"
	run -0 --separate-stderr sf jq -c '{names: [.items[].n], total: ([.items[].v] | add)}' "$D/in.json"
	assert_output '{"names":["a","b"],"total":42}'
	run -0 --separate-stderr sf jq -r '.items | map("\(.n)=\(.v)") | join(",")' <"$D/in.json"
	assert_output 'a=2,b=40'
}

@test "jq transforms JSON from a file and from stdin" {
	require_program jq jq
	as_each _jq_work
}

@test "jq: no socket of any family, no file creation, no fork" {
	probe_may_run jq
	refused jq EAFNOSUPPORT socket AF_UNIX
	refused jq EAFNOSUPPORT socket AF_INET
	# socketpair(AF_UNIX) with no array: the kernel would answer EFAULT.
	sf_probe EAFNOSUPPORT -p jq -- raw socketpair 1 1 0 0
	sf_probe EFAULT -p default -- raw socketpair 1 1 0 0
	refused_fork jq
	sf_probe EACCES -p jq -- touch "$W/created"
	assert_not_exist "$W/created"
	sf_probe OK -p default -- touch "$W/created"
}

# With the filter's refusal of mkdir taken back on the command line, the
# kernel's Landlock check still refuses it: jq.ini says "no writes" twice.
_jq_landlock_no_writes() {
	SF_AS=$AS sf_probe EACCES -p jq --allow=mkdir,mkdirat -- mkdir "$D/dir"
	assert_not_exist "$D/dir"
	SF_AS=$AS sf_probe OK -p default --allow=mkdir,mkdirat -- mkdir "$D/dir"
	assert_dir_exists "$D/dir"
	# Reading stays open everywhere: its own input, wherever it is.
	SF_AS=$AS sf_probe OK -p jq -- open "$D/dir"
}

@test "jq: Landlock refuses writes the filter lets through; reads stay open" {
	probe_may_run jq
	as_each _jq_landlock_no_writes
}

# A program outside jq's execute tree (/usr) cannot be started from inside:
# /bin/sh (in /usr) may exec in place, but not a copy of the probe in $D.
_jq_exec_only_usr() {
	who cp "$PROBE" "$D/probe2"
	run -126 --separate-stderr who "$SYSFENCE" -p jq -- /bin/sh -c 'exec "$0" exit 0' "$D/probe2"
	assert_stderr_contains "Permission denied"
	run -0 --separate-stderr who "$SYSFENCE" -p jq -- /bin/sh -c 'exec /usr/bin/jq -n 42'
	assert_output 42
}

@test "jq: only programs under /usr can be executed" {
	as_each _jq_exec_only_usr
}

# ---- compressors ---------------------------------------------------------

# _roundtrip COMPRESS DECOMPRESS CAT SUFFIX [OPTION...]: compress a file in
# place, check the data through CAT, decompress it in place, compare. The
# options go to COMPRESS and DECOMPRESS.
_roundtrip() {
	local c=$1 d=$2 cat=$3 suffix=$4
	shift 4
	who sh -c 'seq 1 50000 >"$1"; head -c 16384 /dev/urandom >>"$1"' sh "$D/data"
	local sum
	sum=$(sha "$D/data")
	run -0 --separate-stderr sf "$c" "$@" "$D/data"
	assert_file_exists "$D/data$suffix"
	assert_not_exist "$D/data"
	sf "$cat" "$D/data$suffix" >"$W/$cat-$AS.out"
	[ "$(sha "$W/$cat-$AS.out")" = "$sum" ]
	run -0 --separate-stderr sf "$d" "$@" "$D/data$suffix"
	assert_not_exist "$D/data$suffix"
	[ "$(sha "$D/data")" = "$sum" ]
}

@test "gzip, zcat and gunzip round-trip a file" {
	require_program gzip gzip
	as_each _roundtrip gzip gunzip zcat .gz -q
}

@test "xz (two threads), xzcat and unxz round-trip a file" {
	require_program xz xz-utils
	as_each _roundtrip xz unxz xzcat .xz -T2
}

@test "zstd (two threads), zstdcat and unzstd round-trip a file" {
	require_program zstd zstd
	as_each _roundtrip zstd unzstd zstdcat .zst -q -T2 --rm
}

@test "bzip2, bzcat and bunzip2 round-trip a file" {
	require_program bzip2 bzip2
	as_each _roundtrip bzip2 bunzip2 bzcat .bz2
}

@test "the compressors: no socket, no fork" {
	local p
	for p in gzip xz zstd bzip2; do
		refused "$p" EAFNOSUPPORT socket AF_UNIX
		refused "$p" EAFNOSUPPORT socket AF_INET
		refused_fork "$p"
	done
}

# The *cat variants write to stdout only: under their profile no file can
# be created, while the compressor's own profile allows it.
_cats_write_nothing() {
	local p base
	for p in zcat:gzip xzcat:xz bzcat:bzip2 zstdcat:zstd; do
		base=${p#*:}
		p=${p%:*}
		SF_AS=$AS sf_probe EACCES -p "$p" -- touch "$D/$p"
		assert_not_exist "$D/$p"
		SF_AS=$AS sf_probe OK -p "$base" -- touch "$D/$p"
		SF_AS=$AS sf_probe OK -p "$p" -- open "$D/$p"
		SF_AS=$AS sf_probe EAFNOSUPPORT -p "$p" -- socket AF_UNIX
	done
}

@test "zcat, xzcat, bzcat and zstdcat can create no file, and open no socket" {
	probe_may_run zcat xzcat bzcat zstdcat
	as_each _cats_write_nothing
}

# ---- tar -----------------------------------------------------------------

_tar_work() {
	who sh -c 'mkdir -p "$1/src/sub/deep" && seq 1 50000 >"$1/src/a" && head -c 100000 /dev/urandom >"$1/src/sub/b" &&
		echo c >"$1/src/sub/deep/c" && ln -s ../a "$1/src/sub/link"' sh "$D"
	local flag ext
	for flag in -z -J; do
		ext=${flag#-}
		run -0 --separate-stderr sf tar "$flag" -cf "$D/a.$ext" -C "$D/src" .
		who mkdir "$D/out$ext"
		run -0 --separate-stderr sf tar "$flag" -xf "$D/a.$ext" -C "$D/out$ext"
		run -0 diff -r "$D/src" "$D/out$ext"
		[ "$(sha "$D/out$ext/sub/b")" = "$(sha "$D/src/sub/b")" ]
		[ "$(readlink "$D/out$ext/sub/link")" = ../a ]
	done
	# The archive is what the compressor made: gzip's magic bytes.
	run -0 od -An -tx1 -N2 "$D/a.z"
	assert_output ' 1f 8b'
}

@test "tar creates and extracts gzip and xz archives (the compressor runs as its child)" {
	require_program tar tar
	require_program xz xz-utils
	as_each _tar_work
}

@test "tar: no socket, no id changes" {
	refused tar EAFNOSUPPORT socket AF_UNIX
	refused tar EAFNOSUPPORT socket AF_INET
	refused tar EPERM raw setresuid -1 -1 -1
}

# ---- sqlite3 -------------------------------------------------------------

_sqlite3_work() {
	run -0 --separate-stderr sf sqlite3 "$D/db" \
		'create table t(k text primary key, v integer); insert into t values ("a", 1), ("b", 41);'
	run -0 --separate-stderr sf sqlite3 "$D/db" 'select group_concat(k, ","), sum(v) from t;'
	assert_output 'a,b|42'
	# Commands from SQL files must not run: .system cannot start a shell.
	run --separate-stderr sf sqlite3 "$D/db" ".system touch $D/marker"
	assert_not_exist "$D/marker"
	run -0 --separate-stderr sf sqlite3 "$D/db" 'pragma integrity_check;'
	assert_output ok
}

@test "sqlite3 creates, fills and queries a database; .system starts nothing" {
	require_program sqlite3 sqlite3
	as_each _sqlite3_work
}

@test "sqlite3: no socket, no fork" {
	refused sqlite3 EAFNOSUPPORT socket AF_UNIX
	refused sqlite3 EAFNOSUPPORT socket AF_INET
	refused_fork sqlite3
}

# ---- openssl -------------------------------------------------------------

_openssl_work() {
	who sh -c 'echo "message to sign" >"$1"' sh "$D/msg"
	run -0 --separate-stderr sf openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$D/key.pem"
	run -0 --separate-stderr sf openssl pkey -in "$D/key.pem" -pubout -out "$D/pub.pem"
	run -0 --separate-stderr sf openssl dgst -sha256 -sign "$D/key.pem" -out "$D/msg.sig" "$D/msg"
	run -0 --separate-stderr sf openssl dgst -sha256 -verify "$D/pub.pem" -signature "$D/msg.sig" "$D/msg"
	assert_output 'Verified OK'
	who sh -c 'echo tampered >>"$1"' sh "$D/msg"
	run -1 --separate-stderr sf openssl dgst -sha256 -verify "$D/pub.pem" -signature "$D/msg.sig" "$D/msg"
	assert_output 'Verification failure'
}

@test "openssl generates an EC key, signs a file and verifies the signature" {
	require_program openssl openssl
	as_each _openssl_work
}

@test "openssl: no netlink socket, no fork, no owner changes" {
	refused openssl EAFNOSUPPORT socket AF_NETLINK
	refused_fork openssl
	refused_chown openssl
}

# ---- ssh-keygen ----------------------------------------------------------

_ssh_keygen_work() {
	who sh -c 'echo "file to sign" >"$1"' sh "$D/file"
	run -0 --separate-stderr sf ssh-keygen -q -t ed25519 -N '' -C sysfence -f "$D/id"
	run -0 --separate-stderr sf ssh-keygen -l -f "$D/id.pub"
	assert_output --regexp '^256 SHA256:[A-Za-z0-9+/]+ sysfence \(ED25519\)$'
	run -0 --separate-stderr sf ssh-keygen -Y sign -f "$D/id" -n file "$D/file"
	assert_file_exists "$D/file.sig"
	who sh -c 'echo "sysfence $(cat "$1")" >"$2"' sh "$D/id.pub" "$D/allowed"
	run -0 --separate-stderr sf ssh-keygen -Y verify -f "$D/allowed" -I sysfence -n file -s "$D/file.sig" <"$D/file"
	assert_output --partial 'Good "file" signature for sysfence'
}

@test "ssh-keygen makes an ed25519 key, fingerprints it, signs and verifies a file" {
	require_program ssh-keygen openssh-client
	as_each _ssh_keygen_work
}

@test "ssh-keygen: Unix sockets only (ssh-agent), no fork" {
	refused ssh-keygen EAFNOSUPPORT socket AF_INET
	refused ssh-keygen EAFNOSUPPORT socket AF_NETLINK
	sf_probe OK -p ssh-keygen -- socket AF_UNIX
	refused_fork ssh-keygen
}

# ---- gpg -----------------------------------------------------------------

_gpg_work() {
	local home="$D/g"
	who mkdir -m 0700 "$home"
	who sh -c 'echo "release notes" >"$1"' sh "$D/doc"
	export GNUPGHOME=$home
	run -0 --separate-stderr sf gpg --batch --quiet --passphrase '' \
		--quick-gen-key 'Sysfence Test <test@example.org>' ed25519 sign never
	run -0 --separate-stderr sf gpg --batch --quiet --detach-sign -o "$D/doc.sig" "$D/doc"
	run -0 --separate-stderr sf gpg --batch --verify "$D/doc.sig" "$D/doc"
	assert_stderr_contains 'Good signature from "Sysfence Test <test@example.org>"'
	who sh -c 'echo tampered >>"$1"' sh "$D/doc"
	run -1 --separate-stderr sf gpg --batch --verify "$D/doc.sig" "$D/doc"
	assert_stderr_contains 'BAD signature'
	# gpg started gpg-agent for its user, under gpg's filter: stop it.
	who gpgconf --kill gpg-agent
	unset GNUPGHOME
}

@test "gpg generates a key with its agent, signs and verifies a file (temporary GNUPGHOME)" {
	require_program gpg gpg
	require_program gpgconf gpgconf
	as_each _gpg_work
}

@test "gpg: Unix sockets only (gpg-agent), no Internet sockets, no id changes" {
	refused gpg EAFNOSUPPORT socket AF_INET
	refused gpg EAFNOSUPPORT socket AF_INET6
	sf_probe OK -p gpg -- socket AF_UNIX
	refused gpg EPERM raw setresuid -1 -1 -1
}
