/* HugeTLB pools: grow, shrink, take, give and dissolve huge pages.
 *
 *   buddy allocator                             pool (struct hstate)
 *   ---------------------                       ------------------------------
 *   alloc_pages(order <= MAX_ORDER)  --grow-->  optimize vmemmap (batch, HVO on)
 *   alloc_contig_range_hugetlb()       batch    prep compound -> free_list
 *     (order > MAX_ORDER: scan the                 |  hugetlb_take()   ^ give
 *      zones' sections for a free                  v                   |
 *      aligned range)                           free_list         active_list
 *   free_contig_range_hugetlb()   <--shrink--  restore vmemmap    (refcount 1)
 *     (keeps donated frames)        dissolve   destroy compound
 *
 * Grow and shrink work in batches of up to HUGETLB_BATCH pages so that a
 * whole batch has its vmemmap optimized (or restored) with one TLB flush:
 * `echo 256 > nr_hugepages` allocates 256 pages, remaps 256 x 7 vmemmap
 * PTEs, flushes once, then sets up the 256 compound heads.
 * A grow that runs out of memory stops with what it got: nr_hugepages is
 * then what was possible, as in Linux, and that is not an error.
 *
 * Finding huge pages from a pfn needs no tail encoding: a huge page of
 * order o starts at a pfn aligned to 2^o, so the head of the order-o page
 * that could contain pfn is at ALIGN_DOWN(pfn, 2^o); it is one if it has
 * PG_head | PG_hugetlb and compound_order o.  Only heads are read, so an
 * optimized page's read-only tails are never touched.
 *
 * Counters: nr_huge_pages = free + in use; surplus <= in use (pages shrunk
 * under while taken: they go back to the buddy allocator when given back).
 * Memory offlining calls dissolve_free_huge_pages() before it isolates a
 * block: free huge pages there are restored and freed, an in-use one makes
 * the offline fail with -EBUSY (nothing migrates huge pages yet), and so
 * does one whose vmemmap cannot get its frames: it stays in the pool
 * (Linux's -ENOMEM; a donated frame would sit in the block for good).
 *
 * Locking: hugetlb_lock (LOCK_ORDER_HUGETLB, plain: a grow holds it across
 * HVO's TLB shootdowns) guards the pools, their lists and counters and
 * hugetlb_meminfo; the entry points below take it, the static helpers
 * expect it held.  No zone lock is held across these functions.
 * Lock order: hotplug (offline calls dissolve) -> hugetlb -> vmemmap (HVO)
 * -> zone -> pcp. */
#include <pagoda/kernel.h>
#include <pagoda/list.h>
#include <pagoda/selftest.h>
#include <pagoda/fault_inject.h>
#include "mm/hugetlb.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/vmstat.h"
#include "mm/hugetlb_internal.h"
#include "mm/hugetlb_vmemmap.h"

/* Pages per grow/shrink batch: a whole ordinary request (Linux batches all
 * of it too).  512 x 2 MiB is 3584 remaps, inside one HVO batch
 * (HVO_BATCH_MAX, mm/hugetlb_vmemmap.c), so one TLB flush covers it. */
#define HUGETLB_BATCH 512

static const unsigned int hugetlb_orders[NR_HUGEPAGE_SIZES] = HUGEPAGE_ORDERS;
struct hstate hstates[NR_HUGEPAGE_SIZES];
spinlock_t hugetlb_lock = SPINLOCK_INIT("hugetlb", LOCK_ORDER_HUGETLB);

/* Set up the pools (idempotent: name and lists once). */
void hugetlb_init_hstates(void)
{
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++) {
		struct hstate *h = &hstates[i];

		if (h->name[0])
			continue;
		h->order = hugetlb_orders[i];
		list_init(&h->free_list);
		list_init(&h->active_list);
		ksnprintf(h->name, sizeof(h->name), "hugepages-%lukB", hstate_kb(h));
	}
}

struct hstate *hstate_by_kb(unsigned long kb)
{
	hugetlb_init_hstates();
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++)
		if (hstate_kb(&hstates[i]) == kb)
			return &hstates[i];
	return NULL;
}

struct hstate *hstate_by_size(u64 bytes)
{
	if (!bytes || bytes & ((1UL << 10) - 1))
		return NULL;
	return hstate_by_kb((unsigned long)(bytes >> 10));
}

