/* Pseudo-files: the path -> show/store registry behind cat, echo and ls.
 *
 *   /proc/meminfo                        entries are files only; a
 *   /sys/devices/system/memory/probe     directory exists while some
 *   /sys/devices/system/memory/memory8/state     file lies below it:
 *     ls /sys/devices/system/memory  ->  memory8/  probe
 *
 * The table is a fixed array (no allocator is needed).  Files declared
 * with PSEUDO_FILE() sit in section pagoda_pfiles and are entered on first
 * use.  Families of numbered directories are not in the table: a path
 *
 *   /sys/devices/system/memory/memory4095/state
 *   '------- parent ---------' '-prefix-N' 'attr'
 *
 * is resolved by parsing N and asking the family's exists(N), so 4096
 * memory blocks cost no table space; `ls` walks the members in name order
 * (memory0, memory1, memory10, ...) with the family's next(). */
#include <pagoda/pseudofs.h>
#include <pagoda/shell.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define PSEUDOFS_MAX_FILES 1024
#define PSEUDOFS_SHOW_MAX  (64 * 1024)
#define PSEUDOFS_MAX_FAMILIES 8
#define PSEUDOFS_MAX_ATTRS    16
#define PSEUDOFS_N_MAX        (~0UL)     /* largest family member number */

struct pseudofs_entry {
	char path[PSEUDO_PATH_MAX];
	struct pseudo_file file;        /* file.path points at path[] */
};

extern const struct pseudo_file __start_pagoda_pfiles[], __stop_pagoda_pfiles[];

static struct pseudofs_entry pseudofs_table[PSEUDOFS_MAX_FILES];
static int pseudofs_count;
static bool pseudofs_static_done;
static char pseudofs_show_buf[PSEUDOFS_SHOW_MAX];
static const struct pseudo_family *pseudofs_families[PSEUDOFS_MAX_FAMILIES];
static int pseudofs_nr_families;

static int pseudofs_add(const char *path, int (*show)(struct seq *, void *),
			int (*store)(const char *, void *), void *priv);

/* Enter the link-time PSEUDO_FILE()s, once, before the first use. */
static void pseudofs_init_static(void)
{
	if (pseudofs_static_done)
		return;
	pseudofs_static_done = true;
	for (const struct pseudo_file *f = __start_pagoda_pfiles; f < __stop_pagoda_pfiles; f++)
		if (pseudofs_add(f->path, f->show, f->store, f->priv))
			printk("pseudofs: cannot register %s\n", f->path);
}

/* The entry for exactly path, or NULL. */
static struct pseudofs_entry *pseudofs_find(const char *path)
{
	pseudofs_init_static();
	for (int i = 0; i < pseudofs_count; i++)
		if (strcmp(pseudofs_table[i].path, path) == 0)
			return &pseudofs_table[i];
	return NULL;
}

static int pseudofs_add(const char *path, int (*show)(struct seq *, void *),
			int (*store)(const char *, void *), void *priv)
{
	struct pseudofs_entry *e;

	if (path[0] != '/' || strlen(path) >= PSEUDO_PATH_MAX || path[strlen(path) - 1] == '/')
		return -EINVAL;
	if (pseudofs_find(path))
		return -EEXIST;
	if (pseudofs_count == PSEUDOFS_MAX_FILES)
		return -ENOMEM;
	e = &pseudofs_table[pseudofs_count++];
	strlcpy(e->path, path, sizeof(e->path));
	e->file = (struct pseudo_file){ e->path, show, store, priv };
	return 0;
}

/* Add path (absolute, no trailing '/').  Returns 0, -EINVAL, -EEXIST or
 * -ENOMEM when the table is full. */
int pseudofs_register(const char *path, int (*show)(struct seq *, void *),
		      int (*store)(const char *, void *), void *priv)
{
	pseudofs_init_static();
	return pseudofs_add(path, show, store, priv);
}

/* Remove table entry e by moving the last entry into its slot. */
static void pseudofs_remove(struct pseudofs_entry *e)
{
	struct pseudofs_entry *last = &pseudofs_table[--pseudofs_count];

	if (e != last) {
		*e = *last;
		e->file.path = e->path;
	}
}

int pseudofs_unregister(const char *path)
{
	struct pseudofs_entry *e = pseudofs_find(path);

	if (!e)
		return -ENOENT;
	pseudofs_remove(e);
	return 0;
}

/* True if path names dir itself or lies below it ("/" holds everything). */
static bool pseudofs_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return true;
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

void pseudofs_unregister_dir(const char *dir)
{
	pseudofs_init_static();
	for (int i = 0; i < pseudofs_count;) {
		if (pseudofs_under(pseudofs_table[i].path, dir))
			pseudofs_remove(&pseudofs_table[i]);
		else
			i++;
	}
}

