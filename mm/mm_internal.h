/* mm-internal glue shared by the files of mm/: which allocator serves
 * internal page allocations right now, and the boot steps of mm_init(). */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H
#include <pagoda/types.h>

enum mm_phase {
	MM_PHASE_MEMBLOCK,   /* before the buddy allocator: memblock serves */
	MM_PHASE_BUDDY,      /* buddy allocator up, memblock retired */
};
extern enum mm_phase mm_phase;

/* One zeroed 4 KiB page for mm metadata (section roots, page tables):
 * memblock before the buddy allocator takes over, the buddy allocator
 * (ZONE_NORMAL) after.  Returns 0 when the buddy allocator is empty;
 * memblock panics instead. */
phys_addr_t mm_alloc_meta_page(void);
/* Boot RAM pages (memblock.memory) whose struct page is PG_reserved. */
unsigned long mm_reserved_ram_pages(void);

/* mm/memmap_init.c */
enum zone_type;
void memmap_init_section(unsigned long nr, enum zone_type zt);
void memmap_reserve_range(unsigned long start_pfn, unsigned long end_pfn);
void memmap_init_early(void);
#endif
