/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "options.h"
#include "array.h"
#include "cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ARG_JOINED: the value only as --name=VALUE. --learn=FILE is one: with a
 * separate word, "--learn -- prog" would write a file named "--", and
 * "--learn x.ini prog" reads like a run of x.ini. */
enum opt_arg { ARG_NONE, ARG_REQUIRED, ARG_JOINED };

enum opt_id {
	OPT_PROFILE,
	OPT_ALLOW,
	OPT_DENY,
	OPT_KILL,
	OPT_DEFAULT_ACTION,
	OPT_CAPS_KEEP,
	OPT_CAPS_DROP,
	OPT_VERBOSE,
	OPT_QUIET,
	OPT_CHECK,
	OPT_EXPLAIN,
	OPT_LIST,
	OPT_LIST_GROUPS,
	OPT_HELP,
	OPT_VERSION,
	OPT_EXPORT,
	OPT_OUTPUT,
	OPT_LEARN,
	OPT_REPORT,
	OPT_PERMISSIVE,
	OPT_PRECOMPILE,
	OPT_LINK,
	OPT_UNLINK,
	OPT_DIR,
	OPT_SET, /* --set=SECTION.KEY=VALUE */
	OPT_SET_ALIAS, /* --rlimit-nofile=N ...: a --set with a fixed SECTION.KEY */
	OPT_NET, /* --net=none: firejail's only network setting sysfence has */
};

struct opt_def {
	const char *name;
	char short_name;
	enum opt_arg arg;
	enum opt_id id;
	/* Aliases only: what messages and --explain call the option, and for
	 * OPT_SET_ALIAS the SECTION.KEY its value goes to (with "=VALUE"
	 * already when it takes none). */
	const char *label;
	const char *set;
};

