/* The sparse vmemmap: struct pages of section nr live at a fixed virtual
 * address and are backed by 4 KiB frames mapped with base-page PTEs.
 *
 *   VMEMMAP_START
 *   |  section 0: 2 MiB of VA   |  section 1  |  (hole: unmapped) | section 3 |
 *   +---------------------------+-------------+-------------------+-----------+
 *   | vm page 0 | ... | vm 511  |
 *       |  one PTE each (RW, NX)
 *       v
 *   frame: 64 struct pages = the descriptors of 256 KiB of RAM
 *
 * Base pages only (no 2 MiB PMD mapping), so HugeTLB Vmemmap Optimization
 * can later remap a single tail vmemmap page read-only onto a shared frame
 * with pgwalk_remap_page() and free the old frame. */
#include <pagoda/kernel.h>
#include <pagoda/fault_inject.h>
#include <asm/vmparam.h>
#include <asm/tlbflush.h>
#include "mm/sparse_vmemmap.h"
#include "mm/memblock.h"
#include "mm/mm_internal.h"
#include "mm/buddy.h"

BUILD_BUG_ON(VMEMMAP_PAGES_PER_SECTION * PAGE_SIZE != PAGES_PER_SECTION * sizeof(struct page));

static void vmemmap_charge(const struct vmemmap_alloc *a, long pages)
{
	if (a->counter < NR_VM_NODE_STAT_ITEMS)
		mod_node_stat(a->counter, pages);
}

/* Unmap the vmemmap pages [first, last) of section nr that are mapped,
 * handing each frame to a->unframe and uncharging a->counter, then (if
 * flush) one TLB flush for the whole range, never one per page.  Tables stay. */
static void vmemmap_unmap_pages(unsigned long nr, unsigned long first, unsigned long last,
				const struct vmemmap_alloc *a, bool flush)
{
	unsigned long va0 = vmemmap_section_va(nr) + first * PAGE_SIZE, va = va0;

	for (unsigned long i = first; i < last; i++, va += PAGE_SIZE) {
		pte_t *ep = pgwalk_pte(va);
		phys_addr_t old;

		if (!ep || !pte_present(*ep))
			continue;
		old = pte_pa(*ep);
		arch_set_pte(va, 0, ep, 0);
		a->unframe(old, a->ctx);
		vmemmap_charge(a, -1);
	}
	if (flush && last > first)
		flush_tlb_kernel_range(va0, va);
}

void vmemmap_depopulate_section(unsigned long nr, const struct vmemmap_alloc *a)
{
	vmemmap_unmap_pages(nr, 0, VMEMMAP_PAGES_PER_SECTION, a, true);
}

void vmemmap_unmap_section(unsigned long nr, const struct vmemmap_alloc *a)
{
	vmemmap_unmap_pages(nr, 0, VMEMMAP_PAGES_PER_SECTION, a, false);
}

/* On failure at page i only pages [0, i) are ours: page i may be another
 * owner's mapping (-EEXIST), and that one must stay. */
static int vmemmap_populate_pages(unsigned long nr, const struct vmemmap_alloc *a)
{
	unsigned long va = vmemmap_section_va(nr);

	for (unsigned long i = 0; i < VMEMMAP_PAGES_PER_SECTION; i++, va += PAGE_SIZE) {
		phys_addr_t pa = a->frame(a->ctx);
		int rc = pa ? pgwalk_map_page(va, pa, PROT_KERNEL_RW, a->table) : -ENOMEM;

		if (rc) {
			if (pa)
				a->unframe(pa, a->ctx);
			vmemmap_unmap_pages(nr, 0, i, a, true);
			return rc;
		}
		vmemmap_charge(a, 1);
	}
	return 0;
}

/* Every page allocation of the populate is in site vmemmap_populate. */
int vmemmap_populate_section(unsigned long nr, const struct vmemmap_alloc *a)
{
	int rc;

	fail_site_enter(FAIL_SITE_VMEMMAP_POPULATE);
	rc = vmemmap_populate_pages(nr, a);
	fail_site_exit(FAIL_SITE_VMEMMAP_POPULATE);
	return rc;
}

/*
 * Boot frames: memblock blocks handed out a frame at a time in ascending
 * order (Linux's sparse_buffer), instead of one memblock search per frame.
 *
 *   memblock, top-down:  [ s0 memmap | s1 memmap | ... | sN memmap ][tables][roots]
 *                          ^ next: frames go out ascending       end ^
 *                          each section's memmap = one aligned 2 MiB
 *
 * The first block asks for every present section's memmap at once, 2 MiB
 * aligned, so the page tables made while mapping (4 KiB each, also
 * top-down) land outside it - above it, in what the alignment left free
 * under the section root pages, or below it - never between two sections'
 * memmaps, where they would break up a free 4 MiB block each.  If memory
 * is too fragmented for
 * that, a refill asks for one section's 2 MiB, then halves down to one page
 * (each size 2 MiB aligned if it is whole sections, else page aligned, and
 * unaligned before it is halved).  A block is never larger than the frames
 * still needed, so every frame reserved is handed out and charged:
 * nr_memmap_boot_pages stays exact.
 */
