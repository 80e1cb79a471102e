/* HugeTLB Vmemmap Optimization (HVO): a free huge page keeps one vmemmap
 * page of its own; every other vmemmap page maps one shared read-only page.
 *
 * Why it works (mm/page.h, "the tail encoding"): a tail struct page holds
 * only its zone and the mask compound_info_tail(order), so every vmemmap page
 * that holds only tails is the same 4 KiB for every huge page of that zone
 * and order.  Map all of them onto one frame of such tails and free theirs:
 *
 *   2 MiB huge page (order 9): 512 struct pages = 8 vmemmap pages
 *
 *   vmemmap VA           before                      after (optimized)
 *   +-----------+       +--------+                  +--------+
 *   | page 0    | --RW->| frame A|  head, t1..t63   | frame A|  kept, RW
 *   | page 1    | --RW->| frame B|                  +--------+
 *   | page 2    | --RW->| frame C|          RO +--> +-----------------+
 *   |  ...      |  ...  |  ...   |   pages 1..7 -+   | shared tail page|  one per
 *   | page 7    | --RW->| frame H|   of EVERY 2 MiB  | of (zone, 9):   |  (zone, order)
 *   +-----------+       +--------+   page of zone    | 64 x tail(9)    |
 *                        B..H freed to the buddy     +-----------------+
 *
 *   per huge page: 1 vmemmap page kept (2 MiB: 7 of 8 freed; 1 GiB: 4095 of
 *   4096 freed), plus one shared page per (zone, order), allocated with the
 *   first optimized page of its order and freed with the last: an empty pool
 *   costs 0 pages.
 *
 * Optimize first, initialise second.  A grow takes the pages with their
 * struct pages plain (alloc_contig_range_hugetlb()), optimizes the batch,
 * then prep_compound_head() writes the 64 struct pages of page 0 only: the
 * tails beyond it already read correctly through the shared page and are
 * never written: 64 stores per huge page instead of 512 (or 262144 for
 * 1 GiB).  That pays for the 7 remaps and frees on both arches (QEMU TCG,
 * `bench hugetlb`, 256 x 2 MiB, each step from a cold TLB: grow with HVO
 * 0.57-0.79x the time without on x86_64, 0.71-0.80x on arm64 with one range
 * TLBI per batch; Linux batched: 1.76x).  A dissolve must hand back
 * rows of plain struct pages; writing them costs 4 KiB per row (~800 us of
 * a 256 x 2 MiB shrink on x86_64, as much as the whole shrink without HVO),
 * so the restore maps frames that already hold them: the known-zero frames
 * below, and the dissolve then reads no restored row (shrink on/off 2.6-2.9x
 * before, 0.63-0.77x x86_64 and 0.61-0.77x arm64 after; docs/hvo.md).
 *
 * Batching: all remaps of a call go through one pgwalk_remap_batch() (one
 * TLB flush; the arch does break-before-make for the whole batch on arm64);
 * frames are freed only after that flush.  A batch holds HVO_BATCH_MAX
 * remaps (a 1 GiB page needs 4095), so a larger call makes a few batches.
 *
 * Accounting (the rule in interface.md): each freed frame lowers the
 * counter it was in by one and raises nr_free_pages by one:
 *
 *   frame came from            flags                   counter      on free
 *   memblock at boot           PG_memmap | PG_reserved nr_memmap_boot_pages  becomes managed (MemTotal +4 kB)
 *   the buddy at run time      PG_memmap               nr_memmap_pages       free_pages()
 *   the block itself (altmap)  PG_vmemmap_self_hosted  (the block's own)     becomes managed in its block
 *
 * The shared tail page and every frame a restore maps count in
 * nr_memmap_pages.
 *
 * Restore is for a dissolve and cannot fail.  The N-1 rows come back
 * holding plain struct pages (what the tails are about to become), and the
 * head is marked PG_vmemmap_restored, so destroy_compound_page() touches
 * only the head's own row (after the restore's flush every first touch of
 * a row is a TLB miss, under TCG as costly as the rest of the shrink), and
 * a batch that donated nothing is freed without reading its struct pages
 * (free_huge_range_nomemmap()).
 * Each frame comes from the buddy allocator (ZONE_NORMAL, never from an
 * ISOLATED section nor, for a huge page in a hot-added section, from the
 * sections of the huge page itself: offline dissolves a block's huge pages
 * before it isolates the block; boot sections are never offlined) while it
 * has one, else the huge page donates its own last pages.
 *
 * Known-zero frames (PG_zeroed, mm/buddy.c, as FreeBSD's PG_ZERO).  The
 * frames an optimize frees held the plain struct pages of a fresh huge
 * page, which for ZONE_NORMAL are zero bytes: exactly what a restore must
 * write.  So they go back as marked free blocks (not with page_poison=on:
 * the free fills them), and the restore claims marked blocks first and maps
 * them as they are; a frame of any other origin is filled (memset for
 * ZONE_NORMAL, 64 plain stores otherwise).  The mark cannot lie: it lives
 * only on free-block heads and every take off a free list clears it.
 *
 *   grow (optimize)                          shrink (restore)
 *   page P: rows 1..7 -> shared tail         alloc_zeroed_runs(): 8 pages' rows
 *   old frames F+1..F+7 freed as marked      per zone-lock hold, from the lists'
 *   blocks [F+1][F+2,F+3][F+4..F+7]  ----->  tails (marked blocks sit there,
 *   at the tails of free_area[0], [1], [2]   ordinary frees go to the heads),
 *   (ordinary allocations take the heads)    sorted: rows 1..7 <- F+1..F+7, no fill
 *
 * Without a marked block (outside the avoided sections) a frame is any
 * free block's page, filled; without any free frame (or with an injected
 * allocation failure) the huge page donates its own last pages:
 *
 *   huge page [P, P+512):  [ P ........................ P+505 | P+506 .. P+511 ]
 *                            freed to the buddy by the dissolve   donated: vmemmap
 *   nr_free_pages grows by 512 - (frames restored) either way.
 *
 * A donated frame is a run-time memmap page like any other: PG_memmap,
 * refcount 1, counted in nr_memmap_pages, and free_contig_range_hugetlb()
 * leaves it allocated.  A later grow cannot take a range containing it
 * (alloc_contig_range_hugetlb() sees a busy page and the pool looks
 * elsewhere); a grow that optimizes a huge page whose struct pages it backs
 * frees it like any run-time memmap frame.  Offlining its block finds a busy
 * page and fails with -EBUSY naming it, as for any unmovable kernel page
 * (run-time memmap frames are ZONE_NORMAL, so ZONE_MOVABLE blocks never hold
 * one).
 *
 * Self-hosted vmemmap (memmap-on-memory blocks, SECTION_SELF_HOSTED): the
 * block's struct pages live in its own first 512 pages (the altmap, see
 * mm/memory_online.c).  HVO works there too, and the block stays exactly
 * what memory_hotplug.c built whenever no page of it is optimized:
 *
 *   block:  [ altmap: memmap frames 0..511 | tables ][ usable pages ........ ]
 *   optimize a huge page in it: its altmap frames k+1..k+7 become free pages
 *     OF THE BLOCK (its zone; managed, so MemTotal grows), never pages of
 *     the old memory; nr_memmap_* does not move (they were the block's own)
 *   restore: frames come back from the same altmap range (the frame the row
 *     had first, else any free one of the range): PG_vmemmap_self_hosted,
 *     PG_reserved, out of the managed count again
 *
 * Offlining the block dissolves its free huge pages first (restore takes
 * every freed altmap frame back), so the altmap is whole again before the
 * section is ISOLATED, and hot-remove finds the layout it expects.  Only if
 * another owner took a freed altmap frame meanwhile (an allocation in the
 * block's zone) does the restore fall back to donation, from the 64 pages
 * whose struct pages the row holds (inside the block): that frame is then a
 * busy self-hosted page in the usable range and offline fails with -EBUSY
 * naming it, as for any page in use.  The shared tail page is ZONE_NORMAL
 * memory outside the block; it is freed with the last optimized page of
 * its (zone, order).
 *
 * Locking and other CPUs.  Optimize and restore hold vmemmap_lock (mm/pgwalk.h:
 * it serialises hvo_batch, the stash, the shared tail pages and every
 * run-time vmemmap page-table edit); callers hold no zone lock, usually the
 * hugetlb lock.  Lock order: hugetlb -> vmemmap -> zone -> pcp.  Other CPUs
 * read struct pages with no lock at all, so:
 *   - a remap stores each PTE whole: a reader sees the old frame or the new
 *     one, and both hold valid struct pages for it (optimize: the plain
 *     pages, then canonical tails; restore: canonical tails, then plain
 *     pages written before the remap);
 *   - an old frame may still be in another CPU's TLB until that CPU
 *     flushes: it is freed (and its poison written) only after
 *     pgwalk_remap_batch() returned, and arch_set_ptes_batch() returns only
 *     after the flush reached every CPU (x86_64: the shootdown waits for
 *     every ack; arm64: TLBI ...IS + DSB completes on all CPUs, and a reader
 *     caught in the break-before-make window faults and retries);
 *   - the shared tail page is freed (hvo_tail_put) only after the restore
 *     remap that took its last mapping away returned, likewise.
 * No zone or pcp lock is held across a remap (no irqsave lock across a
 * shootdown). */
