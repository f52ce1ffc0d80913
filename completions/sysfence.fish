# fish completion for sysfence(1).
#
# Profile, group and syscall names come from the sysfence being completed
# (the command word as typed), through its --list and --list-groups output,
# so they follow $SYSFENCE_PROFILE_PATH and the installed profiles. After
# "--", or after the first word that is not an option, the program's own
# completion takes over (__fish_complete_subcommand).

# Succeeds while the options go on: no "--" yet and no PROGRAM yet.
function __sysfence_in_options
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case --
                return 1
            case '--*=*'
            case --profile --allow --deny --kill --default-action --caps-keep --caps-drop --export --output \
                --set --protocol --caps.keep --caps.drop --rlimit-as --rlimit-cpu --rlimit-fsize \
                --rlimit-nofile --rlimit-nproc --rlimit-sigpending --env --dir --net --read-only --read-write --blacklist
                set skip 1
            case '--*'
            case '-?*'
                # A cluster such as -vp NAME: -p and -o at its end take
                # the next word.
                if string match -qr -- '^-[^-po]*[po]$' $w
                    set skip 1
                end
            case '*'
                return 1
        end
    end
    return 0
end

function __sysfence_self
    set -l words (commandline -opc)
    echo $words[1]
end

function __sysfence_profiles
    set -l self (__sysfence_self)
    $self --list 2>/dev/null | string match -r '^[^ \t]\S*' | sort -u
end

function __sysfence_groups
    set -l self (__sysfence_self)
    $self --list-groups 2>/dev/null | string match -r '^@\S+'
end

# Syscall names (every name in the group library: @known holds them all)
# and @group names, completing the last item of a comma-separated list.
function __sysfence_rule_names
    set -l self (__sysfence_self)
    set -l token (commandline -ct | string replace -r '^--[a-z.-]+=' '')
    set -l prefix (string replace -r '[^,]*$' '' -- "$token")
    set -l text ($self --list-groups 2>/dev/null)
    for g in (string match -r '^@\S+' -- $text)
        echo $prefix$g
    end
    for s in (string match -r '^\s.*' -- $text | string split -n ' ' | string match -v '@*' | sort -u)
        echo $prefix$s
    end
end

function __sysfence_caps
    set -l token (commandline -ct | string replace -r '^--[a-z.-]+=' '')
    set -l prefix (string replace -r '[^,]*$' '' -- "$token")
    for c in all chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap \
            linux_immutable net_bind_service net_broadcast net_admin net_raw ipc_lock ipc_owner \
            sys_module sys_rawio sys_chroot sys_ptrace sys_pacct sys_admin sys_boot sys_nice \
            sys_resource sys_time sys_tty_config mknod lease audit_write audit_control setfcap \
            mac_override mac_admin syslog wake_alarm block_suspend audit_read perfmon bpf \
            checkpoint_restore
        echo $prefix$c
    end
end

# --set: SECTION.KEY= for every key of sysfence.profile(5).
function __sysfence_set_keys
    for k in profile.description= seccomp.default-action= seccomp.architectures= seccomp.allow= \
            seccomp.deny= seccomp.kill= seccomp.kill-thread= seccomp.log= seccomp.trap= \
            seccomp.EPERM= seccomp.EACCES= seccomp.ENOSYS= capabilities.keep= capabilities.drop= \
            capabilities.user= capabilities.group= process.no-new-privs= process.new-session= \
            process.die-with-parent= process.close-fds= process.umask= process.chdir= \
            process.env-clear= process.env-keep= process.env-set= limits.as= limits.core= \
            limits.cpu= limits.data= limits.fsize= limits.locks= limits.memlock= \
            limits.msgqueue= limits.nice= limits.nofile= limits.nproc= limits.rss= \
            limits.rtprio= limits.rttime= limits.sigpending= limits.stack= filesystem.read-only= \
            filesystem.read-write= filesystem.execute= filesystem.landlock= network.families= \
            network.connect-tcp= network.bind-tcp= \
            sandbox.restrict-suid-sgid= sandbox.isolate-signals= sandbox.isolate-abstract-sockets= sandbox.private-tmp= sandbox.private-devices= sandbox.private-network= sandbox.protect-system= sandbox.protect-home= sandbox.protect-kernel-tunables= sandbox.protect-control-groups= sandbox.read-only-paths= sandbox.read-write-paths= sandbox.inaccessible-paths= sandbox.namespaces=
        echo $k
    end
end

function __sysfence_families
    set -l token (commandline -ct | string replace -r '^--[a-z.-]+=' '')
    set -l prefix (string replace -r '[^,]*$' '' -- "$token")
    for f in unix inet inet6 netlink packet bluetooth can vsock alg
        echo $prefix$f
    end
end

# The program and its arguments: delegate to the program's own completion.
function __sysfence_complete_program
    # The token being completed stays an element even when it is empty.
    set -l cur (commandline -ct)
    set -l words (commandline -opc) "$cur"
    set -e words[1]
    set -l skip 0
    set -l i 0
    for w in $words
        set i (math $i + 1)
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case --
                __fish_complete_subcommand --commandline $words[(math $i + 1)..-1]
                return
            case '--*=*'
            case --profile --allow --deny --kill --default-action --caps-keep --caps-drop --export --output \
                --set --protocol --caps.keep --caps.drop --rlimit-as --rlimit-cpu --rlimit-fsize \
                --rlimit-nofile --rlimit-nproc --rlimit-sigpending --env --dir --net --read-only --read-write --blacklist
                set skip 1
            case '--*'
            case '-?*'
                # A cluster such as -vp NAME: -p and -o at its end take
                # the next word.
                if string match -qr -- '^-[^-po]*[po]$' $w
                    set skip 1
                end
            case '*'
                __fish_complete_subcommand --commandline $words[$i..-1]
                return
        end
    end