void hugetlb_update_meminfo(void)
{
	struct hugetlb_meminfo *m = &hugetlb_meminfo;
	const struct hstate *d = &hstates[0];

	m->nr_total = d->nr_huge_pages;
	m->nr_free = d->free_huge_pages;
	m->nr_resv = d->resv_huge_pages;
	m->nr_surplus = d->surplus_huge_pages;
	m->default_size_kb = hstate_kb(d);
	m->total_kb = 0;
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++)
		m->total_kb += hstates[i].nr_huge_pages * hstate_kb(&hstates[i]);
}

/* ---------------------------------------------------------------- lookup */

/* Is page the head of a huge page of order order? */
static bool hugetlb_is_head(const struct page *page, unsigned int order)
{
	return page_test_flag(page, PG_head) && page_test_flag(page, PG_hugetlb) &&
	       page->compound_order == order;
}

/* The pool of a huge page head, or NULL if head is none. */
static struct hstate *hugetlb_head_hstate(const struct page *head)
{
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++)
		if (hugetlb_is_head(head, hstates[i].order))
			return &hstates[i];
	return NULL;
}

struct page *hugetlb_page_head(unsigned long pfn)
{
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++) {
		unsigned int order = hugetlb_orders[i];
		unsigned long head = ALIGN_DOWN(pfn, 1UL << order);

		if (pfn_valid(head) && hugetlb_is_head(pfn_to_page(head), order))
			return pfn_to_page(head);
	}
	return NULL;
}

/* ---------------------------------------------------------------- buddy side */

/* Could [pfn, pfn + n) be taken from zone zt as one range: every section
 * present, online, with a memmap, in zt and not being offlined? */
static bool hugetlb_range_in_zone(unsigned long pfn, unsigned long n, enum zone_type zt)
{
	for (unsigned long nr = pfn_to_section_nr(pfn); nr <= pfn_to_section_nr(pfn + n - 1); nr++) {
		const struct mem_section *ms = sparse_section(nr);
		const u32 want = SECTION_PRESENT | SECTION_ONLINE | SECTION_MEMMAP;

		if (!ms || (ms->state & (want | SECTION_ISOLATED)) != want || ms->zone != (u32)zt)
			return false;
	}
	return true;
}

/* A free aligned range of 2^order pages (order > MAX_ORDER) taken with
 * alloc_contig_range_hugetlb(): Movable first, then Normal, lowest address
 * first.  Returns the head, or NULL when no such range is free. */
static struct page *hugetlb_alloc_gigantic(unsigned int order)
{
	unsigned long n = 1UL << order, end = section_nr_to_pfn(sparse_max_section());

	for (int zt = ZONE_MOVABLE; zt >= ZONE_NORMAL; zt--)
		for (unsigned long pfn = 0; pfn + n <= end; pfn += n)
			if (hugetlb_range_in_zone(pfn, n, (enum zone_type)zt) &&
			    alloc_contig_range_hugetlb(pfn, pfn + n, (enum zone_type)zt) == 0)
				return pfn_to_page(pfn);
	return NULL;
}

/* 2^order fresh frames from the buddy allocator, or NULL.  As
 * alloc_contig_range_hugetlb() leaves them: head refcount 1 and order 0,
 * every other struct page plain (mm/page.h). */
static struct page *hugetlb_alloc_fresh(unsigned int order)
{
	struct page *page;

	if (order > MAX_ORDER)
		return hugetlb_alloc_gigantic(order);
	page = alloc_pages(order, ZONE_MOVABLE);
	if (page)
		page->order = 0;
	return page;
}

/* ---------------------------------------------------------------- compound pages */

/*
 * A batch of fresh frames becomes huge pages in three steps, in this order
 * (mm/hugetlb_vmemmap.h):
 *
 *   1. hugetlb_vmemmap_optimize_folios()  HVO on: vmemmap pages 1..N-1 of
 *                                          every page remapped onto the shared
 *                                          tail page, one TLB flush per batch
 *   2. prep_compound_head()                head and the tails in its own
 *                                          vmemmap page (the only one kept)
 *   3. prep_compound_tails()               only for pages not optimized
 *
 * so an optimized page's tails are never written: that is what makes HVO
 * cheaper than no HVO.  Dissolving runs it backwards: restore the vmemmap
 * (a page whose frames cannot be had goes back to the pool, or in boot
 * memory donates its own: hugetlb_free_batch()), destroy_compound_page(),
 * free_contig_range_hugetlb() (which keeps any frame the page donated; a
 * batch that donated none frees each range without looking at its pages:
 * free_huge_range_nomemmap()).
 */
