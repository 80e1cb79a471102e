/* Fuzz harness: the kernel command line parser (kernel/cmdline.c through
 * kernel/params.c's link-time table) and the number parsers its handlers
 * use (kernel/lib/parse.c).
 *
 *   input bytes -> NUL-terminated command line -> cmdline_parse()
 *     every handler call: val is NULL or a NUL-terminated string inside the
 *     parser's copy; kstrtou64 / kparse_size on it agree with a reference
 *
 * Promises checked: no crash or out-of-bounds access; the unknown count
 * equals the "unknown parameter" lines printed; parsing is deterministic
 * (a second parse of the same line makes the same calls). */
#include <string.h>
#include <pagoda/cmdline.h>
#include <pagoda/string.h>
#include <pagoda/bootinfo.h>
#include <pagoda/seq.h>
#include "fuzz.h"
#include <pagoda/printk.h>

struct bootinfo bootinfo;
int seq_printf(struct seq *s, const char *fmt, ...) { return 0; }

static unsigned long calls_hash, calls;

/* Reference: all of s decimal digits (no sign, no spaces), value <= 2^64-1. */
static int ref_dec(const char *s, u64 *out)
{
	unsigned __int128 v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > UINT64_MAX)
			return -ERANGE;
	}
	*out = (u64)v;
	return 0;
}

/* Every handler: record the call, check val, run the number parsers. */
static int fuzz_param(const char *name, const char *val)
{
	u64 a = 0, b = 0;
	int ra, rb;

	calls++;
	calls_hash = calls_hash * 31 + strlen(name) + (val ? strlen(val) * 7 + 1 : 0);
	if (!val)
		return 0;
	ra = kstrtou64(val, 10, &a);
	rb = ref_dec(val, &b);
	FUZZ_ASSERT(ra == rb && (ra || a == b), "kstrtou64(\"%s\", 10): %d %llu, reference %d %llu",
		    val, ra, (unsigned long long)a, rb, (unsigned long long)b);
	if (kparse_size(val, &a) == 0 && ref_dec(val, &b) == 0)
		FUZZ_ASSERT(a == b, "kparse_size(\"%s\") = %llu, plain number %llu", val,
			    (unsigned long long)a, (unsigned long long)b);
	kstrtou64(val, 0, &a);
	kstrtou64(val, 16, &a);
	return 0;
}
static int p_mem(const char *v) { return fuzz_param("mem", v); }
static int p_run(const char *v) { return fuzz_param("pagoda.run", v); }
static int p_hp(const char *v) { return fuzz_param("hugepages", v); }
static int p_hpsz(const char *v) { return fuzz_param("hugepagesz", v); }
static int p_mom(const char *v) { return fuzz_param("memory_hotplug.memmap_on_memory", v); }
KERNEL_PARAM("mem", p_mem);
KERNEL_PARAM("pagoda.run", p_run);
KERNEL_PARAM("hugepages", p_hp);
KERNEL_PARAM("hugepagesz", p_hpsz);
KERNEL_PARAM("memory_hotplug.memmap_on_memory", p_mom);

static int unknown_lines;

/* printk: count the lines that say a parameter was unknown. */
int printk(const char *fmt, ...)
{
	char buf[BOOT_CMDLINE_MAX + 128];
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strstr(buf, "unknown parameter"))
		unknown_lines++;
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_dup(data, size, 1);
	unsigned long h1, c1;
	int u1, u2;

	unknown_lines = 0;
	calls = calls_hash = 0;
	u1 = cmdline_parse(line);
	FUZZ_ASSERT(u1 == unknown_lines, "returned %d unknown, printed %d", u1, unknown_lines);
	h1 = calls_hash, c1 = calls;
	calls = calls_hash = 0;
	unknown_lines = 0;
	u2 = cmdline_parse(line);
	FUZZ_ASSERT(u1 == u2 && c1 == calls && h1 == calls_hash,
		    "second parse differs: unknown %d/%d calls %lu/%lu", u1, u2, c1, calls);
	free(line);
	return 0;
}
