/* arm64 TLB maintenance for kernel mappings (one inner-shareable domain).
 * flush_tlb_kernel_range: DSB ISHST, TLBI VAALE1IS per page of [start, end),
 * DSB ISH, ISB; above TLB_FLUSH_ALL_THRESHOLD pages one TLBI VMALLE1IS.
 * Counted in /proc/vmstat (nr_tlb_local_flush_one per page, _all). */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H
#include <pagoda/types.h>

#define TLB_FLUSH_ALL_THRESHOLD 512   /* pages; Linux's MAX_DVM_OPS */

void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);
#endif
