/* BENCH(buddy): alloc+free pairs of order 0 and order 9 in ZONE_NORMAL,
 * timed with ktime_ns() (the calibrated cycle counter).
 *
 *   bench buddy
 *   buddy: order-0 pair: 61 ns/pair               allocator only
 *   buddy: order-9 pair: 70 ns/pair
 *   buddy: order-0 pair, page_poison=on: 2950 ns/pair   (when poisoning is on)
 *   buddy: order-9 pair, page_poison=on: 912000 ns/pair
 *
 * Each figure is the median of BUDDY_BENCH_REPS runs.  A pair on mostly
 * merged memory is the worst case of a buddy allocator without per-cpu
 * lists: the allocation splits a max-order block, the free merges it back.
 *
 * "Allocator only" runs with page_poison_enabled cleared.  That is safe
 * because the benchmark never writes to the pages it takes: every free
 * page holds the pattern on the way in, nothing writes it while it is
 * taken, so every page freed unfilled (and every half split off on the
 * way) still holds it, and later checks cannot see a false corruption. */
#include <pagoda/kernel.h>
#include <pagoda/selftest.h>
#include <pagoda/time.h>
#include "mm/buddy.h"
#include "mm/page_poison.h"

#define BUDDY_BENCH_REPS 5

/* Median of n values (n small): insertion sort in place. */
static u64 buddy_bench_median(u64 *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Median ns per alloc+free pair of order over `iters` pairs per run; 0 if
 * the zone cannot serve the order. */
static u64 buddy_bench_pairs(unsigned int order, unsigned long iters)
{
	u64 v[BUDDY_BENCH_REPS];

	for (int r = 0; r < BUDDY_BENCH_REPS; r++) {
		u64 t0 = ktime_ns();

		for (unsigned long i = 0; i < iters; i++) {
			struct page *p = alloc_pages(order, ZONE_NORMAL);
			if (!p)
				return 0;
			free_pages(p, order);
		}
		v[r] = (ktime_ns() - t0) / iters;
	}
	return buddy_bench_median(v, BUDDY_BENCH_REPS);
}

/* Allocator-only figures (poisoning paused; see the comment at the top). */
static void buddy_bench_allocator(void)
{
	bool poison = page_poison_enabled;

	page_poison_enabled = false;
	bench_report("order-0 pair", buddy_bench_pairs(0, 20000), "ns/pair");
	bench_report("order-9 pair", buddy_bench_pairs(9, 20000), "ns/pair");
	page_poison_enabled = poison;
}

BENCH(buddy)
{
	buddy_bench_allocator();
	if (!page_poison_enabled)
		return;
	bench_report("order-0 pair, page_poison=on", buddy_bench_pairs(0, 500), "ns/pair");
	bench_report("order-9 pair, page_poison=on", buddy_bench_pairs(9, 4), "ns/pair");
}
