# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for sysfence(1)                          -*- shell-script -*-
#
# Profile, group and syscall names come from the sysfence being completed
# (the command word as typed), through its --list and --list-groups output,
# so they follow $SYSFENCE_PROFILE_PATH and the installed profiles. After
# "--", or after the first word that is not an option, the program's own
# completion takes over.

# Options that take a value in the next word (or after "="). --learn takes
# its file only after "=": a word after a bare --learn is PROGRAM.
_sysfence_value_opts='--profile --allow --deny --kill --default-action --caps-keep --caps-drop --export --output'
_sysfence_value_opts+=' --set --protocol --caps.keep --caps.drop --rlimit-as --rlimit-cpu --rlimit-fsize'
_sysfence_value_opts+=' --rlimit-nofile --rlimit-nproc --rlimit-sigpending --env --dir --net --read-only --read-write --blacklist'
_sysfence_all_opts='--profile= --allow= --deny= --kill= --default-action= --caps-keep= --caps-drop=
	--verbose --quiet --check --explain --export= --output= --learn= --report --permissive --list --list-groups --precompile
	--link --unlink --dir=
	--help --version -p -v -q -o -h -V
	--set= --protocol= --caps.keep= --caps.drop= --nonewprivs --rlimit-as= --rlimit-cpu= --rlimit-fsize=
	--rlimit-nofile= --rlimit-nproc= --rlimit-sigpending= --env=
	--private-tmp --private-dev --net= --read-only= --read-write= --blacklist='

_sysfence_profiles()
{
	"$1" --list 2>/dev/null | awk '/^[^ \t]/ { print $1 }' | sort -u
}

_sysfence_groups()
{
	"$1" --list-groups 2>/dev/null | awk '/^@/ { print $1 }'
}

# Every syscall named in the group library (@known holds them all).
_sysfence_syscalls()
{
	"$1" --list-groups 2>/dev/null |
		awk '/^[ \t]/ { for (i = 1; i <= NF; i++) if ($i !~ /^@/) print $i }' | sort -u
}

_sysfence_caps()
{
	printf '%s\n' all chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap \
		linux_immutable net_bind_service net_broadcast net_admin net_raw ipc_lock ipc_owner \
		sys_module sys_rawio sys_chroot sys_ptrace sys_pacct sys_admin sys_boot sys_nice \
		sys_resource sys_time sys_tty_config mknod lease audit_write audit_control setfcap \
		mac_override mac_admin syslog wake_alarm block_suspend audit_read perfmon bpf \
		checkpoint_restore
}

# --set: SECTION.KEY= for every key of sysfence.profile(5) (and a few
# errno names as [seccomp] actions).
_sysfence_set_keys()
{
	printf '%s\n' profile.description= seccomp.default-action= seccomp.architectures= \
		seccomp.allow= seccomp.deny= seccomp.kill= seccomp.kill-thread= seccomp.log= seccomp.trap= \
		seccomp.EPERM= seccomp.EACCES= seccomp.ENOSYS= capabilities.keep= capabilities.drop= \
		capabilities.user= capabilities.group= process.no-new-privs= process.new-session= \
		process.die-with-parent= process.close-fds= process.umask= process.chdir= process.env-clear= \
		process.env-keep= process.env-set= limits.as= limits.core= limits.cpu= limits.data= \
		limits.fsize= limits.locks= limits.memlock= limits.msgqueue= limits.nice= limits.nofile= \
		limits.nproc= limits.rss= limits.rtprio= limits.rttime= limits.sigpending= limits.stack= \
		filesystem.read-only= filesystem.read-write= filesystem.execute= filesystem.landlock= \
		network.families= network.connect-tcp= network.bind-tcp= \
		sandbox.restrict-suid-sgid= sandbox.isolate-signals= sandbox.isolate-abstract-sockets= sandbox.private-tmp= sandbox.private-devices= sandbox.private-network= sandbox.protect-system= sandbox.protect-home= sandbox.protect-kernel-tunables= sandbox.protect-control-groups= sandbox.read-only-paths= sandbox.read-write-paths= sandbox.inaccessible-paths= sandbox.namespaces=
}

_sysfence_families()
{
	printf '%s\n' unix inet inet6 netlink packet bluetooth can vsock alg
}

_sysfence_actions()
{
	printf '%s\n' allow log trap kill kill-thread deny EPERM EACCES ENOSYS EINVAL ENOENT \
		EROFS ENOTSUP EOPNOTSUPP EAFNOSUPPORT ENOTTY EIO EFAULT EBADF
}

