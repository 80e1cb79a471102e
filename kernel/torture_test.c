/* Hotplug torture: `torture hotplug CYCLES [SEED]` runs CYCLES cycles of
 * the whole life of one or two hot-added memory blocks, every choice drawn
 * from a PRNG seeded by SEED (printed first, so any run can be replayed),
 * and cross-checks the mm state after every step.
 *
 *   baseline  /proc/meminfo, /proc/buddyinfo and the page counters of
 *             /proc/vmstat, as text
 *   cycle c   one step after the other; vm_check after each
 *   +---------+---------------------------------------------------------+
 *   | add     | 1 block (2 adjacent ones 1 time in 4) of the free RAM   |
 *   |         | mem= kept back; memmap_on_memory Y or N                 |
 *   | online  | each block to Normal or Movable (online_kernel/_movable)|
 *   | busy    | one random page of each block taken: offline refused    |
 *   |         | naming exactly that pfn, nothing changed; page back     |
 *   | grow    | HVO 0 or 1 (the sysctl's setter); every order-9 block   |
 *   |         | outside the new blocks held meanwhile, so the 2 MiB pool|
 *   |         | grows inside them: min(asked, free 2 MiB ranges) pages; |
 *   |         | 1 time in 4 more than fit are asked (the grow runs out) |
 *   | hold    | a pool page taken: its block's offline refused naming a |
 *   |         | pfn of that page, the pool unchanged; page given back   |
 *   | alloc   | up to 32 blocks of random orders and zones taken, then  |
 *   |         | given back in random order                              |
 *   | shrink  | the pool back to its size before (1 time in 3 left to   |
 *   |         | the offline, which must dissolve it)                    |
 *   | offline | each block                                              |
 *   | remove  | the blocks                                              |
 *   | settle  | meminfo, buddyinfo, vmstat counters == baseline, exactly|
 *   +---------+---------------------------------------------------------+
 *
 * Exact text equality is the point: a page leaked or a vmemmap frame left
 * in another place shows as a different buddyinfo line.  The pool stays in
 * the new blocks because HVO restoring a boot-memory huge page takes new
 * vmemmap frames by design (nr_memmap_boot_pages -> nr_memmap_pages), which
 * would move the baseline; the pinning makes "inside the block" exact.
 * The first failed check stops the run with one "error: torture: cycle N
 * step S: ..." line; the state is then left as it was for inspection. */
#include <pagoda/kernel.h>
#include <pagoda/shell.h>
#include <pagoda/pseudofs.h>
#include <pagoda/bootinfo.h>
#include <pagoda/arch.h>
#include <pagoda/string.h>
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/memory_hotplug.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/vm_check.h"
#include "mm/vmstat.h"

#define TORTURE_MAX_BLOCKS  64          /* free-RAM blocks remembered */
#define TORTURE_MAX_ALLOCS  32          /* blocks one alloc step holds */
#define TORTURE_MAX_CYCLES  1000000UL
#define TORTURE_SNAP_SIZE   4096
#define TORTURE_HVO_PATH    "/proc/sys/vm/hugetlb_optimize_vmemmap"
#define TORTURE_POOL_KB     2048

struct torture {
	u64 rng;                            /* xorshift64* state, never 0 */
	unsigned long cycle;
	const char *step;
	char msg[VM_CHECK_MSG_SIZE + 96];   /* the first failure */
	unsigned long free_blocks[TORTURE_MAX_BLOCKS];
	int nr_free_blocks;
	unsigned long first, nr;            /* this cycle's blocks [first, first + nr) */
	struct hstate *h;
	unsigned long pool0;                /* nr_hugepages before the run */
	long opt0;                          /* nr_hugetlb_vmemmap_optimized before */
	unsigned long grown;                /* pool pages this cycle's grow added */
	/* figures for the summary line */
	unsigned long blocks, mom, zone[NR_ZONES], hvo_grows, pool_pages, short_grows;
	unsigned long refusals, allocs, left_to_offline;
};

