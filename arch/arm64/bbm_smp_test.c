/* The vmemmap BBM window with readers on other CPUs (bbm_smp.c).
 *
 *   CPU 0                                   CPUs 1..n-1 (smp_run_on)
 *   an order-9 block: its 512 struct pages  loop until told to stop:
 *   fill exactly 8 vmemmap pages              read flags and compound_info
 *   round: remap those 8 pages to copies      of all 512, compare with the
 *          (one batch), then back (another)   values CPU 0 saw before
 *          [hooked: inside the window wait    (a wrong value is counted)
 *           until a reader waits in it]
 *
 * selftest arm64_bbm_smp (wait mode): 0 wrong reads, every hooked window
 * had a reader fault and wait in it, the PTEs end on the original frames.
 * selftest arm64_bbm_smp_pause: the same in pause mode: no reader waits,
 * one pause per batch.  bench arm64_bbm_smp: the cost per batch without
 * and with readers in both modes, reader waits per batch and their time.
 * With one CPU the tests run the batches without readers. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/smp.h>
#include <pagoda/selftest.h>
#include <pagoda/vmstat.h>
#include <pagoda/string.h>
#include <asm/io.h>
#include <asm/pgtable.h>
#include "mm/pgwalk.h"
#include "mm/buddy.h"
#include "arm64.h"

#define BBMT_ORDER   9
#define BBMT_PAGES   (1UL << BBMT_ORDER)
#define BBMT_VPAGES  (BBMT_PAGES * sizeof(struct page) / PAGE_SIZE)
#define BBMT_HOOK_WAIT_MS 5000

struct bbmt {
	struct page *block;
	struct page *copy[BBMT_VPAGES];
	u64 flags[BBMT_PAGES];
	unsigned long info[BBMT_PAGES];
	struct pgwalk_remap r[BBMT_VPAGES];
	volatile bool stop;
	u64 reads[NR_CPUS], wrong[NR_CPUS];
	struct cpu_work work[NR_CPUS];
};
static struct bbmt bbmt;

/* Reader (CPU n): compare every struct page of the block until stopped. */
static void bbmt_reader(struct cpu_work *w)
{
	unsigned int me = smp_processor_id();
	volatile struct page *p = bbmt.block;

	while (!bbmt.stop) {
		for (unsigned long i = 0; i < BBMT_PAGES; i++) {
			if (p[i].flags != bbmt.flags[i] || p[i].compound_info != bbmt.info[i])
				bbmt.wrong[me]++;
			bbmt.reads[me]++;
		}
	}
	w->result = 0;
}

/* Block, copies, expected values; the remap list points at the copies. */
static int bbmt_setup(void)
{
	unsigned long va0;

	bbmt = (struct bbmt){};
	bbmt.block = alloc_pages(BBMT_ORDER, ZONE_NORMAL);
	if (!bbmt.block)
		return -ENOMEM;
	va0 = (unsigned long)bbmt.block;
	for (unsigned long i = 0; i < BBMT_PAGES; i++) {
		bbmt.flags[i] = bbmt.block[i].flags;
		bbmt.info[i] = bbmt.block[i].compound_info;
	}
	for (unsigned long v = 0; v < BBMT_VPAGES; v++) {
		bbmt.copy[v] = alloc_pages(0, ZONE_NORMAL);
		if (!bbmt.copy[v])
			return -ENOMEM;
		bbmt.r[v].va = va0 + v * PAGE_SIZE;
		bbmt.r[v].pa = (phys_addr_t)page_to_pfn(bbmt.copy[v]) << PAGE_SHIFT;
		bbmt.r[v].prot = PROT_KERNEL_RW;
		memcpy(__va(bbmt.r[v].pa), (void *)bbmt.r[v].va, PAGE_SIZE);
	}
	return 0;
}

static void bbmt_teardown(void)
{
	for (unsigned long v = 0; v < BBMT_VPAGES; v++)
		if (bbmt.copy[v])
			free_pages(bbmt.copy[v], 0);
	if (bbmt.block)
		free_pages(bbmt.block, BBMT_ORDER);
}

/* Start a reader on every other online CPU; returns how many. */
static unsigned int bbmt_readers_start(void)
{
	unsigned int n = 0;

	bbmt.stop = false;
	for_each_online_cpu(c) {
		if (c == smp_processor_id())
			continue;
		bbmt.work[c] = (struct cpu_work){ .fn = bbmt_reader };
		if (smp_run_on(c, &bbmt.work[c]) == 0)
			n++;
		else
			bbmt.work[c].done = true;
	}
	return n;
}

static void bbmt_readers_stop(void)
{
	bbmt.stop = true;
	for_each_online_cpu(c)
		if (c != smp_processor_id() && bbmt.work[c].fn)
			smp_work_wait(&bbmt.work[c]);
}

