/* Selftests for the string helpers and number parsing (string.c, parse.c). */
#include <pagoda/selftest.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

SELFTEST(string_mem)
{
	char a[16], b[16];

	memset(a, 'x', sizeof(a));
	EXPECT(a[0] == 'x' && a[15] == 'x');
	memcpy(b, "0123456789abcdef", 16);
	memmove(b + 2, b, 8);                       /* overlap, forward */
	EXPECT(memcmp(b, "0101234567abcdef", 16) == 0);
	memmove(b, b + 2, 8);                       /* overlap, backward */
	EXPECT(memcmp(b, "01234567", 8) == 0);
	EXPECT(memcmp("ab", "ac", 2) < 0 && memcmp("\xff", "\x01", 1) > 0);
}

SELFTEST(string_str)
{
	char d[8];

	EXPECT(strlen("") == 0 && strlen("pagoda") == 6);
	EXPECT(strnlen("pagoda", 3) == 3 && strnlen("ab\0cd", 6) == 2);
	EXPECT(strcmp("abc", "abd") < 0 && strcmp("b", "abc") > 0 && strcmp("x", "x") == 0);
	EXPECT(strncmp("abcX", "abcY", 3) == 0 && strncmp("ab", "abc", 3) < 0);
	EXPECT(strchr("a/b/c", '/') != NULL && strchr("a/b/c", '/')[1] == 'b');
	EXPECT(strrchr("a/b/c", '/') != NULL && *(strrchr("a/b/c", '/') + 1) == 'c');
	EXPECT(strchr("abc", 'z') == NULL && strchr("abc", '\0') != NULL);
	EXPECT(strlcpy(d, "truncated", sizeof(d)) == 9 && strcmp(d, "truncat") == 0);
	EXPECT(strlcpy(d, "ok", sizeof(d)) == 2 && strcmp(d, "ok") == 0);
}

SELFTEST(parse_kstrtou64)
{
	u64 v = 7;

	EXPECT(kstrtou64("0", 0, &v) == 0 && v == 0);
	EXPECT(kstrtou64("0x1f", 0, &v) == 0 && v == 31);
	EXPECT(kstrtou64("18446744073709551615", 0, &v) == 0 && v == UINT64_MAX);
	EXPECT(kstrtou64("18446744073709551616", 0, &v) == -ERANGE);
	EXPECT(kstrtou64("0x10000000000000000", 0, &v) == -ERANGE);
	EXPECT(kstrtou64("", 0, &v) == -EINVAL && kstrtou64("0x", 0, &v) == -EINVAL);
	EXPECT(kstrtou64("12a", 10, &v) == -EINVAL && kstrtou64("-1", 0, &v) == -EINVAL);
	EXPECT(kstrtou64(" 1", 0, &v) == -EINVAL);
}

SELFTEST(parse_size)
{
	u64 v = 0;

	EXPECT(kparse_size("4096", &v) == 0 && v == 4096);
	EXPECT(kparse_size("4k", &v) == 0 && v == 4096);
	EXPECT(kparse_size("128M", &v) == 0 && v == 128ULL << 20);
	EXPECT(kparse_size("1G", &v) == 0 && v == 1ULL << 30);
	EXPECT(kparse_size("2T", &v) == 0 && v == 2ULL << 40);
	EXPECT(kparse_size("0x8000000", &v) == 0 && v == 0x8000000);
	EXPECT(kparse_size("16777216T", &v) == -ERANGE);
	EXPECT(kparse_size("1MB", &v) == -EINVAL && kparse_size("M", &v) == -EINVAL);
}