/* baseline, before a step that must change nothing, now, one file */
static char torture_base[TORTURE_SNAP_SIZE], torture_mark[TORTURE_SNAP_SIZE];
static char torture_now[TORTURE_SNAP_SIZE], torture_tmp[TORTURE_SNAP_SIZE];

/* ---------------------------------------------------------------- helpers */

/* The next pseudo-random number (xorshift64*). */
static u64 torture_rand(struct torture *t)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dULL;
}

/* A pseudo-random number in [0, n); 0 when n is 0. */
static unsigned long torture_below(struct torture *t, unsigned long n)
{
	return n ? (unsigned long)(torture_rand(t) % n) : 0;
}

/* Record the first failure as "cycle N step S: ..."; returns false. */
static bool torture_fail(struct torture *t, const char *fmt, ...)
{
	int n = ksnprintf(t->msg, sizeof(t->msg), "cycle %lu step %s: ", t->cycle, t->step);
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(t->msg + n, sizeof(t->msg) - n, fmt, ap);
	va_end(ap);
	return false;
}

static bool torture_vm_check(struct torture *t)
{
	char msg[VM_CHECK_MSG_SIZE];

	if (vm_check_run(msg, sizeof(msg)) == 0)
		return true;
	return torture_fail(t, "vm_check: %s", msg);
}

static phys_addr_t torture_block_pa(unsigned long nr)
{
	return (phys_addr_t)section_nr_to_pfn(nr) << PAGE_SHIFT;
}

static bool torture_in_blocks(const struct torture *t, unsigned long pfn)
{
	return pfn >= section_nr_to_pfn(t->first) && pfn < section_nr_to_pfn(t->first + t->nr);
}

/* ---------------------------------------------------------------- snapshots */

