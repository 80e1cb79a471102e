/* Onlining and offlining memory blocks (one section each).
 *
 *   block pfn   0 .. altmap-1          altmap .. 32767
 *   offline     [self-hosted, reserved][ PG_offline: not in any zone      ]
 *   online      [self-hosted, reserved][ buddy blocks of zone Normal or   ]
 *                                       [ Movable, largest aligned first  ]
 *
 * Online: the pages after the altmap go to the zone's free lists as the
 * largest aligned blocks; managed_pages (MemTotal) and MemFree grow by
 * exactly that many, the zone's present_pages by the section's.
 *
 * Offline: free huge pages in the block are dissolved (mm/hugetlb.c), then
 * the section is ISOLATED - alloc_pages() hands nothing out from it - and
 * every page after the altmap must be inside a free block.  If one is not,
 * the isolation is undone and -EBUSY names the first busy pfn; else the
 * free blocks leave the lists and the counters drop by what online added.
 *
 * Zones (Linux's valid_zones): an offline block may go to Normal or to
 * Movable; the default (listed first) is Movable when only the Movable
 * zone's span touches the block, else Normal.  Movable memory takes no
 * unmovable kernel allocation (mm_alloc_meta_page asks Normal), so it can
 * be offlined again once its users free it.
 *
 * Concurrency: the callers hold mem_hotplug_begin() (the public entry
 * points below take it).  Offline isolates the section under the zone
 * lock, drops it, drains every per-CPU list (mm/pcp.c: after that no list
 * holds or hands out a page of the block), then checks and takes the free
 * blocks under the zone lock again.  Other CPUs keep allocating meanwhile:
 * the buddy skips ISOLATED sections and the per-CPU lists refuse their
 * pages, so nothing is handed out from the block.
 * Lock order: hotplug -> hugetlb (dissolve) -> zone -> pcp. */
#include <pagoda/kernel.h>
#include <pagoda/cmdline.h>
#include "mm/memory_hotplug.h"
#include "mm/hotplug_internal.h"
#include "mm/buddy.h"
#include "mm/hugetlb.h"
#include "mm/page_poison.h"
#include "mm/vm_check.h"
#include "mm/pcp.h"

enum mhp_online_type memhp_default_online_type = MMOP_ONLINE;

unsigned long memhp_block_first_usable_pfn(unsigned long nr)
{
	const struct mem_section *ms = sparse_section(nr);

	return section_nr_to_pfn(nr) + (ms ? ms->nr_altmap_pages : 0);
}

/* The struct pages of [start, end) written once each, in one pass, as the
 * offline state: a plain page of zone Normal with PG_offline set and every
 * other field 0.  Add and offline both leave the usable pages so; online
 * relies on it (it writes only the flags word). */
static void mhp_init_offline_pages(unsigned long start, unsigned long end)
{
	const struct page offline = { .flags = (1UL << PG_offline) | ((u64)ZONE_NORMAL << ZONE_SHIFT) };
	struct page *p = pfn_to_page(start);

	for (unsigned long i = 0; i < end - start; i++)
		p[i] = offline;
}

/* Online [start, end) of a block the add or the offline left in the
 * offline state: the only word that differs from a plain page of zone zt
 * is flags (PG_offline goes, the zone bits come), so that is all this
 * writes - the struct pages are initialised once per add+online. */
static void mhp_online_pages(unsigned long start, unsigned long end, enum zone_type zt)
{
	const u64 flags = (u64)zt << ZONE_SHIFT;
	struct page *p = pfn_to_page(start);

	for (unsigned long i = 0; i < end - start; i++)
		p[i].flags = flags;
}

void mhp_init_block_pages(unsigned long nr)
{
	unsigned long start = section_nr_to_pfn(nr), usable = memhp_block_first_usable_pfn(nr);

	for (unsigned long pfn = start; pfn < usable; pfn++) {
		struct page *p = pfn_to_page(pfn);

		memset(p, 0, sizeof(*p));
		page_set_flag(p, PG_vmemmap_self_hosted);
		page_set_flag(p, PG_reserved);
		if (pfn - start >= VMEMMAP_PAGES_PER_SECTION)
			page_set_flag(p, PG_pgtable);
		p->refcount = 1;
	}
	mhp_init_offline_pages(usable, start + PAGES_PER_SECTION);
}

/* [start, end) of zone zt's span: its online sections; false if none. */
static bool mhp_zone_span(enum zone_type zt, unsigned long *start, unsigned long *end)
{
	unsigned long nr;
	struct mem_section *ms;
	bool any = false;

	for_each_present_section(nr, ms) {
		if (!(ms->state & SECTION_ONLINE) || ms->zone != (u32)zt)
			continue;
		if (!any)
			*start = nr;
		*end = nr + 1;
		any = true;
	}
	return any;
}

/* Does zone zt's span include or touch block nr? */
static bool mhp_zone_touches(enum zone_type zt, unsigned long nr)
{
	unsigned long s, e;

	return mhp_zone_span(zt, &s, &e) && nr + 1 >= s && nr <= e;
}

