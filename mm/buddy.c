/* The buddy allocator: free lists per zone and order, split on allocation,
 * merge on free.  See buddy.h for the zone picture and the page states.
 * Order-0 requests go through the per-CPU lists first while more than one
 * CPU is online (mm/pcp.c).  Locks: the zone lock (irqsave) around list
 * edits; pcp locks and zone locks are never held together here (drains and
 * refills drop one before taking the other).
 *
 *   order 2 block at pfn 0x100 split for an order-0 request:
 *
 *   [0x100 0x101 0x102 0x103]  ->  [0x100][0x101] [0x102 0x103]
 *    free_area[2]                   taken  fa[0]   fa[1]
 */
#include <pagoda/kernel.h>
#include <pagoda/selftest.h>
#include <pagoda/pseudofs.h>
#include <pagoda/fault_inject.h>
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/page_poison.h"
#include "mm/pcp.h"

struct zone zones[NR_ZONES] = {
	[ZONE_NORMAL] = { .name = "Normal", .lock = SPINLOCK_INIT("zone Normal", LOCK_ORDER_ZONE) },
	[ZONE_MOVABLE] = { .name = "Movable",
			   .lock = SPINLOCK_INIT("zone Movable", LOCK_ORDER_ZONE + ZONE_MOVABLE) },
};

void buddy_init(void)
{
	for (int z = 0; z < NR_ZONES; z++)
		for (int o = 0; o < NR_ORDERS; o++)
			list_init(&zones[z].free_area[o].free_list);
}

/* Put the block at page on free_area[order]: at the head, or marked
 * PG_zeroed at the tail (see "Known-zero blocks").  Zone lock held. */
static void buddy_add_locked(struct zone *z, struct page *page, unsigned int order, bool zeroed)
{
	page->order = order;
	page_set_flag(page, PG_buddy);
	if (zeroed) {
		page_set_flag(page, PG_zeroed);
		list_add_tail(&page->lru, &z->free_area[order].free_list);
		z->zeroed_pages += 1UL << order;
	} else {
		list_add(&page->lru, &z->free_area[order].free_list);
	}
	z->free_area[order].nr_free++;
	z->free_pages += 1UL << order;
}

/* Take the free block at page off its list.  Zone lock held.  The page is
 * left as a plain page (order 0, lru cleared): whatever the free path
 * leaves in a struct page is what a compound tail looks like, so HVO can
 * share one tail page (mm/page.h). */
void buddy_del_locked(struct zone *z, struct page *page, unsigned int order)
{
	if (page_test_flag(page, PG_zeroed))
		z->zeroed_pages -= 1UL << order;
	list_del(&page->lru);
	page->lru.next = page->lru.prev = NULL;
	page->order = 0;
	page->flags &= ~((1UL << PG_buddy) | (1UL << PG_zeroed));
	z->free_area[order].nr_free--;
	z->free_pages -= 1UL << order;
}

/* A block never crosses a section: the buddy of a block of order k <
 * MAX_ORDER differs from it only in pfn bit k, below the section bits, and
 * the merged block of order MAX_ORDER is still inside the section. */
BUILD_BUG_ON(MAX_ORDER > PFN_SECTION_SHIFT);

/* The highest order a free block at pfn may merge up to: MAX_ORDER if its
 * section has a memmap (so every buddy's struct page is mapped) and is not
 * ISOLATED for offlining, else order (no merging).  One section lookup
 * serves every level of the merge; see the theory below. */
static unsigned int buddy_merge_limit(unsigned long pfn, unsigned int order)
{
	const struct mem_section *ms = pfn_to_section(pfn);
	const u32 want = SECTION_PRESENT | SECTION_MEMMAP;

	if (ms && (ms->state & (want | SECTION_ISOLATED)) == want)
		return MAX_ORDER;
	return order;
}

