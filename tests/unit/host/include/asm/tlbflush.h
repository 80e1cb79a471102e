/* Host build: TLB "flushes" only count, like the kernel's, in vm_events. */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H
#include <pagoda/types.h>
#define TLB_FLUSH_ALL_THRESHOLD 33
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);
#endif