static const struct opt_def opt_defs[] = {
	{ "profile", 'p', ARG_REQUIRED, OPT_PROFILE, NULL, NULL },
	{ "allow", 0, ARG_REQUIRED, OPT_ALLOW, NULL, NULL },
	{ "deny", 0, ARG_REQUIRED, OPT_DENY, NULL, NULL },
	{ "kill", 0, ARG_REQUIRED, OPT_KILL, NULL, NULL },
	{ "default-action", 0, ARG_REQUIRED, OPT_DEFAULT_ACTION, NULL, NULL },
	{ "caps-keep", 0, ARG_REQUIRED, OPT_CAPS_KEEP, NULL, NULL },
	{ "caps-drop", 0, ARG_REQUIRED, OPT_CAPS_DROP, NULL, NULL },
	{ "verbose", 'v', ARG_NONE, OPT_VERBOSE, NULL, NULL },
	{ "quiet", 'q', ARG_NONE, OPT_QUIET, NULL, NULL },
	{ "check", 0, ARG_NONE, OPT_CHECK, NULL, NULL },
	{ "explain", 0, ARG_NONE, OPT_EXPLAIN, NULL, NULL },
	{ "list", 0, ARG_NONE, OPT_LIST, NULL, NULL },
	{ "list-groups", 0, ARG_NONE, OPT_LIST_GROUPS, NULL, NULL },
	{ "help", 'h', ARG_NONE, OPT_HELP, NULL, NULL },
	{ "version", 'V', ARG_NONE, OPT_VERSION, NULL, NULL },
	{ "export", 0, ARG_REQUIRED, OPT_EXPORT, NULL, NULL },
	{ "output", 'o', ARG_REQUIRED, OPT_OUTPUT, NULL, NULL },
	{ "learn", 0, ARG_JOINED, OPT_LEARN, NULL, NULL },
	{ "report", 0, ARG_NONE, OPT_REPORT, NULL, NULL },
	{ "permissive", 0, ARG_NONE, OPT_PERMISSIVE, NULL, NULL },
	{ "precompile", 0, ARG_NONE, OPT_PRECOMPILE, NULL, NULL },
	{ "link", 0, ARG_NONE, OPT_LINK, NULL, NULL },
	{ "unlink", 0, ARG_NONE, OPT_UNLINK, NULL, NULL },
	{ "dir", 0, ARG_REQUIRED, OPT_DIR, NULL, NULL },
	{ "set", 0, ARG_REQUIRED, OPT_SET, NULL, NULL },
	/* firejail's names for settings sysfence has, where the meaning is
	 * the same: --read-only is [sandbox]'s read-only mount (not
	 * [filesystem] read-only, Landlock's "only what is listed"). */
	{ "protocol", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--protocol", "network.families" },
	{ "caps.keep", 0, ARG_REQUIRED, OPT_CAPS_KEEP, "--caps.keep", NULL },
	{ "caps.drop", 0, ARG_REQUIRED, OPT_CAPS_DROP, "--caps.drop", NULL },
	{ "nonewprivs", 0, ARG_NONE, OPT_SET_ALIAS, "--nonewprivs", "process.no-new-privs=yes" },
	{ "rlimit-as", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--rlimit-as", "limits.as" },
	{ "rlimit-cpu", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--rlimit-cpu", "limits.cpu" },
	{ "rlimit-fsize", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--rlimit-fsize", "limits.fsize" },
	{ "rlimit-nofile", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--rlimit-nofile", "limits.nofile" },
	{ "rlimit-nproc", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--rlimit-nproc", "limits.nproc" },
	{ "rlimit-sigpending", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--rlimit-sigpending", "limits.sigpending" },
	{ "env", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--env", "process.env-set" },
	{ "private-tmp", 0, ARG_NONE, OPT_SET_ALIAS, "--private-tmp", "sandbox.private-tmp=yes" },
	{ "private-dev", 0, ARG_NONE, OPT_SET_ALIAS, "--private-dev", "sandbox.private-devices=yes" },
	{ "net", 0, ARG_REQUIRED, OPT_NET, "--net", "sandbox.private-network=yes" },
	{ "read-only", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--read-only", "sandbox.read-only-paths" },
	{ "read-write", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--read-write", "sandbox.read-write-paths" },
	{ "blacklist", 0, ARG_REQUIRED, OPT_SET_ALIAS, "--blacklist", "sandbox.inaccessible-paths" },
};

/* --allow/--deny/--kill: one more seccomp rule, ACTION = LIST. */
static int push_rule(struct sf_overrides *ov, size_t *cap, const char *action, const char *label, const char *list)
{
	if (array_reserve(&ov->rules, cap, ov->n_rules + 1, sizeof(*ov->rules)) < 0)
		return -ENOMEM;
	ov->rules[ov->n_rules++] = (struct sf_override_rule){ .action = action, .list = list, .label = label };
	return 0;
}

/* --caps-keep/--caps-drop: one more capabilities line. */
static int push_caps(struct sf_overrides *ov, size_t *cap, bool keep, const char *label, const char *list)
{
	if (array_reserve(&ov->caps, cap, ov->n_caps + 1, sizeof(*ov->caps)) < 0)
		return -ENOMEM;
	ov->caps[ov->n_caps++] = (struct sf_override_caps){ .keep = keep, .list = list, .label = label };
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* s[0..len) without blanks at either end, into *dst (advanced past the
 * copy and its NUL). Returns the copy. */
static char *put_trimmed(char **dst, const char *s, size_t len)
{
	char *out = *dst;

	while (len > 0 && is_blank(s[0]))
		s++, len--;
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	memcpy(out, s, len);
	out[len] = '\0';
	*dst = out + len + 1;
	return out;
}

/* One profile line as SECTION.KEY=VALUE: split at the first "=" and the
 * first "." before it (sections and keys hold neither), blanks around
 * each part trimmed as in a file. The value is taken as is otherwise: it
 * may hold "=" and ";". One allocation holds the three parts; it is
 * freed through the section (options_free). */
static int push_set(struct sf_overrides *ov, size_t *cap, const char *label, const char *text, struct sf_diag *d)
{
	const struct sf_origin at = { label, 0 };
	const char *eq = text ? strchr(text, '=') : NULL;
	const char *dot = eq ? memchr(text, '.', (size_t)(eq - text)) : NULL;
	struct sf_override_set set = { .label = label };
	char *buf, *p;

	if (!eq)
		return diag_at(
		    d, at, -EINVAL, "no \"=VALUE\" in \"%s\" (expected SECTION.KEY=VALUE)", text ? text : "");
	if (!dot)
		return diag_at(
		    d, at, -EINVAL, "no \".\" between section and key in \"%s\" (expected SECTION.KEY=VALUE)", text);
	if (strchr(eq, '\n'))
		return diag_at(d, at, -EINVAL, "the value cannot span lines (give one %s per line)", label);
	if (array_reserve(&ov->sets, cap, ov->n_sets + 1, sizeof(*ov->sets)) < 0 || !(buf = malloc(strlen(text) + 3)))
		return -ENOMEM;
	p = buf;
	set.section = put_trimmed(&p, text, (size_t)(dot - text));
	set.key = put_trimmed(&p, dot + 1, (size_t)(eq - dot - 1));
	set.value = put_trimmed(&p, eq + 1, strlen(eq + 1));
	if (!*set.section || !*set.key) {
		const char *missing = *set.section ? "key" : "section";

		free(buf);
		return diag_at(d, at, -EINVAL, "no %s in \"%s\" (expected SECTION.KEY=VALUE)", missing, text);
	}
	ov->sets[ov->n_sets++] = set;
	return 0;
}

/* An alias of --set: its SECTION.KEY, with the value given (or its own
 * "=VALUE" when it takes none). */
static int push_alias(struct sf_options *o, const struct opt_def *def, const char *value, struct sf_diag *d)
{
	_cleanup_free_ char *text = NULL;

	if (!value)
		return push_set(&o->over, &o->sets_cap, def->label, def->set, d);
	if (asprintf(&text, "%s=%s", def->set, value) < 0)
		return -ENOMEM;
	return push_set(&o->over, &o->sets_cap, def->label, text, d);
}

static int set_mode(struct sf_options *o, enum sf_mode m, const char *name, struct sf_diag *d)
{
	if (o->mode != SF_MODE_RUN && o->mode != m)
		return diag_msg(d, -EINVAL, "option \"--%s\" cannot be combined with another mode option", name);
	o->mode = m;
	return 0;
}

static int apply(struct sf_options *o, const struct opt_def *def, const char *value, struct sf_diag *d)
{
	switch (def->id) {
	case OPT_PROFILE:
		if (!value || !*value)
			return diag_msg(d, -EINVAL, "option \"--profile\" needs a non-empty value");
		o->profile = value;
		return 0;
	case OPT_ALLOW:
		return push_rule(&o->over, &o->rules_cap, "allow", "--allow", value);
	case OPT_DENY:
		return push_rule(&o->over, &o->rules_cap, "deny", "--deny", value);
	case OPT_KILL:
		return push_rule(&o->over, &o->rules_cap, "kill", "--kill", value);
	case OPT_DEFAULT_ACTION:
		o->over.default_action = value;
		o->over.default_action_label = "--default-action";
		return 0;
	case OPT_CAPS_KEEP:
		return push_caps(
		    &o->over, &o->caps_cap, /* keep= */ true, def->label ? def->label : "--caps-keep", value);
	case OPT_CAPS_DROP:
		return push_caps(
		    &o->over, &o->caps_cap, /* keep= */ false, def->label ? def->label : "--caps-drop", value);
	case OPT_SET:
		return push_set(&o->over, &o->sets_cap, "--set", value, d);
	case OPT_SET_ALIAS:
		return push_alias(o, def, value, d);
	case OPT_NET:
		if (!value || strcmp(value, "none") != 0)
			return diag_msg(d, -EINVAL,
			    "--net=%s: only --net=none (a network namespace with loopback only) is supported",
			    value ? value : "");
		return push_alias(o, def, NULL, d);
	case OPT_VERBOSE:
		o->verbose = true;
		o->quiet = false;
		return 0;
	case OPT_QUIET:
		o->quiet = true;
		o->verbose = false;
		return 0;
	case OPT_CHECK:
		return set_mode(o, SF_MODE_CHECK, def->name, d);
	case OPT_EXPLAIN:
		return set_mode(o, SF_MODE_EXPLAIN, def->name, d);
	case OPT_LIST:
		return set_mode(o, SF_MODE_LIST, def->name, d);
	case OPT_LIST_GROUPS:
		return set_mode(o, SF_MODE_LIST_GROUPS, def->name, d);
	case OPT_HELP:
		o->mode = SF_MODE_HELP;
		return 0;
	case OPT_VERSION:
		if (o->mode != SF_MODE_HELP)
			o->mode = SF_MODE_VERSION;
		return 0;
	case OPT_EXPORT:
		if (!value || export_format_parse(value, &o->export_format, d) < 0)
			return -EINVAL;
		return set_mode(o, SF_MODE_EXPORT, def->name, d);
	case OPT_OUTPUT:
		if (!value || !*value)
			return diag_msg(d, -EINVAL, "option \"--output\" needs a non-empty value");
		o->output = value;
		return 0;
	case OPT_LEARN:
		if (!value || !*value)
			return diag_msg(d, -EINVAL, "option \"--learn\" needs a non-empty value");
		if (strcmp(value, "--") == 0)
			return diag_msg(d, -EINVAL,
			    "option \"--learn\" needs a file name, not \"--\": write --learn=FILE -- PROGRAM");
		o->learn = value;
		return 0;
	case OPT_REPORT:
		o->report = true;
		return 0;
	case OPT_PERMISSIVE:
		o->permissive = true;
		return 0;
	case OPT_PRECOMPILE:
		return set_mode(o, SF_MODE_PRECOMPILE, def->name, d);
	case OPT_LINK:
		return set_mode(o, SF_MODE_LINK, def->name, d);
	case OPT_UNLINK:
		return set_mode(o, SF_MODE_UNLINK, def->name, d);
	case OPT_DIR:
		if (!value || !*value)
			return diag_msg(d, -EINVAL, "option \"--dir\" needs a non-empty value");
		o->link_dir = value;
		return 0;
	}
	return diag_msg(d, -EINVAL, "internal: unhandled option");
}

static const struct opt_def *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < ELEMENTSOF(opt_defs); i++)
		if (strlen(opt_defs[i].name) == len && strncmp(opt_defs[i].name, name, len) == 0)
			return &opt_defs[i];
	return NULL;
}

static const struct opt_def *find_short(char c)
{
	for (size_t i = 0; i < ELEMENTSOF(opt_defs); i++)
		if (opt_defs[i].short_name == c)
			return &opt_defs[i];
	return NULL;
}

static int unknown_long(const char *word, size_t len, struct sf_diag *d)
{
	const char *names[ELEMENTSOF(opt_defs) + 1];
	_cleanup_free_ char *bare = strndup(word + 2, len);
	const char *hint;

	for (size_t i = 0; i < ELEMENTSOF(opt_defs); i++)
		names[i] = opt_defs[i].name;
	names[ELEMENTSOF(opt_defs)] = NULL;
	hint = bare ? diag_closest(bare, names) : NULL;
	if (hint)
		return diag_msg(
		    d, -EINVAL, "unknown option \"%.*s\" (did you mean \"--%s\"?)", (int)len + 2, word, hint);
	return diag_msg(d, -EINVAL, "unknown option \"%.*s\"", (int)len + 2, word);
}

/* "--learn" without "=VALUE": name the fix, with the word that followed
 * when it looks like the value meant. */
static int joined_missing(const struct opt_def *def, const char *next, struct sf_diag *d)
{
	if (next && next[0] != '-')
		return diag_msg(d, -EINVAL, "option \"--%s\" takes its value after \"=\": write --%s=%s, not --%s %s",
		    def->name, def->name, next, def->name, next);
	return diag_msg(d, -EINVAL, "option \"--%s\" needs a file: write --%s=FILE", def->name, def->name);
}

static bool ends_in_ini(const char *w)
{
	size_t n = strlen(w);

	return n > 4 && strcmp(w + n - 4, ".ini") == 0;
}

/* --check FILE.ini...: a word ending in ".ini" where PROGRAM would be is a
 * profile to check, never a program; then every word must be one. */
static int take_check_files(struct sf_options *o, struct sf_diag *d)
{
	if (o->mode != SF_MODE_CHECK || o->argc == 0 || !ends_in_ini(o->argv[0]))
		return 0;
	for (int k = 0; k < o->argc; k++)
		if (!ends_in_ini(o->argv[k]))
			return diag_msg(d, -EINVAL,
			    "unexpected argument \"%s\" after the profiles to check (--check FILE.ini...)", o->argv[k]);
	o->check_files = o->argv;
	o->n_check_files = o->argc;
	o->argv += o->argc;
	o->argc = 0;
	return 0;
}

/* --link PROGRAM... --dir DIR: the words after the options are program
 * names, among which --dir may come (as in sysfence(1)'s synopsis). */
static int take_link_names(struct sf_options *o, struct sf_diag *d)
{
	size_t n = 0;
	bool names_only = false;

	if (o->mode != SF_MODE_LINK && o->mode != SF_MODE_UNLINK)
		return 0;
	o->link_names = calloc((size_t)o->argc + 1, sizeof(*o->link_names));
	if (!o->link_names)
		return -ENOMEM;
	for (int k = 0; k < o->argc; k++) {
		const char *w = o->argv[k];

		if (names_only || w[0] != '-')
			o->link_names[n++] = o->argv[k];
		else if (strcmp(w, "--") == 0)
			names_only = true;
		else if (strncmp(w, "--dir=", 6) == 0 && w[6])
			o->link_dir = w + 6;
		else if (strcmp(w, "--dir") == 0 && k + 1 < o->argc && *o->argv[k + 1])
			o->link_dir = o->argv[++k];
		else if (strcmp(w, "--dir") == 0 || strcmp(w, "--dir=") == 0)
			return diag_msg(d, -EINVAL, "option \"--dir\" needs a non-empty value");
		else
			return diag_msg(d, -EINVAL,
			    "unexpected option \"%s\" after the programs (only --dir=DIR may follow them)", w);
	}
	o->argv += o->argc;
	o->argc = 0;
	return 0;
}

/* One long option at argv[*i], with its value ("--x=V", or the next word,
 * which *i then moves past). */
static int parse_long(struct sf_options *o, int argc, char **argv, int *i, struct sf_diag *d)
{
	const char *w = argv[*i];
	const char *eq = strchr(w + 2, '=');
	size_t len = eq ? (size_t)(eq - (w + 2)) : strlen(w + 2);
	const struct opt_def *def = find_long(w + 2, len);
	const char *value = NULL;

	if (!def)
		return unknown_long(w, len, d);
	if (def->arg == ARG_JOINED && !eq)
		return joined_missing(def, *i + 1 < argc ? argv[*i + 1] : NULL, d);
	if (def->arg == ARG_JOINED)
		value = eq + 1;
	else if (def->arg == ARG_REQUIRED) {
		if (eq)
			value = eq + 1;
		else if (*i + 1 < argc)
			value = argv[++*i];
		else
			return diag_msg(d, -EINVAL, "option \"--%s\" needs a value", def->name);
	} else if (eq)
		return diag_msg(d, -EINVAL, "option \"--%s\" takes no value", def->name);
	return apply(o, def, value, d);
}

/* A cluster of short options at argv[*i]: -vq, -pNAME, -p NAME. */
static int parse_short(struct sf_options *o, int argc, char **argv, int *i, struct sf_diag *d)
{
	for (const char *c = argv[*i] + 1; *c; c++) {
		const struct opt_def *def = find_short(*c);
		const char *value = NULL;
		int r;

		if (!def)
			return diag_msg(d, -EINVAL, "unknown option \"-%c\"", *c);
		if (def->arg == ARG_REQUIRED) {
			if (c[1])
				value = c + 1;
			else if (*i + 1 < argc)
				value = argv[++*i];
			else
				return diag_msg(d, -EINVAL, "option \"-%c\" needs a value", *c);
			return apply(o, def, value, d);
		}
		r = apply(o, def, NULL, d);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The options that do not go together, and PROGRAM where a mode wants one
 * or none. */
static int check_combination(const struct sf_options *o, struct sf_diag *d)
{
	const bool help = o->mode == SF_MODE_HELP || o->mode == SF_MODE_VERSION;

	if (o->output && o->mode != SF_MODE_EXPORT && !help)
		return diag_msg(d, -EINVAL, "option \"--output\" only goes with --export=FORMAT");
	/* --learn and --report are ways to run PROGRAM: not with another mode,
	 * nor with each other; learning replaces the seccomp rules. */
	if ((o->learn || o->report) && o->mode != SF_MODE_RUN && !help)
		return diag_msg(d, -EINVAL, "option \"--%s\" cannot be combined with another mode option",
		    o->learn ? "learn" : "report");
	if (o->permissive && !o->report && !help)
		return diag_msg(d, -EINVAL, "option \"--permissive\" only goes with --report");
	if (o->learn && o->report)
		return diag_msg(d, -EINVAL, "options \"--learn\" and \"--report\" cannot be combined");
	if (o->learn && (o->over.n_rules || o->over.default_action))
		return diag_msg(d, -EINVAL,
		    "option \"--learn\" replaces the seccomp rules: it cannot be combined with --allow, --deny, --kill or --default-action");
	/* A precompiled policy's key holds no --set: none is made with one
	 * (and a run with one never uses one). */
	if (o->over.n_sets && o->mode == SF_MODE_PRECOMPILE)
		return diag_msg(d, -EINVAL,
		    "option \"%s\" cannot be combined with --precompile (a run with --set compiles its policy itself)",
		    o->over.sets[0].label);
	for (size_t i = 0; o->learn && i < o->over.n_sets; i++)
		if (strcmp(o->over.sets[i].section, "seccomp") == 0)
			return diag_msg(d, -EINVAL,
			    "option \"--learn\" replaces the seccomp rules: it cannot be combined with --set=seccomp.KEY=VALUE");
	if (o->link_dir && o->mode != SF_MODE_LINK && o->mode != SF_MODE_UNLINK && !help)
		return diag_msg(d, -EINVAL, "option \"--dir\" only goes with --link or --unlink");
	if (o->mode == SF_MODE_RUN && o->argc == 0)
		return diag_msg(d, -EINVAL, "no program given (see \"sysfence --help\")");
	if ((o->mode == SF_MODE_LIST || o->mode == SF_MODE_LIST_GROUPS || o->mode == SF_MODE_PRECOMPILE) && o->argc > 0)
		return diag_msg(d, -EINVAL, "unexpected argument \"%s\"", o->argv[0]);
	return 0;
}

int options_parse(int argc, char **argv, struct sf_options *ret, struct sf_diag *d)
{
	struct sf_options o = { .mode = SF_MODE_RUN };
	int i = 1;
	int r = 0;

	for (; i < argc && r == 0; i++) {
		const char *w = argv[i];

		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		if (w[0] != '-' || w[1] == '\0')
			break; /* PROGRAM: everything from here on is its own */
		r = w[1] == '-' ? parse_long(&o, argc, argv, &i, d) : parse_short(&o, argc, argv, &i, d);
	}
	if (r == 0) {
		o.argv = argv + i;
		o.argc = argc - i;
		r = take_check_files(&o, d);
	}
	if (r == 0)
		r = take_link_names(&o, d);
	if (r == 0)
		r = check_combination(&o, d);
	if (r < 0) {
		options_free(&o);
		return r;
	}
	*ret = o;
	return 0;
}

void options_free(struct sf_options *o)
{
	free(o->over.rules);
	free(o->over.caps);
	for (size_t i = 0; i < o->over.n_sets; i++)
		free((char *)o->over.sets[i].section); /* holds key and value too: push_set() */
	free(o->over.sets);
	free(o->link_names);
	o->link_names = NULL;
	o->over = (struct sf_overrides){ 0 };
	o->rules_cap = o->caps_cap = o->sets_cap = 0;
}

void options_from_link(int argc, char **argv, struct sf_options *ret)
{
	const char *v = getenv("SYSFENCE_VERBOSE");

	*ret = (struct sf_options){
		.mode = SF_MODE_RUN,
		.link_run = true,
		.verbose = v && strcmp(v, "1") == 0,
		.argv = argv,
		.argc = argc,
	};
}
