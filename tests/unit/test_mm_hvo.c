/* Host test of HVO (mm/hugetlb_vmemmap.c) on the simulated vmemmap, where
 * a read-only vmemmap page is a real read-only mapping (host_probe_write):
 * the tail encoding, optimize/restore accounting, the shared tail page's
 * lifetime, restore under exhaustion (donation), injected allocation
 * failures, vm_check's HVO rules and the `vmemmap` view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/sparse.h"
#include "mm/pgwalk.h"
#include "mm/buddy.h"
#include "mm/vmstat.h"
#include "mm/vm_check.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/hugetlb.h"
#include "mm/memory_hotplug.h"
#include "mm/sparse_vmemmap.h"
#include "mm/page_poison.h"

#define ORDER 9
#define NPAGES (1UL << ORDER)
#define NV 8                                 /* vmemmap pages of a 2 MiB page */
#define LIST_HEAD(n) struct list_head n = LIST_HEAD_INIT(n)

struct counters { long boot, rt, opt; unsigned long free, managed; };
static struct counters snap(void)
{
	return (struct counters){ node_stat(NR_MEMMAP_BOOT_PAGES), node_stat(NR_MEMMAP_PAGES),
				  node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED), nr_free_pages(), totalram_pages() };
}

/* Take a free 2 MiB range from the top of memory as HugeTLB does, with its
 * struct pages left plain; then its compound setup (HVO off unless opt). */
static struct page *take_huge(bool opt)
{
	static unsigned long next_top;
	unsigned long pfn;

	if (!next_top)
		next_top = ALIGN_DOWN(section_nr_to_pfn(sparse_max_section()), NPAGES);
	for (pfn = next_top - NPAGES; pfn; pfn -= NPAGES)
		if (pfn_valid(pfn) && alloc_contig_range_hugetlb(pfn, pfn + NPAGES, ZONE_NORMAL) == 0)
			break;
	next_top = pfn;
	return pfn ? pfn_to_page(pfn) : NULL;
}

static void prep(struct list_head *l, bool hvo)
{
	struct list_head *e;

	if (hvo)
		hugetlb_vmemmap_optimize_folios(l, ORDER);
	for (e = l->next; e != l; e = e->next) {
		struct page *h = list_entry(e, struct page, lru);
		prep_compound_head(h, ORDER);
		if (!hugetlb_vmemmap_optimized(h))
			prep_compound_tails(h, ORDER);
	}
}

/* Dissolve every page on l: restore, destroy, free (what HugeTLB does). */
static unsigned long dissolve(struct list_head *l)
{
	unsigned long donated = hugetlb_vmemmap_restore_folios(l, ORDER);

	while (!list_empty(l)) {
		struct page *h = list_first_entry(l, struct page, lru);
		unsigned long pfn = page_to_pfn(h);

		list_del(&h->lru);
		h->lru.next = h->lru.prev = NULL;
		destroy_compound_page(h, ORDER);
		free_contig_range_hugetlb(pfn, pfn + NPAGES);
	}
	return donated;
}

static phys_addr_t frame_of(unsigned long va)
{
	pte_t *ep = pgwalk_pte(va);
	return ep && pte_present(*ep) ? pte_pa(*ep) : 0;
}

/* Fix-first: a fresh order-9 compound page (HVO off) after its range was
 * split and merged in the buddy: vmemmap pages 1..7 are byte-identical to
 * each other and to the shared tail page HVO would map there. */
static void hvo_tails_canonical(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page ref[64], *h;
	LIST_HEAD(l);
	bool same = true;
	unsigned long pfn;

	host_mm_boot(256 * SZ_1M, &o);
	h = take_huge(false);
	pfn = page_to_pfn(h);
	free_contig_range_hugetlb(pfn, pfn + NPAGES);          /* back in one piece */
	host_ok(alloc_contig_range(pfn, pfn + NPAGES, ZONE_NORMAL) == 0, "take it as order-0 pages");
	/* an order-1 block that merges into its lower buddy (a page in row 0
	 * and one beyond): the free path must not leave its order behind */
	pfn_to_page(pfn + 2)->order = 1;
	pfn_to_page(pfn + 3)->refcount = 0;
	pfn_to_page(pfn + 100)->order = 1;
	pfn_to_page(pfn + 101)->refcount = 0;
	free_pages(pfn_to_page(pfn), 0);
	free_pages(pfn_to_page(pfn + 1), 0);
	for (unsigned long i = NPAGES; i-- > 4;)                /* merge up one page at a time */
		if (i != 100 && i != 101)
			free_pages(pfn_to_page(pfn + i), 0);
	free_pages(pfn_to_page(pfn + 100), 1);                  /* merge into lower buddies */
	free_pages(pfn_to_page(pfn + 2), 1);
	host_ok(pfn_to_page(pfn + 2)->order == 0 && pfn_to_page(pfn + 100)->order == 0,
		"no order left behind in a block merged into its lower buddy");
	host_ok(alloc_contig_range_hugetlb(pfn, pfn + NPAGES, ZONE_NORMAL) == 0, "hugetlb take");
	h = pfn_to_page(pfn);
	list_add(&h->lru, &l);
	prep(&l, false);
	for (int i = 0; i < 64; i++)
		page_init_tail(&ref[i], ORDER, ZONE_NORMAL);
	for (int i = 1; i < NV; i++)
		same &= !memcmp((char *)h + i * PAGE_SIZE, ref, PAGE_SIZE);
	host_ok(same, "vmemmap pages 1..7 equal each other and the shared tail page");
	host_ok(compound_head(&h[511]) == h && compound_head(&h[1]) == h && compound_head(h) == h,
		"compound_head() through the mask");
	host_ok(h[1].compound_info == h[300].compound_info && (h[1].compound_info & 1),
		"every tail holds the same compound_info %#lx", h[1].compound_info);
	dissolve(&l);
	host_ok(host_vm_check(), "vm_check after dissolve");
}