/* True if some table file lies below dir. */
static bool pseudofs_table_has_dir(const char *dir)
{
	pseudofs_init_static();
	for (int i = 0; i < pseudofs_count; i++)
		if (pseudofs_under(pseudofs_table[i].path, dir))
			return true;
	return false;
}

/* True if family f has at least one member. */
static bool pseudofs_family_nonempty(const struct pseudo_family *f)
{
	unsigned long n = 0;

	return f->next(&n);
}

/* Parse the decimal N at s (no sign, no leading zero unless N is 0, no
 * overflow) into *n; returns the first character after it, or NULL. */
static const char *pseudofs_parse_member(const char *s, unsigned long *n)
{
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return NULL;
	for (*n = 0; *s >= '0' && *s <= '9'; s++) {
		unsigned long d = (unsigned long)(*s - '0');

		if (*n > (PSEUDOFS_N_MAX - d) / 10)
			return NULL;
		*n = *n * 10 + d;
	}
	return s;
}

/* If path is PARENT/PREFIXN or below it for a family with member N: the
 * family, *n = N and *rest = what follows "PREFIXN" ("" or "/..."). */
static const struct pseudo_family *pseudofs_family_at(const char *path, unsigned long *n,
						      const char **rest)
{
	for (int i = 0; i < pseudofs_nr_families; i++) {
		const struct pseudo_family *f = pseudofs_families[i];
		size_t pl = strlen(f->parent), xl = strlen(f->prefix);
		const char *q;

		if (strncmp(path, f->parent, pl) || path[pl] != '/' ||
		    strncmp(path + pl + 1, f->prefix, xl))
			continue;
		q = pseudofs_parse_member(path + pl + 1 + xl, n);
		if (q && (*q == '\0' || *q == '/') && f->exists(*n)) {
			*rest = q;
			return f;
		}
	}
	return NULL;
}

/* The file at path, table or family attribute, into *pf; false if none. */
static bool pseudofs_lookup(const char *path, struct pseudo_file *pf)
{
	struct pseudofs_entry *e = pseudofs_find(path);
	const struct pseudo_family *f;
	const char *rest;
	unsigned long n;

	if (e) {
		*pf = e->file;
		return true;
	}
	f = pseudofs_family_at(path, &n, &rest);
	if (!f || rest[0] != '/')
		return false;
	for (size_t i = 0; i < f->nr_attrs; i++)
		if (strcmp(rest + 1, f->attrs[i].name) == 0) {
			*pf = (struct pseudo_file){ path, f->attrs[i].show, f->attrs[i].store, (void *)n };
			return true;
		}
	return false;
}

/* True if dir is a directory: a table file lies below it, it is a
 * family member's directory, or a non-empty family's parent is dir or
 * lies below it. */
static bool pseudofs_is_dir(const char *dir)
{
	const char *rest;
	unsigned long n;

	if (pseudofs_table_has_dir(dir))
		return true;
	if (pseudofs_family_at(dir, &n, &rest) && *rest == '\0')
		return true;
	for (int i = 0; i < pseudofs_nr_families; i++) {
		const struct pseudo_family *f = pseudofs_families[i];

		if ((strcmp(f->parent, dir) == 0 || pseudofs_under(f->parent, dir)) &&
		    pseudofs_family_nonempty(f))
			return true;
	}
	return false;
}

/* Is s a usable name component: non-empty, no '/'? */
static bool pseudofs_component_ok(const char *s)
{
	return s && s[0] && !strchr(s, '/');
}

int pseudofs_register_family(const struct pseudo_family *f)
{
	size_t pl = f->parent ? strlen(f->parent) : 0, xl = f->prefix ? strlen(f->prefix) : 0;

	if (pl < 2 || f->parent[0] != '/' || f->parent[pl - 1] == '/' || !pseudofs_component_ok(f->prefix) ||
	    (f->prefix[xl - 1] >= '0' && f->prefix[xl - 1] <= '9') || !f->exists || !f->next ||
	    !f->attrs || !f->nr_attrs || f->nr_attrs > PSEUDOFS_MAX_ATTRS)
		return -EINVAL;
	for (size_t i = 0; i < f->nr_attrs; i++)
		if (!pseudofs_component_ok(f->attrs[i].name))
			return -EINVAL;
	for (int i = 0; i < pseudofs_nr_families; i++)
		if (pseudofs_families[i] == f || strcmp(pseudofs_families[i]->parent, f->parent) == 0)
			return -EEXIST;
	if (pseudofs_nr_families == PSEUDOFS_MAX_FAMILIES)
		return -ENOMEM;
	pseudofs_families[pseudofs_nr_families++] = f;
	return 0;
}