#include <pagoda/kernel.h>
#include <pagoda/cmdline.h>
#include <pagoda/selftest.h>
#include <pagoda/fault_inject.h>
#include <asm/vmparam.h>
#include "mm/hugetlb_vmemmap.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/pgwalk.h"
#include "mm/vmstat.h"
#include "mm/vm_check.h"

int hugetlb_optimize_vmemmap = 1;
unsigned long hugetlb_vmemmap_fail_allocs;

#define HVO_MAX_ORDER       24          /* orders [0, HVO_MAX_ORDER) have a tail slot */
#define HVO_BATCH_MAX       4096        /* remaps per batch: one 1 GiB page fits */
#define PAGES_PER_VMEMMAP_PAGE (PAGE_SIZE / sizeof(struct page))

BUILD_BUG_ON((sizeof(struct page) << 18) / PAGE_SIZE - 1 > HVO_BATCH_MAX);

/* The shared tail page of one (zone, order). */
struct hvo_tail_page {
	struct page *frame;              /* its frame's struct page; NULL when unused */
	unsigned long users;             /* optimized huge pages mapping it */
};
static struct hvo_tail_page hvo_tails[NR_ZONES][HVO_MAX_ORDER];
static struct pgwalk_remap hvo_batch[HVO_BATCH_MAX];
static bool hvo_old_zero[HVO_BATCH_MAX];     /* optimize: entry's old frame holds zero bytes */

