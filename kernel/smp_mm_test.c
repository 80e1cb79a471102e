/* mm under several CPUs: struct-page readers against HVO, allocators
 * against memory hotplug.  Both run with what is online (one CPU: the
 * checks still run, on CPU 0 between the steps) and say how many CPUs.
 *
 * smp_hvo: CPU 0 keeps SMP_HVO_FIXED huge pages taken ("fixed"; their
 * heads are known to the readers) and, 200 times, grows the pool by
 * SMP_HVO_GROW other pages and shrinks it back (HVO remaps, shootdowns,
 * frames freed, the shared tail page reused), every 4th time also
 * dissolving one fixed page and re-creating it at the same pfn (restore,
 * free, take, optimize).  Up to 3 readers read struct pages of the fixed
 * pages in a loop:
 *
 *   fixed page k, head pfn H        seq[k] even: stable    odd: changing
 *   +------+------+-- .. --+------+------+-- .. --+------+
 *   | head |  t1  |        | t64  | t65  |        | t511 |   read: head,
 *   +------+------+-- .. --+------+------+-- .. --+------+   t1, t63, t64,
 *   vmemmap page 0 (kept RW)  pages 1..7 (shared tail page)   t200, t511
 *
 *   stable (seq even, same before and after the read):
 *     head: PG_head | PG_hugetlb (| PG_vmemmap_optimized with HVO on),
 *           compound_order 9;  tail: exactly the canonical tail of order 9
 *           (compound_head = H, flags = zone only)
 *   changing: head: flags among head/hugetlb/optimized/restored/buddy, never
 *             PG_head with PG_buddy (one word), compound_order 0 or 9, no
 *             tail info (fields read one by one may mix two states);
 *             tail: the canonical tail of order 9, or not a tail at all
 *             (compound_info 0: plain, free, or its donated/restored row)
 *   anything else (a tail of another order or head, a torn value) is a
 *   wrong read.
 *
 * smp_hotplug: up to 3 workers allocate orders 0, 0, 1, 3 from Normal and
 * Movable and free them, holding up to SMP_HP_HELD blocks each, while CPU 0
 * adds, onlines (alternately Normal and Movable), offlines (retrying while a
 * worker holds a page there: workers give back pages of the block first)
 * and removes one block 100 times.  Wrong: a held page whose section is not
 * online; a page of the block allocated while it was ISOLATED for the whole
 * allocation (iso_gen: odd while CPU 0 is inside an offline attempt, so
 * "isolated before and after, same generation" means isolated throughout).
 * At the end nr_free_pages, buddyinfo (per-zone free block counts), MemTotal
 * and vm_check are back at the baseline.
 *
 * smp_hvo's baseline: nr_free_pages, the pool, nr_hugetlb_vmemmap_optimized
 * and the shared tail pages come back exactly; boot memmap frames an
 * optimize freed are managed pages now and the restore's frames run-time
 * memmap pages (mm/hugetlb_vmemmap.c, Accounting), so it checks
 * nr_memmap_pages + nr_memmap_boot_pages unchanged and MemTotal grown by
 * exactly the boot frames freed. */
#include <pagoda/kernel.h>
#include <pagoda/selftest.h>
#include <pagoda/smp.h>
#include <pagoda/irq.h>
#include "mm/buddy.h"
#include "mm/pcp.h"
#include "mm/vmstat.h"
#include "mm/vm_check.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/memory_hotplug.h"
#include <pagoda/time.h>
#include <pagoda/vmstat.h>
#include <asm/tlbflush.h>

#define SMP_MM_READERS 3
#define SMP_HVO_FIXED  4
#define SMP_HVO_GROW   4
#define SMP_HVO_ROUNDS 200
#define SMP_HP_ROUNDS  100
#define SMP_HP_HELD    24
#define SMP_HP_TRIES   4000          /* offline attempts per round */
#define SMP_HVO_BURST  64            /* reader passes per kick */
#define SMP_HP_BURST   8             /* worker steps per kick */

