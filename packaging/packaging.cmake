# SPDX-License-Identifier: GPL-2.0-or-later
# Example systemd units under share/doc/sysfence/examples, and CPack
# (cpack -G DEB, cpack -G TGZ). The Debian, RPM and Arch packages proper
# live in packaging/debian, packaging/rpm and packaging/arch.

# The services name the launcher where this build installs it
# (@SYSFENCE_BINARY@ in the .in files), so an install to another prefix
# gets units that point at it.
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