/* Vmemmap pages holding the struct pages of an order-order compound page. */
static unsigned long hvo_vmemmap_pages(unsigned int order)
{
	return (sizeof(struct page) << order) / PAGE_SIZE;
}
static unsigned long hvo_va(const struct page *head, unsigned long i)
{
	return (unsigned long)head + i * PAGE_SIZE;
}

static int hvo_set_enabled(const char *val)
{
	if (val && !strcmp(val, "on"))
		hugetlb_optimize_vmemmap = 1;
	else if (val && !strcmp(val, "off"))
		hugetlb_optimize_vmemmap = 0;
	else {
		printk("warning: hugetlb_free_vmemmap=%s: expected on or off\n", val ? val : "");
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("hugetlb_free_vmemmap", hvo_set_enabled);

/* ------------------------------------------------------------ frames */

/* Frames for the vmemmap come from the buddy allocator a few at a time,
 * as order-0 pages, into a stash of runs: first known-zero blocks
 * (PG_zeroed, mm/buddy.c: frames an optimize freed, still holding the
 * plain ZONE_NORMAL struct pages they held, so a restore maps them without
 * writing them), as many as the caller still needs (a huge page's rows, at
 * most HVO_STASH_ZEROED) in one zone-lock hold, sorted by pfn; when there
 * are none, the largest block up to HVO_STASH_ORDER.  Asking for one huge
 * page's rows takes the blocks its optimize freed last (the lists' tails),
 * usually one run of 7 split as 1 + 2 + 4: restored in ascending order, the
 * next grow frees them as one run again.
 * hvo_stash_drain() gives back what a call did not use (known-zero runs
 * marked again).  A restore sets hvo_avoid to the sections of the huge
 * page it restores: a dissolve is how offline empties a block (before the
 * block is ISOLATED), so a vmemmap frame taken from that block would make
 * the offline fail on it. */
#define HVO_STASH_ORDER 3
#define HVO_STASH_ZEROED 512
#define HVO_STASH_RUNS 32
#define HVO_STASH_HEADS 7           /* more huge pages' rows a refill asks for */
static struct {
	struct pfn_run run[HVO_STASH_RUNS];
	unsigned long next, nr;            /* runs [next, nr) hold frames */
	bool zeroed;                       /* they are known-zero blocks */
} hvo_stash;
static struct { unsigned long start, end; } hvo_avoid;

/* Refill the empty stash with up to want known-zero frames in groups of
 * unit (sorted by pfn), else with the largest block up to HVO_STASH_ORDER,
 * from ZONE_NORMAL outside hvo_avoid and outside ISOLATED sections.  False
 * if there is none (or a failure was injected). */
static bool hvo_stash_refill(unsigned long want, unsigned long unit)
{
	long nr = alloc_zeroed_runs(ZONE_NORMAL, MIN(want, (unsigned long)HVO_STASH_ZEROED), unit,
				    hvo_avoid.start, hvo_avoid.end, hvo_stash.run, HVO_STASH_RUNS);

	for (long i = 1; i < nr; i++)                   /* insertion sort: a few runs */
		for (long j = i; j > 0 && hvo_stash.run[j].pfn < hvo_stash.run[j - 1].pfn; j--) {
			struct pfn_run t = hvo_stash.run[j];

			hvo_stash.run[j] = hvo_stash.run[j - 1];
			hvo_stash.run[j - 1] = t;
		}
	hvo_stash.next = 0;
	hvo_stash.nr = nr > 0 ? (unsigned long)nr : 0;
	hvo_stash.zeroed = nr > 0;
	for (int order = HVO_STASH_ORDER; !nr && order >= 0; order--) {
		unsigned long pfn;

		if (alloc_pages_outside((unsigned int)order, ZONE_NORMAL, hvo_avoid.start, hvo_avoid.end,
					&pfn))
			continue;
		hvo_stash.run[0] = (struct pfn_run){ pfn, 1UL << order };
		hvo_stash.nr = 1;
		break;
	}
	return hvo_stash.nr;
}

static void hvo_stash_drain(void)
{
	for (; hvo_stash.next < hvo_stash.nr; hvo_stash.next++) {
		struct pfn_run *r = &hvo_stash.run[hvo_stash.next];

		if (hvo_stash.zeroed)
			free_pages_zeroed(r->pfn, r->pfn + r->n, false);   /* untouched: still zero */
		for (unsigned long pfn = r->pfn; !hvo_stash.zeroed && pfn < r->pfn + r->n; pfn++)
			free_pages(pfn_to_page(pfn), 0);
	}
	hvo_stash.next = hvo_stash.nr = 0;
}

/* A frame for the vmemmap from the buddy allocator: ZONE_NORMAL, never in an
 * ISOLATED section; PG_memmap, refcount 1, counted in nr_memmap_pages; with
 * zeroed != NULL, *zeroed tells whether it holds only zero bytes.  want:
 * frames the caller expects to take in a row, this one included, in
 * groups of unit (one huge page's rows): a refill asks for that many.  0
 * when there is none (or a test injected a failure). */
static phys_addr_t hvo_frame_alloc(unsigned long want, unsigned long unit, bool *zeroed)
{
	struct pfn_run *r = &hvo_stash.run[hvo_stash.next];
	struct page *p;

	if (hugetlb_vmemmap_fail_allocs) {
		hugetlb_vmemmap_fail_allocs--;
		return 0;
	}
	if (hvo_stash.next < hvo_stash.nr && r->pfn >= hvo_avoid.start && r->pfn < hvo_avoid.end)
		hvo_stash_drain();
	if (hvo_stash.next == hvo_stash.nr && !hvo_stash_refill(want, unit))
		return 0;
	r = &hvo_stash.run[hvo_stash.next];
	p = pfn_to_page(r->pfn++);
	if (!--r->n)
		hvo_stash.next++;
	if (zeroed)
		*zeroed = hvo_stash.zeroed;
	page_set_flag(p, PG_memmap);
	mod_node_stat(NR_MEMMAP_PAGES, 1);
	return (phys_addr_t)page_to_pfn(p) << PAGE_SHIFT;
}

/* Does frame pfn go back as a new managed page (a boot frame from memblock,
 * or a self-hosted altmap frame) rather than through free_pages()? */
static bool hvo_frame_onlines(unsigned long pfn)
{
	const struct page *p = pfn_to_page(pfn);

	return page_test_flag(p, PG_vmemmap_self_hosted) ||
	       (page_test_flag(p, PG_memmap) && page_test_flag(p, PG_reserved));
}

/* Hand the boot or self-hosted frames [start, end) (one section) to the
 * buddy allocator as new managed pages of the section's zone, known-zero
 * blocks if zeroed (mm/buddy.c); boot frames leave nr_memmap_boot_pages. */
static void hvo_frames_online(unsigned long start, unsigned long end, bool zeroed)
{
	enum zone_type z = (enum zone_type)pfn_to_section(start)->zone;
	long boot = 0;

	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *p = pfn_to_page(pfn);

		boot += !page_test_flag(p, PG_vmemmap_self_hosted);
		*p = (struct page){ 0 };
		page_set_zone(p, z);
	}
	if (zeroed)
		free_pages_zeroed(start, end, true);
	else
		buddy_online_range(start, end, z);
	mod_node_stat(NR_MEMMAP_BOOT_PAGES, -boot);
}

/* Give the vmemmap frame at pa back to the buddy allocator and lower the
 * counter it was in (table in the theory comment).  Called after the TLB
 * flush that took its last mapping away. */
static void hvo_frame_free(phys_addr_t pa)
{
	unsigned long pfn = pa >> PAGE_SHIFT;
	struct page *p = pfn_to_page(pfn);

	if (hvo_frame_onlines(pfn)) {
		hvo_frames_online(pfn, pfn + 1, false);
	} else if (page_test_flag(p, PG_memmap)) {
		page_clear_flag(p, PG_memmap);
		free_pages(p, 0);
		mod_node_stat(NR_MEMMAP_PAGES, -1);
	} else {
		panic("pfn %#lx backed the vmemmap but is no memmap frame (flags %#llx)", pfn,
		      (unsigned long long)p->flags);
	}
}

/* The kind of vmemmap frame pfn is, for freeing it: 1 boot or self-hosted
 * (goes back as a new managed page), 2 run-time (allocated order-0 page). */
static int hvo_frame_kind(unsigned long pfn)
{
	return hvo_frame_onlines(pfn) ? 1 : page_test_flag(pfn_to_page(pfn), PG_memmap) ? 2 : 0;
}

/* Does the old frame of optimize batch entry i hold only zero bytes?  It
 * held plain struct pages of its huge page (a grow optimizes before it
 * writes any, mm/page.h), and a plain ZONE_NORMAL struct page is zero.
 * Noted at queue time: reading the struct pages at va after the remap's
 * flush would cost a TLB miss per row. */
static bool hvo_old_zeroed(unsigned long i)
{
	return hvo_old_zero[i];
}

/* Free the old frames of optimize batch [0, n).  A run of consecutive frames
 * of one kind and section - a huge page's 7 frames usually are one, as both
 * the boot memmap and a restore hand frames out ascending - goes back in one
 * call: as new managed pages for boot/self-hosted frames, as allocated pages
 * for run-time ones; known-zero blocks (PG_zeroed) when they held plain
 * ZONE_NORMAL struct pages, so a restore can map them without a fill. */
static void hvo_frames_free(unsigned long n)
{
	for (unsigned long i = 0, j; i < n; i = j) {
		unsigned long pfn = hvo_batch[i].old_pa >> PAGE_SHIFT;
		int kind = hvo_frame_kind(pfn);
		bool zeroed = hvo_old_zeroed(i);

		j = i + 1;
		while (kind && j < n && (hvo_batch[j].old_pa >> PAGE_SHIFT) == pfn + (j - i) &&
		       pfn_to_section_nr(pfn + (j - i)) == pfn_to_section_nr(pfn) &&
		       hvo_frame_kind(pfn + (j - i)) == kind && hvo_old_zeroed(j) == zeroed)
			j++;
		if (kind == 1) {
			hvo_frames_online(pfn, pfn + (j - i), zeroed);
			continue;
		}
		if (kind == 0) {
			hvo_frame_free(hvo_batch[i].old_pa);   /* panics on a non-memmap frame */
			continue;
		}
		for (unsigned long k = pfn; k < pfn + (j - i); k++)
			page_clear_flag(pfn_to_page(k), PG_memmap);
		if (zeroed)
			free_pages_zeroed(pfn, pfn + (j - i), false);
		else
			free_contig_range(pfn, pfn + (j - i));
		mod_node_stat(NR_MEMMAP_PAGES, -(long)(j - i));
	}
}

/* ------------------------------------------------------------ shared tail pages */

/* The shared tail page of (z, order) with one more user: allocated and
 * filled with 64 canonical tails on first use.  NULL if no frame. */
static struct page *hvo_tail_get(enum zone_type z, unsigned int order)
{
	struct hvo_tail_page *t = &hvo_tails[z][order];

	if (!t->frame) {
		phys_addr_t pa = hvo_frame_alloc(1, 1, NULL);
		struct page *tails;

		if (!pa)
			return NULL;
		tails = __va(pa);
		for (unsigned long i = 0; i < PAGES_PER_VMEMMAP_PAGE; i++)
			page_init_tail(&tails[i], order, z);
		t->frame = pfn_to_page(pa >> PAGE_SHIFT);
	}
	t->users++;
	return t->frame;
}

/* One user of (z, order)'s shared tail page fewer; the last frees it. */
static void hvo_tail_put(enum zone_type z, unsigned int order)
{
	struct hvo_tail_page *t = &hvo_tails[z][order];

	KASSERT(t->frame && t->users, "zone %d order %u: no shared tail page", z, order);
	if (--t->users)
		return;
	hvo_frame_free((phys_addr_t)page_to_pfn(t->frame) << PAGE_SHIFT);
	t->frame = NULL;
}

static phys_addr_t hvo_tail_pa(enum zone_type z, unsigned int order)
{
	return (phys_addr_t)page_to_pfn(hvo_tails[z][order].frame) << PAGE_SHIFT;
}

bool hugetlb_vmemmap_is_tail_frame(unsigned long pfn, unsigned int *order)
{
	for (int z = 0; z < NR_ZONES; z++)
		for (unsigned int o = 0; o < HVO_MAX_ORDER; o++)
			if (hvo_tails[z][o].frame && page_to_pfn(hvo_tails[z][o].frame) == pfn) {
				if (order)
					*order = o;
				return true;
			}
	return false;
}

unsigned long hugetlb_vmemmap_nr_tail_frames(void)
{
	unsigned long n = 0;

	for (int z = 0; z < NR_ZONES; z++)
		for (unsigned int o = 0; o < HVO_MAX_ORDER; o++)
			n += hvo_tails[z][o].frame != NULL;
	return n;
}

bool hugetlb_vmemmap_optimized(const struct page *head)
{
	return page_test_flag(head, PG_vmemmap_optimized);
}

/* Remap hvo_batch[0, n) with one TLB flush.  The vmemmap of a huge page is
 * always mapped by PTEs, so a failure is corruption. */
static void hvo_remap(unsigned long n)
{
	int rc = n ? pgwalk_remap_batch(hvo_batch, n) : 0;

	if (rc)
		panic("remap of %lu vmemmap pages from %#lx failed: %d", n, hvo_batch[0].va, rc);
}

/* ------------------------------------------------------------ optimize */

/* Queue head's vmemmap pages 1..N-1 onto its shared tail page, read-only,
 * at hvo_batch[*n]; false (nothing queued) if it is optimized already or no
 * shared page can be had. */
static bool hvo_queue_optimize(struct page *head, unsigned int order, unsigned long *n)
{
	enum zone_type z = page_zone_id(head);
	unsigned long nv = hvo_vmemmap_pages(order);
	phys_addr_t tail;

	if (hugetlb_vmemmap_optimized(head) || !hvo_tail_get(z, order))
		return false;
	tail = hvo_tail_pa(z, order);
	for (unsigned long i = 1; i < nv; i++) {
		hvo_old_zero[*n] = z == ZONE_NORMAL;      /* plain Normal struct pages (hvo_frames_free) */
		hvo_batch[(*n)++] = (struct pgwalk_remap){ .va = hvo_va(head, i), .pa = tail,
							   .prot = PROT_KERNEL_RO };
	}
	page_set_flag(head, PG_vmemmap_optimized);
	mod_node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED, 1);
	return true;
}

