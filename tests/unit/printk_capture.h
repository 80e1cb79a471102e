/* printk for host unit tests of code that prints: every line printk,
 * vprintk, printk_write and shell_error print is appended to printed[]
 * (formatted by the kernel's own kvsnprintf, so link kernel/vsprintf.c);
 * reset with printed[0] = '\0', check with strstr.  shell_error() prints
 * "error: MSG\n" as kernel/shell_exec.c does and counts in printed_errors.
 * A test that prints more than 8 KiB defines PRINTK_CAPTURE_SIZE first;
 * what does not fit is dropped.  Include it in one file of a program. */
#ifndef TESTS_PRINTK_CAPTURE_H
#define TESTS_PRINTK_CAPTURE_H
#include <string.h>
#include <stdarg.h>
#include <pagoda/printk.h>

#ifndef PRINTK_CAPTURE_SIZE
#define PRINTK_CAPTURE_SIZE 8192
#endif
static char printed[PRINTK_CAPTURE_SIZE];
static int printed_errors;

void printk_write(const char *s, size_t n)
{
	size_t len = strlen(printed);

	n = n < sizeof(printed) - 1 - len ? n : sizeof(printed) - 1 - len;
	memcpy(printed + len, s, n);
	printed[len + n] = '\0';
}

int vprintk(const char *fmt, va_list ap)
{
	size_t n = strlen(printed);

	return kvsnprintf(printed + n, sizeof(printed) - n, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vprintk(fmt, ap);
	va_end(ap);
	return r;
}

int shell_error(const char *fmt, ...)
{
	va_list ap;

	printed_errors++;
	printk("error: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	return -1;
}
#endif
