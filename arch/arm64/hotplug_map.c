/* arch_add_memory / arch_remove_memory on arm64: the direct map of
 * hot-added RAM, in 2 MiB blocks.
 *
 *   TTBR1 root --[PAGE_OFFSET]--> L1 table (boot, 512 x 1 GiB)
 *                                   entry g: 1 GiB block (boot RAM)  -> nothing to do
 *                                            L2 table (512 x 2 MiB)  -> fill empty entries
 *                                            empty                   -> new L2 table
 *   a block we make:  2 MiB block | PTE_SW_HOTPLUG (software bit 55)
 *
 * The boot map covers every RAM range of the UEFI map (memory that mem=
 * kept back included), so only RAM that appears later - a DIMM - needs new
 * entries.  With memmap_on_memory the L2 table of a new GiB comes from the
 * block being added, which is not mapped yet: the table is built in a
 * bounce page of the image, the block mapped through it, then the table is
 * copied into its page in the block and the L1 entry repointed
 * (break-before-make, arch_set_pte()).
 *
 * Remove clears only PTE_SW_HOTPLUG blocks.  An L2 table left with nothing
 * but our blocks of the range is unlinked and given to a->free (a
 * self-hosted one vanishes with its block); one that still maps other
 * memory but lives inside the range is first copied into a page from
 * a->alloc (arch_remove_memory_moves() counted it).  One TLB flush: all
 * (walk caches) when a table was unlinked, else the range.
 *
 * Hot-add is limited to the first L1 table: [0, 512 GiB). */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include "arch/arm64/include/asm/pgtable.h"       /* by path, as pgtable.c: */
#include "arch/arm64/include/asm/tlbflush.h"      /* tests/unit/test_arm64_hotplug.c */

#define PTE_SW_HOTPLUG   (1UL << 55)     /* a block arch_add_memory() made */
#define HP_LIMIT         (PT_ENTRIES * pt_level_size(2))      /* 512 GiB */

static pte_t hp_bounce[PT_ENTRIES] __aligned(PAGE_SIZE);

/* The L1 entry (level 2) mapping pa in the direct map, or NULL. */
static pte_t *hp_l1e(phys_addr_t pa)
{
	pte_t e = arch_pgd()[pt_index(PAGE_OFFSET + pa, 3)];

	if (!pte_is_table(e, 3))
		return NULL;
	return &((pte_t *)__va(pte_pa(e)))[pt_index(PAGE_OFFSET + pa, 2)];
}

/* Map the empty 2 MiB entries of [s, e) (inside one GiB) in L2 table t. */
static void hp_map_blocks(pte_t *t, phys_addr_t s, phys_addr_t e)
{
	for (phys_addr_t pa = s; pa < e; pa += pt_level_size(1)) {
		pte_t *ep = &t[pt_index(PAGE_OFFSET + pa, 1)];

		if (!pte_present(*ep))
			arch_set_pte(PAGE_OFFSET + pa, 1, ep,
				     pte_mk_leaf(pa, 1, PROT_KERNEL_RW) | PTE_SW_HOTPLUG);
	}
}

/* A new L2 table at table_pa for the GiB of s, mapping [s, e).  A table
 * inside [s, e) itself is built in the bounce page first. */
static void hp_new_table(pte_t *l1e, phys_addr_t table_pa, phys_addr_t s, phys_addr_t e)
{
	unsigned long gva = PAGE_OFFSET + ALIGN_DOWN(s, pt_level_size(2));

	if (table_pa < s || table_pa >= e) {
		arch_set_pte(gva, 2, l1e, pte_mk_table(table_pa));
		hp_map_blocks(__va(table_pa), s, e);
		return;
	}
	memset(hp_bounce, 0, sizeof(hp_bounce));
	arch_set_pte(gva, 2, l1e, pte_mk_table(arch_kimage_pa(hp_bounce)));
	hp_map_blocks(hp_bounce, s, e);
	memcpy(__va(table_pa), hp_bounce, PAGE_SIZE);
	arch_set_pte(gva, 2, l1e, pte_mk_table(table_pa));     /* break-before-make */
}