static inline unsigned long smp_mm_load(const volatile unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Pacing.  Workers run a burst of steps, then sleep (arch_cpu_idle) until
 * CPU 0 kicks them at its next operation: under TCG with more vCPUs than
 * host cores, spinning workers would take the host CPU from CPU 0 (and
 * from lock holders).  Every operation of CPU 0 still overlaps a burst. */
static volatile unsigned long smp_mm_kicks;
static volatile bool smp_mm_stop;

static void smp_mm_noop(void *info) { }

static void smp_mm_kick(void)
{
	__atomic_fetch_add(&smp_mm_kicks, 1, __ATOMIC_RELEASE);
	if (num_online_cpus() > 1)
		smp_call_function(smp_mm_noop, NULL, false);
}

/* Sleep until a kick newer than seen, or the stop; returns the kick count. */
static unsigned long smp_mm_wait_kick(unsigned long seen)
{
	for (;;) {
		unsigned long k;

		arch_irq_disable();
		k = smp_mm_load(&smp_mm_kicks);
		if (k != seen || __atomic_load_n(&smp_mm_stop, __ATOMIC_ACQUIRE)) {
			arch_irq_enable();
			return k;
		}
		arch_cpu_idle();                    /* enables interrupts with the wait */
	}
}

static void smp_mm_stop_workers(void)
{
	__atomic_store_n(&smp_mm_stop, true, __ATOMIC_RELEASE);
	smp_mm_kick();
}

/* ---------------------------------------------------------------- smp_hvo */

static struct {
	struct page *fixed[SMP_HVO_FIXED];
	volatile unsigned long seq[SMP_HVO_FIXED];
	bool hvo;                         /* HVO on: heads carry PG_vmemmap_optimized */
	unsigned int order;               /* of the pool (2 MiB: 9) */
	bool spin;                        /* readers never sleep (BENCH(smp_hvo)) */
	unsigned long wrong, reads;       /* CPU 0's own reads */
	unsigned long bad_value;          /* first wrong value seen (diagnostic) */
} hvo_t;

static const unsigned long hvo_t_idx[] = { 1, 63, 64, 65, 200, 511 };

/* Is tail p of fixed page head valid: stable (exactly the canonical tail),
 * or changing (canonical tail or no tail)? */
static bool hvo_t_tail_ok(const struct page *p, const struct page *head, bool stable,
			  unsigned long *seen)
{
	unsigned long info = __atomic_load_n(&p->compound_info, __ATOMIC_RELAXED);
	u64 flags = __atomic_load_n(&p->flags, __ATOMIC_RELAXED);
	bool canonical = info == compound_info_tail(hvo_t.order) && (unsigned long)head == ((unsigned long)p & info) &&
			 (flags & ~(3ULL << ZONE_SHIFT)) == 0;

	*seen = info;
	return canonical || (!stable && info == 0);
}

static bool hvo_t_head_ok(const struct page *p, bool stable, unsigned long *seen)
{
	u64 flags = __atomic_load_n(&p->flags, __ATOMIC_RELAXED);
	u32 order = __atomic_load_n(&p->compound_order, __ATOMIC_RELAXED);
	u64 want = (1ULL << PG_head) | (1ULL << PG_hugetlb) | (hvo_t.hvo ? 1ULL << PG_vmemmap_optimized : 0);
	u64 changing = want | (1ULL << PG_vmemmap_optimized) | (1ULL << PG_vmemmap_restored) | (1ULL << PG_buddy);
	unsigned long info = __atomic_load_n(&p->compound_info, __ATOMIC_RELAXED);

	*seen = (unsigned long)flags | (unsigned long)order << 32;
	if (stable)
		return (flags & ~(3ULL << ZONE_SHIFT)) == want && order == hvo_t.order && info == 0;
	/* fields read one by one may mix two states; one word never does */
	if ((flags & ~(3ULL << ZONE_SHIFT) & ~changing) || info ||
	    ((flags & (1ULL << PG_head)) && (flags & (1ULL << PG_buddy))))
		return false;
	return order == 0 || order == hvo_t.order;
}

/* One pass over every fixed page; wrong reads counted, first value kept. */
static void hvo_t_pass(unsigned long *reads, unsigned long *wrong)
{
	for (int k = 0; k < SMP_HVO_FIXED; k++) {
		struct page *head = hvo_t.fixed[k];
		unsigned long s1 = smp_mm_load(&hvo_t.seq[k]);
		unsigned long bad;
		bool ok = hvo_t_head_ok(head, !(s1 & 1), &bad);

		for (unsigned int i = 0; ok && i < ARRAY_SIZE(hvo_t_idx); i++)
			ok = hvo_t_tail_ok(head + hvo_t_idx[i], head, !(s1 & 1), &bad);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (!ok && smp_mm_load(&hvo_t.seq[k]) == s1) {
			if (!*wrong)
				hvo_t.bad_value = bad;
			(*wrong)++;
		}
		*reads += 1 + ARRAY_SIZE(hvo_t_idx);
	}
}

static void hvo_t_reader(struct cpu_work *w)
{
	unsigned long reads = 0, wrong = 0, seen = smp_mm_load(&smp_mm_kicks);

	while (!__atomic_load_n(&smp_mm_stop, __ATOMIC_ACQUIRE)) {
		for (int i = 0; i < SMP_HVO_BURST; i++)
			hvo_t_pass(&reads, &wrong);
		if (!hvo_t.spin)
			seen = smp_mm_wait_kick(seen);
	}
	hvo_t_pass(&reads, &wrong);
	w->result = (long)wrong;
	w->arg = (void *)reads;
}

/* Dissolve fixed page k and re-create it at the same pfn (seq odd meanwhile). */
static bool hvo_t_cycle(struct hstate *h, int k)
{
	unsigned long pfn = page_to_pfn(hvo_t.fixed[k]);
	bool ok;

	__atomic_fetch_add(&hvo_t.seq[k], 1, __ATOMIC_RELEASE);
	ok = hugetlb_give(hvo_t.fixed[k]) == 0 && dissolve_free_huge_pages(pfn, pfn + 1) == 0 &&
	     hugetlb_grow_at(h, pfn) == hvo_t.fixed[k];
	__atomic_fetch_add(&hvo_t.seq[k], 1, __ATOMIC_RELEASE);
	return ok;
}

/* Start up to SMP_MM_READERS workers running fn; how many started. */
static unsigned int smp_mm_start(struct cpu_work *w, void (*fn)(struct cpu_work *))
{
	unsigned int n = 0;

	for_each_online_cpu(c) {
		if (c == smp_processor_id() || n == SMP_MM_READERS)
			continue;
		w[n] = (struct cpu_work){ .fn = fn };
		if (smp_run_on(c, &w[n]) == 0)
			n++;
	}
	return n;
}

SELFTEST(smp_hvo)
{
	struct hstate *h = hstate_by_kb(2048);
	struct cpu_work w[SMP_MM_READERS];
	unsigned long free0, base, opt0 = node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED), total0 = totalram_pages();
	long memmap0 = node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES);
	long boot0 = node_stat(NR_MEMMAP_BOOT_PAGES);
	unsigned long tails0 = hugetlb_vmemmap_nr_tail_frames();
	unsigned long reads = 0, wrong = 0, cycles_failed = 0, n;
	char msg[VM_CHECK_MSG_SIZE];
	unsigned int nw;

	EXPECT(h != NULL);
	if (!h)
		return;
	free0 = nr_free_pages();
	hvo_t.order = h->order;
	base = h->nr_huge_pages;
	hvo_t.hvo = hugetlb_optimize_vmemmap;
	smp_mm_stop = false;
	hvo_t.spin = false;
	hvo_t.wrong = hvo_t.reads = hvo_t.bad_value = 0;
	EXPECT(hugetlb_set_pool(h, hstate_persistent(h) + SMP_HVO_FIXED) == base + SMP_HVO_FIXED);
	for (int k = 0; k < SMP_HVO_FIXED; k++) {
		hvo_t.fixed[k] = hugetlb_take(h);
		hvo_t.seq[k] = 0;
		EXPECT(hvo_t.fixed[k] != NULL);
		if (!hvo_t.fixed[k])
			return;
	}
	nw = smp_mm_start(w, hvo_t_reader);
	printk("# %u CPUs online, %u readers, HVO %s\n", num_online_cpus(), nw, hvo_t.hvo ? "on" : "off");
	for (int i = 0; i < SMP_HVO_ROUNDS; i++) {
		n = hstate_persistent(h);
		smp_mm_kick();
		EXPECT(hugetlb_set_pool(h, n + SMP_HVO_GROW) == h->nr_huge_pages);
		hvo_t_pass(&hvo_t.reads, &hvo_t.wrong);
		smp_mm_kick();
		hugetlb_set_pool(h, n);
		if (i % 4 == 3) {
			smp_mm_kick();
			cycles_failed += !hvo_t_cycle(h, (i / 4) % SMP_HVO_FIXED);
		}
		hvo_t_pass(&hvo_t.reads, &hvo_t.wrong);
	}
	smp_mm_stop_workers();
	for (unsigned int i = 0; i < nw; i++) {
		smp_work_wait(&w[i]);
		wrong += (unsigned long)w[i].result;
		reads += (unsigned long)w[i].arg;
	}
	printk("# %lu reads by %u readers (+%lu on CPU 0), %lu wrong (first %#lx), %lu re-creations failed\n",
	       reads, nw, hvo_t.reads, wrong + hvo_t.wrong, hvo_t.bad_value, cycles_failed);
	EXPECT(wrong + hvo_t.wrong == 0 && cycles_failed == 0);
	for (int k = 0; k < SMP_HVO_FIXED; k++)
		EXPECT(hugetlb_give(hvo_t.fixed[k]) == 0);
	EXPECT(hugetlb_set_pool(h, base) == base);
	EXPECT(nr_free_pages() == free0 && h->nr_huge_pages == base);
	/* Struct-page memory is the same amount; boot memmap frames the
	 * optimizes freed became managed pages (the accounting rule of
	 * mm/hugetlb_vmemmap.c), so MemTotal grew by exactly that many. */
	EXPECT(node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == (long)opt0 && hugetlb_vmemmap_nr_tail_frames() == tails0);
	EXPECT(node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES) == memmap0);
	EXPECT((long)(totalram_pages() - total0) == boot0 - node_stat(NR_MEMMAP_BOOT_PAGES));
	EXPECT(vm_check_run(msg, sizeof(msg)) == 0);
}

