/* host_hot_add_section: bring one section up in a zone the way a hot-add
 * without memmap-on-memory does, using only what mm/ exposes today:
 *
 *   section table entry -> PRESENT -> vmemmap from the buddy allocator
 *   -> struct page init -> MEMMAP -> free pages to the zone -> ONLINE
 *
 * Tests use it to get a Movable zone (the property test, vm_check), and
 * host_plant_unmerged_buddies() to plant a free-list corruption. */
#include "host/host_mm.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/mm_internal.h"

bool host_hot_add_section(unsigned long nr, enum zone_type zt)
{
	struct mem_section *ms = sparse_section_alloc(nr);
	unsigned long start = section_nr_to_pfn(nr);

	if (!ms || (ms->state & SECTION_PRESENT))
		return false;
	ms->state |= SECTION_PRESENT;
	ms->nr_present_pages = PAGES_PER_SECTION;
	ms->zone = zt;
	if (vmemmap_populate_section(nr, &vmemmap_alloc_buddy))
		return false;
	memmap_init_section(nr, zt);
	ms->state |= SECTION_MEMMAP;
	zones[zt].present_pages += PAGES_PER_SECTION;
	buddy_online_range(start, start + PAGES_PER_SECTION, zt);
	ms->state |= SECTION_ONLINE;
	return true;
}

/* Corrupt the free lists on purpose: take an order-1 block and put its two
 * halves on the order-0 list as free buddies that were never merged (the
 * state the buddy free path must never leave).  Returns the first pfn. */
unsigned long host_plant_unmerged_buddies(void)
{
	struct zone *z = &zones[ZONE_NORMAL];
	struct page *pair = alloc_pages(1, ZONE_NORMAL);

	for (int i = 0; i < 2; i++) {
		page_set_flag(&pair[i], PG_buddy);
		pair[i].order = 0;
		pair[i].refcount = 0;
		list_add(&pair[i].lru, &z->free_area[0].free_list);
	}
	z->free_area[0].nr_free += 2;
	z->free_pages += 2;
	return page_to_pfn(pair);
}