/* Is the vmstat line at s one of the page counters the run must keep? */
static bool torture_vmstat_counter(const char *s)
{
	static const char *const names[] = {
		"nr_free_pages ", "nr_memmap_pages ", "nr_memmap_boot_pages ",
		"nr_page_table_pages ", "nr_hugetlb_vmemmap_optimized ",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strncmp(s, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

/* Append "== path" and path's text to s (for /proc/vmstat only the page
 * counter lines: events such as TLB flushes may move).  0 or -errno. */
static int torture_snap_file(struct seq *s, const char *path)
{
	bool vmstat = strcmp(path, "/proc/vmstat") == 0;
	struct seq f;
	int rc;

	seq_init(&f, torture_tmp, sizeof(torture_tmp));
	rc = pseudofs_read(path, &f);
	if (rc || f.overflow)
		return rc ? rc : -ENOMEM;
	seq_printf(s, "== %s\n", path);
	for (const char *l = f.buf; *l; ) {
		const char *nl = strchr(l, '\n');
		int len = nl ? (int)(nl - l) : (int)strlen(l);

		if (!vmstat || torture_vmstat_counter(l))
			seq_printf(s, "%.*s\n", len, l);
		l += len + (nl ? 1 : 0);
	}
	return s->overflow ? -ENOMEM : 0;
}

/* meminfo, buddyinfo and the vmstat page counters into buf. */
static int torture_snapshot(char *buf)
{
	static const char *const files[] = { "/proc/meminfo", "/proc/buddyinfo", "/proc/vmstat" };
	struct seq s;
	int rc = 0;

	seq_init(&s, buf, TORTURE_SNAP_SIZE);
	for (size_t i = 0; i < ARRAY_SIZE(files) && !rc; i++)
		rc = torture_snap_file(&s, files[i]);
	return rc;
}

/* Copy the line starting at at (without its '\n') into out. */
static void torture_line(const char *at, char *out, size_t size)
{
	const char *nl = strchr(at, '\n');
	size_t len = nl ? (size_t)(nl - at) : strlen(at);

	ksnprintf(out, size, "%.*s", (int)MIN(len, size - 1), at);
}

/* Is the state's snapshot equal to want?  Else fail naming the first
 * line that differs (what, now vs want). */
static bool torture_same(struct torture *t, const char *want, const char *what)
{
	const char *a = torture_now, *b = want;
	char la[80], lb[80];

	if (torture_snapshot(torture_now))
		return torture_fail(t, "cannot read /proc/meminfo, buddyinfo or vmstat");
	if (strcmp(a, b) == 0)
		return true;
	for (const char *sa = a, *sb = b; ; a++, b++) {
		if (*a != *b) {
			torture_line(sa, la, sizeof(la));
			torture_line(sb, lb, sizeof(lb));
			return torture_fail(t, "%s: '%s', was '%s'", what, la, lb);
		}
		if (*a == '\n') {
			sa = a + 1;
			sb = b + 1;
		}
	}
}

/* ---------------------------------------------------------------- steps */

/* One block (two adjacent ones 1 time in 4) of free RAM, memmap_on_memory
 * at random: added offline, self-hosted exactly when asked. */
static bool torture_add(struct torture *t)
{
	int i = (int)torture_below(t, t->nr_free_blocks);
	bool mom = torture_below(t, 2);
	int rc;

	t->first = t->free_blocks[i];
	t->nr = i + 1 < t->nr_free_blocks && t->free_blocks[i + 1] == t->first + 1 &&
		torture_below(t, 4) == 0 ? 2 : 1;
	memhp_memmap_on_memory = mom;
	rc = add_memory(torture_block_pa(t->first), t->nr * MEMORY_BLOCK_SIZE);
	if (rc)
		return torture_fail(t, "add_memory(memory%lu, %lu blocks, memmap_on_memory %d) = %d",
				    t->first, t->nr, mom, rc);
	for (unsigned long nr = t->first; nr < t->first + t->nr; nr++) {
		const struct mem_section *ms = sparse_section(nr);
		u32 want = SECTION_PRESENT | SECTION_MEMMAP | (mom ? SECTION_SELF_HOSTED : 0);

		if (!ms || (ms->state & ~SECTION_EARLY) != want)
			return torture_fail(t, "memory%lu state %#x after add, want %#x", nr,
					    ms ? ms->state : 0, want);
	}
	t->blocks += t->nr;
	t->mom += mom ? t->nr : 0;
	return true;
}

/* Each block online to a random zone of its valid_zones; MemTotal grows by
 * exactly its usable pages. */
static bool torture_online(struct torture *t)
{
	for (unsigned long nr = t->first; nr < t->first + t->nr; nr++) {
		enum zone_type zt = torture_below(t, 2) ? ZONE_MOVABLE : ZONE_NORMAL;
		unsigned long total0 = totalram_pages();
		unsigned long usable = section_nr_to_pfn(nr + 1) - memhp_block_first_usable_pfn(nr);
		int rc;

		if (memhp_valid_zones(nr) != ((1u << ZONE_NORMAL) | (1u << ZONE_MOVABLE)))
			return torture_fail(t, "memory%lu valid zones %#x", nr, memhp_valid_zones(nr));
		rc = online_memory_block(nr, zt == ZONE_MOVABLE ? MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL);
		if (rc || sparse_section(nr)->zone != (u32)zt || !sparse_section_has(nr, SECTION_ONLINE))
			return torture_fail(t, "online memory%lu zone %d = %d", nr, zt, rc);
		if (totalram_pages() != total0 + usable)
			return torture_fail(t, "online memory%lu: MemTotal +%lu pages, want +%lu", nr,
					    totalram_pages() - total0, usable);
		t->zone[zt]++;
	}
	return true;
}

/* A random page of each block taken: its offline is refused naming that
 * pfn and changes nothing; the page goes back. */
static bool torture_busy(struct torture *t)
{
	for (unsigned long nr = t->first; nr < t->first + t->nr; nr++) {
		unsigned long usable = memhp_block_first_usable_pfn(nr), end = section_nr_to_pfn(nr + 1);
		unsigned long pfn = usable + torture_below(t, end - usable), busy = 0;
		enum zone_type zt = sparse_section(nr)->zone;
		int rc;

		if (torture_snapshot(torture_mark))
			return torture_fail(t, "cannot read /proc/meminfo, buddyinfo or vmstat");
		if ((rc = alloc_contig_range(pfn, pfn + 1, zt)))
			return torture_fail(t, "alloc_contig_range(%#lx) in online memory%lu = %d", pfn, nr, rc);
		rc = offline_memory_block(nr, &busy);
		if (rc != -EBUSY || busy != pfn || !sparse_section_has(nr, SECTION_ONLINE) ||
		    sparse_section_has(nr, SECTION_ISOLATED))
			return torture_fail(t, "offline memory%lu holding pfn %#lx = %d, busy pfn %#lx",
					    nr, pfn, rc, busy);
		free_contig_range(pfn, pfn + 1);
		if (!torture_same(t, torture_mark, "refused offline changed"))
			return false;
		t->refusals++;
	}
	return true;
}

/* 2 MiB ranges of the blocks whose pages are all usable (all free now). */
static unsigned long torture_free_ranges(const struct torture *t)
{
	unsigned long n = 0, pages = hstate_pages(t->h);

	for (unsigned long nr = t->first; nr < t->first + t->nr; nr++)
		n += (section_nr_to_pfn(nr + 1) - ALIGN_UP(memhp_block_first_usable_pfn(nr), pages)) / pages;
	return n;
}

/* Hold every free 2 MiB block outside this cycle's blocks on pinned (the
 * pool then has nowhere else to grow). */
static void torture_pin(struct torture *t, struct list_head *pinned)
{
	struct list_head *e, *next;
	struct page *p;

	while ((p = alloc_pages(t->h->order, ZONE_MOVABLE)))
		list_add_tail(&p->lru, pinned);
	for (e = pinned->next; e != pinned; e = next) {
		next = e->next;
		p = list_entry(e, struct page, lru);
		if (torture_in_blocks(t, page_to_pfn(p))) {
			list_del(e);
			p->lru.next = p->lru.prev = NULL;
			free_pages(p, t->h->order);
		}
	}
}

static void torture_unpin(struct torture *t, struct list_head *pinned)
{
	while (!list_empty(pinned)) {
		struct page *p = list_first_entry(pinned, struct page, lru);

		list_del(&p->lru);
		p->lru.next = p->lru.prev = NULL;
		free_pages(p, t->h->order);
	}
}

/* Pages of the pool with a frame in this cycle's blocks. */
static unsigned long torture_pool_in_blocks(const struct torture *t)
{
	unsigned long n = 0;
	struct list_head *e;

	list_for_each(e, &t->h->free_list)
		n += torture_in_blocks(t, page_to_pfn(list_entry(e, struct page, lru)));
	list_for_each(e, &t->h->active_list)
		n += torture_in_blocks(t, page_to_pfn(list_entry(e, struct page, lru)));
	return n;
}

/* HVO at random through the sysctl, then grow the pool by 1 .. what fits
 * (1 time in 4: 1 or 2 more) with everything outside the blocks pinned:
 * it gets exactly min(asked, what fits), all of it inside the blocks,
 * optimized iff HVO is on. */
static bool torture_grow(struct torture *t)
{
	struct list_head pinned = LIST_HEAD_INIT(pinned);
	unsigned long fit = torture_free_ranges(t), got;
	unsigned long want = torture_below(t, 4) ? 1 + torture_below(t, fit) : fit + 1 + torture_below(t, 2);
	bool hvo = torture_below(t, 2);

	if (pseudofs_write(TORTURE_HVO_PATH, hvo ? "1" : "0"))
		return torture_fail(t, "echo %d > " TORTURE_HVO_PATH " failed", hvo);
	torture_pin(t, &pinned);
	got = hugetlb_set_pool(t->h, t->pool0 + want) - t->pool0;
	torture_unpin(t, &pinned);
	t->grown = got;
	if (got != MIN(want, fit) || torture_pool_in_blocks(t) != got)
		return torture_fail(t, "pool grown by %lu of %lu asked (%lu fit), %lu inside memory%lu+%lu",
				    got, want, fit, torture_pool_in_blocks(t), t->first, t->nr);
	if (node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) != t->opt0 + (long)(hvo ? got : 0))
		return torture_fail(t, "nr_hugetlb_vmemmap_optimized %ld after %lu pages, HVO %d, was %ld",
				    node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED), got, hvo, t->opt0);
	t->hvo_grows += hvo;
	t->pool_pages += got;
	t->short_grows += want > fit;
	return true;
}

/* Take a pool page of the blocks: its block's offline is refused naming a
 * pfn of that page, pool and counters unchanged; give it back. */
static bool torture_hold(struct torture *t)
{
	unsigned long busy = 0, nr_pages = t->h->nr_huge_pages, pages = hstate_pages(t->h), pfn, nr;
	struct page *head;
	int rc;

	if (!t->grown)
		return true;
	if (torture_snapshot(torture_mark))
		return torture_fail(t, "cannot read /proc/meminfo, buddyinfo or vmstat");
	head = hugetlb_take(t->h);
	if (!head || !torture_in_blocks(t, pfn = page_to_pfn(head)))
		return torture_fail(t, "hugetlb_take() gave %#lx, not a page of the blocks",
				    head ? page_to_pfn(head) : 0);
	nr = pfn_to_section_nr(pfn);
	rc = offline_memory_block(nr, &busy);
	if (rc != -EBUSY || busy < pfn || busy >= pfn + pages || t->h->nr_huge_pages != nr_pages ||
	    !sparse_section_has(nr, SECTION_ONLINE))
		return torture_fail(t, "offline memory%lu with huge page %#lx taken = %d, busy pfn %#lx (%s), "
				    "pool %lu was %lu", nr, pfn, rc, busy, memhp_pfn_owner(busy),
				    t->h->nr_huge_pages, nr_pages);
	if (hugetlb_give(head))
		return torture_fail(t, "hugetlb_give(%#lx) refused", pfn);
	t->refusals++;
	return torture_same(t, torture_mark, "refused offline changed");
}

/* Up to TORTURE_MAX_ALLOCS blocks of random orders (mostly small) from
 * random zones, given back in random order: MemFree back exactly. */
static bool torture_alloc(struct torture *t)
{
	struct page *held[TORTURE_MAX_ALLOCS];
	unsigned int order[TORTURE_MAX_ALLOCS];
	unsigned long n = 1 + torture_below(t, TORTURE_MAX_ALLOCS), free0 = nr_free_pages();

	for (unsigned long i = 0; i < n; i++) {
		enum zone_type zt = torture_below(t, 2) ? ZONE_MOVABLE : ZONE_NORMAL;

		order[i] = torture_below(t, 4) ? torture_below(t, 4) : torture_below(t, MAX_ORDER + 1);
		held[i] = alloc_pages(order[i], zt);
		if (held[i] && (held[i]->refcount != 1 || page_test_flag(held[i], PG_buddy) ||
				(zt == ZONE_NORMAL && page_zone_id(held[i]) != ZONE_NORMAL)))
			return torture_fail(t, "alloc_pages(%u, zone %d) gave pfn %#lx refcount %d zone %d",
					    order[i], zt, page_to_pfn(held[i]), held[i]->refcount,
					    page_zone_id(held[i]));
		t->allocs += held[i] != NULL;
	}
	for (unsigned long i = n; i > 0; i--) {
		unsigned long j = torture_below(t, i);

		if (held[j])
			free_pages(held[j], order[j]);
		held[j] = held[i - 1];
		order[j] = order[i - 1];
	}
	if (nr_free_pages() != free0)
		return torture_fail(t, "nr_free_pages %lu after alloc and free, was %lu", nr_free_pages(), free0);
	return true;
}

/* The pool back to its size before the run; 1 time in 3 left for the
 * offline to dissolve. */
static bool torture_shrink(struct torture *t)
{
	unsigned long n;

	if (t->grown && torture_below(t, 3) == 0) {
		t->left_to_offline++;
		return true;
	}
	n = hugetlb_set_pool(t->h, t->pool0);
	if (n != t->pool0 || node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) != t->opt0)
		return torture_fail(t, "pool %lu after shrink to %lu, %ld optimized (was %ld)", n, t->pool0,
				    node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED), t->opt0);
	return true;
}

