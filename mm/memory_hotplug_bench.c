/* BENCH(memory_hotplug): add + online RAM that mem= kept back, in one
 * boot, at 128 MiB, 1 GiB, 8 GiB and 64 GiB (as far as the firmware map
 * has free RAM beyond mem=), with memmap_on_memory on and off.
 *
 *   boot with e.g. -m 66G and mem=1G page_poison=off, then `bench memory_hotplug`:
 *   memory_hotplug: add+online 1G, memmap_on_memory=1: N us/GiB
 *   memory_hotplug: old memory per GiB: free pages taken, add 1G, memmap_on_memory=1: 0 pages
 *   memory_hotplug: old memory per GiB: memmap 1G, memmap_on_memory=1: 0 pages
 *   memory_hotplug: old memory per GiB: page tables 1G, memmap_on_memory=1: 0 pages
 *
 * Every run is offlined and removed again before the next (not timed), so
 * the boot ends where it started.  Blocks go online Movable.  An unreported
 * run touches the RAM first: under TCG the first write to a guest page
 * costs a host allocation, which would be charged to memmap_on_memory=1
 * alone (its memmap is in the new RAM, the other mode's in old RAM). */
#include <pagoda/kernel.h>
#include <pagoda/selftest.h>
#include <pagoda/time.h>
#include "mm/memory_hotplug.h"
#include "mm/buddy.h"
#include "mm/vmstat.h"

/* Blocks scanned for a free run: 1 TiB of physical address space. */
#define MHB_SCAN_LIMIT 8192

/* The longest run of blocks that `mem add` would take: *first, length. */
static unsigned long mhb_longest_run(unsigned long *first)
{
	unsigned long best = 0, run = 0, start = 0;

	for (unsigned long nr = 0; nr < NR_MEM_SECTIONS && nr < MHB_SCAN_LIMIT; nr++) {
		if (!memhp_block_is_free_ram(nr)) {
			run = 0;
			continue;
		}
		if (!run++)
			start = nr;
		if (run > best) {
			best = run;
			*first = start;
		}
	}
	return best;
}

/* v (measured for size bytes) scaled to one GiB. */
static u64 mhb_per_gib(u64 v, u64 size) { return v * SZ_1G / size; }

/* Report "<what> <size>, memmap_on_memory=<m>: value unit". */
static void mhb_report(const char *what, u64 size, bool altmap, u64 value, const char *unit)
{
	char line[96];

	ksnprintf(line, sizeof(line), "%s %llu%s, memmap_on_memory=%d", what,
		  (unsigned long long)(size >= SZ_1G ? size >> 30 : size >> 20), size >= SZ_1G ? "G" : "M",
		  altmap);
	bench_report(line, value, unit);
}

/* The four lines of one run: time and old memory consumed, per GiB. */
static void mhb_reports(u64 size, bool altmap, u64 ns, unsigned long taken, long memmap, long pt)
{
	mhb_report("add+online", size, altmap, mhb_per_gib(ns / 1000, size), "us/GiB");
	mhb_report("old memory per GiB: free pages taken, add", size, altmap, mhb_per_gib(taken, size),
		   "pages");
	mhb_report("old memory per GiB: memmap", size, altmap, mhb_per_gib((u64)memmap, size), "pages");
	mhb_report("old memory per GiB: page tables", size, altmap, mhb_per_gib((u64)pt, size), "pages");
}

/* Add and online n blocks at first (report: print the figures), then
 * offline and remove them. */
static void mhb_run(unsigned long first, unsigned long n, bool altmap, bool report)
{
	phys_addr_t start = (phys_addr_t)section_nr_to_pfn(first) << PAGE_SHIFT;
	u64 size = (u64)n * MEMORY_BLOCK_SIZE, t0, t1;
	unsigned long free0 = nr_free_pages(), free1, busy;
	long memmap0 = node_stat(NR_MEMMAP_PAGES), pt0 = node_stat(NR_PAGE_TABLE_PAGES);
	bool saved = memhp_memmap_on_memory;

	memhp_memmap_on_memory = altmap;
	t0 = ktime_ns();
	if (add_memory(start, size)) {
		memhp_memmap_on_memory = saved;
		return;
	}
	free1 = nr_free_pages();
	for (unsigned long nr = first; nr < first + n; nr++)
		online_memory_block(nr, MMOP_ONLINE_MOVABLE);
	t1 = ktime_ns();
	if (report)
		mhb_reports(size, altmap, t1 - t0, free0 - free1, node_stat(NR_MEMMAP_PAGES) - memmap0,
			    node_stat(NR_PAGE_TABLE_PAGES) - pt0);
	for (unsigned long nr = first; nr < first + n; nr++)
		offline_memory_block(nr, &busy);
	remove_memory(start, size);
	memhp_memmap_on_memory = saved;
}

BENCH(memory_hotplug)
{
	static const unsigned long sizes[] = { 1, 8, 64, 512 };    /* blocks */
	unsigned long first = 0, run = mhb_longest_run(&first);

	if (!run) {
		bench_report("no free RAM beyond mem= to add (boot with mem= below -m)", 0, "blocks");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes) && sizes[i] <= run; i++) {
		mhb_run(first, sizes[i], true, false);   /* first touch of the RAM (TCG) */
		mhb_run(first, sizes[i], true, true);
		mhb_run(first, sizes[i], false, true);
	}
}
