/* Host build: x86_64-like page-table entries (the x86_64 encoding itself,
 * arch/x86_64/include/asm/pte_bits.h).  The tables live in simulated
 * frames; arch_set_pte() additionally mirrors level-0 vmemmap leaves into
 * real mmaps, so a read-only remap really faults on write. */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H
#include "arch/x86_64/include/asm/pte_bits.h"

pte_t *arch_pgd(void);
/* Store the entry and mirror a level-0 leaf inside the vmemmap reservation
 * into the host address space (mmap of the memfd, or PROT_NONE if cleared). */
void arch_set_pte(unsigned long va, int level, pte_t *ptep, pte_t val);

#include <pagoda/pte_batch.h>
/* Store every entry of the batch (mirrored as above), then count one
 * invalidation for all of them as x86_64 does (host_arch.c). */
void arch_set_ptes_batch(const struct pte_batch *b);
#endif