/* Grow 16 pages with HVO: exact counters, one shared page, one batch,
 * RO tails that fault on write; dissolve: counters back. */
static const char *accounting_cmdline;
static void hvo_accounting(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = accounting_cmdline };
	struct counters c0, c1, c2, c3;
	struct page *hp[16];
	LIST_HEAD(l);
	phys_addr_t shared;
	u64 all0, one0;
	bool rows = true, plain = true;

	host_mm_boot(512 * SZ_1M, &o);
	c0 = snap();
	for (int i = 0; i < 16; i++) {
		hp[i] = take_huge(true);
		list_add_tail(&hp[i]->lru, &l);
	}
	c1 = snap();
	host_ok(c1.free == c0.free - 16 * NPAGES, "16 huge pages taken");
	all0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
	one0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	host_ok(hugetlb_vmemmap_optimize_folios(&l, ORDER) == 16, "16 optimized");
	prep(&l, false);
	c2 = snap();
	host_ok(c2.boot + c2.rt == c0.boot + c0.rt - (16 * 7 - 1),
		"nr_memmap_* fell by 16*7-1 (boot %ld -> %ld, run-time %ld -> %ld)", c0.boot, c2.boot, c0.rt, c2.rt);
	host_ok(c2.boot == c0.boot - 16 * 7 && c2.rt == c0.rt + 1, "boot frames freed, shared page run-time");
	host_ok(c2.free == c0.free - 16 * NPAGES + 16 * 7 - 1, "nr_free_pages moved by -16*512 + 111");
	host_ok(c2.managed == c0.managed + 16 * 7, "boot frames became managed pages (MemTotal +%lu pages)",
		c2.managed - c0.managed);
	host_ok(c2.opt == 16 && hugetlb_vmemmap_nr_tail_frames() == 1, "nr_hugetlb_vmemmap_optimized 16, 1 shared page");
	host_ok(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) - all0 <= 1 &&
		(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) - all0 == 1 || vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) - one0 <= 112),
		"one flush for the batch (all +%llu, one +%llu)",
		(unsigned long long)(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) - all0),
		(unsigned long long)(vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) - one0));
	shared = frame_of((unsigned long)hp[0] + PAGE_SIZE);
	host_ok(hugetlb_vmemmap_is_tail_frame(shared >> PAGE_SHIFT, NULL), "page 1 maps the shared tail page");
	for (int i = 0; i < 16; i++)
		for (int v = 1; v < NV; v++)
			rows &= frame_of((unsigned long)hp[i] + v * PAGE_SIZE) == shared &&
				!pte_writable(*pgwalk_pte((unsigned long)hp[i] + v * PAGE_SIZE));
	host_ok(rows, "112 rows RO onto one frame");
	host_ok(!host_probe_write((unsigned long)&hp[3][100]) && host_probe_read((unsigned long)&hp[3][100]),
		"a write to a tail struct page faults, a read works");
	host_ok(host_probe_write((unsigned long)&hp[3][63]), "head vmemmap page stays RW");
	host_ok(compound_head(&hp[5][400]) == hp[5] && hp[5]->compound_order == ORDER, "tails resolve");
	host_ok(host_vm_check(), "vm_check knows HVO");
	host_ok(dissolve(&l) == 0, "restore with free memory donates nothing");
	for (int i = 0; i < 16; i++)
		for (unsigned long k = 1; k < NPAGES; k++)
			plain &= !memcmp(&hp[i][k], &(struct page){ 0 }, sizeof(struct page));
	host_ok(plain, "dissolved: the 16 x 511 restored tail struct pages are plain (all zero) free pages");
	c3 = snap();
	host_ok(c3.free == c0.free && c3.boot + c3.rt == c0.boot + c0.rt && c3.opt == 0 &&
		hugetlb_vmemmap_nr_tail_frames() == 0,
		"shrink to 0: free %lu/%lu, memmap %ld/%ld, optimized %ld, shared pages 0",
		c3.free, c0.free, c3.boot + c3.rt, c0.boot + c0.rt, c3.opt);
	host_ok(c3.rt == c0.rt + 16 * 7, "restored frames count in nr_memmap_pages (+%ld)", c3.rt - c0.rt);
	host_ok(host_vm_check(), "vm_check after dissolve");

	/* the same ranges again: now their vmemmap frames are run-time ones */
	for (int i = 0; i < 16; i++) {
		unsigned long pfn = page_to_pfn(hp[i]);
		host_ok(alloc_contig_range_hugetlb(pfn, pfn + NPAGES, ZONE_NORMAL) == 0, "retake %d", i);
		list_add_tail(&hp[i]->lru, &l);
	}
	host_ok(hugetlb_vmemmap_optimize_folios(&l, ORDER) == 16, "optimized again");
	prep(&l, false);
	c2 = snap();
	host_ok(c2.rt == c3.rt - 16 * 7 + 1 && c2.boot == c3.boot && c2.free == c3.free - 16 * NPAGES + 111,
		"run-time frames freed: nr_memmap_pages -111, nr_free_pages -16*512 + 111");
	host_ok(host_vm_check(), "vm_check");
	dissolve(&l);
	c3 = snap();
	host_ok(c3.free == c0.free && c3.boot + c3.rt == c0.boot + c0.rt, "and back");
}

