#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped profiles of programs that parse untrusted input (file, zip,
# unzip, bsdtar, rsync, exiftool, pdftotext, 7z): each real program does
# real work under its own profile (picked by its basename), as root and as
# the test user, and something default allows but the program does not need
# is refused at kernel level: a socket, a new process, a set-id file.

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

# ---- inputs --------------------------------------------------------------

# _tree DIR: a small tree with modes that must survive a copy: a 0640
# file, a 0751 directory, an executable, random bytes, a relative symlink.
_tree() {
	who sh -c 'mkdir -p "$1/sub/deep" && seq 1 20000 >"$1/a" && chmod 0640 "$1/a" &&
		head -c 60000 /dev/urandom >"$1/sub/b" && printf "#!/bin/sh\necho hi\n" >"$1/sub/run" &&
		chmod 0755 "$1/sub/run" && echo c >"$1/sub/deep/c" && chmod 0751 "$1/sub" &&
		ln -s ../a "$1/sub/link"' sh "$1"
}

# _modes DIR: "MODE PATH" for every entry under DIR, sorted, to compare
# two trees' permissions.
_modes() {
	(cd "$1" && find . -printf '%m %y %p\n' | LC_ALL=C sort)
}

# _setid_files DIR: a set-user-ID and a set-group-ID copy of a small
# executable in DIR (made unconfined: an owner may set them on their own
# files).
_setid_files() {
	who sh -c 'mkdir -p "$1" && printf "#!/bin/sh\n" >"$1/suid" && cp "$1/suid" "$1/sgid" &&
		chmod 4755 "$1/suid" && chmod 2755 "$1/sgid"' sh "$1"
	[ -n "$(find "$1" -perm -4000)" ] && [ -n "$(find "$1" -perm -2000)" ]
}

# No set-id file anywhere under DIR.
_no_setid() {
	run -0 find "$1" -perm /6000
	assert_output ''
}

# ---- file ----------------------------------------------------------------

_file_work() {
	_png "$D/img"
	who sh -c 'echo "plain words" >"$1" && cp /bin/true "$2" && echo "inside gzip" | gzip -c >"$3"' sh \
		"$D/text" "$D/prog" "$D/text.gz"
	_pdf "$D/doc" hello
	run -0 --separate-stderr sf file -b "$D/img" "$D/prog" "$D/text" "$D/doc"
	assert_line -n 0 'PNG image data, 1 x 1, 8-bit/color RGBA, non-interlaced'
	assert_line -n 1 --regexp '^ELF 64-bit LSB .*, dynamically linked'
	assert_line -n 2 'ASCII text'
	assert_line -n 3 'PDF document, version 1.4, 1 pages'
	# From stdin, and inside compressed data (zlib is linked in: no child).
	run -0 --separate-stderr sf file -b - <"$D/img"
	assert_output --partial 'PNG image data'
	run -0 --separate-stderr sf file -bz "$D/text.gz"
	assert_output --regexp '^ASCII text \(gzip compressed data'
}

@test "file identifies a PNG, an ELF program, text, a PDF, stdin and gzip contents" {
	require_program file file
	as_each _file_work
}

_file_no_writes() {
	SF_AS=$AS sf_probe EACCES -p file -- touch "$D/created"
	assert_not_exist "$D/created"
	# With the filter's refusal taken back, Landlock still says no.
	SF_AS=$AS sf_probe EACCES -p file --allow=mkdir,mkdirat -- mkdir "$D/dir"
	assert_not_exist "$D/dir"
	SF_AS=$AS sf_probe OK -p default -- touch "$D/created"
	SF_AS=$AS sf_probe OK -p file -- open "$D/created"
	_setid_refused file
}

@test "file: no socket, no fork, no file written (filter and Landlock), no set-id file" {
	probe_may_run file
	_offline file
	refused_fork file
	as_each _file_no_writes
}

# ---- zip and unzip -------------------------------------------------------

