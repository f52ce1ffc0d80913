/* SPDX-License-Identifier: GPL-2.0-or-later */
/* [network]: family names, port lists, and the socket/socketpair rules
 * that families adds to the filter, run through the BPF interpreter. */
#include "bpfsim.h"
#include "filter.h"
#include "netfamily.h"
#include "policy.h"
#include "profile.h"
#include "tap.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>

static char *first_msg(const struct sf_diag *d)
{
	return d->n ? diag_format(&d->msgs[0]) : NULL;
}

static const struct sf_origin O = { "t.ini", 3 };

static void test_netfamily_names(void)
{
	CHECK_INT(netfamily_from_name("unix"), AF_UNIX);
	CHECK_INT(netfamily_from_name("AF_INET6"), AF_INET6);
	CHECK_INT(netfamily_from_name("Netlink"), AF_NETLINK);
	CHECK_INT(netfamily_from_name("local"), AF_UNIX);
	CHECK_INT(netfamily_from_name("vsock"), AF_VSOCK);
	CHECK_INT(netfamily_from_name("inet4"), -EINVAL);
	CHECK_STR(netfamily_name(AF_PACKET), "packet");
	CHECK_STR(netfamily_name(AF_UNIX), "unix");
}

static void test_netfamily_lists_and_errors(void)
{
	static const struct {
		const char *value, *msg;
	} bad[] = {
		{ "unix inet4", "sysfence: t.ini:3: unknown socket family \"inet4\" (did you mean \"inet\"?)" },
		{ "unix bogus", "sysfence: t.ini:3: unknown socket family \"bogus\"" },
		{ "none unix", "sysfence: t.ini:3: \"none\" cannot be combined with family names" },
		{ "", "sysfence: t.ini:3: empty list: name socket families (unix inet inet6 ...) or \"none\"" },
	};
	struct sf_network_settings s = { 0 };
	struct sf_diag d = { 0 };
	char *f;

	CHECK_INT(netfamily_add(&s, "unix, inet", O, &d), 0);
	CHECK_INT(netfamily_add(&s, "AF_INET6", O, &d), 0);
	f = netfamily_format(s.families);
	CHECK_STR(f, "unix inet inet6");
	free(f);
	network_settings_clear(&s);
	CHECK_INT(netfamily_add(&s, "none", O, &d), 0);
	CHECK(s.has_families && s.families == 0);
	f = netfamily_format(s.families);
	CHECK_STR(f, "none");
	free(f);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *m;

		diag_clear(&d);
		CHECK_INT(netfamily_add(&s, bad[i].value, O, &d), -EINVAL);
		m = first_msg(&d);
		CHECK_STR(m, bad[i].msg);
		free(m);
	}
	network_settings_clear(&s);
	diag_clear(&d);
}

static void test_netport_lists_and_errors(void)
{
	static const struct {
		const char *value, *msg;
	} bad[] = {
		{ "80 http", "sysfence: t.ini:3: invalid TCP port \"http\" for connect-tcp (expected 0-65535, a range such as 8000-8080, or \"none\")" },
		{ "65536", "sysfence: t.ini:3: invalid TCP port \"65536\" for connect-tcp (expected 0-65535, a range such as 8000-8080, or \"none\")" },
		{ "90-80", "sysfence: t.ini:3: invalid TCP port range \"90-80\" for connect-tcp (the first port is above the last)" },
		{ "-1", "sysfence: t.ini:3: invalid TCP port \"-1\" for connect-tcp (expected 0-65535, a range such as 8000-8080, or \"none\")" },
	};
	struct sf_port_list l = { 0 };
	struct sf_diag d = { 0 };
	char *f;

	CHECK_INT(netport_add(&l, "connect-tcp", "none", O, &d), 0);
	CHECK(l.set && l.n == 0);
	CHECK_INT(netport_add(&l, "connect-tcp", "80 443,8000-8080", O, &d), 0);
	f = netport_format(&l);
	CHECK_STR(f, "80 443 8000-8080");
	free(f);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *m;

		diag_clear(&d);
		CHECK_INT(netport_add(&l, "connect-tcp", bad[i].value, O, &d), -EINVAL);
		m = first_msg(&d);
		CHECK_STR(m, bad[i].msg);
		free(m);
	}
	free(l.ranges);
	diag_clear(&d);
}