void hugetlb_add_fresh_batch(struct hstate *h, struct list_head *list)
{
	if (hugetlb_optimize_vmemmap)
		hugetlb_vmemmap_optimize_folios(list, h->order);
	while (!list_empty(list)) {
		struct page *head = list_first_entry(list, struct page, lru);

		list_del(&head->lru);
		prep_compound_head(head, h->order);
		if (!hugetlb_vmemmap_optimized(head))
			prep_compound_tails(head, h->order);
		page_set_flag(head, PG_hugetlb);
		head->refcount = 0;
		list_add_tail(&head->lru, &h->free_list);
		h->nr_huge_pages++;
		h->free_huge_pages++;
	}
}

/* Put the free huge pages on list back on h's free list and counters (a
 * dissolve or shrink that could not restore their vmemmap). */
static void hugetlb_relink_free(struct hstate *h, struct list_head *list)
{
	while (!list_empty(list)) {
		struct page *head = list_first_entry(list, struct page, lru);

		list_del(&head->lru);
		list_add_tail(&head->lru, &h->free_list);
		h->nr_huge_pages++;
		h->free_huge_pages++;
	}
}

/* Does [pfn, pfn + n) touch a hot-added (not boot) section? */
static bool hugetlb_range_hot_added(unsigned long pfn, unsigned long n)
{
	for (unsigned long nr = pfn_to_section_nr(pfn); nr <= pfn_to_section_nr(pfn + n - 1); nr++)
		if (!sparse_section_has(nr, SECTION_EARLY))
			return true;
	return false;
}

/* Turn every huge page on list (already off h's lists and counters) back
 * into plain pages and give its frames to the buddy allocator.  A page
 * whose vmemmap cannot get frames from the buddy allocator donates its own
 * in boot memory; in a hot-added block a donated frame would pin the block
 * (offline fails on it for good), so such a page goes back on h's free
 * list instead, as Linux does with every page it cannot restore.  Returns
 * how many went back. */
static unsigned long hugetlb_free_batch(struct hstate *h, struct list_head *list)
{
	struct list_head kept, hot;
	unsigned long back = 0, donated;

	list_init(&kept);
	list_init(&hot);
	hugetlb_vmemmap_restore_folios_or_keep(list, h->order, &kept);
	while (!list_empty(&kept)) {
		struct page *head = list_first_entry(&kept, struct page, lru);
		bool hot_added = hugetlb_range_hot_added(page_to_pfn(head), hstate_pages(h));

		list_del(&head->lru);
		list_add_tail(&head->lru, hot_added ? &hot : list);
		back += hot_added;
	}
	donated = hugetlb_vmemmap_restore_folios(list, h->order);        /* boot memory: may donate */
	while (!list_empty(list)) {
		struct page *head = list_first_entry(list, struct page, lru);
		unsigned long pfn = page_to_pfn(head);

		list_del(&head->lru);
		page_clear_flag(head, PG_hugetlb);
		destroy_compound_page(head, h->order);
		head->refcount = 1;
		if (donated)            /* a donated frame stays: look at every page */
			free_contig_range_hugetlb(pfn, pfn + hstate_pages(h));
		else
			free_huge_range_nomemmap(pfn, pfn + hstate_pages(h));
	}
	hugetlb_relink_free(h, &hot);
	return back;
}

/* Take free huge page head off h's free list and counters. */
static void hugetlb_unlink_free(struct hstate *h, struct page *head)
{
	list_del(&head->lru);
	h->nr_huge_pages--;
	h->free_huge_pages--;
}

/* ---------------------------------------------------------------- pool size */

/* Add up to want fresh pages to h in one batch; returns how many. */
static unsigned long hugetlb_grow_batch(struct hstate *h, unsigned long want)
{
	struct list_head batch;
	unsigned long got = 0;

	list_init(&batch);
	fail_site_enter(FAIL_SITE_POOL_GROW);
	while (got < MIN(want, (unsigned long)HUGETLB_BATCH)) {
		struct page *page = hugetlb_alloc_fresh(h->order);

		if (!page)
			break;
		list_add_tail(&page->lru, &batch);
		got++;
	}
	hugetlb_add_fresh_batch(h, &batch);
	fail_site_exit(FAIL_SITE_POOL_GROW);
	return got;
}