_zip_work() {
	_tree "$D/src"
	# -T tests the new archive by running unzip, a child under zip's filter.
	(cd "$D" && run -0 --separate-stderr sf zip -q -r -y -T "$D/t.zip" src)
	who mkdir "$D/out"
	run -0 --separate-stderr sf unzip -q "$D/t.zip" -d "$D/out"
	run -0 diff -r "$D/src" "$D/out/src"
	[ "$(sha "$D/out/src/sub/b")" = "$(sha "$D/src/sub/b")" ]
	[ "$(readlink "$D/out/src/sub/link")" = ../a ]
	[ "$(_modes "$D/src")" = "$(_modes "$D/out/src")" ]
	# Listing and testing an archive: stdout only.
	run -0 --separate-stderr sf unzip -Z1 "$D/t.zip"
	assert_line src/sub/deep/c
	run -0 --separate-stderr sf unzip -tq "$D/t.zip"
	assert_output --partial 'No errors detected'
}

@test "zip (with -T running unzip) and unzip round-trip a tree: bytes, modes, links" {
	require_program zip zip
	require_program unzip unzip
	as_each _zip_work
}

# unzip -K restores set-id bits recorded in the archive: unconfined it does,
# under unzip.ini the files come out without them.
_unzip_setid() {
	_setid_files "$D/in"
	(cd "$D" && who zip -q -r s.zip in)
	who mkdir "$D/plain" "$D/out"
	(cd "$D" && who unzip -q -K s.zip -d plain)
	[ -n "$(find "$D/plain" -perm -4000)" ]
	run --separate-stderr sf unzip -q -K "$D/s.zip" -d "$D/out"
	assert_file_exists "$D/out/in/suid"
	assert_file_exists "$D/out/in/sgid"
	assert_stderr_contains 'Operation not permitted'
	_no_setid "$D/out"
}

@test "unzip -K extracts set-id entries without the set-id bits" {
	require_program zip zip
	require_program unzip unzip
	as_each _unzip_setid
}

_zip_unzip_refusals() {
	_setid_refused unzip
	_chown_setid_refused zip
}

@test "zip and unzip: no socket, no id changes, no set-id file; unzip cannot fork, zip cannot chown" {
	_offline zip
	_offline unzip
	refused unzip EPERM raw setresuid -1 -1 -1
	refused zip EPERM raw setresuid -1 -1 -1
	refused_fork unzip
	as_each _zip_unzip_refusals
}

# ---- bsdtar --------------------------------------------------------------

_bsdtar_work() {
	_tree "$D/src"
	local a
	run -0 --separate-stderr sf bsdtar -czf "$D/a.tgz" -C "$D/src" .
	run -0 --separate-stderr sf bsdtar -cJf "$D/a.txz" -C "$D/src" .
	run -0 --separate-stderr sf bsdtar --format=zip -cf "$D/a.zip" -C "$D/src" .
	run -0 --separate-stderr sf bsdtar --format=cpio -cf "$D/a.cpio" -C "$D/src" .
	for a in a.tgz a.txz a.zip a.cpio; do
		who mkdir "$D/out-$a"
		run -0 --separate-stderr sf bsdtar -xpf "$D/$a" -C "$D/out-$a"
		run -0 diff -r "$D/src" "$D/out-$a"
		[ "$(sha "$D/out-$a/sub/b")" = "$(sha "$D/src/sub/b")" ]
		[ "$(readlink "$D/out-$a/sub/link")" = ../a ]
		[ "$(_modes "$D/src")" = "$(_modes "$D/out-$a")" ]
	done
	run -0 --separate-stderr sf bsdtar -tf "$D/a.txz"
	assert_line ./sub/deep/c
}

@test "bsdtar creates and extracts tar.gz, tar.xz, zip and cpio archives: bytes, modes, links" {
	require_program bsdtar libarchive-tools
	as_each _bsdtar_work
}

