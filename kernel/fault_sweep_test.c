/* `selftest fault_sweep`: every page allocation of every memory operation
 * made to fail, one at a time, and the state checked after each
 * (mm/fail_page_alloc.c injects; docs/reliability.md has the figures).
 *
 *   for each op (pool grow / shrink with HVO, hot-add with and without
 *   memmap_on_memory, online, offline, remove):
 *     baseline S0 --op--> R (reference, no injection) --undo--> S0
 *     k = 1, 2, ...:  fail the k-th allocation made inside the op's sites
 *        S0 --op(k)--> designed error or partial result   vm_check, I(S) = I(S0)
 *           --op-->    R  (the retry, no injection, succeeds)
 *           --undo-->  S0                                   vm_check
 *     until op(k) makes fewer than k allocations: k - 1 injection points
 *   (the two-block add also exercises the undo of the first block when the
 *   second fails: it needs two adjacent free blocks, x86_64 with mem=512M)
 *
 *   I(S) = free pages + huge pages in pools - managed pages + nr_memmap_pages
 *          + nr_page_table_pages
 * stays constant through every op, whole or partial: each page a step takes
 * from the free lists shows up as a pool page, a memmap or table page, or
 * leaves the managed count (and back).  S0 and R are compared field by
 * field: free pages, memmap (boot + run time), managed + boot memmap (HVO
 * turns boot frames into managed pages), table pages, optimized pages,
 * pools, and the test block's section state; a failed hot-add or remove
 * must leave the free lists exactly as they were (buddyinfo too).
 *
 * Hot-plug ops need a block of RAM beyond mem= (boot with mem=512M of 1G,
 * tests/boot/fault-sweep.test); without one they print a skip line. */
#include <pagoda/kernel.h>
#include <pagoda/fault_inject.h>
#include <pagoda/selftest.h>
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/vmstat.h"
#include "mm/vm_check.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/memory_hotplug.h"

#define SWEEP_POOL_PAGES 4               /* 2 MiB pages a pool op grows or shrinks */
#define SWEEP_MAX_POINTS 4096            /* a runaway loop is a failure */
#define SWEEP_MAX_BLOCK  512             /* search for a free block below 64 GiB */

struct sweep_snap {
	unsigned long free, managed, buddy[NR_ZONES][NR_ORDERS];
	long memmap, boot, pgtable, optimized, invariant;
	unsigned long pool_nr[NR_HUGEPAGE_SIZES], pool_free[NR_HUGEPAGE_SIZES];
	u32 state[2], zone[2], altmap[2];         /* the op's blocks */
};

static struct {
	bool *failed;
	unsigned long block;             /* first section of the op's blocks */
	unsigned long nblocks;           /* 1, or 2 for the two-block add */
	unsigned long single, pair;      /* a free block; the first of two adjacent ones */
	struct hstate *h;
	unsigned long pool0;
} sw;

/* Record a failure of the sweep with what and where. */
#define SWEEP_EXPECT(cond, op, k, ...) do { if (!(cond)) { *sw.failed = true; \
	printk("# fault_sweep: %s, injection %lu: ", op, k); printk(__VA_ARGS__); printk("\n"); } } while (0)

static void sweep_snap(struct sweep_snap *s)
{
	*s = (struct sweep_snap){ .free = nr_free_pages(), .managed = totalram_pages() };   /* drains per-CPU lists */
	for (int z = 0; z < NR_ZONES; z++)
		for (int o = 0; o < NR_ORDERS; o++)
			s->buddy[z][o] = zones[z].free_area[o].nr_free;
	s->memmap = node_stat(NR_MEMMAP_PAGES);
	s->boot = node_stat(NR_MEMMAP_BOOT_PAGES);
	s->pgtable = node_stat(NR_PAGE_TABLE_PAGES);
	s->optimized = node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED);
	s->invariant = (long)s->free - (long)s->managed + s->memmap + s->pgtable;
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++) {
		s->pool_nr[i] = hstates[i].nr_huge_pages;
		s->pool_free[i] = hstates[i].free_huge_pages;
		s->invariant += (long)(hstates[i].nr_huge_pages * hstate_pages(&hstates[i]));
	}
	for (int b = 0; b < 2; b++) {
		const struct mem_section *ms = sparse_section(sw.block + b);

		if (!ms)
			continue;
		s->state[b] = ms->state;
		s->zone[b] = (ms->state & SECTION_ONLINE) ? ms->zone : 0;   /* meaningless offline */
		s->altmap[b] = ms->nr_altmap_pages;
	}
}

