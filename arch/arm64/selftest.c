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
static bool bbmw_broken, bbmw_write;
static int bbmw_write_rc;
static struct fault_info bbmw_fi;

static void bbmw_hook(void)
{
	unsigned long va = ALIGN_DOWN((unsigned long)bbmw_page, PAGE_SIZE);

	bbmw_broken = arm64_bbm_window.batch && *pgwalk_pte(va) == 0;
	if (bbmw_write)                                 /* faults, retries, faults again */
		bbmw_write_rc = arch_probe_write64((unsigned long)&bbmw_page->private,
						   0x5a, &bbmw_fi);
	else
		bbmw_seen = bbmw_page->flags;           /* faults, then retries */
}

/* Remap the vmemmap page of p to a copy with prot, running the hook inside
 * the window; then back.  Returns the copy's frame, or 0. */
static phys_addr_t bbmw_remap_round_trip(struct page *p, struct page *copy, enum pgprot prot)
{
	unsigned long va = ALIGN_DOWN((unsigned long)p, PAGE_SIZE);
	phys_addr_t pa = (phys_addr_t)page_to_pfn(copy) << PAGE_SHIFT, now;
	struct pgwalk_remap r = { .va = va, .pa = pa, .prot = prot };

	memcpy(__va(pa), (void *)va, PAGE_SIZE);
	bbmw_page = p;
	arm64_bbm_window_hook = bbmw_hook;
	if (pgwalk_remap_batch(&r, 1))
		pa = 0;
	arm64_bbm_window_hook = NULL;
	now = pte_pa(*pgwalk_pte(va));
	r.pa = r.old_pa;
	r.prot = PROT_KERNEL_RW;                        /* back, no hook: no fault */
	if (pgwalk_remap_batch(&r, 1) || now != pa || arm64_bbm_window.batch)
		return 0;
	return pa;
}

SELFTEST(arm64_bbm_window_fault)
{
	struct page *p = alloc_pages(0, ZONE_NORMAL), *copy = alloc_pages(0, ZONE_NORMAL);
	u64 faults = vm_event_read(NR_VMEMMAP_BBM_FAULT);

	EXPECT(p && copy);
	if (!p || !copy)
		return;
	bbmw_write = false;
	bbmw_seen = ~p->flags;
	EXPECT(bbmw_remap_round_trip(p, copy, PROT_KERNEL_RW) != 0);
	EXPECT(bbmw_broken && bbmw_seen == p->flags);
	EXPECT(vm_event_read(NR_VMEMMAP_BBM_FAULT) == faults + 1);
	free_pages(copy, 0);
	free_pages(p, 0);
}

/* A write inside a window whose new entry is read-only (HVO's shared tail
 * page): the translation fault is completed and retried, the retry is a
 * permission fault reported as a write to a read-only mapping, and
 * nothing is written. */
SELFTEST(arm64_bbm_window_ro_write)
{
	struct page *p = alloc_pages(0, ZONE_NORMAL), *copy = alloc_pages(0, ZONE_NORMAL);
	u64 faults = vm_event_read(NR_VMEMMAP_BBM_FAULT);
	phys_addr_t pa;

	EXPECT(p && copy);
	if (!p || !copy)
		return;
	bbmw_write = true;
	bbmw_fi = (struct fault_info){ 0 };
	pa = bbmw_remap_round_trip(p, copy, PROT_KERNEL_RO);
	bbmw_write = false;
	EXPECT(pa != 0 && bbmw_broken && bbmw_write_rc == -EFAULT);
	EXPECT(bbmw_fi.addr == (unsigned long)&p->private && bbmw_fi.write && bbmw_fi.protection);
	EXPECT(vm_event_read(NR_VMEMMAP_BBM_FAULT) == faults + 1);
	EXPECT(p->private != 0x5a);
	if (pa)                                         /* nor in the copy */
		EXPECT(((struct page *)((unsigned long)__va(pa) +
					((unsigned long)p & (PAGE_SIZE - 1))))->private != 0x5a);
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
