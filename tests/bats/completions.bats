#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash, zsh and fish completions, driven through each shell's own
# completion machinery: bash by calling _sysfence with COMP_WORDS split as
# readline splits them, zsh through a pseudo-terminal (zpty) with compinit
# loaded, fish with "complete -C". Names come from the built sysfence
# (first on PATH) and the test's profile path. Last: --help, sysfence(1)
# and the three completions name the same options.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	sf_setup_file
	COMPDIR="$SRC/completions"
	export COMPDIR
	# A command with a completion of its own in each shell, to see that
	# the program's arguments are delegated to it.
	cat >"$SF_TMP/bash-complete" <<-'EOF'
	# usage: bash bash-complete COMPDIR LINE (cursor at the end of LINE)
	source /usr/share/bash-completion/bash_completion
	COMP_WORDBREAKS=$' \t\n"\'@><=;|&(:'	# bash's default, after any loaded completion changed it
	source "$1/sysfence.bash"
	complete -W "alpha beta" sftarget
	COMP_LINE=$2
	COMP_POINT=${#COMP_LINE}
	COMP_WORDS=()
	# As readline does: blanks separate words, and a run of
	# COMP_WORDBREAKS characters is a word of its own.
	for tok in $COMP_LINE; do
		while [[ -n $tok ]]; do
			[[ $tok =~ ^([=@:]+)(.*)$ || $tok =~ ^([^=@:]+)(.*)$ ]]
			COMP_WORDS+=("${BASH_REMATCH[1]}")
			tok=${BASH_REMATCH[2]}
		done
	done
	[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_sysfence sysfence "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}"
	EOF
	cat >"$SF_TMP/zsh-complete" <<-'EOF'
	# usage: zsh -f zsh-complete COMPDIR LINE
	# Types LINE and TAB into an interactive zsh in a pseudo-terminal, with
	# compinit loaded, and prints every match the completion added.
	zmodload zsh/zpty || exit 2
	compdir=$1 line=$2
	tmp=$(mktemp -d) || exit 2
	mkfifo $tmp/done || exit 2
	zpty sfz zsh -f -i || exit 2
	zpty -w sfz "PS1='> '; fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -D
	_sftarget() { compadd alpha beta }; compdef _sftarget sftarget
	typeset -ga _sf_hits
	compadd() {
		if (( \${@[(I)-[OAD]*]} )); then builtin compadd \"\$@\"; return; fi
		local -a _h; builtin compadd -O _h \"\$@\"; _sf_hits+=(\"\${_h[@]}\"); builtin compadd \"\$@\"
	}
	_sf_done() { print -rl -- \${(u)_sf_hits} > ${(q)tmp}/hits; print done > ${(q)tmp}/done }
	_sf_complete() { _sf_hits=(); comppostfuncs=(_sf_done); _main_complete }
	zle -C sf-complete complete-word _sf_complete
	bindkey '^I' sf-complete"
	zpty -w -n sfz "$line"$'\t'
	if read -t 30 ok < $tmp/done; then
		cat $tmp/hits
		st=0
	else
		print -u2 "zsh completion gave no answer for: $line"
		st=1
	fi
	zpty -d sfz
	rm -rf $tmp
	exit $st
	EOF
}

teardown_file() {
	sf_teardown_file
}

setup() {
	sf_setup
	PATH="$SF_TMP/bin:$PATH"
	[ "$(command -v sysfence)" = "$SYSFENCE" ]
}

# Candidates, one per line, for LINE in each shell.
comp_bash() {
	bash "$SF_TMP/bash-complete" "$COMPDIR" "$1"
}

comp_zsh() {
	command -v zsh >/dev/null || skip "zsh is not installed"
	zsh -f "$SF_TMP/zsh-complete" "$COMPDIR" "$1"
}

comp_fish() {
	command -v fish >/dev/null || skip "fish is not installed"
	fish --no-config -c "source \$argv[1]; complete -c sftarget -f -a 'alpha beta'; complete -C \$argv[2]" \
		"$COMPDIR/sysfence.fish" "$1" | cut -f1
}

@test "bash: options, profile names, export formats, groups after @, syscall lists" {
	run -0 comp_bash 'sysfence --prof'
	assert_output '--profile='
	run -0 comp_bash 'sysfence --profile '
	assert_line default
	assert_line strict
	refute_line groups
	run -0 comp_bash 'sysfence -p st'
	assert_output strict
	run -0 comp_bash 'sysfence --export='
	assert_output "$(printf '%s\n' bpf pfc oci systemd)"
	# Readline replaces only the text after "@": the candidate is the rest.
	run -0 comp_bash 'sysfence --allow=@network'
	assert_output network-io
	run -0 comp_bash 'sysfence --deny @priv'
	assert_output privileged
	run -0 comp_bash 'sysfence --kill=read,ptr'
	assert_output read,ptrace
	run -0 comp_bash 'sysfence --allow='
	assert_line openat
	assert_line @system-service
	run -0 comp_bash 'sysfence --caps-keep=net_bind'
	assert_output net_bind_service
	run -0 comp_bash 'sysfence --default-action=kil'
	assert_output "$(printf '%s\n' kill kill-thread)"
	run -0 comp_bash 'sysfence --set=limits.nof'
	assert_output limits.nofile=
	run -0 comp_bash 'sysfence --set process.env-s'
	assert_output process.env-set=
	run -0 comp_bash 'sysfence --protocol=unix,ine'
	assert_output "$(printf '%s\n' unix,inet unix,inet6)"
	run -0 comp_bash 'sysfence --caps.drop=al'
	assert_output all
	run -0 comp_bash 'sysfence --rlimit-nof'
	assert_output --rlimit-nofile=
}

@test "bash: the program and its arguments go to the program's own completion" {
	run -0 comp_bash 'sysfence -- sftarget al'
	assert_output alpha
	run -0 comp_bash 'sysfence -p default --allow=@aio -v sftarget b'
	assert_output beta
	run -0 comp_bash 'sysfence -vp default sftarget '
	assert_output "$(printf '%s\n' alpha beta)"
	run -0 comp_bash 'sysfence -- tru'
	assert_line true
	run -0 comp_bash 'sysfence -p default tru'
	assert_line true
}

@test "zsh: options, profile names, export formats, groups after @, syscall lists" {
	run -0 comp_zsh 'sysfence --prof'
	assert_output '--profile'
	run -0 comp_zsh 'sysfence --profile '
	assert_line default
	assert_line strict
	refute_line groups
	run -0 comp_zsh 'sysfence --export='
	assert_output "$(printf '%s\n' bpf pfc oci systemd)"
	run -0 comp_zsh 'sysfence --allow=@network'
	assert_output @network-io
	run -0 comp_zsh 'sysfence --kill=read,ptr'
	assert_output ptrace
	run -0 comp_zsh 'sysfence --caps-drop=net_bind'
	assert_output net_bind_service
	run -0 comp_zsh 'sysfence --set=limits.nof'
	assert_output limits.nofile=
	run -0 comp_zsh 'sysfence --caps.keep=net_bind'
	assert_output net_bind_service
}

@test "zsh: the program and its arguments go to the program's own completion" {
	run -0 comp_zsh 'sysfence -- sftarget al'
	assert_output alpha
	run -0 comp_zsh 'sysfence -vp default sftarget '
	assert_output "$(printf '%s\n' alpha beta)"
	run -0 comp_zsh 'sysfence -- tru'
	assert_line true
}

@test "fish: options, profile names, export formats, groups after @, syscall lists" {
	run -0 comp_fish 'sysfence --prof'
	assert_output '--profile'
	run -0 comp_fish 'sysfence --profile '
	assert_line default
	assert_line strict
	refute_line groups
	run -0 comp_fish 'sysfence --export='
	assert_output "$(printf -- '--export=%s\n' bpf oci pfc systemd)"
	run -0 comp_fish 'sysfence --allow=@network'
	assert_output --allow=@network-io
	run -0 comp_fish 'sysfence --kill=read,ptr'
	assert_output --kill=read,ptrace
	run -0 comp_fish 'sysfence --caps-drop=net_bind'
	assert_output --caps-drop=net_bind_service
	run -0 comp_fish 'sysfence --set=limits.nof'
	assert_output --set=limits.nofile=
	run -0 comp_fish 'sysfence --caps.keep=net_bind'
	assert_output --caps.keep=net_bind_service
	run -0 comp_fish 'sysfence --protocol=unix,ine'
	assert_output "$(printf -- '--protocol=%s\n' unix,inet unix,inet6)"
}

@test "fish: the program and its arguments go to the program's own completion" {
	run -0 comp_fish 'sysfence -- sftarget al'
	assert_output alpha
	run -0 comp_fish 'sysfence -vp default sftarget '
	assert_output "$(printf '%s\n' alpha beta)"
	run -0 comp_fish 'sysfence tru'
	assert_line true
}

# Options, one per line, sorted: every "-x" and "--long" word in the text.
option_set() {
	grep -oE -- '(^|[^a-zA-Z-])--?[a-zA-Z][a-zA-Z-]*' | grep -oE -- '--?[a-zA-Z][a-zA-Z-]*' | LC_ALL=C sort -u
}

@test "--help, sysfence(1) and the bash, zsh and fish completions name the same options" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	command -v fish >/dev/null || skip "fish is not installed"
	local help man marked offered b z f
	# --help: the first column of the option lines.
	help=$("$SYSFENCE" --help | awk -F'  +' '/^ +-/ { print $2 }' | option_set)
	# sysfence(1): the entry lines of OPTIONS ("*-p*, *--profile*=..."),
	# and those whose description says the build does not offer them.
	man=$(sed -n '/^# OPTIONS/,/^# /p' "$SRC/docs/sysfence.1.scd" | grep '^\*-' | option_set)
	marked=$(sed -n '/^# OPTIONS/,/^# /p' "$SRC/docs/sysfence.1.scd" |
		awk '/^\*-/ { entry = $0; next } /^\t\*Not offered by this build yet\.\*/ { print entry }' | option_set)
	offered=$(comm -23 <(echo "$man") <(echo "$marked"))
	b=$(comp_bash 'sysfence -' | sed 's/=$//' | option_set)
	z=$(comp_zsh 'sysfence -' | option_set)
	f=$( (comp_fish 'sysfence -'; comp_fish 'sysfence --') | option_set)

	[ -n "$help" ] && [ "$(echo "$help" | wc -l)" -ge 20 ]
	assert_equal "$man" "$b"
	assert_equal "$man" "$z"
	assert_equal "$man" "$f"
	# What the man page presents as available is exactly what --help offers;
	# an option --help lacks must be marked "Not offered by this build yet".
	assert_equal "$offered" "$help"
}