/* The shared tail page lives exactly as long as an optimized page uses it;
 * HVO off leaves nr_memmap_* alone. */
static void hvo_shared_lifetime(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *a, *b;
	LIST_HEAD(la);
	LIST_HEAD(lb);
	struct counters c0;
	long rt0;

	host_mm_boot(256 * SZ_1M, &o);
	c0 = snap();
	hugetlb_optimize_vmemmap = 0;
	a = take_huge(false);
	list_add(&a->lru, &la);
	prep(&la, true);
	host_ok(!hugetlb_vmemmap_optimized(a) && snap().boot == c0.boot && snap().rt == c0.rt,
		"HVO off: no change in nr_memmap_*");
	dissolve(&la);
	hugetlb_optimize_vmemmap = 1;
	rt0 = node_stat(NR_MEMMAP_PAGES);
	host_ok(hugetlb_vmemmap_nr_tail_frames() == 0, "empty pool: no shared page");
	a = take_huge(true);
	b = take_huge(true);
	list_add(&a->lru, &la);
	list_add(&b->lru, &lb);
	prep(&la, true);
	host_ok(hugetlb_vmemmap_nr_tail_frames() == 1 && node_stat(NR_MEMMAP_PAGES) == rt0 + 1,
		"first optimized page allocates the shared page");
	prep(&lb, true);
	host_ok(hugetlb_vmemmap_nr_tail_frames() == 1 && node_stat(NR_MEMMAP_PAGES) == rt0 + 1,
		"second one shares it");
	dissolve(&la);
	host_ok(hugetlb_vmemmap_nr_tail_frames() == 1 && compound_head(&b[200]) == b,
		"still there while one page uses it");
	dissolve(&lb);
	host_ok(hugetlb_vmemmap_nr_tail_frames() == 0 && node_stat(NR_MEMMAP_PAGES) == rt0 + 14,
		"freed with the last; the 14 restored frames count");
	host_ok(host_vm_check(), "vm_check");
}

/* Take every free block; returns how many pages, pfns/orders in *held. */
static unsigned long take_all(unsigned long **pfns, unsigned int **orders, unsigned long *nr)
{
	unsigned long n = 0, cap = 4096, pages = 0;
	struct page *p;

	*pfns = malloc(cap * sizeof(**pfns));
	*orders = malloc(cap * sizeof(**orders));
	for (int o = MAX_ORDER; o >= 0; o--)
		while ((p = alloc_pages(o, ZONE_NORMAL))) {
			if (n == cap) {
				cap *= 2;
				*pfns = realloc(*pfns, cap * sizeof(**pfns));
				*orders = realloc(*orders, cap * sizeof(**orders));
			}
			(*pfns)[n] = page_to_pfn(p);
			(*orders)[n++] = o;
			pages += 1UL << o;
		}
	*nr = n;
	return pages;
}

static void give_all(unsigned long *pfns, unsigned int *orders, unsigned long n)
{
	while (n--)
		free_pages(pfn_to_page(pfns[n]), orders[n]);
	free(pfns);
	free(orders);
}

/* Restore under exhaustion: no free page at all, then exactly 10; the
 * dissolve succeeds, donates what it must, and the free count is
 * 512 per huge page minus the frames restored. */