unsigned long hugetlb_vmemmap_optimize_folios(struct list_head *heads, unsigned int order)
{
	unsigned long nv = hvo_vmemmap_pages(order), done = 0;
	struct list_head *e = heads->next;

	if (!hugetlb_optimize_vmemmap || nv < 2 || order >= HVO_MAX_ORDER)
		return 0;
	fail_site_enter(FAIL_SITE_HVO_OPTIMIZE);
	spin_lock(&vmemmap_lock);
	while (e != heads) {
		unsigned long n = 0;

		for (; e != heads && n + nv - 1 <= HVO_BATCH_MAX; e = e->next)
			done += hvo_queue_optimize(list_entry(e, struct page, lru), order, &n);
		hvo_remap(n);            /* returns after every CPU flushed (see Locking) */
		hvo_frames_free(n);
	}
	hvo_stash_drain();
	spin_unlock(&vmemmap_lock);
	fail_site_exit(FAIL_SITE_HVO_OPTIMIZE);
	return done;
}

/* ------------------------------------------------------------ restore */

/* Where the frame of restore batch entry j came from. */
enum hvo_source { HVO_FROM_BUDDY, HVO_DONATED, HVO_DONATED_SELF_HOSTED };
static u8 hvo_source[HVO_BATCH_MAX];

