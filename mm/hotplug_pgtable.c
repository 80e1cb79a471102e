/* Memory hotplug: where a block's memmap frames and page-table pages come
 * from, and how tables are pruned or moved when a block goes away.
 *
 *   memmap_on_memory=1: a block hosts itself (the altmap)
 *
 *   block pfn  0            511 512  512+t                          32767
 *              [ memmap frames ][ tables ][ pages for the buddy allocator ]
 *               vmemmap page i   PTE table of the block's vmemmap (always),
 *               of the section  arm64 direct-map L2 table / vmemmap PMD
 *                                table when this block had to create one
 *
 *   memmap_on_memory=0: frames from the buddy allocator (PG_memmap,
 *   nr_memmap_pages), tables from mm_alloc_meta_page() (PG_pgtable,
 *   nr_page_table_pages).
 *
 * A table belongs to whoever created it, but other blocks may hang entries
 * under it later (the vmemmap PMD table covers 512 sections, an arm64 L2
 * table one GiB).  When a block goes:
 *   - a table under its range that became empty is freed: given back to
 *     the buddy allocator, or, if self-hosted, it simply vanishes with the
 *     range (or stays an unused frame of another block's altmap);
 *   - a self-hosted table that still maps other memory is moved first: its
 *     entries copied into a page from the buddy allocator (charged to
 *     nr_page_table_pages), its parent entry pointed there.  That page comes
 *     from boot memory when there is any: in a hot-added block it would pin
 *     the block (an arm64 L2 table could even map the block holding it).
 * The moves are counted before anything changes (mhp_count_moves()), their
 * pages allocated up front, so a remove that cannot get them fails clean. */
#include <pagoda/kernel.h>
#include <pagoda/fault_inject.h>
#include <asm/tlbflush.h>
#include "mm/memory_hotplug.h"
#include "mm/hotplug_internal.h"
#include "mm/buddy.h"
#include "mm/pgwalk.h"
#include "mm/vmstat.h"
#include "mm/mm_internal.h"

unsigned long memhp_fail_nth_alloc;

/* Fault injection: true when this allocation must fail. */
static bool mhp_inject_failure(void)
{
	return memhp_fail_nth_alloc && --memhp_fail_nth_alloc == 0;
}

bool mhp_pfn_self_hosted(unsigned long pfn)
{
	const struct mem_section *ms = pfn_to_section(pfn);

	return ms && (ms->state & SECTION_SELF_HOSTED) &&
	       pfn - section_nr_to_pfn(pfn_to_section_nr(pfn)) < ms->nr_altmap_pages;
}

/* The next free page of the altmap of section nr for a table (after the
 * 512 memmap frames); extends nr_altmap_pages.  Not zeroed, maybe not
 * mapped yet (the arch's direct-map tables are made before the range is). */
static phys_addr_t mhp_altmap_table(struct mhp_src *src)
{
	struct mem_section *ms = sparse_section(src->nr);
	unsigned long pfn = section_nr_to_pfn(src->nr) + ms->nr_altmap_pages;

	if (should_fail_alloc_page(0))              /* an allocation: fail_page_alloc */
		return 0;
	KASSERT(ms->nr_altmap_pages < VMEMMAP_PAGES_PER_SECTION + MHP_MAX_ALTMAP_TABLES,
		"section %lu: altmap full (%u pages)", src->nr, ms->nr_altmap_pages);
	ms->nr_altmap_pages++;
	src->tables++;
	return (phys_addr_t)pfn << PAGE_SHIFT;
}

/* A zeroed page for a long-lived table, from boot memory when it has one:
 * a table in a hot-added block would pin that block (it could never be
 * offlined, and the table may map the block itself).  Else from anywhere.
 * alloc_pages_outside() tries boot sections first, under the zone lock
 * (other CPUs may be allocating: no section state is touched for it). */
static phys_addr_t mhp_meta_page_boot_first(void)
{
	unsigned long pfn;
	phys_addr_t pa;

	if (alloc_pages_outside(0, ZONE_NORMAL, 0, 0, &pfn))
		return mm_alloc_meta_page();
	pa = (phys_addr_t)pfn << PAGE_SHIFT;
	memset(__va(pa), 0, PAGE_SIZE);
	return pa;
}

/* A table page for the arch (arch_add_memory): self-hosted, or from the
 * buddy allocator (boot memory first), charged and flagged. */
static phys_addr_t mhp_arch_table(void *ctx)
{
	struct mhp_src *src = ctx;
	phys_addr_t pa;

	if (mhp_inject_failure())
		return 0;
	if (src->altmap)
		return mhp_altmap_table(src);
	fail_site_enter(FAIL_SITE_PGTABLE);
	pa = mhp_meta_page_boot_first();
	fail_site_exit(FAIL_SITE_PGTABLE);
	if (pa) {
		mod_node_stat(NR_PAGE_TABLE_PAGES, 1);
		page_set_flag(pfn_to_page(pa >> PAGE_SHIFT), PG_pgtable);
	}
	return pa;
}