_bsdtar_setid() {
	_setid_files "$D/in"
	who bsdtar -cf "$D/s.tar" -C "$D/in" .
	who mkdir "$D/plain" "$D/out"
	who bsdtar -xpf "$D/s.tar" -C "$D/plain"
	[ -n "$(find "$D/plain" -perm -4000)" ]
	run -1 --separate-stderr sf bsdtar -xpf "$D/s.tar" -C "$D/out"
	assert_stderr_contains "Can't set permissions to 04755: Operation not permitted"
	assert_file_exists "$D/out/suid"
	_no_setid "$D/out"
}

@test "bsdtar -p extracts set-id entries without the set-id bits, and says so" {
	require_program bsdtar libarchive-tools
	as_each _bsdtar_setid
}

@test "bsdtar: no socket, no id changes, no set-id file, only its ioctls" {
	_offline bsdtar
	refused bsdtar EPERM raw setresuid -1 -1 -1
	# TIOCSTI is refused by default itself; FIONREAD on a bad descriptor
	# reaches the kernel (EBADF) under default only.
	sf_probe ENOTTY -p bsdtar -- raw ioctl -1 0x541B 0
	sf_probe EBADF -p default -- raw ioctl -1 0x541B 0
	as_each _setid_refused bsdtar
}

# ---- rsync ---------------------------------------------------------------

_rsync_work() {
	_tree "$D/src"
	who touch -d '2001-02-03 04:05:06' "$D/src/sub/deep/c"
	run -0 --separate-stderr sf rsync -a "$D/src/" "$D/dst/"
	run -0 diff -r "$D/src" "$D/dst"
	[ "$(sha "$D/dst/sub/b")" = "$(sha "$D/src/sub/b")" ]
	[ "$(readlink "$D/dst/sub/link")" = ../a ]
	[ "$(_modes "$D/src")" = "$(_modes "$D/dst")" ]
	[ "$(stat -c %Y "$D/dst/sub/deep/c")" = "$(stat -c %Y "$D/src/sub/deep/c")" ]
	# A second run finds nothing to do; a change is carried over.
	who sh -c 'echo changed >"$1"' sh "$D/src/sub/deep/c"
	run -0 --separate-stderr sf rsync -a -i "$D/src/" "$D/dst/"
	assert_output --regexp '^>f.* sub/deep/c$'
	[ "${#lines[@]}" -eq 1 ]
	run -0 diff -r "$D/src" "$D/dst"
}

@test "rsync -a copies a tree (its processes talk through socket pairs): bytes, modes, links, times" {
	require_program rsync rsync
	as_each _rsync_work
}

_rsync_setid() {
	_setid_files "$D/in"
	run -23 --separate-stderr sf rsync -a "$D/in/" "$D/out/"
	assert_stderr_contains 'failed to set permissions'
	assert_file_exists "$D/out/suid"
	_no_setid "$D/out"
}

@test "rsync -a copies set-id files without the set-id bits (status 23)" {
	require_program rsync rsync
	as_each _rsync_setid
}

@test "rsync: socket pairs only, no socket (so no remote transfer), no id changes, no set-id file" {
	refused rsync EPERM socket AF_UNIX
	refused rsync EAFNOSUPPORT socket AF_INET
	refused rsync EAFNOSUPPORT socket AF_INET6
	# socketpair(AF_UNIX) with no array passes the filter: the kernel
	# answers EFAULT; any other family is refused first.
	sf_probe EFAULT -p rsync -- raw socketpair 1 1 0 0
	sf_probe EAFNOSUPPORT -p rsync -- raw socketpair 2 1 0 0
	refused rsync EPERM raw setresuid -1 -1 -1
	as_each _setid_refused rsync
}

# ---- exiftool ------------------------------------------------------------

