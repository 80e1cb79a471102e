/* Host test of fail_page_alloc on the real mm code (mm/fail_page_alloc.c
 * hooks and site markers) and of the fix it found: offline's dissolve keeps
 * a free huge page whose vmemmap cannot get its frames (no donation, which
 * pinned the block for good), so a retry succeeds; in both memmap_on_memory
 * modes; a shrink does the same for pages in a hot-added block.  A hot-add
 * with a frame failed changes nothing; the sites filter. */
#include <stdio.h>
#include <string.h>
#include <pagoda/fault_inject.h>
#include "host/host_mm.h"
#include "mm/memory_hotplug.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/vm_check.h"
#include "mm/vmstat.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"

#define M128 (128 * SZ_1M)
#define BLOCK 2UL                        /* [256M, 384M): beyond mem=256M */

/* Every allocation inside sites fails from now on (times -1), quietly. */
static void inject(u32 sites)
{
	fault_attr_init(&fail_page_alloc);
	fail_page_alloc.verbose = 0;
	fail_page_alloc.times = -1;
	fail_page_alloc.sites = sites;
	fail_page_alloc.probability = 100;
}
static void inject_off(void) { fail_page_alloc.probability = 0; }

/* Block BLOCK added and online Movable, a 2 MiB pool of 4 grown into it
 * with HVO, then offline with every restore allocation failing. */
static void offline_keeps(bool memmap_on_memory)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	struct hstate *h;
	unsigned long busy = 0, free0, start = section_nr_to_pfn(BLOCK);
	long memmap0, opt0;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	memhp_memmap_on_memory = memmap_on_memory;
	h = hstate_by_kb(2048);
	host_ok(add_memory(BLOCK * M128, M128) == 0 && online_memory_block(BLOCK, MMOP_ONLINE_MOVABLE) == 0,
		"block %lu added and online (Movable)", BLOCK);
	host_ok(hugetlb_set_pool(h, 4) == 4 && node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == 4,
		"4 huge pages, optimized");
	{
		struct list_head *e;
		int in = 0;

		list_for_each(e, &h->free_list) {
			unsigned long pfn = page_to_pfn(list_entry(e, struct page, lru));

			in += pfn >= start && pfn < start + PAGES_PER_SECTION;
		}
		host_ok(in == 4, "the pool is in the Movable block (%d of 4)", in);
	}
	free0 = nr_free_pages();
	memmap0 = node_stat(NR_MEMMAP_PAGES);
	opt0 = node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED);
	inject(1u << FAIL_SITE_HVO_RESTORE);
	host_ok(offline_memory_block(BLOCK, &busy) == -EBUSY && fail_page_alloc.total > 0,
		"no frame for the restore: offline fails with -EBUSY");
	inject_off();
	host_ok(h->nr_huge_pages == 4 && h->free_huge_pages == 4 &&
		node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == opt0,
		"the pages stay in the pool, still optimized (%lu, optimized %ld)", h->nr_huge_pages,
		node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED));
	host_ok(nr_free_pages() == free0 && node_stat(NR_MEMMAP_PAGES) == memmap0,
		"no frame donated or leaked (free %lu/%lu, memmap %ld/%ld)", nr_free_pages(), free0,
		node_stat(NR_MEMMAP_PAGES), memmap0);
	host_ok(sparse_section_has(BLOCK, SECTION_ONLINE) && host_vm_check(), "block still online, vm_check ok");
	host_ok(offline_memory_block(BLOCK, &busy) == 0 && h->nr_huge_pages == 0,
		"the retry without injection offlines the block (pool dissolved)");
	host_ok(remove_memory(BLOCK * M128, M128) == 0 && host_vm_check(), "removed, vm_check ok");
}

static void offline_keeps_altmap(void) { offline_keeps(true); }
static void offline_keeps_buddy(void) { offline_keeps(false); }

/* A hot-add whose 100th vmemmap allocation fails changes nothing; the
 * filter: the same failure asked for at pool_grow does not touch it. */
static void hot_add_filtered(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M memory_hotplug.memmap_on_memory=0" };
	unsigned long free0;
	long memmap0;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	free0 = nr_free_pages();
	memmap0 = node_stat(NR_MEMMAP_PAGES);
	inject(1u << FAIL_SITE_VMEMMAP_POPULATE);
	fail_page_alloc.interval = 100;
	fail_page_alloc.times = 1;
	host_ok(add_memory(BLOCK * M128, M128) == -ENOMEM && fail_page_alloc.failures[FAIL_SITE_VMEMMAP_POPULATE] == 1,
		"the 100th populate allocation fails the add");
	host_ok(nr_free_pages() == free0 && node_stat(NR_MEMMAP_PAGES) == memmap0 &&
		!sparse_section_has(BLOCK, SECTION_PRESENT) && host_vm_check(), "nothing changed");
	inject(1u << FAIL_SITE_POOL_GROW);
	host_ok(add_memory(BLOCK * M128, M128) == 0 && fail_page_alloc.total == 0,
		"sites pool_grow: the add is not touched");
	inject_off();
	host_ok(node_stat(NR_MEMMAP_PAGES) == memmap0 + 512 && remove_memory(BLOCK * M128, M128) == 0 &&
		nr_free_pages() == free0 && host_vm_check(), "512 frames, all back on remove");
}

/* A pool inside the block shrunk while every restore allocation fails:
 * the pages stay in the pool (nothing donated into the block), the shrink
 * stops short, and the block still offlines afterwards. */
static void shrink_keeps(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	struct hstate *h;
	unsigned long busy = 0, free0;
	long memmap0;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	h = hstate_by_kb(2048);
	host_ok(add_memory(BLOCK * M128, M128) == 0 && online_memory_block(BLOCK, MMOP_ONLINE_MOVABLE) == 0 &&
		hugetlb_set_pool(h, 4) == 4, "block online (Movable), 4 huge pages in it");
	free0 = nr_free_pages();
	memmap0 = node_stat(NR_MEMMAP_PAGES);
	inject(1u << FAIL_SITE_HVO_RESTORE);
	host_ok(hugetlb_set_pool(h, 0) == 4 && h->free_huge_pages == 4 && h->surplus_huge_pages == 0,
		"no frame for the restore: the shrink keeps the 4 pages (free, not surplus)");
	inject_off();
	host_ok(nr_free_pages() == free0 && node_stat(NR_MEMMAP_PAGES) == memmap0 && host_vm_check(),
		"nothing donated or leaked, vm_check ok");
	host_ok(hugetlb_set_pool(h, 0) == 0 && offline_memory_block(BLOCK, &busy) == 0,
		"the retry shrinks the pool and the block offlines (busy pfn %#lx)", busy);
	host_ok(remove_memory(BLOCK * M128, M128) == 0 && host_vm_check(), "removed, vm_check ok");
}

int main(void)
{
	host_tap_init();
	host_scenario("offline keeps an unrestorable huge page (memmap_on_memory)", offline_keeps_altmap);
	host_scenario("offline keeps an unrestorable huge page (no memmap_on_memory)", offline_keeps_buddy);
	host_scenario("shrink keeps an unrestorable huge page in a hot-added block", shrink_keeps);
	host_scenario("hot-add: populate failure, site filter", hot_add_filtered);
	return host_tap_done();
}