end

complete -c sysfence -f
complete -c sysfence -n 'not __sysfence_in_options' -a '(__sysfence_complete_program)'
complete -c sysfence -n __sysfence_in_options -a '(__fish_complete_command)'

complete -c sysfence -n __sysfence_in_options -s p -l profile -x -a '(__sysfence_profiles)' -d 'Profile to use'
complete -c sysfence -n __sysfence_in_options -l allow -x -a '(__sysfence_rule_names)' -d 'Also allow these syscalls or @groups'
complete -c sysfence -n __sysfence_in_options -l deny -x -a '(__sysfence_rule_names)' -d 'Also deny these syscalls or @groups with EPERM'
complete -c sysfence -n __sysfence_in_options -l kill -x -a '(__sysfence_rule_names)' -d 'Also kill the process when it makes these syscalls'
complete -c sysfence -n __sysfence_in_options -l default-action -x -a 'allow log trap kill kill-thread deny EPERM EACCES ENOSYS EINVAL ENOENT EROFS ENOTSUP EOPNOTSUPP EAFNOSUPPORT ENOTTY EIO EFAULT EBADF' -d 'Override the default action'
complete -c sysfence -n __sysfence_in_options -l caps-keep -x -a '(__sysfence_caps)' -d 'Keep only these capabilities'
complete -c sysfence -n __sysfence_in_options -l caps-drop -x -a '(__sysfence_caps)' -d 'Drop these capabilities'
complete -c sysfence -n __sysfence_in_options -l set -x -a '(__sysfence_set_keys)' -d 'Any profile line, as the last layer'
complete -c sysfence -n __sysfence_in_options -l protocol -x -a '(__sysfence_families)' -d '--set=network.families=LIST'
complete -c sysfence -n __sysfence_in_options -l caps.keep -x -a '(__sysfence_caps)' -d '--caps-keep=LIST'
complete -c sysfence -n __sysfence_in_options -l caps.drop -x -a '(__sysfence_caps)' -d '--caps-drop=LIST'
complete -c sysfence -n __sysfence_in_options -l nonewprivs -d '--set=process.no-new-privs=yes'
complete -c sysfence -n __sysfence_in_options -l private-tmp -d '--set=sandbox.private-tmp=yes'
complete -c sysfence -n __sysfence_in_options -l private-dev -d '--set=sandbox.private-devices=yes'
complete -c sysfence -n __sysfence_in_options -l net -x -a none -d '--set=sandbox.private-network=yes'
complete -c sysfence -n __sysfence_in_options -l read-only -r -F -d '--set=sandbox.read-only-paths=PATH'
complete -c sysfence -n __sysfence_in_options -l read-write -r -F -d '--set=sandbox.read-write-paths=PATH'
complete -c sysfence -n __sysfence_in_options -l blacklist -r -F -d '--set=sandbox.inaccessible-paths=PATH'
complete -c sysfence -n __sysfence_in_options -l rlimit-as -x -d '--set=limits.as=N'
complete -c sysfence -n __sysfence_in_options -l rlimit-cpu -x -d '--set=limits.cpu=N'
complete -c sysfence -n __sysfence_in_options -l rlimit-fsize -x -d '--set=limits.fsize=N'
complete -c sysfence -n __sysfence_in_options -l rlimit-nofile -x -d '--set=limits.nofile=N'
complete -c sysfence -n __sysfence_in_options -l rlimit-nproc -x -d '--set=limits.nproc=N'
complete -c sysfence -n __sysfence_in_options -l rlimit-sigpending -x -d '--set=limits.sigpending=N'
complete -c sysfence -n __sysfence_in_options -l env -x -d '--set=process.env-set=NAME=VALUE'
complete -c sysfence -n __sysfence_in_options -s v -l verbose -d 'Say which files were read and what will be applied'
complete -c sysfence -n __sysfence_in_options -s q -l quiet -d 'Print only errors'
complete -c sysfence -n __sysfence_in_options -l check -d 'Read and compile the profile, run nothing'
complete -c sysfence -n __sysfence_in_options -l explain -d 'Print the resolved policy'
complete -c sysfence -n __sysfence_in_options -l export -x -a 'bpf pfc oci systemd' -d 'Write the compiled policy'
complete -c sysfence -n __sysfence_in_options -s o -l output -r -F -d 'With --export, write to FILE'
complete -c sysfence -n __sysfence_in_options -l learn -r -F -d 'Record the syscalls made, write a profile'
complete -c sysfence -n __sysfence_in_options -l report -d 'Print each denied syscall as it happens'
complete -c sysfence -n __sysfence_in_options -l permissive -d 'With --report, let every denied call go on'
complete -c sysfence -n __sysfence_in_options -l list -d 'List the profiles on the search path'
complete -c sysfence -n __sysfence_in_options -l list-groups -d 'List the syscall groups and their members'
complete -c sysfence -n __sysfence_in_options -l precompile -d '(root) Store compiled policies for faster launches'
complete -c sysfence -n __sysfence_in_options -l link -d 'Link programs with a profile to sysfence, in DIR'
complete -c sysfence -n __sysfence_in_options -l unlink -d 'Remove those links from DIR'
complete -c sysfence -n __sysfence_in_options -l dir -x -a '(__fish_complete_directories)' -d 'With --link or --unlink, the directory of the links'
complete -c sysfence -n __sysfence_in_options -s h -l help -d 'Show the help'
complete -c sysfence -n __sysfence_in_options -s V -l version -d 'Show the version'
