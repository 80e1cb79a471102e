/* Generic kernel page-table walker over the arch's asm/pgtable.h contract.
 *
 * Levels count from the leaf: 0 = PTE (4 KiB) ... PT_LEVELS-1 = root.
 * A virtual address decodes (x86_64 and arm64 4K granule alike) as
 *
 *   | 47..39 | 38..30 | 29..21 | 20..12 | 11..0  |
 *   |  lvl 3 |  lvl 2 |  lvl 1 |  lvl 0 | offset |     pt_index(va, level)
 *
 * The walker only ever maps base pages (level 0).  It never descends into
 * or replaces a block (leaf) entry at a higher level, such as the arch's
 * 1 GiB direct map: mapping under one fails with -EEXIST.  Intermediate
 * tables come from a caller-supplied allocator (memblock at boot, the
 * buddy allocator at run time) and are counted in nr_page_table_pages. */
#ifndef MM_PGWALK_H
#define MM_PGWALK_H
#include <pagoda/types.h>
#include <asm/pgtable.h>
#include <pagoda/spinlock.h>

/* Run-time edits of the kernel page tables that map the vmemmap (HVO
 * remaps, hot-add populate, hot-remove teardown and table moves) hold this
 * (LOCK_ORDER_VMEMMAP, plain: held across TLB shootdowns).  Defined in
 * mm/pgwalk.c. */
extern spinlock_t vmemmap_lock;

/* Returns the physical address of a zeroed page for a table, or 0. */
typedef phys_addr_t (*pgwalk_alloc_t)(void);

/* Follow tables from the root toward va; return the first entry that is
 * not a table pointer (a leaf or a non-present entry) and its level. */
pte_t *pgwalk_lookup(unsigned long va, int *level);
/* The level-0 entry for va, or NULL if a table above it is missing or a
 * block mapping covers va. */
pte_t *pgwalk_pte(unsigned long va);
/* Map the 4 KiB page va -> pa with prot, allocating tables with alloc.
 * 0, -ENOMEM (alloc failed), -EEXIST (va already mapped, or under a block). */
int pgwalk_map_page(unsigned long va, phys_addr_t pa, enum pgprot prot, pgwalk_alloc_t alloc);
/* Point the present PTE of va at pa with prot, flush va from the TLB and
 * return the old frame in *old_pa.  -ENOENT when va has no PTE.  A batch
 * of one (below): on arm64 one break-before-make with one TLBI. */
int pgwalk_remap_page(unsigned long va, phys_addr_t pa, enum pgprot prot, phys_addr_t *old_pa);
/* One entry of a batched remap: va's present PTE is pointed at pa with
 * prot; the old frame comes back in old_pa.  ptep and val are the batch's
 * own (pgwalk_remap_batch() fills them): callers leave them out.  The
 * first three fields are struct pte_batch_ent's, so the arch reads the
 * array in place. */
struct pgwalk_remap {
	unsigned long va;
	pte_t *ptep;
	pte_t val;
	phys_addr_t pa;
	enum pgprot prot;
	phys_addr_t old_pa;
};
/* Remap n present PTEs as one batch with one TLB invalidation for the
 * batch (arch_set_ptes_batch: per entry up to TLB_FLUSH_ALL_THRESHOLD, else
 * one global flush; never a flush per page): 0, or -ENOENT with nothing
 * changed when some va has no PTE.  On arm64 the batch goes through one
 * break-before-make window (docs/hvo-bbm.md). */
int pgwalk_remap_batch(struct pgwalk_remap *r, unsigned long n);
/* Clear the present PTE of va, flush it, return the old frame.  Tables stay. */
int pgwalk_unmap_page(unsigned long va, phys_addr_t *old_pa);
/* Physical addresses of the tables on the path to va's PTE, root first;
 * returns how many exist (PT_LEVELS when the PTE table exists). */
int pgwalk_tables(unsigned long va, phys_addr_t tables[PT_LEVELS]);
#endif
