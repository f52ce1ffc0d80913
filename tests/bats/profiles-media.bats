#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The shipped profiles of programs that parse untrusted media and documents
# (convert, gs, pdftoppm, sox, qpdf, xmllint, tiffinfo; ffmpeg is in the
# opt-in profiles-ffmpeg.bats): each real program does real work under its
# own profile (picked by its basename), as root and as the test user, and
# something default allows but the program does not need is refused at
# kernel level: a socket, a new process (ImageMagick's delegates,
# Ghostscript's %pipe%, sox's "|command" files), a file written, a set-id
# file.

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

# ---- inputs and shared refusals ------------------------------------------

# _ps FILE WORD: a one-page PostScript program showing WORD in Helvetica on
# a US Letter page (whatever the machine's paper size), written as who's
# user.
_ps() {
	who sh -c 'printf "%%!PS\n<< /PageSize [612 792] >> setpagedevice\n/Helvetica findfont 24 scalefont setfont\n72 720 moveto (%s) show\nshowpage\n" "$2" >"$1"' sh "$1" "$2"
}

# _converter_refusals PROFILE: what every converter here is refused: any
# socket, a new process, chmod, chown and set-id files.
_converter_refusals() {
	_offline "$1"
	refused_fork "$1"
	as_each _no_file_changes "$1"
}

# _reads_only PROFILE: the readers with [filesystem] (xmllint, tiffinfo)
# create no file: the filter says EACCES, and with that rule taken back
# Landlock still refuses; default lets the same call through. No set-id
# file either. Call it inside as_each.
_reads_only() {
	SF_AS=$AS sf_probe EACCES -p "$1" -- touch "$D/created-$1"
	assert_not_exist "$D/created-$1"
	SF_AS=$AS sf_probe EACCES -p "$1" --allow=mkdir,mkdirat -- mkdir "$D/dir-$1"
	assert_not_exist "$D/dir-$1"
	SF_AS=$AS sf_probe OK -p default -- touch "$D/created-$1"
	SF_AS=$AS sf_probe OK -p "$1" -- open "$D/created-$1"
	_setid_refused "$1"
}

# ---- convert (ImageMagick) -----------------------------------------------

# On some machines another "convert" comes first on PATH (apps_setup_file
# puts /usr/bin first): ImageMagick's is /usr/bin/convert.
_convert_work() {
	_png "$D/in.png"
	run -0 --separate-stderr sf /usr/bin/convert "$D/in.png" -resize 12x12 -rotate 90 "$D/out.jpg"
	run -0 file -b "$D/out.jpg"
	assert_output --regexp '^JPEG image data, .*, 12x12, components [13]$'
	run -0 --separate-stderr sf /usr/bin/convert "$D/out.jpg" -compress lzw "$D/out.tif"
	run -0 file -b "$D/out.tif"
	assert_output --partial 'TIFF image data'
	# stdin to stdout.
	sf /usr/bin/convert png:- -scale 400% gif:- <"$D/in.png" >"$D/stdout.gif"
	run -0 file -b "$D/stdout.gif"
	assert_output 'GIF image data, version 89a, 4 x 4'
}

@test "convert resizes and rotates a PNG into a JPEG, a TIFF, and a GIF from stdin to stdout" {
	require_program /usr/bin/convert imagemagick
	as_each _convert_work
	# Debian's other names of the same program get the same rules.
	local name
	for name in convert-im6.q16 convert-im6; do
		run -0 --separate-stderr "$SYSFENCE" --explain -- "/usr/bin/$name"
		assert_line --regexp "^# files read: .*/$name\.ini .*/convert\.ini .*/default\.ini$"
	done
}

