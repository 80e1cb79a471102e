/* Number parsing for commands, pseudo-files and boot parameters.
 *
 *   kstrtou64("0x1f", 0)  -> 31      whole string or -EINVAL
 *   kparse_size("128M")   -> 128 << 20, also "0x8000000", "4k", "1G"
 *
 * Kept apart from string.c so host unit tests can link it next to libc. */
#include <pagoda/string.h>

/* Value of hex/decimal digit c, or 16 when c is not a digit at all. */
static unsigned parse_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

/* Parse the digits at *sp in base until a non-digit; advance *sp.
 * Returns -EINVAL if there is no digit, -ERANGE on u64 overflow. */
static int parse_digits(const char **sp, unsigned base, u64 *out)
{
	const char *s = *sp;
	u64 v = 0;
	unsigned d;

	if (parse_digit(*s) >= base)
		return -EINVAL;
	for (; (d = parse_digit(*s)) < base; s++) {
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*sp = s;
	*out = v;
	return 0;
}

/* Skip a base prefix: base 0 picks 16 for "0x"/"0X" and 10 otherwise
 * (a leading 0 does not mean octal: addresses are written 0x...). */
static unsigned parse_base(const char **sp, unsigned base)
{
	const char *s = *sp;

	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		*sp = s + 2;
		return 16;
	}
	return base ? base : 10;
}

/* Parse all of s as an unsigned number in base (0, 8, 10 or 16).
 * Returns 0, -EINVAL (empty, sign, junk) or -ERANGE (overflow). */
int kstrtou64(const char *s, unsigned int base, u64 *out)
{
	u64 v;
	int rc;

	if (!s || (base != 0 && base != 8 && base != 10 && base != 16))
		return -EINVAL;
	base = parse_base(&s, base);
	rc = parse_digits(&s, base, &v);
	if (rc)
		return rc;
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Parse all of s as a size: a number (decimal or 0x hex) and an optional
 * K/M/G/T suffix (either case; "KB"/"KiB" are not accepted, like Linux's
 * memparse).  Returns 0, -EINVAL or -ERANGE when the size overflows. */
int kparse_size(const char *s, u64 *out)
{
	unsigned shift = 0;
	unsigned base;
	u64 v;
	int rc;

	if (!s)
		return -EINVAL;
	base = parse_base(&s, 0);
	rc = parse_digits(&s, base, &v);
	if (rc)
		return rc;
	switch (*s) {
	case 'k': case 'K': shift = 10; s++; break;
	case 'm': case 'M': shift = 20; s++; break;
	case 'g': case 'G': shift = 30; s++; break;
	case 't': case 'T': shift = 40; s++; break;
	}
	if (*s)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}