/* Linux's words for the errors a show() or lookup can report. */
static const char *pseudofs_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case ENOENT: return "No such file or directory";
	case EINVAL: return "Invalid argument";
	case ENOMEM: return "Cannot allocate memory";
	case EBUSY:  return "Device or resource busy";
	case EPERM:  return "Operation not permitted";
	case EFAULT: return "Bad address";
	case ERANGE: return "Numerical result out of range";
	case EEXIST: return "File exists";
	default:     return "Input/output error";
	}
}

int pseudofs_write(const char *path, const char *val)
{
	struct pseudo_file f;

	if (!pseudofs_lookup(path, &f))
		return shell_error("echo: %s: %s", path, pseudofs_is_dir(path) ?
				   "Is a directory" : "No such file or directory");
	if (!f.store)
		return shell_error("echo: %s: Permission denied", path);
	return f.store(val, f.priv) ? -1 : 0;
}

int pseudofs_read(const char *path, struct seq *s)
{
	struct pseudo_file f;

	if (!pseudofs_lookup(path, &f))
		return -ENOENT;
	if (!f.show)
		return -EPERM;
	return f.show(s, f.priv);
}

/* `cat PATH`: run show() into the static buffer and print it. */
static int pseudofs_cmd_cat(int argc, char **argv)
{
	struct pseudo_file f;
	struct seq s;
	int rc;

	if (argc != 2)
		return shell_error("cat: usage: cat PATH");
	if (!pseudofs_lookup(argv[1], &f))
		return shell_error("cat: %s: %s", argv[1], pseudofs_is_dir(argv[1]) ?
				   "Is a directory" : "No such file or directory");
	if (!f.show)
		return shell_error("cat: %s: Permission denied", argv[1]);
	seq_init(&s, pseudofs_show_buf, sizeof(pseudofs_show_buf));
	rc = f.show(&s, f.priv);
	if (rc && !s.overflow)
		return shell_error("cat: %s: %s", argv[1], pseudofs_strerror(rc));
	printk_write(s.buf, s.len);
	if (s.overflow)
		return shell_error("cat: %s: output truncated at %zu bytes", argv[1], s.len);
	return 0;
}
SHELL_CMD("cat", "cat PATH", "print a pseudo-file", pseudofs_cmd_cat);

/* `echo WORDS`: print the words (`echo VALUE > PATH` never gets here: the
 * shell sends redirected lines to pseudofs_write()). */
static int pseudofs_cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printk("%s%s", i > 1 ? " " : "", argv[i]);
	printk("\n");
	return 0;
}
SHELL_CMD("echo", "echo VALUE > PATH", "write VALUE to a pseudo-file (without '> PATH': print it)",
	  pseudofs_cmd_echo);

/* One name in a directory listing: name[0..len), a directory if dir. */
struct pseudofs_child {
	const char *name;
	size_t len;
	bool dir;
};

static struct pseudofs_child
	pseudofs_children[PSEUDOFS_MAX_FILES + PSEUDOFS_MAX_FAMILIES + PSEUDOFS_MAX_ATTRS];

/* Compare two child names like strcmp. */
static int pseudofs_child_cmp(const struct pseudofs_child *a, const struct pseudofs_child *b)
{
	int c = strncmp(a->name, b->name, MIN(a->len, b->len));

	return c ? c : (int)a->len - (int)b->len;
}

/* Insert the first path component of rest into the sorted, duplicate-free
 * children[0..n) (a directory if more follows or dir); returns the new count. */
static int pseudofs_add_child(int n, const char *rest, bool dir)
{
	const char *slash = strchr(rest, '/');
	struct pseudofs_child c = { rest, slash ? (size_t)(slash - rest) : strlen(rest), slash || dir };
	int i = n;

	for (int j = 0; j < n; j++)
		if (pseudofs_child_cmp(&pseudofs_children[j], &c) == 0) {
			pseudofs_children[j].dir |= c.dir;
			return n;
		}
	if (n == (int)ARRAY_SIZE(pseudofs_children))
		return n;
	while (i > 0 && pseudofs_child_cmp(&pseudofs_children[i - 1], &c) > 0) {
		pseudofs_children[i] = pseudofs_children[i - 1];
		i--;
	}
	pseudofs_children[i] = c;
	return n + 1;
}

/* A listing in progress: the sorted children[next..n) not yet printed,
 * merged with the members of family fam (or NULL) as they are found. */
struct pseudofs_ls {
	int next, n;
	const struct pseudo_family *fam;
};

static void pseudofs_print_child(const struct pseudofs_child *c)
{
	printk("%.*s%s\n", (int)c->len, c->name, c->dir ? "/" : "");
}