/* ---------------------------------------------------------------- smp_hotplug */

struct hp_held {
	struct page *page;
	unsigned int order;
};

struct hp_worker {
	struct hp_held held[SMP_HP_HELD];
	unsigned long nheld, rng, allocs, in_block, wrong;
};

static struct {
	unsigned long nr, start, end;      /* the block: section nr, pfns [start, end) */
	volatile unsigned long iso_gen;    /* odd while CPU 0 is in an offline attempt */
	volatile bool give_back;           /* free pages of the block first */
	struct hp_worker cpu0;
	unsigned long first_wrong_pfn;
} hp_t;

static unsigned long hp_t_rand(struct hp_worker *hw)
{
	hw->rng ^= hw->rng << 13;
	hw->rng ^= hw->rng >> 7;
	hw->rng ^= hw->rng << 17;
	return hw->rng;
}

static void hp_t_wrong(struct hp_worker *hw, unsigned long pfn)
{
	if (!hw->wrong)
		hp_t.first_wrong_pfn = pfn;
	hw->wrong++;
}

static void hp_t_free(struct hp_worker *hw, unsigned long i)
{
	free_pages(hw->held[i].page, hw->held[i].order);
	hw->held[i] = hw->held[--hw->nheld];
}

/* Allocate one block (random order and zone) and check it. */
static void hp_t_alloc(struct hp_worker *hw)
{
	static const unsigned int orders[] = { 0, 0, 1, 3 };
	unsigned long r = hp_t_rand(hw), g1, g2, pfn;
	enum zone_type zt = (r & 4) ? ZONE_MOVABLE : ZONE_NORMAL;
	unsigned int order = orders[(r >> 3) & 3];
	bool iso1, iso2;
	struct page *p;

	g1 = smp_mm_load(&hp_t.iso_gen);
	iso1 = pfn_section_isolated(hp_t.start);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);   /* iso1 seen before the allocator's reads */
	p = alloc_pages(order, zt);
	iso2 = pfn_section_isolated(hp_t.start);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	g2 = smp_mm_load(&hp_t.iso_gen);
	if (!p)
		return;
	pfn = page_to_pfn(p);
	hw->allocs++;
	if (pfn >= hp_t.start && pfn < hp_t.end) {
		hw->in_block++;
		if (iso1 && iso2 && g1 == g2 && (g1 & 1))
			hp_t_wrong(hw, pfn);             /* handed out from an isolated block */
	}
	if (!sparse_section_has(pfn_to_section_nr(pfn), SECTION_ONLINE))
		hp_t_wrong(hw, pfn);
	hw->held[hw->nheld++] = (struct hp_held){ p, order };
}

