# SPDX-License-Identifier: GPL-2.0-or-later
# Symbolic constants for conditions (src/base/constants.c), generated from the
# system headers at build time by src/base/gen-constants.sh with the project's C
# compiler. The depfile lists every header the table was built from, so a
# header update regenerates it.
set(SYSFENCE_GEN_DIR ${CMAKE_BINARY_DIR}/generated)
set(SYSFENCE_CONSTANTS_C ${SYSFENCE_GEN_DIR}/constants-table.c)
set(SYSFENCE_CONSTANTS_H ${SYSFENCE_GEN_DIR}/constants-table.h)

find_program(SH_PROGRAM sh REQUIRED)
file(MAKE_DIRECTORY ${SYSFENCE_GEN_DIR})

add_custom_command(
	OUTPUT ${SYSFENCE_CONSTANTS_C} ${SYSFENCE_CONSTANTS_H}
	COMMAND ${SH_PROGRAM} ${CMAKE_SOURCE_DIR}/src/base/gen-constants.sh
		${CMAKE_C_COMPILER} ${SYSFENCE_GEN_DIR} ${SYSFENCE_GEN_DIR}/constants-table.d
	DEPENDS ${CMAKE_SOURCE_DIR}/src/base/gen-constants.sh
	DEPFILE ${SYSFENCE_GEN_DIR}/constants-table.d
	COMMENT "Generating the constants table from the system headers"
	VERBATIM)

target_sources(sysfence_core PRIVATE ${SYSFENCE_CONSTANTS_C} ${SYSFENCE_CONSTANTS_H})
