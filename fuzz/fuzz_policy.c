/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz the policy compiler: the input is a profile, read after the shipped
 * group library; a line "#layer" splits it into files that apply one after
 * the other (a profile and its .local files), so the layering rule is
 * fuzzed too; policy_build() resolves it, filter_build() compiles its
 * seccomp rules to BPF in memory (nothing is loaded), and the exporters
 * render it. Then the differential check: for system calls derived from
 * the input (numbers of the syscalls the profile names and others, every
 * ABI of the CPU, arguments near the constants its conditions use, with
 * and without junk in the upper 32 bits), the compiled program run in
 * bpfsim must give what tests/common/refmodel.c (the words of sysfence.profile(5)) gives:
 * at least as restrictive as the meaning under every reading of the
 * arguments, and exactly the meaning when all readings agree. This is what
 * shows that no rule is swallowed. */
#include "bpfsim.h"
#include "diag.h"
#include "export.h"
#include "filter.h"
#include "fuzz.h"
#include "policy.h"
#include "profile.h"
#include "refmodel.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_NAME "fuzz.ini"
#define X32_BIT 0x40000000u
#define CALLS_PER_INPUT 48

/* The group library, read once: profiles name its @groups. */
static char *groups_text;
static size_t groups_len;

static void load_groups(void)
{
	static bool done;
	struct stat st;
	int fd;

	if (done)
		return;
	done = true;
	fd = open(FUZZ_GROUPS_INI, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !(groups_text = malloc((size_t)st.st_size + 1)) ||
	    read(fd, groups_text, (size_t)st.st_size) != st.st_size) {
		fprintf(stderr, "fuzz_policy: cannot read %s\n", FUZZ_GROUPS_INI);
		abort();
	}
	groups_len = (size_t)st.st_size;
	close(fd);
}

/* A generator seeded from the input, so a crash reproduces. */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd_below(struct rng *g, uint64_t n)
{
	return rnd(g) % n;
}

static const uint64_t interesting[] = {
	0, 1, 2, 5, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0xffffffff00000000,
	0xffffffff80000000, 0xfffffffffffffffb, 0xffffffffffffffff, 0x8000000000000000,
};

/* An argument: often a constant a rule compares with (or its mask), near
 * it, with the upper half kept, cleared, all ones, or random. */
static uint64_t rnd_arg(struct rng *g, const struct sf_syscall_rules *r)
{
	uint64_t v;

	if (!r || r->n_cond + r->n_dropped == 0 || rnd_below(g, 4) == 0) {
		v = interesting[rnd_below(g, sizeof(interesting) / sizeof(interesting[0]))];
		return rnd_below(g, 4) == 0 ? rnd(g) : v;
	} else {
		/* dropped rules too: their constants must not match any more */
		const struct sf_cond *c = r->cond_rules[rnd_below(g, r->n_cond + r->n_dropped)].cond;
		const struct sf_term *t = &c->terms[rnd_below(g, c->n)];
		const struct sf_cmp *m = &t->cmps[rnd_below(g, t->n)];

		v = rnd_below(g, 3) == 0 ? m->mask : m->value;
		v += rnd_below(g, 3) - 1;
	}
	switch (rnd_below(g, 5)) {
	case 0:
		return (uint32_t)v | rnd(g) << 32;
	case 1:
		return (uint32_t)v | 0xffffffff00000000ULL;
	case 2:
		return (uint32_t)v;
	default:
		return v;
	}
}

static unsigned used_args(const struct sf_syscall_rules *r)
{
	unsigned mask = 0;

	for (size_t j = 0; r && j < r->n_cond + r->n_dropped; j++)
		for (size_t t = 0; t < r->cond_rules[j].cond->n; t++)
			for (size_t i = 0; i < r->cond_rules[j].cond->terms[t].n; i++)
				mask |= 1u << r->cond_rules[j].cond->terms[t].cmps[i].arg;
	return mask;
}