/* Build a policy from text and run socket(family) through its filter. */
static uint32_t verdict(const char *text, int nr, uint64_t family)
{
	struct sf_profile *p = profile_new();
	struct sf_policy *pol = NULL;
	struct sf_filter *f = NULL;
	struct sf_diag d = { 0 };
	struct seccomp_data sd = { .nr = nr, .arch = seccomp_arch_native(), .args = { family, SOCK_STREAM, 0 } };
	uint32_t ret = 0xdead;

	if (profile_parse_text(p, "t.ini", text, strlen(text), &d) == 0 && policy_build(p, NULL, NULL, &pol, &d) == 0 &&
	    filter_build(&pol->filter, &f, &d) == 0)
		ret = bpfsim_run(f->insns, f->n, &sd, NULL);
	filter_free(f);
	policy_free(pol);
	profile_free(p);
	diag_clear(&d);
	return ret;
}

#define EAFNO (SECCOMP_RET_ERRNO | EAFNOSUPPORT)

static void test_families_refuse_other_families_with_eafnosupport(void)
{
	const char *only = "[seccomp]\ndefault-action = allow\n[network]\nfamilies = unix inet\n";

	CHECK_INT(verdict(only, __NR_socket, AF_INET), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(only, __NR_socket, AF_UNIX), SECCOMP_RET_ALLOW);
	CHECK_INT(verdict(only, __NR_socket, AF_NETLINK), EAFNO);
	CHECK_INT(verdict(only, __NR_socketpair, AF_INET6), EAFNO);
	CHECK_INT(verdict(only, __NR_getpid, 0), SECCOMP_RET_ALLOW);	/* default-action = allow */
	/* Upper bits set: the kernel reads AF_UNIX, the rule refuses anyway. */
	CHECK_INT(verdict(only, __NR_socket, AF_UNIX | (UINT64_C(1) << 32)), EAFNO);
	CHECK_INT(verdict("[seccomp]\ndefault-action = allow\n[network]\nfamilies = none\n", __NR_socket, AF_UNIX), EAFNO);
	/* families alone names no default action: the policy is refused. */
	CHECK_INT(verdict("[network]\nfamilies = unix inet\n", __NR_socket, AF_INET), 0xdead);
}

static void test_families_win_over_allow_but_not_over_kill(void)
{
	/* An allow rule of the profile cannot widen families. */
	CHECK_INT(verdict("[seccomp]\ndefault-action = EPERM\nallow = socket\n"
			  "allow = socket if arg0 == AF_NETLINK\n[network]\nfamilies = inet\n",
		      __NR_socket, AF_NETLINK),
	    EAFNO);
	/* A more restrictive conditional rule still wins. */
	CHECK_INT(verdict("[seccomp]\ndefault-action = allow\nkill = socket if arg0 == AF_INET\n"
			  "[network]\nfamilies = inet unix\n",
		      __NR_socket, AF_INET),
	    SECCOMP_RET_KILL_PROCESS);
	/* A killed socket stays killed for every family. */
	CHECK_INT(verdict("[seccomp]\ndefault-action = allow\nkill = socket\n[network]\nfamilies = inet\n",
		      __NR_socket, AF_PACKET),
	    SECCOMP_RET_KILL_PROCESS);
	/* Denied by default: allowed families get the default, others EAFNOSUPPORT. */
	CHECK_INT(verdict("[seccomp]\ndefault-action = EPERM\n[network]\nfamilies = inet\n", __NR_socket, AF_INET),
	    SECCOMP_RET_ERRNO | EPERM);
	CHECK_INT(verdict("[seccomp]\ndefault-action = EPERM\n[network]\nfamilies = inet\n", __NR_socket, AF_PACKET),
	    EAFNO);
}

int main(void)
{
	RUN(test_netfamily_names);
	RUN(test_netfamily_lists_and_errors);
	RUN(test_netport_lists_and_errors);
	RUN(test_families_refuse_other_families_with_eafnosupport);
	RUN(test_families_win_over_allow_but_not_over_kill);
	return tap_done();
}