/*
 * Theory of the free path.  A block of 2^k pages at pfn (aligned to 2^k)
 * has exactly one buddy, the other half of the 2^(k+1) block containing
 * both: buddy = pfn ^ (1 << k).  If the buddy is free as a whole block of
 * the same order, the two merge into the 2^(k+1) block at pfn & buddy and
 * the step repeats one order higher; otherwise the block goes on its list.
 *
 *   order 0:  pfn 0x102 ^ 1 = 0x103 free?  merge -> 0x102 order 1
 *   order 1:  pfn 0x102 ^ 2 = 0x100 free?  merge -> 0x100 order 2
 *   order 2:  pfn 0x100 ^ 4 = 0x104 busy   -> stop, list at order 2
 *
 *   section (128 MiB = 2^15 pages)
 *   |<----------------------------------------------------------->|
 *   [ 4 MiB ][ 4 MiB ] ...  every block and its buddy, at every order
 *   < MAX_ORDER, lie in the same section (BUILD_BUG_ON above)
 *
 * So the section tests are made once, before the loop (buddy_merge_limit):
 * the buddy is pfn_valid exactly when pfn is, and "neither section is
 * ISOLATED" is "this section is not ISOLATED".  A hole inside the section
 * has PG_reserved struct pages, never PG_buddy, so it stops a merge there.
 * There is no zone test either: zones are whole sections (a section is
 * onlined to one zone as a unit, mem_section.zone, and memmap_init_section()
 * puts all its struct pages in that zone), so the buddy is in pfn's zone.
 * Were one section ever split between zones (sub-section onlining), the
 * loop would need `page_zone_id(bp) == page_zone_id(pfn's page)` back.
 *
 * Invariant kept: no two free buddies of the same order both sit on the
 * free lists, unless their section is ISOLATED (`vm_check` and
 * tests/unit/test_mm_property.c look for such pairs).
 * Zone lock held.
 */
static void buddy_free_block_locked(struct zone *z, unsigned long pfn, unsigned int order, bool zeroed)
{
	unsigned int limit = buddy_merge_limit(pfn, order);

	pfn_to_page(pfn)->order = 0;      /* a tail if it merges down; buddy_add sets the head's */
	while (order < limit) {
		unsigned long buddy = pfn ^ (1UL << order);
		struct page *bp = pfn_to_page(buddy);

		if (!page_test_flag(bp, PG_buddy) || bp->order != order)
			break;
		zeroed = zeroed && page_test_flag(bp, PG_zeroed);
		buddy_del_locked(z, bp, order);
		pfn &= buddy;
		order++;
	}
	buddy_add_locked(z, pfn_to_page(pfn), order, zeroed);
}

void buddy_free_one_locked(struct zone *z, unsigned long pfn, unsigned int order)
{
	buddy_free_block_locked(z, pfn, order, false);
}

/* Free [start, end) as the largest aligned blocks, PG_zeroed if zeroed.
 * Pages must already be poisoned (or poisoning off) and have refcount 0.
 * Zone lock held. */
static void buddy_free_blocks_locked(struct zone *z, unsigned long start, unsigned long end, bool zeroed)
{
	while (start < end) {
		unsigned int order = start ? (unsigned int)__builtin_ctzl(start) : MAX_ORDER;

		order = MIN(order, (unsigned int)MAX_ORDER);
		while (start + (1UL << order) > end)
			order--;
		buddy_free_block_locked(z, start, order, zeroed);
		start += 1UL << order;
	}
}

void buddy_free_range_locked(struct zone *z, unsigned long start, unsigned long end)
{
	buddy_free_blocks_locked(z, start, end, false);
}

/* Merge what an ISOLATED section left unmerged: every free block of [start,
 * end) (its section no longer ISOLATED) goes through the free path again,
 * merging as far as it can.  An offline that gives up calls it: while the
 * section was isolated other CPUs freed pages there without merging.  Zone
 * lock held. */
void buddy_remerge_range_locked(struct zone *z, unsigned long start, unsigned long end)
{
	unsigned long pfn = start, head;
	unsigned int order;

	while (pfn < end) {
		if (!buddy_find_block(pfn, &head, &order)) {
			pfn++;
			continue;
		}
		bool zeroed = page_test_flag(pfn_to_page(head), PG_zeroed);

		buddy_del_locked(z, pfn_to_page(head), order);
		buddy_free_block_locked(z, head, order, zeroed);
		if (!buddy_find_block(head, &head, &order))
			panic("pfn %#lx left the free lists while merging", head);
		pfn = MAX(pfn + 1, head + (1UL << order));
	}
}

