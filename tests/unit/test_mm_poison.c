/* Host test of page poisoning (mm/page_poison.c) where it meets HVO's
 * self-hosted restore: a huge page in a memmap-on-memory Movable block
 * gives its 7 altmap frames to the buddy when optimized (poisoning fills
 * them with 0xaa) and takes them back when dissolved, so every struct page
 * a restored row holds must be rewritten: the frame no longer holds what
 * memory_hotplug.c wrote there.  With poisoning off a restore that skipped
 * a struct page would go unseen (the frame still holds the old plain page).
 *
 * A free struct page is checked whole: 0xaaaaaaaaaaaaaaaa has PG_buddy
 * (bit 1) set, so a check that skipped "free block heads" by that flag
 * alone would skip exactly the poisoned ones. */
#include <stdio.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/sparse.h"
#include "mm/buddy.h"
#include "mm/vmstat.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/memory_hotplug.h"
#include "mm/page_poison.h"

/* Is the struct page of free pfn exactly what the allocator leaves: plain
 * (zone bits only), or a free block head (plus PG_buddy or PG_pcp, its
 * order, list links) of zone z? */
static bool free_page_clean(unsigned long pfn, enum zone_type z)
{
	struct page p = *pfn_to_page(pfn);
	u64 zone = (u64)z << ZONE_SHIFT, head = p.flags & ~zone;

	if (head == (1ULL << PG_buddy) || head == (1ULL << PG_pcp)) {
		if (p.order > MAX_ORDER || p.refcount || p.compound_info)
			return false;
		p.flags = zone;
		p.order = 0;
		p.lru.next = p.lru.prev = NULL;
	}
	return !memcmp(&p, &(struct page){ .flags = zone }, sizeof(p));
}

/* Is every page of section nr's usable range [altmap end, section end)
 * free and clean (above)?  Nothing else allocates from the new block.  The
 * first offender is printed. */
static bool block_pages_clean(unsigned long nr)
{
	unsigned long start = section_nr_to_pfn(nr);

	for (unsigned long pfn = start + sparse_section(nr)->nr_altmap_pages; pfn < start + PAGES_PER_SECTION;
	     pfn++) {
		const struct page *p = pfn_to_page(pfn);

		if (free_page_clean(pfn, ZONE_MOVABLE))
			continue;
		printf("# pfn %#lx: flags %#llx refcount %d order %u info %#lx\n", pfn,
		       (unsigned long long)p->flags, p->refcount, p->order, p->compound_info);
		return false;
	}
	return true;
}

/* Grow 4 HVO pages inside a self-hosted Movable block and shrink the pool
 * (the restore takes the altmap frames back): every free struct page of
 * the block is clean, vm_check agrees and every counter is back. */
static const char *self_hosted_cmdline;
static void poison_hvo_self_hosted(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = self_hosted_cmdline };
	unsigned long nr = 2, free1, total1;
	long memmap1, checked0;
	struct hstate *h;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	h = hstate_by_size(SZ_2M);
	host_ok(add_memory(nr * SZ_128M, SZ_128M) == 0 && online_memory_block(nr, MMOP_ONLINE_MOVABLE) == 0 &&
		sparse_section_has(nr, SECTION_SELF_HOSTED), "self-hosted block online movable");
	free1 = nr_free_pages();
	total1 = totalram_pages();
	memmap1 = node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES);
	host_ok(block_pages_clean(nr), "block clean after the online");
	host_ok(hugetlb_set_pool(h, 4) == 4 && node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == 4 &&
		pfn_to_section_nr(page_to_pfn(list_first_entry(&h->free_list, struct page, lru))) == nr,
		"pool of 4 optimized in the block");
	checked0 = node_stat(NR_PAGE_POISON_CHECKED);
	host_ok(hugetlb_set_pool(h, 0) == 0 && node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == 0, "pool shrunk to 0");
	host_ok(page_poison_enabled == (node_stat(NR_PAGE_POISON_CHECKED) >= checked0 + 28),
		"the 28 altmap frames taken back were %schecked for poison",
		page_poison_enabled ? "" : "not ");
	host_ok(block_pages_clean(nr), "every free struct page of the block clean after the restore");
	host_ok(host_vm_check(), "vm_check after the shrink");
	host_ok(totalram_pages() == total1 && nr_free_pages() == free1 &&
		node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES) == memmap1,
		"counters back (MemTotal %+ld, free %+ld, memmap %+ld)", (long)(totalram_pages() - total1),
		(long)(nr_free_pages() - free1), node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES) - memmap1);
	host_ok(hugetlb_set_pool(h, 4) == 4 && hugetlb_set_pool(h, 0) == 0 && block_pages_clean(nr) &&
		nr_free_pages() == free1, "grow and shrink again: clean, counters back");
}

int main(void)
{
	host_tap_init();
	self_hosted_cmdline = "mem=256M page_poison=on";
	host_scenario("HVO self-hosted, poisoning on", poison_hvo_self_hosted);
	self_hosted_cmdline = "mem=256M";
	host_scenario("HVO self-hosted, poisoning off", poison_hvo_self_hosted);
	return host_tap_done();
}
