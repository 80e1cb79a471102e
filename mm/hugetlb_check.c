/* vm_check's "hugetlb pools" checker: the pools agree with the memmap.
 *
 *   hstate h:  free_list  -> [head] -> [head]     refcount 0
 *              active_list-> [head]                refcount 1
 *
 *   every listed head: a valid pfn aligned to 2^order, PG_head|PG_hugetlb,
 *     compound_order = order, its first and last tails resolve to it
 *     (through the shared tail page when optimized), neither its first nor
 *     its last frame lies in a free buddy block; links intact
 *   counts: free entries = free_huge_pages, free + active = nr_huge_pages,
 *     surplus <= active, /proc/meminfo's figures = the pools'
 *   memmap: hugetlb heads found at every 2 MiB-aligned pfn of every
 *     section with a memmap = the sum of nr_huge_pages (none leaked)
 *
 * Runs with every zone lock held (mm/vm_check.c); changes nothing. */
#include <pagoda/kernel.h>
#include "mm/hugetlb.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/vmstat.h"
#include "mm/vm_check.h"

/* One listed head of h; want_ref is 0 on the free list, 1 on the active. */
static bool hugetlb_check_head(struct vm_check *c, const struct hstate *h, const struct page *p,
			       int want_ref)
{
	unsigned long pfn = page_to_pfn(p), n = hstate_pages(h), head, o;
	unsigned int order;

	if (!pfn_valid(pfn) || pfn_to_page(pfn) != p || !IS_ALIGNED(pfn, n))
		return vm_check_fail(c, "%s: entry %#lx is not an aligned struct page", h->name,
				     (unsigned long)p);
	if (!page_test_flag(p, PG_head) || !page_test_flag(p, PG_hugetlb) || p->compound_order != h->order)
		return vm_check_fail(c, "%s: pfn %#lx is no huge page head (flags %#llx, order %u)", h->name,
				     pfn, (unsigned long long)p->flags, p->compound_order);
	if (p->refcount != want_ref)
		return vm_check_fail(c, "%s: pfn %#lx on the %s list has refcount %d", h->name, pfn,
				     want_ref ? "active" : "free", p->refcount);
	if (compound_head((struct page *)&p[1]) != p || compound_head((struct page *)&p[n - 1]) != p)
		return vm_check_fail(c, "%s: pfn %#lx: a tail does not resolve to its head", h->name, pfn);
	for (o = 0; o < 2; o++)
		if (buddy_find_block(pfn + o * (n - 1), &head, &order))
			return vm_check_fail(c, "%s: pfn %#lx of huge page %#lx is in free block %#lx order %u",
					     h->name, pfn + o * (n - 1), pfn, head, order);
	return true;
}

/* Walk list (at most limit entries); *count = entries. */
static bool hugetlb_check_list(struct vm_check *c, const struct hstate *h, const struct list_head *list,
			       int want_ref, unsigned long limit, unsigned long *count)
{
	const struct list_head *e;

	*count = 0;
	for (e = list->next; e != list; e = e->next) {
		if (++*count > limit)
			return vm_check_fail(c, "%s: more list entries than nr_huge_pages %lu", h->name,
					     h->nr_huge_pages);
		if (e->next->prev != e)
			return vm_check_fail(c, "%s: broken link after entry %lu", h->name, *count);
		if (!hugetlb_check_head(c, h, list_entry(e, struct page, lru), want_ref))
			return false;
	}
	return true;
}

static bool hugetlb_check_pool(struct vm_check *c, const struct hstate *h)
{
	unsigned long nfree, nactive;

	if (!hugetlb_check_list(c, h, &h->free_list, 0, h->nr_huge_pages, &nfree) ||
	    !hugetlb_check_list(c, h, &h->active_list, 1, h->nr_huge_pages, &nactive))
		return false;
	if (nfree != h->free_huge_pages || nfree + nactive != h->nr_huge_pages ||
	    h->surplus_huge_pages > nactive)
		return vm_check_fail(c, "%s: %lu free and %lu active listed, counters nr %lu free %lu surplus %lu",
				     h->name, nfree, nactive, h->nr_huge_pages, h->free_huge_pages,
				     h->surplus_huge_pages);
	return true;
}

/* Hugetlb heads at the smallest huge page alignment in every section with
 * a memmap: no head may exist outside the pools. */
static unsigned long hugetlb_check_count_heads(void)
{
	unsigned long nr, n = 0, step = hstate_pages(&hstates[0]);
	struct mem_section *ms;

	for_each_present_section(nr, ms) {
		if (!(ms->state & SECTION_MEMMAP))
			continue;
		for (unsigned long pfn = section_nr_to_pfn(nr); pfn < section_nr_to_pfn(nr + 1); pfn += step) {
			const struct page *p = pfn_to_page(pfn);

			n += page_test_flag(p, PG_head) && page_test_flag(p, PG_hugetlb);
		}
	}
	return n;
}

bool hugetlb_vm_check(struct vm_check *c)
{
	const struct hugetlb_meminfo *m = &hugetlb_meminfo;
	unsigned long total = 0, kb = 0, heads;

	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++) {
		const struct hstate *h = &hstates[i];

		if (!h->name[0])
			continue;                       /* pools not set up yet */
		if (!hugetlb_check_pool(c, h))
			return false;
		total += h->nr_huge_pages;
		kb += h->nr_huge_pages * hstate_kb(h);
	}
	if (hstates[0].name[0] &&
	    (m->nr_total != hstates[0].nr_huge_pages || m->nr_free != hstates[0].free_huge_pages ||
	     m->nr_surplus != hstates[0].surplus_huge_pages || m->total_kb != kb))
		return vm_check_fail(c, "meminfo HugePages_Total %lu Free %lu Surp %lu Hugetlb %lu kB "
				     "disagree with the pools", m->nr_total, m->nr_free, m->nr_surplus,
				     m->total_kb);
	heads = hugetlb_check_count_heads();
	if (heads != total)
		return vm_check_fail(c, "%lu hugetlb heads in the memmap, pools hold %lu", heads, total);
	return true;
}
