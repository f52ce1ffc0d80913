/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to the filter compiler (filter_build.c and the filter_*.c files
 * of its stages): the expression, plan and emission types and functions
 * shared by its stages. Not part of any other module's interface. */
#pragma once

#include "filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* x86-64: syscall numbers with this bit set are the x32 ABI, reported under
 * AUDIT_ARCH_X86_64 (arch/x86/include/uapi/asm/unistd.h). */
#define X32_SYSCALL_BIT 0x40000000u
#define SIGN_BIT 0x80000000u
#define ERRNO_MAX 4095u

/* The filter is loaded into the kernel we run on, so its byte order decides
 * where the two halves of a 64-bit argument sit in struct seccomp_data. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LO_OFFSET 0
#define HI_OFFSET 4
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define LO_OFFSET 4
#define HI_OFFSET 0
#else
#error "unknown byte order"
#endif

/* ------------------------------------------------------------------------
 * Expressions over 32-bit words
 * ------------------------------------------------------------------------ */

enum word_op {
	W_EQ, /* w == k */
	W_GT, /* w > k */
	W_SET, /* (w & mask) != 0 */
	W_MASKEQ, /* (w & mask) == k */
};

struct wtest {
	unsigned arg; /* 0..5 */
	bool hi; /* upper half of the argument */
	bool neg; /* the test's negation */
	enum word_op op;
	uint32_t k; /* EQ, GT, MASKEQ; 0 otherwise */
	uint32_t mask; /* SET, MASKEQ; 0 otherwise */
};

enum ex_kind { EX_FALSE, EX_TRUE, EX_TEST, EX_AND, EX_OR };

struct ex {
	enum ex_kind kind;
	struct wtest t; /* EX_TEST */
	size_t n; /* EX_AND, EX_OR */
	struct ex *kids[];
};

/* What the accumulator holds, for skipping redundant loads. */
enum {
	ST_DEAD = -2, /* no path reaches this point */
	ST_UNKNOWN = -1,
	ST_NR = 0,
	ST_ARCH = 1,
	ST_WORD0 = 2, /* + 2 * arg + hi */
};

struct ir {
	bool is_label;
	int label; /* is_label */
	uint16_t code;
	uint32_t k;
	int jt, jf; /* label ids: JA uses jt; conditional jumps both */
};

struct label {
	int state; /* merged accumulator state of the jumps to it */
	size_t pos; /* resolved instruction index */
};

struct item { /* "if e, return ret" */
	struct ex *e;
	uint32_t ret;
};

struct plan { /* one syscall's decision */
	struct item *items;
	size_t n; /* 0: the syscall needs no argument test */
	uint32_t fallback;
};

/* Expression nodes live until the end of filter_build(): they are carved
 * from chunks freed together, not allocated and freed one by one. */
struct node_chunk {
	struct node_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define NODE_CHUNK_SIZE (16 * 1024)

/* The compiler's state during one filter_build(). */
struct ctx {
	struct node_chunk *chunks;
	struct ex *ex_true, *ex_false; /* the shared constant nodes */

	struct ir *ir;
	size_t n_ir, cap_ir;
	struct label *labels;
	size_t n_labels, cap_labels;
	int acc; /* what the accumulator holds at the emission point (ST_*) */