void buddy_online_range(unsigned long start_pfn, unsigned long end_pfn, enum zone_type zt)
{
	struct zone *z = &zones[zt];

	if (start_pfn >= end_pfn)
		return;
	page_poison_fill(start_pfn, end_pfn - start_pfn);
	zone_lock(z);
	buddy_free_range_locked(z, start_pfn, end_pfn);
	z->managed_pages += end_pfn - start_pfn;
	zone_unlock(z);
}

/* Give the upper halves of a block of order high back, keeping the low
 * 2^low pages at page.  Zone lock held. */
static void buddy_expand_locked(struct zone *z, struct page *page, unsigned int low,
				unsigned int high, bool zeroed)
{
	while (high > low) {
		high--;
		buddy_add_locked(z, page + (1UL << high), high, zeroed);
	}
}

/* The first block on fa's list that lies outside ISOLATED sections, or
 * NULL.  A section being offlined hands nothing new out; its blocks stay
 * listed (free and counted) until the offline takes them or gives up.
 * Usually the first entry: only blocks of isolated sections are skipped. */
static struct page *buddy_first_allocatable(struct free_area *fa)
{
	struct list_head *e;

	list_for_each(e, &fa->free_list) {
		struct page *page = list_entry(e, struct page, lru);

		if (!pfn_section_isolated(page_to_pfn(page)))
			return page;
	}
	return NULL;
}

/* Smallest free block of at least 2^order pages outside isolated sections,
 * split down.  Zone lock held. */
struct page *buddy_alloc_locked(struct zone *z, unsigned int order)
{
	bool zeroed;

	for (unsigned int o = order; o <= MAX_ORDER; o++) {
		struct free_area *fa = &z->free_area[o];
		struct page *page = buddy_first_allocatable(fa);

		if (!page)
			continue;
		zeroed = page_test_flag(page, PG_zeroed);     /* the halves given back stay zero */
		buddy_del_locked(z, page, o);
		buddy_expand_locked(z, page, order, o, zeroed);
		return page;
	}
	return NULL;
}

/* A block of 2^order pages from zone zt alone: order 0 through this CPU's
 * list while the lists are active, else from the free lists.  Or NULL. */
static struct page *buddy_alloc_zone(unsigned int order, enum zone_type zt)
{
	struct zone *z = &zones[zt];
	struct page *page;

	if (order == 0 && pcp_active())
		return pcp_alloc(zt);
	zone_lock(z);
	page = buddy_alloc_locked(z, order);
	zone_unlock(z);
	return page;
}

/* Movable falls back to Normal; when both fail while the per-CPU lists
 * are active, every list is drained (their pages may be what is missing,
 * or what splits a larger block) and the zones are tried once more. */
struct page *alloc_pages(unsigned int order, enum zone_type zt)
{
	if (order > MAX_ORDER || zt >= NR_ZONES)
		return NULL;
	if (should_fail_alloc_page(order))          /* mm/fail_page_alloc.c */
		return NULL;
	for (int pass = 0; pass < 2; pass++) {
		for (int zi = (int)zt; zi >= ZONE_NORMAL; zi--) {
			struct page *page = buddy_alloc_zone(order, (enum zone_type)zi);

			if (!page)
				continue;
			if (page_poison_enabled)
				page_poison_verify(page_to_pfn(page), order);
			page->refcount = 1;
			page->order = order;
			return page;
		}
		if (!pcp_active())
			break;
		pcp_drain_all();
	}
	return NULL;
}

/* The double-free and bad-free checks: internal callers only (the shell
 * checks user input itself), so every failure is a panic. */
static void buddy_check_free(const struct page *page, unsigned long pfn, unsigned int order)
{
	if (order > MAX_ORDER || !IS_ALIGNED(pfn, 1UL << order) || !pfn_valid(pfn))
		panic("bad free: pfn %#lx order %u", pfn, order);
	if (page_test_flag(page, PG_buddy))
		panic("double free: pfn %#lx order %u is already free", pfn, order);
	if (page_test_flag(page, PG_reserved))
		panic("freeing reserved pfn %#lx", pfn);
	if (page->refcount != 1)
		panic("bad free: pfn %#lx refcount %d (double free, or not a block head)",
		      pfn, page->refcount);
	if (page->order != order)
		panic("bad free: pfn %#lx was allocated as order %u, freed as order %u",
		      pfn, page->order, order);
}