static void hvo_exhaustion(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long *pfns, n, freed;
	unsigned int *orders;
	struct counters c0, c1, c2;
	LIST_HEAD(l);
	unsigned long donated;

	host_mm_boot(256 * SZ_1M, &o);
	for (int i = 0; i < 4; i++)
		list_add_tail(&take_huge(true)->lru, &l);
	prep(&l, true);
	c0 = snap();
	take_all(&pfns, &orders, &n);
	host_ok(nr_free_pages() == 0, "every free page taken (%lu blocks)", n);
	c1 = snap();
	donated = dissolve(&l);
	c2 = snap();
	host_ok(donated == 4 * 7, "nothing free: all 28 frames donated (%lu)", donated);
	/* the shared tail page (1) is freed too */
	host_ok(c2.free == c1.free + 4 * (NPAGES - 7) + 1, "nr_free_pages +%lu = 4*(512-7) + shared page",
		c2.free - c1.free);
	host_ok(c2.rt == c1.rt + 28 - 1 && c2.opt == 0, "donated frames count in nr_memmap_pages");
	host_ok(host_vm_check(), "vm_check after donating");
	give_all(pfns, orders, n);
	host_ok(host_vm_check(), "vm_check after giving all back");
	freed = nr_free_pages();

	/* exactly 10 free pages: the first page gets 7 from the buddy, the second 3 + 4 donated */
	for (int i = 0; i < 2; i++)
		list_add_tail(&take_huge(true)->lru, &l);
	prep(&l, true);
	take_all(&pfns, &orders, &n);
	/* give back 10 pages outside the huge pages' section (a restore never
	 * takes frames from the sections it dissolves): split a held block there */
	for (unsigned long i = 0; i < n; i++) {
		unsigned long hsec = pfn_to_section_nr(page_to_pfn(list_first_entry(&l, struct page, lru)));
		unsigned int o = orders[i];

		if (o < 4 || pfn_to_section_nr(pfns[i]) == hsec)
			continue;
		split_page(pfn_to_page(pfns[i]), o);
		pfns = realloc(pfns, (n + (1UL << o)) * sizeof(*pfns));
		orders = realloc(orders, (n + (1UL << o)) * sizeof(*orders));
		for (unsigned long k = 10; k < (1UL << o); k++) {  /* keep the rest as order-0 blocks */
			pfns[n] = pfns[i] + k;
			orders[n++] = 0;
		}
		for (unsigned long k = 0; k < 10; k++)
			free_pages(pfn_to_page(pfns[i] + k), 0);
		pfns[i] = pfns[--n];
		orders[i] = orders[n];
		break;
	}
	host_ok(nr_free_pages() == 10, "10 pages free outside the huge pages' section");
	c1 = snap();
	donated = dissolve(&l);
	c2 = snap();
	host_ok(donated == 4, "10 free frames: 14 - 10 = 4 donated (%lu)", donated);
	host_ok(c2.free == c1.free - 10 + 2 * NPAGES - 4 + 1, "free: -10 taken, +1020 dissolved, +1 shared");
	host_ok(host_vm_check(), "vm_check");
	give_all(pfns, orders, n);
	host_ok(nr_free_pages() == freed, "after giving back: free count as before the grow (%lu/%lu): "
		"14 frames freed by optimize, 10 + 4 donated taken by restore", nr_free_pages(), freed);
	(void)c0;
}

/* Is every page of the held blocks free of PG_zeroed? */
static bool held_unmarked(const unsigned long *pfns, const unsigned int *orders, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		for (unsigned long k = 0; k < (1UL << orders[i]); k++)
			if (page_test_flag(pfn_to_page(pfns[i] + k), PG_zeroed))
				return false;
	return true;
}

/* vm_check keeps the mark honest: one nonzero byte in the known-zero free
 * frame pfn, or PG_zeroed on a page that is not a free block head (the
 * huge page head), is named; undone, the check passes again. */
static void hvo_known_zero_vm_check(unsigned long pfn, struct page *busy)
{
	char msg[256];
	u8 *b = __va((phys_addr_t)pfn << PAGE_SHIFT);

	host_ok(host_vm_check(), "vm_check with the known-zero blocks");
	b[100] = 1;
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "known-zero block"),
		"vm_check: a nonzero byte in a known-zero frame is named (%s)", msg);
	b[100] = 0;
	page_set_flag(busy, PG_zeroed);
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "PG_zeroed"),
		"vm_check: PG_zeroed on a busy page is named (%s)", msg);
	page_clear_flag(busy, PG_zeroed);
	host_ok(host_vm_check(), "vm_check after undoing both");
}

/* Known-zero frames (PG_zeroed, mm/buddy.c): the 28 frames an optimize of 4
 * pages frees go back as marked free blocks (not with page_poison=on) and
 * the restore maps exactly those, unwritten.  Taken by ordinary allocations
 * and scribbled on in between, no page is handed out marked, the marks are
 * gone, and the restore fills its frames: every restored tail struct page
 * is plain either way. */
static const char *zeroed_cmdline;
static void hvo_known_zero(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = zeroed_cmdline };

	host_mm_boot(256 * SZ_1M, &o);
	for (int scribble = 0; scribble < 2; scribble++) {
		bool poison = page_poison_enabled, marked = true, plain = true;
		unsigned long old[4 * (NV - 1)], z0, reused = 0, *pfns, n, head;
		unsigned int *orders, order;
		struct page *hp[4];
		LIST_HEAD(l);

		for (int i = 0; i < 4; i++) {
			hp[i] = take_huge(true);
			list_add_tail(&hp[i]->lru, &l);
			for (int v = 1; v < NV; v++)
				old[i * (NV - 1) + v - 1] = frame_of((unsigned long)hp[i] + v * PAGE_SIZE) >> PAGE_SHIFT;
		}
		z0 = zones[ZONE_NORMAL].zeroed_pages;
		prep(&l, true);
		for (int k = 0; k < 4 * (NV - 1); k++)
			marked &= buddy_find_block(old[k], &head, &order) &&
				  page_test_flag(pfn_to_page(head), PG_zeroed) == !poison;
		host_ok(marked && zones[ZONE_NORMAL].zeroed_pages == z0 + (poison ? 0 : 28),
			"optimize: the 28 old frames are free %s (zeroed_pages %lu -> %lu)",
			poison ? "and unmarked (poisoned)" : "known-zero blocks", z0, zones[ZONE_NORMAL].zeroed_pages);
		if (!scribble && !poison)
			hvo_known_zero_vm_check(old[5], hp[0]);
		if (scribble) {
			take_all(&pfns, &orders, &n);
			host_ok(held_unmarked(pfns, orders, n) && zones[ZONE_NORMAL].zeroed_pages == 0,
				"every free page taken by alloc_pages(): none handed out marked, no mark left");
			for (int k = 0; k < 4 * (NV - 1); k++)
				memset(__va((phys_addr_t)old[k] << PAGE_SHIFT), 0x5a, PAGE_SIZE);
			give_all(pfns, orders, n);
		}
		dissolve(&l);
		for (int i = 0; i < 4; i++)
			for (int v = 1; v < NV; v++)
				for (int k = 0; k < 4 * (NV - 1); k++)
					reused += frame_of((unsigned long)hp[i] + v * PAGE_SIZE) >> PAGE_SHIFT == old[k];
		if (!scribble && !poison)
			host_ok(reused == 28 && zones[ZONE_NORMAL].zeroed_pages == z0,
				"restore: the 28 rows map the 28 known-zero frames (%lu)", reused);
		for (int i = 0; i < 4; i++)
			for (unsigned long k = 1; k < NPAGES; k++)
				plain &= !memcmp(&hp[i][k], &(struct page){ 0 }, sizeof(struct page));
		host_ok(plain, "%s: the 4 x 511 restored tail struct pages are plain",
			scribble ? "frames taken and scribbled on" : "frames reused");
		host_ok(host_vm_check(), "vm_check");
	}
}

