/* Host test of kvsnprintf (kernel/vsprintf.c) against libc's snprintf:
 * fixed cases for every conversion, flag and length modifier, truncation
 * at every buffer size, and the kernel-specific %p and %s(NULL). */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <pagoda/printk.h>
#include "tap.h"

/* Some cases combine flags on purpose ("%08.3d", "%-08d") to check that
 * the kernel ignores '0' exactly as libc does. */
#pragma GCC diagnostic ignored "-Wformat"

/* Format with both implementations and compare text and return value. */
#define SAME(fmt, ...) do { \
	char k[256], l[256]; \
	int kn = ksnprintf(k, sizeof(k), fmt, __VA_ARGS__); \
	int ln = snprintf(l, sizeof(l), fmt, __VA_ARGS__); \
	TAP_OK(kn == ln && strcmp(k, l) == 0, "%-24s -> \"%s\" (libc \"%s\")", fmt, k, l); \
} while (0)

static void test_integers(void)
{
	SAME("%d %i %u", -1, 2147483647, 4294967295u);
	SAME("%d", (int)0x80000000);
	SAME("%5d|%-5d|%05d", 42, 42, 42);
	SAME("%+d|% d|%+d|% d", 5, 5, -5, -5);
	SAME("%x|%X|%#x|%#X|%#x", 0xbeef, 0xbeef, 0xbeef, 0xbeef, 0);
	SAME("%o|%#o|%#o", 8, 8, 0);
	SAME("%.3d|%.0d|%5.3d|%-6.2x|", 7, 0, -7, 10);
	SAME("%08.3d|%-08d|", 5, 5);
	SAME("%hhd|%hhu|%hd|%hu", 300, 300, 70000, 70000);
	SAME("%ld|%lu|%lx", -1L, ~0UL, 0x123456789abcUL);
	SAME("%lld|%llu|%llx|%llX", (long long)INT64_MIN, (unsigned long long)UINT64_MAX,
	     0xfedcba9876543210ULL, 0xfedcba9876543210ULL);
	SAME("%zu|%zx|%td|%jd", (size_t)123, (size_t)0xabc, (ptrdiff_t)-4, (intmax_t)-9);
	SAME("%*d|%-*d|%.*d", 6, 1, 6, 1, 4, 1);
	SAME("%*d", -6, 1);
	SAME("%#08x|%#-8o|", 0x1f, 8);
}

static void test_strings(void)
{
	SAME("%s|%10s|%-10s|%.2s|%5.1s", "abc", "abc", "abc", "abc", "abc");
	SAME("%c|%3c|%-3c|", 'a', 'b', 'c');
	SAME("100%% %s", "done");
	SAME("%s", "");
}

static void test_kernel_specific(void)
{
	char b[64];

	ksnprintf(b, sizeof(b), "%p", (void *)0xffff888000001000UL);
	TAP_OK(strcmp(b, "0xffff888000001000") == 0, "%%p full pointer: %s", b);
	ksnprintf(b, sizeof(b), "%p", (void *)0x1000);
	TAP_OK(strcmp(b, "0x0000000000001000") == 0, "%%p pads to 16 digits: %s", b);
	ksnprintf(b, sizeof(b), "%p", NULL);
	TAP_OK(strcmp(b, "0x0000000000000000") == 0, "%%p NULL: %s", b);
	ksnprintf(b, sizeof(b), "[%20p]", (void *)0x10);
	TAP_OK(strcmp(b, "[  0x0000000000000010]") == 0, "%%p width: %s", b);
	const char *volatile nul = NULL;
	ksnprintf(b, sizeof(b), "%s|%.3s", nul, nul);
	TAP_OK(strcmp(b, "(null)|(nu") == 0, "%%s NULL: %s", b);
}

/* Every buffer size from 0 up: same NUL-terminated prefix, same length. */
static void test_truncation(void)
{
	const char *want = "pagoda -12 0x1f";
	bool ok = true;

	for (size_t size = 0; size <= strlen(want) + 2; size++) {
		char k[32], l[32];
		memset(k, 'X', sizeof(k));
		memset(l, 'X', sizeof(l));
		int kn = ksnprintf(k, size, "%s %d %#x", "pagoda", -12, 31);
		int ln = snprintf(l, size, "%s %d %#x", "pagoda", -12, 31);
		ok &= kn == ln && memcmp(k, l, sizeof(k)) == 0;
	}
	TAP_OK(ok, "truncation matches libc for every buffer size");
}

int main(void)
{
	test_integers();
	test_strings();
	test_kernel_specific();
	test_truncation();
	return TAP_DONE();
}
