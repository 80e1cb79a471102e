/* Pseudo-files: the path -> show/store registry behind cat, echo and ls.
 *
 *   /proc/meminfo                        entries are files only; a
 *   /sys/devices/system/memory/probe     directory exists while some
 *   /sys/devices/system/memory/memory8/state     file lies below it:
 *     ls /sys/devices/system/memory  ->  memory8/  probe
 *
 * The table is a fixed array (no allocator is needed, hotplug adds and
 * removes memoryN/ files at run time).  Files declared with PSEUDO_FILE()
 * sit in section pagoda_pfiles and are entered on first use. */
#include <pagoda/pseudofs.h>
#include <pagoda/shell.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define PSEUDOFS_MAX_FILES 1024
#define PSEUDOFS_SHOW_MAX  (64 * 1024)

struct pseudofs_entry {
	char path[PSEUDO_PATH_MAX];
	struct pseudo_file file;        /* file.path points at path[] */
};

extern const struct pseudo_file __start_pagoda_pfiles[], __stop_pagoda_pfiles[];

static struct pseudofs_entry pseudofs_table[PSEUDOFS_MAX_FILES];
static int pseudofs_count;
static bool pseudofs_static_done;
static char pseudofs_show_buf[PSEUDOFS_SHOW_MAX];

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

/* True if some file lies below dir, i.e. the directory exists. */
static bool pseudofs_is_dir(const char *dir)
{
	pseudofs_init_static();
	for (int i = 0; i < pseudofs_count; i++)
		if (pseudofs_under(pseudofs_table[i].path, dir))
			return true;
	return false;
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
	struct pseudofs_entry *e = pseudofs_find(path);

	if (!e)
		return shell_error("echo: %s: %s", path, pseudofs_is_dir(path) ?
				   "Is a directory" : "No such file or directory");
	if (!e->file.store)
		return shell_error("echo: %s: Permission denied", path);
	return e->file.store(val, e->file.priv) ? -1 : 0;
}

/* `cat PATH`: run show() into the static buffer and print it. */
static int pseudofs_cmd_cat(int argc, char **argv)
{
	struct pseudofs_entry *e;
	struct seq s;
	int rc;

	if (argc != 2)
		return shell_error("cat: usage: cat PATH");
	e = pseudofs_find(argv[1]);
	if (!e)
		return shell_error("cat: %s: %s", argv[1], pseudofs_is_dir(argv[1]) ?
				   "Is a directory" : "No such file or directory");
	if (!e->file.show)
		return shell_error("cat: %s: Permission denied", argv[1]);
	seq_init(&s, pseudofs_show_buf, sizeof(pseudofs_show_buf));
	rc = e->file.show(&s, e->file.priv);
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

static struct pseudofs_child pseudofs_children[PSEUDOFS_MAX_FILES];

/* Compare two child names like strcmp. */
static int pseudofs_child_cmp(const struct pseudofs_child *a, const struct pseudofs_child *b)
{
	int c = strncmp(a->name, b->name, MIN(a->len, b->len));

	return c ? c : (int)a->len - (int)b->len;
}

/* Insert the first path component of rest into the sorted, duplicate-free
 * children[0..n); returns the new count. */
static int pseudofs_add_child(int n, const char *rest)
{
	const char *slash = strchr(rest, '/');
	struct pseudofs_child c = { rest, slash ? (size_t)(slash - rest) : strlen(rest), slash != NULL };
	int i = n;

	for (int j = 0; j < n; j++)
		if (pseudofs_child_cmp(&pseudofs_children[j], &c) == 0)
			return n;
	while (i > 0 && pseudofs_child_cmp(&pseudofs_children[i - 1], &c) > 0) {
		pseudofs_children[i] = pseudofs_children[i - 1];
		i--;
	}
	pseudofs_children[i] = c;
	return n + 1;
}

/* `ls [DIR]`: the immediate children of DIR (default "/"), sorted, one a
 * line, directories with a trailing '/'.  A file lists as its own path. */
static int pseudofs_cmd_ls(int argc, char **argv)
{
	char dir[PSEUDO_PATH_MAX];
	size_t len;
	int n = 0;

	if (argc > 2)
		return shell_error("ls: usage: ls [DIR]");
	len = strlcpy(dir, argc == 2 ? argv[1] : "/", sizeof(dir));
	if (len >= sizeof(dir) || dir[0] != '/')
		return shell_error("ls: cannot access '%s': No such file or directory", argv[1]);
	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	if (pseudofs_find(dir)) {
		printk("%s\n", dir);
		return 0;
	}
	if (!pseudofs_is_dir(dir))
		return shell_error("ls: cannot access '%s': No such file or directory", argv[1]);
	for (int i = 0; i < pseudofs_count; i++)
		if (pseudofs_under(pseudofs_table[i].path, dir))
			n = pseudofs_add_child(n, pseudofs_table[i].path + (len == 1 ? 1 : len + 1));
	for (int i = 0; i < n; i++)
		printk("%.*s%s\n", (int)pseudofs_children[i].len, pseudofs_children[i].name,
		       pseudofs_children[i].dir ? "/" : "");
	return 0;
}
SHELL_CMD("ls", "ls [DIR]", "list a pseudo-directory (default /)", pseudofs_cmd_ls);
