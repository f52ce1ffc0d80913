/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sandbox_settings.h"
#include "array.h"
#include "path_list.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const system_names[] = { "no", "yes", "full", "strict", NULL };
static const char *const home_names[] = { "no", "yes", "read-only", "tmpfs", NULL };
static const char *const namespaces_names[] = { "required", "best-effort", NULL };
static const char *const path_keys[] = { "read-only-paths", "read-write-paths", "inaccessible-paths" };

const char *sandbox_protect_system_name(int v)
{
	return v >= 0 && v <= SF_PROTECT_SYSTEM_STRICT ? system_names[v] : "?";
}

const char *sandbox_protect_home_name(int v)
{
	return v >= 0 && v <= SF_PROTECT_HOME_TMPFS ? home_names[v] : "?";
}

const char *sandbox_path_key(enum sf_sandbox_path_kind k)
{
	return path_keys[k];
}

static const struct {
	const char *key;
	size_t offset; /* of its struct sf_sandbox_flag */
} flags[] = {
	{ "restrict-suid-sgid", offsetof(struct sf_sandbox_settings, restrict_suid_sgid) },
	{ "isolate-signals", offsetof(struct sf_sandbox_settings, isolate_signals) },
	{ "isolate-abstract-sockets", offsetof(struct sf_sandbox_settings, isolate_abstract_sockets) },
	{ "private-tmp", offsetof(struct sf_sandbox_settings, private_tmp) },
	{ "private-devices", offsetof(struct sf_sandbox_settings, private_devices) },
	{ "private-network", offsetof(struct sf_sandbox_settings, private_network) },
	{ "protect-kernel-tunables", offsetof(struct sf_sandbox_settings, protect_kernel_tunables) },
	{ "protect-control-groups", offsetof(struct sf_sandbox_settings, protect_control_groups) },
};

/* The index of the yes/no key named key in flags[], or -1. */
static int flag_index(const char *key)
{
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(key, flags[i].key) == 0)
			return (int)i;
	return -1;
}

static const struct {
	const char *key;
	size_t offset; /* of its struct sf_sandbox_choice */
	const char *const *names; /* the words it takes */
} choices[] = {
	{ "protect-system", offsetof(struct sf_sandbox_settings, protect_system), system_names },
	{ "protect-home", offsetof(struct sf_sandbox_settings, protect_home), home_names },
	{ "namespaces", offsetof(struct sf_sandbox_settings, namespaces), namespaces_names },
};

/* The index of the multiple-choice key named key in choices[], or -1. */
static int choice_index(const char *key)
{
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (strcmp(key, choices[i].key) == 0)
			return (int)i;
	return -1;
}

static int path_kind_of(const char *key)
{
	for (int k = 0; k < 3; k++)
		if (strcmp(key, path_keys[k]) == 0)
			return k;
	return -1;
}

static int parse_bool(const char *value, bool *ret)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
		*ret = true;
	else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0)
		*ret = false;
	else
		return -EINVAL;
	return 0;
}

static int set_choice(struct sf_sandbox_choice *c, const char *const *names, const char *value, struct sf_origin o,
    unsigned layer, struct sf_diag *d)
{
	int v = -1;
	bool b;

	for (int i = 0; names[i]; i++)
		if (strcmp(value, names[i]) == 0)
			v = i;
	/* "true"/"false" mean what yes/no mean where those are choices. */
	if (v < 0 && names == system_names && parse_bool(value, &b) == 0)
		v = b ? SF_PROTECT_SYSTEM_YES : SF_PROTECT_SYSTEM_NO;
	if (v < 0 && names == home_names && parse_bool(value, &b) == 0)
		v = b ? SF_PROTECT_HOME_YES : SF_PROTECT_HOME_NO;
	if (v < 0) {
		char list[96];
		size_t n = 0;

		for (int i = 0; names[i] && n < sizeof(list); i++)
			n += (size_t)snprintf(
			    list + n, sizeof(list) - n, "%s%s", i ? (names[i + 1] ? ", " : " or ") : "", names[i]);
		return diag_at(d, o, -EINVAL, "expected %s, found \"%s\"", list, value);
	}
	*c = (struct sf_sandbox_choice){ .set = true, .value = v, .origin = o, .layer = layer };
	return 0;
}

