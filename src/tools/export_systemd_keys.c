/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --export=systemd, the sections other than [seccomp] and
 * [capabilities]: each key becomes the directive of systemd.exec(5) or
 * systemd.resource-control(5) that means the same, under a comment naming
 * its line, or a note in the "not expressed" list saying why not. Nothing
 * is left out silently. */
#include "cleanup.h"
#include "export_systemd_int.h"
#include "limits_settings.h"
#include "policy.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

void sd_note(struct sd_notes *no, const char *fmt, ...)
{
	va_list ap;

	fputs("# - ", no->f);
	va_start(ap, fmt);
	/* clang-analyzer 14 loses track of va_start through the format
	 * attribute on the declaration. */
	vfprintf(no->f, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	fputc('\n', no->f);
	no->n++;
}

void sd_where(const struct sf_origin *o, char *buf, size_t len)
{
	if (o->file)
		snprintf(buf, len, "%s:%u", o->file, o->line);
	else
		snprintf(buf, len, "command line");
}

void sd_source(FILE *f, const char *key, const struct sf_origin *o)
{
	char w[4200];

	sd_where(o, w, sizeof(w));
	fprintf(f, "# %s (%s)\n", key, w);
}

/* A value for a unit file: systemd expands % specifiers, so % is
 * doubled; with quote set, the value is in double quotes with C escapes
 * (Environment=, paths with blanks). */
static void put_value(FILE *f, const char *s, bool quote)
{
	if (quote)
		fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '%')
			fputs("%%", f);
		else if (quote && (c == '"' || c == '\\'))
			fprintf(f, "\\%c", c);
		else if (quote && (c < 0x20 || c == 0x7f))
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	if (quote)
		fputc('"', f);
}

static bool needs_quotes(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s) || *s == '"' || *s == '\'' || *s == '\\' || (unsigned char)*s < 0x20)
			return true;
	return false;
}

/* ${VAR} is expanded from sysfence's environment at launch; a unit has
 * no such expansion. */
static bool has_variable(const char *s)
{
	return strstr(s, "${") != NULL;
}

static void put_process(FILE *f, struct sd_notes *no, const struct sf_process_settings *ps)
{
	char w[4200];

	if (ps->new_session_origin.file) {
		sd_where(&ps->new_session_origin, w, sizeof(w));
		sd_note(no,
		    "new-session = %s (%s): no directive; systemd starts every service in a session of its own%s",
		    ps->new_session ? "yes" : "no", w, ps->new_session ? ", so the unit does this anyway" : "");
	}
	if (ps->die_with_parent_origin.file) {
		sd_where(&ps->die_with_parent_origin, w, sizeof(w));
		sd_note(no, "die-with-parent = %s (%s): no directive; a service's parent is the service manager%s",
		    ps->die_with_parent ? "yes" : "no", w,
		    ps->die_with_parent ? ", whose stop ends it (KillMode=)" : "");
	}
	if (ps->close_fds_origin.file) {
		sd_where(&ps->close_fds_origin, w, sizeof(w));
		sd_note(no,
		    "close-fds = %s (%s): no directive; systemd passes a service only descriptors 0-2 and its sockets (LISTEN_FDS)%s",
		    ps->close_fds ? "yes" : "no", w, ps->close_fds ? ", as close-fds does" : "");
	}
	if (ps->has_umask) {
		sd_source(f, "umask", &ps->umask_origin);
		fprintf(f, "UMask=%04o\n", (unsigned)ps->umask);
	}
	if (ps->chdir && ps->chdir[0] == '/' && !has_variable(ps->chdir)) {
		sd_source(f, "chdir", &ps->chdir_origin);
		fputs("WorkingDirectory=", f);
		put_value(f, ps->chdir, false);
		fputc('\n', f);
	} else if (ps->chdir) {
		sd_where(&ps->chdir_origin, w, sizeof(w));
		sd_note(no, "chdir = %s (%s): WorkingDirectory= takes an absolute path without ${VAR}; set it by hand",
		    ps->chdir, w);
	}
	if (ps->env_clear_origin.file) {
		sd_where(&ps->env_clear_origin, w, sizeof(w));
		sd_note(no,
		    "env-clear = %s (%s): no directive; a service starts from the service manager's small environment, never the caller's%s",
		    ps->env_clear ? "yes" : "no", w, ps->env_clear ? " (what env-clear gives)" : "");
	}
	for (size_t i = 0; i < ps->n_env_keep; i++) {
		const struct sf_env_item *e = &ps->env_keep[i];

		if (strpbrk(e->text, "*?[")) {
			sd_where(&e->origin, w, sizeof(w));
			sd_note(no, "env-keep = %s (%s): PassEnvironment= takes names, not patterns", e->text, w);
			continue;
		}
		sd_source(f, "env-keep", &e->origin);
		fprintf(f, "PassEnvironment=%s\n", e->text);
	}
	for (size_t i = 0; i < ps->n_env_set; i++) {
		const struct sf_env_item *e = &ps->env_set[i];

		if (has_variable(e->text)) {
			sd_where(&e->origin, w, sizeof(w));
			sd_note(
			    no, "env-set = %s (%s): Environment= does not expand ${VAR}; set it by hand", e->text, w);
			continue;
		}
		sd_source(f, "env-set", &e->origin);
		fputs("Environment=", f);
		put_value(f, e->text, true);
		fputc('\n', f);
	}
}

