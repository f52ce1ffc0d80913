/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export=systemd: the unit directives closest to a profile
 * (systemd.exec(5)). systemd filters system calls by name only, with one
 * errno for an allow list, so what it cannot say is written out as
 * comments under the directives, each with the FILE:LINE of the rule. */
#include "cleanup.h"
#include "cond.h"
#include "constants.h"
#include "export.h"
#include "export_systemd_int.h"
#include "membuf.h"
#include "names.h"
#include "netfamily.h"
#include "policy.h"

#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls systemd allows in allow-list mode whatever the list says: its
 * @default group (systemd-analyze syscall-filter @default, systemd 252). */
static const char *const systemd_default[] = {
	"arch_prctl", "brk", "cacheflush", "clock_getres", "clock_getres_time64", "clock_gettime",
	"clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "execve", "exit", "exit_group", "futex",
	"futex_time64", "futex_waitv", "get_robust_list", "get_thread_area", "getegid", "getegid32", "geteuid",
	"geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getpgid", "getpgrp", "getpid", "getppid",
	"getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit", "getsid", "gettid",
	"gettimeofday", "getuid", "getuid32", "membarrier", "mmap", "mmap2", "mprotect", "munmap", "nanosleep",
	"pause", "prlimit64", "restart_syscall", "riscv_flush_icache", "riscv_hwprobe", "rseq", "rt_sigreturn",
	"sched_getaffinity", "sched_yield", "set_robust_list", "set_thread_area", "set_tid_address", "set_tls",
	"sigreturn", "time", "ugetrlimit", "uretprobe", NULL,
};

/* Families with the names systemd accepts, looked up in the generated
 * constants so the numbers come from the system headers. */
static const char *const family_names[] = {
	"AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET", "AF_VSOCK", "AF_ALG", "AF_BLUETOOTH", "AF_CAN",
	"AF_APPLETALK", "AF_AX25", "AF_IPX", "AF_KEY", "AF_LLC", "AF_NFC", "AF_PPPOX", "AF_RDS", "AF_TIPC", "AF_X25",
	"AF_XDP", "AF_KCM", "AF_QIPCRTR", "AF_SMC", "AF_MCTP", "AF_IB", "AF_MPLS", "AF_ISDN", "AF_PHONET",
	"AF_IEEE802154", "AF_CAIF", "AF_RXRPC", "AF_IUCV", "AF_ATMPVC", "AF_ATMSVC", "AF_DECnet", "AF_ECONET",
	"AF_ROSE", "AF_NETROM", "AF_BRIDGE", "AF_SECURITY", "AF_WANPIPE", "AF_SNA", "AF_IRDA", NULL,
};

static bool in_list(const char *const *l, const char *s)
{
	for (size_t i = 0; l[i]; i++)
		if (strcmp(l[i], s) == 0)
			return true;
	return false;
}

static const char *family_name(uint64_t v)
{
	for (size_t i = 0; family_names[i]; i++) {
		uint64_t k;

		if (constant_lookup(family_names[i], &k) && k == v)
			return family_names[i];
	}
	return NULL;
}

static bool permits(struct sf_action a)
{
	return a.kind == SF_ACT_ALLOW || a.kind == SF_ACT_LOG;
}

static bool same_action(struct sf_action a, struct sf_action b)
{
	return a.kind == b.kind && (a.kind != SF_ACT_ERRNO || a.errnum == b.errnum);
}

/* A refusal "arg0 != A && arg0 != B ...": the families it lets through
 * as bits in *mask. */
static bool refusal_of_others(const struct sf_rule *r, uint64_t *mask)
{
	const struct sf_term *t = r->cond->n == 1 ? &r->cond->terms[0] : NULL;

	*mask = 0;
	for (size_t i = 0; t && i < t->n; i++) {
		if (t->cmps[i].arg != 0 || t->cmps[i].op != SF_CMP_NE || t->cmps[i].value >= 64)
			return false;
		*mask |= UINT64_C(1) << t->cmps[i].value;
	}
	return t != NULL;
}

/* socket's rules as RestrictAddressFamilies=: every conditional rule has
 * the opposite action of the fallback (permit vs refuse) and is either
 * "arg0 == FAMILY" terms, or (refusing) "arg0 != A && arg0 != B ...",
 * not both kinds. Fills names (NULL-terminated) and *allow_list. */
