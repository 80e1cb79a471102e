/* Time: the TSC, calibrated once against PIT channel 2.
 *
 *   port 0x61 bit 0: channel 2 gate     bit 5: channel 2 output (OUT2)
 *   mode 0 with count N: OUT2 rises N / 1193182 s after the count is loaded
 *
 * Count TSC ticks over a ~10 ms PIT interval a few times and keep the
 * shortest (least disturbed) run, as Linux's pit_calibrate_tsc does. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <asm/io.h>
#include <asm/cpu.h>
#include <asm/boot.h>

#define PIT_HZ       1193182UL
#define PIT_CH2      0x42
#define PIT_CMD      0x43
#define PIT_GATE     0x61
#define CALIBRATE_MS 10
#define CALIBRATE_RUNS 3
/* Port reads allowed for one interval: >= 1 us each, so ~100x the time. */
#define PIT_MAX_POLLS  (1000UL * CALIBRATE_MS * 100)

static u64 tsc_hz;

/* TSC ticks during one CALIBRATE_MS interval of PIT channel 2. */
static u64 tsc_pit_interval(void)
{
	u16 latch = PIT_HZ * CALIBRATE_MS / 1000;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);   /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                               /* ch 2, lo/hi, mode 0 */
	outb(PIT_CH2, latch & 0xff);
	outb(PIT_CH2, latch >> 8);
	u64 t0 = rdtsc();
	for (u64 polls = 0; !(inb(PIT_GATE) & 0x20); polls++)
		if (polls > PIT_MAX_POLLS)
			panic("PIT channel 2 output never rose (latch %u)", latch);
	return rdtsc() - t0;
}

void tsc_calibrate(void)
{
	u64 best = ~0ULL;

	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		u64 d = tsc_pit_interval();
		if (d < best)
			best = d;
	}
	tsc_hz = best * 1000 / CALIBRATE_MS;
	printk("tsc: Detected %lu.%03lu MHz TSC (PIT calibration)\n",
	       tsc_hz / 1000000, tsc_hz / 1000 % 1000);
}

u64 arch_cycles(void)
{
	return rdtsc();
}

/* Calibrates on first use if arch_late_init() has not run yet. */
u64 arch_cycles_per_sec(void)
{
	if (!tsc_hz)
		tsc_calibrate();
	return tsc_hz;
}
