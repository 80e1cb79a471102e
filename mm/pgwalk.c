/* Generic page-table walker (see pgwalk.h for the address diagram).
 *
 *   arch_pgd() --> [lvl 3 table] --e--> [lvl 2 table] --e--> [lvl 1] --e--> [PTE table]
 *                                 \                                          | e = leaf
 *                                  `-- block leaf (direct map): never entered v
 *                                                                         4 KiB frame
 * Tables are reached through the direct map (__va of the entry's address).
 * Entries are written only with arch_set_pte(), which on arm64 performs
 * break-before-make and on the host build mirrors leaves into real mmaps,
 * or, for a batched remap, with arch_set_ptes_batch(): the arch stores the
 * whole batch with one invalidation (arm64: break all, one DSB + TLBIs +
 * DSB + ISB, make all), so pgwalk_remap_batch itself flushes nothing. */
#include <pagoda/kernel.h>
#include <pagoda/fault_inject.h>
#include <asm/vmparam.h>
#include <asm/tlbflush.h>
#include "mm/pgwalk.h"
#include "mm/vmstat.h"
#include "mm/sparse.h"

spinlock_t vmemmap_lock = SPINLOCK_INIT("vmemmap", LOCK_ORDER_VMEMMAP);

static pte_t *pgwalk_table(pte_t e) { return (pte_t *)__va(pte_pa(e)); }

pte_t *pgwalk_lookup(unsigned long va, int *level)
{
	pte_t *table = arch_pgd();
	int lvl = PT_LEVELS - 1;

	for (;;) {
		pte_t *ep = &table[pt_index(va, lvl)];
		if (!pte_is_table(*ep, lvl)) {
			*level = lvl;
			return ep;
		}
		table = pgwalk_table(*ep);
		lvl--;
	}
}

pte_t *pgwalk_pte(unsigned long va)
{
	int level;
	pte_t *ep = pgwalk_lookup(va, &level);
	return level == 0 ? ep : NULL;
}

/* Install a fresh table below entry ep (level lvl); counts it. */
static int pgwalk_new_table(unsigned long va, int lvl, pte_t *ep, pgwalk_alloc_t alloc)
{
	phys_addr_t pa;

	fail_site_enter(FAIL_SITE_PGTABLE);
	pa = alloc();
	fail_site_exit(FAIL_SITE_PGTABLE);
	if (!pa)
		return -ENOMEM;
	arch_set_pte(va, lvl, ep, pte_mk_table(pa));
	mod_node_stat(NR_PAGE_TABLE_PAGES, 1);
	if (pfn_valid(pa >> PAGE_SHIFT))            /* boot tables are flagged later */
		page_set_flag(pfn_to_page(pa >> PAGE_SHIFT), PG_pgtable);
	return 0;
}

int pgwalk_map_page(unsigned long va, phys_addr_t pa, enum pgprot prot, pgwalk_alloc_t alloc)
{
	pte_t *table = arch_pgd();

	KASSERT(IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(pa, PAGE_SIZE),
		"va %#lx pa %#llx", va, (unsigned long long)pa);
	for (int lvl = PT_LEVELS - 1; lvl > 0; lvl--) {
		pte_t *ep = &table[pt_index(va, lvl)];
		if (pte_present(*ep) && !pte_is_table(*ep, lvl))
			return -EEXIST;                 /* block mapping: not ours */
		if (!pte_present(*ep)) {
			int rc = pgwalk_new_table(va, lvl, ep, alloc);
			if (rc)
				return rc;
		}
		table = pgwalk_table(*ep);
	}
	table += pt_index(va, 0);
	if (pte_present(*table))
		return -EEXIST;
	arch_set_pte(va, 0, table, pte_mk_leaf(pa, 0, prot));
	return 0;
}