/* The zone MMOP_ONLINE picks for offline block nr (Linux's default_zone_for_pfn). */
static enum zone_type mhp_default_zone(unsigned long nr)
{
	bool kernel = mhp_zone_touches(ZONE_NORMAL, nr), movable = mhp_zone_touches(ZONE_MOVABLE, nr);

	return movable && !kernel ? ZONE_MOVABLE : ZONE_NORMAL;
}

unsigned int memhp_valid_zones(unsigned long nr)
{
	const struct mem_section *ms = sparse_section(nr);

	if (!ms || !(ms->state & SECTION_PRESENT))
		return 0;
	if (ms->state & SECTION_ONLINE)
		return 1u << ms->zone;
	return (1u << ZONE_NORMAL) | (1u << ZONE_MOVABLE);
}

/* The zone for an online request of type t on offline block nr. */
enum zone_type memhp_zone_for(unsigned long nr, enum mhp_online_type t)
{
	if (t == MMOP_ONLINE_KERNEL)
		return ZONE_NORMAL;
	if (t == MMOP_ONLINE_MOVABLE)
		return ZONE_MOVABLE;
	return mhp_default_zone(nr);
}

int online_memory_block_locked(unsigned long nr, enum mhp_online_type t)
{
	struct mem_section *ms = sparse_section(nr);
	unsigned long usable = memhp_block_first_usable_pfn(nr), end = section_nr_to_pfn(nr + 1);
	enum zone_type zt;

	if (t == MMOP_OFFLINE || !ms || (ms->state & (SECTION_PRESENT | SECTION_MEMMAP | SECTION_ONLINE)) !=
	    (SECTION_PRESENT | SECTION_MEMMAP))
		return -EINVAL;
	zt = memhp_zone_for(nr, t);
	mhp_online_pages(usable, end, zt);
	ms->zone = zt;
	ms->state |= SECTION_ONLINE;
	zone_lock(&zones[zt]);
	zones[zt].present_pages += ms->nr_present_pages;
	zone_unlock(&zones[zt]);
	buddy_online_range(usable, end, zt);
	return 0;
}

int online_memory_block(unsigned long nr, enum mhp_online_type t)
{
	int rc;

	mem_hotplug_begin();
	rc = online_memory_block_locked(nr, t);
	mem_hotplug_end();
	return rc;
}

/* The first pfn of [start, end) not inside a free block that lies within
 * [start, end), or end.  (A free block reaching below start would hold a
 * frame of the altmap that HVO gave to the buddy allocator: busy too.) */
static unsigned long mhp_first_busy(unsigned long start, unsigned long end)
{
	unsigned long pfn = start, head;
	unsigned int order;

	while (pfn < end) {
		if (!buddy_find_block(pfn, &head, &order) || head < start)
			return pfn;
		pfn = head + (1UL << order);
	}
	return end;
}

/* The first pfn of [start, end) inside an in-use huge page (what makes
 * dissolve_free_huge_pages() refuse), or end.  Steps by the smallest huge
 * page: hugetlb_page_head() finds a larger one from any of its pfns. */
static unsigned long mhp_first_busy_huge(unsigned long start, unsigned long end)
{
	const unsigned long step = 1UL << hstates[0].order;

	for (unsigned long pfn = start; pfn < end; pfn = ALIGN_DOWN(pfn, step) + step) {
		const struct page *head = hugetlb_page_head(pfn);

		if (head && head->refcount)
			return pfn;
	}
	return end;
}

/* Take every free block of [start, end) off zone z's lists.  Zone lock held. */
static void mhp_take_free_blocks_locked(struct zone *z, unsigned long start, unsigned long end)
{
	unsigned long pfn = start, head;
	unsigned int order;

	while (pfn < end) {
		if (!buddy_find_block(pfn, &head, &order) || head < start)
			panic("pfn %#lx of an isolated block left the free lists", pfn);
		buddy_del_locked(z, pfn_to_page(head), order);
		pfn = head + (1UL << order);
	}
}

int offline_memory_block_locked(unsigned long nr, unsigned long *busy_pfn)
{
	struct mem_section *ms = sparse_section(nr);
	unsigned long usable = memhp_block_first_usable_pfn(nr), end = section_nr_to_pfn(nr + 1), busy;
	struct zone *z;

	if (!ms || !(ms->state & SECTION_ONLINE))
		return -EINVAL;
	if (dissolve_free_huge_pages(usable, end)) {
		*busy_pfn = mhp_first_busy_huge(usable, end);
		return -EBUSY;
	}
	z = &zones[ms->zone];
	zone_lock(z);
	pcp_isolate_count(1);            /* first: whoever sees ISOLATED sees the count */
	ms->state |= SECTION_ISOLATED;
	zone_unlock(z);
	pcp_drain_all();                 /* after the isolation: see the theory */
	zone_lock(z);
	busy = mhp_first_busy(usable, end);
	if (busy < end) {
		ms->state &= ~SECTION_ISOLATED;
		pcp_isolate_count(-1);
		buddy_remerge_range_locked(z, usable, end);    /* frees while isolated did not merge */
		zone_unlock(z);
		*busy_pfn = busy;
		return -EBUSY;
	}
	mhp_take_free_blocks_locked(z, usable, end);
	z->managed_pages -= end - usable;
	z->present_pages -= ms->nr_present_pages;
	ms->state &= ~(SECTION_ONLINE | SECTION_ISOLATED);
	pcp_isolate_count(-1);
	zone_unlock(z);
	mhp_init_offline_pages(usable, end);
	return 0;
}