int arch_add_memory(phys_addr_t start, u64 size, const struct mhp_table_alloc *a)
{
	phys_addr_t end = start + size, s, e;

	if (!size || end < start || end > HP_LIMIT || !hp_l1e(start))
		return -ERANGE;
	for (s = start; s < end; s = e) {
		pte_t *l1e = hp_l1e(s);
		phys_addr_t table;

		e = MIN(end, ALIGN_DOWN(s, pt_level_size(2)) + pt_level_size(2));
		if (pte_is_table(*l1e, 2)) {
			hp_map_blocks(__va(pte_pa(*l1e)), s, e);
		} else if (!pte_present(*l1e)) {
			table = a->alloc(a->ctx);
			if (!table) {
				if (s > start)
					arch_remove_memory(start, s - start, a);
				return -ENOMEM;
			}
			hp_new_table(l1e, table, s, e);
		}                           /* else: a boot 1 GiB block covers it */
	}
	return 0;
}

/* Does L2 table t map anything outside [s, e), and does it hold only
 * PTE_SW_HOTPLUG blocks? */
static void hp_table_scan(const pte_t *t, phys_addr_t g, phys_addr_t s, phys_addr_t e,
			  bool *outside, bool *only_ours)
{
	*outside = false;
	*only_ours = true;
	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		phys_addr_t pa = g + i * pt_level_size(1);

		if (!pte_present(t[i]))
			continue;
		if (pa < s || pa >= e)
			*outside = true;
		if (!(t[i] & PTE_SW_HOTPLUG) || pte_is_table(t[i], 1))
			*only_ours = false;
	}
}

unsigned long arch_remove_memory_moves(phys_addr_t start, u64 size)
{
	phys_addr_t end = start + size, g;
	unsigned long n = 0;

	for (g = ALIGN_DOWN(start, pt_level_size(2)); g < end; g += pt_level_size(2)) {
		pte_t *l1e = hp_l1e(g);
		bool outside, ours;

		if (!l1e || !pte_is_table(*l1e, 2) || pte_pa(*l1e) < start || pte_pa(*l1e) >= end)
			continue;
		hp_table_scan(__va(pte_pa(*l1e)), g, start, end, &outside, &ours);
		n += outside;
	}
	return n;
}

/* Clear our blocks of [s, e) in L2 table t; true if any was cleared. */
static bool hp_clear_blocks(pte_t *t, phys_addr_t s, phys_addr_t e)
{
	bool any = false;

	for (phys_addr_t pa = s; pa < e; pa += pt_level_size(1)) {
		pte_t *ep = &t[pt_index(PAGE_OFFSET + pa, 1)];

		if (pte_present(*ep) && (*ep & PTE_SW_HOTPLUG)) {
			arch_set_pte(PAGE_OFFSET + pa, 1, ep, 0);
			any = true;
		}
	}
	return any;
}

/* Tear down the GiB at g for [start, end): unlink (true) or clear blocks. */
static bool hp_remove_gib(phys_addr_t g, phys_addr_t start, phys_addr_t end,
			  const struct mhp_table_alloc *a, bool *cleared)
{
	pte_t *l1e = hp_l1e(g);
	phys_addr_t t = pte_pa(*l1e), s = MAX(start, g), e = MIN(end, g + pt_level_size(2));
	bool outside, ours;

	hp_table_scan(__va(t), g, start, end, &outside, &ours);
	if (!outside && ours) {
		arch_set_pte(PAGE_OFFSET + g, 2, l1e, 0);
		a->free(t, a->ctx);
		return true;
	}
	if (outside && t >= start && t < end) {          /* shared, lives in the range: move */
		phys_addr_t to = a->alloc(a->ctx);

		memcpy(__va(to), __va(t), PAGE_SIZE);
		arch_set_pte(PAGE_OFFSET + g, 2, l1e, pte_mk_table(to));
		t = to;
	}
	*cleared |= hp_clear_blocks(__va(t), s, e);
	return false;
}

void arch_remove_memory(phys_addr_t start, u64 size, const struct mhp_table_alloc *a)
{
	phys_addr_t end = start + size, g;
	bool unlinked = false, cleared = false;

	for (g = ALIGN_DOWN(start, pt_level_size(2)); g < end; g += pt_level_size(2)) {
		pte_t *l1e = hp_l1e(g);

		if (l1e && pte_is_table(*l1e, 2))
			unlinked |= hp_remove_gib(g, start, end, a, &cleared);
	}
	if (unlinked)
		flush_tlb_all();
	else if (cleared)
		flush_tlb_kernel_range(PAGE_OFFSET + start, PAGE_OFFSET + end);
}