void free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *z;

	buddy_check_free(page, pfn, order);         /* pfn_valid before any read */
	z = &zones[page_zone_id(page)];
	page->refcount = 0;
	if (page_poison_enabled)
		page_poison_fill(pfn, 1UL << order);
	if (order == 0 && pcp_active() && pcp_free(page))
		return;
	zone_lock(z);
	buddy_free_one_locked(z, pfn, order);
	zone_unlock(z);
}

void split_page(struct page *page, unsigned int order)
{
	KASSERT(page->refcount == 1 && page->order == order && !page_test_flag(page, PG_buddy),
		"pfn %#lx refcount %d order %u/%u", page_to_pfn(page), page->refcount,
		page->order, order);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		page[i].refcount = 1;
		page[i].order = 0;
	}
}

/*
 * Known-zero blocks (PG_zeroed, as FreeBSD's PG_ZERO).  HVO frees vmemmap
 * frames that hold nothing but plain ZONE_NORMAL struct pages, i.e. zero
 * bytes, and a later restore needs frames holding exactly that: a frame
 * that still holds it need not be written again.  The mark is a promise
 * about every byte of a free block, so it lives only on the head of a
 * block on a free list and only these paths touch it:
 *
 *   free_pages_zeroed()   marks the blocks it frees (not with poisoning on)
 *   merge                 the merged block is marked only if both halves were
 *   split (alloc, expand) the halves given back keep the parent's mark
 *   buddy_del_locked()    clears it: every path that takes a block off a
 *                         free list (allocation, pcp refill, contig take,
 *                         offline) goes through it, so no page is ever
 *                         handed out marked and a page freed the ordinary
 *                         way (maybe written, maybe poisoned) never is
 *
 *   free_area[o]:  head [ unmarked ... unmarked | marked ... marked ] tail
 *                  alloc_pages() takes from the head  alloc_zeroed_runs()
 *                                                     from the tail
 *
 * Marked blocks go to the tail, ordinary ones to the head, and a block
 * loses its mark only by leaving the list, so every list is unmarked
 * blocks then marked ones: ordinary allocations use unmarked memory first,
 * and the search for marked blocks walks from the tail and stops at the
 * first unmarked block.  zone->zeroed_pages counts the marked pages.
 */
void free_pages_zeroed(unsigned long start, unsigned long end, bool online)
{
	struct zone *z;

	if (start >= end)
		return;
	z = &zones[page_zone_id(pfn_to_page(start))];
	for (unsigned long pfn = start; !online && pfn < end; pfn++) {
		struct page *p = pfn_to_page(pfn);

		KASSERT(p->refcount == 1 && !(p->flags & ((1UL << PG_buddy) | (1UL << PG_reserved))),
			"pfn %#lx is not an allocated page (refcount %d)", pfn, p->refcount);
		p->refcount = 0;
	}
	page_poison_fill(start, end - start);
	zone_lock(z);
	buddy_free_blocks_locked(z, start, end, !page_poison_enabled);
	if (online)
		z->managed_pages += end - start;
	zone_unlock(z);
}

/* The marked blocks of free_area[o] (walked from the tail) outside
 * [avoid_start, avoid_end) and ISOLATED sections, taken into runs[*nr..max)
 * until *want pages: a block larger than *want is split, its upper halves
 * stay free and marked.  Zone lock held. */
static void buddy_take_zeroed_locked(struct zone *z, unsigned int o, unsigned long *want,
				     unsigned long avoid_start, unsigned long avoid_end,
				     struct pfn_run *runs, unsigned long *nr, unsigned long max)
{
	struct list_head *fl = &z->free_area[o].free_list, *e, *prev;

	for (e = fl->prev; e != fl && *want && *nr < max; e = prev) {
		struct page *p = list_entry(e, struct page, lru);
		unsigned long pfn = page_to_pfn(p);
		unsigned int k = o;

		prev = e->prev;
		if (!page_test_flag(p, PG_zeroed))
			break;                            /* the marked blocks are the tail */
		if ((pfn + (1UL << o) > avoid_start && pfn < avoid_end) || pfn_section_isolated(pfn))
			continue;
		while ((1UL << k) > *want)
			k--;
		buddy_del_locked(z, p, o);
		buddy_expand_locked(z, p, k, o, true);
		runs[(*nr)++] = (struct pfn_run){ pfn, 1UL << k };
		*want -= 1UL << k;
	}
}