/* Do a and b hold the same state?  exact: also the free lists per order.
 * Prints the first difference. */
static bool sweep_same(const struct sweep_snap *a, const struct sweep_snap *b, bool exact, const char *what)
{
	const char *d = a->free != b->free ? "nr_free_pages" :
			a->memmap + a->boot != b->memmap + b->boot ? "nr_memmap_pages + nr_memmap_boot_pages" :
			(long)a->managed + a->boot != (long)b->managed + b->boot ? "managed + boot memmap" :
			a->pgtable != b->pgtable ? "nr_page_table_pages" :
			a->optimized != b->optimized ? "nr_hugetlb_vmemmap_optimized" :
			memcmp(a->pool_nr, b->pool_nr, sizeof(a->pool_nr)) ? "pool size" :
			memcmp(a->pool_free, b->pool_free, sizeof(a->pool_free)) ? "free huge pages" :
			memcmp(a->state, b->state, sizeof(a->state)) || memcmp(a->zone, b->zone, sizeof(a->zone)) ||
			memcmp(a->altmap, b->altmap, sizeof(a->altmap)) ? "section state" :
			exact && memcmp(a->buddy, b->buddy, sizeof(a->buddy)) ? "buddyinfo" : NULL;

	if (d)
		printk("# %s: %s differs (free %lu/%lu, memmap %ld/%ld, boot %ld/%ld, tables %ld/%ld, state %#x/%#x)\n",
		       what, d, a->free, b->free, a->memmap, b->memmap, a->boot, b->boot, a->pgtable, b->pgtable,
		       a->state[0], b->state[0]);
	return !d;
}

static bool sweep_vm_check(const char *op, unsigned long k)
{
	char msg[VM_CHECK_MSG_SIZE];
	bool ok = vm_check_run(msg, sizeof(msg)) == 0;

	SWEEP_EXPECT(ok, op, k, "vm_check: %s", msg);
	return ok;
}

/* ------------------------------------------------------------ injection */

static struct fault_attr sweep_saved;

/* Fail the k-th allocation made inside sites from now on, once, quietly. */
static void sweep_arm(unsigned long k, u32 sites)
{
	struct fault_attr *a = &fail_page_alloc;

	a->probability = 0;
	a->interval = k;
	a->times = 1;
	a->space = 0;
	a->verbose = 0;
	a->sites = sites;
	a->count = 0;
	a->probability = 100;
}

/* Injection off again (the user's settings back; counters kept). */
static void sweep_disarm(void)
{
	struct fault_attr *a = &fail_page_alloc;

	a->probability = 0;
	a->interval = sweep_saved.interval;
	a->times = sweep_saved.times;
	a->space = sweep_saved.space;
	a->verbose = sweep_saved.verbose;
	a->sites = sweep_saved.sites;
	a->count = sweep_saved.count;
	a->probability = sweep_saved.probability;
}

/* ------------------------------------------------------------ operations */

/* One operation: set up its "before" state, run (0, or an error / a
 * partial result), undo a run back to "before", tear down.  designed()
 * says whether an injected run ended as designed (state after it in *s). */
struct sweep_op {
	const char *name;
	u32 sites;
	unsigned int blocks;             /* hot-plug blocks it needs: 0, 1 or 2 adjacent */
	bool memmap_on_memory;
	int (*setup)(void);
	int (*run)(void);
	void (*undo)(void);
	void (*teardown)(void);
	bool (*designed)(int rc, const struct sweep_snap *s0, const struct sweep_snap *s);
};