/* Each block offline (what the pool still has there dissolved). */
static bool torture_offline(struct torture *t)
{
	for (unsigned long nr = t->first; nr < t->first + t->nr; nr++) {
		unsigned long busy = 0;
		int rc = offline_memory_block(nr, &busy);

		if (rc || sparse_section_has(nr, SECTION_ONLINE))
			return torture_fail(t, "offline memory%lu = %d, busy pfn %#lx (%s)", nr, rc, busy,
					    rc == -EBUSY ? memhp_pfn_owner(busy) : "-");
	}
	if (t->h->nr_huge_pages != t->pool0 || node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) != t->opt0)
		return torture_fail(t, "pool %lu after offline (was %lu), %ld optimized (was %ld)",
				    t->h->nr_huge_pages, t->pool0, node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED),
				    t->opt0);
	return true;
}

static bool torture_remove(struct torture *t)
{
	int rc = remove_memory(torture_block_pa(t->first), t->nr * MEMORY_BLOCK_SIZE);

	if (rc)
		return torture_fail(t, "remove_memory(memory%lu, %lu blocks) = %d", t->first, t->nr, rc);
	for (unsigned long nr = t->first; nr < t->first + t->nr; nr++)
		if (sparse_section_has(nr, SECTION_PRESENT))
			return torture_fail(t, "memory%lu still present after remove", nr);
	return true;
}