/* One step: give back pages of the block if asked, re-check one held
 * page's section, then allocate or free. */
static void hp_t_step(struct hp_worker *hw)
{
	if (hp_t.give_back)              /* hold no page of the block for long */
		for (unsigned long i = hw->nheld; i-- > 0;) {
			unsigned long pfn = page_to_pfn(hw->held[i].page);

			if (pfn >= hp_t.start && pfn < hp_t.end)
				hp_t_free(hw, i);
		}
	if (hw->nheld) {
		unsigned long pfn = page_to_pfn(hw->held[hw->allocs % hw->nheld].page);

		if (!sparse_section_has(pfn_to_section_nr(pfn), SECTION_ONLINE))
			hp_t_wrong(hw, pfn);              /* its block went offline under it */
	}
	if (hw->nheld == SMP_HP_HELD || (hw->nheld && (hp_t_rand(hw) & 1)))
		hp_t_free(hw, hp_t_rand(hw) % hw->nheld);
	else
		hp_t_alloc(hw);
}

static void hp_t_release_all(struct hp_worker *hw)
{
	while (hw->nheld)
		hp_t_free(hw, hw->nheld - 1);
}

static void hp_t_worker(struct cpu_work *w)
{
	static struct hp_worker workers[NR_CPUS];
	struct hp_worker *hw = &workers[smp_processor_id()];

	unsigned long seen = smp_mm_load(&smp_mm_kicks);

	*hw = (struct hp_worker){ .rng = 0x9e3779b97f4a7c15ULL * (smp_processor_id() + 1) };
	while (!__atomic_load_n(&smp_mm_stop, __ATOMIC_ACQUIRE)) {
		for (int i = 0; i < SMP_HP_BURST; i++)
			hp_t_step(hw);
		seen = smp_mm_wait_kick(seen);
	}
	hp_t_release_all(hw);
	w->result = (long)hw->wrong;
	w->arg = hw;
}

