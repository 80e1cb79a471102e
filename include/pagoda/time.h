/* Time from the arch cycle counter (arch_cycles / arch_cycles_per_sec),
 * valid once arch_late_init() has calibrated it. */
#ifndef PAGODA_TIME_H
#define PAGODA_TIME_H
#include <pagoda/types.h>

/* Convert a cycle count to nanoseconds (0 if the counter is not
 * calibrated yet). */
u64 cycles_to_ns(u64 cycles);
/* Nanoseconds since an arbitrary point (monotonic). */
u64 ktime_ns(void);
#endif
