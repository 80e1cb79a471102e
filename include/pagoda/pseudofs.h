/* Pseudo-files: a registry of path -> show/store callbacks that backs
 * `cat`, `echo VALUE > PATH` and `ls`.  Directories are implied by paths.
 *
 * show() prints the file into a seq and returns 0 (or -errno).
 * store() parses a value; on bad input it prints "error: ..." via
 * shell_error() and returns non-zero without changing state.
 * Registration is dynamic; numbered directories that come and go by the
 * thousand (memoryN/) are a pseudo_family instead (below);
 * PSEUDO_FILE() registers a static file at boot. */
#ifndef PAGODA_PSEUDOFS_H
#define PAGODA_PSEUDOFS_H
#include <pagoda/types.h>
#include <pagoda/seq.h>

struct pseudo_file {
	const char *path;                                    /* absolute */
	int (*show)(struct seq *s, void *priv);              /* NULL: write-only */
	int (*store)(const char *val, void *priv);           /* NULL: read-only */
	void *priv;
};

#define PSEUDO_PATH_MAX 128
int pseudofs_register(const char *path, int (*show)(struct seq *, void *),
		      int (*store)(const char *, void *), void *priv);
int pseudofs_unregister(const char *path);
/* Unregister every file under directory prefix dir (e.g. on memory remove). */
void pseudofs_unregister_dir(const char *dir);

/* `echo VALUE > PATH`: hand val to path's store(); on an unknown or
 * read-only path print one "error: " line.  Returns 0 or non-zero. */
int pseudofs_write(const char *path, const char *val);

/* Print path's contents into s as `cat` would, printing nothing else: 0,
 * -ENOENT (no such file), -EPERM (write-only) or what show() returned.
 * For in-kernel tests that compare a file before and after. */
int pseudofs_read(const char *path, struct seq *s);

/* A family of directories PARENT/PREFIXN (N decimal, no leading zeros),
 * each holding the same attribute files, resolved on demand instead of
 * registered one by one (memoryN/ for thousands of memory blocks):
 * `cat PARENT/PREFIXN/ATTR` parses N, asks exists(N) and calls the attr's
 * show/store with priv = (void *)N; a non-member reads as a missing path.
 * next(&n) moves n to the smallest member >= n (false if none): `ls`
 * lists the members in name order without storing them. */
struct pseudo_attr {
	const char *name;
	int (*show)(struct seq *s, void *priv);              /* NULL: write-only */
	int (*store)(const char *val, void *priv);           /* NULL: read-only */
};

struct pseudo_family {
	const char *parent;                  /* absolute directory, no trailing '/' */
	const char *prefix;                  /* "memory" */
	bool (*exists)(unsigned long n);
	bool (*next)(unsigned long *n);
	const struct pseudo_attr *attrs;
	size_t nr_attrs;
};

/* Add family f (caller-owned, lives forever).  0, -EINVAL (bad parent,
 * prefix or attrs), -EEXIST (f or another family in parent already
 * there) or -ENOMEM (too many families). */
int pseudofs_register_family(const struct pseudo_family *f);

#define PSEUDO_FILE(p, sh, st) \
	static const struct pseudo_file __pseudo_##sh##_##st __used \
	__section("pagoda_pfiles") __aligned(8) = { .path = p, .show = sh, .store = st }
#endif