static phys_addr_t sweep_block_pa(void) { return (phys_addr_t)section_nr_to_pfn(sw.block) << PAGE_SHIFT; }

static int sweep_grow(void)
{
	return hugetlb_set_pool(sw.h, sw.pool0 + SWEEP_POOL_PAGES) == sw.pool0 + SWEEP_POOL_PAGES ? 0 : 1;
}
static int sweep_shrink(void) { return hugetlb_set_pool(sw.h, sw.pool0) == sw.pool0 ? 0 : 1; }
static void sweep_shrink_undo(void) { sweep_shrink(); }
static void sweep_grow_undo(void) { sweep_grow(); }
static int sweep_nothing(void) { return 0; }
static void sweep_nothing_undo(void) { }

/* A grow stops with what it got: 0..N pages, each a proper pool page. */
static bool sweep_grow_designed(int rc, const struct sweep_snap *s0, const struct sweep_snap *s)
{
	return sw.h->nr_huge_pages >= sw.pool0 && sw.h->nr_huge_pages <= sw.pool0 + SWEEP_POOL_PAGES &&
	       (rc == 0) == (sw.h->nr_huge_pages == sw.pool0 + SWEEP_POOL_PAGES);
}
/* A shrink cannot fail: a restore without a frame donates one. */
static bool sweep_shrink_designed(int rc, const struct sweep_snap *s0, const struct sweep_snap *s)
{
	return rc == 0 && sw.h->nr_huge_pages == sw.pool0;
}
static int sweep_shrink_setup(void) { return sweep_grow(); }
static void sweep_shrink_teardown(void) { sweep_shrink(); }

static int sweep_add(void) { return add_memory(sweep_block_pa(), sw.nblocks * MEMORY_BLOCK_SIZE); }
static void sweep_add_undo(void) { remove_memory(sweep_block_pa(), sw.nblocks * MEMORY_BLOCK_SIZE); }
/* A failed add or remove changes nothing at all. */
static bool sweep_unchanged(int rc, const struct sweep_snap *s0, const struct sweep_snap *s)
{
	return rc == -ENOMEM && sweep_same(s0, s, true, "failed op");
}

static int sweep_online(void) { return online_memory_block(sw.block, MMOP_ONLINE_MOVABLE); }
/* Offline the block unless it is offline already (a retry after an
 * injected run that coped). */
static int sweep_offline(void)
{
	unsigned long busy;

	if (!sparse_section_has(sw.block, SECTION_ONLINE))
		return 0;
	return offline_memory_block(sw.block, &busy);
}
static void sweep_online_undo(void) { sweep_offline(); }
static bool sweep_online_designed(int rc, const struct sweep_snap *s0, const struct sweep_snap *s)
{
	return rc == 0 || sweep_same(s0, s, true, "failed online");
}
static int sweep_online_setup(void) { return sweep_add(); }
static void sweep_online_teardown(void) { sweep_add_undo(); }

/* Offline with free HVO pages of the pool inside the block (online
 * Movable, where a grow looks first): the dissolve restores their vmemmap. */
static int sweep_offline_setup(void)
{
	int rc = sweep_add();

	if (!rc)
		rc = sweep_online();
	if (!rc)
		rc = sweep_grow();
	return rc;
}
static void sweep_offline_undo(void)
{
	sweep_online();
	hugetlb_set_pool(sw.h, sw.pool0);
	sweep_grow();
}
static void sweep_offline_teardown(void)
{
	hugetlb_set_pool(sw.h, sw.pool0);
	sweep_offline();
	sweep_add_undo();
}
/* Offline either succeeds or fails with the block still online (the pages
 * the dissolve freed stay freed). */
static bool sweep_offline_designed(int rc, const struct sweep_snap *s0, const struct sweep_snap *s)
{
	return rc == 0 || ((rc == -EBUSY || rc == -ENOMEM) && (s->state[0] & SECTION_ONLINE));
}

/* A pool inside the block, shrunk: the shrink stops short (as designed) or
 * completes, and leaves nothing in the block that would stop its offline
 * (checked by offlining and onlining it again). */
