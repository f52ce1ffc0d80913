/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The multiplexed system calls of older ABIs: i386's socketcall(CALL, ARGS)
 * and ipc(CALL, ...) carry socket(2), bind(2), ..., shmget(2) with their
 * arguments in memory, where a seccomp filter cannot read them. Without
 * this step, "architectures = native x86" would let i386 code create any
 * socket family through socketcall although [network] families or a
 * conditional rule on socket says otherwise.
 *
 * The filter can read CALL (the first argument), so each sub-call gets a
 * conditional rule on the multiplexer: the most restrictive action its
 * direct syscall can get (its fallback or any of its conditional rules in
 * effect), since the arguments those conditions test are out of reach. That
 * errs on the restrictive side, never the other. A sub-call whose action is
 * no more restrictive than the multiplexer's own fallback needs no rule. */
#include "cleanup.h"
#include "policy_int.h"
#include "policy_store.h"

#include <errno.h>
#include <linux/ipc.h>
#include <linux/net.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

struct sub_call {
	const char *name; /* the direct syscall whose rules apply */
	unsigned call;
};

/* send and recv are sendto and recvfrom without an address in the kernel. */
static const struct sub_call socketcall_calls[] = {
	{ "socket", SYS_SOCKET },
	{ "bind", SYS_BIND },
	{ "connect", SYS_CONNECT },
	{ "listen", SYS_LISTEN },
	{ "accept", SYS_ACCEPT },
	{ "getsockname", SYS_GETSOCKNAME },
	{ "getpeername", SYS_GETPEERNAME },
	{ "socketpair", SYS_SOCKETPAIR },
	{ "sendto", SYS_SEND },
	{ "recvfrom", SYS_RECV },
	{ "sendto", SYS_SENDTO },
	{ "recvfrom", SYS_RECVFROM },
	{ "shutdown", SYS_SHUTDOWN },
	{ "setsockopt", SYS_SETSOCKOPT },
	{ "getsockopt", SYS_GETSOCKOPT },
	{ "sendmsg", SYS_SENDMSG },
	{ "recvmsg", SYS_RECVMSG },
	{ "accept4", SYS_ACCEPT4 },
	{ "recvmmsg", SYS_RECVMMSG },
	{ "sendmmsg", SYS_SENDMMSG },
	{ NULL, 0 },
};

/* ipc's CALL holds a version in its upper 16 bits (IPCCALL), which the
 * kernel strips: the rules compare the lower 16 only. */
static const struct sub_call ipc_calls[] = {
	{ "semop", SEMOP },
	{ "semget", SEMGET },
	{ "semctl", SEMCTL },
	{ "semtimedop", SEMTIMEDOP },
	{ "msgsnd", MSGSND },
	{ "msgrcv", MSGRCV },
	{ "msgget", MSGGET },
	{ "msgctl", MSGCTL },
	{ "shmat", SHMAT },
	{ "shmdt", SHMDT },
	{ "shmget", SHMGET },
	{ "shmctl", SHMCTL },
	{ NULL, 0 },
};

static const struct multiplexer {
	const char *name;
	uint64_t call_mask; /* 0: compare all of arg0 */
	const struct sub_call *calls;
} multiplexers[] = {
	{ "socketcall", 0, socketcall_calls },
	{ "ipc", 0xffff, ipc_calls },
};

/* Whether some ABI of the filter has the syscall at all. */
static bool some_arch_has(const struct sf_policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->filter.n_arches; i++)
		if (seccomp_syscall_resolve_name_arch(pol->filter.arches[i], name) >= 0)
			return true;
	return false;
}

/* The most restrictive action the syscall name can get, and where it was
 * written. */
static struct sf_rule strictest(const struct sf_policy *pol, const char *name)
{
	const struct sf_syscall_rules *sc = policy_syscall_lookup(pol, name);
	struct sf_rule best = { .action = pol->filter.default_action, .origin = pol->filter.default_origin };

	if (!sc)
		return best;
	if (sc->has_uncond)
		best = sc->uncond;
	for (size_t i = 0; i < sc->n_cond; i++)
		if (action_cmp(sc->cond_rules[i].action, best.action) > 0)
			best = sc->cond_rules[i];
	return best;
}

static struct sf_cond *call_cond(uint64_t mask, unsigned call)
{
	const struct sf_cmp cmp = { .arg = 0, .op = mask ? SF_CMP_MASKED_EQ : SF_CMP_EQ, .value = call, .mask = mask };

	return cond_from_cmps(&cmp, 1, 1);
}

static int multiplexer_rules(struct sf_policy *pol, const struct multiplexer *m)
{
	size_t len = strlen(m->name) + 1;
	struct sf_action fallback;
	struct sf_syscall_rules *sc;
	char *name;

	if (!some_arch_has(pol, m->name))
		return 0;
	name = policy_arena_alloc(pol, len);
	sc = name ? policy_syscall_get(pol, memcpy(name, m->name, len), policy_syscall_nr(m->name)) : NULL;
	if (!sc)
		return -ENOMEM;
	fallback = sc->has_uncond ? sc->uncond.action : pol->filter.default_action;
	for (const struct sub_call *c = m->calls; c->name; c++) {
		struct sf_rule r = strictest(pol, c->name);
		struct sf_cond *cond;

		if (action_cmp(r.action, fallback) <= 0)
			continue;
		cond = call_cond(m->call_mask, c->call);
		r.cond = cond;
		r.layer = SF_LAYER_DERIVED;
		if (!cond || rules_add_cond(sc, r) < 0) {
			cond_free(cond);
			return -ENOMEM;
		}
	}
	return 0;
}

int policy_multiplexer_rules(struct sf_policy *pol)
{
	for (size_t i = 0; i < ELEMENTSOF(multiplexers); i++) {
		int r = multiplexer_rules(pol, &multiplexers[i]);

		if (r < 0)
			return r;
	}
	return 0;
}
