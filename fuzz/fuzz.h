/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the sysfence fuzz harnesses share. Each harness defines libFuzzer's
 * entry point; linked with -fsanitize=fuzzer it is a fuzzer, linked with
 * replay.c a plain program that runs it on saved inputs (ctest). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed invariant: print it and abort, so that libFuzzer saves the input
 * and the replay program fails. */
#define FUZZ_ASSERT(e)                                                                                  \
	do {                                                                                            \
		if (!(e)) {                                                                             \
			fuzz_fail(__FILE__, __LINE__, #e);                                              \
			abort();  /* for analysers that do not see the _Noreturn */                     \
		}                                                                                       \
	} while (0)

_Noreturn void fuzz_fail(const char *file, int line, const char *expr);