/* PATHS: white-space separated, each absolute, "~/…", "~" or "${VAR}…",
 * optionally prefixed with "-". An empty value drops earlier lines. */
static int add_paths(struct sf_sandbox_settings *s, enum sf_sandbox_path_kind k, const char *value, struct sf_origin o,
    struct sf_diag *d)
{
	const char *cursor = value, *p;
	size_t len;
	bool optional;

	if (!*value) {
		size_t keep = 0;

		for (size_t i = 0; i < s->n_paths; i++) {
			if (s->paths[i].kind == k)
				free(s->paths[i].path);
			else
				s->paths[keep++] = s->paths[i];
		}
		s->n_paths = keep;
		return 0;
	}
	while (path_list_next(&cursor, &p, &len, &optional)) {
		if (len == 0 || !(p[0] == '/' || p[0] == '$' || (p[0] == '~' && (len == 1 || p[1] == '/'))))
			return diag_at(d, o, -EINVAL,
			    "%s: paths must be absolute or start with ~/ or ${VAR}, found \"%.*s\"", path_keys[k],
			    (int)len, p);
		if (ARRAY_RESERVE(s->paths, s->cap_paths, s->n_paths + 1) < 0)
			return -ENOMEM;
		s->paths[s->n_paths] = (struct sf_sandbox_path){
			.path = strndup(p, len), .optional = optional, .kind = k, .origin = o, .layer = s->layer
		};
		if (!s->paths[s->n_paths].path)
			return -ENOMEM;
		s->n_paths++;
	}
	return 0;
}

int sandbox_set(
    struct sf_sandbox_settings *s, const char *key, const char *value, struct sf_origin o, struct sf_diag *d)
{
	const int fi = flag_index(key);
	const int ci = choice_index(key);
	int k = path_kind_of(key);
	bool v;

	if (ci >= 0)
		return set_choice((struct sf_sandbox_choice *)((char *)s + choices[ci].offset), choices[ci].names,
		    value, o, s->layer, d);
	if (k >= 0)
		return add_paths(s, (enum sf_sandbox_path_kind)k, value, o, d);
	if (fi < 0)
		return diag_at(d, o, -EINVAL, "unknown key \"%s\" in [sandbox]", key);
	if (parse_bool(value, &v) < 0)
		return diag_at(d, o, -EINVAL, "expected yes or no, found \"%s\"", value);
	*(struct sf_sandbox_flag *)((char *)s + flags[fi].offset) =
	    (struct sf_sandbox_flag){ .set = true, .value = v, .origin = o, .layer = s->layer };
	return 0;
}

/* A yes/no key not written takes yes (when on) or no: returns whether
 * the default turned it on. */
static bool flag_default(struct sf_sandbox_flag *f, bool on)
{
	if (f->set)
		return false;
	f->value = on;
	return on;
}

void sandbox_resolve(struct sf_sandbox_settings *s, bool as_root, bool switches_user)
{
	const bool root = as_root && !switches_user;

	flag_default(&s->isolate_signals, true);
	flag_default(&s->isolate_abstract_sockets, true);
	/* A root program without capabilities still owns /etc/passwd, the
	 * binaries under /usr and the kernel's tunables; and the disks'
	 * device nodes, where a raw write would undo every read-only mount
	 * above. */
	s->suid_root_default = flag_default(&s->restrict_suid_sgid, root);
	s->system_root_default = !s->protect_system.set && root;
	if (s->system_root_default)
		s->protect_system.value = SF_PROTECT_SYSTEM_FULL;
	s->tunables_root_default = flag_default(&s->protect_kernel_tunables, root);
	s->devices_root_default = flag_default(&s->private_devices, root);
}

bool sandbox_needs_namespaces(const struct sf_sandbox_settings *s)
{
	return s->private_tmp.value || s->private_devices.value || s->private_network.value ||
	    s->protect_kernel_tunables.value || s->protect_control_groups.value ||
	    s->protect_system.value != SF_PROTECT_SYSTEM_NO || s->protect_home.value != SF_PROTECT_HOME_NO ||
	    s->n_paths > 0;
}

void sandbox_settings_clear(struct sf_sandbox_settings *s)
{
	for (size_t i = 0; i < s->n_paths; i++)
		free(s->paths[i].path);
	free(s->paths);
	s->paths = NULL;
	s->n_paths = s->cap_paths = 0;
}
