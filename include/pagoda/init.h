/* Init calls: functions run once by kmain() after mm is up and before the
 * shell starts, in link order within a level.  Use them to register
 * pseudo-files and selftest fixtures beside the code they belong to.
 *   INITCALL(fn)          static int fn(void)  (non-zero return is reported) */
#ifndef PAGODA_INIT_H
#define PAGODA_INIT_H
#include <pagoda/types.h>
struct initcall { const char *name; int (*fn)(void); };
#define INITCALL(f) \
	static const struct initcall __initcall_##f __used \
	__section("pagoda_initcalls") __aligned(8) = { #f, f }
#endif
