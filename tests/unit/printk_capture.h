/* printk for host unit tests of code that prints: every line is appended
 * to printed[] (formatted by the kernel's own kvsnprintf, so link
 * kernel/vsprintf.c); reset with printed[0] = '\0', check with strstr. */
#ifndef TESTS_PRINTK_CAPTURE_H
#define TESTS_PRINTK_CAPTURE_H
#include <string.h>
#include <stdarg.h>
#include <pagoda/printk.h>

static char printed[8192];

int printk(const char *fmt, ...)
{
	size_t n = strlen(printed);
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = kvsnprintf(printed + n, sizeof(printed) - n, fmt, ap);
	va_end(ap);
	return r;
}
#endif
