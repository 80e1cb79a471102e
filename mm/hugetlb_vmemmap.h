/* HugeTLB Vmemmap Optimization (HVO): the interface the pool code
 * (mm/hugetlb.c) uses.  Theory and pictures: mm/hugetlb_vmemmap.c; the tail
 * encoding that makes it possible: mm/page.h.
 *
 *   grow:     take 2^order free pages (alloc_contig_range_hugetlb(): tails left plain)
 *             -> hugetlb_vmemmap_optimize_folios()   (HVO on: remap, one flush)
 *             -> prep_compound_head()                (head vmemmap page only)
 *             -> prep_compound_tails()               (only if not optimized)
 *   dissolve: hugetlb_vmemmap_restore_folios()       (cannot fail: donates)
 *             or ..._or_keep()                       (offline: keeps what it cannot restore)
 *             -> destroy_compound_page()             (back to plain pages)
 *             -> free_contig_range_hugetlb()         (skips donated frames)
 *
 * Locking: optimize/restore take vmemmap_lock (mm/pgwalk.h) themselves;
 * callers hold no zone or pcp lock (mm/hugetlb_vmemmap.c, Locking). */
#ifndef MM_HUGETLB_VMEMMAP_H
#define MM_HUGETLB_VMEMMAP_H
#include <pagoda/types.h>
#include <pagoda/list.h>
#include "mm/page.h"

/* /proc/sys/vm/hugetlb_optimize_vmemmap (hugetlb_free_vmemmap= at boot). */
extern int hugetlb_optimize_vmemmap;

/* Optimize the vmemmap of every huge page on heads (linked through
 * head->lru), all of order order: every remap of the batch, then at most one
 * TLB flush.  Returns how many were optimized (a page that could not be is
 * left fully mapped and valid).  Only when hugetlb_optimize_vmemmap is 1.
 * Call it before prep_compound_head(): the tails are never written. */
unsigned long hugetlb_vmemmap_optimize_folios(struct list_head *heads, unsigned int order);
/* Restore the vmemmap of every optimized page on heads (others are
 * skipped), for a dissolve: vmemmap pages 1..N-1 come back RW on frames of
 * their own holding plain struct pages (mm/page.h), so only the head's own
 * vmemmap page still holds tails for destroy_compound_page().  Cannot fail: frames come from the buddy allocator when it has
 * them (never from an ISOLATED section), else the huge page donates its own
 * last pages (they become PG_memmap, refcount 1, counted in nr_memmap_pages).
 * Returns how many frames were donated. */
unsigned long hugetlb_vmemmap_restore_folios(struct list_head *heads, unsigned int order);
/* The same without donation, for offline's dissolve (a frame donated by a
 * page of the block would pin the block for good): a page whose frames
 * cannot all be had is moved to kept, still optimized, nothing changed for
 * it.  Returns how many frames were donated: always 0. */
unsigned long hugetlb_vmemmap_restore_folios_or_keep(struct list_head *heads, unsigned int order,
						     struct list_head *kept);
/* Is head's vmemmap optimized (pages 1..N-1 on the shared tail page)? */
bool hugetlb_vmemmap_optimized(const struct page *head);

/* Compound-page setup on fresh pages.  prep_compound_head(): PG_head,
 * compound_order, and the tails that share the head's vmemmap page, each
 * written whole (page_init_tail(): 63 tails, whatever a previous owner
 * left); prep_compound_tails(): every other tail, only for a page that is
 * not optimized: compound_info and order (the one field the free path can
 * leave behind, mm/page.h), two stores per tail. */
void prep_compound_head(struct page *head, unsigned int order);
void prep_compound_tails(struct page *head, unsigned int order);
/* Back to plain pages (vmemmap restored first): PG_head, PG_hugetlb and
 * compound_order of the head and every tail's compound_info cleared (a
 * restored vmemmap page is plain already and skipped); donated frames keep
 * their PG_memmap. */
void destroy_compound_page(struct page *head, unsigned int order);

/* For vm_check and the `vmemmap` view: is frame pfn the shared tail page of
 * some (zone, order)?  Then *order (may be NULL) is its order. */
bool hugetlb_vmemmap_is_tail_frame(unsigned long pfn, unsigned int *order);
/* Shared tail pages allocated now (0 when no page is optimized). */
unsigned long hugetlb_vmemmap_nr_tail_frames(void);
/* vm_check (mm/vm_check.c): the rule for a read-only vmemmap page va of
 * section nr mapping frame pfn, and the "hvo" checker (shared pages,
 * read-only rows, nr_hugetlb_vmemmap_optimized).  True when consistent. */
struct vm_check;
bool hugetlb_vmemmap_check_ro(struct vm_check *c, unsigned long nr, unsigned long va, unsigned long pfn);
bool hugetlb_vmemmap_check(struct vm_check *c);
/* Test seam: the next hugetlb_vmemmap_fail_allocs buddy frame allocations
 * of HVO fail as if the buddy allocator were empty. */
extern unsigned long hugetlb_vmemmap_fail_allocs;
#endif
