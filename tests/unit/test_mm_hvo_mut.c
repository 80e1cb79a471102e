/* Host test of HVO (mm/hugetlb_vmemmap.c) written against the mutants
 * `make mutate` found surviving test_mm_hvo (docs/reliability.md, the
 * mutation score): each scenario pins down one behaviour the other tests
 * left open, by its struct pages, PTEs, counters or return value:
 *
 *   cmdline              hugetlb_free_vmemmap= sets exactly 1 or 0, the
 *                        last one wins
 *   donation, self-hosted  a row whose altmap frame another owner took is
 *                        donated by the page's own last page of that row:
 *                        1 returned, PG_vmemmap_self_hosted, out of managed
 *   a neighbour's frame  before it donates, a self-hosted restore takes the
 *                        next free frame of the block's altmap range
 *   ascending            a restore hands frames out in pfn order
 *   a full batch         exactly HVO_BATCH_MAX remaps in one batch
 *   plain heads          a restore list holding a page that is not
 *                        optimized counts no donation for it
 *   keep                 restore_folios_or_keep gives back the frames a
 *                        page got before running out, and keeps the page
 *   junk frames          a Movable restore writes all 64 struct pages of a
 *                        row whatever the buddy's frame held
 *   HVO off dissolve     destroy_compound_page leaves every tail plain and
 *                        the head no head
 *   avoid                a restore takes no frame from the huge page's own
 *                        hot-added sections (nor one a previous page left
 *                        in the stash), and may from every other section
 *   next to self-hosted  a plain section after a memmap-on-memory one
 *                        gets buddy frames, not the altmap's */
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
#include "mm/memory_hotplug.h"
#include "mm/sparse_vmemmap.h"

#define ORDER 9
#define NPAGES (1UL << ORDER)
#define NV 8                                 /* vmemmap pages of a 2 MiB page */
#define ROW 64                               /* struct pages per vmemmap page */
#define LIST_HEAD(n) struct list_head n = LIST_HEAD_INIT(n)

static phys_addr_t frame_of(unsigned long va)
{
	pte_t *ep = pgwalk_pte(va);
	return ep && pte_present(*ep) ? pte_pa(*ep) : 0;
}

static unsigned long row_pfn(struct page *head, int i)
{
	return (unsigned long)(frame_of((unsigned long)head + i * PAGE_SIZE) >> PAGE_SHIFT);
}

/* The first free 2 MiB range of zone zt in [pfn, end), taken as HugeTLB
 * does (struct pages plain) and optimized unless !hvo; NULL if none. */
static struct page *take_at(unsigned long pfn, unsigned long end, enum zone_type zt, bool hvo)
{
	LIST_HEAD(l);
	struct page *h;

	for (pfn = ALIGN_UP(pfn, NPAGES); pfn < end; pfn += NPAGES)
		if (alloc_contig_range_hugetlb(pfn, pfn + NPAGES, zt) == 0)
			break;
	if (pfn >= end)
		return NULL;
	h = pfn_to_page(pfn);
	list_add(&h->lru, &l);
	if (hvo)
		hugetlb_vmemmap_optimize_folios(&l, ORDER);
	list_del(&h->lru);
	prep_compound_head(h, ORDER);
	if (!hugetlb_vmemmap_optimized(h))
		prep_compound_tails(h, ORDER);
	return h;
}

/* The second half of a dissolve (after the restore): destroy, free. */
static void destroy_free(struct page *h)
{
	destroy_compound_page(h, ORDER);
	free_contig_range_hugetlb(page_to_pfn(h), page_to_pfn(h) + NPAGES);
}

static unsigned long restore_one(struct page *h)
{
	LIST_HEAD(l);
	unsigned long d;

	list_add(&h->lru, &l);
	d = hugetlb_vmemmap_restore_folios(&l, ORDER);
	list_del(&h->lru);
	h->lru.next = h->lru.prev = NULL;
	return d;
}

/* Every free Normal block held by the test (what take_all held). */
struct held { unsigned long *pfn; unsigned int *order; unsigned long n; };