/* The page of head that gives its frame to vmemmap page i: the huge page's
 * last pages, in order, for ordinary memory; for a self-hosted section the
 * last page of the 64 whose struct pages vmemmap page i holds, so the frame
 * lies in the very block (section) whose memmap it carries. */
static unsigned long hvo_donor_pfn(unsigned long hpfn, unsigned int order, unsigned long i,
				   unsigned long donated, bool self)
{
	if (self)
		return hpfn + (i + 1) * PAGES_PER_VMEMMAP_PAGE - 1;
	return hpfn + (1UL << order) - 1 - donated;
}

/* For vmemmap page va of a self-hosted section: a free frame of that
 * section's altmap memmap range [start, start + 512), the one va had first
 * if it is free, taken back out of the buddy and made a self-hosted frame
 * again (PG_vmemmap_self_hosted | PG_reserved, refcount 1, out of the managed
 * count): the block is again exactly as memory_hotplug.c built it.  0 if
 * every frame of the range is in use (another owner took a freed one). */
static phys_addr_t hvo_altmap_frame(unsigned long va)
{
	unsigned long nr = pfn_to_section_nr(page_to_pfn((const struct page *)va));
	unsigned long start = section_nr_to_pfn(nr);
	unsigned long first = start + (va - (unsigned long)pfn_to_page(start)) / PAGE_SIZE;
	const struct mem_section *ms = sparse_section(nr);
	struct zone *z = &zones[ms->zone];

	for (unsigned long k = 0; k <= VMEMMAP_PAGES_PER_SECTION; k++) {
		unsigned long pfn = k ? start + k - 1 : first;
		struct page *p = pfn_to_page(pfn);

		if ((k && pfn == first) || alloc_contig_range(pfn, pfn + 1, (enum zone_type)ms->zone))
			continue;
		*p = (struct page){ .refcount = 1 };
		page_set_zone(p, (enum zone_type)ms->zone);
		page_set_flag(p, PG_vmemmap_self_hosted);
		page_set_flag(p, PG_reserved);
		zone_lock(z);
		z->managed_pages--;
		zone_unlock(z);
		return (phys_addr_t)pfn << PAGE_SHIFT;
	}
	return 0;
}