/* The source of the add in progress: pgwalk_alloc_t takes no context. */
static struct mhp_src *mhp_cur_src;

/* A zeroed table page for the vmemmap walker.  pgwalk charges every table
 * it installs to nr_page_table_pages; a self-hosted one is no page of
 * existing memory, so that charge is cancelled here in advance. */
static phys_addr_t mhp_vmemmap_table(void)
{
	struct mhp_src *src = mhp_cur_src;
	phys_addr_t pa;

	if (mhp_inject_failure())
		return 0;
	if (!src->altmap)
		return mm_alloc_meta_page();
	pa = mhp_altmap_table(src);
	if (!pa)
		return 0;
	memset(__va(pa), 0, PAGE_SIZE);
	mod_node_stat(NR_PAGE_TABLE_PAGES, -1);
	return pa;
}

/* Memmap frame i of the section: the altmap's frame i, or a buddy page. */
static phys_addr_t mhp_frame(void *ctx)
{
	struct mhp_src *src = ctx;

	if (mhp_inject_failure())
		return 0;
	if (src->altmap)                              /* an allocation: fail_page_alloc */
		return should_fail_alloc_page(0) ? 0 :
		       (phys_addr_t)(section_nr_to_pfn(src->nr) + src->frames++) << PAGE_SHIFT;
	return vmemmap_alloc_buddy.frame(NULL);
}

/* Give a frame back: a self-hosted one just stops being used. */
static void mhp_unframe(phys_addr_t pa, void *ctx)
{
	struct mhp_src *src = ctx;

	if (src->altmap)
		return;
	vmemmap_alloc_buddy.unframe(pa, NULL);
}

void mhp_src_init(struct mhp_src *src, unsigned long nr, bool altmap)
{
	*src = (struct mhp_src){ .nr = nr, .altmap = altmap };
	src->vm_alloc = (struct vmemmap_alloc){
		.frame = mhp_frame,
		.unframe = mhp_unframe,
		.table = mhp_vmemmap_table,
		.ctx = src,
		.counter = altmap ? NR_VM_NODE_STAT_ITEMS : NR_MEMMAP_PAGES,
	};
	src->arch = (struct mhp_table_alloc){ .alloc = mhp_arch_table, .free = mhp_table_free,
					      .ctx = src };
}

int mhp_populate_vmemmap(struct mhp_src *src)
{
	int rc;

	mhp_cur_src = src;
	rc = vmemmap_populate_section(src->nr, &src->vm_alloc);
	mhp_cur_src = NULL;
	return rc;
}

void mhp_table_free(phys_addr_t pa, void *ctx)
{
	unsigned long pfn = pa >> PAGE_SHIFT;
	struct page *page;

	if (mhp_pfn_self_hosted(pfn))
		return;                         /* vanishes with (or stays in) its block */
	page = pfn_to_page(pfn);
	if (page_test_flag(page, PG_reserved))
		return;                         /* a boot table: never ours to free */
	page_clear_flag(page, PG_pgtable);
	mod_node_stat(NR_PAGE_TABLE_PAGES, -1);
	free_pages(page, 0);
}

/* ------------------------------------------------------------ prune and move */

/* Is [va, va + span) inside [start, last] (inclusive: last may be ~0)? */
static bool mhp_inside(unsigned long va, unsigned long span, unsigned long start, unsigned long last)
{
	return va >= start && va + (span - 1) <= last;
}
static bool mhp_overlaps(unsigned long va, unsigned long span, unsigned long start, unsigned long last)
{
	return va <= last && va + (span - 1) >= start;
}

/* Does the table at level lvl (entries of span, first at base) map anything
 * outside [start, last]? */
static bool mhp_table_maps_outside(const pte_t *t, int lvl, unsigned long base,
				   unsigned long start, unsigned long last)
{
	unsigned long span = pt_level_size(lvl);

	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		if (pte_present(t[i]) && !mhp_inside(base + i * span, span, start, last))
			return true;
	return false;
}

/* Walk the tables under t (level lvl) for VA [start, last]; for every
 * child table that lies in [hs, he) (physical) and still maps VA outside
 * the range: count it, or (pool != NULL) move it into a pool page. */
static unsigned long mhp_moves_level(pte_t *t, int lvl, unsigned long base, unsigned long start,
				     unsigned long last, phys_addr_t hs, phys_addr_t he,
				     struct mhp_pool *pool)
{
	unsigned long span = pt_level_size(lvl), n = 0;

