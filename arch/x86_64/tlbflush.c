/* TLB maintenance for kernel mappings (one CPU, so no shootdown).
 *
 *   flush_tlb_kernel_range([start, end)):
 *     pages <= TLB_FLUSH_ALL_THRESHOLD  INVLPG each   NR_TLB_LOCAL_FLUSH_ONE per page
 *     more                              flush_tlb_all NR_TLB_LOCAL_FLUSH_ALL
 *
 *   arch_set_ptes_batch(n entries): store all n, then
 *     n <= TLB_FLUSH_ALL_THRESHOLD  INVLPG each entry's va   n x nr_tlb_local_flush_one
 *     more                          flush_tlb_all            1 x nr_tlb_local_flush_all
 *
 * Kernel mappings are global (G bit), so reloading CR3 would keep them;
 * a full flush toggles CR4.PGE instead, which drops global entries too. */
#include <pagoda/kernel.h>
#include <pagoda/vmstat.h>
#include <asm/vmparam.h>
#include <asm/tlbflush.h>
#include <asm/pgtable.h>
#include <asm/cpu.h>

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	if (end <= start)
		return;
	unsigned long pages = (end - start + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (pages > TLB_FLUSH_ALL_THRESHOLD) {
		flush_tlb_all();
		return;
	}
	for (unsigned long i = 0; i < pages; i++) {
		invlpg(start + i * PAGE_SIZE);
		count_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
	}
}

void flush_tlb_all(void)
{
	unsigned long cr4 = read_cr4();

	write_cr4(cr4 ^ CR4_PGE);
	write_cr4(cr4);
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
}

void arch_set_ptes_batch(const struct pte_batch *b)
{
	unsigned long va;
	pte_t *ptep, val;

	for (unsigned long i = 0; i < b->n; i++) {
		b->get(b, i, &va, &ptep, &val);
		arch_set_pte(va, 0, ptep, val);
	}
	if (b->n > TLB_FLUSH_ALL_THRESHOLD) {
		flush_tlb_all();
		return;
	}
	for (unsigned long i = 0; i < b->n; i++) {
		b->get(b, i, &va, &ptep, &val);
		invlpg(va);
	}
	count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, b->n);
}
