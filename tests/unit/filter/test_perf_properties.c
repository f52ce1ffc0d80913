/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-syscall cost of the shipped default profile (issue 8): every syscall
 * it allows without conditions is served from the kernel's seccomp action
 * cache, and no syscall runs more than 24 instructions of its program.
 * Pure and unprivileged: the profile is compiled, never loaded. */
#include "bpfsim.h"
#include "filter.h"
#include "kcache.h"
#include "lookup.h"
#include "policy.h"
#include "profile.h"
#include "shipped.h"
#include "tap.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kernel asks about every number below NR_syscalls; x86-64 has fewer
 * than 1024 and numbers above the table are never cached. */
#define MAX_NR 1024
#define MAX_LONGEST_PATH 24

/* Cacheable: the kernel's emulation reaches RET ALLOW (tests/common/kcache.c). */
static bool kernel_would_cache(const struct sf_filter *f, uint32_t arch, uint32_t nr)
{
	uint32_t ret = 0;

	return kcache_const_outcome(f, arch, nr, &ret) && ret == SECCOMP_RET_ALLOW;
}

/* The rules the policy has for a native syscall number, or NULL. */
static const struct sf_syscall_rules *rules_of_nr(const struct sf_policy *pol, uint32_t nr)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
	const struct sf_syscall_rules *r = name ? policy_find_syscall(pol, name) : NULL;

	free(name);
	return r;
}

/* Allowed whatever the arguments: an unconditional allow and no
 * conditional rule, or no rule at all under an allowing default. */
static bool allowed_without_conditions(const struct sf_policy *pol, uint32_t nr)
{
	const struct sf_syscall_rules *r = rules_of_nr(pol, nr);

	if (r && r->n_cond)
		return false;
	if (r && r->has_uncond)
		return r->uncond.action.kind == SF_ACT_ALLOW;
	return pol->filter.default_action.kind == SF_ACT_ALLOW;
}

/* Hand-written programs: what reads an argument, or returns anything but
 * ALLOW, is not cached; what decides on nr and arch alone is. */