/* Free up to want free huge pages of h in one batch; returns how many
 * (pages that went back to the pool do not count). */
static unsigned long hugetlb_shrink_batch(struct hstate *h, unsigned long want)
{
	struct list_head batch;
	unsigned long got = 0;

	list_init(&batch);
	while (got < MIN(want, (unsigned long)HUGETLB_BATCH) && !list_empty(&h->free_list)) {
		struct page *head = list_entry(h->free_list.prev, struct page, lru);

		hugetlb_unlink_free(h, head);
		list_add_tail(&head->lru, &batch);
		got++;
	}
	return got - hugetlb_free_batch(h, &batch);
}

/*
 * Linux's set_max_huge_pages() without overcommit:
 *
 *   count > persistent: surplus pages become persistent first, then grow
 *   count < persistent: free pages go back first; if in-use pages remain
 *                       above count they become surplus (freed on give)
 */
unsigned long hugetlb_set_pool(struct hstate *h, unsigned long count)
{
	unsigned long nr;

	spin_lock(&hugetlb_lock);
	while (h->surplus_huge_pages && count > hstate_persistent(h))
		h->surplus_huge_pages--;
	while (count > hstate_persistent(h)) {
		unsigned long want = count - hstate_persistent(h);

		if (hugetlb_grow_batch(h, want) < MIN(want, (unsigned long)HUGETLB_BATCH))
			break;
	}
	while (count < hstate_persistent(h) && h->free_huge_pages)
		if (!hugetlb_shrink_batch(h, MIN(hstate_persistent(h) - count, h->free_huge_pages)))
			break;                  /* kept: their vmemmap could not be restored */
	if (count < hstate_persistent(h))       /* in-use pages above count (not kept free ones) */
		h->surplus_huge_pages += MIN(hstate_persistent(h) - count,
					     hstate_persistent(h) - h->free_huge_pages);
	hugetlb_update_meminfo();
	nr = h->nr_huge_pages;
	spin_unlock(&hugetlb_lock);
	return nr;
}

/* ---------------------------------------------------------------- take / give */

/* Move free huge page head from the free list to the active list, in use
 * (refcount 1).  hugetlb_lock held. */
static void hugetlb_activate_locked(struct hstate *h, struct page *head)
{
	list_del(&head->lru);
	h->free_huge_pages--;
	head->refcount = 1;
	list_add_tail(&head->lru, &h->active_list);
	hugetlb_update_meminfo();
}

struct page *hugetlb_take(struct hstate *h)
{
	struct page *head = NULL;

	spin_lock(&hugetlb_lock);
	if (!list_empty(&h->free_list)) {
		head = list_first_entry(&h->free_list, struct page, lru);
		hugetlb_activate_locked(h, head);
	}
	spin_unlock(&hugetlb_lock);
	return head;
}

struct page *hugetlb_grow_at(struct hstate *h, unsigned long pfn)
{
	const struct mem_section *ms = pfn_to_section(pfn);
	struct list_head one;
	struct page *head;

	if (!ms || !IS_ALIGNED(pfn, hstate_pages(h)) ||
	    !hugetlb_range_in_zone(pfn, hstate_pages(h), (enum zone_type)ms->zone))
		return NULL;
	spin_lock(&hugetlb_lock);
	if (alloc_contig_range_hugetlb(pfn, pfn + hstate_pages(h), (enum zone_type)ms->zone)) {
		spin_unlock(&hugetlb_lock);
		return NULL;
	}
	head = pfn_to_page(pfn);
	list_init(&one);
	list_add(&head->lru, &one);
	hugetlb_add_fresh_batch(h, &one);          /* onto the free list, counted */
	hugetlb_activate_locked(h, head);
	spin_unlock(&hugetlb_lock);
	return head;
}

/* A surplus page given back leaves the pool; any other goes on the free list. */
int hugetlb_give(struct page *head)
{
	struct hstate *h;
	struct list_head one;

	hugetlb_init_hstates();
	spin_lock(&hugetlb_lock);
	h = hugetlb_head_hstate(head);
	if (!h || head->refcount != 1) {
		spin_unlock(&hugetlb_lock);
		return -EINVAL;
	}
	list_del(&head->lru);
	head->refcount = 0;
	if (h->surplus_huge_pages) {
		h->surplus_huge_pages--;
		h->nr_huge_pages--;
		list_init(&one);
		list_add(&head->lru, &one);
		if (hugetlb_free_batch(h, &one))
			h->surplus_huge_pages++;        /* kept: a free surplus page, as Linux */
	} else {
		list_add(&head->lru, &h->free_list);
		h->free_huge_pages++;
	}
	hugetlb_update_meminfo();
	spin_unlock(&hugetlb_lock);
	return 0;
}

