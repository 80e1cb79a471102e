/* Per-CPU order-0 page lists (mm/pcp.c has the theory and the accounting
 * rule).  The buddy allocator's order-0 paths call pcp_alloc()/pcp_free()
 * first; whoever needs every free page in the buddy lists (offline,
 * alloc_contig_range, a report) calls pcp_drain_all(). */
#ifndef MM_PCP_H
#define MM_PCP_H
#include <pagoda/types.h>
#include <pagoda/list.h>
#include <pagoda/spinlock.h>
#include <pagoda/smp.h>
#include "mm/page.h"

#define PCP_BATCH 31          /* pages moved per refill / per drain step */
#define PCP_HIGH  (4 * PCP_BATCH) /* a free above this drains PCP_BATCH pages */

struct per_cpu_pages {
	spinlock_t lock;              /* LOCK_ORDER_PCP + cpu; the owner only trylocks */
	struct list_head list;        /* PG_pcp pages, hottest first */
	unsigned long count;          /* pages on list */
};
extern struct per_cpu_pages pcp_lists[NR_CPUS][NR_ZONES];

/* Sections ISOLATED right now (offline in progress), kept by the offline
 * path under the zone lock: while it is 0 the list paths skip the section
 * lookup.  See "ISOLATED sections" in mm/pcp.c. */
extern unsigned long pcp_isolated_sections;
void pcp_isolate_count(long delta);

/* Are the lists in use (more than one CPU online)?  See the theory. */
extern bool pcp_on;
bool pcp_turn_on(void);
static inline bool pcp_active(void) { return pcp_on || (nr_cpu_ids > 1 && pcp_turn_on()); }
/* An order-0 page of zone zt (no fallback) from this CPU's list, refilled
 * from the buddy allocator when empty; never from an ISOLATED section.
 * The page comes back plain (refcount 0, PG_pcp clear), or NULL. */
struct page *pcp_alloc(enum zone_type zt);
/* Take a checked, poisoned order-0 page (refcount 0) onto this CPU's list
 * (lists active): true, or false if the caller must free it to the buddy
 * allocator itself (the list is busy, or its section is ISOLATED). */
bool pcp_free(struct page *page);
/* Give every page of cpu's list of zone zt / of every list back to the
 * buddy allocator.  No zone or pcp lock held by the caller. */
void pcp_drain(unsigned int cpu, enum zone_type zt);
void pcp_drain_all(void);
/* Pages on all per-CPU lists now (vmstat nr_free_pcp). */
unsigned long nr_free_pcp(void);
/* Hold every list still (vm_check, after the zone locks): all pcp locks
 * in CPU order. */
void pcp_lock_all(void);
void pcp_unlock_all(void);
/* vm_check "pcp lists" (every zone and pcp lock held): see mm/pcp.c. */
struct vm_check;
bool pcp_vm_check(struct vm_check *c);
#endif