# A delegate is a shell command from delegates.xml; MAGICK_CONFIGURE_PATH
# adds one here for the made-up format "sfmark": it leaves a marker and
# copies the input as the decoded image. Unconfined it runs; under
# convert.ini /bin/sh cannot start, so nothing is decoded.
_convert_delegate() {
	_png "$D/in.png"
	who mkdir "$D/cfg"
	who sh -c 'printf "<delegatemap>\n  <delegate decode=\"sfmark\" command=\"&quot;touch&quot; &quot;%s&quot;; &quot;cp&quot; &quot;%%i&quot; &quot;%%o&quot;\"/>\n</delegatemap>\n" "$2" >"$1"' \
		sh "$D/cfg/delegates.xml" "$D/ran"
	MAGICK_CONFIGURE_PATH="$D/cfg" run -0 --separate-stderr who /usr/bin/convert "sfmark:$D/in.png" "$D/plain.gif"
	assert_file_exists "$D/ran"
	assert_file_exists "$D/plain.gif"
	who rm "$D/ran"
	MAGICK_CONFIGURE_PATH="$D/cfg" run -1 --separate-stderr sf /usr/bin/convert "sfmark:$D/in.png" "$D/out.gif"
	assert_stderr_contains 'no images defined'
	assert_not_exist "$D/ran"
	assert_not_exist "$D/out.gif"
}

@test "convert runs no delegate: a delegates.xml command starts nothing" {
	require_program /usr/bin/convert imagemagick
	as_each _convert_delegate
}

@test "convert: no socket, no fork, no chmod or chown, no set-id file" {
	_converter_refusals convert
}

# ---- gs (Ghostscript) ----------------------------------------------------

_gs_work() {
	_ps "$D/doc.ps" sandboxedword
	run -0 --separate-stderr sf gs -q -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -sOutputFile="$D/doc.pdf" "$D/doc.ps"
	run -0 --separate-stderr sf pdftotext "$D/doc.pdf" -
	assert_line sandboxedword
	# The PDF it wrote, read back and rendered at 36 dpi.
	run -0 --separate-stderr sf gs -q -dBATCH -dNOPAUSE -sDEVICE=png16m -r36 -sOutputFile="$D/page.png" "$D/doc.pdf"
	run -0 file -b "$D/page.png"
	assert_output --partial 'PNG image data, 306 x 396, 8-bit/color RGB'
}

@test "gs turns PostScript into a PDF (its text read back) and renders the PDF to a PNG" {
	require_program gs ghostscript
	as_each _gs_work
}

# -dNOSAFER lets PostScript open "%pipe%COMMAND" (popen): unconfined the
# command runs; under gs.ini it cannot start, whether the pipe is named by
# the document or by -sOutputFile. -dSAFER, the default, refuses it in gs
# itself: this is the kernel's answer when that check is bypassed.
_gs_pipe() {
	who sh -c 'printf "%%!PS\n(%%pipe%%touch %s) (w) file closefile\n" "$2" >"$1"' sh "$D/pipe.ps" "$D/ran"
	run -0 --separate-stderr who gs -q -dBATCH -dNOPAUSE -dNOSAFER -sDEVICE=nullpage "$D/pipe.ps"
	assert_file_exists "$D/ran"
	who rm "$D/ran"
	run -1 --separate-stderr sf gs -q -dBATCH -dNOPAUSE -dNOSAFER -sDEVICE=nullpage "$D/pipe.ps"
	assert_output --partial 'Error: /ioerror in --file--'
	assert_not_exist "$D/ran"
	_ps "$D/doc.ps" word
	run -1 --separate-stderr sf gs -q -dBATCH -dNOPAUSE -dNOSAFER -sDEVICE=png16m "-sOutputFile=%pipe%cat >$D/piped.png" "$D/doc.ps"
	assert_stderr_contains 'Could not open the file'
	assert_not_exist "$D/piped.png"
}

@test "gs: %pipe% starts nothing, from a document or as the output, even with -dNOSAFER" {
	require_program gs ghostscript
	as_each _gs_pipe
}

@test "gs: no socket, no fork, no chmod or chown, no set-id file" {
	_converter_refusals gs
}