static void put_rlim(FILE *f, rlim_t v)
{
	if (v == RLIM_INFINITY)
		fputs("infinity", f);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

/* [limits]: Limit<KEY>= for every key; plain numbers mean what the
 * rlimit means (bytes, seconds for cpu, microseconds for rttime, the raw
 * 0..40 for nice). */
static void put_limits(FILE *f, const struct sf_limits_settings *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		const struct sf_limit *l = &ls->items[i];
		const char *name = limits_name(l->resource);

		sd_source(f, name, &l->origin);
		fputs("Limit", f);
		for (const char *c = name; *c; c++)
			fputc(toupper((unsigned char)*c), f);
		fputc('=', f);
		put_rlim(f, l->rl.rlim_cur);
		if (l->rl.rlim_max != l->rl.rlim_cur) {
			fputc(':', f);
			put_rlim(f, l->rl.rlim_max);
		}
		fputc('\n', f);
	}
}

/* The directive line paths are being written to: one per line of the
 * profile and directive, "# KEY (FILE:LINE)" above it. */
struct path_line {
	const struct sf_origin *origin; /* NULL: none open */
	const char *directive;
};

/* One path of a list key: onto the open line when it comes from the same
 * line of the profile for the same directive, else on a new one. "~" is
 * the unit's %h; a path with ${VAR} cannot be said and is a note. */
static void put_path(FILE *f, struct sd_notes *no, struct path_line *pl, const char *key, const char *directive,
    const struct sf_origin *origin, bool optional, const char *path)
{
	char w[4200];

	if (has_variable(path)) {
		sd_where(origin, w, sizeof(w));
		sd_note(no, "%s = %s%s (%s): paths with ${VAR} are expanded at launch; write the path by hand", key,
		    optional ? "-" : "", path, w);
		return;
	}
	if (!pl->origin || pl->origin->file != origin->file || pl->origin->line != origin->line ||
	    strcmp(pl->directive, directive) != 0) {
		if (pl->origin)
			fputc('\n', f);
		sd_source(f, key, origin);
		fprintf(f, "%s=", directive);
		*pl = (struct path_line){ origin, directive };
	} else
		fputc(' ', f);
	fputs(optional ? "-" : "", f);
	if (path[0] == '~') {
		fputs("%h", f);
		path++;
	}
	put_value(f, path, needs_quotes(path));
}

/* Ends the open line, if any. */
static void put_paths_end(FILE *f, struct path_line *pl)
{
	if (pl->origin)
		fputc('\n', f);
	pl->origin = NULL;
}

/* The paths of one [filesystem] key. */
static void put_paths(
    FILE *f, struct sd_notes *no, const struct sf_fs_settings *fs, enum sf_fs_access a, const char *directive)
{
	struct path_line pl = { 0 };

	for (size_t i = 0; i < fs->n; i++)
		if (fs->paths[i].access == a)
			put_path(f, no, &pl, landlock_access_key(a), directive, &fs->paths[i].origin,
			    fs->paths[i].optional, fs->paths[i].path);
	put_paths_end(f, &pl);
}

/* [filesystem]: Landlock grants only the listed trees. Mounts cannot
 * make the rest unreachable without knowing it, so the unit makes it
 * read-only and not executable, and the note says the difference. */