/* Fill the frame at pa with 64 plain struct pages of zone z (mm/page.h):
 * the restore is for a dissolve, so the rows come back as the plain pages
 * they are about to become, and destroy_compound_page() skips them.  Stores
 * only; for ZONE_NORMAL a plain page is all zeroes. */
static void hvo_fill_plain(phys_addr_t pa, enum zone_type z)
{
	struct page *p = __va(pa);

	if (z == ZONE_NORMAL) {
		memset(p, 0, PAGE_SIZE);
		return;
	}
	for (unsigned long i = 0; i < PAGES_PER_VMEMMAP_PAGE; i++)
		p[i] = (struct page){ .flags = (u64)z << ZONE_SHIFT };
}

/* Give back the frames restore batch entries [from, to) took from the
 * buddy allocator (or an altmap) before anything was remapped: each goes
 * back the way hvo_frame_free() gives back a frame, the counter it was
 * charged to lowered. */
static void hvo_unqueue_restore(unsigned long from, unsigned long to)
{
	for (unsigned long j = from; j < to; j++) {
		KASSERT(hvo_source[j] == HVO_FROM_BUDDY, "entry %lu of pfn %#lx was donated", j,
			(unsigned long)(hvo_batch[j].pa >> PAGE_SHIFT));
		hvo_frame_free(hvo_batch[j].pa);
	}
}

/* Keep the restore of the order-order page at hpfn from taking frames in
 * its own sections (hvo_avoid) when one of them is hot-added: offline
 * dissolves before it isolates, and a frame there would make it fail.  Boot
 * sections are never offlined (memory_hotplug.c refuses SECTION_EARLY), so
 * a page wholly in boot memory avoids nothing and may reuse the known-zero
 * frames its own optimize freed next to it. */
static void hvo_avoid_set(unsigned long hpfn, unsigned int order)
{
	unsigned long first = pfn_to_section_nr(hpfn), last = pfn_to_section_nr(hpfn + (1UL << order) - 1);

	hvo_avoid.start = hvo_avoid.end = 0;
	for (unsigned long nr = first; nr <= last; nr++)
		if (!sparse_section_has(nr, SECTION_EARLY)) {
			hvo_avoid.start = section_nr_to_pfn(first);
			hvo_avoid.end = section_nr_to_pfn(last + 1);
			return;
		}
}

/* Queue fresh frames for head's vmemmap pages 1..N-1 at hvo_batch[*n], each
 * holding 64 plain struct pages: from the buddy while it has frames (for a
 * self-hosted section: from the section's own altmap range), else donated by
 * the huge page itself.  Returns how many were donated; with !may_donate,
 * -1 instead of a donation: the frames taken are given back, nothing is
 * queued (*n unchanged) and head stays optimized. */
