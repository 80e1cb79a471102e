/* arm64 TLB maintenance for kernel mappings (one inner-shareable domain).
 * flush_tlb_kernel_range: DSB ISHST, TLBI VAALE1IS per page of [start, end),
 * DSB ISH, ISB; above TLB_FLUSH_ALL_THRESHOLD pages one TLBI VMALLE1IS.
 * Counted in /proc/vmstat (nr_tlb_local_flush_one per page, _all).
 *
 * The TLBI VA operand (Linux's __TLBI_VADDR):
 *
 *   63..48  47..44  43..............0
 *   ASID    TTL     VA[55:12]            (VA >> 12, masked to 44 bits)
 *
 * Bits 47:44 are the translation-table-level hint on FEAT_TTL CPUs; a
 * kernel VA shifted right by 12 puts 0xf there, a wrong hint with which
 * the CPU need not invalidate the entry.  So every operand is masked. */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H
#include <pagoda/types.h>
#include "vmparam.h"

#define TLB_FLUSH_ALL_THRESHOLD 512   /* pages; Linux's MAX_DVM_OPS */
#define TLBI_VADDR_MASK ((1UL << 44) - 1)

/* The TLBI operand for va: VA[55:12] in bits 43:0, TTL 0 (no hint), ASID 0. */
static inline unsigned long tlbi_vaddr(unsigned long va)
{
	return (va >> 12) & TLBI_VADDR_MASK;
}

/* An unused kernel VA, inside the iomap window far above any device,
 * where kernel/tlbflush_test.c maps its scratch pages. */
#define TLB_SELFTEST_VA (IOMAP_START + (1UL << 38) + 0x100000UL)

void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);
#endif
