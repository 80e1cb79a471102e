/* Selftests and a benchmark for kvsnprintf (vsprintf.c) and seq (seq.c). */
#include <pagoda/selftest.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/seq.h>
#include <pagoda/time.h>

/* True if formatting with fmt gives exactly want. */
static bool __attribute__((format(printf, 2, 3))) fmt_is(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n == (int)strlen(want) && strcmp(buf, want) == 0)
		return true;
	printk("# got \"%s\" (%d), want \"%s\"\n", buf, n, want);
	return false;
}

SELFTEST(vsprintf_formats)
{
	const char *volatile null_str = NULL;     /* hide NULL from -Wformat */

	EXPECT(fmt_is("-42|42|+7| 7", "%d|%i|%+d|% d", -42, 42, 7, 7));
	EXPECT(fmt_is("00ff|0XAB|017|ffffffffffffffff", "%04x|%#X|%#o|%llx", 255, 171, 15, ~0ULL));
	EXPECT(fmt_is("[  ab][ab  ][a]", "[%4s][%-4s][%.1s]", "ab", "ab", "abc"));
	EXPECT(fmt_is("(null)|x|%", "%s|%c|%%", null_str, 'x'));
	EXPECT(fmt_is("0x0000000000001000", "%p", (void *)0x1000));
	EXPECT(fmt_is("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1)));
	EXPECT(fmt_is("   -05|-5  |200", "%6.2d|%-4d|%hhu", -5, -5, 200));
	EXPECT(fmt_is("  12", "%*zu", 4, (size_t)12));
}

SELFTEST(vsprintf_truncate)
{
	char buf[8];

	EXPECT(ksnprintf(buf, sizeof(buf), "%s", "0123456789") == 10);
	EXPECT(strcmp(buf, "0123456") == 0);
	EXPECT(ksnprintf(buf, 0, "abc") == 3);
}

SELFTEST(seq_overflow)
{
	char buf[8];
	struct seq s;

	seq_init(&s, buf, sizeof(buf));
	EXPECT(seq_printf(&s, "%d", 123) == 0 && s.len == 3 && !s.overflow);
	EXPECT(seq_printf(&s, "%s", "4567") == 0 && s.len == 7);
	EXPECT(seq_printf(&s, "8") == -1 && s.overflow && strcmp(buf, "1234567") == 0);
	EXPECT(seq_printf(&s, "9") == -1 && s.len == 7);
}

BENCH(printk)
{
	enum { ITERS = 20000 };
	char buf[96];
	u64 t0 = ktime_ns();

	for (int i = 0; i < ITERS; i++)
		ksnprintf(buf, sizeof(buf), "%d %s %p %08llx", i, "pagoda", (void *)buf, (unsigned long long)i);
	bench_report("ksnprintf \"%d %s %p %08llx\"", (ktime_ns() - t0) / ITERS);
}