/* The window hook: wait (bounded) until some reader is waiting in it. */
static u64 bbmt_hook_waits;
static void bbmt_hook(void)
{
	u64 limit = arch_cycles() + arch_cycles_per_sec() * BBMT_HOOK_WAIT_MS / 1000;
	struct arm64_bbm_stats t;

	do {
		arm64_bbm_stats_sum(&t);
		cpu_relax();
	} while (t.waits == bbmt_hook_waits && arch_cycles() < limit);
	bbmt_hook_waits = t.waits;
}

/* rounds x (to the copies, back): 0, or the pgwalk error. */
static int bbmt_rounds(unsigned int rounds, bool hooked)
{
	struct arm64_bbm_stats t;

	arm64_bbm_stats_sum(&t);
	bbmt_hook_waits = t.waits;
	for (unsigned int i = 0; i < rounds; i++) {
		int rc;

		arm64_bbm_window_hook = hooked ? bbmt_hook : NULL;
		rc = pgwalk_remap_batch(bbmt.r, BBMT_VPAGES);
		for (unsigned long v = 0; v < BBMT_VPAGES; v++) {
			phys_addr_t to = bbmt.r[v].old_pa;
			bbmt.r[v].old_pa = bbmt.r[v].pa;
			bbmt.r[v].pa = to;
		}
		if (!rc)
			rc = pgwalk_remap_batch(bbmt.r, BBMT_VPAGES);
		for (unsigned long v = 0; v < BBMT_VPAGES; v++) {
			phys_addr_t to = bbmt.r[v].old_pa;
			bbmt.r[v].old_pa = bbmt.r[v].pa;
			bbmt.r[v].pa = to;
		}
		arm64_bbm_window_hook = NULL;
		if (rc)
			return rc;
	}
	return 0;
}

static u64 bbmt_sum(const u64 *a)
{
	u64 s = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++)
		s += a[c];
	return s;
}

/* Every vmemmap page of the block is on its original frame again. */
static bool bbmt_on_originals(void)
{
	for (unsigned long v = 0; v < BBMT_VPAGES; v++) {
		pte_t *ptep = pgwalk_pte(bbmt.r[v].va);

		if (!ptep || pte_pa(*ptep) != bbmt.r[v].old_pa || bbmt.r[v].old_pa == bbmt.r[v].pa)
			return false;
	}
	return true;
}

/* One selftest run in mode: rounds, readers, checks. */
static void bbmt_check(bool *__st_failed, const char *mode, unsigned int rounds)
{
	struct arm64_bbm_stats t0, t1;
	unsigned int readers;
	bool pause = !strcmp(mode, "pause");

	EXPECT(arm64_bbm_set_mode(mode) == 0);
	EXPECT(bbmt_setup() == 0);
	arm64_bbm_stats_sum(&t0);
	readers = bbmt_readers_start();
	EXPECT(readers == num_online_cpus() - 1);
	EXPECT(bbmt_rounds(rounds, readers && !pause) == 0);
	bbmt_readers_stop();
	arm64_bbm_stats_sum(&t1);
	EXPECT(bbmt_sum(bbmt.wrong) == 0);
	EXPECT(!readers || bbmt_sum(bbmt.reads) > 0);
	EXPECT(bbmt_on_originals() && !arm64_bbm_window.batch);
	if (readers && !pause)          /* every hooked window had a waiter */
		EXPECT(t1.waits - t0.waits >= rounds);
	if (readers && pause)
		EXPECT(t1.waits == t0.waits && t1.pauses - t0.pauses == 2 * rounds);
	printk("arm64_bbm_smp: %s, %u readers: %u batches, %lu reads, %lu waits, %lu late\n",
	       mode, readers, 2 * rounds, (unsigned long)bbmt_sum(bbmt.reads),
	       (unsigned long)(t1.waits - t0.waits), (unsigned long)(t1.late - t0.late));
	bbmt_teardown();
	arm64_bbm_set_mode("wait");
}

SELFTEST(arm64_bbm_smp)
{
	bbmt_check(__st_failed, "wait", 20);
}

SELFTEST(arm64_bbm_smp_pause)
{
	bbmt_check(__st_failed, "pause", 20);
}

/* One bench configuration: rounds unhooked, per-batch figures. */
static void bbmt_bench_one(const char *mode, bool readers_on, unsigned int rounds)
{
	struct arm64_bbm_stats t0, t1;
	unsigned int readers = 0, batches = 2 * rounds;
	u64 c0, dt, waits, hz = arch_cycles_per_sec();

	if (arm64_bbm_set_mode(mode) || bbmt_setup()) {
		printk("arm64_bbm_smp: setup failed\n");
		bbmt_teardown();
		return;
	}
	arm64_bbm_stats_reset();
	arm64_bbm_stats_sum(&t0);
	if (readers_on)
		readers = bbmt_readers_start();
	c0 = arch_cycles();
	bbmt_rounds(rounds, false);
	dt = arch_cycles() - c0;
	bbmt_readers_stop();
	arm64_bbm_stats_sum(&t1);
	waits = t1.waits - t0.waits;
	printk("arm64_bbm_smp: %-5s %u readers: %lu ns/batch, %lu waits in %u batches, wait mean %lu ns max %lu ns, pause mean %lu ns, wrong %lu\n",
	       mode, readers, (unsigned long)(dt * 1000000000ULL / hz / batches),
	       (unsigned long)waits, batches,
	       (unsigned long)(waits ? (t1.wait_cycles - t0.wait_cycles) * 1000000000ULL / hz / waits : 0),
	       (unsigned long)(t1.wait_max * 1000000000ULL / hz),
	       (unsigned long)((t1.pauses - t0.pauses) ?
			       (t1.pause_cycles - t0.pause_cycles) * 1000000000ULL / hz /
			       (t1.pauses - t0.pauses) : 0),
	       (unsigned long)bbmt_sum(bbmt.wrong));
	bbmt_teardown();
	arm64_bbm_set_mode("wait");
}