static void put_filesystem(FILE *f, struct sd_notes *no, const struct sf_fs_settings *fs)
{
	char w[4200];

	if (fs->mode_set) {
		sd_where(&fs->mode_origin, w, sizeof(w));
		sd_note(no,
		    "landlock = %s (%s): no directive; ReadOnlyPaths= and the like are mounts, which need no Landlock",
		    fs->mode == SF_LANDLOCK_BEST_EFFORT ? "best-effort" : "required", w);
	}
	if (fs->n == 0)
		return;
	sd_where(&fs->paths[0].origin, w, sizeof(w));
	fprintf(f,
	    "# [filesystem] (%s): nothing outside the read-write trees is writable, nothing outside the execute trees runs\n",
	    w);
	fputs("ReadOnlyPaths=/\nNoExecPaths=/\n", f);
	sd_note(no,
	    "[filesystem] (%s): Landlock makes every path outside the listed trees unreachable; the unit only keeps it from being written and run (add InaccessiblePaths= for what must stay hidden)",
	    w);
	put_paths(f, no, fs, SF_FS_READ_ONLY, "ReadOnlyPaths");
	put_paths(f, no, fs, SF_FS_READ_WRITE, "ReadWritePaths");
	put_paths(f, no, fs, SF_FS_EXECUTE, "ExecPaths");
}

/* connect-tcp and bind-tcp. ([network] families is said with the
 * seccomp directives, as RestrictAddressFamilies=.) */
static void put_ports(FILE *f, struct sd_notes *no, const struct sf_network_settings *net)
{
	char w[4200];

	if (net->connect_tcp.set) {
		_cleanup_free_ char *ports = netport_format(&net->connect_tcp);

		sd_where(&net->connect_tcp.origin, w, sizeof(w));
		sd_note(no,
		    "connect-tcp = %s (%s): systemd cannot limit the ports a service connects to (IPAddressAllow= limits addresses)",
		    ports ? ports : "?", w);
	}
	if (net->bind_tcp.set) {
		sd_source(f, "bind-tcp", &net->bind_tcp.origin);
		/* Only TCP is restricted: UDP binds stay allowed. */
		fputs("SocketBindAllow=udp\n", f);
		for (size_t i = 0; i < net->bind_tcp.n; i++) {
			const struct sf_port_range *r = &net->bind_tcp.ranges[i];

			if (r->lo == r->hi)
				fprintf(f, "SocketBindAllow=tcp:%u\n", r->lo);
			else
				fprintf(f, "SocketBindAllow=tcp:%u-%u\n", r->lo, r->hi);
		}
		fputs("SocketBindDeny=any\n", f);
	}
}

/* [sandbox]: one line per key. A key with a directive of the same
 * meaning names it; one without says why not, and, when it is on without
 * being written, when that default holds. New keys of the yes/no kind are
 * one line here. */
#define LANDLOCK_6 "default where the kernel has Landlock ABI 6"
static const struct sandbox_key {
	const char *key;
	size_t offset; /* of its struct sf_sandbox_flag in struct sf_sandbox_settings */
	const char *directive; /* NULL: systemd has none */
	const char *why_not; /* with directive NULL: what a unit lacks */
	const char *on_by_default; /* with directive NULL: when an unwritten key is on */
} sandbox_keys[] = {
	{ "restrict-suid-sgid", offsetof(struct sf_sandbox_settings, restrict_suid_sgid), "RestrictSUIDSGID", NULL,
	    NULL },
	{ "isolate-signals", offsetof(struct sf_sandbox_settings, isolate_signals), NULL,
	    "a Landlock scope; systemd has no directive that keeps a service from signalling other processes of its user",
	    LANDLOCK_6 },
	{ "isolate-abstract-sockets", offsetof(struct sf_sandbox_settings, isolate_abstract_sockets), NULL,
	    "a Landlock scope; systemd has no directive for it (PrivateNetwork= gives a service abstract sockets of its own, but takes the network too)",
	    LANDLOCK_6 },
	{ "private-tmp", offsetof(struct sf_sandbox_settings, private_tmp), "PrivateTmp", NULL, NULL },
	{ "private-devices", offsetof(struct sf_sandbox_settings, private_devices), "PrivateDevices", NULL, NULL },
	{ "private-network", offsetof(struct sf_sandbox_settings, private_network), "PrivateNetwork", NULL, NULL },
	{ "protect-kernel-tunables", offsetof(struct sf_sandbox_settings, protect_kernel_tunables),
	    "ProtectKernelTunables", NULL, NULL },
	{ "protect-control-groups", offsetof(struct sf_sandbox_settings, protect_control_groups),
	    "ProtectControlGroups", NULL, NULL },
};

