/* kvsnprintf: the formatting core of printk, free of any I/O so host unit
 * tests can run it against libc's snprintf.
 *
 *   %[flags][width][.precision][length]conv
 *     flags  - 0 + ' ' #      width/precision: digits or '*'
 *     length hh h l ll z t j  conv: d i u x X o p s c %
 *
 * C99 semantics: the output is truncated to size - 1 bytes and always
 * NUL-terminated (size > 0); the return value is the length the whole
 * output would have had.  %p prints "0x" and 16 hex digits; %s of NULL
 * prints "(null)". */
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define FMT_LEFT  0x01     /* '-' */
#define FMT_ZERO  0x02     /* '0' */
#define FMT_PLUS  0x04     /* '+' */
#define FMT_SPACE 0x08     /* ' ' */
#define FMT_ALT   0x10     /* '#' */
#define FMT_UPPER 0x20     /* %X */

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;        /* bytes the full output needs so far */
};

struct fmt_spec {
	unsigned flags;
	int width;
	int prec;          /* -1: none */
	int length;        /* in bytes of the argument: 1, 2, 4, 8 */
	char conv;
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

/* Emit s[0..n) padded to the spec's width (spaces, left or right). */
static void fmt_str(struct fmt_out *o, const struct fmt_spec *sp, const char *s, int n)
{
	if (!(sp->flags & FMT_LEFT))
		fmt_pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		fmt_putc(o, s[i]);
	if (sp->flags & FMT_LEFT)
		fmt_pad(o, ' ', sp->width - n);
}

/* Digits of v in base into the end of tmp; returns the count. */
static int fmt_digits(char *tmp_end, u64 v, unsigned base, bool upper)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		*--tmp_end = dig[v % base];
		v /= base;
		n++;
	} while (v);
	return n;
}

/* Emit an integer: [sign][prefix][zeros][digits] within the width.
 * neg tells that the magnitude v came from a negative signed value. */
static void fmt_num(struct fmt_out *o, const struct fmt_spec *sp, u64 v, bool neg, unsigned base)
{
	char tmp[24], *end = tmp + sizeof(tmp);
	const char *prefix = "";
	int nd, zeros, total;

	nd = (v == 0 && sp->prec == 0) ? 0 : fmt_digits(end, v, base, sp->flags & FMT_UPPER);
	if (neg)
		prefix = "-";
	else if (sp->conv == 'd' || sp->conv == 'i')
		prefix = (sp->flags & FMT_PLUS) ? "+" : (sp->flags & FMT_SPACE) ? " " : "";
	else if ((sp->flags & FMT_ALT) && base == 16 && (v || sp->conv == 'p'))
		prefix = (sp->flags & FMT_UPPER) ? "0X" : "0x";
	else if ((sp->flags & FMT_ALT) && base == 8 && (nd == 0 || end[-nd] != '0'))
		prefix = "0";
	zeros = sp->prec > nd ? sp->prec - nd : 0;
	total = (int)strlen(prefix) + zeros + nd;
	if ((sp->flags & FMT_ZERO) && !(sp->flags & FMT_LEFT) && sp->prec < 0 &&
	    sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!(sp->flags & FMT_LEFT))
		fmt_pad(o, ' ', sp->width - total);
	for (const char *p = prefix; *p; p++)
		fmt_putc(o, *p);
	fmt_pad(o, '0', zeros);
	for (int i = nd; i > 0; i--)
		fmt_putc(o, end[-i]);
	if (sp->flags & FMT_LEFT)
		fmt_pad(o, ' ', sp->width - total);
}

/* Parse flags, width, precision and length at *fp into sp; advance *fp. */
static void fmt_parse_spec(const char **fp, struct fmt_spec *sp, va_list *ap)
{
	const char *f = *fp;
	const char *fl;

	sp->flags = 0;
	while (*f && (fl = strchr("-0+ #", *f)) != NULL)
		sp->flags |= 1u << (fl - "-0+ #"), f++;
	sp->width = 0;
	if (*f == '*') {
		sp->width = va_arg(*ap, int), f++;
		if (sp->width < 0)
			sp->flags |= FMT_LEFT, sp->width = -sp->width;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	sp->prec = -1;
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*')
			sp->prec = va_arg(*ap, int), f++;
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
		if (sp->prec < 0)
			sp->prec = -1;
	}
	sp->length = sizeof(int);
	if (f[0] == 'h' && f[1] == 'h')
		sp->length = 1, f += 2;
	else if (f[0] == 'l' && f[1] == 'l')
		sp->length = sizeof(long long), f += 2;
	else if (*f == 'h')
		sp->length = 2, f++;
	else if (*f == 'l' || *f == 'z' || *f == 't' || *f == 'j')
		sp->length = sizeof(long), f++;
	sp->conv = *f ? *f++ : '\0';
	*fp = f;
}

/* Fetch an integer argument of the spec's length; signed conversions
 * return the magnitude and set *neg. */
static u64 fmt_fetch_int(const struct fmt_spec *sp, va_list *ap, bool is_signed, bool *neg)
{
	u64 u;
	s64 s;

	*neg = false;
	if (!is_signed) {
		u = sp->length == 8 ? va_arg(*ap, u64) : va_arg(*ap, unsigned int);
		if (sp->length == 1)
			u = (u8)u;
		else if (sp->length == 2)
			u = (u16)u;
		return u;
	}
	s = sp->length == 8 ? va_arg(*ap, s64) : va_arg(*ap, int);
	if (sp->length == 1)
		s = (s8)s;
	else if (sp->length == 2)
		s = (s16)s;
	*neg = s < 0;
	return *neg ? (u64)0 - (u64)s : (u64)s;
}

/* Emit one conversion described by sp. */
static void fmt_conv(struct fmt_out *o, struct fmt_spec *sp, va_list *ap)
{
	bool neg;
	u64 v;
	const char *s;
	char c;

	switch (sp->conv) {
	case 'd': case 'i':
		v = fmt_fetch_int(sp, ap, true, &neg);
		fmt_num(o, sp, v, neg, 10);
		break;
	case 'u': case 'x': case 'X': case 'o':
		if (sp->conv == 'X')
			sp->flags |= FMT_UPPER;
		v = fmt_fetch_int(sp, ap, false, &neg);
		fmt_num(o, sp, v, false, sp->conv == 'u' ? 10 : sp->conv == 'o' ? 8 : 16);
		break;
	case 'p':
		sp->flags = (sp->flags & FMT_LEFT) | FMT_ALT;
		sp->prec = 16;
		fmt_num(o, sp, (u64)(uintptr_t)va_arg(*ap, void *), false, 16);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		fmt_str(o, sp, s, (int)strnlen(s, sp->prec < 0 ? (size_t)-1 : (size_t)sp->prec));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		fmt_str(o, sp, &c, 1);
		break;
	case '%':
		fmt_putc(o, '%');
		break;
	default:           /* unknown conversion: print it verbatim */
		fmt_putc(o, '%');
		if (sp->conv)
			fmt_putc(o, sp->conv);
		break;
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	struct fmt_spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			fmt_putc(&o, *fmt++);
			continue;
		}
		fmt++;
		fmt_parse_spec(&fmt, &sp, &aq);
		fmt_conv(&o, &sp, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