static long hvo_queue_restore(struct page *head, unsigned int order, unsigned long *n, bool may_donate)
{
	unsigned long hpfn = page_to_pfn(head), nv = hvo_vmemmap_pages(order), donated = 0, n0 = *n;
	unsigned long sec = ~0UL;                  /* the section of the pages row i holds */
	enum zone_type zt = page_zone_id(head);
	bool buddy_empty = false, self = false;

	hvo_avoid_set(hpfn, order);

	for (unsigned long i = 1; i < nv; i++) {
		unsigned long backs = hpfn + i * PAGES_PER_VMEMMAP_PAGE;
		bool zeroed = false;

		if (pfn_to_section_nr(backs) != sec) {
			sec = pfn_to_section_nr(backs);
			self = sparse_section_has(sec, SECTION_SELF_HOSTED);
		}
		phys_addr_t pa = self ? hvo_altmap_frame(hvo_va(head, i)) :
				 buddy_empty ? 0 :
				 hvo_frame_alloc(nv - i + HVO_STASH_HEADS * (nv - 1), nv - 1, &zeroed);

		hvo_source[*n] = HVO_FROM_BUDDY;
		if (!pa && !may_donate) {
			hvo_unqueue_restore(n0, *n);
			*n = n0;
			return -1;
		}
		if (!pa) {
			buddy_empty = !self;
			pa = (phys_addr_t)hvo_donor_pfn(hpfn, order, i, donated++, self) << PAGE_SHIFT;
			hvo_source[*n] = self ? HVO_DONATED_SELF_HOSTED : HVO_DONATED;
		}
		if (!(zeroed && zt == ZONE_NORMAL))
			hvo_fill_plain(pa, zt);               /* a known-zero frame is plain already */
		hvo_batch[(*n)++] = (struct pgwalk_remap){ .va = hvo_va(head, i), .pa = pa,
							   .prot = PROT_KERNEL_RW };
	}
	return (long)donated;
}

/* After the batch is mapped and flushed, entry j's donated frame becomes a
 * memmap page (refcount 1, so the dissolve keeps it): PG_memmap counted in
 * nr_memmap_pages, or in a self-hosted block one of its own vmemmap pages
 * again (PG_vmemmap_self_hosted, out of the managed count). */
static void hvo_donated_frame(unsigned long j)
{
	unsigned long pfn = hvo_batch[j].pa >> PAGE_SHIFT;
	struct page *p = pfn_to_page(pfn);
	struct zone *z = &zones[page_zone_id(p)];

	p->refcount = 1;
	if (hvo_source[j] == HVO_DONATED) {
		page_set_flag(p, PG_memmap);
		mod_node_stat(NR_MEMMAP_PAGES, 1);
		return;
	}
	page_set_flag(p, PG_vmemmap_self_hosted);
	zone_lock(z);
	z->managed_pages--;
	zone_unlock(z);
}

/* hugetlb_vmemmap_restore_folios(), and with kept != NULL no donation: a
 * page whose frames cannot all be had moves from heads to kept, still
 * optimized (hvo_kept[] marks it within the batch until then). */
static u8 hvo_kept[HVO_BATCH_MAX];

static unsigned long hvo_restore_folios(struct list_head *heads, unsigned int order, struct list_head *kept)
{
	unsigned long nv = hvo_vmemmap_pages(order), total = 0;
	struct list_head *e = heads->next, *first, *next;

	fail_site_enter(FAIL_SITE_HVO_RESTORE);
	spin_lock(&vmemmap_lock);
	while (e != heads) {
		unsigned long n = 0, i = 0;

		for (first = e; e != heads && n + nv - 1 <= HVO_BATCH_MAX && i < HVO_BATCH_MAX;
		     e = e->next, i++) {
			struct page *head = list_entry(e, struct page, lru);
			long d = hugetlb_vmemmap_optimized(head) ? hvo_queue_restore(head, order, &n, !kept) : 0;

			hvo_kept[i] = d < 0;
			total += d > 0 ? (unsigned long)d : 0;
		}
		hvo_stash_drain();
		hvo_avoid.start = hvo_avoid.end = 0;
		hvo_remap(n);
		for (unsigned long j = 0; j < n; j++)
			if (hvo_source[j] != HVO_FROM_BUDDY)
				hvo_donated_frame(j);
		for (i = 0; first != e; first = next, i++) {
			struct page *head = list_entry(first, struct page, lru);

			next = first->next;
			if (hvo_kept[i]) {
				list_del(&head->lru);
				list_add_tail(&head->lru, kept);
				continue;
			}
			if (!hugetlb_vmemmap_optimized(head))
				continue;
			page_clear_flag(head, PG_vmemmap_optimized);
			page_set_flag(head, PG_vmemmap_restored);   /* rows 1..N-1 plain: destroy skips them */
			mod_node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED, -1);
			hvo_tail_put(page_zone_id(head), order);
		}
	}
	spin_unlock(&vmemmap_lock);
	fail_site_exit(FAIL_SITE_HVO_RESTORE);
	return total;
}

unsigned long hugetlb_vmemmap_restore_folios(struct list_head *heads, unsigned int order)
{
	return hvo_restore_folios(heads, order, NULL);
}

unsigned long hugetlb_vmemmap_restore_folios_or_keep(struct list_head *heads, unsigned int order,
						     struct list_head *kept)
{
	return hvo_restore_folios(heads, order, kept);
}

/* ------------------------------------------------------------ compound pages */

void prep_compound_head(struct page *head, unsigned int order)
{
	unsigned long n = MIN(1UL << order, PAGES_PER_VMEMMAP_PAGE);

	KASSERT(IS_ALIGNED((unsigned long)head, MIN(sizeof(struct page) << order, PAGE_SIZE)),
		"head %p of order %u is misaligned", head, order);
	head->compound_order = order;
	__atomic_thread_fence(__ATOMIC_RELEASE);   /* a lockless reader that sees PG_head sees the order */
	page_set_flag(head, PG_head);
	for (unsigned long i = 1; i < n; i++)
		page_init_tail(&head[i], order, page_zone_id(head));
}

void prep_compound_tails(struct page *head, unsigned int order)
{
	KASSERT(!hugetlb_vmemmap_optimized(head), "pfn %#lx: tails of an optimized page are read-only",
		page_to_pfn(head));
	unsigned long info = compound_info_tail(order);

	for (unsigned long i = PAGES_PER_VMEMMAP_PAGE; i < (1UL << order); i++) {
		head[i].compound_info = info;
		head[i].order = 0;            /* the free path may leave one (mm/page.h) */
	}
}