/* One group of want pages of marked blocks into runs[*nr..max): blocks that
 * fit, largest first, from the orders want fits (the tails of those lists:
 * usually the 1 + 2 + 4 frames one optimize freed together), else a larger
 * marked block split.  Returns the pages taken.  Zone lock held. */
static unsigned long buddy_take_zeroed_group_locked(struct zone *z, unsigned long want,
						    unsigned long avoid_start, unsigned long avoid_end,
						    struct pfn_run *runs, unsigned long *nr, unsigned long max)
{
	unsigned long left = want, before;

	do {
		unsigned int top = 63 - (unsigned int)__builtin_clzl(left);

		before = left;
		for (int o = (int)MIN(top, (unsigned int)MAX_ORDER); o >= 0 && left && *nr < max; o--)
			buddy_take_zeroed_locked(z, (unsigned int)o, &left, avoid_start, avoid_end, runs, nr, max);
		for (unsigned int o = top + 1; o <= MAX_ORDER && left == before && *nr < max; o++)
			buddy_take_zeroed_locked(z, o, &left, avoid_start, avoid_end, runs, nr, max);
	} while (left && left != before && *nr < max);
	return want - left;
}

long alloc_zeroed_runs(enum zone_type zt, unsigned long want, unsigned long unit,
		       unsigned long avoid_start, unsigned long avoid_end, struct pfn_run *runs,
		       unsigned long max)
{
	struct zone *z;
	unsigned long nr = 0;

	if (zt >= NR_ZONES || !__atomic_load_n(&zones[zt].zeroed_pages, __ATOMIC_RELAXED))
		return 0;
	if (should_fail_alloc_page(0))              /* mm/fail_page_alloc.c */
		return -ENOMEM;
	z = &zones[zt];
	zone_lock(z);
	while (want && nr < max) {
		unsigned long g = MIN(MAX(unit, 1UL), want);

		if (buddy_take_zeroed_group_locked(z, g, avoid_start, avoid_end, runs, &nr, max) < g)
			break;
		want -= g;
	}
	zone_unlock(z);
	for (unsigned long r = 0; r < nr; r++)
		for (unsigned long pfn = runs[r].pfn; pfn < runs[r].pfn + runs[r].n; pfn++) {
			pfn_to_page(pfn)->refcount = 1;
			pfn_to_page(pfn)->order = 0;
		}
	return (long)nr;
}

unsigned long free_huge_range_nomemmap(unsigned long start_pfn, unsigned long end_pfn)
{
	struct page *head = pfn_to_page(start_pfn);
	struct zone *z;

	if (start_pfn >= end_pfn || !pfn_valid(start_pfn) || head->refcount != 1 ||
	    (head->flags & ((1UL << PG_buddy) | (1UL << PG_reserved) | (1UL << PG_head) | (1UL << PG_memmap))))
		panic("bad free: pfn %#lx-%#lx (refcount %d, flags %#llx)", start_pfn, end_pfn,
		      head->refcount, (unsigned long long)head->flags);
	head->refcount = 0;
	z = &zones[page_zone_id(head)];
	page_poison_fill(start_pfn, end_pfn - start_pfn);
	zone_lock(z);
	buddy_free_blocks_locked(z, start_pfn, end_pfn, false);
	zone_unlock(z);
	return end_pfn - start_pfn;
}

bool buddy_find_block(unsigned long pfn, unsigned long *head, unsigned int *order)
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		unsigned long h = ALIGN_DOWN(pfn, 1UL << o);
		const struct page *p;

		if (!pfn_valid(h))
			return false;
		p = pfn_to_page(h);
		if (page_test_flag(p, PG_buddy) && p->order >= o) {
			*head = h;
			*order = p->order;
			return true;
		}
	}
	return false;
}

unsigned long nr_free_pages_locked(void)
{
	unsigned long n = 0;
	for (int z = 0; z < NR_ZONES; z++)
		n += zones[z].free_pages;
	return n;
}

unsigned long nr_free_pages(void)
{
	pcp_drain_all();
	return nr_free_pages_locked();
}

