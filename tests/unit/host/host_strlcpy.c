/* strlcpy for host tests: kernel/pseudofs.c and kernel/shell*.c call it, and
 * glibc before 2.38 (Debian 12 has 2.36) has none.  Same contract as
 * kernel/lib/string.c, which cannot be linked on the host next to libc. */
#include <string.h>

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
