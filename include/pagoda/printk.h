/* printk: formatted output to the console (and the log ring).
 * Formats: %d %i %u %x %X %o %p %s %c %%, with flags '-', '0', '+', ' ', '#',
 * width and precision (also '*'), and length modifiers hh h l ll z t j. */
#ifndef PAGODA_PRINTK_H
#define PAGODA_PRINTK_H
#include <pagoda/types.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
/* Emit one whole line without interleaving with the shell's prompt
 * (hotplug events use it): the shell redraws its prompt afterwards. */
void printk_line_async(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write n raw bytes to the console ("\n" becomes "\r\n"); for output that
 * is already formatted, e.g. a pseudo-file's text. */
void printk_write(const char *s, size_t n);
/* End the current console line if something was printed on it. */
void printk_ensure_newline(void);
/* panic(): from now on printk waits for the console lock only a bounded
 * time, then breaks it (kernel/printk.c). */
void printk_panic_begin(void);
#endif
