/* Per-CPU order-0 page lists, as Linux's pcp lists: an order-0 allocation
 * or free touches only this CPU's list and lock; the zone lock is taken
 * once per PCP_BATCH pages, to refill or to drain.
 *
 *   CPU 0 pcp[Normal]  [p]<->[p]<->[p]   count 3    lock "pcp0" (PCP + 0)
 *   CPU 1 pcp[Normal]  [p]<->[p]         count 2    lock "pcp1" (PCP + 1)
 *          alloc: pop head --- empty? --> zone lock: PCP_BATCH order-0
 *                                          pages off the free lists, then
 *                                          pcp lock: one to the caller,
 *                                          the rest on the list
 *          free:  push head --- count > PCP_HIGH? --> pcp lock: PCP_BATCH
 *                                          from the tail (coldest) off the
 *                                          list, then zone lock: freed
 *
 * Locks never nest here: a refill takes the zone lock, drops it, then the
 * pcp lock; a drain takes the pcp lock, detaches, drops it, then the zone
 * lock.  Any CPU may drain any list (offline, alloc_contig_range, reports),
 * so no IPI is needed.  pcp_lock_all() (vm_check) takes them all after the
 * zone locks: rank LOCK_ORDER_PCP + cpu, in CPU order.
 *
 * As Linux's pcp_spin_trylock(): the owner's alloc and free only TRY the
 * list's lock, with interrupts left on.  If it is held - by a remote drain,
 * or by the code an interrupt handler interrupted on this very CPU - the
 * page goes to or comes from the zone instead (zone lock, irqsave), so no
 * context ever spins on a pcp lock its own CPU holds, and the fast path is
 * one compare-and-swap and one store: no interrupt save/restore.  Drains
 * (thread context only) take the lock and wait.
 *
 * A page on a list: PG_pcp, refcount 0, order 0, poisoned like any free
 * page, not PG_buddy (so the buddy free path never merges with it, and
 * buddy_find_block() calls it busy: drain before looking for free ranges).
 *
 * Accounting rule.  List pages are NOT in zone->free_pages, the free lists
 * nor /proc/buddyinfo; /proc/vmstat `nr_free_pcp` counts them.
 * nr_free_pages() drains every list first, and so do /proc/meminfo,
 * /proc/buddyinfo and /proc/vmstat before they print: whenever nothing runs
 * concurrently, every count is exactly what it was without the lists.
 * vm_check does not drain: it checks the lists in place (every PG_pcp page
 * on exactly one list of its zone, counts right) and the buddy counts
 * without them.
 *
 * The lists are used only while more than one CPU is online: with one CPU
 * there is no lock contention to save, and every single-CPU state (counts,
 * buddyinfo, which page an allocation returns) stays what it was.
 *
 * ISOLATED sections (offline in progress): a free of such a page bypasses
 * the list; a pop that meets one gives it back to the buddy allocator
 * instead of handing it out.  Both read the section state under the pcp
 * lock.  Offline sets ISOLATED under the zone lock, then drains every list
 * (taking each pcp lock), so a CPU that takes its pcp lock after that drain
 * sees ISOLATED: after the drain nothing of the block is on a list, goes
 * onto one, or is handed out from one. */
#include <pagoda/kernel.h>
#include "mm/pcp.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/vm_check.h"

struct per_cpu_pages pcp_lists[NR_CPUS][NR_ZONES];
bool pcp_on;
static bool pcp_ready;
unsigned long pcp_isolated_sections;

/* Offline raises the count before it sets SECTION_ISOLATED (full fence
 * between), so a CPU that has seen the state also sees the count; pages
 * popped before that are found busy by offline's check after its drain. */