	for (unsigned int i = 0; i < PT_ENTRIES && lvl > 0; i++) {
		unsigned long va = base + i * span;
		phys_addr_t child;

		if (!mhp_overlaps(va, span, start, last) || !pte_is_table(t[i], lvl))
			continue;
		child = pte_pa(t[i]);
		n += mhp_moves_level(__va(child), lvl - 1, va, start, last, hs, he, pool);
		if (child < hs || child >= he || !mhp_table_maps_outside(__va(child), lvl - 1, va, start, last))
			continue;
		n++;
		if (pool) {
			phys_addr_t to = mhp_pool_take(pool);

			memcpy(__va(to), __va(child), PAGE_SIZE);
			arch_set_pte(va, lvl, &t[i], pte_mk_table(to));
		}
	}
	return n;
}

static unsigned long mhp_root_base(unsigned long va)
{
	return va & ~(pt_level_size(PT_LEVELS - 1) * PT_ENTRIES - 1);
}

unsigned long mhp_count_moves(unsigned long start, unsigned long end, phys_addr_t hs, phys_addr_t he)
{
	return mhp_moves_level(arch_pgd(), PT_LEVELS - 1, mhp_root_base(start), start, end - 1,
			       hs, he, NULL);
}

void mhp_move_tables(unsigned long start, unsigned long end, phys_addr_t hs, phys_addr_t he,
		     struct mhp_pool *pool)
{
	mhp_moves_level(arch_pgd(), PT_LEVELS - 1, mhp_root_base(start), start, end - 1, hs, he, pool);
}

/* Free the tables under t (level lvl) for VA [start, last] that have no
 * present entry; returns true when t itself has none left. */
static bool mhp_prune_level(pte_t *t, int lvl, unsigned long base, unsigned long start,
			    unsigned long last, unsigned long *freed)
{
	unsigned long span = pt_level_size(lvl);
	bool empty = true;

	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		unsigned long va = base + i * span;

		if (!pte_present(t[i]))
			continue;
		if (mhp_overlaps(va, span, start, last) && pte_is_table(t[i], lvl) &&
		    mhp_prune_level(__va(pte_pa(t[i])), lvl - 1, va, start, last, freed)) {
			phys_addr_t pa = pte_pa(t[i]);

			arch_set_pte(va, lvl, &t[i], 0);
			mhp_table_free(pa, NULL);
			(*freed)++;
			continue;
		}
		empty = false;
	}
	return empty;
}

unsigned long mhp_prune_tables(unsigned long start, unsigned long end)
{
	unsigned long freed = 0;

	mhp_prune_level(arch_pgd(), PT_LEVELS - 1, mhp_root_base(start), start, end - 1, &freed);
	return freed;
}

/* ------------------------------------------------------------ move pool */

int mhp_pool_fill(struct mhp_pool *pool, unsigned long n)
{
	KASSERT(n <= (unsigned long)MHP_MAX_MOVES, "%lu table moves (at most %d)", n, MHP_MAX_MOVES);
	pool->n = pool->used = 0;
	while ((unsigned long)pool->n < n) {
		phys_addr_t pa;

		fail_site_enter(FAIL_SITE_PGTABLE);
		pa = mhp_inject_failure() ? 0 : mhp_meta_page_boot_first();
		fail_site_exit(FAIL_SITE_PGTABLE);

		if (!pa) {
			mhp_pool_drain(pool);
			return -ENOMEM;
		}
		pool->pa[pool->n++] = pa;
	}
	return 0;
}

phys_addr_t mhp_pool_take(struct mhp_pool *pool)
{
	phys_addr_t pa;

	KASSERT(pool->used < pool->n, "table move pool empty (%d pages)", pool->n);
	pa = pool->pa[pool->used++];
	mod_node_stat(NR_PAGE_TABLE_PAGES, 1);
	page_set_flag(pfn_to_page(pa >> PAGE_SHIFT), PG_pgtable);
	return pa;
}

void mhp_pool_drain(struct mhp_pool *pool)
{
	while (pool->n > pool->used)
		free_pages(pfn_to_page(pool->pa[--pool->n] >> PAGE_SHIFT), 0);
	pool->n = pool->used = 0;
}

/* A pool page for the arch's moves (struct mhp_table_alloc of a remove). */
static phys_addr_t mhp_pool_alloc(void *ctx) { return mhp_pool_take(ctx); }

void mhp_pool_arch_alloc(struct mhp_pool *pool, struct mhp_table_alloc *a)
{
	*a = (struct mhp_table_alloc){ .alloc = mhp_pool_alloc, .free = mhp_table_free, .ctx = pool };
}

/* One flush after a teardown: everything when tables were unlinked (arm64
 * walk caches may hold them), else the leaf range. */
void mhp_flush(unsigned long start, unsigned long end, bool tables_freed)
{
	if (tables_freed)
		flush_tlb_all();
	else
		flush_tlb_kernel_range(start, end);
}
