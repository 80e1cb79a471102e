/* Freestanding string and memory helpers.
 *
 * gcc may emit calls to memcpy/memset/memmove/memcmp for struct copies and
 * zeroing even in -ffreestanding code, so these keep the libc names.  The
 * host build uses libc instead and never links this file. */
#include <pagoda/string.h>

/* Stop gcc from recognising the copy loops below as memset/memcpy and
 * compiling them into calls to themselves. */
#define STRING_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* Fill n bytes at d with the byte c: bytes up to 8-byte alignment, then
 * 64-bit words (four per iteration), then the tail.  Boot-time page
 * poisoning and memmap init fill hundreds of MiB with this. */
STRING_NO_LIBCALL void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	u64 w = 0x0101010101010101ULL * (unsigned char)c;

	while (n && ((uintptr_t)p & 7)) {
		*p++ = (unsigned char)c;
		n--;
	}
	for (; n >= 32; n -= 32, p += 32) {
		((u64 *)p)[0] = w; ((u64 *)p)[1] = w;
		((u64 *)p)[2] = w; ((u64 *)p)[3] = w;
	}
	for (; n >= 8; n -= 8, p += 8)
		*(u64 *)p = w;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

/* Copy n bytes from s to d; the ranges must not overlap.  Word copies
 * when both pointers share their alignment modulo 8. */
STRING_NO_LIBCALL void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if ((((uintptr_t)dp ^ (uintptr_t)sp) & 7) == 0) {
		while (n && ((uintptr_t)dp & 7)) {
			*dp++ = *sp++;
			n--;
		}
		for (; n >= 8; n -= 8, dp += 8, sp += 8)
			*(u64 *)dp = *(const u64 *)sp;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

/* Copy n bytes from s to d; the ranges may overlap. */
STRING_NO_LIBCALL void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

/* Compare n bytes as unsigned chars: <0, 0, >0. */
STRING_NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a, *pb = b;

	for (; n; n--, pa++, pb++)
		if (*pa != *pb)
			return *pa - *pb;
	return 0;
}

STRING_NO_LIBCALL size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/* Length of s, but look at no more than n bytes. */
size_t strnlen(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

/* Compare at most n characters. */
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

/* First occurrence of c in s; c == 0 finds the terminator. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/* Last occurrence of c in s; c == 0 finds the terminator. */
char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/* Copy s into d[n], always NUL-terminating when n > 0.
 * Returns strlen(s): truncation happened iff the result is >= n. */
size_t strlcpy(char *d, const char *s, size_t n)
{
	size_t len = strlen(s);

	if (n) {
		size_t c = len < n - 1 ? len : n - 1;
		memcpy(d, s, c);
		d[c] = '\0';
	}
	return len;
}