static bool socket_families(const struct sf_syscall_rules *sc, struct sf_action fallback, const char **names,
    size_t cap, bool *allow_list)
{
	uint64_t others = ~UINT64_C(0), mask;
	bool eq_form = false, ne_form = false;
	size_t n = 0;

	if (!sc || !sc->n_cond)
		return false;
	for (size_t i = 0; i < sc->n_cond; i++) {
		const struct sf_rule *r = &sc->cond_rules[i];

		if (permits(r->action) == permits(fallback))
			return false;
		if (!permits(r->action) && refusal_of_others(r, &mask)) {
			others &= mask;
			ne_form = true;
			continue;
		}
		eq_form = true;
		for (size_t t = 0; t < r->cond->n; t++) {
			const struct sf_term *term = &r->cond->terms[t];
			const char *name;

			if (term->n != 1 || term->cmps[0].arg != 0 || term->cmps[0].op != SF_CMP_EQ)
				return false;
			name = family_name(term->cmps[0].value);
			if (!name || n + 1 >= cap)
				return false;
			names[n++] = name;
		}
	}
	if (eq_form && ne_form)
		return false;
	for (unsigned af = 0; ne_form && af < 64; af++) {
		const char *name = (others & (UINT64_C(1) << af)) ? family_name(af) : NULL;

		if (!(others & (UINT64_C(1) << af)))
			continue;
		if (!name || n + 1 >= cap)
			return false;
		names[n++] = name;
	}
	names[n] = NULL;
	*allow_list = ne_form || !permits(fallback);
	return n > 0 || ne_form;
}

static void print_caps(FILE *f, const char *key, uint64_t set)
{
	bool first = true;

	fprintf(f, "%s=", key);
	for (int c = 0; c <= cap_last(); c++) {
		const char *name;

		if (!(set & (UINT64_C(1) << c)))
			continue;
		name = capng_capability_to_name((unsigned)c);
		fputs(first ? "" : " ", f);
		first = false;
		if (name) {
			fputs("CAP_", f);
			for (; *name; name++)
				fputc(toupper((unsigned char)*name), f);
		} else
			fprintf(f, "%d", c);
	}
	fputc('\n', f);
}

/* What the seccomp directives are written from. */
struct seccomp_view {
	const struct sf_policy *pol;
	const struct sf_filter_spec *spec;
	struct sf_action dflt;
	const struct sf_syscall_rules *sock; /* socket's rules, or NULL */
	bool allow_mode; /* the default refuses: SystemCallFilter= is an allow list */
	const char *fams[64]; /* socket's families, when have_fams */
	bool fam_allow, have_fams;
	bool lock_personality; /* LockPersonality=yes written */
};

/* The filter list, by each syscall's fallback (unconditional rule, else
 * the default). */
static void put_filter_list(FILE *f, const struct seccomp_view *v)
{
	bool first;

	if (v->allow_mode) {
		fputs("SystemCallFilter=", f);
		first = true;
		for (size_t i = 0; i < v->spec->n_syscalls; i++) {
			const struct sf_syscall_rules *sc = &v->spec->syscalls[i];
			struct sf_action fb = sc->has_uncond ? sc->uncond.action : v->dflt;
			bool is_sock_fam = sc == v->sock && v->have_fams;

			if (!permits(fb) && !(is_sock_fam && v->fam_allow))
				continue;
			if (!syscall_name_known(sc->name))
				continue;
			fprintf(f, "%s%s", first ? "" : " ", sc->name);
			first = false;
		}
		fputc('\n', f);
		if (v->dflt.kind == SF_ACT_ERRNO)
			fprintf(f, "SystemCallErrorNumber=%s\n", action_name(v->dflt));
	} else {
		fputs("SystemCallFilter=~", f);
		first = true;
		for (size_t i = 0; i < v->spec->n_syscalls; i++) {
			const struct sf_syscall_rules *sc = &v->spec->syscalls[i];
			struct sf_action fb = sc->has_uncond ? sc->uncond.action : v->dflt;

			if (permits(fb) || (sc == v->sock && v->have_fams))
				continue;
			fprintf(f, "%s%s:%s", first ? "" : " ", sc->name,
			    fb.kind == SF_ACT_ERRNO ? action_name(fb) : "kill");
			first = false;
		}
		fputc('\n', f);
	}
}

/* The log action: SystemCallLog= lists the logged calls. */
static void put_log_list(FILE *f, const struct seccomp_view *v)
{
	bool first = true;

	for (size_t i = 0; i < v->spec->n_syscalls; i++) {
		const struct sf_syscall_rules *sc = &v->spec->syscalls[i];
		struct sf_action fb = sc->has_uncond ? sc->uncond.action : v->dflt;

		if (fb.kind != SF_ACT_LOG || v->dflt.kind == SF_ACT_LOG)
			continue;
		fprintf(f, "%s%s", first ? "SystemCallLog=" : " ", sc->name);
		first = false;
	}
	if (!first)
		fputc('\n', f);
}