/* The mark through merge and split (mm/buddy.c): a known-zero page freed
 * next to its free, written buddy merges into an unmarked block; a marked
 * order-2 block split by alloc_zeroed_runs() for one page leaves its other
 * 3 pages marked, and an ordinary allocation of all of them clears it. */
static void hvo_known_zero_blocks(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct pfn_run run[4];
	unsigned long pfn, head;
	unsigned int order;
	struct page *p;

	host_mm_boot(256 * SZ_1M, &o);
	p = alloc_pages(1, ZONE_NORMAL);
	pfn = page_to_pfn(p);
	split_page(p, 1);
	memset(__va((phys_addr_t)(pfn + 1) << PAGE_SHIFT), 0x5a, PAGE_SIZE);
	memset(__va((phys_addr_t)pfn << PAGE_SHIFT), 0, PAGE_SIZE);
	free_pages(pfn_to_page(pfn + 1), 0);                   /* written, unmarked */
	free_pages_zeroed(pfn, pfn + 1, false);
	host_ok(buddy_find_block(pfn, &head, &order) && order >= 1 && !page_test_flag(pfn_to_page(head), PG_zeroed) &&
		zones[ZONE_NORMAL].zeroed_pages == 0, "zero page + written buddy merge unmarked");

	p = alloc_pages(2, ZONE_NORMAL);
	pfn = page_to_pfn(p);
	split_page(p, 2);
	memset(__va((phys_addr_t)pfn << PAGE_SHIFT), 0, 4 * PAGE_SIZE);
	free_pages_zeroed(pfn, pfn + 4, false);
	host_ok(zones[ZONE_NORMAL].zeroed_pages == 4 && page_test_flag(pfn_to_page(pfn), PG_zeroed),
		"an order-2 block freed known-zero is marked");
	host_ok(alloc_zeroed_runs(ZONE_NORMAL, 1, 1, 0, 0, run, 4) == 1 && run[0].pfn == pfn && run[0].n == 1 &&
		pfn_to_page(pfn)->refcount == 1 && !page_test_flag(pfn_to_page(pfn), PG_zeroed),
		"one page claimed: the block's first, unmarked, allocated");
	host_ok(zones[ZONE_NORMAL].zeroed_pages == 3 && page_test_flag(pfn_to_page(pfn + 1), PG_zeroed) &&
		page_test_flag(pfn_to_page(pfn + 2), PG_zeroed), "the split halves (1 + 2 pages) stay marked");
	host_ok(alloc_pages(1, ZONE_NORMAL) != NULL && alloc_pages(0, ZONE_NORMAL) != NULL &&
		zones[ZONE_NORMAL].zeroed_pages == 3, "ordinary allocations take unmarked blocks first");
	host_ok(alloc_zeroed_runs(ZONE_NORMAL, 8, 8, pfn, pfn + 4, run, 4) == 0,
		"a claim avoiding their range finds none");
	host_ok(host_vm_check(), "vm_check");
}

/* Injected allocation failures: optimize without a shared page leaves the
 * page fully mapped; a restore whose allocations fail donates.  Counters and
 * PTEs stay consistent (vm_check) at every step. */
