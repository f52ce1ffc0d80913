/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to --export=pfc: export_pfc.c prints the dispatch on arch and
 * nr, export_pfc_block.c the per-syscall blocks. */
#pragma once

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* More lines than this means a block's DAG unfolds badly as a tree. */
#define PFC_MAX_LINES 1000000

/* A run of syscall numbers with one outcome: a RET, or a block at pc. */
struct pspan {
	uint32_t lo, hi;
	bool block;
	uint32_t ret;
	size_t pc;
};

struct pfc {
	const struct sock_filter *p;
	size_t n;
	FILE *out;
	size_t lines;
	bool bad; /* a construct filter_build never emits */

	struct pspan *spans;
	size_t n_spans, cap_spans;

	/* Blocks: the operand each test compares, and post-dominators. */
	char **opnd; /* per pc of a test: "$a1.lo32" or "($a1.lo32 & 0x000000ff)" */
	size_t *ipdom; /* per pc: immediate post-dominator, or n (exit) */
};

/* The instruction at pc; NULL, with c->bad set, past the program's end. */
const struct sock_filter *pfc_insn(struct pfc *c, size_t pc);

bool pfc_is_jump(uint16_t code);
bool pfc_is_ret(uint16_t code);

/* Where the jump at pc goes when its test holds, and when it does not. */
size_t pfc_jt(const struct pfc *c, size_t pc);
size_t pfc_jf(const struct pfc *c, size_t pc);

/* One line of output, indented; past PFC_MAX_LINES, c->bad is set. */
void pfc_line(struct pfc *c, unsigned indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "action ACTION;" for a RET value. */
void pfc_print_action(struct pfc *c, unsigned indent, uint32_t ret);

/* Print the block that starts at entry as nested ifs. Returns 0, -ENOMEM,
 * or -EINVAL for a construct filter_build never emits. */
int pfc_emit_block(struct pfc *c, size_t entry, unsigned indent);