/* RestrictAddressFamilies=, from [network] families or socket's rules. */
static void put_families(FILE *f, const struct seccomp_view *v)
{
	if (v->pol->network.has_families) {
		/* [network] families: the same allow list. */
		bool any = false;

		sd_source(f, "families", &v->pol->network.families_origin);
		fputs("RestrictAddressFamilies=", f);
		for (int af = 0; af < 64; af++) {
			const char *n = (v->pol->network.families & (UINT64_C(1) << af)) ? netfamily_name(af) : NULL;

			if (!n)
				continue;
			fprintf(f, "%sAF_", any ? " " : "");
			for (; *n; n++)
				fputc(toupper((unsigned char)*n), f);
			any = true;
		}
		fputs(any ? "\n" : "none\n", f);
	} else if (v->have_fams) {
		fprintf(f, "RestrictAddressFamilies=%s", v->fam_allow ? "" : "~");
		for (size_t i = 0; v->fams[i]; i++)
			fprintf(f, "%s%s", i ? " " : "", v->fams[i]);
		fputc('\n', f);
	}
}

/* The conditional rules another directive says: those [network]
 * families adds (RestrictAddressFamilies=) and those of [sandbox]
 * restrict-suid-sgid (RestrictSUIDSGID=). */
static bool said_elsewhere(const struct seccomp_view *v, const struct sf_rule *r)
{
	const struct sf_policy *pol = v->pol;

	if (pol->network.has_families && r->origin.file == pol->network.families_origin.file &&
	    r->origin.line == pol->network.families_origin.line)
		return true;
	return pol->sandbox.restrict_suid_sgid.value && pol->sandbox.restrict_suid_sgid.set &&
	    r->origin.file == pol->sandbox.restrict_suid_sgid.origin.file &&
	    r->origin.line == pol->sandbox.restrict_suid_sgid.origin.line;
}

/* What the directives above do not say. */
static void note_unsaid(struct sd_notes *no, const struct seccomp_view *v)
{
	const struct sf_filter_spec *spec = v->spec;
	char w[4200];

	sd_where(&spec->default_origin, w, sizeof(w));
	if (v->dflt.kind == SF_ACT_LOG)
		sd_note(
		    no, "default-action = log (%s): systemd allows the calls no rule names without logging them", w);
	if (v->dflt.kind == SF_ACT_TRAP)
		sd_note(no,
		    "default-action = trap (%s): systemd cannot deliver SIGSYS to the program; it kills it instead", w);
	if (v->dflt.kind == SF_ACT_KILL_THREAD)
		sd_note(no, "default-action = kill-thread (%s): systemd kills the whole process", w);
	for (size_t i = 0; i < spec->n_syscalls; i++) {
		const struct sf_syscall_rules *sc = &spec->syscalls[i];
		struct sf_action fb = sc->has_uncond ? sc->uncond.action : v->dflt;

		if (sc->has_uncond)
			sd_where(&sc->uncond.origin, w, sizeof(w));
		if (v->allow_mode && !permits(fb) && in_list(systemd_default, sc->name))
			sd_note(no, "%s = %s (%s): systemd always allows %s (its @default group)", action_name(fb),
			    sc->name, sc->has_uncond ? w : "default-action", sc->name);
		else if (v->allow_mode && !permits(fb) && !same_action(fb, v->dflt) && !(sc == v->sock && v->have_fams))
			sd_note(no, "%s = %s (%s): an allow list has one errno, so %s gets %s here", action_name(fb),
			    sc->name, w, sc->name, action_name(v->dflt));
		else if (!v->allow_mode && fb.kind == SF_ACT_TRAP)
			sd_note(no, "trap = %s (%s): systemd cannot trap, so %s kills here", sc->name, w, sc->name);
		else if (!v->allow_mode && fb.kind == SF_ACT_KILL_THREAD)
			sd_note(no, "kill-thread = %s (%s): systemd kills the whole process", sc->name, w);
		for (size_t k = 0; sc == v->sock && v->have_fams && k < sc->n_cond; k++) {
			const struct sf_rule *r = &sc->cond_rules[k];
			/* The action a refused family gets from the profile. */
			struct sf_action refusal = permits(r->action) ? fb : r->action;

			if (said_elsewhere(v, r) && refusal.kind == SF_ACT_ERRNO && refusal.errnum == EAFNOSUPPORT)
				continue;
			sd_where(&r->origin, w, sizeof(w));
			sd_note(no,
			    "%s = socket if ... (%s): RestrictAddressFamilies= refuses %s families with EAFNOSUPPORT, not %s",
			    action_name(r->action), w, v->fam_allow ? "the other" : "these", action_name(refusal));
		}
		if (sc == v->sock && v->have_fams)
			continue;
		for (size_t k = 0; k < sc->n_cond; k++) {
			const struct sf_rule *r = &sc->cond_rules[k];
			_cleanup_free_ char *c = NULL;

			if (said_elsewhere(v, r))
				continue;
			c = cond_to_string(r->cond);
			sd_where(&r->origin, w, sizeof(w));
			if (v->lock_personality && strcmp(sc->name, "personality") == 0)
				sd_note(no,
				    "%s = personality if %s (%s): LockPersonality=yes instead, which lets personality only query or keep the personality the service starts with",
				    action_name(r->action), c ? c : "...", w);
			else
				sd_note(no,
				    "%s = %s if %s (%s): systemd filters by name only, so %s always gets %s here",
				    action_name(r->action), sc->name, c ? c : "...", w, sc->name,
				    v->allow_mode ? (permits(fb) ? "allow" : action_name(v->dflt))
						  : (permits(fb) ? "allow" : action_name(fb)));
		}
	}
}