/* Every page counter, every free list and MemFree exactly at baseline. */
static bool torture_settle(struct torture *t)
{
	return torture_same(t, torture_base, "not at baseline");
}

static const struct torture_step {
	const char *name;
	bool (*fn)(struct torture *t);
} torture_steps[] = {
	{ "add", torture_add },         { "online", torture_online }, { "busy", torture_busy },
	{ "grow", torture_grow },       { "hold", torture_hold },     { "alloc", torture_alloc },
	{ "shrink", torture_shrink },   { "offline", torture_offline }, { "remove", torture_remove },
	{ "settle", torture_settle },
};

/* ---------------------------------------------------------------- the run */

/* One cycle: every step, vm_check after each; false at the first failure. */
static bool torture_cycle(struct torture *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(torture_steps); i++) {
		t->step = torture_steps[i].name;
		if (!torture_steps[i].fn(t) || !torture_vm_check(t))
			return false;
	}
	return true;
}

/* Remember the blocks of free RAM mem= kept back (what `mem add` takes). */
static void torture_find_blocks(struct torture *t)
{
	phys_addr_t top = 0;

	for (int i = 0; i < bootinfo.nr_mmap; i++)
		if (bootinfo.mmap[i].type == BOOT_MEM_USABLE)
			top = MAX(top, bootinfo.mmap[i].base + bootinfo.mmap[i].size);
	t->nr_free_blocks = 0;
	for (unsigned long nr = 0; nr < top / MEMORY_BLOCK_SIZE && t->nr_free_blocks < TORTURE_MAX_BLOCKS; nr++)
		if (memhp_block_is_free_ram(nr))
			t->free_blocks[t->nr_free_blocks++] = nr;
}