/* The first block the firmware map has as RAM that is not present (what
 * `mem add` would take), or 0. */
static unsigned long hp_t_find_block(void)
{
	for (unsigned long nr = 1; nr < 4096; nr++)
		if (memhp_block_is_free_ram(nr))
			return nr;
	return 0;
}

/* Offline the block, retrying while a CPU still holds a page of it (they
 * give them back); CPU 0 keeps allocating between attempts.  0 or the
 * last error. */
static int hp_t_offline(unsigned long *tries)
{
	unsigned long busy;
	int rc = -EBUSY;

	hp_t.give_back = true;
	for (*tries = 0; rc && *tries < SMP_HP_TRIES; (*tries)++) {
		smp_mm_kick();
		__atomic_fetch_add(&hp_t.iso_gen, 1, __ATOMIC_RELEASE);
		rc = offline_memory_block(hp_t.nr, &busy);
		__atomic_fetch_add(&hp_t.iso_gen, 1, __ATOMIC_RELEASE);
		hp_t_step(&hp_t.cpu0);
	}
	hp_t.give_back = false;
	return rc;
}

/* One round on CPU 0: add, online (Normal or Movable), let everyone
 * allocate, offline, remove.  False on the first failure (printed). */
static bool hp_t_round(int r, unsigned long *max_tries)
{
	phys_addr_t pa = (phys_addr_t)hp_t.start << PAGE_SHIFT;
	enum mhp_online_type t = (r & 1) ? MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL;
	unsigned long tries;
	int rc;

	smp_mm_kick();
	if ((rc = add_memory(pa, MEMORY_BLOCK_SIZE)) || (smp_mm_kick(), rc = online_memory_block(hp_t.nr, t))) {
		printk("# round %d: add/online memory%lu: %d\n", r, hp_t.nr, rc);
		return false;
	}
	for (int i = 0; i < 32; i++) {
		if (i % 8 == 0)
			smp_mm_kick();
		hp_t_step(&hp_t.cpu0);
	}
	if ((rc = hp_t_offline(&tries)) || (smp_mm_kick(), rc = remove_memory(pa, MEMORY_BLOCK_SIZE))) {
		printk("# round %d: offline/remove memory%lu: %d after %lu tries\n", r, hp_t.nr, rc, tries);
		return false;
	}
	*max_tries = MAX(*max_tries, tries);
	return true;
}

