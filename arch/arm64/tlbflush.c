/* TLB maintenance for kernel mappings (asm/tlbflush.h).
 * The inner-shareable forms broadcast to every CPU and DSB ISH waits for
 * all of them, so the same code serves one CPU and many, with no IPI
 * (asm/tlbflush.h says why).  TLBI VAALE1IS takes the masked operand
 * tlbi_vaddr(va) and drops last-level entries of any ASID. */
#include <pagoda/vmstat.h>
#include "arch/arm64/include/asm/tlbflush.h"
#include "arch/arm64/include/asm/vmparam.h"
#include "arch/arm64/include/asm/mmuprim.h"

void flush_tlb_all(void)
{
	__dsb_ishst();
	__tlbi_vmalle1is();
	__dsb_ish();
	__isb();
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
}

/* Flush [start, end): per page up to TLB_FLUSH_ALL_THRESHOLD pages,
 * otherwise everything. */
void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned long va = start & PAGE_MASK;
	unsigned long pages = (ALIGN_UP(end, PAGE_SIZE) - va) >> PAGE_SHIFT;

	if (end <= start)
		return;
	if (pages > TLB_FLUSH_ALL_THRESHOLD) {
		flush_tlb_all();
		return;
	}
	__dsb_ishst();
	for (; va < end; va += PAGE_SIZE)
		__tlbi_vaale1is(tlbi_vaddr(va));
	__dsb_ish();
	__isb();
	count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, pages);
}
