#include "policy.h"
#include "policy_int.h"
#include "cleanup.h"
#include "cond.h"
#include "names.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---------------------------------------------------- */

static char *pool_add(struct sf_policy *pol, char *s)
{
	char **n;

	if (!s)
		return NULL;
	n = realloc(pol->pool, (pol->n_pool + 1) * sizeof(*n));
	if (!n) {
		free(s);
		return NULL;
	}
	pol->pool = n;
	pol->pool[pol->n_pool++] = s;
	return s;
}

const char *policy_intern_file(struct sf_policy *pol, const char *file)
{
	if (!file)
		return NULL;
	/* Few files, many rules: the last few interned strings are the likely hit. */
	for (size_t i = pol->n_pool; i > 0 && i + 32 > pol->n_pool; i--)
		if (strcmp(pol->pool[i - 1], file) == 0)
			return pol->pool[i - 1];
	return pool_add(pol, strdup(file));
}

/* Where a rule came from. Command-line rules are reported under the
 * option's name ("--deny") with line 0, and have no file as origin. */
static struct sf_origin origin_of(struct sf_policy *pol, const char *file, unsigned line)
{
	return (struct sf_origin){ line ? policy_intern_file(pol, file) : NULL, line };
}

/* ---- storage ------------------------------------------------------------
 * A launch splits hundreds of lines into words and names hundreds of
 * syscalls. Their text lives in large chunks owned by the policy and freed
 * together by policy_free(): one malloc per chunk instead of a strdup (and
 * later a free) per name. Syscall names and group members point into it. */

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define CHUNK_SIZE (16 * 1024)

/* Syscalls are found by their native number (libseccomp's, resolved once
 * per name while checking it), confirmed by name: an open-addressing table
 * whose hash is a multiply, not a pass over the text. Names known only on
 * another architecture have distinct negative pseudo numbers; two names with
 * one number (the filter compiler reports those) share a probe sequence. */
struct sc_index {
	size_t cap;	/* power of two */
	long *slots;	/* index into filter.syscalls, -1 empty */
};

/* The policy's private state (struct sf_policy.index). */
struct store {
	struct chunk *chunks;
	struct sc_index *index;	/* syscall name -> filter.syscalls index */
	int **group_nrs;	/* per group: see group_nrs() */
	size_t n_group_nrs;
};

static struct store *store_of(struct sf_policy *pol)
{
	if (!pol->index)
		pol->index = calloc(1, sizeof(struct store));
	return pol->index;
}

/* size bytes aligned for any type, or NULL. Lives until policy_free(). */
void *policy_arena_alloc(struct sf_policy *pol, size_t size)
{
	struct store *st = store_of(pol);
	struct chunk *c;
	size_t align = _Alignof(max_align_t);

	if (!st || size > SIZE_MAX / 2)
		return NULL;
	size = (size + align - 1) & ~(align - 1);
	c = st->chunks;
	if (!c || c->size - c->used < size) {
		/* A request larger than a quarter chunk gets a chunk of its own,
		 * behind the current one, whose free space stays usable. */
		size_t n = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;

		c = malloc(sizeof(*c) + n);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = n;
		if (n == CHUNK_SIZE || !st->chunks) {
			c->next = st->chunks;
			st->chunks = c;
		} else {
			c->next = st->chunks->next;
			st->chunks->next = c;
		}
	}
	void *p = (char *)c->data + c->used;

	c->used += size;
	return p;
}