static void torture_summary(const struct torture *t)
{
	printk("torture: hotplug: %lu cycles ok: %lu blocks added (%lu memmap_on_memory), online %lu Normal "
	       "%lu Movable; %lu pool pages grown inside them (%lu grows with HVO, %lu cut short, %lu left "
	       "to offline); %lu offlines refused while busy; %lu blocks allocated and freed; meminfo, "
	       "buddyinfo, vmstat at baseline\n", t->cycle, t->blocks, t->mom, t->zone[ZONE_NORMAL],
	       t->zone[ZONE_MOVABLE], t->pool_pages, t->hvo_grows, t->short_grows, t->left_to_offline,
	       t->refusals, t->allocs);
}

/* Run cycles cycles from seed; 0, or -1 with t->msg set. */
static int torture_hotplug(struct torture *t, unsigned long cycles, u64 seed)
{
	bool mom = memhp_memmap_on_memory;
	int hvo = hugetlb_optimize_vmemmap, rc = 0;

	t->rng = seed ? seed : 1;
	t->h = hstate_by_kb(TORTURE_POOL_KB);
	t->pool0 = t->h->nr_huge_pages;
	t->opt0 = node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED);
	printk("torture: hotplug: seed %#llx, %lu cycles over %d free blocks (memory%lu..memory%lu)\n",
	       (unsigned long long)seed, cycles, t->nr_free_blocks, t->free_blocks[0],
	       t->free_blocks[t->nr_free_blocks - 1]);
	t->step = "baseline";
	if (torture_snapshot(torture_base)) {
		torture_fail(t, "cannot read /proc/meminfo, buddyinfo or vmstat");
		return -1;
	}
	for (t->cycle = 1; t->cycle <= cycles && !rc; t->cycle++) {
		if (!torture_cycle(t))
			rc = -1;
		else if (cycles >= 10 && t->cycle % (cycles / 10) == 0)
			printk("torture: hotplug: cycle %lu of %lu ok\n", t->cycle, cycles);
	}
	t->cycle--;
	memhp_memmap_on_memory = mom;
	hugetlb_optimize_vmemmap = hvo;
	return rc;
}

