/* Kernel command line: "name=value name ..." with Linux quoting
 * (name="a b;c").  Parameters register with KERNEL_PARAM beside the code
 * that uses them; unknown names are warned about and ignored.
 * Handlers return 0 or print a warning and return -EINVAL (value ignored). */
#ifndef PAGODA_CMDLINE_H
#define PAGODA_CMDLINE_H
#include <pagoda/types.h>

struct kernel_param {
	const char *name;
	int (*set)(const char *val);     /* val is NULL for a bare "name" */
};

#define KERNEL_PARAM(n, fn) \
	static const struct kernel_param __kparam_##fn __used \
	__section("pagoda_params") __aligned(8) = { n, fn }

/* Parse cmdline against [table, table + n). Returns number of unknown names.
 * Splits in place into a private copy; values may be quoted with "". */
int cmdline_parse_table(const char *cmdline, const struct kernel_param *table, size_t n);
/* Parse against the link-time table. */
int cmdline_parse(const char *cmdline);
#endif