/* A page the restore just restored (PG_vmemmap_restored) has plain rows
 * 1..N-1: only row 0 is read and written (the rows are fresh mappings,
 * and under TCG every first touch after the restore's flush is a TLB
 * miss). */
void destroy_compound_page(struct page *head, unsigned int order)
{
	bool restored = page_test_flag(head, PG_vmemmap_restored);
	unsigned long end = restored ? MIN(1UL << order, PAGES_PER_VMEMMAP_PAGE) : 1UL << order;

	KASSERT(!hugetlb_vmemmap_optimized(head), "pfn %#lx: restore the vmemmap first",
		page_to_pfn(head));
	page_clear_flag(head, PG_head);
	page_clear_flag(head, PG_hugetlb);
	page_clear_flag(head, PG_vmemmap_restored);
	head->compound_order = 0;
	for (unsigned long i = 1; i < end; i++) {
		if (IS_ALIGNED(i, PAGES_PER_VMEMMAP_PAGE) && !page_is_tail(&head[i])) {
			i += PAGES_PER_VMEMMAP_PAGE - 1;        /* a restored row: plain already */
			continue;
		}
		head[i].compound_info = 0;
	}
}

/* ------------------------------------------------------------ vm_check */

/* vm_check's rule for a read-only vmemmap page va of section nr mapping
 * frame pfn: it must be the shared tail page of some (zone, order), and the
 * struct pages at va must be tails, of that zone and order, of an optimized
 * head whose vmemmap pages 1..N-1 contain va. */
bool hugetlb_vmemmap_check_ro(struct vm_check *c, unsigned long nr, unsigned long va, unsigned long pfn)
{
	const struct page *p = (const struct page *)va, *head;
	unsigned int order;

	if (!hugetlb_vmemmap_is_tail_frame(pfn, &order))
		return vm_check_fail(c, "section %lu: vmemmap %#lx is mapped read-only onto pfn %#lx, "
				     "not a shared tail page", nr, va, pfn);
	if (p->compound_info != compound_info_tail(order) || page_zone_id(p) >= NR_ZONES ||
	    pfn_to_page(pfn) != hvo_tails[page_zone_id(p)][order].frame)
		return vm_check_fail(c, "section %lu: vmemmap %#lx maps the order-%u shared tail page of "
				     "another zone or order", nr, va, order);
	head = compound_head((struct page *)p);
	if (!page_test_flag(head, PG_head) || !hugetlb_vmemmap_optimized(head) ||
	    head->compound_order != order || va < hvo_va(head, 1) ||
	    va >= hvo_va(head, hvo_vmemmap_pages(order)))
		return vm_check_fail(c, "section %lu: vmemmap %#lx is a shared tail page but its head pfn "
				     "%#lx is not an optimized order-%u huge page", nr, va, page_to_pfn(head), order);
	return true;
}

/* The shared tail pages hold canonical tails; the read-only vmemmap rows
 * are exactly (N-1) per optimized page; nr_hugetlb_vmemmap_optimized is the
 * number of users. */
bool hugetlb_vmemmap_check(struct vm_check *c)
{
	unsigned long rows[NR_ZONES][HVO_MAX_ORDER] = { { 0 } }, users = 0, nr;
	const struct mem_section *ms;

	for_each_present_section(nr, ms) {
		unsigned long va = (unsigned long)pfn_to_page(section_nr_to_pfn(nr));

		for (unsigned long i = 0; (ms->state & SECTION_MEMMAP) && i < VMEMMAP_PAGES_PER_SECTION;
		     i++, va += PAGE_SIZE) {
			pte_t *ep = pgwalk_pte(va);
			unsigned int o;

			if (ep && !pte_writable(*ep) &&
			    hugetlb_vmemmap_is_tail_frame(pte_pa(*ep) >> PAGE_SHIFT, &o) &&
			    page_zone_id((const struct page *)va) < NR_ZONES)
				rows[page_zone_id((const struct page *)va)][o]++;
		}
	}
	for (int z = 0; z < NR_ZONES; z++)
		for (unsigned int o = 0; o < HVO_MAX_ORDER; o++) {
			const struct hvo_tail_page *t = &hvo_tails[z][o];
			struct page want;

			users += t->users;
			if (rows[z][o] != t->users * (hvo_vmemmap_pages(o) - 1))
				return vm_check_fail(c, "zone %d order %u: %lu read-only tail rows for %lu "
						     "optimized pages", z, o, rows[z][o], t->users);
			if (!t->frame)
				continue;
			page_init_tail(&want, o, (enum zone_type)z);
			for (unsigned long i = 0; i < PAGES_PER_VMEMMAP_PAGE; i++)
				if (memcmp((const struct page *)__va((phys_addr_t)page_to_pfn(t->frame) << PAGE_SHIFT) + i,
					   &want, sizeof(want)))
					return vm_check_fail(c, "zone %d order %u: shared tail page pfn %#lx: "
							     "struct page %lu is not a canonical tail", z, o,
							     page_to_pfn(t->frame), i);
		}
	if ((long)users != node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED))
		return vm_check_fail(c, "nr_hugetlb_vmemmap_optimized %ld, shared tail page users %lu",
				     node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED), users);
	return true;
}