/* read-only-paths, read-write-paths, inaccessible-paths: one directive
 * per line of the profile, in the order written. */
static void put_sandbox_paths(FILE *f, struct sd_notes *no, const struct sf_sandbox_settings *sb)
{
	static const char *const directives[] = { "ReadOnlyPaths", "ReadWritePaths", "InaccessiblePaths" };
	struct path_line pl = { 0 };
	bool layered = false;

	for (size_t i = 0; i < sb->n_paths; i++) {
		const struct sf_sandbox_path *p = &sb->paths[i];

		if (!has_variable(p->path) && i > 0 && p->layer != sb->paths[i - 1].layer)
			layered = true;
		put_path(f, no, &pl, sandbox_path_key(p->kind), directives[p->kind], &p->origin, p->optional, p->path);
	}
	put_paths_end(f, &pl);
	if (layered)
		sd_note(no,
		    "[sandbox] paths from several files: sysfence lets a later file's key win for one path; systemd lets the more specific path win, and for the same path applies InaccessiblePaths= over ReadOnlyPaths= over ReadWritePaths=");
}

static void put_sandbox(FILE *f, struct sd_notes *no, const struct sf_sandbox_settings *sb)
{
	char w[4200];

	for (size_t i = 0; i < sizeof(sandbox_keys) / sizeof(sandbox_keys[0]); i++) {
		const struct sandbox_key *k = &sandbox_keys[i];
		const struct sf_sandbox_flag *flag = (const void *)((const char *)sb + k->offset);

		if (k->directive && flag->set) {
			sd_source(f, k->key, &flag->origin);
			fprintf(f, "%s=%s\n", k->directive, flag->value ? "yes" : "no");
		} else if (!k->directive && flag->set) {
			sd_where(&flag->origin, w, sizeof(w));
			sd_note(no, "%s = %s (%s): %s%s", k->key, flag->value ? "yes" : "no", w, k->why_not,
			    flag->value ? "" : "; the unit does not do it either");
		} else if (!k->directive && flag->value)
			sd_note(no, "%s = yes (%s): %s", k->key, k->on_by_default ? k->on_by_default : "default",
			    k->why_not);
	}
	/* The root defaults are not the profile's (docs/export.md): only
	 * what it writes. */
	if (sb->protect_system.set) {
		sd_source(f, "protect-system", &sb->protect_system.origin);
		fprintf(f, "ProtectSystem=%s\n", sandbox_protect_system_name(sb->protect_system.value));
	}
	if (sb->protect_home.set) {
		sd_source(f, "protect-home", &sb->protect_home.origin);
		fprintf(f, "ProtectHome=%s\n", sandbox_protect_home_name(sb->protect_home.value));
	}
	put_sandbox_paths(f, no, sb);
	if (sb->namespaces.set) {
		sd_where(&sb->namespaces.origin, w, sizeof(w));
		sd_note(no,
		    "namespaces = %s (%s): no directive; systemd fails the unit where it cannot set up its namespaces%s",
		    sb->namespaces.value == SF_NAMESPACES_BEST_EFFORT ? "best-effort" : "required", w,
		    sb->namespaces.value == SF_NAMESPACES_BEST_EFFORT ? ", as namespaces = required does" : "");
	}
	if (sb->n_paths || sb->private_tmp.value || sb->protect_home.value == SF_PROTECT_HOME_TMPFS)
		sd_note(no,
		    "[sandbox]: sysfence shows the program's own file and a working directory inside a private /tmp again where the view would hide them; a unit does not");
}

void sd_put_settings(FILE *f, struct sd_notes *no, const struct sf_policy *pol)
{
	put_process(f, no, &pol->process);
	put_limits(f, &pol->limits);
	put_filesystem(f, no, &pol->fs);
	put_ports(f, no, &pol->network);
	put_sandbox(f, no, &pol->sandbox);
}