static void push(struct held *t, unsigned long pfn, unsigned int order)
{
	t->pfn = realloc(t->pfn, (t->n + 1) * sizeof(*t->pfn));
	t->order = realloc(t->order, (t->n + 1) * sizeof(*t->order));
	t->pfn[t->n] = pfn;
	t->order[t->n++] = order;
}

static void take_all(struct held *t)
{
	struct page *p;

	*t = (struct held){ 0 };
	for (int o = MAX_ORDER; o >= 0; o--)
		while ((p = alloc_pages((unsigned int)o, ZONE_NORMAL)))
			push(t, page_to_pfn(p), (unsigned int)o);
}

static void give_all(struct held *t)
{
	while (t->n--)
		free_pages(pfn_to_page(t->pfn[t->n]), t->order[t->n]);
	free(t->pfn);
	free(t->order);
}

/* Free exactly nr pages of a held block of order >= 4 in section sec (the
 * rest of the block stays held as order-0 pages).  False if none. */
static bool give_back_in(struct held *t, unsigned long sec, unsigned long nr)
{
	for (unsigned long i = 0; i < t->n; i++) {
		unsigned long pfn = t->pfn[i];
		unsigned int o = t->order[i];

		if (o < 4 || pfn_to_section_nr(pfn) != sec)
			continue;
		split_page(pfn_to_page(pfn), o);
		t->pfn[i] = t->pfn[t->n - 1];
		t->order[i] = t->order[--t->n];
		for (unsigned long k = nr; k < (1UL << o); k++)
			push(t, pfn + k, 0);
		for (unsigned long k = 0; k < nr; k++)
			free_pages(pfn_to_page(pfn + k), 0);
		return true;
	}
	return false;
}

static bool tails_plain(const struct page *h, enum zone_type z)
{
	const struct page plain = { .flags = (u64)z << ZONE_SHIFT };

	for (unsigned long k = 1; k < NPAGES; k++)
		if (memcmp(&h[k], &plain, sizeof(plain))) {
			printf("# tail %lu of pfn %#lx: flags %#llx info %#lx refcount %d\n", k, page_to_pfn(h),
			       (unsigned long long)h[k].flags, h[k].compound_info, h[k].refcount);
			return false;
		}
	return true;
}

/* hugetlb_free_vmemmap=on / =off set the switch to exactly 1 / 0, as
 * /proc/sys/vm/hugetlb_optimize_vmemmap shows it; the last one wins. */
static const char *cmdline_val, *cmdline_want;
static void hvo_cmdline(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = cmdline_val };
	char buf[64];

	host_mm_boot(256 * SZ_1M, &o);
	host_ok(host_cat("/proc/sys/vm/hugetlb_optimize_vmemmap", buf, sizeof(buf)) == 0 && !strcmp(buf, cmdline_want),
		"%s: hugetlb_optimize_vmemmap %s", cmdline_val, buf);
}

/* Memmap-on-memory block, Movable: optimize one huge page, another owner
 * takes the freed altmap frame of row 7, dissolve.  Rows 1..6 get their own
 * frames back, exactly as memory_hotplug.c built them; row 7 is donated by
 * the page's last page (the last of the 64 it describes): the restore
 * returns 1, the frame is a self-hosted vmemmap frame out of the managed
 * count, and vm_check agrees. */
