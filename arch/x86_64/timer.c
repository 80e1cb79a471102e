/* Time: the TSC, calibrated once against PIT channel 2.
 *
 *   port 0x61 bit 0: channel 2 gate     bit 5: channel 2 output (OUT2)
 *   mode 0 with count N: OUT2 rises N / 1193182 s after the count is loaded
 *
 * Count TSC ticks over a ~10 ms PIT interval a few times and keep the
 * shortest (least disturbed) run, as Linux's pit_calibrate_tsc does.  Each
 * end of a run is bracketed by TSC reads: the count starts between t_load
 * and t_start; OUT2 rose after the TSC read that preceded the last port
 * read seeing it low (t_low) and before t_end.  A vCPU thread preempted at
 * an end (QEMU on a loaded host) widens that bracket, and a run whose
 * brackets exceed 1/CALIBRATE_MAX_ERR of the interval is thrown away (up
 * to CALIBRATE_TRIES runs; if none is clean, the least wrong one counts).
 *
 *   t_load outb(count) t_start ... t_low inb:low t_poll inb:high t_end
 *   |<--- err_start --->|          |<----------- err_end ----------->|
 *   interval = t_end - t_start      error = err_start + err_end */
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
#define CALIBRATE_RUNS 3             /* clean runs kept (the shortest wins) */
#define CALIBRATE_TRIES 50           /* a loaded host can starve a vCPU for ms */
#define CALIBRATE_MAX_ERR 200        /* error < interval / 200 (0.5%) */
/* Port reads allowed for one interval: >= 1 us each, so ~100x the time. */
#define PIT_MAX_POLLS  (1000UL * CALIBRATE_MS * 100)

static u64 tsc_hz;

/* TSC ticks during one CALIBRATE_MS interval of PIT channel 2; *err =
 * the TSC ticks of its two end brackets (the most it can be off by). */
static u64 tsc_pit_interval(u64 *err)
{
	u16 latch = PIT_HZ * CALIBRATE_MS / 1000;
	u64 t_load, t_start, t_low, t_poll;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);   /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                               /* ch 2, lo/hi, mode 0 */
	outb(PIT_CH2, latch & 0xff);
	t_load = rdtsc();
	outb(PIT_CH2, latch >> 8);
	t_start = t_low = t_poll = rdtsc();
	for (u64 polls = 0; !(inb(PIT_GATE) & 0x20); polls++) {
		if (polls > PIT_MAX_POLLS)
			panic("PIT channel 2 output never rose (latch %u)", latch);
		t_low = t_poll;             /* the port read after it saw OUT2 low */
		t_poll = rdtsc();
	}
	u64 t_end = rdtsc();
	*err = (t_start - t_load) + (t_end - t_low);
	return t_end - t_start;
}

void tsc_calibrate(void)
{
	u64 best = ~0ULL, fallback = 0, fallback_err = ~0ULL, d, err;
	int clean = 0;

	for (int i = 0; i < CALIBRATE_TRIES && clean < CALIBRATE_RUNS; i++) {
		d = tsc_pit_interval(&err);
		if (err * CALIBRATE_MAX_ERR < d) {
			clean++;
			best = MIN(best, d);
		} else if (err < fallback_err) {
			fallback = d;
			fallback_err = err;
		}
	}
	if (!clean)
		best = fallback;
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