# ---- pdftoppm ------------------------------------------------------------

_pdftoppm_work() {
	_pdf "$D/doc.pdf" hello
	run -0 --separate-stderr sf pdftoppm -png -r 36 "$D/doc.pdf" "$D/page"
	run -0 file -b "$D/page-1.png"
	assert_output --partial 'PNG image data, 306 x 396, 8-bit/color RGB'
	# No prefix: one PPM to stdout.
	sf pdftoppm -r 9 -singlefile "$D/doc.pdf" >"$D/stdout.ppm"
	run -0 file -b "$D/stdout.ppm"
	assert_output 'Netpbm image data, size = 77 x 99, rawbits, pixmap'
}

@test "pdftoppm renders a hand-written PDF to a PNG file and a PPM on stdout" {
	require_program pdftoppm poppler-utils
	as_each _pdftoppm_work
}

@test "pdftoppm: no socket, no fork, no chmod or chown, no set-id file" {
	_converter_refusals pdftoppm
}

# ---- sox -----------------------------------------------------------------

# A generated tone to WAV, WAV to FLAC and back: the samples are the same.
_sox_work() {
	run -0 --separate-stderr sf sox -n -r 8000 -b 16 "$D/tone.wav" synth 0.5 sine 440
	run -0 --separate-stderr sf sox "$D/tone.wav" "$D/tone.flac"
	run -0 --separate-stderr sf sox "$D/tone.flac" "$D/back.wav"
	run -0 file -b "$D/tone.flac"
	assert_output --regexp '^FLAC audio bitstream data, 16 bit, mono, .*4000 samples$'
	run -0 --separate-stderr sf sox "$D/back.wav" -t raw "$D/back.raw"
	run -0 --separate-stderr sf sox "$D/tone.wav" -t raw "$D/tone.raw"
	[ "$(stat -c %s "$D/tone.raw")" -eq 8000 ]
	[ "$(sha "$D/back.raw")" = "$(sha "$D/tone.raw")" ]
}

@test "sox makes a tone and carries it from WAV to FLAC and back, sample for sample" {
	require_program sox sox
	as_each _sox_work
}

# A file name that starts with "|" is a shell command (popen): unconfined it
# runs, under sox.ini it cannot start.
_sox_pipe() {
	local cmd="|touch $D/ran; sox -n -t wav - synth 0.1 sine 300"
	run -0 --separate-stderr who sox "$cmd" "$D/plain.wav"
	assert_file_exists "$D/ran"
	who rm "$D/ran"
	run -2 --separate-stderr sf sox "$cmd" "$D/out.wav"
	assert_stderr_contains "can't open input pipe"
	assert_not_exist "$D/ran"
}

@test "sox: a \"|command\" input starts nothing" {
	require_program sox sox
	as_each _sox_pipe
}

@test "sox: no socket, no fork, no sound device ioctl, no chmod or chown, no set-id file" {
	_converter_refusals sox
	# SNDRV_CTL_IOCTL_PVERSION, ALSA's first call, on a bad descriptor:
	# the kernel answers EBADF under default; sox.ini stops it first.
	sf_probe ENOTTY -p sox -- raw ioctl -1 0x80045500 0
	sf_probe EBADF -p default -- raw ioctl -1 0x80045500 0
}

# ---- qpdf ----------------------------------------------------------------