static const char *donation_cmdline;
static void hvo_self_hosted_donation(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = donation_cmdline };
	unsigned long nr = 2, start = section_nr_to_pfn(nr), hpfn, f[NV], managed;
	static struct page before[VMEMMAP_PAGES_PER_SECTION];
	struct page *h;
	bool same = true;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	host_ok(add_memory(nr * SZ_128M, SZ_128M) == 0 && online_memory_block(nr, MMOP_ONLINE_MOVABLE) == 0 &&
		sparse_section_has(nr, SECTION_SELF_HOSTED), "self-hosted block online movable");
	memcpy(before, pfn_to_page(start), sizeof(before));
	h = take_at(start, start + PAGES_PER_SECTION, ZONE_MOVABLE, false);
	hpfn = page_to_pfn(h);
	for (int i = 1; i < NV; i++)
		f[i] = row_pfn(h, i);
	host_ok(f[1] == start + (hpfn - start) / ROW + 1 && f[7] == f[1] + 6, "rows 1..7 on altmap frames %#lx..%#lx",
		f[1], f[7]);
	destroy_free(h);
	h = take_at(hpfn, hpfn + NPAGES, ZONE_MOVABLE, true);
	host_ok(h && hugetlb_vmemmap_optimized(h), "optimized in the block");
	host_ok(alloc_contig_range(f[7], f[7] + 1, ZONE_MOVABLE) == 0, "another owner takes row 7's old frame");
	managed = totalram_pages();
	host_ok(restore_one(h) == 1, "restore donates exactly one frame and says so");
	for (int i = 1; i < 7; i++) {
		const struct page *b = &before[f[i] - start];
		struct page p = *pfn_to_page(f[i]);

		/* memory_hotplug.c leaves an altmap frame's zone bits 0, the
		 * restore writes the block's zone: compared without them */
		p.flags = (p.flags & ~(3ULL << ZONE_SHIFT)) | (b->flags & (3ULL << ZONE_SHIFT));
		if (row_pfn(h, i) != f[i] || memcmp(&p, b, sizeof(p))) {
			printf("# row %d: pfn %#lx flags %#llx/%#llx refcount %d/%d order %u/%u info %#lx/%#lx lru %p/%p\n",
			       i, row_pfn(h, i), (unsigned long long)p.flags, (unsigned long long)b->flags, p.refcount,
			       b->refcount, p.order, b->order, p.compound_info, b->compound_info, (void *)p.lru.next,
			       (void *)b->lru.next);
			same = false;
		}
	}
	host_ok(same, "rows 1..6: their own altmap frames, struct pages as memory_hotplug.c built them "
		"(but for the zone)");
	host_ok(row_pfn(h, 7) == hpfn + 8 * ROW - 1, "row 7 donated by pfn %#lx (want %#lx)", row_pfn(h, 7),
		hpfn + 8 * ROW - 1);
	{
		const struct page *d = pfn_to_page(hpfn + 8 * ROW - 1);

		host_ok(page_test_flag(d, PG_vmemmap_self_hosted) && !page_test_flag(d, PG_memmap) && d->refcount == 1,
			"the donor is a self-hosted vmemmap frame, refcount 1 (flags %#llx)",
			(unsigned long long)d->flags);
	}
	host_ok(totalram_pages() == managed - 7, "6 altmap frames and the donor left the managed count, "
		"row 7's old frame stays with its owner (%lu -> %lu)", managed, totalram_pages());
	destroy_free(h);
	host_ok(host_vm_check(), "vm_check after the donation");
}

/* Two optimized huge pages H1 < H2 in one memmap-on-memory block; another
 * owner takes H1's row-1 altmap frame.  H1's restore takes for each row
 * the first free frame of the block's altmap range: rows 1..6 the next
 * row's old frame, row 7 H2's row-1 frame; nothing donated.  H2's restore
 * then finds its row 1 taken, shifts the same way and donates one. */
static void hvo_self_hosted_neighbour(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	unsigned long nr = 2, start = section_nr_to_pfn(nr), f1[NV], f2[NV];
	struct page *h1, *h2;
	bool shifted = true;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	host_ok(add_memory(nr * SZ_128M, SZ_128M) == 0 && online_memory_block(nr, MMOP_ONLINE_MOVABLE) == 0,
		"self-hosted block online movable");
	h1 = take_at(start, start + PAGES_PER_SECTION, ZONE_MOVABLE, true);
	h2 = take_at(start, start + PAGES_PER_SECTION, ZONE_MOVABLE, true);
	host_ok(h1 && h2 && h1 < h2 && hugetlb_vmemmap_optimized(h1) && hugetlb_vmemmap_optimized(h2), "two optimized");
	for (int i = 1; i < NV; i++) {        /* the frames optimize freed: the rows' own altmap frames */
		f1[i] = start + (page_to_pfn(h1) - start) / ROW + (unsigned long)i;
		f2[i] = start + (page_to_pfn(h2) - start) / ROW + (unsigned long)i;
	}
	host_ok(alloc_contig_range(f1[1], f1[1] + 1, ZONE_MOVABLE) == 0, "another owner takes H1's row-1 frame");
	host_ok(restore_one(h1) == 0, "H1: nothing donated");
	for (int i = 1; i < NV; i++)
		shifted &= row_pfn(h1, i) == (i < 7 ? f1[i + 1] : f2[1]);
	host_ok(shifted, "H1's rows 1..7 on its frames 2..7 and H2's row-1 frame");
	host_ok(restore_one(h2) == 1 && row_pfn(h2, 7) == page_to_pfn(h2) + 8 * ROW - 1, "H2: one donated");
	destroy_free(h1);
	destroy_free(h2);
	host_ok(host_vm_check(), "vm_check");
}

