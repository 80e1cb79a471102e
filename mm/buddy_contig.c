/* alloc_contig_range(): take an exact pfn range out of the free lists
 * (1 GiB huge pages and memory offlining need this).
 *
 *   free blocks:   [  order 3 ][o1][o0]        [   order 4     ]
 *   range:               [start ..................... end)
 *   result:        [back ]    taken ..............     [ back  ]
 *
 * Phase 1 checks every page of the range is in a free block of the zone
 * (nothing changes if not).  Phase 2 takes those blocks off their lists
 * and frees the parts outside the range back.  Phase 3 verifies poison and
 * makes each page an allocated order-0 page.  No migration: a busy page
 * fails the request with -EBUSY.  Pages on the per-CPU lists look busy to
 * phase 1, so every list is drained first (no lock held: mm/pcp.c); phases
 * 1 and 2 then run under one hold of the zone lock. */
#include <pagoda/kernel.h>
#include <pagoda/selftest.h>
#include <pagoda/fault_inject.h>
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/page_poison.h"
#include "mm/pcp.h"

/* Is every page of [start, end) inside a free block of zone z?  Zone lock held. */
static bool contig_range_free_locked(struct zone *z, unsigned long start, unsigned long end)
{
	unsigned long pfn = start, head;
	unsigned int order;

	while (pfn < end) {
		if (!buddy_find_block(pfn, &head, &order))
			return false;
		if (&zones[page_zone_id(pfn_to_page(head))] != z)
			return false;
		pfn = head + (1UL << order);
	}
	return true;
}

/* Take every free block overlapping [start, end) and give back what lies
 * outside the range.  Zone lock held; the range was checked free. */
static void contig_take_range_locked(struct zone *z, unsigned long start, unsigned long end)
{
	unsigned long pfn = start, head;
	unsigned int order;

	while (pfn < end) {
		if (!buddy_find_block(pfn, &head, &order))
			panic("pfn %#lx left the free lists under the zone lock", pfn);
		buddy_del_locked(z, pfn_to_page(head), order);
		pfn = head + (1UL << order);
		if (head < start)
			buddy_free_range_locked(z, head, start);
		if (pfn > end)
			buddy_free_range_locked(z, end, pfn);
	}
}

/* Phases 1 and 2: take exactly [start_pfn, end_pfn) off zt's free lists,
 * the per-CPU lists drained first (their pages look busy to phase 1).
 * 0, or -EBUSY/-EINVAL with nothing changed. */
static int contig_take(unsigned long start_pfn, unsigned long end_pfn, enum zone_type zt)
{
	struct zone *z;

	if (start_pfn >= end_pfn || zt >= NR_ZONES)
		return -EINVAL;
	if (should_fail_alloc_pages(end_pfn - start_pfn))   /* mm/fail_page_alloc.c */
		return -ENOMEM;
	z = &zones[zt];
	pcp_drain_all();
	zone_lock(z);
	if (!contig_range_free_locked(z, start_pfn, end_pfn)) {
		zone_unlock(z);
		return -EBUSY;
	}
	contig_take_range_locked(z, start_pfn, end_pfn);
	zone_unlock(z);
	return 0;
}

int alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn, enum zone_type zt)
{
	int rc = contig_take(start_pfn, end_pfn, zt);

	if (rc)
		return rc;
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);
		page_poison_verify(pfn, 0);
		p->refcount = 1;
		p->order = 0;
	}
	return 0;
}

int alloc_contig_range_hugetlb(unsigned long start_pfn, unsigned long end_pfn, enum zone_type zt)
{
	int rc = contig_take(start_pfn, end_pfn, zt);

	if (rc)
		return rc;
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++)
		page_poison_verify(pfn, 0);
	pfn_to_page(start_pfn)->refcount = 1;
	return 0;
}

/* The first free block of zone z, of order >= order, that lies outside
 * [avoid_start, avoid_end) and outside ISOLATED sections (and, if early,
 * in a boot section); its head pfn in *pfn.  Zone lock held. */
static bool contig_find_outside_locked(struct zone *z, unsigned int order, unsigned long avoid_start,
				       unsigned long avoid_end, bool early, unsigned long *pfn)
{
	for (unsigned int o = order; o <= MAX_ORDER; o++) {
		struct list_head *e;

		list_for_each(e, &z->free_area[o].free_list) {
			unsigned long p = page_to_pfn(list_entry(e, struct page, lru));

			if ((p + (1UL << o) <= avoid_start || p >= avoid_end) && !pfn_section_isolated(p) &&
			    (!early || sparse_section_has(pfn_to_section_nr(p), SECTION_EARLY))) {
				*pfn = p;
				return true;
			}
		}
	}
	return false;
}

