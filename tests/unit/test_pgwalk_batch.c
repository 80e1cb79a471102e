/* Host test of pgwalk_remap_batch (mm/pgwalk.c) on the simulated vmemmap,
 * whose host arch (tests/unit/host/host_arch.c) follows x86_64's
 * arch_set_ptes_batch: store every entry, then one invalidation for the
 * batch, per entry up to TLB_FLUSH_ALL_THRESHOLD (33) entries, else one
 * global flush.
 *
 *   vmemmap pages v0..v63 --> boot memmap frames
 *        batch remap       --> copies c0..c63 (same bytes), old frames back in old_pa
 *        batch remap back  --> the boot frames again
 *
 * The remap is real on the host (each leaf is an mmap of the frame), so the
 * struct pages read through the vmemmap come from the new frames. */
#include <stdio.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/pgwalk.h"
#include "mm/buddy.h"
#include "mm/vmstat.h"
#include <pagoda/vmstat.h>
#include <asm/tlbflush.h>

#define BATCH 64

static struct pgwalk_remap r[BATCH];
static struct page *copies[BATCH];

/* A batch of 64 vmemmap pages to copies of themselves: one global flush,
 * no per-page flush, old frames reported, content kept, a write through
 * the vmemmap lands in the copy. */
static void batch_remap64(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long va0;
	u64 all, one;
	bool old_ok = true, same = true;

	host_mm_boot(256 * SZ_1M, &o);
	va0 = vmemmap_section_va(0);
	for (int i = 0; i < BATCH; i++) {
		copies[i] = alloc_pages(0, ZONE_NORMAL);
		phys_addr_t pa = (phys_addr_t)page_to_pfn(copies[i]) << PAGE_SHIFT;
		memcpy(__va(pa), (void *)(va0 + i * PAGE_SIZE), PAGE_SIZE);
		r[i] = (struct pgwalk_remap){ .va = va0 + i * PAGE_SIZE, .pa = pa,
					      .prot = PROT_KERNEL_RW };
	}
	phys_addr_t boot0 = pte_pa(*pgwalk_pte(va0));
	all = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
	one = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	host_ok(pgwalk_remap_batch(r, BATCH) == 0, "batch of %d remapped", BATCH);
	host_ok(BATCH > TLB_FLUSH_ALL_THRESHOLD && vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) == all + 1 &&
		vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one,
		"one global flush for the batch, none per page (all +%llu, one +%llu)",
		(unsigned long long)(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) - all),
		(unsigned long long)(vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) - one));
	for (int i = 0; i < BATCH; i++) {
		old_ok &= r[i].old_pa == boot0 + (phys_addr_t)i * PAGE_SIZE;
		same &= pte_pa(*pgwalk_pte(r[i].va)) == r[i].pa &&
			!memcmp((void *)r[i].va, __va(r[i].pa), PAGE_SIZE);
	}
	host_ok(old_ok, "old frames are the boot memmap frames, in order");
	host_ok(same, "every PTE points at its copy and reads the same struct pages");
	pfn_to_page(5)->private = 0x5a5a;
	host_ok(((struct page *)__va(r[0].pa))[5].private == 0x5a5a &&
		((struct page *)__va(boot0))[5].private != 0x5a5a,
		"a write through the vmemmap lands in the new frame");
	pfn_to_page(5)->private = 0;

	for (int i = 0; i < BATCH; i++)
		r[i].pa = r[i].old_pa;
	host_ok(pgwalk_remap_batch(r, 33) == 0 &&
		vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one + 33 &&
		vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) == all + 1,
		"batch of 33 (the threshold): 33 per-page flushes, no global");
	host_ok(pgwalk_remap_batch(r + 33, BATCH - 33) == 0 &&
		pte_pa(*pgwalk_pte(va0 + (BATCH - 1) * PAGE_SIZE)) == boot0 + (BATCH - 1) * PAGE_SIZE,
		"remapped back to the boot frames");
	for (int i = 0; i < BATCH; i++)
		free_pages(copies[i], 0);
}

/* A batch with one va that has no PTE: -ENOENT, no PTE changed, no flush. */
static void batch_enoent(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *c;
	unsigned long va0;
	pte_t before;
	u64 all, one;

	host_mm_boot(256 * SZ_1M, &o);
	va0 = vmemmap_section_va(0);
	c = alloc_pages(0, ZONE_NORMAL);
	before = *pgwalk_pte(va0);
	r[0] = (struct pgwalk_remap){ .va = va0, .pa = (phys_addr_t)page_to_pfn(c) << PAGE_SHIFT,
				      .prot = PROT_KERNEL_RW };
	r[1] = (struct pgwalk_remap){ .va = vmemmap_section_va(2), .pa = r[0].pa,
				      .prot = PROT_KERNEL_RW };    /* absent section */
	all = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
	one = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	host_ok(pgwalk_remap_batch(r, 2) == -ENOENT && *pgwalk_pte(va0) == before &&
		vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) == all && vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one,
		"a va without a PTE: -ENOENT, nothing changed, nothing flushed");
	host_ok(pgwalk_remap_batch(r, 0) == 0 && vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one,
		"an empty batch flushes nothing");
	free_pages(c, 0);
}

int main(void)
{
	host_tap_init();
	host_scenario("remap 64", batch_remap64);
	host_scenario("enoent", batch_enoent);
	return host_tap_done();
}