/* A restore hands frames out ascending (the refill sorts its known-zero
 * runs by pfn), so a later optimize frees a page's 7 frames as one run:
 * right after an optimize freed a Normal page's 7 old frames (known-zero
 * blocks of 1 + 2 + 4 pages, taken back largest first), its restore maps
 * rows 1..7 onto 7 ascending frames. */
static void hvo_restore_ascending(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long top, old[NV];
	bool up = true;
	struct page *h;

	host_mm_boot(256 * SZ_1M, &o);
	top = section_nr_to_pfn(sparse_max_section());
	h = take_at(top / 2, top, ZONE_NORMAL, false);
	for (int i = 1; i < NV; i++)
		old[i] = row_pfn(h, i);
	destroy_free(h);
	h = take_at(page_to_pfn(h), page_to_pfn(h) + NPAGES, ZONE_NORMAL, true);
	host_ok(h && hugetlb_vmemmap_optimized(h), "optimized: old frames %#lx..%#lx freed", old[1], old[7]);
	host_ok(restore_one(h) == 0, "restored");
	for (int i = 2; i < NV; i++)
		up &= row_pfn(h, i) > row_pfn(h, i - 1);
	host_ok(up, "rows 1..7 on ascending frames (%#lx %#lx .. %#lx)", row_pfn(h, 1), row_pfn(h, 2), row_pfn(h, 7));
	destroy_free(h);
	host_ok(host_vm_check(), "vm_check");
}

/* A batch filled to exactly HVO_BATCH_MAX remaps: 4096 order-7 pages (two
 * vmemmap pages each, one remapped) optimize in one batch, and the run
 * extension of the frees reads no entry beyond the batch (an out-of-bounds
 * read of hvo_batch[4096] would abort under ASan). */
static void hvo_full_batch(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long top, n = 0;
	LIST_HEAD(l);
	u64 f0;

	host_mm_boot(3 * SZ_1G, &o);
	top = section_nr_to_pfn(sparse_max_section());
	for (unsigned long pfn = top - 128; pfn >= 128 && n < 4096; pfn -= 128)
		if (alloc_contig_range_hugetlb(pfn, pfn + 128, ZONE_NORMAL) == 0) {
			list_add_tail(&pfn_to_page(pfn)->lru, &l);
			n++;
		}
	host_ok(n == 4096, "4096 order-7 ranges taken");
	f0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) + vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	host_ok(hugetlb_vmemmap_optimize_folios(&l, 7) == 4096, "all optimized");
	host_ok(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) + vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == f0 + 1,
		"in one batch of 4096 remaps");
	host_ok(hugetlb_vmemmap_restore_folios(&l, 7) == 0, "and restored");
	while (!list_empty(&l)) {
		struct page *h = list_first_entry(&l, struct page, lru);

		list_del(&h->lru);
		h->lru.next = h->lru.prev = NULL;
		destroy_compound_page(h, 7);
		free_contig_range_hugetlb(page_to_pfn(h), page_to_pfn(h) + 128);
	}
	host_ok(host_vm_check(), "vm_check");
}

/* A restore list may hold pages that are not optimized (HVO was off when
 * they were grown): they are skipped and count no donation. */