/* Batches of 8 vmemmap entries, 200 rounds of two, per configuration. */
BENCH(arm64_bbm_smp)
{
	static const char *const modes[] = { "wait", "pause" };

	printk("arm64_bbm_smp: %u CPUs online, batches of %lu entries\n", num_online_cpus(),
	       (unsigned long)BBMT_VPAGES);
	for (int m = 0; m < 2; m++) {
		bbmt_bench_one(modes[m], false, 200);
		if (num_online_cpus() > 1)
			bbmt_bench_one(modes[m], true, 200);
	}
}

/* A single arch_set_pte break-before-make under readers (the direct-map
 * table move of hot-remove is one): a scratch page mapped to frame A,
 * readers on the other CPUs load it in a loop, CPU 0 remaps it to frame B
 * (same contents) and back with arch_set_pte alone; the hook inside each
 * window waits until a reader waits in it.  0 wrong values, every window
 * had a waiter.  Needs 2 CPUs (one CPU: the window is not installed). */
#define BBMS_VA (IOMAP_START + (1UL << 38) + 0x200000UL)
static u64 bbms_frames[2][PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static u8 bbms_tables[PT_LEVELS - 1][PAGE_SIZE] __aligned(PAGE_SIZE);
static int bbms_tables_used;

static phys_addr_t bbms_table_alloc(void)
{
	if (bbms_tables_used == PT_LEVELS - 1)
		return 0;
	return arch_kimage_pa(bbms_tables[bbms_tables_used++]);
}

static void bbms_reader(struct cpu_work *w)
{
	unsigned int me = smp_processor_id();
	volatile u64 *p = (volatile u64 *)BBMS_VA;

	while (!bbmt.stop) {
		if (p[0] != 0x5151515151515151ULL || p[511] != 0xa5a5a5a5a5a5a5a5ULL)
			bbmt.wrong[me]++;
		bbmt.reads[me]++;
	}
	w->result = 0;
}

SELFTEST(arm64_bbm_smp_single)
{
	struct arm64_bbm_stats t0, t1;
	const unsigned int rounds = 10;
	phys_addr_t pa[2], old = 0;
	unsigned int readers = 0;
	pte_t *ptep;

	for (int f = 0; f < 2; f++) {
		bbms_frames[f][0] = 0x5151515151515151ULL;
		bbms_frames[f][511] = 0xa5a5a5a5a5a5a5a5ULL;
		pa[f] = arch_kimage_pa(bbms_frames[f]);
	}
	bbmt = (struct bbmt){};
	EXPECT(pgwalk_map_page(BBMS_VA, pa[0], PROT_KERNEL_RW, bbms_table_alloc) == 0);
	ptep = pgwalk_pte(BBMS_VA);
	EXPECT(ptep != NULL);
	if (!ptep)
		return;
	arm64_bbm_stats_sum(&t0);
	bbmt.stop = false;
	for_each_online_cpu(c) {
		if (c == smp_processor_id())
			continue;
		bbmt.work[c] = (struct cpu_work){ .fn = bbms_reader };
		readers += smp_run_on(c, &bbmt.work[c]) == 0;
	}
	bbmt_hook_waits = t0.waits;
	for (unsigned int i = 0; i < 2 * rounds; i++) {
		arm64_bbm_window_hook = readers ? bbmt_hook : NULL;
		arch_set_pte(BBMS_VA, 0, ptep, pte_mk_leaf(pa[(i + 1) % 2], 0, PROT_KERNEL_RW));
		arm64_bbm_window_hook = NULL;
	}
	bbmt_readers_stop();
	arm64_bbm_stats_sum(&t1);
	EXPECT(bbmt_sum(bbmt.wrong) == 0);
	if (readers)
		EXPECT(t1.waits - t0.waits >= 2 * rounds);
	printk("arm64_bbm_smp_single: %u readers: %u windows, %lu reads, %lu waits\n", readers,
	       2 * rounds, (unsigned long)bbmt_sum(bbmt.reads), (unsigned long)(t1.waits - t0.waits));
	EXPECT(pgwalk_unmap_page(BBMS_VA, &old) == 0 && old == pa[0]);
}
