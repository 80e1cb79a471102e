/* arm64 selftests: exception fixups, the final kernel mappings (W^X, no
 * TTBR0 walks), break-before-make on a live mapping, TLB flush accounting,
 * the generic timer. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <pagoda/vmstat.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <asm/sysreg.h>
#include "mm/pgwalk.h"
#include "arm64.h"

static u64 probe_target;
static const u64 probe_ro = 0x5a5a5a5a5a5a5a5aULL;

SELFTEST(arm64_probe_fixup)
{
	struct fault_info fi = { 0 };
	u64 v = 0;

	EXPECT(arch_probe_read64((unsigned long)_text, &v, &fi) == 0);
	EXPECT((u32)v == 0xfa405a4d);                       /* "MZ" header word */
	EXPECT(arch_probe_write64((unsigned long)&probe_target, 42, &fi) == 0);
	EXPECT(probe_target == 42);

	EXPECT(arch_probe_read64(0x1000, &v, &fi) == -EFAULT);   /* TTBR0: EPD0 */
	EXPECT(fi.addr == 0x1000 && !fi.write && !fi.protection);
	EXPECT(arch_probe_write64((unsigned long)&probe_ro, 1, &fi) == -EFAULT);
	EXPECT(fi.addr == (unsigned long)&probe_ro && fi.write && fi.protection);
	EXPECT(probe_ro == 0x5a5a5a5a5a5a5a5aULL);
	EXPECT(arch_probe_read64(0x8000000000000000UL, &v, &fi) == -EFAULT);
	EXPECT(fi.addr == 0x8000000000000000UL && !fi.write);
}

/* The leaf entry mapping va in the kernel tables (0 if none) and its level. */
static pte_t kmap_lookup(unsigned long va, int *level)
{
	pte_t *t = arch_pgd();

	for (int l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t e = t[pt_index(va, l)];
		*level = l;
		if (!pte_present(e) || !pte_is_table(e, l))
			return e;
		t = __va(pte_pa(e));
	}
	return 0;
}

SELFTEST(arm64_kmap_wx)
{
	int l;
	pte_t e;

	e = kmap_lookup((unsigned long)_text, &l);
	EXPECT(l == 0 && pte_present(e) && !pte_writable(e) && !(e & PTE_PXN) &&
	       (e & PTE_UXN) && !(e & PTE_NG));
	EXPECT(pte_pa(e) == arch_kimage_pa(_text));
	e = kmap_lookup((unsigned long)_rodata, &l);
	EXPECT(l == 0 && pte_present(e) && !pte_writable(e) && (e & PTE_PXN));
	e = kmap_lookup((unsigned long)_data, &l);
	EXPECT(l == 0 && pte_present(e) && pte_writable(e) && (e & PTE_PXN));
	e = kmap_lookup((unsigned long)_end - 1, &l);
	EXPECT(l == 0 && pte_present(e) && pte_writable(e) && (e & PTE_PXN));
	e = kmap_lookup((unsigned long)__va(arch_kimage_pa(_text)), &l);
	EXPECT(pte_present(e) && pte_writable(e) && (e & PTE_PXN));  /* direct map: XN */
	e = kmap_lookup((unsigned long)__va(0x40000000), &l);
	EXPECT(l == 2 && pte_present(e) && pte_pa(e) == 0x40000000);  /* 1 GiB block */
	e = kmap_lookup(IOMAP_START + arm64_boot.uart_pa, &l);
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

SELFTEST(arm64_tlb_flush_counts)
{
	u64 one = vm_events[NR_TLB_LOCAL_FLUSH_ONE], all = vm_events[NR_TLB_LOCAL_FLUSH_ALL];
	unsigned long va = (unsigned long)_data;

	flush_tlb_kernel_range(va, va + 3 * PAGE_SIZE);
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ONE] == one + 3);
	flush_tlb_kernel_range(va + 1, va + PAGE_SIZE + 1);  /* straddles two pages */
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ONE] == one + 5);
	flush_tlb_kernel_range(va, va);
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ONE] == one + 5);
	flush_tlb_kernel_range(va, va + (TLB_FLUSH_ALL_THRESHOLD + 1) * PAGE_SIZE);
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ALL] == all + 1);
	EXPECT(vm_events[NR_TLB_LOCAL_FLUSH_ONE] == one + 5);
	EXPECT(probe_ro != 0);                              /* still readable after flushes */
}

SELFTEST(arm64_timer)
{
	u64 hz = arch_cycles_per_sec(), t0 = arch_cycles();

	EXPECT(hz >= 1000000ULL && hz <= 10000000000ULL);
	for (int i = 0; i < 1000 && arch_cycles() == t0; i++)
		;
	EXPECT(arch_cycles() > t0);
}