static void hvo_injected(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *a, *b;
	struct counters c0, c1;
	LIST_HEAD(l);
	LIST_HEAD(lb);
	unsigned long d;

	host_mm_boot(256 * SZ_1M, &o);
	a = take_huge(true);
	b = take_huge(true);
	list_add_tail(&a->lru, &l);
	list_add_tail(&b->lru, &l);
	c0 = snap();
	hugetlb_vmemmap_fail_allocs = 1;
	host_ok(hugetlb_vmemmap_optimize_folios(&l, ORDER) == 1, "shared page allocation fails for one page");
	host_ok(!hugetlb_vmemmap_optimized(a) && hugetlb_vmemmap_optimized(b), "the other one is optimized");
	prep(&l, false);
	c1 = snap();
	host_ok(c1.boot + c1.rt == c0.boot + c0.rt - 6 && c1.opt == 1, "counters: 7 freed, 1 shared");
	host_ok(host_probe_write((unsigned long)&a[300]) && !host_probe_write((unsigned long)&b[300]),
		"a stays RW, b's tails RO");
	host_ok(host_vm_check(), "vm_check after a failed optimize");
	hugetlb_vmemmap_fail_allocs = 3;
	list_del(&a->lru);
	list_add(&a->lru, &lb);
	d = dissolve(&l);
	host_ok(d == 7 && hugetlb_vmemmap_fail_allocs == 2, "restore: first allocation fails, the page donates "
		"all 7 (%lu)", d);
	hugetlb_vmemmap_fail_allocs = 0;
	host_ok(host_vm_check(), "vm_check after a failed-allocation restore");
	dissolve(&lb);
	host_ok(host_vm_check() && hugetlb_vmemmap_nr_tail_frames() == 0, "all dissolved");
}

/* vm_check reports an RO vmemmap page that is not the shared tail page,
 * and a tail page mapped RW; the view draws the rows. */
static void hvo_vm_check_and_view(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *h;
	LIST_HEAD(l);
	char msg[VM_CHECK_MSG_SIZE], buf[8192];
	struct pgwalk_remap r;
	phys_addr_t shared;

	host_mm_boot(256 * SZ_1M, &o);
	h = take_huge(true);
	list_add(&h->lru, &l);
	prep(&l, true);
	shared = frame_of((unsigned long)h + PAGE_SIZE);
	r = (struct pgwalk_remap){ .va = (unsigned long)h + 2 * PAGE_SIZE, .pa = shared, .prot = PROT_KERNEL_RW };
	pgwalk_remap_batch(&r, 1);
	host_ok(vm_check_run(msg, sizeof(msg)) != 0 && strstr(msg, "shared tail page") && strstr(msg, "RW"),
		"a shared tail page mapped RW is reported: %s", msg);
	r.prot = PROT_KERNEL_RO;
	r.pa = frame_of((unsigned long)h);
	pgwalk_remap_batch(&r, 1);
	host_ok(vm_check_run(msg, sizeof(msg)) != 0 && strstr(msg, "read-only onto") && strstr(msg, "not a shared tail page"),
		"an RO page onto another frame is reported: %s", msg);
	r.pa = shared;
	pgwalk_remap_batch(&r, 1);
	host_ok(host_vm_check(), "put back: ok");
	snprintf(buf, sizeof(buf), "vmemmap %#lx", page_to_pfn(h) + 77);
	host_ok(host_shell(buf, buf, sizeof(buf)) == 0, "vmemmap verb");
	printf("%s", buf);
	host_ok(strstr(buf, "shared tail page") && strstr(buf, " RO") && strstr(buf, " RW"),
		"rows name RW/RO and the shared tail page");
	dissolve(&l);
}

/* Is every vmemmap page of section nr mapped RW onto the block's own altmap
 * frame of the same index (the layout memory_hotplug.c builds)? */
static bool altmap_whole(unsigned long nr)
{
	unsigned long start = section_nr_to_pfn(nr);

	for (unsigned long k = 0; k < VMEMMAP_PAGES_PER_SECTION; k++) {
		pte_t *ep = pgwalk_pte(vmemmap_section_va(nr) + k * PAGE_SIZE);
		const struct page *f = pfn_to_page(start + k);

		if (!ep || !pte_writable(*ep) || pte_pa(*ep) != (phys_addr_t)(start + k) << PAGE_SHIFT ||
		    !page_test_flag(f, PG_vmemmap_self_hosted) || !page_test_flag(f, PG_reserved))
			return false;
	}
	return true;
}

/* HVO inside a memmap-on-memory block (online movable, so the pool grows
 * there): the freed altmap frames become managed free pages of the block,
 * nr_memmap_* moves only by the shared page; a shrink takes the altmap back
 * whole; offline (which dissolves) and hot-remove still work and every
 * counter returns to its baseline. */