int offline_memory_block(unsigned long nr, unsigned long *busy_pfn)
{
	int rc;

	mem_hotplug_begin();
	rc = offline_memory_block_locked(nr, busy_pfn);
	mem_hotplug_end();
	return rc;
}

const char *memhp_pfn_owner(unsigned long pfn)
{
	struct page *p = pfn_to_page(pfn), *head = compound_head(p);

	if (page_test_flag(head, PG_hugetlb))
		return "in-use huge page";
	if (page_test_flag(p, PG_memmap))
		return "memmap page";
	if (page_test_flag(p, PG_pgtable))
		return "page table";
	if (page_test_flag(p, PG_reserved))
		return "reserved page";
	if (page_test_flag(p, PG_vmemmap_self_hosted))
		return "self-hosted memmap";
	return "allocated page";
}

/* memhp_default_state=offline|online|online_kernel|online_movable */
static int mhp_param_default_state(const char *val)
{
	int t = memhp_online_type_parse(val);

	if (t < 0) {
		printk("memhp_default_state=%s: expected offline, online, online_kernel or "
		       "online_movable, ignored\n", val ? val : "");
		return -EINVAL;
	}
	memhp_default_online_type = (enum mhp_online_type)t;
	return 0;
}
KERNEL_PARAM("memhp_default_state", mhp_param_default_state);

static const char *const mhp_online_type_names[] = {
	[MMOP_OFFLINE] = "offline",
	[MMOP_ONLINE] = "online",
	[MMOP_ONLINE_KERNEL] = "online_kernel",
	[MMOP_ONLINE_MOVABLE] = "online_movable",
};

int memhp_online_type_parse(const char *s)
{
	for (unsigned int i = 0; s && i < ARRAY_SIZE(mhp_online_type_names); i++)
		if (!strcmp(s, mhp_online_type_names[i]))
			return (int)i;
	return -EINVAL;
}

const char *memhp_online_type_name(enum mhp_online_type t)
{
	return mhp_online_type_names[t];
}

/* vm_check "memory blocks" (runs with the zone locks held, outside any
 * hotplug operation): a self-hosted section is
 * hot-added with 512 frames + at most MHP_MAX_ALTMAP_TABLES tables; the
 * usable pages of an offline block are PG_offline and unused, those of an
 * online one are not PG_offline; each zone's present_pages is the sum over
 * its online sections. */
static bool mhp_check_block(struct vm_check *c, unsigned long nr, const struct mem_section *ms)
{
	unsigned long usable = memhp_block_first_usable_pfn(nr), end = section_nr_to_pfn(nr + 1);
	bool online = ms->state & SECTION_ONLINE;

	if ((ms->state & SECTION_SELF_HOSTED) &&
	    ((ms->state & SECTION_EARLY) || ms->nr_altmap_pages < VMEMMAP_PAGES_PER_SECTION ||
	     ms->nr_altmap_pages > VMEMMAP_PAGES_PER_SECTION + MHP_MAX_ALTMAP_TABLES))
		return vm_check_fail(c, "memory%lu: self-hosted with %u altmap pages (state %#x)", nr,
				     ms->nr_altmap_pages, ms->state);
	if (!(ms->state & SECTION_MEMMAP))
		return true;
	for (unsigned long pfn = usable; pfn < end; pfn++) {
		const struct page *p = pfn_to_page(pfn);

		if (!online && (!page_test_flag(p, PG_offline) || p->refcount))
			return vm_check_fail(c, "memory%lu is offline but pfn %#lx is in use (flags %#llx, "
					     "refcount %d)", nr, pfn, (unsigned long long)p->flags, p->refcount);
		if (online && page_test_flag(p, PG_offline))
			return vm_check_fail(c, "memory%lu is online but pfn %#lx is PG_offline", nr, pfn);
	}
	return true;
}

bool memhp_vm_check(struct vm_check *c)
{
	unsigned long present[NR_ZONES] = { 0 }, nr;
	struct mem_section *ms;

	for_each_present_section(nr, ms) {
		if (!mhp_check_block(c, nr, ms))
			return false;
		if (ms->state & SECTION_ONLINE)
			present[ms->zone] += ms->nr_present_pages;
	}
	for (int z = 0; z < NR_ZONES; z++)
		if (present[z] != zones[z].present_pages)
			return vm_check_fail(c, "zone %s: present_pages %lu, its online sections hold %lu",
					     zones[z].name, zones[z].present_pages, present[z]);
	return true;
}
