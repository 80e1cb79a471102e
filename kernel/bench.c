/* The benchmark runner behind `bench [NAME]`.
 *
 *   bench printk
 *   printk: ksnprintf "%d %s %p": 212 ns/op
 *
 * Benchmarks come from section pagoda_benches (BENCH() beside the code)
 * and print their figures through bench_report(), which prefixes the name
 * of the running benchmark.  They need the calibrated cycle counter. */
#include <pagoda/selftest.h>
#include <pagoda/shell.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/arch.h>

extern const struct bench __start_pagoda_benches[], __stop_pagoda_benches[];

static const char *bench_current = "bench";

void bench_report_unit(const char *what, u64 value, const char *unit)
{
	printk("%s: %s: %llu %s\n", bench_current, what, (unsigned long long)value, unit);
}

/* `bench [NAME]`: run every benchmark, or the one called NAME. */
static int cmd_bench(int argc, char **argv)
{
	int n = 0;

	if (argc > 2)
		return shell_error("bench: usage: bench [NAME]");
	if (!arch_cycles_per_sec())
		return shell_error("bench: the cycle counter is not calibrated");
	for (const struct bench *b = __start_pagoda_benches; b < __stop_pagoda_benches; b++) {
		if (argc == 2 && strcmp(b->name, argv[1]) != 0)
			continue;
		bench_current = b->name;
		b->fn();
		n++;
	}
	bench_current = "bench";
	if (argc == 2 && n == 0)
		return shell_error("bench: no benchmark called '%s'", argv[1]);
	return 0;
}
SHELL_CMD("bench", "bench [NAME]", "run in-kernel benchmarks (all, or NAME)", cmd_bench);