/* Free block counts of every zone, the per-CPU lists drained first. */
static void hp_t_buddy(unsigned long out[NR_ZONES][NR_ORDERS])
{
	pcp_drain_all();
	for (int z = 0; z < NR_ZONES; z++)
		for (int o = 0; o < NR_ORDERS; o++)
			out[z][o] = zones[z].free_area[o].nr_free;
}

SELFTEST(smp_hotplug)
{
	static unsigned long buddy0[NR_ZONES][NR_ORDERS], buddy1[NR_ZONES][NR_ORDERS];
	struct cpu_work w[SMP_MM_READERS];
	unsigned long free0 = nr_free_pages(), total0 = totalram_pages(), wrong = 0, max_tries = 0;
	unsigned long allocs = 0, in_block = 0;
	char msg[VM_CHECK_MSG_SIZE];
	unsigned int nw;
	int rounds = 0;

	hp_t_buddy(buddy0);
	hp_t.nr = hp_t_find_block();
	hp_t.start = section_nr_to_pfn(hp_t.nr);
	hp_t.end = hp_t.nr ? section_nr_to_pfn(hp_t.nr + 1) : 0;
	smp_mm_stop = hp_t.give_back = false;
	hp_t.cpu0 = (struct hp_worker){ .rng = 0x2545f4914f6cdd1dULL };
	nw = smp_mm_start(w, hp_t_worker);
	printk("# %u CPUs online, %u workers, block memory%lu\n", num_online_cpus(), nw, hp_t.nr);
	if (!hp_t.nr)
		printk("# no free RAM block in the firmware map (boot with mem= below RAM): "
		       "allocations only, no hotplug\n");
	for (; hp_t.nr && rounds < SMP_HP_ROUNDS; rounds++)
		if (!hp_t_round(rounds, &max_tries))
			break;
	for (int i = 0; !hp_t.nr && i < 2000; i++) {
		if (i % 8 == 0)
			smp_mm_kick();
		hp_t_step(&hp_t.cpu0);
	}
	smp_mm_stop_workers();
	hp_t_release_all(&hp_t.cpu0);
	wrong = hp_t.cpu0.wrong;
	allocs = hp_t.cpu0.allocs;
	in_block = hp_t.cpu0.in_block;
	for (unsigned int i = 0; i < nw; i++) {
		struct hp_worker *hw;

		smp_work_wait(&w[i]);
		hw = w[i].arg;
		wrong += hw->wrong;
		allocs += hw->allocs;
		in_block += hw->in_block;
	}
	hp_t_buddy(buddy1);
	printk("# %d rounds, %lu allocations (%lu from the block), %lu wrong (first pfn %#lx), "
	       "at most %lu offline attempts\n", rounds, allocs, in_block, wrong, hp_t.first_wrong_pfn, max_tries);
	EXPECT(!hp_t.nr || rounds == SMP_HP_ROUNDS);
	EXPECT(wrong == 0);
	EXPECT(nr_free_pages() == free0 && totalram_pages() == total0);
	EXPECT(memcmp(buddy0, buddy1, sizeof(buddy0)) == 0);
	EXPECT(vm_check_run(msg, sizeof(msg)) == 0);
}

/* ---------------------------------------------------------------- BENCH(smp_hvo) */

/*
 * BENCH(smp_hvo): pool grow and shrink of SMP_HVO_BENCH_N x 2 MiB, HVO off
 * and on interleaved (fastest of SMP_HVO_BENCH_REPS each), first with the
 * other CPUs idle, then with every other CPU reading struct pages of 4
 * taken huge pages in a tight loop (no pacing):
 *
 *   smp_hvo: 4 CPUs, idle: grow 64 x 2048 kB, HVO off: 900 us
 *   ...
 *   smp_hvo: 4 CPUs, idle: grow HVO on/off: 0.95x
 *   smp_hvo: 4 CPUs, idle: remote flushes per grow, HVO on: 1
 *   smp_hvo: 4 CPUs, 3 readers: grow HVO on/off: 0.97x
 */
#define SMP_HVO_BENCH_N    64
#define SMP_HVO_BENCH_REPS 5

