/* x86_64 TLB maintenance for kernel mappings (arch/x86_64/tlbflush.c).
 * flush_tlb_kernel_range: INVLPG per page for [start, end), or a full flush
 * (CR4.PGE toggle, which also drops global entries) above
 * TLB_FLUSH_ALL_THRESHOLD pages; then, with more than one CPU online, one
 * shootdown (IPI to every other online CPU, wait for their acks).  On
 * return no CPU holds the old translations.  Counted in /proc/vmstat.
 * Never call with an irqsave lock held (the wait could deadlock). */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H
#include <pagoda/types.h>

#define TLB_FLUSH_ALL_THRESHOLD 33    /* pages; Linux's tlb_single_page_flush_ceiling */

/* An unused kernel VA (Linux's vmalloc base; Pagoda has no vmalloc) where
 * kernel/tlbflush_test.c maps its scratch pages. */
#define TLB_SELFTEST_VA 0xffffc90000000000UL

void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);
#endif