static bool sweep_shrink_block_designed(int rc, const struct sweep_snap *s0, const struct sweep_snap *s)
{
	unsigned long busy = 0;
	int off;

	if (sw.h->nr_huge_pages < sw.pool0 || (rc == 0) != (sw.h->nr_huge_pages == sw.pool0))
		return false;
	off = offline_memory_block(sw.block, &busy);
	if (off)
		printk("# offline after the shrink: %d, pfn %#lx (%s)\n", off, busy, memhp_pfn_owner(busy));
	return off == 0 && online_memory_block(sw.block, MMOP_ONLINE_MOVABLE) == 0;
}
static void sweep_shrink_block_teardown(void)
{
	sweep_shrink();
	sweep_offline();
	sweep_add_undo();
}

static int sweep_remove(void) { return remove_memory(sweep_block_pa(), MEMORY_BLOCK_SIZE); }
static void sweep_remove_undo(void) { sweep_add(); }

static const struct sweep_op sweep_ops[] = {
	{ "pool grow (HVO)", (1u << FAIL_SITE_POOL_GROW), 0, false, sweep_nothing, sweep_grow,
	  sweep_shrink_undo, sweep_nothing_undo, sweep_grow_designed },
	{ "pool shrink (HVO)", (1u << FAIL_SITE_HVO_RESTORE), 0, false, sweep_shrink_setup, sweep_shrink,
	  sweep_grow_undo, sweep_shrink_teardown, sweep_shrink_designed },
	{ "pool shrink (HVO pages in a hot-added block)", (1u << FAIL_SITE_HVO_RESTORE), 1, true,
	  sweep_offline_setup, sweep_shrink, sweep_grow_undo, sweep_shrink_block_teardown,
	  sweep_shrink_block_designed },
	{ "hot-add (memmap_on_memory)", (1u << FAIL_SITE_HOT_ADD), 1, true, sweep_nothing, sweep_add,
	  sweep_add_undo, sweep_nothing_undo, sweep_unchanged },
	{ "hot-add (no memmap_on_memory)", (1u << FAIL_SITE_HOT_ADD), 1, false, sweep_nothing, sweep_add,
	  sweep_add_undo, sweep_nothing_undo, sweep_unchanged },
	{ "hot-add 2 blocks (memmap_on_memory)", (1u << FAIL_SITE_HOT_ADD), 2, true, sweep_nothing, sweep_add,
	  sweep_add_undo, sweep_nothing_undo, sweep_unchanged },
	{ "online", FAIL_SITES_ALL, 1, true, sweep_online_setup, sweep_online, sweep_online_undo,
	  sweep_online_teardown, sweep_online_designed },
	{ "offline (HVO pages in the block, memmap_on_memory)", FAIL_SITES_ALL, 1, true, sweep_offline_setup,
	  sweep_offline, sweep_offline_undo, sweep_offline_teardown, sweep_offline_designed },
	{ "offline (HVO pages in the block, no memmap_on_memory)", FAIL_SITES_ALL, 1, false,
	  sweep_offline_setup, sweep_offline, sweep_offline_undo, sweep_offline_teardown,
	  sweep_offline_designed },
	{ "remove", FAIL_SITES_ALL, 1, true, sweep_online_setup, sweep_remove, sweep_remove_undo,
	  sweep_online_teardown, sweep_unchanged },
};

/* Injection point k of op: false when op made fewer than k allocations. */
static bool sweep_point(const struct sweep_op *op, unsigned long k, const struct sweep_snap *s0,
			const struct sweep_snap *ref)
{
	unsigned long total = fail_page_alloc.total;
	struct sweep_snap s;
	int rc;

	sweep_arm(k, op->sites);
	rc = op->run();
	sweep_disarm();
	sweep_snap(&s);
	if (fail_page_alloc.total == total) {               /* ran unhindered */
		SWEEP_EXPECT(rc == 0 && sweep_same(&s, ref, false, op->name), op->name, k,
			     "unhindered run: rc %d or state differs from the reference", rc);
		op->undo();
		return false;
	}
	SWEEP_EXPECT(op->designed(rc, s0, &s), op->name, k, "rc %d is not a designed result", rc);
	SWEEP_EXPECT(s.invariant == s0->invariant, op->name, k, "pages leaked: I %ld, before %ld",
		     s.invariant, s0->invariant);
	sweep_vm_check(op->name, k);
	rc = op->run();                                      /* the retry */
	sweep_snap(&s);
	SWEEP_EXPECT(rc == 0 && sweep_same(&s, ref, false, op->name), op->name, k,
		     "retry without injection: rc %d or state differs from the reference", rc);
	op->undo();
	sweep_snap(&s);
	SWEEP_EXPECT(sweep_same(&s, s0, false, op->name), op->name, k, "undo: state differs from before");
	sweep_vm_check(op->name, k);
	return true;
}