static void hvo_self_hosted(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	struct hstate *h;
	unsigned long nr = 2, start = section_nr_to_pfn(nr), busy = 0, free0, free1, total0, total1;
	long memmap0, memmap1;
	bool plain = true;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	h = hstate_by_size(SZ_2M);
	free0 = nr_free_pages();
	total0 = totalram_pages();
	memmap0 = node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES);
	host_ok(add_memory(nr * SZ_128M, SZ_128M) == 0 && online_memory_block(nr, MMOP_ONLINE_MOVABLE) == 0,
		"self-hosted block added and onlined movable");
	host_ok(sparse_section_has(nr, SECTION_SELF_HOSTED) && altmap_whole(nr), "memmap in its own altmap");
	free1 = nr_free_pages();
	total1 = totalram_pages();
	memmap1 = node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES);
	host_ok(hugetlb_set_pool(h, 4) == 4, "pool of 4 grows");
	host_ok(!list_empty(&h->free_list) &&
		pfn_to_section_nr(page_to_pfn(list_first_entry(&h->free_list, struct page, lru))) == nr,
		"from the Movable block");
	host_ok(node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == 4, "all 4 optimized");
	host_ok(node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES) == memmap1 + 1,
		"nr_memmap_* moves only by the shared tail page");
	host_ok(totalram_pages() == total1 + 28 && nr_free_pages() == free1 - 4 * NPAGES + 28 - 1,
		"the 28 freed altmap frames are managed free pages (MemTotal +%lu)", totalram_pages() - total1);
	host_ok(host_vm_check(), "vm_check with optimized pages in a self-hosted block");
	host_ok(hugetlb_set_pool(h, 0) == 0 && altmap_whole(nr), "shrink: the altmap is whole again");
	for (unsigned long pfn = start + sparse_section(nr)->nr_altmap_pages; pfn < start + PAGES_PER_SECTION; pfn++) {
		const struct page *p = pfn_to_page(pfn);
		if (!page_test_flag(p, PG_buddy) && !page_test_flag(p, PG_pcp))
			plain &= !memcmp(p, &(struct page){ .flags = (u64)ZONE_MOVABLE << ZONE_SHIFT },
					 sizeof(struct page));
	}
	host_ok(plain, "shrink: every free non-head struct page of the block is a plain Movable page");
	host_ok(totalram_pages() == total1 && nr_free_pages() == free1 &&
		node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES) == memmap1, "counters back");
	host_ok(hugetlb_set_pool(h, 4) == 4 && node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == 4, "grow again");
	host_ok(offline_memory_block(nr, &busy) == 0, "offline dissolves the free huge pages (busy %#lx)", busy);
	host_ok(altmap_whole(nr) && h->nr_huge_pages == 0 && node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == 0,
		"altmap whole after offline");
	host_ok(host_vm_check(), "vm_check offline");
	host_ok(remove_memory(nr * SZ_128M, SZ_128M) == 0, "hot-remove");
	host_ok(nr_free_pages() == free0 && totalram_pages() == total0 &&
		node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES) == memmap0 &&
		hugetlb_vmemmap_nr_tail_frames() == 0, "every counter at baseline");
	host_ok(host_vm_check(), "vm_check after remove");
}

/* A block onlined to ZONE_NORMAL: the restore that offline's dissolve runs
 * must not take its frames from the block being offlined (its free pages
 * are Normal pages too), or the offline would find them busy. */
static void hvo_offline_kernel_block(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	unsigned long nr = 2, busy = 0, free0;
	struct hstate *h;
	struct list_head *e;
	unsigned long inside = 0;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	h = hstate_by_size(SZ_2M);
	free0 = nr_free_pages();
	host_ok(add_memory(nr * SZ_128M, SZ_128M) == 0 && online_memory_block(nr, MMOP_ONLINE_KERNEL) == 0,
		"block onlined to Normal");
	host_ok(hugetlb_set_pool(h, 8) == 8, "pool of 8");
	list_for_each(e, &h->free_list)
		inside += pfn_to_section_nr(page_to_pfn(list_entry(e, struct page, lru))) == nr;
	host_ok(inside > 0, "%lu of them in the block", inside);
	{ int rc = offline_memory_block(nr, &busy); host_ok(rc == 0, "offline dissolves them and succeeds (rc %d busy %#lx, %s)", rc, busy, rc ? memhp_pfn_owner(busy) : "-"); }
	host_ok(remove_memory(nr * SZ_128M, SZ_128M) == 0, "remove");
	host_ok(host_vm_check(), "vm_check");
	hugetlb_set_pool(h, 0);
	host_ok(nr_free_pages() == free0 && hugetlb_vmemmap_nr_tail_frames() == 0, "free pages back (%lu/%lu)",
		nr_free_pages(), free0);
}

/* A Movable huge page's plain struct pages carry the zone in their flags,
 * so the frames its optimize frees are not known-zero: nothing is marked
 * in any zone, and a later Normal restore fills what it takes. */
static void hvo_known_zero_movable(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	unsigned long nr = 2, inside = 0;
	struct hstate *h;
	struct list_head *e;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	h = hstate_by_size(SZ_2M);
	host_ok(add_memory(nr * SZ_128M, SZ_128M) == 0 && online_memory_block(nr, MMOP_ONLINE_MOVABLE) == 0,
		"block onlined to Movable");
	host_ok(hugetlb_set_pool(h, 8) == 8, "pool of 8");
	list_for_each(e, &h->free_list)
		inside += page_zone_id(list_entry(e, struct page, lru)) == ZONE_MOVABLE;
	host_ok(inside == 8 && node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == 8, "8 optimized Movable pages");
	host_ok(zones[ZONE_NORMAL].zeroed_pages == 0 && zones[ZONE_MOVABLE].zeroed_pages == 0,
		"their 56 old frames freed unmarked (zeroed_pages %lu, %lu)", zones[ZONE_NORMAL].zeroed_pages,
		zones[ZONE_MOVABLE].zeroed_pages);
	hugetlb_set_pool(h, 0);
	host_ok(host_vm_check(), "vm_check");
}

/* More pages than one batch holds (4096 remaps: 585 x 2 MiB, 1 x 1 GiB):
 * every page optimized and restored, one flush per batch, counters exact. */