struct vmemmap_boot_buf {
	phys_addr_t next, end;          /* [next, end): reserved, not handed out */
	unsigned long unreserved;       /* frames needed beyond [next, end) */
};

#define VMEMMAP_SECTION_BYTES (VMEMMAP_PAGES_PER_SECTION * PAGE_SIZE)

/* One memblock block of want frames: 2 MiB aligned if want is whole
 * sections' memmaps and memblock has such a fit, else page aligned; 0 if
 * neither fits. */
static phys_addr_t vmemmap_boot_block(unsigned long want)
{
	u64 size = (u64)want << PAGE_SHIFT;
	phys_addr_t pa = 0;

	if (want % VMEMMAP_PAGES_PER_SECTION == 0)
		pa = memblock_alloc_try(size, VMEMMAP_SECTION_BYTES);
	return pa ? pa : memblock_alloc_try(size, PAGE_SIZE);
}

/* Reserve the next block into b: every frame still needed, else one
 * section's memmap, else halves of that.  Panics when not even one page
 * is left (as one memblock_alloc_phys() per frame did). */
static void vmemmap_boot_refill(struct vmemmap_boot_buf *b)
{
	unsigned long want = b->unreserved;
	phys_addr_t pa;

	KASSERT(want, "every boot memmap frame is already handed out");
	while (!(pa = vmemmap_boot_block(want))) {
		if (want == 1)
			panic("out of memory: %lu boot memmap frames still needed", b->unreserved);
		want = want > VMEMMAP_PAGES_PER_SECTION ? VMEMMAP_PAGES_PER_SECTION : want / 2;
	}
	b->next = pa;
	b->end = pa + ((u64)want << PAGE_SHIFT);
	b->unreserved -= want;
}

static phys_addr_t vmemmap_boot_frame(void *ctx)
{
	struct vmemmap_boot_buf *b = ctx;
	phys_addr_t pa;

	if (b->next == b->end)
		vmemmap_boot_refill(b);
	pa = b->next;
	b->next += PAGE_SIZE;
	return pa;
}
static void vmemmap_boot_unframe(phys_addr_t pa, void *ctx)
{
	panic("boot vmemmap frame %#llx cannot be returned", (unsigned long long)pa);
}
static phys_addr_t vmemmap_boot_table(void) { return mm_alloc_meta_page(); }

void vmemmap_populate_early(void)
{
	struct vmemmap_boot_buf buf = { 0 };
	const struct vmemmap_alloc boot = {
		.frame = vmemmap_boot_frame,
		.unframe = vmemmap_boot_unframe,
		.table = vmemmap_boot_table,
		.ctx = &buf,
		.counter = NR_MEMMAP_BOOT_PAGES,
	};
	unsigned long nr;
	struct mem_section *ms;

	for_each_present_section(nr, ms)
		buf.unreserved += VMEMMAP_PAGES_PER_SECTION;
	for_each_present_section(nr, ms)
		if (vmemmap_populate_section(nr, &boot))
			panic("vmemmap of section %lu: a leaf mapping is in the way", nr);
	KASSERT(buf.next == buf.end && !buf.unreserved, "boot memmap frames left: %#llx-%#llx + %lu",
		(unsigned long long)buf.next, (unsigned long long)buf.end, buf.unreserved);
}

/* Run-time source (hot-add without memmap-on-memory): frames and tables
 * from the buddy allocator, frames charged to nr_memmap_pages. */
static phys_addr_t vmemmap_buddy_frame(void *ctx)
{
	struct page *page = alloc_pages(0, ZONE_NORMAL);

	if (!page)
		return 0;
	page_set_flag(page, PG_memmap);
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}
static void vmemmap_buddy_unframe(phys_addr_t pa, void *ctx)
{
	struct page *page = pfn_to_page(pa >> PAGE_SHIFT);

	page_clear_flag(page, PG_memmap);
	free_pages(page, 0);
}
const struct vmemmap_alloc vmemmap_alloc_buddy = {
	.frame = vmemmap_buddy_frame,
	.unframe = vmemmap_buddy_unframe,
	.table = mm_alloc_meta_page,
	.counter = NR_MEMMAP_PAGES,
};

/* Flag frame pfn (already PG_reserved: it came from memblock). */
static void vmemmap_flag_frame(phys_addr_t pa, enum pageflags f)
{
	unsigned long pfn = pa >> PAGE_SHIFT;
	if (pfn_valid(pfn))
		page_set_flag(pfn_to_page(pfn), f);
}

void vmemmap_mark_early_frames(void)
{
	unsigned long nr;
	struct mem_section *ms;

	for_each_present_section(nr, ms) {
		unsigned long va = vmemmap_section_va(nr);
		for (unsigned long i = 0; i < VMEMMAP_PAGES_PER_SECTION; i++, va += PAGE_SIZE) {
			phys_addr_t tables[PT_LEVELS];
			int n = pgwalk_tables(va, tables);
			pte_t *ep = pgwalk_pte(va);

			vmemmap_flag_frame(pte_pa(*ep), PG_memmap);
			for (int l = 1; l < n; l++)          /* tables[0] is the arch's root */
				vmemmap_flag_frame(tables[l], PG_pgtable);
		}
	}
}