static void hvo_plain_heads(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *a, *b, *c;
	LIST_HEAD(l);
	unsigned long top;

	host_mm_boot(256 * SZ_1M, &o);
	top = section_nr_to_pfn(sparse_max_section());
	a = take_at(top / 2, top, ZONE_NORMAL, false);
	b = take_at(top / 2, top, ZONE_NORMAL, true);
	c = take_at(top / 2, top, ZONE_NORMAL, false);
	host_ok(a && b && c && !hugetlb_vmemmap_optimized(a) && hugetlb_vmemmap_optimized(b), "two plain, one optimized");
	list_add_tail(&a->lru, &l);
	list_add_tail(&b->lru, &l);
	list_add_tail(&c->lru, &l);
	host_ok(hugetlb_vmemmap_restore_folios(&l, ORDER) == 0 && !hugetlb_vmemmap_optimized(b),
		"restore of [plain, optimized, plain] with free memory: 0 donated");
	host_ok(host_vm_check(), "vm_check");
}

/* restore_folios_or_keep with 10 free Normal pages for two pages of 7
 * rows: the first is restored, the second gets 3 frames, runs out, gives
 * them back and is kept, still optimized; 3 pages are free again. */
static void hvo_keep(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *a, *b;
	LIST_HEAD(l);
	LIST_HEAD(kept);
	struct held t;
	unsigned long top;
	long rt;

	host_mm_boot(256 * SZ_1M, &o);
	top = section_nr_to_pfn(sparse_max_section());
	a = take_at(top - PAGES_PER_SECTION, top, ZONE_NORMAL, true);
	b = take_at(top - PAGES_PER_SECTION, top, ZONE_NORMAL, true);
	list_add_tail(&a->lru, &l);
	list_add_tail(&b->lru, &l);
	take_all(&t);
	host_ok(give_back_in(&t, pfn_to_section_nr(page_to_pfn(a)) - 1, 10) && nr_free_pages() == 10,
		"10 pages free, outside the huge pages' section");
	rt = node_stat(NR_MEMMAP_PAGES);
	host_ok(hugetlb_vmemmap_restore_folios_or_keep(&l, ORDER, &kept) == 0, "no donation");
	host_ok(!hugetlb_vmemmap_optimized(a) && hugetlb_vmemmap_optimized(b) && list_first_entry(&kept, struct page, lru) == b &&
		list_first_entry(&l, struct page, lru) == a, "first restored, second kept and still optimized");
	host_ok(nr_free_pages() == 3 && node_stat(NR_MEMMAP_PAGES) == rt + 7,
		"the second page's 3 frames went back (free %lu, nr_memmap_pages %+ld)", nr_free_pages(),
		node_stat(NR_MEMMAP_PAGES) - rt);
	host_ok(row_pfn(b, 1) == row_pfn(b, 7) && hugetlb_vmemmap_is_tail_frame(row_pfn(b, 1), NULL),
		"kept page still maps the shared tail page");
	host_ok(host_vm_check(), "vm_check");
	give_all(&t);
}

/* A Movable page's restore takes Normal frames from the buddy: fill every
 * free Normal page with junk first (as poisoning or an earlier owner
 * would), then every restored struct page must be a plain Movable page. */
static void hvo_junk_frames(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	unsigned long start = section_nr_to_pfn(2);
	struct held t;
	struct page *h;

	host_mm_boot(SZ_1G, &o);
	host_ok(host_hot_add_section(2, ZONE_MOVABLE), "Movable section (memmap from the buddy)");
	h = take_at(start, start + PAGES_PER_SECTION, ZONE_MOVABLE, true);
	host_ok(h && hugetlb_vmemmap_optimized(h), "a Movable huge page optimized");
	take_all(&t);
	for (unsigned long i = 0; i < t.n; i++)
		memset(__va((phys_addr_t)t.pfn[i] << PAGE_SHIFT), 0x6b, PAGE_SIZE << t.order[i]);
	give_all(&t);
	host_ok(restore_one(h) == 0, "restored from the buddy");
	destroy_compound_page(h, ORDER);
	host_ok(tails_plain(h, ZONE_MOVABLE), "all 511 tails plain Movable pages after the destroy");
	free_contig_range_hugetlb(page_to_pfn(h), page_to_pfn(h) + NPAGES);
	host_ok(host_vm_check(), "vm_check");
}

/* HVO off: destroy_compound_page clears every tail prep wrote (rows 1..7
 * included: they are not restored rows). */
