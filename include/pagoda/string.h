/* Kernel string helpers.  In the kernel these come from kernel/lib/string.c;
 * in the host build from libc. */
#ifndef PAGODA_STRING_H
#define PAGODA_STRING_H
#include <pagoda/types.h>
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *d, const char *s, size_t n);
/* kstrtou64: parse decimal or 0x-hex (base 0) fully; returns 0 or -EINVAL/-ERANGE. */
int kstrtou64(const char *s, unsigned int base, u64 *out);
/* memparse_strict: SIZE with optional K/M/G/T suffix (and 0x hex); whole string. */
int kparse_size(const char *s, u64 *out);
#endif