_qpdf_work() {
	_pdf "$D/doc.pdf" quietword
	run -0 --separate-stderr sf qpdf --linearize "$D/doc.pdf" "$D/lin.pdf"
	run -0 --separate-stderr sf qpdf --check-linearization "$D/lin.pdf"
	assert_output "$D/lin.pdf: no linearization errors"
	# An encryption round trip, the second step in place (temporary file,
	# two renames, an unlink).
	run -0 --separate-stderr sf qpdf --encrypt upw opw 256 -- "$D/lin.pdf" "$D/enc.pdf"
	run -0 --separate-stderr sf qpdf --show-encryption --password=upw "$D/enc.pdf"
	assert_output --partial 'R = 6'
	who cp "$D/enc.pdf" "$D/dec.pdf"
	run -0 --separate-stderr sf qpdf --password=upw --decrypt --replace-input "$D/dec.pdf"
	run -0 --separate-stderr sf qpdf --check "$D/dec.pdf"
	assert_output --partial 'File is not encrypted'
	run -0 --separate-stderr sf pdftotext "$D/dec.pdf" -
	assert_line quietword
}

@test "qpdf linearizes a PDF, encrypts it, decrypts it in place; the text survives" {
	require_program qpdf qpdf
	as_each _qpdf_work
}

@test "qpdf: no socket, no fork, no chmod or chown, no set-id file" {
	_converter_refusals qpdf
}

# ---- xmllint -------------------------------------------------------------

_xmllint_work() {
	who sh -c 'printf "<?xml version=\"1.0\"?>\n<!DOCTYPE notes [<!ELEMENT notes (note+)><!ELEMENT note (#PCDATA)><!ATTLIST note id CDATA #REQUIRED>]>\n<notes><note id=\"a\">first</note><note id=\"b\">second</note></notes>\n" >"$1"' sh "$D/notes.xml"
	who sh -c 'printf "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"n\" type=\"xs:integer\"/></xs:schema>\n" >"$1"; echo "<n>42</n>" >"$2"; echo "<n>forty-two</n>" >"$3"' \
		sh "$D/n.xsd" "$D/good.xml" "$D/bad.xml"
	run -0 --separate-stderr sf xmllint --valid --noout "$D/notes.xml"
	run -0 --separate-stderr sf xmllint --xpath 'string(/notes/note[@id="b"])' "$D/notes.xml"
	assert_output second
	run -0 --separate-stderr sf xmllint --format - <"$D/notes.xml"
	assert_line '  <note id="a">first</note>'
	run -0 --separate-stderr sf xmllint --noout --schema "$D/n.xsd" "$D/good.xml"
	run -3 --separate-stderr sf xmllint --noout --schema "$D/n.xsd" "$D/bad.xml"
	assert_stderr_contains 'is not a valid value'
	# --output writes a file: refused (redirect stdout instead).
	run -6 --separate-stderr sf xmllint --format --output "$D/out.xml" "$D/notes.xml"
	assert_stderr_contains 'I/O error : Permission denied'
	assert_not_exist "$D/out.xml"
}

@test "xmllint validates against a DTD and an XML Schema, queries, formats; --output is refused" {
	require_program xmllint libxml2-utils
	as_each _xmllint_work
}

@test "xmllint: no socket, no fork, no file created (filter and Landlock), no set-id file" {
	probe_may_run xmllint
	_offline xmllint
	refused_fork xmllint
	as_each _reads_only xmllint
}

# ---- tiffinfo ------------------------------------------------------------

_tiffinfo_work() {
	who /usr/bin/convert -size 16x8 gradient:white-black -compress lzw "$D/g.tif"
	run -0 --separate-stderr sf tiffinfo -D "$D/g.tif"
	assert_output --partial 'Image Width: 16 Image Length: 8'
	assert_output --partial 'Compression Scheme: LZW'
	run -1 --separate-stderr sf tiffinfo "$D/g.tif.missing"
	assert_stderr_contains 'No such file or directory'
}

@test "tiffinfo reads and decodes an LZW TIFF" {
	require_program tiffinfo libtiff-tools
	require_program /usr/bin/convert imagemagick
	as_each _tiffinfo_work
}

@test "tiffinfo: no socket, no fork, no file created (filter and Landlock), no set-id file" {
	probe_may_run tiffinfo
	_offline tiffinfo
	refused_fork tiffinfo
	as_each _reads_only tiffinfo
}
