/* Fault injection for page allocations: Linux's fail_page_alloc, plus a
 * filter on the mm operation ("site") an allocation is made in.
 *
 *   alloc_pages() / alloc_pages_outside() / alloc_contig_range*() and the
 *   hot-add altmap's frames and tables each ask first:
 *
 *     should_fail_alloc_page(order)    probability 0 (the default): false at once
 *       sites:    some site on this CPU's stack listed (or `all`)?   no: false
 *       times:    0 left?                                             yes: false
 *       space:    budget (pages) left above the request? spend it,   false
 *       interval: count++ ; count % interval != 0?                    false
 *       probability: PRNG % 100 >= probability?                        false
 *       -> fail: times-- (unless -1), failures[innermost site]++, verbose line
 *
 *   sites are pushed/popped at the entry of the operations (per CPU):
 *     hot_add > vmemmap_populate > pgtable      pool_grow > hvo_optimize
 *   an allocation is "in" every site on the stack, so `hot_add` covers the
 *   vmemmap and page-table allocations a hot-add makes.
 *
 * "Fail the N-th allocation": interval N, probability 100, times 1, as in
 * Linux; writing `interval` restarts the count (Linux keeps it), so the N-th
 * eligible allocation after the write fails.  Files and the boot parameter:
 * mm/fail_page_alloc.c. */
#ifndef PAGODA_FAULT_INJECT_H
#define PAGODA_FAULT_INJECT_H
#include <pagoda/types.h>

enum fail_site {
	FAIL_SITE_VMEMMAP_POPULATE,      /* vmemmap_populate_section() */
	FAIL_SITE_PGTABLE,               /* page-table pages: pgwalk, hot-add, remove's moves */
	FAIL_SITE_HVO_OPTIMIZE,          /* hugetlb_vmemmap_optimize_folios() */
	FAIL_SITE_HVO_RESTORE,           /* hugetlb_vmemmap_restore_folios() */
	FAIL_SITE_HOT_ADD,               /* add_memory() */
	FAIL_SITE_POOL_GROW,             /* a HugeTLB pool grow batch */
	NR_FAIL_SITES
};
#define FAIL_SITES_ALL   0xffffffffu     /* no filter: every allocation (Linux) */
#define FAIL_SITE_DEPTH  8               /* nesting per CPU */

struct fault_attr {
	unsigned long probability;       /* percent, 0..100; 0 = off */
	unsigned long interval;          /* fail every interval-th eligible call (0 = 1) */
	long times;                      /* failures left; -1 = no limit */
	long space;                      /* pages that may be allocated before failing */
	unsigned long verbose;           /* 0 quiet, 1 one line, 2 + the attributes */
	u32 sites;                       /* mask of 1 << enum fail_site, or FAIL_SITES_ALL */
	u64 seed;                        /* PRNG seed (probability mode) */
	/* state */
	unsigned long count;             /* eligible calls since interval was set */
	u64 rng;                         /* xorshift64* state */
	unsigned long failures[NR_FAIL_SITES + 1];   /* per innermost site; last: none */
	unsigned long total;             /* failures injected */
};

extern struct fault_attr fail_page_alloc;

/* The decision for one request of nr pages made inside the sites of
 * mask active (FAIL_SITES_ALL-style bits), innermost site inner (or
 * NR_FAIL_SITES when none): true when it must fail; updates a's state. */
bool fault_should_fail(struct fault_attr *a, unsigned long nr, u32 active, unsigned int inner);
/* Linux defaults (probability 0, interval 1, times 1, space 0, verbose 2),
 * every site, the default seed; counters zero. */
void fault_attr_init(struct fault_attr *a);
/* Reseed the PRNG (a->seed = seed). */
void fault_attr_seed(struct fault_attr *a, u64 seed);
/* "<interval>,<probability>,<space>,<times>" (the boot parameter): 0 and
 * a set, or -EINVAL with a unchanged. */
int fault_attr_parse(struct fault_attr *a, const char *str);
/* "all" or a comma list of site names: 0 and *mask, or -EINVAL. */
int fail_sites_parse(const char *str, u32 *mask);
const char *fail_site_name(unsigned int site);

/* The allocation hook: nr pages (1 << order for a buddy block). */
bool __should_fail_alloc_pages(unsigned long nr);
static inline bool should_fail_alloc_pages(unsigned long nr)
{
	return fail_page_alloc.probability && __should_fail_alloc_pages(nr);
}
static inline bool should_fail_alloc_page(unsigned int order)
{
	return should_fail_alloc_pages(1UL << order);
}

/* Site markers, per CPU (smp_processor_id()): every page allocation between
 * enter and the matching exit is made "in" site.  Panics on overflow or an
 * exit that is not the innermost site. */
void fail_site_enter(enum fail_site site);
void fail_site_exit(enum fail_site site);
#endif