static void store_free(struct store *st)
{
	if (!st)
		return;
	for (struct chunk *c = st->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(st->group_nrs);
	if (st->index) {
		free(st->index->slots);
		free(st->index);
	}
	free(st);
}

/* Split a list on white space and commas into a NULL-terminated vector of
 * pointers into one copy of the text. Both live in the policy's storage, so
 * the words may be kept (as syscall names, group members) without copying. */
struct words {
	char **v;
	size_t n;
};

/* isspace() of the C locale, ',' and the terminating NUL. */
static const bool word_sep[256] = {
	['\0'] = true, [' '] = true, [','] = true, ['\t'] = true, ['\n'] = true, ['\v'] = true, ['\f'] = true,
	['\r'] = true,
};

static int words_split(struct sf_policy *pol, const char *s, struct words *ret)
{
	size_t len = strlen(s), n = 0;
	char *buf, *end;
	char **v;

	/* A copy with the separators cut to NULs; the words are counted on the
	 * way, and the vector, allocated at its size, filled in a second pass. */
	buf = policy_arena_alloc(pol, len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, s, len + 1);
	end = buf + len;
	for (char *p = buf; p < end;) {
		if (word_sep[(unsigned char)*p]) {
			*p++ = '\0';
			continue;
		}
		n++;
		while (!word_sep[(unsigned char)*p])	/* stops at the NUL at end */
			p++;
	}
	v = policy_arena_alloc(pol, (n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		while (!*buf)
			buf++;
		v[k] = buf;
		buf += strlen(buf);
	}
	v[n] = NULL;
	*ret = (struct words){ .v = v, .n = n };
	return 0;
}

/* ---- syscall index ---------------------------------------------------- */

static size_t hash_nr(int nr, size_t cap)
{
	return (size_t)(((uint32_t)nr * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (cap - 1);
}

/* The native number of a syscall name, or __NR_SCMP_ERROR when libseccomp
 * knows it on no architecture (names.h: syscall_name_known()). */
int policy_syscall_nr(const char *name)
{
	return seccomp_syscall_resolve_name(name);
}

static long index_lookup(const struct sf_policy *pol, const char *name, int nr)
{
	const struct store *st = pol->index;
	const struct sc_index *ix = st ? st->index : NULL;

	if (!ix)
		return -1;
	for (size_t i = hash_nr(nr, ix->cap);; i = (i + 1) & (ix->cap - 1)) {
		long at = ix->slots[i];

		if (at < 0)
			return -1;
		if (pol->filter.syscalls[at].native_nr == nr && strcmp(pol->filter.syscalls[at].name, name) == 0)
			return at;
	}
}

static int index_insert(struct sf_policy *pol, int nr, long at)
{
	struct store *st = store_of(pol);
	struct sc_index *ix = st ? st->index : NULL;

	if (!st)
		return -ENOMEM;
	if (!ix || (pol->filter.n_syscalls + 1) * 2 > ix->cap) {
		size_t cap = ix ? ix->cap * 2 : 1024;
		struct sc_index *n = malloc(sizeof(*n));

		if (!n)
			return -ENOMEM;
		n->cap = cap;
		n->slots = malloc(cap * sizeof(*n->slots));
		if (!n->slots) {
			free(n);
			return -ENOMEM;
		}
		for (size_t i = 0; i < cap; i++)
			n->slots[i] = -1;
		for (size_t k = 0; k < pol->filter.n_syscalls; k++) {
			size_t i = hash_nr(pol->filter.syscalls[k].native_nr, cap);

			while (n->slots[i] >= 0)
				i = (i + 1) & (cap - 1);
			n->slots[i] = (long)k;
		}
		if (ix) {
			free(ix->slots);
			free(ix);
		}
		st->index = ix = n;
		if ((size_t)at < pol->filter.n_syscalls)
			return 0;	/* rehash placed it already */
	}
	size_t i = hash_nr(nr, ix->cap);
	while (ix->slots[i] >= 0)
		i = (i + 1) & (ix->cap - 1);
	ix->slots[i] = at;
	return 0;
}

/* The rules of a syscall, added if new. name is kept, not copied: it must
 * live in the policy's storage (or be a string literal); nr is its
 * policy_syscall_nr(). */
struct sf_syscall_rules *policy_syscall_get(struct sf_policy *pol, char *name, int nr)
{
	long at = index_lookup(pol, name, nr);
	struct sf_syscall_rules *n;

	if (at >= 0)
		return &pol->filter.syscalls[at];
	/* Capacity doubles: it is the next power of two of n_syscalls (at
	 * least 64), so it needs no field of its own. A profile names
	 * hundreds of syscalls; one realloc each showed in profiles. */
	n = pol->filter.syscalls;
	if (pol->filter.n_syscalls == 0 ||
	    (pol->filter.n_syscalls >= 64 && (pol->filter.n_syscalls & (pol->filter.n_syscalls - 1)) == 0)) {
		size_t cap = pol->filter.n_syscalls ? 2 * pol->filter.n_syscalls : 64;

		n = reallocarray(pol->filter.syscalls, cap, sizeof(*n));
		if (!n)
			return NULL;
	}
	pol->filter.syscalls = n;
	at = (long)pol->filter.n_syscalls;
	n[at] = (struct sf_syscall_rules){ .name = name, .has_native_nr = true, .native_nr = nr };
	pol->filter.n_syscalls++;
	if (index_insert(pol, nr, at) < 0)
		return NULL;
	return &pol->filter.syscalls[at];
}

const struct sf_syscall_rules *policy_find_syscall(const struct sf_policy *pol, const char *name)
{
	int nr = policy_syscall_nr(name);
	long at = nr == __NR_SCMP_ERROR ? -1 : index_lookup(pol, name, nr);

	return at >= 0 ? &pol->filter.syscalls[at] : NULL;
}

/* ---- groups ------------------------------------------------------------ */

enum { GROUP_UNSEEN, GROUP_EXPANDING, GROUP_DONE, GROUP_BROKEN };

static struct sf_group *group_find(const struct sf_policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->n_groups; i++)
		if (strcmp(pol->groups[i].name, name) == 0)
			return &pol->groups[i];
	return NULL;
}

static bool valid_group_name(const char *s, size_t len)
{
	if (len < 2 || s[0] != '@')
		return false;
	for (size_t i = 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

/* Capacity of an array of n elements that grows by doubling from 8: it is
 * not stored, as it follows from n. */
static size_t grown_cap(size_t n)
{
	size_t c = 8;

	if (n == 0)
		return 0;
	while (c < n)
		c *= 2;
	return c;
}

/* [groups]: "@name = members" appends members, "@name.description = text". */
static int group_entry(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	const char *dot = strchr(e->key, '.');
	size_t len = dot ? (size_t)(dot - e->key) : strlen(e->key), n_words;
	const char *file;
	bool is_desc = false;
	struct sf_group *g = NULL;
	struct words w = { 0 };
	int r;

	if (dot) {
		if (strcmp(dot, ".description") != 0)
			return diag_set(d, e->file, e->line, -EINVAL, 0,
			    "unknown key \"%s\" in [groups] (expected @NAME or @NAME.description)", e->key);
		is_desc = true;
	}
	if (!valid_group_name(e->key, len))
		return diag_set(d, e->file, e->line, -EINVAL, 0,
		    "invalid group name \"%.*s\" (group names start with @ and use letters, digits, - and _)",
		    (int)len, e->key);

	/* A group's lines usually follow each other: try the last one first. */
	for (size_t i = pol->n_groups; i-- > 0;)
		if (strncmp(pol->groups[i].name, e->key, len) == 0 && pol->groups[i].name[len] == '\0') {
			g = &pol->groups[i];
			break;
		}
	file = policy_intern_file(pol, e->file);
	if (!g) {
		struct sf_group *n = realloc(pol->groups, (pol->n_groups + 1) * sizeof(*n));

		if (!n)
			return -ENOMEM;
		pol->groups = n;
		g = &pol->groups[pol->n_groups];
		*g = (struct sf_group){ .name = strndup(e->key, len), .origin = { file, e->line } };
		if (!g->name)
			return -ENOMEM;
		pol->n_groups++;
	}
	if (is_desc) {
		char *desc;

		/* A continuation line of a description continues the sentence. */
		if (g->description) {
			if (asprintf(&desc, "%s %s", g->description, e->value) < 0)
				return -ENOMEM;
			free(g->description);
		} else if (!(desc = strdup(e->value)))
			return -ENOMEM;
		g->description = desc;
		return 0;
	}
	r = words_split(pol, e->value, &w);
	if (r < 0)
		return r;
	n_words = g->n_words + w.n;
	if (grown_cap(g->n_words) < n_words) {
		char **nw = reallocarray(g->words, grown_cap(n_words), sizeof(*nw));
		struct sf_origin *no = nw ? reallocarray(g->word_origins, grown_cap(n_words), sizeof(*no)) : NULL;

		if (nw)
			g->words = nw;
		if (!no)
			return -ENOMEM;
		g->word_origins = no;
	}
	/* The members stay in the policy's storage, where words_split() put them. */
	for (size_t i = 0; i < w.n; i++) {
		g->words[g->n_words] = w.v[i];
		g->word_origins[g->n_words++] = (struct sf_origin){ file, e->line };
	}
	return 0;
}

static int unknown_syscall(const char *file, unsigned line, const char *name, struct sf_diag *d)
{
	_cleanup_free_ char *hint = syscall_name_suggest(name);

	if (hint)
		return diag_set(d, file, line, -EINVAL, 0, "unknown syscall \"%s\" (did you mean \"%s\"?)", name,
		    hint);
	return diag_set(d, file, line, -EINVAL, 0, "unknown syscall \"%s\"", name);
}

static int unknown_group(const struct sf_policy *pol, const char *file, unsigned line, const char *name,
    struct sf_diag *d)
{
	_cleanup_free_ const char **names = calloc(pol->n_groups + 1, sizeof(*names));
	const char *hint;

	for (size_t i = 0; names && i < pol->n_groups; i++)
		names[i] = pol->groups[i].name;
	hint = names ? diag_closest(name, names) : NULL;
	if (hint)
		return diag_set(d, file, line, -EINVAL, 0, "unknown group \"%s\" (did you mean \"%s\"?)", name, hint);
	if (pol->n_groups == 0)
		return diag_set(d, file, line, -EINVAL, 0,
		    "unknown group \"%s\" (no group library groups.ini on the search path)", name);
	return diag_set(d, file, line, -EINVAL, 0, "unknown group \"%s\"", name);
}

/* What group_check() found for each member of group gi: the native number
 * of a syscall (policy_syscall_nr()), or the index of a group in pol->groups. A
 * group is expanded each time a rule names it; this spares each expansion
 * resolving names and finding groups again. */
static int *group_nrs(struct sf_policy *pol, const struct sf_group *g)
{
	struct store *st = store_of(pol);
	size_t gi = (size_t)(g - pol->groups);

	if (!st)
		return NULL;
	if (gi >= st->n_group_nrs) {
		int **n = reallocarray(st->group_nrs, pol->n_groups, sizeof(*n));

		if (!n)
			return NULL;
		memset(&n[st->n_group_nrs], 0, (pol->n_groups - st->n_group_nrs) * sizeof(*n));
		st->group_nrs = n;
		st->n_group_nrs = pol->n_groups;
	}
	/* Groups are complete before the first is checked: n_words is final. */
	if (!st->group_nrs[gi])
		st->group_nrs[gi] = policy_arena_alloc(pol, (g->n_words + 1) * sizeof(int));
	return st->group_nrs[gi];
}

/* Check a group's members once, recursively; marks it DONE or BROKEN so a
 * broken group is reported once however often it is used. */
static int group_check(struct sf_policy *pol, struct sf_group *g, struct sf_diag *d)
{
	int *nrs;
	int r = 0;

	if (g->state == GROUP_DONE)
		return 0;
	if (g->state == GROUP_BROKEN)
		return -EINVAL;
	if (g->state == GROUP_EXPANDING)
		return diag_set(d, g->origin.file, g->origin.line, -ELOOP, 0, "group \"%s\" includes itself", g->name);
	nrs = group_nrs(pol, g);
	if (!nrs)
		return -ENOMEM;
	g->state = GROUP_EXPANDING;
	for (size_t i = 0; i < g->n_words; i++) {
		const char *w = g->words[i];
		const struct sf_origin *o = &g->word_origins[i];
		int k;

		if (w[0] == '@') {
			struct sf_group *sub = group_find(pol, w);

			if (!sub)
				r = unknown_group(pol, o->file, o->line, w, d);
			else if ((k = group_check(pol, sub, d)) < 0)
				r = k == -ENOMEM ? k : -EINVAL;
			else
				nrs[i] = (int)(sub - pol->groups);
		} else if ((nrs[i] = policy_syscall_nr(w)) == __NR_SCMP_ERROR)
			r = unknown_syscall(o->file, o->line, w, d);
	}
	g->state = r < 0 ? GROUP_BROKEN : GROUP_DONE;
	return r;
}

/* ---- seccomp rules ---------------------------------------------------- */

/* name lives in the policy's storage; nr is its policy_syscall_nr(). */
static int add_uncond(struct sf_policy *pol, char *name, int nr, struct sf_action a, struct sf_origin o)
{
	struct sf_syscall_rules *sc = policy_syscall_get(pol, name, nr);

	if (!sc)
		return -ENOMEM;
	/* A later unconditional rule replaces an earlier one. */
	sc->has_uncond = true;
	sc->uncond = (struct sf_rule){ .action = a, .cond = NULL, .origin = o, .layer = pol->layer };
	return 0;
}

/* Every member of a group that group_check() accepted. */
static int add_group(struct sf_policy *pol, struct sf_group *g, struct sf_action a, struct sf_origin o)
{
	const int *nrs = ((struct store *)pol->index)->group_nrs[g - pol->groups];

	for (size_t i = 0; i < g->n_words; i++) {
		char *w = g->words[i];
		int r;

		if (w[0] == '@')
			r = add_group(pol, &pol->groups[nrs[i]], a, o);
		else
			r = add_uncond(pol, w, nrs[i], a, o);
		if (r < 0)
			return r;
	}
	return 0;
}

/* One rule line: "NAME NAME @group ..." or "NAME if COND". */
static int rule_line(struct sf_policy *pol, struct sf_action a, const char *file, unsigned line, const char *value,
    struct sf_diag *d)
{
	struct sf_origin o = origin_of(pol, file, line);
	struct words w = { 0 };
	int r = 0;

	pol->has_filter = true;
	r = words_split(pol, value, &w);
	if (r < 0)
		return r;
	if (w.n == 0)
		return diag_set(d, file, line, -EINVAL, 0, "empty list: name at least one syscall or @group");
	for (size_t i = 1; i < w.n; i++)
		if (strcmp(w.v[i], "if") == 0) {
			if (i != 1)
				return diag_set(d, file, line, -EINVAL, 0,
				    "a conditional rule names exactly one syscall (write one line per syscall)");
			if (w.v[0][0] == '@')
				return diag_set(d, file, line, -EINVAL, 0,
				    "a conditional rule names one syscall, not a group (\"%s\")", w.v[0]);
			int sys_nr = policy_syscall_nr(w.v[0]);

			if (sys_nr == __NR_SCMP_ERROR)
				return unknown_syscall(file, line, w.v[0], d);
			/* The condition is the text after the first " if ". */
			const char *c = strstr(value, " if");
			struct sf_cond *cond = NULL;

			while (c && !(isspace((unsigned char)c[3]) || c[3] == '\0'))
				c = strstr(c + 1, " if");
			if (!c) 
				return diag_set(d, file, line, -EINVAL, 0, "expected \"SYSCALL if CONDITION\"");

			r = cond_parse(c + 3, file, line, &cond, d);
			if (r < 0)
				return r;
			struct sf_syscall_rules *sc = policy_syscall_get(pol, w.v[0], sys_nr);
			struct sf_rule rule = { .action = a, .cond = cond, .origin = o, .layer = pol->layer };

			if (!sc || rules_add_cond(sc, rule) < 0) {
				cond_free(cond);
				return -ENOMEM;
			}
			return 0;
		}

	for (size_t i = 0; i < w.n; i++) {
		char *name = w.v[i];
		int k = 0, nr;

		if (name[0] == '@') {
			struct sf_group *g = group_find(pol, name);

			if (!g)
				k = unknown_group(pol, file, line, name, d);
			else if ((k = group_check(pol, g, d)) < 0)
				k = k == -ENOMEM ? k : -EINVAL;
			else
				k = add_group(pol, g, a, o);
		} else if ((nr = policy_syscall_nr(name)) == __NR_SCMP_ERROR)
			k = unknown_syscall(file, line, name, d);
		else
			k = add_uncond(pol, name, nr, a, o);
		if (k < 0 && r == 0)
			r = k;
	}
	return r;
}

static int unknown_action(const char *file, unsigned line, const char *value, struct sf_diag *d)
{
	return diag_set(d, file, line, -EINVAL, 0,
	    "unknown action \"%s\" (expected allow, log, trap, kill, kill-thread, deny or an errno name)", value);
}

static int set_default_action(struct sf_policy *pol, const char *file, unsigned line, const char *value,
    struct sf_diag *d)
{
	struct sf_action a;

	if (action_parse(value, &a) < 0)
		return unknown_action(file, line, value, d);
	pol->has_filter = true;
	pol->filter.default_action = a;
	pol->filter.default_origin = (struct sf_origin){ policy_intern_file(pol, file), line };
	return 0;
}

/* ---- section handlers --------------------------------------------------- */

static int seccomp_default_action(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return set_default_action(pol, e->file, e->line, e->value, d);
}

static int seccomp_architectures(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	struct words w = { 0 };
	int r = words_split(pol, e->value, &w);

	if (r < 0)
		return r;
	pol->has_filter = true;
	for (size_t i = 0; i < w.n; i++) {
		uint32_t a;
		bool dup = false;

		if (arch_from_name(w.v[i], &a) < 0) {
			r = diag_set(d, e->file, e->line, -EINVAL, 0, "unknown architecture \"%s\"", w.v[i]);
			continue;
		}
		for (size_t k = 0; k < pol->filter.n_arches; k++)
			dup |= pol->filter.arches[k] == a;
		if (dup)
			continue;
		if (pol->filter.n_arches >= SF_MAX_ARCHES) {
			r = diag_set(d, e->file, e->line, -E2BIG, 0, "too many architectures (at most %d)",
			    SF_MAX_ARCHES);
			break;
		}
		pol->filter.arches[pol->filter.n_arches++] = a;
	}
	return r;
}

int policy_parse_bool(const struct sf_entry *e, bool *ret, struct sf_diag *d)
{
	if (strcmp(e->value, "yes") == 0 || strcmp(e->value, "true") == 0) {
		*ret = true;
		return 0;
	}
	if (strcmp(e->value, "no") == 0 || strcmp(e->value, "false") == 0) {
		*ret = false;
		return 0;
	}
	return diag_set(d, e->file, e->line, -EINVAL, 0, "expected yes or no, found \"%s\"", e->value);
}

/* keep = LIST: only these survive; drop = LIST|all: these go. */
static int caps_line(struct sf_policy *pol, bool keep, const char *file, unsigned line, const char *value,
    struct sf_diag *d)
{
	struct words w = { 0 };
	uint64_t set = 0;
	int r = words_split(pol, value, &w);

	if (r < 0)
		return r;
	if (w.n == 0)
		r = diag_set(d, file, line, -EINVAL, 0, "empty list: name capabilities, \"all\" or \"none\"");
	for (size_t i = 0; i < w.n; i++) {
		int c;

		if (strcasecmp(w.v[i], "all") == 0) {
			set |= cap_all_mask();
			continue;
		}
		if (strcasecmp(w.v[i], "none") == 0)
			continue;
		c = cap_from_name(w.v[i]);
		if (c < 0 || c > cap_last()) {
			_cleanup_free_ char *hint = cap_name_suggest(w.v[i]);

			if (hint)
				r = diag_set(d, file, line, -EINVAL, 0, "unknown capability \"%s\" (did you mean \"%s\"?)",
				    w.v[i], hint);
			else
				r = diag_set(d, file, line, -EINVAL, 0, "unknown capability \"%s\"", w.v[i]);
			continue;
		}
		set |= UINT64_C(1) << c;
	}
	if (r < 0)
		return r;
	if (!pol->caps_changed)
		pol->caps_keep = cap_all_mask();
	pol->caps_changed = true;
	pol->caps_origin = origin_of(pol, file, line);
	if (keep)
		pol->caps_keep = set;
	else
		pol->caps_keep &= ~set;
	return 0;
}

static int caps_keep(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return caps_line(pol, true, e->file, e->line, e->value, d);
}

static int caps_drop(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return caps_line(pol, false, e->file, e->line, e->value, d);
}

static int set_name(struct sf_policy *pol, char **dst, struct sf_origin *o, const struct sf_entry *e,
    struct sf_diag *d)
{
	if (!*e->value || strpbrk(e->value, " \t:"))
		return diag_set(d, e->file, e->line, -EINVAL, 0, "expected one user or group name, found \"%s\"",
		    e->value);
	free(*dst);
	*dst = strdup(e->value);
	if (!*dst)
		return -ENOMEM;
	*o = (struct sf_origin){ policy_intern_file(pol, e->file), e->line };
	return 0;
}

static int caps_user(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return set_name(pol, &pol->user, &pol->user_origin, e, d);
}

static int caps_group(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return set_name(pol, &pol->group, &pol->group_origin, e, d);
}

static int profile_description(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	return 0;	/* profile.c keeps the main file's description */
}

static const struct key_handler profile_keys[] = {
	{ "description", profile_description },
	{ NULL, NULL },
};
static const struct key_handler seccomp_keys[] = {
	{ "default-action", seccomp_default_action },
	{ "architectures", seccomp_architectures },
	{ NULL, NULL },
};
static const struct key_handler capabilities_keys[] = {
	{ "keep", caps_keep },
	{ "drop", caps_drop },
	{ "user", caps_user },
	{ "group", caps_group },
	{ NULL, NULL },
};

static const char *const seccomp_action_keys[] = { "allow", "deny", "kill", "kill-thread", "log", "trap", NULL };

struct section_def {
	const char *name;
	const struct key_handler *keys;	/* ends with { NULL, NULL } */
};

static const struct section_def sections[] = {
	{ "profile", profile_keys },
	{ "seccomp", seccomp_keys },
	{ "capabilities", capabilities_keys },
	{ "process", policy_process_keys },
	{ "limits", policy_limits_keys },
	{ "filesystem", policy_filesystem_keys },
	{ "network", policy_network_keys },
};

static int unknown_key(const struct section_def *sd, const struct sf_entry *e, struct sf_diag *d)
{
	const char *names[64];
	size_t n = 0;
	const char *hint;

	for (size_t i = 0; sd->keys[i].key && n < 60; i++)
		names[n++] = sd->keys[i].key;
	if (strcmp(sd->name, "seccomp") == 0)
		for (size_t i = 0; seccomp_action_keys[i] && n < 60; i++)
			names[n++] = seccomp_action_keys[i];
	names[n] = NULL;
	hint = diag_closest(e->key, names);
	if (!hint && strcmp(sd->name, "seccomp") == 0 && e->key[0] == 'E') {
		/* Probably a misspelt errno name: compare with the real ones. */
		const char *errs[200];
		size_t k = 0;

		for (int i = 1; i < 200 && k < 199; i++) {
			const char *s = strerrorname_np(i);

			if (s)
				errs[k++] = s;
		}
		errs[k] = NULL;
		hint = diag_closest(e->key, errs);
		if (hint)
			return diag_set(d, e->file, e->line, -EINVAL, 0,
			    "unknown key \"%s\" in [seccomp] (did you mean \"%s\"?)", e->key, hint);
	}
	if (hint)
		return diag_set(d, e->file, e->line, -EINVAL, 0, "unknown key \"%s\" in [%s] (did you mean \"%s\"?)",
		    e->key, sd->name, hint);
	return diag_set(d, e->file, e->line, -EINVAL, 0, "unknown key \"%s\" in [%s]", e->key, sd->name);
}

static int entry_apply(struct sf_policy *pol, const struct sf_entry *e, struct sf_diag *d)
{
	const struct section_def *sd = NULL;

	if (strcmp(e->section, "groups") == 0)
		return 0;	/* collected in the first pass */
	for (size_t i = 0; i < ELEMENTSOF(sections) && !sd; i++)
		if (strcmp(sections[i].name, e->section) == 0)
			sd = &sections[i];
	if (!sd)
		return diag_set(d, e->file, e->line, -EINVAL, 0, "unknown section [%s]", e->section);
	for (size_t i = 0; sd->keys[i].key; i++)
		if (strcmp(sd->keys[i].key, e->key) == 0)
			return sd->keys[i].fn(pol, e, d);
	if (strcmp(sd->name, "seccomp") == 0) {
		struct sf_action a;

		/* Every other key of [seccomp] is an action: allow, deny, kill, ..., EPERM. */
		if (action_parse(e->key, &a) == 0)
			return rule_line(pol, a, e->file, e->line, e->value, d);
	}
	return unknown_key(sd, e, d);
}

/* ---- build -------------------------------------------------------------- */

/* The overrides, one more layer after every file. Problems name where the
 * override came from: "sysfence: --deny: ...". */
static int apply_options(struct sf_policy *pol, const struct sf_overrides *ov, bool filter_precompiled,
    struct sf_diag *d)
{
	int r = 0;

	for (size_t i = 0; i < ov->n_rules && !filter_precompiled; i++) {
		const struct sf_override_rule *rule = &ov->rules[i];
		struct sf_action a;
		int k;

		if (action_parse(rule->action, &a) < 0)
			return diag_msg(d, -EINVAL, "internal: bad option action");
		k = rule_line(pol, a, rule->label, 0, rule->list, d);
		if (k < 0 && r == 0)
			r = k;
	}
	if (ov->default_action && !filter_precompiled) {
		struct sf_action a;

		if (action_parse(ov->default_action, &a) < 0)
			r = diag_msg(d, -EINVAL,
			    "unknown action \"%s\" in %s (expected allow, log, trap, kill, kill-thread, deny or an errno name)",
			    ov->default_action, ov->default_action_label);
		else {
			pol->has_filter = true;
			pol->filter.default_action = a;
			pol->filter.default_origin = (struct sf_origin){ NULL, 0 };
		}
	}
	for (size_t i = 0; i < ov->n_caps; i++) {
		int k = caps_line(pol, ov->caps[i].keep, ov->caps[i].label, 0, ov->caps[i].list, d);

		if (k < 0 && r == 0)
			r = k;
	}
	return r;
}

/* A resolved policy without a default action is an error: guessing allow
 * would open everything a denylist forgot, guessing kill would break an
 * allowlist written without one. The message points at the main profile,
 * where the user writes: its first [seccomp] line, else its first line.
 * A profile parsed from memory has no path: its entries' file stands in. */
static int no_default_action(const struct sf_profile *p, struct sf_diag *d)
{
	static const char hint[] = "a profile that wants no syscall filter writes default-action = allow";
	const char *main = p ? p->path : NULL;
	unsigned line = 1;

	if (!main && p && p->n_entries)
		main = p->entries[p->n_entries - 1].file;
	if (!main)
		return diag_set(d, NULL, 0, -EINVAL, 0,
		    "the policy has no default-action (add --default-action=ACTION; %s)", hint);
	for (size_t i = 0; i < p->n_entries; i++)
		if (strcmp(p->entries[i].section, "seccomp") == 0 && strcmp(p->entries[i].file, main) == 0) {
			line = p->entries[i].line;
			break;
		}
	return diag_set(d, main, line, -EINVAL, 0,
	    "the policy has no default-action (write default-action = ACTION in [seccomp], e.g. EPERM; %s)", hint);
}

int policy_build(const struct sf_profile *p, const struct sf_overrides *ov, const struct sf_policy_opts *po,
    struct sf_policy **ret, struct sf_diag *d)
{
	struct sf_policy *pol = calloc(1, sizeof(*pol));
	bool have_default = false;
	int r = 0;

	if (!pol)
		return -ENOMEM;
	pol->filter.default_action = (struct sf_action){ SF_ACT_KILL_PROCESS, 0 };
	if (p && p->description)
		pol->description = strdup(p->description);

	/* Groups first, from every file: a profile may use a group that a
	 * later file (or its own later lines) defines. */
	for (size_t i = 0; p && i < p->n_entries; i++)
		if (strcmp(p->entries[i].section, "groups") == 0) {
			int k = group_entry(pol, &p->entries[i], d);

			if (k < 0 && r == 0)
				r = k;
		}
	if (po && po->check_all_groups)
		for (size_t i = 0; i < pol->n_groups; i++)
			if (group_check(pol, &pol->groups[i], d) < 0 && r == 0)
				r = -EINVAL;

	for (size_t i = 0; p && i < p->n_entries; i++) {
		const struct sf_entry *e = &p->entries[i];
		int k;

		/* Each file is one layer; profile_load() orders the entries
		 * file by file, in the order the layers apply. */
		if (i == 0 || strcmp(e->file, p->entries[i - 1].file) != 0)
			pol->layer++;
		if (strcmp(e->section, "seccomp") == 0 && strcmp(e->key, "default-action") == 0)
			have_default = true;
		k = entry_apply(pol, e, d);
		if (k < 0 && r == 0)
			r = k;
	}
	if (ov) {
		int k;

		pol->layer++;	/* the overrides, after every file */
		k = apply_options(pol, ov, po && po->filter_precompiled, d);

		if (k < 0 && r == 0)
			r = k;
		if (ov->default_action && !(po && po->filter_precompiled))
			have_default = true;
	}

	if (r == 0 && !have_default && !(po && (po->filter_precompiled || po->seccomp_replaced)))
		r = no_default_action(p, d);
	/* Nothing unsaid is granted: without a keep or drop line in any layer
	 * (or --caps-*), every capability goes. */
	if (!pol->caps_changed) {
		pol->caps_changed = true;
		pol->caps_unsaid = true;
		pol->caps_keep = 0;
	}

	for (size_t i = 0; i < pol->filter.n_syscalls; i++)
		rules_settle(&pol->filter.syscalls[i]);
	if (r == 0 && !(po && po->filter_precompiled))
		r = policy_network_family_rules(pol);
	if (r == 0 && !(po && po->filter_precompiled))
		r = policy_network_tcp_rules(pol);

	/* The launcher and the program run on the native ABI, so it is always
	 * in the list, first. */
	{
		uint32_t native = 0;

		arch_from_name("native", &native);
		size_t k = 0;
		for (; k < pol->filter.n_arches && pol->filter.arches[k] != native; k++)
			;
		if (k == pol->filter.n_arches) {
			if (pol->filter.n_arches == SF_MAX_ARCHES)
				pol->filter.n_arches--;
			memmove(&pol->filter.arches[1], &pol->filter.arches[0],
			    pol->filter.n_arches * sizeof(pol->filter.arches[0]));
			pol->filter.n_arches++;
		} else
			memmove(&pol->filter.arches[1], &pol->filter.arches[0], k * sizeof(pol->filter.arches[0]));
		pol->filter.arches[0] = native;
	}
	/* Last: the multiplexers follow every other rule, and the ABIs. */
	if (r == 0 && pol->has_filter && !(po && po->filter_precompiled))
		r = policy_multiplexer_rules(pol);

	if (r < 0) {
		policy_free(pol);
		return r;
	}
	*ret = pol;
	return 0;
}

void policy_free(struct sf_policy *pol)
{
	if (!pol)
		return;
	for (size_t i = 0; i < pol->filter.n_syscalls; i++) {
		struct sf_syscall_rules *sc = &pol->filter.syscalls[i];

		if (!sc->cond_rules)
			continue;	/* most syscalls: nothing to free */
		for (size_t k = 0; k < sc->n_cond + sc->n_dropped; k++)
			cond_free(sc->cond_rules[k].cond);
		free(sc->cond_rules);
	}
	free(pol->filter.syscalls);
	for (size_t i = 0; i < pol->n_groups; i++) {
		struct sf_group *g = &pol->groups[i];

		free(g->words);
		free(g->word_origins);
		free(g->name);
		free(g->description);
	}
	free(pol->groups);
	for (size_t i = 0; i < pol->n_pool; i++)
		free(pol->pool[i]);
	free(pol->pool);
	store_free(pol->index);
	free(pol->user);
	free(pol->group);
	free(pol->description);
	process_settings_clear(&pol->process);
	fs_settings_clear(&pol->fs);
	network_settings_clear(&pol->network);
	free(pol);
}
