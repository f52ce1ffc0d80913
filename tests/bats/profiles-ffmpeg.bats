#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped ffmpeg profile, as profiles-media.bats tests the other media
# parsers: ffmpeg does real work under its own profile, as root and as the
# test user, and what it does not need is refused at kernel level (sockets,
# so every network URL; new processes; capture devices; chmod, chown,
# set-id files).
#
# Opt-in: .ci/deps does not install ffmpeg (with --no-install-recommends
# still some 80 packages, 52 MB to download, 150 MB installed), so in CI
# the tests that run ffmpeg itself are skipped; the refusals the probe
# proves under ffmpeg.ini run everywhere. Install it to run them all:
#   sudo apt-get install --no-install-recommends ffmpeg

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

_require_ffmpeg() {
	command -v ffmpeg >/dev/null ||
		skip "opt-in: ffmpeg is not installed (apt-get install --no-install-recommends ffmpeg)"
}

# Generated video (testsrc) and audio (a sine) into a Matroska file with
# lossless codecs (FFV1, FLAC); decoded again, both streams have the
# generator's MD5. A frame is cut out as a PNG. ffmpeg prints nothing at
# -loglevel error: no "insecure memory" warning from libgcrypt either.
_ffmpeg_work() {
	local v=testsrc=duration=1:size=64x48:rate=10 a=sine=frequency=440:duration=1 want
	run -0 --separate-stderr sf ffmpeg -nostdin -loglevel error -f lavfi -i "$v" -f lavfi -i "$a" \
		-c:v ffv1 -c:a flac "$D/av.mkv"
	assert_equal "$stderr" ''
	want=$(who ffmpeg -nostdin -loglevel error -f lavfi -i "$v" -f md5 -)
	run -0 --separate-stderr sf ffmpeg -nostdin -loglevel error -i "$D/av.mkv" -map 0:v -pix_fmt rgb24 -f md5 -
	assert_output "$want"
	want=$(who ffmpeg -nostdin -loglevel error -f lavfi -i "$a" -f md5 -)
	run -0 --separate-stderr sf ffmpeg -nostdin -loglevel error -i "$D/av.mkv" -map 0:a -f md5 -
	assert_output "$want"
	run -0 --separate-stderr sf ffmpeg -nostdin -loglevel error -i "$D/av.mkv" -vf 'select=eq(n\,5)' -frames:v 1 "$D/f5.png"
	run -0 file -b "$D/f5.png"
	assert_output --partial 'PNG image data, 64 x 48, 8-bit/color RGB'
}

@test "ffmpeg encodes generated video and audio losslessly, decodes them to the same MD5, cuts a frame" {
	_require_ffmpeg
	as_each _ffmpeg_work
}

# A UDP output needs no listener: unconfined ffmpeg sends the stream;
# under ffmpeg.ini the socket cannot be made and the output cannot open.
_ffmpeg_offline() {
	local src=testsrc=duration=0.2:size=32x32:rate=10
	run -0 --separate-stderr who ffmpeg -nostdin -loglevel error -f lavfi -i "$src" -f mpegts udp://127.0.0.1:9
	run -1 --separate-stderr sf ffmpeg -nostdin -loglevel error -f lavfi -i "$src" -f mpegts udp://127.0.0.1:9
	assert_stderr_contains 'socket: Address family not supported by protocol'
}

@test "ffmpeg: a network URL cannot open" {
	_require_ffmpeg
	as_each _ffmpeg_offline
}

@test "ffmpeg: no socket, no fork, no capture device ioctl, no chmod or chown, no set-id file" {
	_offline ffmpeg
	refused_fork ffmpeg
	# VIDIOC_QUERYCAP, V4L2's first call, on a bad descriptor: the kernel
	# answers EBADF under default; ffmpeg.ini stops it first.
	sf_probe ENOTTY -p ffmpeg -- raw ioctl -1 0x80685600 0
	sf_probe EBADF -p default -- raw ioctl -1 0x80685600 0
	as_each _no_file_changes ffmpeg
}
