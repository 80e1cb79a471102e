/* arm64 selftests: the final kernel mappings (W^X, no TTBR0 walks, the
 * stack's unmapped guard page), break-before-make on a live mapping, the
 * generic timer.  Fixups and TLB flush counts are tested for every arch in
 * kernel/probe_test.c and kernel/tlbflush_test.c. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include "mm/pgwalk.h"
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

SELFTEST(arm64_timer)
{
	u64 hz = arch_cycles_per_sec(), t0 = arch_cycles();

	EXPECT(hz >= 1000000ULL && hz <= 10000000000ULL);
	for (int i = 0; i < 1000 && arch_cycles() == t0; i++)
		;
	EXPECT(arch_cycles() > t0);
}