static void hvo_off_dissolve(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *h;
	unsigned long top;

	host_mm_boot(256 * SZ_1M, &o);
	hugetlb_optimize_vmemmap = 0;
	top = section_nr_to_pfn(sparse_max_section());
	h = take_at(top / 2, top, ZONE_NORMAL, true);
	host_ok(h && !hugetlb_vmemmap_optimized(h) && compound_head(&h[300]) == h, "HVO off: a plain compound page");
	destroy_compound_page(h, ORDER);
	host_ok(tails_plain(h, ZONE_NORMAL), "destroy: all 511 tails plain");
	host_ok(!page_test_flag(h, PG_head) && !page_test_flag(h, PG_hugetlb) && h->compound_order == 0,
		"and the head no head: flags %#llx order %u", (unsigned long long)h->flags, h->compound_order);
	free_contig_range_hugetlb(page_to_pfn(h), page_to_pfn(h) + NPAGES);
	host_ok(host_vm_check(), "vm_check");
}

/* A restore takes no frame from its huge page's own sections (offline
 * dissolves before it isolates) and may from every other one.  Hot-added
 * Normal sections 2 and 3; the only free Normal pages are 10 in one
 * section:
 *   huge page at section 2's first pfn, free pages in section 2: 7 donated
 *   huge page inside section 2,         free pages in section 3: none
 *   huge page at section 2's last 2 MiB, free pages in section 3: none */
static void hvo_avoid(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	unsigned long s2 = section_nr_to_pfn(2), s3 = section_nr_to_pfn(3);
	const struct { unsigned long from, to, sec, donated; } cases[] = {
		{ s2, s2 + PAGES_PER_SECTION, 2, 7 },
		{ s2, s2 + PAGES_PER_SECTION, 3, 0 },
		{ s3 - NPAGES, s3, 3, 0 },
	};
	struct held t;
	struct page *h;

	host_mm_boot(SZ_1G, &o);
	host_ok(host_hot_add_section(2, ZONE_NORMAL) && host_hot_add_section(3, ZONE_NORMAL), "sections 2, 3 Normal");
	for (unsigned long c = 0; c < ARRAY_SIZE(cases); c++) {
		h = take_at(cases[c].from, cases[c].to, ZONE_NORMAL, true);
		host_ok(h && hugetlb_vmemmap_optimized(h) && (c != 0 || page_to_pfn(h) == s2) &&
			(c != 2 || page_to_pfn(h) == s3 - NPAGES), "huge page at pfn %#lx optimized", h ? page_to_pfn(h) : 0);
		take_all(&t);
		host_ok(give_back_in(&t, cases[c].sec, 10) && nr_free_pages() == 10, "10 pages free, in section %lu",
			cases[c].sec);
		host_ok(restore_one(h) == cases[c].donated, "only section %lu free: %lu donated", cases[c].sec,
			cases[c].donated);
		destroy_free(h);
		host_ok(host_vm_check(), "vm_check");
		give_all(&t);
	}
}

/* One restore call for A (section 3) then B (section 2): A's stash refill
 * takes the only order-3 block, in section 2, and leaves one frame of it
 * in the stash; B must drop that frame (its own section) and take its 7
 * from the 7 pages free in section 0: no donation, no frame of a page in
 * its own section. */
static void hvo_avoid_stash(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	unsigned long s2 = section_nr_to_pfn(2), s3 = section_nr_to_pfn(3);
	struct page *a, *b;
	struct held t;
	bool apart = true;
	LIST_HEAD(l);

	host_mm_boot(SZ_1G, &o);
	host_ok(host_hot_add_section(2, ZONE_NORMAL) && host_hot_add_section(3, ZONE_NORMAL), "sections 2, 3 Normal");
	a = take_at(s3, s3 + PAGES_PER_SECTION, ZONE_NORMAL, true);
	b = take_at(s2, s2 + PAGES_PER_SECTION, ZONE_NORMAL, true);
	host_ok(a && b && hugetlb_vmemmap_optimized(a) && hugetlb_vmemmap_optimized(b), "A in section 3, B in 2");
	take_all(&t);
	host_ok(give_back_in(&t, 2, 8) && give_back_in(&t, 0, 7) && nr_free_pages() == 15,
		"free: an order-3 block in section 2, 7 pages (4 + 2 + 1) in section 0");
	list_add_tail(&a->lru, &l);
	list_add_tail(&b->lru, &l);
	host_ok(hugetlb_vmemmap_restore_folios(&l, ORDER) == 0, "both restored, nothing donated");
	for (int i = 1; i < NV; i++)
		apart &= pfn_to_section_nr(row_pfn(a, i)) != 3 && pfn_to_section_nr(row_pfn(b, i)) != 2;
	host_ok(apart, "no page's vmemmap frame in its own section");
	list_del(&a->lru);
	list_del(&b->lru);
	destroy_free(a);
	destroy_free(b);
	give_all(&t);
	host_ok(host_vm_check(), "vm_check");
}

