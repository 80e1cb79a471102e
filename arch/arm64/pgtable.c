/* arch_set_pte: page-table stores with break-before-make, and arch_pgd.
 *
 * The architecture forbids replacing a live (valid) translation with one of
 * a different output address, or a block with a table or back, while a TLB
 * may hold the old one.  So such a change goes through an invalid entry:
 *
 *     *ptep = 0            break
 *     DSB ISHST            the invalid entry is visible to table walks
 *     TLBI VAALE1IS va     drop the old leaf (VAAE1IS when it was a table,
 *                          which may sit in walk caches)
 *     DSB ISH; ISB         the invalidation is complete
 *     *ptep = new          make
 *     DSB ISHST; ISB       the new entry is visible before we use it
 *
 * A first-time store (invalid -> valid) and a change of permissions only
 * need the final DSB/ISB.  The barriers and TLBIs are out-of-line
 * primitives (asm/mmuprim.h) so tests/unit/test_arm64_pgtable.c can record
 * the sequence.  Compiled into the kernel and into that host test. */
#include "arch/arm64/include/asm/pgtable.h"
#include "arch/arm64/include/asm/mmuprim.h"

phys_addr_t arm64_ttbr1_pa;

pte_t *arch_pgd(void)
{
	return (pte_t *)__va(arm64_ttbr1_pa);
}

/* Does replacing old with new at this level need break-before-make? */
static bool pte_needs_bbm(pte_t old, pte_t new, int level)
{
	if (!pte_present(old) || !pte_present(new))
		return false;
	return pte_pa(old) != pte_pa(new) ||
	       pte_is_table(old, level) != pte_is_table(new, level);
}

void arch_set_pte(unsigned long va, int level, pte_t *ptep, pte_t val)
{
	volatile pte_t *p = ptep;
	pte_t old = *p;

	if (pte_needs_bbm(old, val, level)) {
		*p = 0;
		__dsb_ishst();
		if (pte_is_table(old, level))
			__tlbi_vaae1is(va >> PAGE_SHIFT);
		else
			__tlbi_vaale1is(va >> PAGE_SHIFT);
		__dsb_ish();
		__isb();
	}
	*p = val;
	__dsb_ishst();
	__isb();
}
