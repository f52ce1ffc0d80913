/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text that a sandboxed program controls (paths, executable names,
 * arguments), made safe to print on a terminal. Pure. */
#pragma once

#include <stdio.h>

/* Write s to f with every byte that a terminal could act on escaped:
 * a backslash as "\\", newline, tab, carriage return and escape as "\n",
 * "\t", "\r", "\e", any other control byte (C0, DEL) as "\xHH", and
 * bytes of UTF-8 that is invalid, a C1 control (U+0080-U+009F) or a
 * bidirectional override (U+202A-U+202E, U+2066-U+2069) as "\xHH" each.
 * Valid UTF-8 otherwise passes unchanged. */
void escape_put(FILE *f, const char *s);

/* The same into a malloc'd string, or NULL on ENOMEM. */
char *escape_text(const char *s);
