/* Host benchmark of the buddy allocator and struct page initialisation,
 * the real mm/ code on simulated memory (`make bench`: -O2, no sanitizers).
 *
 *   for size in 1, 8, 64 GiB:           one child process each (mm boots once)
 *     host_mm_boot(size, page_poison=off)   memfd RAM; only the struct pages
 *                                           (1/64 of RAM) are ever touched
 *     order-0 / order-9 alloc+free pairs    REPS runs of ITERS pairs, median
 *       (1 CPU: zone lock only; "4 CPUs": host_smp_online(4) turns the
 *       per-CPU lists on, so an order-0 pair is a pcp pop + push)
 *     memmap_init_early() again             REPS runs, median ns per struct page
 *
 * After boot small free blocks exist (next to frame 0, the kernel, the
 * memblock allocations), so a plain order-0 pair takes and returns one of
 * them: one list pop, one failed merge, one list push (the fast path).
 * "split+merge" first takes every block below MAX_ORDER: each pair then
 * splits a max-order block through 10 orders and merges it back.
 * Times: clock_gettime(CLOCK_MONOTONIC). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "host/host_mm.h"
#include "host/host_smp.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/page_poison.h"
#include "mm/mm_internal.h"

#define BENCH_REPS   7
#define BENCH_ITERS  200000UL

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double bench_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp);
	return v[n / 2];
}

/* Pairs per run: fewer when poisoning fills and checks every byte. */
static unsigned long bench_iters(unsigned int order)
{
	return page_poison_enabled ? BENCH_ITERS >> (order ? 10 : 4) : BENCH_ITERS;
}

/* Median ns per alloc+free pair of the given order. */
static double bench_pairs(unsigned int order)
{
	unsigned long iters = bench_iters(order);
	double v[BENCH_REPS];

	for (int r = 0; r < BENCH_REPS; r++) {
		u64 t0 = host_now_ns();
		for (unsigned long i = 0; i < iters; i++) {
			struct page *p = alloc_pages(order, ZONE_NORMAL);
			if (!p)
				abort();
			free_pages(p, order);
		}
		v[r] = (double)(host_now_ns() - t0) / iters;
	}
	return bench_median(v, BENCH_REPS);
}

/* The worst case: every free block below MAX_ORDER is taken first, so
 * each order-0 allocation splits a max-order block through all orders and
 * each free merges it back up again. */
static double bench_pairs_split_merge(void)
{
	static struct page *held[1024];
	static unsigned int held_order[1024];
	int n = 0;
	double ns;

	for (unsigned int o = 0; o < MAX_ORDER; o++)
		while (zones[ZONE_NORMAL].free_area[o].nr_free && n < 1024) {
			held[n] = alloc_pages(o, ZONE_NORMAL);
			held_order[n++] = o;
		}
	ns = bench_pairs(0);
	while (n--)
		free_pages(held[n], held_order[n]);
	return ns;
}

/* Median ns per struct page of a full memmap_init_early() (zero every
 * present section's memmap, reserve holes and memblock.reserved, flag the
 * vmemmap frames).  Destroys the allocator's state: run it last. */
static double bench_memmap_init(void)
{
	unsigned long nr, pages = 0;
	struct mem_section *ms;
	double v[BENCH_REPS];

	for_each_present_section(nr, ms)
		pages += PAGES_PER_SECTION;
	for (int r = 0; r < BENCH_REPS; r++) {
		u64 t0 = host_now_ns();
		memmap_init_early();
		v[r] = (double)(host_now_ns() - t0) / pages;
	}
	return bench_median(v, BENCH_REPS);
}

static void bench_row(u64 size, const char *cmdline)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = cmdline };
	double boot_ms, o0, o0p, o0w, o9, init;
	u64 t0 = host_now_ns();

	host_mm_boot(size, &o);
	boot_ms = (host_now_ns() - t0) / 1e6;
	o0 = bench_pairs(0);
	o0w = bench_pairs_split_merge();
	o9 = bench_pairs(9);
	host_smp_online(4);                 /* 4 CPUs online: order 0 goes through the per-CPU list */
	o0p = bench_pairs(0);
	init = bench_memmap_init();
	printf("| %3llu GiB | %-6s | %7.1f | %6.2f M | %7.1f | %7.1f | %7.1f | %6.3f M | %8.2f | %9.0f |\n",
	       (unsigned long long)(size >> 30), page_poison_enabled ? "on" : "off",
	       o0, 1e3 / o0, o0p, o0w, o9, 1e3 / o9, init, boot_ms);
	fflush(stdout);
}

/* The host arch maps each vmemmap page with its own mmap().  Boot frames
 * come from one memblock block in ascending order, so the mappings of a
 * run of frames merge into one VMA; at worst (memory too fragmented for
 * one block) a size needs one VMA per section's 2 MiB piece.  Above
 * vm.max_map_count the boot would abort. */
static bool bench_fits_map_count(u64 size, long *need, long *have)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");

	*have = 65530;
	if (f) {
		if (fscanf(f, "%ld", have) != 1)
			*have = 65530;
		fclose(f);
	}
	*need = (long)(size / SECTION_SIZE) + 4096;
	return *need <= *have;
}

static u64 bench_size;
static const char *bench_cmdline;
static void bench_child(void) { bench_row(bench_size, bench_cmdline); }

/* bench_mm [GIB...]: the sizes to run (default 1 8 64), then 1 GiB with
 * poisoning on (only with the default sizes). */
int main(int argc, char **argv)
{
	u64 sizes[8] = { 1, 8, 64 };
	unsigned int nr_sizes = 3;

	host_tap_init();
	printf("pagoda host benchmark: %d runs of %lu pairs, median; page_poison=off unless shown\n\n",
	       BENCH_REPS, BENCH_ITERS);
	printf("| memory  | poison | o0 pair ns | o0 pairs/s | o0 pair ns, 4 CPUs (pcp) | o0 split+merge ns | "
	       "o9 pair ns | o9 pairs/s | memmap init ns/page | mm_init ms |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|\n");
	if (argc > 1)
		for (nr_sizes = 0; nr_sizes < 8 && (int)nr_sizes + 1 < argc; nr_sizes++)
			sizes[nr_sizes] = strtoull(argv[nr_sizes + 1], NULL, 0);
	for (unsigned i = 0; i < nr_sizes; i++) {
		long need, have;

		bench_size = sizes[i] << 30;
		if (!bench_fits_map_count(bench_size, &need, &have)) {
			printf("| %3llu GiB | skipped: needs vm.max_map_count >= %ld (now %ld), "
			       "see docs/performance.md |\n", (unsigned long long)sizes[i], need, have);
			continue;
		}
		bench_cmdline = "page_poison=off";
		host_scenario("bench", bench_child);
	}
	if (argc > 1)
		return 0;
	bench_size = 1ULL << 30;
	bench_cmdline = "page_poison=on";
	host_scenario("bench", bench_child);
	return 0;
}