static void test_cache_emulation_knows_what_the_kernel_caches(void)
{
	const uint32_t arch = seccomp_arch_native();
	struct sock_filter by_nr[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	/* An argument test in front of the dispatch, by accident. */
	struct sock_filter by_arg[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sf_filter a = { by_nr, sizeof(by_nr) / sizeof(by_nr[0]) };
	struct sf_filter b = { by_arg, sizeof(by_arg) / sizeof(by_arg[0]) };

	CHECK(kernel_would_cache(&a, arch, 0));
	CHECK(!kernel_would_cache(&a, arch, 39)); /* ERRNO */
	CHECK(!kernel_would_cache(&a, arch ^ 1, 0)); /* another ABI: KILL */
	CHECK(!kernel_would_cache(&b, arch, 0)); /* reads args[0] */
}

/* The emulation agrees with bpfsim on the cases the kernel would cache. */
static void test_cache_emulation_matches_the_interpreter(void)
{
	struct compiled c;

	if (!compile_shipped(TEST_SOURCE_DIR "/profiles", "default", &c)) {
		CHECK(!"the default profile compiles");
		compiled_free(&c);
		return;
	}
	for (uint32_t nr = 0; nr < MAX_NR; nr++) {
		struct seccomp_data sd = {
			.nr = (int)nr, .arch = seccomp_arch_native(), .args = { ~0ULL, 0x5412, 1ULL << 32, 0x40, 5, 6 }
		};

		if (kernel_would_cache(c.f, sd.arch, nr))
			CHECK_INT(bpfsim_run(c.f->insns, c.f->n, &sd, NULL), SECCOMP_RET_ALLOW);
	}
	compiled_free(&c);
}

/* Every syscall a shipped profile allows without conditions is served
 * from the action cache: no rule makes it depend on its arguments or on
 * the architecture by accident. The ones that are not are listed. */
static size_t check_cacheable(const char *profile)
{
	struct compiled c;
	size_t n_allowed = 0, n_cached = 0, n_bad = 0;

	if (!compile_shipped(TEST_SOURCE_DIR "/profiles", profile, &c)) {
		CHECK(!"the profile compiles");
		compiled_free(&c);
		return 0;
	}
	for (uint32_t nr = 0; nr < MAX_NR; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
		bool cached = kernel_would_cache(c.f, seccomp_arch_native(), nr);

		n_cached += cached;
		if (name && allowed_without_conditions(c.pol, nr)) {
			n_allowed++;
			if (!cached) {
				printf(
				    "# %s: allowed without conditions but not cacheable: %s (%u)\n", profile, name, nr);
				n_bad++;
			}
		}
		/* The converse: nothing with a conditional rule or a refusal may
		 * be cached as allowed. */
		if (name && cached)
			CHECK(allowed_without_conditions(c.pol, nr));
		free(name);
	}
	printf("# %s profile: %zu syscalls allowed without conditions, %zu numbers cached as allowed\n", profile,
	    n_allowed, n_cached);
	CHECK_INT(n_bad, 0);
	compiled_free(&c);
	return n_allowed;
}

static void test_default_unconditional_allows_are_cacheable(void)
{
	/* arm64 has fewer calls to allow: none of the legacy ones (open,
	 * stat, fork, ...) that x86-64 keeps. */
	CHECK(check_cacheable("default") >= (seccomp_arch_native() == SCMP_ARCH_X86_64 ? 250 : 240));
}

static void test_strict_unconditional_allows_are_cacheable(void)
{
	CHECK(check_cacheable("strict") > 0);
}

/* The longest path through the program bounds what any syscall pays; the
 * per-number walk shows which syscall takes it. */
static void test_default_longest_path_is_at_most_24(void)
{
	static const uint64_t args[][6] = {
		{ 0 },
		{ ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL },
		{ 0xffffffff, 0x5412, 1ULL << 32, 0x40, 5, 6 },
		{ 10, 0x541C, 0, 0, 0, 0 },
		{ 0x0040008, 0x7e000000, 0x40000000, 0, 0, 0 },
		{ 0x0040008ULL | 1ULL << 32, 0, 0, 0, 0, 0 },
	};
	struct compiled c;
	struct filter_stats st = { 0 };
	size_t worst = 0;
	uint32_t worst_nr = 0;

	if (!compile_shipped(TEST_SOURCE_DIR "/profiles", "default", &c)) {
		CHECK(!"the default profile compiles");
		compiled_free(&c);
		return;
	}
	filter_stats(c.f, &st);
	for (uint32_t nr = 0; nr < MAX_NR; nr++) {
		for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
			struct seccomp_data sd = { .nr = (int)nr, .arch = seccomp_arch_native() };
			size_t steps = 0;

			memcpy(sd.args, args[i], sizeof(sd.args));
			bpfsim_run(c.f->insns, c.f->n, &sd, &steps);
			if (steps > worst) {
				worst = steps;
				worst_nr = nr;
			}
		}
	}
	{
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)worst_nr);

		printf("# default profile: %zu instructions, longest path %zu; longest run seen: %zu (%s)\n", c.f->n,
		    st.longest_path, worst, name ? name : "?");
		free(name);
	}
	CHECK(worst <= st.longest_path);
	CHECK(st.longest_path <= MAX_LONGEST_PATH);
	compiled_free(&c);
}

int main(void)
{
	RUN(test_cache_emulation_knows_what_the_kernel_caches);
	RUN(test_cache_emulation_matches_the_interpreter);
	RUN(test_default_unconditional_allows_are_cacheable);
	RUN(test_strict_unconditional_allows_are_cacheable);
	RUN(test_default_longest_path_is_at_most_24);
	return tap_done();
}