/* ---------------------------------------------------------------- dissolve */

/* Call fn on every huge page of h with a frame in [start, end); stop at
 * the first non-zero return and pass it on. */
static int hugetlb_for_each_in_range(struct hstate *h, unsigned long start, unsigned long end,
				     int (*fn)(struct hstate *h, struct page *head, void *arg), void *arg)
{
	for (unsigned long pfn = ALIGN_DOWN(start, hstate_pages(h)); pfn < end; pfn += hstate_pages(h)) {
		struct page *head;
		int rc;

		if (!pfn_valid(pfn) || !hugetlb_is_head(head = pfn_to_page(pfn), h->order))
			continue;
		if ((rc = fn(h, head, arg)))
			return rc;
	}
	return 0;
}

static int hugetlb_busy_fn(struct hstate *h, struct page *head, void *arg)
{
	return head->refcount ? -EBUSY : 0;
}

/* Move free huge page head from h's free list to the batch arg. */
static int hugetlb_collect_fn(struct hstate *h, struct page *head, void *arg)
{
	hugetlb_unlink_free(h, head);
	list_add_tail(&head->lru, (struct list_head *)arg);
	return 0;
}

int dissolve_free_huge_pages(unsigned long start_pfn, unsigned long end_pfn)
{
	int rc = 0;

	hugetlb_init_hstates();
	spin_lock(&hugetlb_lock);
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++)
		if (hugetlb_for_each_in_range(&hstates[i], start_pfn, end_pfn, hugetlb_busy_fn, NULL)) {
			spin_unlock(&hugetlb_lock);
			return -EBUSY;
		}
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++) {
		struct list_head batch, kept;

		list_init(&batch);
		list_init(&kept);
		hugetlb_for_each_in_range(&hstates[i], start_pfn, end_pfn, hugetlb_collect_fn, &batch);
		/* no donation: a frame donated by a page of the block would pin it */
		hugetlb_vmemmap_restore_folios_or_keep(&batch, hstates[i].order, &kept);
		hugetlb_free_batch(&hstates[i], &batch);
		if (!list_empty(&kept))
			rc = -ENOMEM;
		hugetlb_relink_free(&hstates[i], &kept);
	}
	hugetlb_update_meminfo();
	spin_unlock(&hugetlb_lock);
	return rc;
}

/* A pool of the default size grows by 4, hands one out and takes it back,
 * dissolves one through the offline helper, and shrinks back: counters,
 * meminfo and nr_free_pages return exactly (HVO on or off). */
SELFTEST(hugetlb_pool)
{
	struct hstate *h = hstate_by_kb(hstate_kb(&hstates[0]));
	unsigned long base = h->nr_huge_pages, free0 = nr_free_pages(), pfn;
	struct page *p;

	EXPECT(hugetlb_set_pool(h, base + 4) == base + 4 && h->free_huge_pages >= 4);
	EXPECT(hugetlb_meminfo.nr_total == h->nr_huge_pages);
	p = hugetlb_take(h);
	EXPECT(p && p->refcount == 1 && IS_ALIGNED(page_to_pfn(p), hstate_pages(h)));
	if (!p)
		return;
	pfn = page_to_pfn(p);
	EXPECT(hugetlb_page_head(pfn + hstate_pages(h) - 1) == p);
	EXPECT(dissolve_free_huge_pages(pfn, pfn + 1) == -EBUSY && h->nr_huge_pages == base + 4);
	EXPECT(hugetlb_give(p) == 0 && hugetlb_give(p) == -EINVAL);
	EXPECT(dissolve_free_huge_pages(pfn, pfn + 1) == 0 && h->nr_huge_pages == base + 3);
	EXPECT(hugetlb_page_head(pfn) == NULL);
	EXPECT(hugetlb_set_pool(h, base) == base);
	EXPECT(nr_free_pages() == free0 && hugetlb_meminfo.nr_total == base);
}
