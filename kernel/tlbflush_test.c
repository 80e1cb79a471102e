/* Selftest of the arch's flush_tlb_kernel_range (asm/tlbflush.h) as
 * /proc/vmstat counts it, the same on every arch:
 *
 *   [start, end) covering n pages     n <= TLB_FLUSH_ALL_THRESHOLD   n x nr_tlb_local_flush_one
 *   (partial pages count whole)       n >  TLB_FLUSH_ALL_THRESHOLD   1 x nr_tlb_local_flush_all
 *   empty range                       nothing
 *
 * The pages are the kernel's own (this file's data); a flush only drops
 * TLB entries, so a word there must read the same afterwards. */
#include <pagoda/kernel.h>
#include <pagoda/selftest.h>
#include <pagoda/vmstat.h>
#include <asm/vmparam.h>
#include <asm/tlbflush.h>

#define TLB_TEST_VALUE 0x5a5a5a5a5a5a5a5aULL

static u64 tlb_test_word = TLB_TEST_VALUE;

SELFTEST(tlb_flush_counts)
{
	u64 one = vm_events[NR_TLB_LOCAL_FLUSH_ONE], all = vm_events[NR_TLB_LOCAL_FLUSH_ALL];
	unsigned long va = ALIGN_DOWN((unsigned long)&tlb_test_word, PAGE_SIZE);

	flush_tlb_kernel_range(va, va + 3 * PAGE_SIZE);
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ONE] == one + 3);
	flush_tlb_kernel_range(va + 1, va + PAGE_SIZE + 1);  /* straddles two pages */
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ONE] == one + 5);
	flush_tlb_kernel_range(va, va);
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ONE] == one + 5);
	flush_tlb_kernel_range(va, va + (TLB_FLUSH_ALL_THRESHOLD + 1) * PAGE_SIZE);
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ALL] == all + 1);
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ONE] == one + 5);
	EXPECT(*(volatile u64 *)&tlb_test_word == TLB_TEST_VALUE);
}
