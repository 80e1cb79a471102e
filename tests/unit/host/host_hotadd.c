/* host_hot_add_section: bring one section up in a zone the way a hot-add
 * without memmap-on-memory does, using only what mm/ exposes today:
 *
 *   section table entry -> PRESENT -> vmemmap from the buddy allocator
 *   -> struct page init -> MEMMAP -> free pages to the zone -> ONLINE
 *
 * Tests use it to get a Movable zone (the property test, vm_check). */
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
