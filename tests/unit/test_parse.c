/* Host test of kstrtou64 and kparse_size (kernel/lib/parse.c). */
#include <stdio.h>
#include <string.h>
#include <pagoda/string.h>
#include "tap.h"

/* Expect kstrtou64(s, base) to return rc and, on success, value want. */
static void check_u64(const char *s, unsigned base, int rc, u64 want)
{
	u64 v = 0xdeadbeef;
	int r = kstrtou64(s, base, &v);

	TAP_OK(r == rc && (rc || v == want), "kstrtou64(\"%s\", %u) = %d, %llu",
	       s, base, r, (unsigned long long)v);
}

static void check_size(const char *s, int rc, u64 want)
{
	u64 v = 0xdeadbeef;
	int r = kparse_size(s, &v);

	TAP_OK(r == rc && (rc || v == want) && (!rc || v == 0xdeadbeef),
	       "kparse_size(\"%s\") = %d, %llu", s, r, (unsigned long long)v);
}

int main(void)
{
	check_u64("0", 0, 0, 0);
	check_u64("42", 0, 0, 42);
	check_u64("0x2A", 0, 0, 42);
	check_u64("0X2a", 0, 0, 42);
	check_u64("2a", 16, 0, 42);
	check_u64("0x2a", 16, 0, 42);
	check_u64("052", 0, 0, 52);              /* no implicit octal */
	check_u64("052", 8, 0, 42);
	check_u64("18446744073709551615", 0, 0, UINT64_MAX);
	check_u64("0xffffffffffffffff", 0, 0, UINT64_MAX);
	check_u64("18446744073709551616", 0, -ERANGE, 0);
	check_u64("99999999999999999999", 0, -ERANGE, 0);
	check_u64("0x10000000000000000", 0, -ERANGE, 0);
	check_u64("", 0, -EINVAL, 0);
	check_u64("0x", 0, -EINVAL, 0);
	check_u64("x1", 0, -EINVAL, 0);
	check_u64("-1", 0, -EINVAL, 0);
	check_u64("+1", 0, -EINVAL, 0);
	check_u64(" 1", 0, -EINVAL, 0);
	check_u64("1 ", 0, -EINVAL, 0);
	check_u64("12z", 0, -EINVAL, 0);
	check_u64("0x1g", 0, -EINVAL, 0);
	check_u64("9", 8, -EINVAL, 0);
	check_u64("10", 7, -EINVAL, 0);
	TAP_OK(kstrtou64(NULL, 0, &(u64){0}) == -EINVAL, "kstrtou64(NULL) = -EINVAL");

	check_size("0", 0, 0);
	check_size("4096", 0, 4096);
	check_size("4K", 0, 4096);
	check_size("4k", 0, 4096);
	check_size("2M", 0, 2 << 20);
	check_size("128m", 0, 128 << 20);
	check_size("1G", 0, 1ULL << 30);
	check_size("8g", 0, 8ULL << 30);
	check_size("1T", 0, 1ULL << 40);
	check_size("0x8000000", 0, 0x8000000);
	check_size("0x10M", 0, 16ULL << 20);
	check_size("16777215T", 0, 16777215ULL << 40);
	check_size("16777216T", -ERANGE, 0);
	check_size("18446744073709551615", 0, UINT64_MAX);
	check_size("18446744073709551616", -ERANGE, 0);
	check_size("", -EINVAL, 0);
	check_size("M", -EINVAL, 0);
	check_size("1MB", -EINVAL, 0);
	check_size("1MiB", -EINVAL, 0);
	check_size("1P", -EINVAL, 0);
	check_size("1 M", -EINVAL, 0);
	check_size("-1M", -EINVAL, 0);
	check_size("0x", -EINVAL, 0);
	return TAP_DONE();
}