static void hvo_batches(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct counters c0, c1;
	LIST_HEAD(l);
	LIST_HEAD(g);
	u64 flushes0;
	unsigned long n = 0, gpfn[2];
	bool ro = true;

	host_mm_boot(6 * SZ_1G, &o);
	c0 = snap();
	for (int i = 0; i < 600; i++) {
		struct page *h = take_huge(true);
		if (!h)
			break;
		list_add_tail(&h->lru, &l);
		n++;
	}
	host_ok(n == 600, "600 x 2 MiB taken");
	flushes0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) + vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	host_ok(hugetlb_vmemmap_optimize_folios(&l, ORDER) == 600, "all 600 optimized");
	prep(&l, false);
	host_ok(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) + vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) - flushes0 == 2,
		"two batches (585 + 15 pages), one flush each");
	c1 = snap();
	host_ok(c1.boot + c1.rt == c0.boot + c0.rt - (600 * 7 - 1) &&
		c1.free == c0.free - 600 * NPAGES + 600 * 7 - 1, "counters exact across batches");
	host_ok(host_vm_check(), "vm_check");
	dissolve(&l);
	c1 = snap();
	host_ok(c1.free == c0.free && c1.boot + c1.rt == c0.boot + c0.rt && c1.opt == 0, "restored across batches");

	/* two 1 GiB pages: a batch each */
	for (int i = 0, found = 0; i < 6 && found < 2; i++) {   /* the free GiBs */
		unsigned long pfn = (unsigned long)i << 18;

		if (alloc_contig_range_hugetlb(pfn, pfn + (1UL << 18), ZONE_NORMAL))
			continue;
		gpfn[found++] = pfn;
		list_add_tail(&pfn_to_page(pfn)->lru, &g);
	}
	host_ok(!list_empty(&g) && g.next != g.prev, "two free 1 GiB ranges taken");
	if (list_empty(&g) || g.next == g.prev)
		return;
	host_ok(hugetlb_vmemmap_optimize_folios(&g, 18) == 2, "both optimized");
	for (int i = 0; i < 2; i++) {
		prep_compound_head(pfn_to_page(gpfn[i]), 18);
		for (unsigned long v = 1; v < 4096; v += 511)
			ro &= !pte_writable(*pgwalk_pte((unsigned long)pfn_to_page(gpfn[i]) + v * PAGE_SIZE));
	}
	c1 = snap();
	host_ok(ro && c1.boot + c1.rt == c0.boot + c0.rt - (2 * 4095 - 1) && hugetlb_vmemmap_nr_tail_frames() == 1,
		"4095 of 4096 vmemmap pages freed per 1 GiB page, one shared page");
	host_ok(compound_head(pfn_to_page(gpfn[1] + 200000)) == pfn_to_page(gpfn[1]), "a far tail resolves");
	host_ok(host_vm_check(), "vm_check");
	hugetlb_vmemmap_restore_folios(&g, 18);
	while (!list_empty(&g)) {
		struct page *h = list_first_entry(&g, struct page, lru);

		list_del(&h->lru);
		h->lru.next = h->lru.prev = NULL;
		destroy_compound_page(h, 18);
		free_contig_range_hugetlb(page_to_pfn(h), page_to_pfn(h) + (1UL << 18));
	}
	c1 = snap();
	host_ok(c1.free == c0.free && c1.boot + c1.rt == c0.boot + c0.rt && hugetlb_vmemmap_nr_tail_frames() == 0,
		"1 GiB pages dissolved, counters back");
	host_ok(host_vm_check(), "vm_check after");
}

/* hugetlb_vmemmap_optimize_folios() refuses, touching nothing, when HVO is
 * off and for an order no huge page has (each clause of its guard alone). */
static void hvo_guard(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *a;
	LIST_HEAD(l);

	host_mm_boot(256 * SZ_1M, &o);
	a = take_huge(false);
	list_add(&a->lru, &l);
	hugetlb_optimize_vmemmap = 0;
	host_ok(hugetlb_vmemmap_optimize_folios(&l, ORDER) == 0 && !hugetlb_vmemmap_optimized(a),
		"HVO off: nothing optimized");
	hugetlb_optimize_vmemmap = 1;
	host_ok(hugetlb_vmemmap_optimize_folios(&l, 40) == 0 && !hugetlb_vmemmap_optimized(a) &&
		node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == 0, "order 40 (no tail slot): refused");
}

int main(void)
{
	host_tap_init();
	host_scenario("tails canonical", hvo_tails_canonical);
	host_scenario("accounting", hvo_accounting);
	accounting_cmdline = "page_poison=on";        /* every frame freed and taken is checked */
	host_scenario("accounting, poisoning on", hvo_accounting);
	accounting_cmdline = NULL;
	host_scenario("shared lifetime", hvo_shared_lifetime);
	host_scenario("exhaustion", hvo_exhaustion);
	host_scenario("known-zero blocks", hvo_known_zero_blocks);
	host_scenario("known-zero frames", hvo_known_zero);
	host_scenario("known-zero frames, Movable pages", hvo_known_zero_movable);
	zeroed_cmdline = "page_poison=on";            /* nothing marked: every frame filled */
	host_scenario("known-zero frames, poisoning on", hvo_known_zero);
	zeroed_cmdline = NULL;
	host_scenario("injected failures", hvo_injected);
	host_scenario("vm_check and view", hvo_vm_check_and_view);
	host_scenario("self-hosted", hvo_self_hosted);
	host_scenario("offline a Normal block", hvo_offline_kernel_block);
	host_scenario("batches", hvo_batches);
	host_scenario("optimize guard", hvo_guard);
	return host_tap_done();
}