	bool oom; /* an allocation failed: filter_build() reports -ENOMEM */
};

/* One RET per distinct return value in a region, shared by its jumps. */
struct retmap {
	uint32_t *ret;
	int *label;
	size_t n, cap_ret, cap_label;
};

static inline bool filter_is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

static inline bool filter_is_ja(uint16_t code)
{
	return code == (BPF_JMP | BPF_JA);
}

/* Stage 1 (filter_expr.c): expressions over 32-bit words. */

/* A zeroed node with room for n kids, or NULL (carved from c->chunks). */
struct ex *filter_node_new(struct ctx *c, size_t n);

/* A node of the given kind; on allocation failure sets c->oom and returns
 * a harmless constant node, so building goes on and fails at the end. */
struct ex *filter_ex_alloc(struct ctx *c, enum ex_kind kind, size_t n);

/* A rule's condition as a simplified expression, with every comparison
 * widened (wide: holds under some reading of its argument) or narrowed
 * (holds under both readings); docs/filter.md has the proof. */
struct ex *filter_cond_widened(struct ctx *c, const struct sf_cond *cond, bool wide);

/* The constant node for v. */
struct ex *filter_ex_const(struct ctx *c, bool v);

/* A test node in normal form (or a constant when its outcome is fixed). */
struct ex *filter_ex_test(struct ctx *c, struct wtest t);

/* The test w >= k on the given word, negated if neg. */
struct ex *filter_ex_ge(struct ctx *c, unsigned arg, bool hi, uint32_t k, bool neg);

/* AND or OR (kind) of in[0..n), simplified. */
struct ex *filter_ex_junction(struct ctx *c, enum ex_kind kind, struct ex *const *in, size_t n);

/* a && b, a || b, !e: simplified (flattened, folded, factored). */
struct ex *filter_ex_and2(struct ctx *c, struct ex *a, struct ex *b);
struct ex *filter_ex_or2(struct ctx *c, struct ex *a, struct ex *b);
struct ex *filter_ex_not(struct ctx *c, const struct ex *e);

/* The prover (filter_prove.c): each answers true only when it is proved. */

/* Does the word w pass test t? */
bool filter_wtest_eval(const struct wtest *t, uint32_t w);

/* Are a and b the same expression (structurally)? */
bool filter_ex_equal(const struct ex *a, const struct ex *b);

/* Does every word accepted by ta satisfy tb? false when unsure. */
bool filter_test_implies(const struct wtest *ta, const struct wtest *tb);

/* Does a imply b? false when unsure. */
bool filter_ex_implies(const struct ex *a, const struct ex *b);

/* Plans (filter_plan.c): the tests of syscall s, in order, into *p (its
 * items array is the caller's to free). Returns 0 or -ENOMEM. */
int filter_plan_syscall(
    struct ctx *c, const struct sf_filter_spec *spec, const struct sf_syscall_rules *s, struct plan *p);

/* Stage 2 (filter_emit.c): emission with symbolic labels. Out of memory
 * sets c->oom; the calls then do nothing. */

/* A new label, not yet placed. */
int filter_label_new(struct ctx *c);

/* Place label l at the emission point. */
void filter_label_place(struct ctx *c, int l);

/* Emit one non-jump instruction. */
void filter_emit(struct ctx *c, uint16_t code, uint32_t k);

/* Emit a JA to label l. */
void filter_emit_ja(struct ctx *c, int l);

/* Emit a conditional jump to jt or jf. */
void filter_emit_jump(struct ctx *c, uint16_t code, uint32_t k, int jt, int jf);

/* Load the word state (ST_*) into the accumulator unless it holds it. */
void filter_emit_load(struct ctx *c, int state);

/* The label of the RET of ret in m, made on first use. */
int filter_ret_label(struct ctx *c, struct retmap *m, uint32_t ret);

/* Place every RET of m, then release it. */
void filter_retmap_emit(struct ctx *c, struct retmap *m);

/* Emit the tests of one syscall's plan and their RETs. */
void filter_emit_block(struct ctx *c, const struct plan *p);

/* The program's dispatch (filter_dispatch.c): the arch check, then one
 * section per ABI leading to the syscalls' RETs and blocks. Returns 0, or
 * a negative errno with a message in d (two syscalls with one number). */
int filter_emit_dispatch(struct ctx *c, const struct sf_filter_spec *spec, const struct plan *plans, struct sf_diag *d);

/* Stage 3 (filter_layout.c): the emitted code as a program. On success *ret
 * is a new filter (filter_free()). Returns 0, or a negative errno (with a
 * message in d when the program is too large). */
int filter_layout(struct ctx *c, struct sf_filter **ret, struct sf_diag *d);