void pcp_isolate_count(long delta)
{
	__atomic_fetch_add(&pcp_isolated_sections, (unsigned long)delta, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Is pfn's section ISOLATED?  The pcp lock is held: its acquire orders this
 * after an offline's drain of the list, which came after the isolation. */
static inline bool pcp_pfn_isolated(unsigned long pfn)
{
	return __atomic_load_n(&pcp_isolated_sections, __ATOMIC_RELAXED) && pfn_section_isolated(pfn);
}

/* Name and rank every list's lock (once). */
static void pcp_init(void)
{
	static const char *const names[NR_CPUS] = { "pcp0", "pcp1", "pcp2", "pcp3",
						    "pcp4", "pcp5", "pcp6", "pcp7" };

	for (unsigned int c = 0; c < NR_CPUS; c++)
		for (int z = 0; z < NR_ZONES; z++) {
			spin_lock_init(&pcp_lists[c][z].lock, names[c], LOCK_ORDER_PCP + c);
			list_init(&pcp_lists[c][z].list);
		}
	pcp_ready = true;
}

/* The slow half of pcp_active(): once on, on for good (CPUs never go
 * offline). */
bool pcp_turn_on(void)
{
	if (nr_cpu_ids < 2 || num_online_cpus() < 2)
		return false;
	if (!pcp_ready)
		pcp_init();
	pcp_on = true;
	return true;
}

/* Detach up to n pages from the tail of pcp onto out; pcp lock held. */
static unsigned long pcp_detach_locked(struct per_cpu_pages *pcp, struct list_head *out,
				       unsigned long n)
{
	unsigned long got = 0;

	while (got < n && !list_empty(&pcp->list)) {
		struct page *p = list_entry(pcp->list.prev, struct page, lru);

		list_del(&p->lru);
		list_add(&p->lru, out);
		pcp->count--;
		got++;
	}
	return got;
}

/* Free every page on list (detached list pages, all of zone zt) to the buddy. */
static void pcp_free_to_buddy(struct list_head *list, enum zone_type zt)
{
	struct zone *z = &zones[zt];

	if (list_empty(list))
		return;
	zone_lock(z);
	while (!list_empty(list)) {
		struct page *p = list_first_entry(list, struct page, lru);

		list_del(&p->lru);
		p->lru.next = p->lru.prev = NULL;
		page_clear_flag(p, PG_pcp);
		buddy_free_one_locked(z, page_to_pfn(p), 0);
	}
	zone_unlock(z);
}

/* Pop the first page outside ISOLATED sections; isolated ones go to rejects.
 * pcp lock held. */
static struct page *pcp_pop_locked(struct per_cpu_pages *pcp, struct list_head *rejects)
{
	while (!list_empty(&pcp->list)) {
		struct page *p = list_first_entry(&pcp->list, struct page, lru);

		list_del(&p->lru);
		pcp->count--;
		if (pcp_pfn_isolated(page_to_pfn(p))) {
			list_add(&p->lru, rejects);
			continue;
		}
		p->lru.next = p->lru.prev = NULL;
		page_clear_flag(p, PG_pcp);
		return p;
	}
	return NULL;
}

/* Refill pcp from zone zt's free lists: one page for the caller (or NULL
 * when the zone has none outside ISOLATED sections), up to PCP_BATCH - 1
 * more onto the list. */
static struct page *pcp_refill(struct per_cpu_pages *pcp, enum zone_type zt)
{
	struct zone *z = &zones[zt];
	struct list_head got;
	struct page *first;
	unsigned long n = 0;

	list_init(&got);
	zone_lock(z);
	first = buddy_alloc_locked(z, 0);
	while (first && n < PCP_BATCH - 1) {
		struct page *p = buddy_alloc_locked(z, 0);

		if (!p)
			break;
		page_set_flag(p, PG_pcp);
		list_add_tail(&p->lru, &got);
		n++;
	}
	zone_unlock(z);
	if (!n)
		return first;
	if (!spin_trylock(&pcp->lock)) {              /* a drainer has it: give them back */
		pcp_free_to_buddy(&got, zt);
		return first;
	}
	got.next->prev = pcp->list.prev;              /* splice got at the tail */
	pcp->list.prev->next = got.next;
	got.prev->next = &pcp->list;
	pcp->list.prev = got.prev;
	pcp->count += n;
	spin_unlock(&pcp->lock);
	return first;
}

/* The list was busy (trylock failed): one page straight from the zone. */
static struct page *pcp_alloc_zone(enum zone_type zt)
{
	struct zone *z = &zones[zt];
	struct page *page;

	zone_lock(z);
	page = buddy_alloc_locked(z, 0);
	zone_unlock(z);
	return page;
}

struct page *pcp_alloc(enum zone_type zt)
{
	struct per_cpu_pages *pcp = &pcp_lists[smp_processor_id()][zt];
	struct list_head rejects;
	struct page *page;

	if (!spin_trylock(&pcp->lock))
		return pcp_alloc_zone(zt);
	list_init(&rejects);
	page = pcp_pop_locked(pcp, &rejects);
	spin_unlock(&pcp->lock);
	if (!list_empty(&rejects))
		pcp_free_to_buddy(&rejects, zt);
	return page ? page : pcp_refill(pcp, zt);
}

bool pcp_free(struct page *page)
{
	struct per_cpu_pages *pcp = &pcp_lists[smp_processor_id()][page_zone_id(page)];
	struct list_head cold;

	if (!spin_trylock(&pcp->lock))
		return false;
	if (pcp_pfn_isolated(page_to_pfn(page))) {       /* under the lock: see offline */
		spin_unlock(&pcp->lock);
		return false;
	}
	page->order = 0;
	page_set_flag(page, PG_pcp);
	list_add(&page->lru, &pcp->list);
	if (++pcp->count <= PCP_HIGH) {
		spin_unlock(&pcp->lock);
		return true;
	}
	list_init(&cold);
	pcp_detach_locked(pcp, &cold, PCP_BATCH);
	spin_unlock(&pcp->lock);
	pcp_free_to_buddy(&cold, page_zone_id(page));
	return true;
}

void pcp_drain(unsigned int cpu, enum zone_type zt)
{
	struct per_cpu_pages *pcp = &pcp_lists[cpu][zt];
	struct list_head all;

	if (!pcp_ready)
		return;
	list_init(&all);
	spin_lock(&pcp->lock);
	pcp_detach_locked(pcp, &all, pcp->count);
	spin_unlock(&pcp->lock);
	pcp_free_to_buddy(&all, zt);
}

void pcp_drain_all(void)
{
	if (!pcp_ready)
		return;
	for (unsigned int c = 0; c < NR_CPUS; c++)
		for (int z = 0; z < NR_ZONES; z++)
			pcp_drain(c, (enum zone_type)z);
}

unsigned long nr_free_pcp(void)
{
	unsigned long n = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++)
		for (int z = 0; z < NR_ZONES; z++)
			n += __atomic_load_n(&pcp_lists[c][z].count, __ATOMIC_RELAXED);
	return n;
}

void pcp_lock_all(void)
{
	if (!pcp_ready)
		return;
	for (unsigned int c = 0; c < NR_CPUS; c++)
		for (int z = 0; z < NR_ZONES; z++)
			spin_lock(&pcp_lists[c][z].lock);
}

void pcp_unlock_all(void)
{
	if (!pcp_ready)
		return;
	for (unsigned int c = NR_CPUS; c-- > 0;)
		for (int z = NR_ZONES; z-- > 0;)
			spin_unlock(&pcp_lists[c][z].lock);
}

/* One list page: PG_pcp, free, order 0, of the list's zone, in an online
 * section with a memmap, not a frame of any other kind. */
static bool pcp_check_page(struct vm_check *c, unsigned int cpu, int zi, const struct page *p)
{
	unsigned long pfn = page_to_pfn(p);
	const struct mem_section *ms;
	const u32 online = SECTION_PRESENT | SECTION_MEMMAP | SECTION_ONLINE;

	if (pfn >= section_nr_to_pfn(sparse_max_section()) || !pfn_valid(pfn))
		return vm_check_fail(c, "cpu %u %s: entry %p is no struct page", cpu, zones[zi].name, p);
	if (!page_test_flag(p, PG_pcp) || page_test_flag(p, PG_buddy) || page_test_flag(p, PG_reserved) ||
	    page_test_flag(p, PG_memmap) || page_test_flag(p, PG_pgtable) || page_test_flag(p, PG_head) ||
	    page_test_flag(p, PG_vmemmap_self_hosted) || page_test_flag(p, PG_offline))
		return vm_check_fail(c, "cpu %u %s: pfn %#lx on the list has flags %#llx", cpu, zones[zi].name,
				     pfn, (unsigned long long)p->flags);
	if (p->refcount || p->order || page_zone_id(p) != (enum zone_type)zi)
		return vm_check_fail(c, "cpu %u %s: pfn %#lx refcount %d order %u zone %d", cpu,
				     zones[zi].name, pfn, p->refcount, p->order, page_zone_id(p));
	ms = pfn_to_section(pfn);
	if ((ms->state & online) != online || ms->zone != (u32)zi)
		return vm_check_fail(c, "cpu %u %s: pfn %#lx in section %lu state %#x zone %u", cpu,
				     zones[zi].name, pfn, pfn_to_section_nr(pfn), ms->state, ms->zone);
	return true;
}

/* Every list: sane entries, intact links, count right.  The memmap checker
 * then finds exactly nr_free_pcp() PG_pcp pages, so each is on one list. */
bool pcp_vm_check(struct vm_check *c)
{
	for (unsigned int cpu = 0; pcp_ready && cpu < NR_CPUS; cpu++)
		for (int zi = 0; zi < NR_ZONES; zi++) {
			const struct per_cpu_pages *pcp = &pcp_lists[cpu][zi];
			const struct list_head *e;
			unsigned long n = 0;

			list_for_each(e, &pcp->list) {
				if (++n > pcp->count)
					return vm_check_fail(c, "cpu %u %s: more entries than count %lu", cpu,
							     zones[zi].name, pcp->count);
				if (e->next->prev != e)
					return vm_check_fail(c, "cpu %u %s: broken link after entry %lu", cpu,
							     zones[zi].name, n);
				if (!pcp_check_page(c, cpu, zi, list_entry(e, struct page, lru)))
					return false;
			}
			if (n != pcp->count)
				return vm_check_fail(c, "cpu %u %s: %lu entries, count %lu", cpu, zones[zi].name,
						     n, pcp->count);
			if (!pcp_active() && n)
				return vm_check_fail(c, "cpu %u %s: %lu pages while the lists are off", cpu,
						     zones[zi].name, n);
		}
	return true;
}
