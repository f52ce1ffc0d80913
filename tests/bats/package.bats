#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# bats file_tags=package,slow
#
# The Debian package: built from a copy of the tree with packaging/debian as
# ./debian, checked by lintian, installed with dpkg -i, used through the
# installed /usr/bin/sysfence and its installed profiles, then removed and
# purged without leaving a file behind. Also CPack's tarball. Skip the whole
# file with: bats --filter-tags '!package'.
#
# It changes the system (dpkg -i), so it needs root and refuses to touch a
# sysfence package that was already installed. Runs of it are serialised
# with a lock, as dpkg allows one at a time anyway.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	[ "$EUID" -eq 0 ] || skip "needs root (installs a package)"
	command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage is not installed (apt-get install dpkg-dev debhelper)"
	[ -n "${SRC:-}" ] || { echo "\$SRC is not set (run through ctest)" >&2; return 1; }
	if dpkg-query -W -f '${Status}' sysfence 2>/dev/null | grep -q 'installed'; then
		skip "a sysfence package is already installed; this test would replace it"
	fi

	sf_ensure_user
	PKG_TMP=$(mktemp -d /tmp/sysfence-package.XXXXXX)
	export PKG_TMP
	# The tree as git sees it, tracked and new files, without build
	# directories (.gitignore).
	mkdir "$PKG_TMP/src"
	git -C "$SRC" ls-files -co --exclude-standard -z |
		(cd "$SRC" && tar --null -T - -cf -) | tar -C "$PKG_TMP/src" -xf -
	cp -R "$PKG_TMP/src/packaging/debian" "$PKG_TMP/src/debian"
	(cd "$PKG_TMP/src" &&
		DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) \
		>"$PKG_TMP/build.log" 2>&1 ||
		{ tail -n 40 "$PKG_TMP/build.log" >&2; return 1; }
	DEB="$PKG_TMP/sysfence_$(dpkg-parsechangelog -l "$SRC/packaging/debian/changelog" -S Version)_$(dpkg --print-architecture).deb"
	export DEB
	[ -f "$DEB" ] || { echo "no $DEB" >&2; ls "$PKG_TMP" >&2; return 1; }
}

teardown_file() {
	if [ -n "${PKG_TMP:-}" ]; then
		# A failed test may leave the package installed.
		if [ -f "$PKG_TMP/installed-by-test" ]; then
			flock /run/lock/sysfence-package-test.lock dpkg -P sysfence >/dev/null 2>&1 || true
		fi
		rm -rf "$PKG_TMP"
	fi
}

# The files dpkg could have touched: a sorted list of paths.
snapshot() {
	find /usr /etc /var/lib/dpkg/info -xdev 2>/dev/null | LC_ALL=C sort
}

@test "the Debian package ships the binary, profiles, man pages, completions and example units" {
	run -0 dpkg-deb -c "$DEB"
	local f
	for f in ./usr/bin/sysfence \
		./usr/share/sysfence/profiles/default.ini ./usr/share/sysfence/profiles/groups.ini \
		./usr/share/man/man1/sysfence.1.gz ./usr/share/man/man5/sysfence.profile.5.gz \
		./usr/share/bash-completion/completions/sysfence \
		./usr/share/zsh/vendor-completions/_sysfence \
		./usr/share/fish/vendor_completions.d/sysfence.fish \
		./usr/share/doc/sysfence/examples/sysfence-demo-notify.service \
		./usr/share/doc/sysfence/examples/sysfence-demo-echo.socket \
		./usr/share/doc/sysfence/examples/sysfence-demo-echo@.service \
		./usr/share/doc/sysfence/copyright; do
		assert_output --partial " $f"
	done
	# Never set-id (sysfence(1)): the binary is 0755.
	assert_line --regexp '^-rwxr-xr-x root/root .* \./usr/bin/sysfence$'
}

@test "lintian reports no errors on the Debian package" {
	command -v lintian >/dev/null || skip "lintian is not installed"
	run -0 lintian --fail-on error "$PKG_TMP"/*.changes
	refute_output --regexp '^E: '
}

@test "dpkg -i installs a sysfence that runs a program with the installed profiles, and dpkg -r/-P leave nothing behind" {
	exec 9>/run/lock/sysfence-package-test.lock
	flock 9

	snapshot >"$PKG_TMP/before"
	touch "$PKG_TMP/installed-by-test"
	run -0 dpkg -i "$DEB"

	# No SYSFENCE_PROFILE_PATH, no user profiles: the installed binary
	# finds /usr/share/sysfence/profiles by itself.
	run -0 --separate-stderr env -i PATH=/usr/bin:/bin HOME=/nonexistent /usr/bin/sysfence -v -- ls /
	assert_line usr
	assert_line etc
	assert_stderr_contains 'sysfence: read /usr/share/sysfence/profiles/default.ini'
	# The post-installation script precompiled the shipped profiles, and
	# the run started from root's entry.
	assert_stderr_contains 'sysfence: precompiled policy /var/cache/sysfence/'
	[ "$(stat -c '%u %a' /var/cache/sysfence)" = "0 755" ]
	# The shipped default profile applies: a denied syscall is refused.
	run -1 --separate-stderr env -i PATH=/usr/bin:/bin HOME=/nonexistent /usr/bin/sysfence -- unshare -U true
	run -0 env -i PATH=/usr/bin:/bin HOME=/nonexistent /usr/bin/sysfence --list
	assert_line --regexp '^default +'
	assert_line --regexp '^ +/usr/share/sysfence/profiles/default\.ini$'
	# The same as an unprivileged user.
	run -0 --separate-stderr as_user env -i PATH=/usr/bin:/bin HOME=/nonexistent /usr/bin/sysfence -v -- ls /
	assert_line usr
	assert_stderr_contains 'sysfence: precompiled policy /var/cache/sysfence/'

	run -0 man -w sysfence
	assert_output /usr/share/man/man1/sysfence.1.gz
	run -0 man -w 5 sysfence.profile
	assert_output /usr/share/man/man5/sysfence.profile.5.gz

	# bash-completion finds the completion on demand, as in a new shell.
	run -0 bash -c 'source /usr/share/bash-completion/bash_completion && __load_completion sysfence && complete -p sysfence'
	assert_output 'complete -F _sysfence sysfence'

	run -0 dpkg -r sysfence
	assert_not_exist /var/cache/sysfence
	run -0 dpkg -P sysfence
	rm -f "$PKG_TMP/installed-by-test"
	run -1 dpkg-query -W -f '${Status}' sysfence
	snapshot >"$PKG_TMP/after"
	run -0 diff "$PKG_TMP/before" "$PKG_TMP/after"
	assert_output ''
}

@test "cpack -G TGZ packs the same layout as the install rules" {
	[ -f "${BUILD:-}/CPackConfig.cmake" ] || skip "no CPack configuration in \$BUILD"
	command -v cpack >/dev/null || skip "cpack is not installed"
	run -0 cpack -G TGZ --config "$BUILD/CPackConfig.cmake" -B "$PKG_TMP/cpack"
	local tgz
	tgz=$(ls "$PKG_TMP"/cpack/sysfence-*.tar.gz)
	run -0 tar -tzf "$tgz"
	assert_line --regexp '/bin/sysfence$'
	assert_line --regexp '/share/sysfence/profiles/groups\.ini$'
	assert_line --regexp '/share/man/man1/sysfence\.1$'
	assert_line --regexp '/share/man/man5/sysfence\.profile\.5$'
	assert_line --regexp '/share/bash-completion/completions/sysfence$'
	assert_line --regexp '/share/doc/sysfence/examples/sysfence-demo-notify\.service$'
}
