/* Pseudo-files: a registry of path -> show/store callbacks that backs
 * `cat`, `echo VALUE > PATH` and `ls`.  Directories are implied by paths.
 *
 * show() prints the file into a seq and returns 0 (or -errno).
 * store() parses a value; on bad input it prints "error: ..." via
 * shell_error() and returns non-zero without changing state.
 * Registration is dynamic (memoryN/ directories come and go with hotplug);
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

#define PSEUDO_FILE(p, sh, st) \
	static const struct pseudo_file __pseudo_##sh##_##st __used \
	__section("pagoda_pfiles") __aligned(8) = { .path = p, .show = sh, .store = st }
#endif
