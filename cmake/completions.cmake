# SPDX-License-Identifier: GPL-2.0-or-later
# Shell completions, installed where each shell looks for them. pkg-config
# tells where bash-completion and fish want them when it can; that answer is
# made relative to the package's own prefix, so that it follows
# CMAKE_INSTALL_PREFIX (/usr: exactly where the shell looks; /usr/local:
# the same layout there, which bash-completion and fish also search through
# XDG_DATA_DIRS). The results are cache entries a packager can override.

function(sysfence_completion_dir pkg fallback ret)
	pkg_get_variable(dir ${pkg} completionsdir)
	pkg_get_variable(prefix ${pkg} prefix)
	if(dir AND prefix AND dir MATCHES "^${prefix}/")
		string(REGEX REPLACE "^${prefix}/" "" dir "${dir}")
	elseif(NOT dir)
		set(dir ${fallback})
	endif()
	set(${ret} ${dir} PARENT_SCOPE)
endfunction()

sysfence_completion_dir(bash-completion ${CMAKE_INSTALL_DATADIR}/bash-completion/completions _sysfence_bash_dir)
sysfence_completion_dir(fish ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d _sysfence_fish_dir)
# Debian's zsh reads vendor-completions; other distributions site-functions.
if(EXISTS /etc/debian_version)
	set(_sysfence_zsh_dir ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
else()
	set(_sysfence_zsh_dir ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
endif()

set(SYSFENCE_BASH_COMPLETION_DIR ${_sysfence_bash_dir} CACHE STRING "Where bash completions are installed")
set(SYSFENCE_ZSH_COMPLETION_DIR ${_sysfence_zsh_dir} CACHE STRING "Where zsh completions are installed")
set(SYSFENCE_FISH_COMPLETION_DIR ${_sysfence_fish_dir} CACHE STRING "Where fish completions are installed")

install(FILES ${CMAKE_SOURCE_DIR}/completions/sysfence.bash
	DESTINATION ${SYSFENCE_BASH_COMPLETION_DIR} RENAME sysfence)
install(FILES ${CMAKE_SOURCE_DIR}/completions/_sysfence DESTINATION ${SYSFENCE_ZSH_COMPLETION_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/completions/sysfence.fish DESTINATION ${SYSFENCE_FISH_COMPLETION_DIR})
