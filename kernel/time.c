/* ktime: nanoseconds from the arch cycle counter.
 *
 *   ns = cycles / hz * 1e9 + (cycles % hz) * 1e9 / hz
 *
 * split so that no intermediate overflows 64 bits for hz below 18 GHz
 * (no 128-bit division, which freestanding builds lack). */
#include <pagoda/time.h>
#include <pagoda/arch.h>

#define NSEC_PER_SEC 1000000000ULL

u64 cycles_to_ns(u64 cycles)
{
	u64 hz = arch_cycles_per_sec();

	if (!hz)
		return 0;
	return cycles / hz * NSEC_PER_SEC + cycles % hz * NSEC_PER_SEC / hz;
}

u64 ktime_ns(void)
{
	return cycles_to_ns(arch_cycles());
}
