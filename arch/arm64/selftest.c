/* arm64 selftests: the final kernel mappings (W^X, no TTBR0 walks, the
 * stack's unmapped guard page), break-before-make on a live mapping, a
 * struct-page read from inside a vmemmap BBM window, the generic timer.
 * Fixups are tested for every arch in kernel/probe_test.c, TLB flushes
 * (functionally, with stale reads) in kernel/tlbflush_test.c. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include "mm/pgwalk.h"
#include "mm/buddy.h"
#include <pagoda/vmstat.h>
#include "arm64.h"

SELFTEST(arm64_kmap_wx)
{
	int l;
	pte_t e;

	e = *pgwalk_lookup((unsigned long)_text, &l);
	EXPECT(l == 0 && pte_present(e) && !pte_writable(e) && !(e & PTE_PXN) &&
	       (e & PTE_UXN) && !(e & PTE_NG));
	EXPECT(pte_pa(e) == arch_kimage_pa(_text));
	e = *pgwalk_lookup((unsigned long)_rodata, &l);
	EXPECT(l == 0 && pte_present(e) && !pte_writable(e) && (e & PTE_PXN));
	e = *pgwalk_lookup((unsigned long)_data, &l);
	EXPECT(l == 0 && pte_present(e) && pte_writable(e) && (e & PTE_PXN));
	e = *pgwalk_lookup((unsigned long)_end - 1, &l);
	EXPECT(l == 0 && pte_present(e) && pte_writable(e) && (e & PTE_PXN));
	e = *pgwalk_lookup((unsigned long)arm64_boot_stack_guard, &l);
	EXPECT(!pte_present(e));                            /* stack guard */
	e = *pgwalk_lookup((unsigned long)arm64_boot_stack, &l);
	EXPECT(l == 0 && pte_present(e) && pte_writable(e) && (e & PTE_PXN));
	e = *pgwalk_lookup((unsigned long)arm64_boot_stack_guard - 1, &l);
	EXPECT(l == 0 && pte_present(e) && pte_writable(e));
	e = *pgwalk_lookup((unsigned long)__va(arch_kimage_pa(_text)), &l);
	EXPECT(pte_present(e) && pte_writable(e) && (e & PTE_PXN));  /* direct map: XN */
	e = *pgwalk_lookup((unsigned long)__va(0x40000000), &l);
	EXPECT(l == 2 && pte_present(e) && pte_pa(e) == 0x40000000);  /* 1 GiB block */
	e = *pgwalk_lookup(IOMAP_START + arm64_boot.uart_pa, &l);
	EXPECT(l == 0 && (e & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MT_DEVICE_nGnRnE));
	EXPECT(read_sysreg(tcr_el1) & TCR_EPD0);           /* no TTBR0 walks */
	EXPECT(read_sysreg(mair_el1) == MAIR_VALUE);
	EXPECT(read_sysreg(sctlr_el1) & SCTLR_M);
}

/* Two frames in bss and two table pages for a scratch mapping. */
static u64 bbm_frames[2][PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static u8 bbm_tables[PT_LEVELS - 1][PAGE_SIZE] __aligned(PAGE_SIZE);
static int bbm_tables_used;

static phys_addr_t bbm_table_alloc(void)
{
	if (bbm_tables_used == PT_LEVELS - 1)
		return 0;
	return arch_kimage_pa(bbm_tables[bbm_tables_used++]);
}

/* Remap a live page to another frame with arch_set_pte alone (no extra
 * flush): a read must see the new frame, so the BBM's TLBI worked. */
SELFTEST(arm64_bbm_live)
{
	const unsigned long va = IOMAP_START + (1UL << 38);
	volatile u64 *p = (volatile u64 *)va;
	phys_addr_t old = 0;
	pte_t *ptep;

	bbm_frames[0][0] = 0x1111111111111111ULL;
	bbm_frames[1][0] = 0x2222222222222222ULL;
	EXPECT(pgwalk_map_page(va, arch_kimage_pa(bbm_frames[0]), PROT_KERNEL_RW,
			       bbm_table_alloc) == 0);
	EXPECT(*p == 0x1111111111111111ULL);               /* now in the TLB */
	ptep = pgwalk_pte(va);
	EXPECT(ptep != NULL);
	if (!ptep)
		return;
	arch_set_pte(va, 0, ptep, pte_mk_leaf(arch_kimage_pa(bbm_frames[1]), 0,
					       PROT_KERNEL_RW));
	EXPECT(*p == 0x2222222222222222ULL);
	EXPECT(pgwalk_unmap_page(va, &old) == 0 && old == arch_kimage_pa(bbm_frames[1]));
}

/* The vmemmap BBM window, deliberately: remap the vmemmap page that holds
 * a fresh page's struct page to a copy of itself with pgwalk_remap_batch,
 * and from the window hook (entry broken, TLB clean, make pending) read
 * that struct page.  The read faults, the handler finishes the make and
 * the read retries: it sees the right value and nr_vmemmap_bbm_fault
 * counts one.  Then the page is remapped back. */
static volatile struct page *bbmw_page;
static u64 bbmw_seen;
static bool bbmw_broken;

static void bbmw_hook(void)
{
	unsigned long va = ALIGN_DOWN((unsigned long)bbmw_page, PAGE_SIZE);

	bbmw_broken = arm64_bbm_window.batch && *pgwalk_pte(va) == 0;
	bbmw_seen = bbmw_page->flags;                   /* faults, then retries */
}

SELFTEST(arm64_bbm_window_fault)
{
	struct page *p = alloc_pages(0, ZONE_NORMAL), *copy = alloc_pages(0, ZONE_NORMAL);
	u64 faults = vm_events[NR_VMEMMAP_BBM_FAULT];
	struct pgwalk_remap r;
	unsigned long va;

	EXPECT(p && copy);
	if (!p || !copy)
		return;
	va = ALIGN_DOWN((unsigned long)p, PAGE_SIZE);
	memcpy(__va(page_to_pfn(copy) << PAGE_SHIFT), (void *)va, PAGE_SIZE);
	r = (struct pgwalk_remap){ .va = va, .pa = (phys_addr_t)page_to_pfn(copy) << PAGE_SHIFT,
				   .prot = PROT_KERNEL_RW };
	bbmw_page = p;
	bbmw_seen = ~p->flags;
	arm64_bbm_window_hook = bbmw_hook;
	EXPECT(pgwalk_remap_batch(&r, 1) == 0);
	arm64_bbm_window_hook = NULL;
	EXPECT(bbmw_broken && bbmw_seen == p->flags);
	EXPECT(vm_events[NR_VMEMMAP_BBM_FAULT] == faults + 1);
	EXPECT(pte_pa(*pgwalk_pte(va)) == r.pa && !arm64_bbm_window.batch);
	r.pa = r.old_pa;                                /* back, no hook: no fault */
	EXPECT(pgwalk_remap_batch(&r, 1) == 0);
	EXPECT(vm_events[NR_VMEMMAP_BBM_FAULT] == faults + 1);
	free_pages(copy, 0);
	free_pages(p, 0);
}

SELFTEST(arm64_timer)
{
	u64 hz = arch_cycles_per_sec(), t0 = arch_cycles();

	EXPECT(hz >= 1000000ULL && hz <= 10000000000ULL);
	for (int i = 0; i < 1000 && arch_cycles() == t0; i++)
		;
	EXPECT(arch_cycles() > t0);
}