/* Section 2 memmap-on-memory, section 3 not (both Movable): a huge page at
 * section 3's first pfn restores from the buddy (ZONE_NORMAL run-time
 * frames), never through section 2's altmap. */
static void hvo_next_to_self_hosted(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	unsigned long s3 = section_nr_to_pfn(3);
	long rt;
	struct page *h;
	bool buddy = true;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	memhp_memmap_on_memory = true;
	host_ok(add_memory(2 * SZ_128M, SZ_128M) == 0 && online_memory_block(2, MMOP_ONLINE_MOVABLE) == 0,
		"block 2 self-hosted");
	memhp_memmap_on_memory = false;
	host_ok(add_memory(3 * SZ_128M, SZ_128M) == 0 && online_memory_block(3, MMOP_ONLINE_MOVABLE) == 0 &&
		sparse_section_has(2, SECTION_SELF_HOSTED) && !sparse_section_has(3, SECTION_SELF_HOSTED),
		"block 3 not");
	h = take_at(s3, s3 + NPAGES, ZONE_MOVABLE, true);
	host_ok(h && hugetlb_vmemmap_optimized(h), "huge page at section 3's first pfn optimized");
	rt = node_stat(NR_MEMMAP_PAGES);
	host_ok(restore_one(h) == 0, "restore donates nothing");
	for (int i = 1; i < NV; i++) {
		const struct page *f = pfn_to_page(row_pfn(h, i));
		buddy &= page_test_flag(f, PG_memmap) && !page_test_flag(f, PG_vmemmap_self_hosted) &&
			 page_zone_id(f) == ZONE_NORMAL;
	}
	host_ok(buddy && node_stat(NR_MEMMAP_PAGES) == rt + 7 - 1,
		"rows 1..7 on Normal run-time frames, the shared tail page freed (nr_memmap_pages %+ld)",
		node_stat(NR_MEMMAP_PAGES) - rt);
	destroy_free(h);
	host_ok(host_vm_check(), "vm_check");
}

int main(void)
{
	host_tap_init();
	cmdline_val = "hugetlb_free_vmemmap=on", cmdline_want = "1\n";
	host_scenario("cmdline on", hvo_cmdline);
	cmdline_val = "hugetlb_free_vmemmap=off", cmdline_want = "0\n";
	host_scenario("cmdline off", hvo_cmdline);
	cmdline_val = "hugetlb_free_vmemmap=off hugetlb_free_vmemmap=on", cmdline_want = "1\n";
	host_scenario("cmdline off, on", hvo_cmdline);
	donation_cmdline = "mem=256M";
	host_scenario("self-hosted donation", hvo_self_hosted_donation);
	donation_cmdline = "mem=256M page_poison=on";
	host_scenario("self-hosted donation, poisoning on", hvo_self_hosted_donation);
	host_scenario("self-hosted, a neighbour's frame", hvo_self_hosted_neighbour);
	host_scenario("restore hands frames out ascending", hvo_restore_ascending);
	host_scenario("a batch of exactly 4096 remaps", hvo_full_batch);
	host_scenario("plain heads in a restore", hvo_plain_heads);
	host_scenario("restore or keep", hvo_keep);
	host_scenario("junk frames", hvo_junk_frames);
	host_scenario("HVO off dissolve", hvo_off_dissolve);
	host_scenario("avoid own sections", hvo_avoid);
	host_scenario("avoid: the stash of the previous page", hvo_avoid_stash);
	host_scenario("next to a self-hosted section", hvo_next_to_self_hosted);
	return host_tap_done();
}