/* Sweep op from injection point 1 up; prints and returns its points. */
static unsigned long sweep_op(const struct sweep_op *op)
{
	bool mom = memhp_memmap_on_memory;
	struct sweep_snap s0, ref, s;
	unsigned long k = 1;
	int rc;

	memhp_memmap_on_memory = op->memmap_on_memory;
	rc = op->setup();
	SWEEP_EXPECT(rc == 0, op->name, 0UL, "setup failed: %d", rc);
	sweep_snap(&s0);
	rc = op->run();
	sweep_snap(&ref);
	SWEEP_EXPECT(rc == 0 && ref.invariant == s0.invariant, op->name, 0UL,
		     "reference run: rc %d, I %ld, before %ld", rc, ref.invariant, s0.invariant);
	op->undo();
	sweep_snap(&s);
	SWEEP_EXPECT(sweep_same(&s, &s0, false, op->name), op->name, 0UL, "reference undo differs");
	while (k <= SWEEP_MAX_POINTS && sweep_point(op, k, &s0, &ref))
		k++;
	SWEEP_EXPECT(k <= SWEEP_MAX_POINTS, op->name, k, "more than %d injection points", SWEEP_MAX_POINTS);
	op->teardown();
	memhp_memmap_on_memory = mom;
	printk("# %s: %lu injection points\n", op->name, k - 1);
	return k - 1;
}

/* The first block of firmware RAM that is not present (beyond mem=), and
 * the first of the first two adjacent ones (~0UL if none). */
static void sweep_find_blocks(void)
{
	sw.single = sw.pair = ~0UL;
	for (unsigned long nr = SWEEP_MAX_BLOCK; nr-- > 0;) {
		if (!memhp_block_is_free_ram(nr))
			continue;
		sw.single = nr;
		if (memhp_block_is_free_ram(nr + 1))
			sw.pair = nr;
	}
}

SELFTEST(fault_sweep)
{
	struct sweep_snap start, end;
	bool hvo = hugetlb_optimize_vmemmap;
	unsigned long total = 0;

	sw = (typeof(sw)){ .failed = __st_failed, .h = hstate_by_kb(2048) };
	sw.pool0 = sw.h->nr_huge_pages;
	sweep_saved = fail_page_alloc;
	sweep_find_blocks();
	hugetlb_optimize_vmemmap = 1;
	sw.block = sw.single;                /* start and end: the same sections */
	sweep_snap(&start);
	for (size_t i = 0; i < ARRAY_SIZE(sweep_ops); i++) {
		const struct sweep_op *op = &sweep_ops[i];

		sw.nblocks = op->blocks ? op->blocks : 1;
		sw.block = op->blocks == 2 ? sw.pair : sw.single;
		if (op->blocks && sw.block == ~0UL) {
			printk("# %s: skipped, no %s beyond mem= to hot-add\n", op->name,
			       op->blocks == 2 ? "two adjacent blocks of RAM" : "RAM");
			continue;
		}
		total += sweep_op(op);
	}
	hugetlb_optimize_vmemmap = hvo;
	sw.block = sw.single;
	sweep_snap(&end);
	EXPECT(sweep_same(&start, &end, false, "fault_sweep"));
	EXPECT(sweep_vm_check("end", 0));
	printk("# fault_sweep: %lu injection points\n", total);
}