unsigned long totalram_pages(void)
{
	unsigned long n = 0;
	for (int z = 0; z < NR_ZONES; z++)
		n += zones[z].managed_pages;
	return n;
}

/* /proc/buddyinfo: free blocks per order, one line per populated zone. */
static int buddyinfo_show(struct seq *s, void *priv)
{
	pcp_drain_all();                  /* the accounting rule, mm/pcp.c */
	for (int zi = 0; zi < NR_ZONES; zi++) {
		const struct zone *z = &zones[zi];

		if (!z->present_pages)
			continue;
		seq_printf(s, "Node 0, zone %8s ", z->name);
		for (int o = 0; o < NR_ORDERS; o++)
			seq_printf(s, "%6lu ", z->free_area[o].nr_free);
		seq_printf(s, "\n");
	}
	return 0;
}
PSEUDO_FILE("/proc/buddyinfo", buddyinfo_show, NULL);

/* Test helper: snapshot of every zone's free block counts. */
struct buddy_snapshot { unsigned long nr_free[NR_ZONES][NR_ORDERS]; };
static void buddy_snapshot(struct buddy_snapshot *s)
{
	pcp_drain_all();
	for (int z = 0; z < NR_ZONES; z++)
		for (int o = 0; o < NR_ORDERS; o++)
			s->nr_free[z][o] = zones[z].free_area[o].nr_free;
}

/* Splitting for small orders and merging them back on free restores
 * /proc/buddyinfo exactly, whatever the order of the frees. */
SELFTEST(buddy_split_merge)
{
	struct buddy_snapshot before, after;
	struct page *p[MAX_ORDER + 1];
	unsigned long free0 = nr_free_pages();

	buddy_snapshot(&before);
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		p[o] = alloc_pages(o, ZONE_NORMAL);
		EXPECT(p[o] && p[o]->refcount == 1 && p[o]->order == o);
		EXPECT(p[o] && IS_ALIGNED(page_to_pfn(p[o]), 1UL << o));
	}
	EXPECT(nr_free_pages() == free0 - ((1UL << (MAX_ORDER + 1)) - 1));
	for (int o = 0; o <= MAX_ORDER; o += 2)           /* even orders first */
		if (p[o])
			free_pages(p[o], o);
	for (int o = 1; o <= MAX_ORDER; o += 2)
		if (p[o])
			free_pages(p[o], o);
	buddy_snapshot(&after);
	EXPECT(nr_free_pages() == free0);
	EXPECT(memcmp(&before, &after, sizeof(before)) == 0);
}

/* split_page() makes order-0 pages that free one by one and merge back. */
SELFTEST(buddy_split_page)
{
	struct buddy_snapshot before, after;
	unsigned long free0 = nr_free_pages();
	struct page *p;

	buddy_snapshot(&before);
	p = alloc_pages(3, ZONE_NORMAL);
	EXPECT(p != NULL);
	if (!p)
		return;
	split_page(p, 3);
	for (int i = 7; i >= 0; i--) {
		EXPECT(p[i].refcount == 1 && p[i].order == 0);
		free_pages(&p[i], 0);
	}
	buddy_snapshot(&after);
	EXPECT(nr_free_pages() == free0);
	EXPECT(memcmp(&before, &after, sizeof(before)) == 0);
}

/* A freed block is found free; a movable request falls back to Normal
 * while ZONE_MOVABLE is empty. */
SELFTEST(buddy_alloc_free)
{
	unsigned long free0 = nr_free_pages(), head;
	unsigned int order;
	struct page *p = alloc_pages(2, zones[ZONE_MOVABLE].free_pages ? ZONE_MOVABLE : ZONE_NORMAL);
	struct page *m;

	EXPECT(p && nr_free_pages() == free0 - 4);
	if (!p)
		return;
	EXPECT(!buddy_find_block(page_to_pfn(p), &head, &order));
	free_pages(p, 2);
	EXPECT(nr_free_pages() == free0);
	EXPECT(buddy_find_block(page_to_pfn(p) + 1, &head, &order) && order >= 2);
	m = alloc_pages(0, ZONE_MOVABLE);
	EXPECT(m != NULL);
	if (m)
		free_pages(m, 0);
	EXPECT(alloc_pages(MAX_ORDER + 1, ZONE_NORMAL) == NULL);
	EXPECT(nr_free_pages() == free0);
}