/* The fallback of a syscall: its unconditional rule, else the default. */
static struct sf_action fallback(const struct seccomp_view *v, const struct sf_syscall_rules *sc)
{
	return sc && sc->has_uncond ? sc->uncond.action : v->dflt;
}

static bool refused(const struct seccomp_view *v, const char *name)
{
	const struct sf_syscall_rules *sc = policy_find_syscall(v->pol, name);

	if (permits(fallback(v, sc)))
		return false;
	for (size_t k = 0; sc && k < sc->n_cond; k++)
		if (permits(sc->cond_rules[k].action))
			return false;
	return true;
}

/* The namespace flags of clone, from the system headers. */
static uint64_t namespace_flags(void)
{
	static const char *const names[] = {
		"CLONE_NEWNS",
		"CLONE_NEWUSER",
		"CLONE_NEWPID",
		"CLONE_NEWNET",
		"CLONE_NEWUTS",
		"CLONE_NEWIPC",
		"CLONE_NEWCGROUP",
	};
	uint64_t all = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint64_t k;

		if (constant_lookup(names[i], &k))
			all |= k;
	}
	return all;
}

/* Whether a term needs every namespace flag of arg0 clear
 * ("arg0 & FLAGS == VALUE" with the namespace flags in FLAGS, not in
 * VALUE), or holds whenever one is set ("arg0 & FLAGS"). */
static bool term_on_ns(const struct sf_term *t, uint64_t ns, bool needs_clear)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct sf_cmp *m = &t->cmps[i];

		if (m->arg != 0)
			continue;
		if (needs_clear && m->op == SF_CMP_MASKED_EQ && (m->mask & ns) == ns && !(m->value & ns))
			return true;
		if (!needs_clear && t->n == 1 && m->op == SF_CMP_ANY_BITS && (m->mask & ns) == ns)
			return true;
	}
	return false;
}

/* clone makes no namespace: every rule that lets it through needs the
 * namespace flags clear, or a refusal catches any of them. */
static bool clone_makes_no_namespace(const struct seccomp_view *v)
{
	const struct sf_syscall_rules *sc = policy_find_syscall(v->pol, "clone");
	uint64_t ns = namespace_flags();
	bool fb_permits = permits(fallback(v, sc));

	if (!sc)
		return !fb_permits;
	for (size_t k = 0; k < sc->n_cond; k++) {
		const struct sf_rule *r = &sc->cond_rules[k];

		for (size_t t = 0; t < r->cond->n; t++) {
			if (fb_permits && !permits(r->action) && term_on_ns(&r->cond->terms[t], ns, false))
				return true;
			if (!fb_permits && permits(r->action) && !term_on_ns(&r->cond->terms[t], ns, true))
				return false;
		}
	}
	return !fb_permits;
}

/* RestrictNamespaces= and LockPersonality=, where the rules say as much. */
static void put_implied(FILE *f, struct seccomp_view *v)
{
	const struct sf_syscall_rules *pers = policy_find_syscall(v->pol, "personality");
	bool pers_limited = !permits(fallback(v, pers));

	if (refused(v, "unshare") && refused(v, "setns") && refused(v, "clone3") && clone_makes_no_namespace(v)) {
		fputs("# [seccomp]: unshare, setns, clone3 and clone with namespace flags are refused\n", f);
		fputs("RestrictNamespaces=yes\n", f);
	}
	for (size_t k = 0; pers && k < pers->n_cond; k++)
		pers_limited |= !permits(pers->cond_rules[k].action);
	if (pers_limited) {
		fputs("# [seccomp]: personality is refused, or limited to some values\n", f);
		fputs("LockPersonality=yes\n", f);
		v->lock_personality = true;
	}
}