/* `torture hotplug CYCLES [SEED]` (SEED decimal or 0x hex; default from
 * the cycle counter): needs free RAM kept back by mem=. */
static int torture_cmd(int argc, char **argv)
{
	static struct torture t;
	u64 cycles, seed;

	if (argc < 3 || argc > 4 || strcmp(argv[1], "hotplug"))
		return shell_error("torture: usage: torture hotplug CYCLES [SEED]");
	if (kstrtou64(argv[2], 0, &cycles) || cycles == 0 || cycles > TORTURE_MAX_CYCLES)
		return shell_error("torture: '%s' is not a number of cycles (1..%lu)", argv[2], TORTURE_MAX_CYCLES);
	if (argc == 4 && kstrtou64(argv[3], 0, &seed))
		return shell_error("torture: '%s' is not a seed", argv[3]);
	if (argc == 3)
		seed = arch_cycles() * 0x9e3779b97f4a7c15ULL;
	memset(&t, 0, sizeof(t));
	torture_find_blocks(&t);
	if (!t.nr_free_blocks)
		return shell_error("torture: no free RAM block to add (boot with mem= below the RAM size)");
	if (!hstate_by_kb(TORTURE_POOL_KB) || hstate_by_kb(TORTURE_POOL_KB)->nr_huge_pages)
		return shell_error("torture: the %u kB huge page pool must exist and be empty", TORTURE_POOL_KB);
	if (torture_hotplug(&t, (unsigned long)cycles, seed))
		return shell_error("torture: hotplug: seed %#llx: %s", (unsigned long long)seed, t.msg);
	torture_summary(&t);
	return 0;
}
SHELL_CMD("torture", "torture hotplug CYCLES [SEED]",
	  "hotplug torture: add/online/pool/alloc/offline/remove cycles, checked after every step", torture_cmd);
