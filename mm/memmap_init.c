/* Initialising struct pages (the memmap) of present sections.
 *
 *   section:  |  RAM  | hole |        RAM           |  beyond mem= / RAM end |
 *   flags:    |   0   | RES  | 0 |RES (kernel/memblk)|       RES              |
 *             zone bits set on every page; PG_memmap / PG_pgtable added on
 *             the memblock frames that back the vmemmap and its tables
 *
 * Bulk first (memset of the whole 2 MiB memmap of a section, then zone bits
 * only if the zone is not 0), exceptions second (reserved ranges): the
 * common case costs one 64-byte store per page. */
#include <pagoda/kernel.h>
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/memblock.h"
#include "mm/buddy.h"
#include "mm/mm_internal.h"

BUILD_BUG_ON(ZONE_NORMAL != 0);

/* Zero the struct pages of section nr and put them in zone zt. */
void memmap_init_section(unsigned long nr, enum zone_type zt)
{
	struct page *p = pfn_to_page(section_nr_to_pfn(nr));

	memset(p, 0, PAGES_PER_SECTION * sizeof(struct page));
	if (zt != ZONE_NORMAL)
		for (unsigned long i = 0; i < PAGES_PER_SECTION; i++)
			page_set_zone(&p[i], zt);
}

/* PG_reserved (refcount 1, never free) on [start, end) within present sections. */
void memmap_reserve_range(unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned long nr = pfn_to_section_nr(start);
		unsigned long next = MIN(end, section_nr_to_pfn(nr + 1));

		if (sparse_section_has(nr, SECTION_PRESENT | SECTION_MEMMAP))
			for (unsigned long pfn = start; pfn < next; pfn++) {
				struct page *p = pfn_to_page(pfn);
				page_set_flag(p, PG_reserved);
				p->refcount = 1;
			}
		start = next;
	}
}

/* Boot: initialise every present section's memmap, reserve holes and
 * memblock.reserved, flag vmemmap frames, count zone present pages. */
void memmap_init_early(void)
{
	unsigned long nr, prev_end = 0;
	struct mem_section *ms;

	for_each_present_section(nr, ms) {
		memmap_init_section(nr, ms->zone);
		ms->state |= SECTION_MEMMAP;
		zones[ms->zone].present_pages += ms->nr_present_pages;
	}
	for (int i = 0; i < memblock.memory.cnt; i++) {          /* holes */
		const struct memblock_region *r = &memblock.memory.regions[i];
		memmap_reserve_range(prev_end, r->base >> PAGE_SHIFT);
		prev_end = (r->base + r->size) >> PAGE_SHIFT;
	}
	memmap_reserve_range(prev_end, section_nr_to_pfn(sparse_max_section()));
	for (int i = 0; i < memblock.reserved.cnt; i++) {        /* kernel, memblock allocations */
		const struct memblock_region *r = &memblock.reserved.regions[i];
		memmap_reserve_range(r->base >> PAGE_SHIFT,
				     ALIGN_UP(r->base + r->size, PAGE_SIZE) >> PAGE_SHIFT);
	}
	vmemmap_mark_early_frames();
}