static int emit_seccomp(FILE *f, struct sd_notes *no, const struct sf_policy *pol)
{
	struct seccomp_view v = {
		.pol = pol,
		.spec = &pol->filter,
		.dflt = pol->filter.default_action,
		.sock = policy_find_syscall(pol, "socket"),
		.allow_mode = !permits(pol->filter.default_action),
	};
	const struct sf_filter_spec *spec = v.spec;

	v.have_fams = socket_families(v.sock, v.sock && v.sock->has_uncond ? v.sock->uncond.action : v.dflt, v.fams,
	    sizeof(v.fams) / sizeof(v.fams[0]), &v.fam_allow);

	/* Architectures: the native one always comes first. */
	sd_source(f, "[seccomp] default-action", &spec->default_origin);
	fputs("SystemCallArchitectures=native", f);
	for (size_t i = 1; i < spec->n_arches; i++) {
		const char *n = arch_name(spec->arches[i]);

		fprintf(f, " %s", n ? n : "?");
	}
	fputc('\n', f);

	put_filter_list(f, &v);
	put_log_list(f, &v);
	put_families(f, &v);
	put_implied(f, &v);
	note_unsaid(no, &v);
	return 0;
}

int export_systemd(const struct sf_policy *pol, char **ret, size_t *ret_len, struct sf_diag *d)
{
	_cleanup_membuf_ struct membuf m = { 0 }, nm = { 0 };
	_cleanup_free_ char *nbuf = NULL;
	char *buf = NULL;
	size_t nlen = 0;
	struct sd_notes no = { 0 };
	FILE *f;
	int r = 0;

	if (membuf_open(&m) < 0 || membuf_open(&nm) < 0)
		return diag_fail(d, -ENOMEM, "cannot export the policy as systemd directives");
	f = m.f;
	no.f = nm.f;
	fputs("# systemd unit directives written by sysfence --export=systemd\n", f);
	if (pol->description)
		fprintf(f, "# profile: %s\n", pol->description);
	fputs("[Service]\n", f);
	if (pol->nnp_origin.file)
		sd_source(f, "no-new-privs", &pol->nnp_origin);
	fprintf(f, "NoNewPrivileges=%s\n", pol->nnp == SF_NNP_NO ? "no" : "yes");
	if (pol->user) {
		sd_source(f, "user", &pol->user_origin);
		fprintf(f, "User=%s\n", pol->user);
	}
	if (pol->group) {
		sd_source(f, "group", &pol->group_origin);
		fprintf(f, "Group=%s\n", pol->group);
	}
	if (pol->caps_changed) {
		if (pol->caps_unsaid)
			fputs("# no [capabilities]: every capability dropped\n", f);
		else
			sd_source(f, "[capabilities]", &pol->caps_origin);
		print_caps(f, "CapabilityBoundingSet", pol->caps_keep);
		/* With user = the kept capabilities are raised as
		 * ambient so they survive the switch. */
		if (pol->user && pol->caps_keep)
			print_caps(f, "AmbientCapabilities", pol->caps_keep);
	}
	if (pol->has_filter)
		r = emit_seccomp(f, &no, pol);
	sd_put_settings(f, &no, pol);
	if (pol->nnp == SF_NNP_NO && pol->has_filter)
		sd_note(&no,
		    "no-new-privs = no (%s:%u): systemd sets no_new_privs anyway for a system call filter unless the service keeps CAP_SYS_ADMIN",
		    pol->nnp_origin.file ? pol->nnp_origin.file : "command line", pol->nnp_origin.line);
	nbuf = membuf_take(&nm, &nlen);
	if (no.n && nbuf) {
		fputs("# Not expressed: systemd cannot say the following.\n", f);
		fwrite(nbuf, 1, nlen, f);
	}
	if (r == 0 && no.n && !nbuf)
		r = -ENOMEM;
	buf = r == 0 ? membuf_take(&m, ret_len) : NULL;
	if (!buf) {
		diag_fail(d, -ENOMEM, "cannot export the policy as systemd directives");
		return r < 0 ? r : -ENOMEM;
	}
	*ret = buf;
	return 0;
}