int pgwalk_remap_page(unsigned long va, phys_addr_t pa, enum pgprot prot, phys_addr_t *old_pa)
{
	struct pgwalk_remap r = { .va = va, .pa = pa, .prot = prot };
	int rc = pgwalk_remap_batch(&r, 1);       /* one invalidation, counted */

	if (!rc)
		*old_pa = r.old_pa;
	return rc;
}

/* pte_batch entry i of a pgwalk_remap array (ctx): its PTE and new leaf.
 * (The arch reads the array in place through b->ent; this is for an arch
 * that asks.) */
static void pgwalk_batch_get(const struct pte_batch *b, unsigned long i,
			     unsigned long *va, pte_t **ptep, pte_t *val)
{
	const struct pgwalk_remap *r = (const struct pgwalk_remap *)b->ctx + i;

	*va = r->va;
	*ptep = r->ptep;
	*val = r->val;
}
BUILD_BUG_ON(offsetof(struct pgwalk_remap, va) != offsetof(struct pte_batch_ent, va) ||
	     offsetof(struct pgwalk_remap, ptep) != offsetof(struct pte_batch_ent, ptep) ||
	     offsetof(struct pgwalk_remap, val) != offsetof(struct pte_batch_ent, val));

/* Bytes of VA one PTE table maps (2 MiB with 4 KiB pages on both arches). */
#define PGWALK_PTE_TABLE_SPAN (PAGE_SIZE * (PAGE_SIZE / sizeof(pte_t)))

/* Look every entry's PTE up once, walking from the root only when va leaves
 * the PTE table of the previous entry: a huge page's vmemmap sits in one
 * PTE table (2 MiB: 8 entries; 1 GiB: 4096 in 8 tables), so a batch walks
 * once per table, not once per entry (and not again in the arch passes,
 * which read r->ptep).  A remap changes leaves only, never tables, so the
 * pointers hold for the whole batch.  The same pass computes each new leaf,
 * saves the old frame and the batch's VA span, so the arch passes only
 * store (nothing is changed before every va is known to have a PTE). */
int pgwalk_remap_batch(struct pgwalk_remap *r, unsigned long n)
{
	struct pte_batch b = { .n = n, .get = pgwalk_batch_get, .ctx = r, .ent = (void *)r,
			       .stride = sizeof(*r), .lo = ~0UL };
	unsigned long span = 0;
	pte_t *table = NULL;

	for (unsigned long i = 0; i < n; i++) {
		unsigned long s = r[i].va / PGWALK_PTE_TABLE_SPAN + 1;
		pte_t *ep;

		if (s != span || !table) {
			ep = pgwalk_pte(r[i].va);
			table = ep ? ep - pt_index(r[i].va, 0) : NULL;
			span = s;
		} else {
			ep = table + pt_index(r[i].va, 0);
		}
		if (!ep || !pte_present(*ep))
			return -ENOENT;
		r[i].ptep = ep;
		r[i].val = pte_mk_leaf(r[i].pa, 0, r[i].prot);
		r[i].old_pa = pte_pa(*ep);
		b.lo = MIN(b.lo, r[i].va);
		b.hi = MAX(b.hi, r[i].va + PAGE_SIZE);
	}
	arch_set_ptes_batch(&b);
	return 0;
}

int pgwalk_unmap_page(unsigned long va, phys_addr_t *old_pa)
{
	pte_t *ep = pgwalk_pte(va);

	if (!ep || !pte_present(*ep))
		return -ENOENT;
	*old_pa = pte_pa(*ep);
	arch_set_pte(va, 0, ep, 0);
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	return 0;
}

int pgwalk_tables(unsigned long va, phys_addr_t tables[PT_LEVELS])
{
	pte_t *table = arch_pgd();
	int n = 0;

	for (int lvl = PT_LEVELS - 1; lvl >= 0; lvl--) {
		tables[n++] = __pa(table);
		if (lvl == 0)
			break;
		pte_t e = table[pt_index(va, lvl)];
		if (!pte_is_table(e, lvl))
			break;
		table = pgwalk_table(e);
	}
	return n;
}
