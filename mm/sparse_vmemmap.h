/* Populating the vmemmap (struct page array) of a section. */
#ifndef MM_SPARSE_VMEMMAP_H
#define MM_SPARSE_VMEMMAP_H
#include <pagoda/types.h>
#include "mm/pgwalk.h"
#include "mm/vmstat.h"

/* Where a section's memmap frames and page tables come from, and which
 * counter the frames are charged to:
 *   boot:                memblock, NR_MEMMAP_BOOT_PAGES
 *   hot-add:             buddy,    NR_MEMMAP_PAGES
 *   memmap-on-memory:    the block's own first pages (altmap), counter
 *                        NR_VM_NODE_STAT_ITEMS = charged to no counter. */
struct vmemmap_alloc {
	phys_addr_t (*frame)(void *ctx);    /* one page for struct pages, or 0 */
	void (*unframe)(phys_addr_t pa, void *ctx);   /* give a frame back (undo) */
	pgwalk_alloc_t table;
	void *ctx;
	enum node_stat_item counter;
};

static inline unsigned long vmemmap_section_va(unsigned long nr);
/* Map the 512 vmemmap pages of section nr read-write.  0, or -ENOMEM /
 * -EEXIST, in which case the pages this call mapped are unmapped and given
 * back (one TLB flush) and nothing else is touched: a page that was already
 * mapped (-EEXIST) belongs to another owner and stays.  Tables it made stay. */
int vmemmap_populate_section(unsigned long nr, const struct vmemmap_alloc *a);
/* Unmap the vmemmap of section nr, handing each frame to a->unframe and
 * uncharging a->counter, with one TLB flush for the section's 2 MiB of VA.
 * Page tables stay (the caller prunes empty ones, mm/memory_hotplug.c). */
void vmemmap_depopulate_section(unsigned long nr, const struct vmemmap_alloc *a);
/* The same without the flush: a remove of many sections clears them all
 * and flushes once (mm/memory_hotplug.c). */
void vmemmap_unmap_section(unsigned long nr, const struct vmemmap_alloc *a);
/* Frames and tables from the buddy allocator, charged to nr_memmap_pages. */
extern const struct vmemmap_alloc vmemmap_alloc_buddy;
/* Boot: populate every present section from memblock: one block for all
 * their memmaps when it fits (smaller pieces if not), frames ascending. */
void vmemmap_populate_early(void);
/* Boot: flag the memmap frames PG_memmap and their page tables PG_pgtable. */
void vmemmap_mark_early_frames(void);

#include "mm/sparse.h"
static inline unsigned long vmemmap_section_va(unsigned long nr)
{
	return (unsigned long)pfn_to_page(section_nr_to_pfn(nr));
}
#endif