int alloc_pages_outside(unsigned int order, enum zone_type zt, unsigned long avoid_start,
			unsigned long avoid_end, unsigned long *pfn)
{
	struct zone *z;

	if (order > MAX_ORDER || zt >= NR_ZONES)
		return -EINVAL;
	if (should_fail_alloc_page(order))          /* mm/fail_page_alloc.c */
		return -ENOMEM;
	z = &zones[zt];
	for (int pass = 0;; pass++) {               /* pass 1: the per-CPU lists drained */
		zone_lock(z);
		if (contig_find_outside_locked(z, order, avoid_start, avoid_end, true, pfn) ||
		    contig_find_outside_locked(z, order, avoid_start, avoid_end, false, pfn))
			break;
		zone_unlock(z);
		if (pass || !pcp_active())
			return -ENOMEM;
		pcp_drain_all();
	}
	contig_take_range_locked(z, *pfn, *pfn + (1UL << order));
	zone_unlock(z);
	for (unsigned long i = *pfn; i < *pfn + (1UL << order); i++) {
		struct page *p = pfn_to_page(i);

		page_poison_verify(i, 0);
		p->refcount = 1;
		p->order = 0;
	}
	return 0;
}

/* Free the plain pages [start, end) (refcount 0) to their zone, poisoned. */
static void contig_give_plain(unsigned long start, unsigned long end)
{
	struct zone *z;

	if (start >= end)
		return;
	z = &zones[page_zone_id(pfn_to_page(start))];
	page_poison_fill(start, end - start);
	zone_lock(z);
	buddy_free_range_locked(z, start, end);
	zone_unlock(z);
}

unsigned long free_contig_range_hugetlb(unsigned long start_pfn, unsigned long end_pfn)
{
	struct page *head = pfn_to_page(start_pfn);
	unsigned long run = start_pfn, freed = 0;

	if (start_pfn >= end_pfn || !pfn_valid(start_pfn) || head->refcount != 1 ||
	    page_test_flag(head, PG_buddy) || page_test_flag(head, PG_reserved) ||
	    page_test_flag(head, PG_head) || page_test_flag(head, PG_memmap))
		panic("bad free: pfn %#lx-%#lx (refcount %d, flags %#llx)", start_pfn, end_pfn,
		      head->refcount, (unsigned long long)head->flags);
	head->refcount = 0;
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++) {
		const struct page *p = pfn_to_page(pfn);

		if (!page_test_flag(p, PG_memmap) && !page_test_flag(p, PG_vmemmap_self_hosted))
			continue;
		contig_give_plain(run, pfn);
		freed += pfn - run;
		run = pfn + 1;
	}
	contig_give_plain(run, end_pfn);
	return freed + (end_pfn - run);
}

/* Give back [start_pfn, end_pfn), every page an allocated order-0 page,
 * as the largest aligned blocks (each goes through the free-path checks). */
void free_contig_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn;

	while (pfn < end_pfn) {
		unsigned int order = pfn ? (unsigned int)__builtin_ctzl(pfn) : MAX_ORDER;
		struct page *head = pfn_to_page(pfn);

		order = MIN(order, (unsigned int)MAX_ORDER);
		while (pfn + (1UL << order) > end_pfn)
			order--;
		for (unsigned long i = 1; i < (1UL << order); i++) {
			KASSERT(head[i].refcount == 1 && !page_test_flag(&head[i], PG_buddy),
				"pfn %#lx is not an allocated page", pfn + i);
			head[i].refcount = 0;
		}
		head->order = order;
		free_pages(head, order);
		pfn += 1UL << order;
	}
}

/* Take an unaligned range out of a free max-order block: the rest goes
 * back, a second request fails with -EBUSY, and freeing restores all. */
SELFTEST(buddy_contig_range)
{
	struct free_area *fa = &zones[ZONE_NORMAL].free_area[MAX_ORDER];
	unsigned long free0 = nr_free_pages(), head, start, end;
	struct page *hp;

	EXPECT(!list_empty(&fa->free_list));
	if (list_empty(&fa->free_list))
		return;
	hp = list_first_entry(&fa->free_list, struct page, lru);
	head = page_to_pfn(hp);
	start = head + 3;
	end = head + 700;
	EXPECT(alloc_contig_range(start, end, ZONE_NORMAL) == 0);
	EXPECT(nr_free_pages() == free0 - (end - start));
	EXPECT(pfn_to_page(start)->refcount == 1 && pfn_to_page(end - 1)->refcount == 1);
	EXPECT(alloc_contig_range(start + 10, start + 20, ZONE_NORMAL) == -EBUSY);
	EXPECT(alloc_contig_range(head, head + 4, ZONE_NORMAL) == -EBUSY);
	EXPECT(nr_free_pages() == free0 - (end - start));
	free_contig_range(start, end);
	EXPECT(nr_free_pages() == free0);
	EXPECT(page_test_flag(hp, PG_buddy) && hp->order == MAX_ORDER);
}
