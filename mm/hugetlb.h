/* HugeTLB pools: one pool (struct hstate) per huge page size.
 *
 *   hstates[i]  order = HUGEPAGE_ORDERS[i]  (x86_64: 9, 18; arm64: 9, 13, 18)
 *     free_list   -> [head]<->[head]          free huge pages (refcount 0)
 *     active_list -> [head]                   taken ones (refcount 1)
 *     nr_huge_pages = free + active;  surplus_huge_pages <= active
 *
 * A huge page is a compound page of 2^order frames: the head struct page
 * has PG_head | PG_hugetlb and compound_order; every tail points at the
 * head (mm/page.h).  Pages come from the buddy allocator (alloc_pages up
 * to MAX_ORDER, alloc_contig_range above it) or, for hugepages= at boot,
 * from memblock before the buddy allocator exists. */
#ifndef MM_HUGETLB_H
#define MM_HUGETLB_H
#include <pagoda/types.h>
#include <pagoda/list.h>
#include <asm/vmparam.h>
#include <pagoda/spinlock.h>
#include "mm/page.h"

struct hstate {
	unsigned int order;
	unsigned long nr_huge_pages;       /* free + in use */
	unsigned long free_huge_pages;
	unsigned long surplus_huge_pages;  /* in-use pages above nr_hugepages (shrunk under them) */
	unsigned long resv_huge_pages;     /* reservations: nothing maps huge pages yet, always 0 */
	struct list_head free_list;        /* free heads, linked through head->lru */
	struct list_head active_list;      /* taken heads */
	char name[32];                     /* "hugepages-2048kB" */
};
extern struct hstate hstates[NR_HUGEPAGE_SIZES];
/* Guards every pool (mm/hugetlb.c, Locking); the functions below take it. */
extern spinlock_t hugetlb_lock;

static inline unsigned long hstate_pages(const struct hstate *h) { return 1UL << h->order; }
static inline unsigned long hstate_kb(const struct hstate *h) { return (PAGE_SIZE >> 10) << h->order; }
/* nr_hugepages as Linux counts it for set_max_huge_pages(): pages that
 * stay in the pool when freed. */
static inline unsigned long hstate_persistent(const struct hstate *h)
{
	return h->nr_huge_pages - h->surplus_huge_pages;
}

/* The pool of huge pages of size bytes, or NULL. */
struct hstate *hstate_by_size(u64 bytes);
/* The pool whose size in kB is kb, or NULL. */
struct hstate *hstate_by_kb(unsigned long kb);

/* Make the pool count pages (Linux's set_max_huge_pages()): grow from the
 * buddy allocator, or shrink by freeing free huge pages.  A grow that runs
 * out of memory stops where it is; in-use pages shrunk under become
 * surplus.  Returns the new nr_huge_pages. */
unsigned long hugetlb_set_pool(struct hstate *h, unsigned long count);

/* Take a free huge page of pool h (refcount 1, on the active list), or NULL. */
struct page *hugetlb_take(struct hstate *h);
/* Grow pool h by the huge page at pfn (aligned, every page free in one
 * online zone) and take it at once, as hugetlb_take() would: its head, or
 * NULL with nothing changed.  (A test seam: smp_hvo re-creates a huge page
 * whose head its readers know.) */
struct page *hugetlb_grow_at(struct hstate *h, unsigned long pfn);
/* Give back a page from hugetlb_take(): 0, or -EINVAL if head is not a
 * taken huge page (nothing changed). */
int hugetlb_give(struct page *head);

/* Dissolve every FREE huge page with a frame in [start_pfn, end_pfn): its
 * vmemmap is restored and its frames go back to the buddy allocator.
 * -EBUSY (nothing changed) if an in-use huge page has a frame there;
 * -ENOMEM if a page's vmemmap could not get its frames (that page stays in
 * the pool, the others are dissolved).  Memory offlining calls it before
 * isolating a block. */
int dissolve_free_huge_pages(unsigned long start_pfn, unsigned long end_pfn);

/* The huge page head containing pfn if pfn is in a hugetlb page, else NULL. */
struct page *hugetlb_page_head(unsigned long pfn);

/* Recompute struct hugetlb_meminfo (mm/vmstat.h) from the pools. */
void hugetlb_update_meminfo(void);

/* Boot (mm/hugetlb_boot.c): mm_init() calls hugetlb_reserve_bootmem()
 * while memblock still serves (gigantic pages of hugepages=); the initcall
 * hugetlb_init() runs once the buddy allocator is up (bootmem pages join
 * their pools, the rest of hugepages= grows from the buddy allocator, the
 * sysfs files appear).  Host tests call hugetlb_init() themselves. */
void hugetlb_reserve_bootmem(void);
/* Bytes hugetlb_reserve_bootmem() took from memblock (the boot summary names them). */
u64 hugetlb_bootmem_bytes(void);
int hugetlb_init(void);

#endif