_exiftool_work() {
	_png "$D/img.png"
	run -0 --separate-stderr sf exiftool -s3 -FileType -ImageWidth -ImageHeight "$D/img.png"
	assert_output $'PNG\n1\n1'
	run -0 --separate-stderr sf exiftool -q -overwrite_original -Comment='written under sysfence' "$D/img.png"
	run -0 --separate-stderr sf exiftool -s3 -Comment "$D/img.png"
	assert_output 'written under sysfence'
	# The rewritten file is still the same image.
	run -0 --separate-stderr sf file -b "$D/img.png"
	assert_output 'PNG image data, 1 x 1, 8-bit/color RGBA, non-interlaced'
	# -if is Perl code: under exiftool.ini it cannot start a program.
	# (A $NAME in it would be read as a tag name, so the path is spelled
	# out.)
	local cond="system('touch', '$D/marker') == 0 or 1"
	run -0 --separate-stderr sf exiftool -q -if "$cond" -s3 -ImageWidth "$D/img.png"
	assert_output 1
	assert_not_exist "$D/marker"
	who exiftool -q -if "$cond" -s3 -ImageWidth "$D/img.png"
	assert_file_exists "$D/marker"
}

@test "exiftool reads a PNG's tags, writes a comment and reads it back; its Perl cannot start a program" {
	require_program exiftool libimage-exiftool-perl
	as_each _exiftool_work
}

@test "exiftool: no socket, no fork, no id changes, no set-id file" {
	_offline exiftool
	refused_fork exiftool
	refused exiftool EPERM raw setresuid -1 -1 -1
	as_each _setid_refused exiftool
}

# ---- pdftotext -----------------------------------------------------------

_pdftotext_work() {
	_pdf "$D/doc.pdf" sandboxedword
	run -0 --separate-stderr sf pdftotext "$D/doc.pdf"
	assert_equal "$stderr" ''
	run -0 grep -x sandboxedword "$D/doc.txt"
	run -0 --separate-stderr sf pdftotext -layout "$D/doc.pdf" -
	assert_line --regexp '^ *sandboxedword$'
}

@test "pdftotext extracts a known word from a hand-written PDF, to a file and to stdout" {
	require_program pdftotext poppler-utils
	as_each _pdftotext_work
}

_pdftotext_no_chmod() {
	who touch "$D/out.txt"
	SF_AS=$AS sf_probe EPERM -p pdftotext -- chmod "$D/out.txt" 0600
	SF_AS=$AS sf_probe OK -p default -- chmod "$D/out.txt" 0600
	_chown_setid_refused pdftotext
}

@test "pdftotext: no socket, no fork, no chmod or chown, no set-id file" {
	_offline pdftotext
	refused_fork pdftotext
	as_each _pdftotext_no_chmod
}

# ---- 7z ------------------------------------------------------------------

_7z_work() {
	_tree "$D/src"
	# p7zip refuses to extract a symlink that points outside the tree
	# it extracts ("Dangerous link path"), whatever the sandbox.
	who rm "$D/src/sub/link"
	who ln -s deep/c "$D/src/sub/link"
	(cd "$D" && run -0 --separate-stderr sf 7z a -bd -mmt2 a.7z src)
	run -0 --separate-stderr sf 7z t -bd "$D/a.7z"
	assert_output --partial 'Everything is Ok'
	run -0 --separate-stderr sf 7z x -bd -o"$D/out" "$D/a.7z"
	run -0 diff -r "$D/src" "$D/out/src"
	[ "$(sha "$D/out/src/sub/b")" = "$(sha "$D/src/sub/b")" ]
	[ "$(readlink "$D/out/src/sub/link")" = deep/c ]
	# zip through 7z, read back by unzip (unconfined).
	(cd "$D" && run -0 --separate-stderr sf 7z a -bd -tzip b.zip src)
	run -0 --separate-stderr who unzip -p "$D/b.zip" src/sub/deep/c
	assert_output c
}

@test "7z (a shell script that execs p7zip) archives, tests and extracts a tree: bytes, links" {
	require_program 7z p7zip-full
	as_each _7z_work
}

@test "7z: no socket, no fork, no chown, no set-id file" {
	_offline 7z
	refused_fork 7z
	as_each _chown_setid_refused 7z
}
