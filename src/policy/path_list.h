/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The path lists of [filesystem] and [sandbox]: words separated by white
 * space, each a PATH or a "-PATH" that may be missing. Pure; each key
 * checks the words' form itself. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The next word at *cursor: its text without the "-" in *ret_word and
 * *ret_len (0 for a lone "-"), whether it had one in *ret_optional; moves
 * *cursor past it. Returns false, with nothing set, at the end. */
bool path_list_next(const char **cursor, const char **ret_word, size_t *ret_len, bool *ret_optional);
