# SPDX-License-Identifier: GPL-2.0-or-later
# Example systemd units under share/doc/sysfence/examples, and CPack
# (cpack -G DEB, cpack -G TGZ). The Debian, RPM and Arch packages proper
# live in packaging/debian, packaging/rpm and packaging/arch.

# The services name the launcher where it is installed (@SYSFENCE_BINARY@
# in the .in files), so an install to another prefix gets units that point
# at it. They are written at configure time into the build tree (for the
# tests) and again at install time, where "cmake --install --prefix" may
# name another prefix than the one configured.
set(SYSFENCE_BINARY ${CMAKE_INSTALL_FULL_BINDIR}/sysfence)
foreach(unit sysfence-demo-notify.service sysfence-demo-echo@.service)
	configure_file(${CMAKE_SOURCE_DIR}/packaging/systemd/${unit}.in
		${CMAKE_BINARY_DIR}/packaging/systemd/${unit} @ONLY)
endforeach()
configure_file(${CMAKE_SOURCE_DIR}/packaging/systemd/sysfence-demo-echo.socket
	${CMAKE_BINARY_DIR}/packaging/systemd/sysfence-demo-echo.socket COPYONLY)
install(FILES
	${CMAKE_BINARY_DIR}/packaging/systemd/sysfence-demo-notify.service
	${CMAKE_BINARY_DIR}/packaging/systemd/sysfence-demo-echo.socket
	${CMAKE_BINARY_DIR}/packaging/systemd/sysfence-demo-echo@.service
	DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
if(IS_ABSOLUTE "${CMAKE_INSTALL_BINDIR}")
	set(sysfence_bindir_at_install "${CMAKE_INSTALL_BINDIR}")
else()
	set(sysfence_bindir_at_install "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_DOCDIR}")
	set(sysfence_docdir_at_install "\$ENV{DESTDIR}${CMAKE_INSTALL_DOCDIR}")
else()
	set(sysfence_docdir_at_install "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}")
endif()
install(CODE "
	set(SYSFENCE_BINARY \"${sysfence_bindir_at_install}/sysfence\")
	foreach(unit sysfence-demo-notify.service sysfence-demo-echo@.service)
		configure_file(\"${CMAKE_SOURCE_DIR}/packaging/systemd/\${unit}.in\"
			\"${sysfence_docdir_at_install}/examples/\${unit}\" @ONLY)
	endforeach()
")

set(CPACK_PACKAGE_NAME sysfence)
set(CPACK_PACKAGE_VENDOR "sysfence developers")
set(CPACK_PACKAGE_CONTACT "sysfence developers <dev@sysfence.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_RPM_PACKAGE_LICENSE GPL-2.0-or-later)
set(CPACK_PACKAGE_FILE_NAME sysfence-${PROJECT_VERSION}-${CMAKE_SYSTEM_PROCESSOR})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")
include(CPack)