static void smp_hvo_bench_ratio(const char *tag, const char *what, u64 on, u64 off)
{
	u64 centi = off ? (on * 100 + off / 2) / off : 0;

	printk("smp_hvo: %u CPUs, %s: %s HVO on/off: %llu.%02llux\n", num_online_cpus(), tag, what,
	       (unsigned long long)(centi / 100), (unsigned long long)(centi % 100));
}

/* Resize h to count, timed from a cold TLB (an untimed flush_tlb_all()
 * first, as BENCH(hugetlb) does: no step pays the TLB refill of another);
 * *remote = the step's own remote flushes. */
static u64 smp_hvo_bench_resize(struct hstate *h, unsigned long count, u64 *remote)
{
	u64 f0, t0, t;

	flush_tlb_all();
	f0 = vm_event_read(NR_TLB_REMOTE_FLUSH);
	t0 = ktime_ns();
	hugetlb_set_pool(h, count);
	t = ktime_ns() - t0;
	*remote = vm_event_read(NR_TLB_REMOTE_FLUSH) - f0;
	return t;
}

/* Fastest grow and shrink of n pages per HVO mode; remote flushes of the last on-grow. */
static void smp_hvo_bench_phase(struct hstate *h, const char *tag)
{
	u64 g[2] = { ~0ULL, ~0ULL }, sh[2] = { ~0ULL, ~0ULL }, remote = 0;
	unsigned long base = hstate_persistent(h);
	int hvo = hugetlb_optimize_vmemmap;
	char what[96];

	for (int r = 0; r < SMP_HVO_BENCH_REPS; r++)
		for (int on = 0; on < 2; on++) {
			u64 rg, rs;

			hugetlb_optimize_vmemmap = on;
			g[on] = MIN(g[on], smp_hvo_bench_resize(h, base + SMP_HVO_BENCH_N, &rg));
			if (on)
				remote = rg;
			sh[on] = MIN(sh[on], smp_hvo_bench_resize(h, base, &rs));
		}
	hugetlb_optimize_vmemmap = hvo;
	for (int on = 0; on < 2; on++) {
		ksnprintf(what, sizeof(what), "%u CPUs, %s: grow %d x 2048 kB, HVO %s", num_online_cpus(), tag,
			  SMP_HVO_BENCH_N, on ? "on" : "off");
		bench_report(what, g[on] / 1000, "us");
		ksnprintf(what, sizeof(what), "%u CPUs, %s: shrink %d x 2048 kB, HVO %s", num_online_cpus(), tag,
			  SMP_HVO_BENCH_N, on ? "on" : "off");
		bench_report(what, sh[on] / 1000, "us");
	}
	smp_hvo_bench_ratio(tag, "grow", g[1], g[0]);
	smp_hvo_bench_ratio(tag, "shrink", sh[1], sh[0]);
	ksnprintf(what, sizeof(what), "%u CPUs, %s: remote flushes per grow, HVO on", num_online_cpus(), tag);
	bench_report(what, remote, "shootdowns");
}

BENCH(smp_hvo)
{
	struct hstate *h = hstate_by_kb(2048);
	struct cpu_work w[SMP_MM_READERS];
	unsigned int nw;
	char tag[32];

	if (!h)
		return;
	smp_hvo_bench_phase(h, "idle");
	hugetlb_set_pool(h, hstate_persistent(h) + SMP_HVO_FIXED);
	hvo_t.order = h->order;
	hvo_t.hvo = hugetlb_optimize_vmemmap;
	for (int k = 0; k < SMP_HVO_FIXED; k++)
		if (!(hvo_t.fixed[k] = hugetlb_take(h)))
			return;
	smp_mm_stop = false;
	hvo_t.spin = true;
	nw = smp_mm_start(w, hvo_t_reader);
	ksnprintf(tag, sizeof(tag), "%u readers", nw);
	smp_hvo_bench_phase(h, tag);
	smp_mm_stop_workers();
	for (unsigned int i = 0; i < nw; i++)
		smp_work_wait(&w[i]);
	hvo_t.spin = false;
	for (int k = 0; k < SMP_HVO_FIXED; k++)
		hugetlb_give(hvo_t.fixed[k]);
	hugetlb_set_pool(h, hstate_persistent(h) - SMP_HVO_FIXED);
}
