/* The buddy page allocator: zones, free lists, and its interface.
 *
 *   struct zone ("Normal", "Movable")
 *     free_area[0]  -> [p]<->[p]<->[p]        blocks of 1 page
 *     free_area[1]  -> [pp]<->[pp]             blocks of 2 pages
 *     ...
 *     free_area[10] -> [4 MiB]<->[4 MiB]       blocks of 1024 pages
 *
 * A free block of order k starts at a pfn aligned to 2^k; its head struct
 * page has PG_buddy and page->order = k and sits on free_area[k].  Blocks
 * never cross a section (MAX_ORDER + PAGE_SHIFT <= SECTION_SIZE_BITS).
 * Allocated blocks: head refcount 1 and page->order = the allocation order;
 * tails refcount 0 (split_page() makes every page an order-0 page).
 *
 * Locking: functions named *_locked expect zone->lock held (zone_lock()):
 * a spinlock taken with interrupts off (irqsave), ranked LOCK_ORDER_ZONE +
 * zone index, so a walker that needs every zone (vm_check) takes them in
 * index order.  Order-0 pages also sit on per-CPU lists (mm/pcp.c, its own
 * lock ranked above the zones'); those pages are out of free_pages and
 * nr_free_pages() drains them first (the accounting rule is in mm/pcp.c).
 * Nothing sends a TLB shootdown or waits for a cross call with a zone lock
 * held. */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H
#include <pagoda/types.h>
#include <pagoda/list.h>
#include <pagoda/panic.h>
#include <pagoda/spinlock.h>
#include "mm/page.h"

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;           /* blocks on free_list */
};

struct zone {
	const char *name;
	spinlock_t lock;                 /* free lists and the counters below */
	unsigned long lock_flags;        /* interrupt state saved by zone_lock() (holder's) */
	struct free_area free_area[NR_ORDERS];
	unsigned long free_pages;        /* pages in all free blocks */
	unsigned long managed_pages;     /* pages ever handed to this zone and not taken back */
	unsigned long present_pages;     /* RAM pages (not holes) in sections of this zone */
	unsigned long zeroed_pages;      /* pages in PG_zeroed free blocks (mm/buddy.c) */
};
extern struct zone zones[NR_ZONES];

void buddy_init(void);
/* Take / give back a block of 2^order pages.  A ZONE_MOVABLE request falls
 * back to ZONE_NORMAL, as movable allocations do in Linux.  NULL when empty.
 * The block's poison is verified (page_poison=on); contents are undefined. */
struct page *alloc_pages(unsigned int order, enum zone_type zone);
/* Panics on a double free, a reserved page, or the wrong order. */
void free_pages(struct page *page, unsigned int order);
/* Turn an allocated order-k block into 2^k allocated order-0 pages. */
void split_page(struct page *page, unsigned int order);
/* Allocate exactly [start_pfn, end_pfn) from zone if every page is free
 * there: 0, or -EBUSY/-EINVAL with nothing changed.  The pages come back
 * as order-0 allocated pages; give them back with free_contig_range(). */
int alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn, enum zone_type zone);
void free_contig_range(unsigned long start_pfn, unsigned long end_pfn);
/* The HugeTLB variant: take [start_pfn, end_pfn) like alloc_contig_range()
 * but touch only the first page (refcount 1, order 0): every other struct
 * page stays plain (mm/page.h), so compound tails need one store each, or
 * none at all when HVO maps them onto the shared tail page. */
int alloc_contig_range_hugetlb(unsigned long start_pfn, unsigned long end_pfn, enum zone_type zone);
/* Give back a range taken with alloc_contig_range_hugetlb() and made plain
 * again; pages flagged PG_memmap or PG_vmemmap_self_hosted (frames a
 * restore took from the huge page for its own vmemmap) stay allocated.  Returns the pages freed. */
unsigned long free_contig_range_hugetlb(unsigned long start_pfn, unsigned long end_pfn);
/* 2^order pages from zone zt (no fallback) that lie outside [avoid_start,
 * avoid_end) and outside ISOLATED sections, boot sections first (they are
 * never hot-removed), as order-0 allocated pages (refcount 1; give them
 * back one by one with free_pages()): the first pfn in *pfn and 0, or
 * -ENOMEM/-EINVAL.  HVO takes its long-lived vmemmap frames with it, so a
 * dissolve never puts them into the block that is about to go offline. */
int alloc_pages_outside(unsigned int order, enum zone_type zt, unsigned long avoid_start,
			unsigned long avoid_end, unsigned long *pfn);

/* Hand [start_pfn, end_pfn) (initialised, unreserved struct pages) to zone
 * as the largest aligned blocks; they become managed pages. */
void buddy_online_range(unsigned long start_pfn, unsigned long end_pfn, enum zone_type zone);

/* Known-zero free blocks (PG_zeroed, FreeBSD's PG_ZERO; theory in
 * mm/buddy.c).  free_pages_zeroed(): give [start, end) (one section, one
 * zone, every byte of the pages zero) to the buddy allocator, marked
 * PG_zeroed unless page poisoning is on (then poisoned, unmarked): with
 * online the pages are new managed pages (initialised, unreserved struct
 * pages), else allocated order-0 pages (refcount 1).  alloc_zeroed_runs():
 * up to want pages of marked free blocks of zone zt outside [avoid_start,
 * avoid_end) and ISOLATED sections, in groups of unit pages (each group
 * from the blocks freed together last), as order-0 allocated pages
 * (refcount 1), in at most max runs[]: the number of runs (0: none marked
 * there), or -ENOMEM for an injected failure (mm/fail_page_alloc.c). */
struct pfn_run { unsigned long pfn, n; };
void free_pages_zeroed(unsigned long start, unsigned long end, bool online);
long alloc_zeroed_runs(enum zone_type zt, unsigned long want, unsigned long unit,
		       unsigned long avoid_start, unsigned long avoid_end, struct pfn_run *runs,
		       unsigned long max);

/* free_contig_range_hugetlb() for a range known to hold no memmap frame
 * (its dissolve donated none): the same checks of the first page, no look
 * at the others (HVO: its restored rows are fresh mappings).  Returns the
 * pages freed. */
unsigned long free_huge_range_nomemmap(unsigned long start_pfn, unsigned long end_pfn);

/* For mm/buddy*.c and mm/pcp.c only.  Zone lock held. */
void buddy_del_locked(struct zone *z, struct page *page, unsigned int order);
void buddy_free_range_locked(struct zone *z, unsigned long start, unsigned long end);
void buddy_free_one_locked(struct zone *z, unsigned long pfn, unsigned int order);
struct page *buddy_alloc_locked(struct zone *z, unsigned int order);
void buddy_remerge_range_locked(struct zone *z, unsigned long start, unsigned long end);

/* Free pages of every zone's free lists, the per-CPU lists drained first
 * (so the count is exact whenever nothing runs concurrently). */
unsigned long nr_free_pages(void);
/* The same without draining: the caller holds every zone lock (vm_check). */
unsigned long nr_free_pages_locked(void);
unsigned long totalram_pages(void);
/* The free block containing pfn: true with *head and *order, else false. */
bool buddy_find_block(unsigned long pfn, unsigned long *head, unsigned int *order);

static inline void zone_lock(struct zone *z)
{
	unsigned long flags = spin_lock_irqsave(&z->lock);

	z->lock_flags = flags;
}
static inline void zone_unlock(struct zone *z)
{
	spin_unlock_irqrestore(&z->lock, z->lock_flags);
}
#endif
