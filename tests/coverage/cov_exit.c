/* Linked into the coverage builds of the host tests only (mk/coverage.mk,
 * with -Wl,--wrap=_exit): the host harness runs scenarios and probes in
 * forked children that leave through _exit(), which skips the atexit
 * handler that writes the .gcda counters.  Dump them first, so what a child
 * executed counts. */
#include <unistd.h>

void __gcov_dump(void);
void __real__exit(int status) __attribute__((noreturn));

void __wrap__exit(int status)
{
	__gcov_dump();
	__real__exit(status);
}