static void differential(const struct sf_filter_spec *spec, const struct sf_filter *f, const uint8_t *data,
    size_t size)
{
	/* The ABIs an x86-64 CPU runs, and one it does not. */
	static const uint32_t toks[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_AARCH64 };
	struct rng g = { 0xcbf29ce484222325ULL };
	struct filter_stats st;

	for (size_t i = 0; i < size; i++)
		g.s = (g.s ^ data[i]) * 0x100000001b3ULL;
	g.s |= 1;
	filter_stats(f, &st);

	for (unsigned k = 0; k < CALLS_PER_INPUT; k++) {
		uint32_t tok = toks[rnd_below(&g, 4)];
		uint32_t arch = tok == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : tok;
		const struct sf_syscall_rules *r = NULL;
		struct sf_filter_spec one = *spec;
		struct seccomp_data sd = { .arch = arch };
		uint64_t args[6];
		uint32_t got, nr;
		unsigned mask;
		size_t steps = 0;
		bool narrow = true;

		if (spec->n_syscalls && rnd_below(&g, 4) != 0) {
			int n;

			r = &spec->syscalls[rnd_below(&g, spec->n_syscalls)];
			n = seccomp_syscall_resolve_name_arch(tok, r->name);
			nr = n >= 0 ? (uint32_t)n : (uint32_t)rnd_below(&g, 512);
		} else if (rnd_below(&g, 8) == 0)
			nr = UINT32_MAX;
		else
			nr = (uint32_t)rnd_below(&g, 512) | (tok == SCMP_ARCH_X32 ? X32_BIT : 0);
		if (rnd_below(&g, 16) == 0)
			nr = (uint32_t)rnd(&g);

		/* The one syscall entry with this number on this ABI: the
		 * reference then needs to look at no other (two names with
		 * one number are refused by the compiler). */
		r = NULL;
		one.n_syscalls = 0;
		one.syscalls = NULL;
		for (size_t i = 0; i < spec->n_syscalls && !r; i++) {
			uint32_t t = arch == SCMP_ARCH_X86_64 && nr != UINT32_MAX && nr >= X32_BIT ? SCMP_ARCH_X32 : arch;
			int n = seccomp_syscall_resolve_name_arch(t, spec->syscalls[i].name);

			if (n >= 0 && (uint32_t)n == nr) {
				r = &spec->syscalls[i];
				one.syscalls = &spec->syscalls[i];
				one.n_syscalls = 1;
			}
		}
		mask = used_args(r);
		sd.nr = (int)nr;
		for (unsigned a = 0; a < 6; a++) {
			args[a] = rnd_arg(&g, r);
			sd.args[a] = args[a];
			if ((mask & (1u << a)) && args[a] >= 0x80000000ULL)
				narrow = false;
		}

		got = bpfsim_run(f->insns, f->n, &sd, &steps);
		FUZZ_ASSERT(steps > 0 && steps <= st.longest_path);
		/* Every assignment of readings (full or low 32 bits) to the
		 * arguments the rules look at. */
		for (unsigned low = mask;; low = (low - 1) & mask) {
			struct sf_action m = ref_meaning(&one, arch, nr, args, low);

			if (ref_kind_of_ret(got) < m.kind) {
				fprintf(stderr, "fuzz_policy: arch %#x nr %u args %#llx %#llx %#llx %#llx: "
				    "filter %#x, meaning %s (readings %#x)\n", arch, nr,
				    (unsigned long long)sd.args[0], (unsigned long long)sd.args[1],
				    (unsigned long long)sd.args[2], (unsigned long long)sd.args[3], got,
				    action_name(m), low);
				FUZZ_ASSERT(!"the filter is less restrictive than the meaning in sysfence.profile(5)");
			}
			if (low == 0 && narrow && got != action_to_ret(m)) {
				fprintf(stderr, "fuzz_policy: arch %#x nr %u args %#llx %#llx %#llx: filter %#x, meaning %s\n",
				    arch, nr, (unsigned long long)sd.args[0], (unsigned long long)sd.args[1],
				    (unsigned long long)sd.args[2], got, action_name(m));
				FUZZ_ASSERT(!"the filter differs from the meaning in sysfence.profile(5)");
			}
			if (low == 0)
				break;
		}
	}
}

static void render_all(const struct sf_policy *pol, const struct sf_filter *f)
{
	static const enum sf_export_format fmts[] = { SF_EXPORT_BPF, SF_EXPORT_PFC, SF_EXPORT_OCI, SF_EXPORT_SYSTEMD };

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct sf_diag d = { 0 };
		char *buf = NULL;
		size_t len = 0;
		int r = export_render(fmts[i], pol, f, &buf, &len, &d);

		FUZZ_ASSERT(r == 0 ? buf != NULL : diag_has_errors(&d));
		free(buf);
		diag_clear(&d);
	}
}

/* The input's files: text up to a line "#layer" is one file, and so on;
 * the first is the profile, the others its .local files. */
static int parse_layers(struct sf_profile *p, const char *text, size_t size, struct sf_diag *d)
{
	static const char mark[] = "\n#layer\n";
	char name[32];
	int r = 0;

	for (unsigned n = 0; r == 0; n++) {
		const char *end = memmem(text, size, mark, sizeof(mark) - 1);
		size_t len = end ? (size_t)(end - text) + 1 : size;

		if (n == 0)
			snprintf(name, sizeof(name), "%s", FILE_NAME);
		else
			snprintf(name, sizeof(name), "fuzz.%u.local", n);
		r = profile_parse_text(p, name, text, len, d);
		if (!end)
			break;
		size -= (size_t)(end - text) + sizeof(mark) - 1;
		text = end + sizeof(mark) - 1;
	}
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sf_policy_opts po = { .check_all_groups = false };
	struct sf_diag d = { 0 };
	struct sf_profile *p = profile_new();
	struct sf_policy *pol = NULL;
	struct sf_filter *f = NULL;
	char *text;
	int r;

	load_groups();
	if (!p)
		return 0;
	r = profile_parse_text(p, FUZZ_GROUPS_INI, groups_text, groups_len, &d);
	FUZZ_ASSERT(r == 0);
	r = parse_layers(p, (const char *)data, size, &d);
	if (r < 0)
		goto out;
	r = policy_build(p, NULL, &po, &pol, &d);
	FUZZ_ASSERT(r == 0 ? pol != NULL : diag_has_errors(&d));
	if (r < 0)
		goto out;
	text = policy_explain(pol);
	FUZZ_ASSERT(text);
	free(text);
	if (pol->has_filter) {
		r = filter_build(&pol->filter, &f, &d);
		FUZZ_ASSERT(r == 0 ? f != NULL : diag_has_errors(&d));
		if (r == 0)
			differential(&pol->filter, f, data, size);
	}
	render_all(pol, f);
out:
	filter_free(f);
	policy_free(pol);
	profile_free(p);
	diag_clear(&d);
	return 0;
}
