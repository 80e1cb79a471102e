/* x86_64 page-table interface for the generic walker (mm/pgwalk.c): the
 * entry encoding (pte_bits.h), the kernel root and the entry store. */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H
#include <asm/pte_bits.h>

/* Root of the kernel page tables (a direct-map pointer). */
pte_t *arch_pgd(void);
/* Store entry val at *ptep, which maps va at the given level.  x86 needs no
 * break-before-make; the caller flushes the TLB (tlbflush.h). */
static inline void arch_set_pte(unsigned long va, int level, pte_t *ptep, pte_t val)
{
	(void)va; (void)level;
	*(volatile pte_t *)ptep = val;
}

#include <pagoda/pte_batch.h>
/* Store every level-0 entry of batch b, then invalidate once for all:
 * INVLPG per entry up to TLB_FLUSH_ALL_THRESHOLD entries, else one full
 * flush.  The TLB holds nothing stale on return; counted in /proc/vmstat.
 * (arch/x86_64/tlbflush.c) */
void arch_set_ptes_batch(const struct pte_batch *b);
#endif