# The COMP_WORDS index where PROGRAM starts, or nothing while options go on.
# COMP_WORDS is split at COMP_WORDBREAKS ("--allow", "=@", "ne"); words that
# touch in COMP_LINE are one shell word, so they are joined first.
_sysfence_program_index()
{
	local -a shell_words=() first_raw=()
	local pos=0 i n=-1 w skipped
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		skipped=0
		if [[ -z $w ]]; then
			# The empty word at the cursor: a word of its own after a blank.
			[[ ${COMP_LINE:pos:1} == [[:space:]] ]] && skipped=1
		fi
		while [[ ${COMP_LINE:pos} != "$w"* && pos -lt ${#COMP_LINE} ]]; do
			((pos++))
			skipped=1
		done
		if ((i == 0 || skipped)); then
			((n++))
			shell_words[n]=$w
			first_raw[n]=$i
		else
			shell_words[n]+=$w
		fi
		((pos += ${#w}))
		((i == COMP_CWORD)) && break
	done

	# Up to the word being completed (shell_words[n]): a word starting
	# with "-" there is an option being typed, not PROGRAM.
	local rest pre
	for ((i = 1; i <= n; i++)); do
		w=${shell_words[i]}
		if ((i == n)); then
			[[ $w != -* ]] && echo "${first_raw[i]}"
			return
		fi
		if [[ $w == -- ]]; then
			((i + 1 <= n)) && echo "${first_raw[i + 1]}"
			return
		fi
		case $w in
		--*=*) ;;
		--*)
			[[ " $_sysfence_value_opts " == *" $w "* ]] && ((i++))
			;;
		-?*)
			# A cluster such as -vq, -pNAME or -vp NAME: -p and -o take
			# the rest of the word, or the next word when nothing is left.
			rest=${w#-}
			pre=${rest%%[po]*}
			[[ $pre != "$rest" && ${#pre} -eq $((${#rest} - 1)) ]] && ((i++))
			;;
		*)
			echo "${first_raw[i]}"
			return
			;;
		esac
	done
}

_sysfence()
{
	local cur prev words cword split
	_init_completion -s -n =@ || return

	local start
	start=$(_sysfence_program_index)
	if [[ -n $start ]] && ((start <= COMP_CWORD)); then
		_command_offset "$start"
		return
	fi

	local self=${words[0]}
	local -a cands=()
	local list_prefix= item=$cur
	case $prev in
	-p | --profile)
		if [[ $cur == */* || $cur == .* ]]; then
			_filedir ini
			return
		fi
		mapfile -t cands < <(_sysfence_profiles "$self")
		;;
	--allow | --deny | --kill)
		[[ $cur == *,* ]] && list_prefix=${cur%,*},
		item=${cur##*,}
		if [[ $item == @* ]]; then
			mapfile -t cands < <(_sysfence_groups "$self")
		else
			mapfile -t cands < <(_sysfence_syscalls "$self"; _sysfence_groups "$self")
		fi
		;;
	--caps-keep | --caps-drop | --caps.keep | --caps.drop)
		[[ $cur == *,* ]] && list_prefix=${cur%,*},
		item=${cur##*,}
		mapfile -t cands < <(_sysfence_caps)
		;;
	--default-action)
		mapfile -t cands < <(_sysfence_actions)
		;;
	--set)
		mapfile -t cands < <(_sysfence_set_keys)
		compopt -o nospace
		;;
	--protocol)
		[[ $cur == *,* ]] && list_prefix=${cur%,*},
		item=${cur##*,}
		mapfile -t cands < <(_sysfence_families)
		;;
	--export)
		cands=(bpf pfc oci systemd)
		;;
	-o | --output | --learn)
		_filedir
		return
		;;
	*)
		if [[ $cur == -* ]]; then
			# shellcheck disable=SC2207
			COMPREPLY=($(compgen -W "$_sysfence_all_opts" -- "$cur"))
			[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
			return
		fi
		# The first word that is not an option is PROGRAM.
		_command_offset "$COMP_CWORD"
		return
		;;
	esac

	local c
	COMPREPLY=()
	for c in "${cands[@]}"; do
		[[ $c == "$item"* ]] && COMPREPLY+=("$list_prefix$c")
	done

	# Readline replaces only the text after the last COMP_WORDBREAKS
	# character (here "@" or "="): drop what comes before it.
	local before=${COMP_LINE:0:COMP_POINT}
	local rltext=${before##*["$COMP_WORDBREAKS"]}
	if ((${#rltext} < ${#cur})); then
		local lead=${cur:0:${#cur}-${#rltext}} i
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$lead"}
		done
	fi
} &&
	complete -F _sysfence sysfence

# ex: filetype=sh