/* Print every pending child that sorts before c (all of them if c is
 * NULL), then c itself, once even if a child has its name. */
static void pseudofs_ls_emit(struct pseudofs_ls *ls, const struct pseudofs_child *c)
{
	while (ls->next < ls->n && (!c || pseudofs_child_cmp(&pseudofs_children[ls->next], c) < 0))
		pseudofs_print_child(&pseudofs_children[ls->next++]);
	if (!c)
		return;
	if (ls->next < ls->n && pseudofs_child_cmp(&pseudofs_children[ls->next], c) == 0)
		ls->next++;
	pseudofs_print_child(c);
}

/* Has family f a member whose decimal digits start with those of p (p
 * itself, p0..p9, p00..)?  One next() per digit count. */
static bool pseudofs_family_has_prefix(const struct pseudo_family *f, unsigned long p)
{
	unsigned long lo = p, span = 1, n;

	if (p == 0)
		return f->exists(0);
	for (;;) {
		n = lo;
		if (!f->next(&n))
			return false;
		if (n - lo < span)
			return true;
		if (lo > PSEUDOFS_N_MAX / 10)
			return false;
		lo *= 10;
		span *= 10;
	}
}

/* List member p (if it exists) and every member whose digits extend p's,
 * in name order: p, then p0.., p1.., ... p9.. (depth-first). */
static void pseudofs_ls_members(struct pseudofs_ls *ls, unsigned long p)
{
	static char name[PSEUDO_PATH_MAX];
	struct pseudofs_child c = { name, 0, true };

	if (ls->fam->exists(p)) {
		c.len = (size_t)ksnprintf(name, sizeof(name), "%s%lu", ls->fam->prefix, p);
		pseudofs_ls_emit(ls, &c);
	}
	for (unsigned long d = 0; d < 10 && p; d++)
		if (p <= (PSEUDOFS_N_MAX - d) / 10 && pseudofs_family_has_prefix(ls->fam, p * 10 + d))
			pseudofs_ls_members(ls, p * 10 + d);
}

/* Gather dir's children (len = strlen(dir)) from the table and the
 * families into children[]; *fam is the family whose parent is dir. */
static int pseudofs_gather(const char *dir, size_t len, const struct pseudo_family **fam)
{
	const struct pseudo_family *mf;
	const char *rest;
	unsigned long nr;
	int n = 0;

	*fam = NULL;
	for (int i = 0; i < pseudofs_count; i++)
		if (pseudofs_under(pseudofs_table[i].path, dir))
			n = pseudofs_add_child(n, pseudofs_table[i].path + (len == 1 ? 1 : len + 1), false);
	for (int i = 0; i < pseudofs_nr_families; i++) {
		const struct pseudo_family *f = pseudofs_families[i];

		if (strcmp(f->parent, dir) == 0)
			*fam = f;
		else if (pseudofs_under(f->parent, dir) && pseudofs_family_nonempty(f))
			n = pseudofs_add_child(n, f->parent + (len == 1 ? 1 : len + 1), true);
	}
	mf = pseudofs_family_at(dir, &nr, &rest);
	if (mf && *rest == '\0')
		for (size_t i = 0; i < mf->nr_attrs; i++)
			n = pseudofs_add_child(n, mf->attrs[i].name, false);
	return n;
}

/* `ls [DIR]`: the immediate children of DIR (default "/"), sorted, one a
 * line, directories with a trailing '/'.  A file lists as its own path. */
static int pseudofs_cmd_ls(int argc, char **argv)
{
	struct pseudofs_ls ls = { 0 };
	char dir[PSEUDO_PATH_MAX];
	struct pseudo_file f;
	size_t len;

	if (argc > 2)
		return shell_error("ls: usage: ls [DIR]");
	len = strlcpy(dir, argc == 2 ? argv[1] : "/", sizeof(dir));
	if (len >= sizeof(dir) || dir[0] != '/')
		return shell_error("ls: cannot access '%s': No such file or directory", argv[1]);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	if (pseudofs_lookup(dir, &f)) {
		printk("%s\n", dir);
		return 0;
	}
	if (!pseudofs_is_dir(dir))
		return shell_error("ls: cannot access '%s': No such file or directory", argv[1]);
	ls.n = pseudofs_gather(dir, len, &ls.fam);
	for (unsigned long d = 0; ls.fam && d < 10; d++)
		if (pseudofs_family_has_prefix(ls.fam, d))
			pseudofs_ls_members(&ls, d);
	pseudofs_ls_emit(&ls, NULL);
	return 0;
}
SHELL_CMD("ls", "ls [DIR]", "list a pseudo-directory (default /)", pseudofs_cmd_ls);
