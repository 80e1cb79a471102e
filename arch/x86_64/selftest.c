/* x86_64 selftests: exception fixups, the final kernel mappings (W^X, no
 * identity map, stack guard), TLB flush accounting, the TSC. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <pagoda/vmstat.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <asm/boot.h>

static u64 probe_target;
static const u64 probe_ro = 0x5a5a5a5a5a5a5a5aULL;

SELFTEST(x86_probe_fixup)
{
	struct fault_info fi = { 0 };
	u64 v = 0;

	EXPECT(arch_probe_read64((unsigned long)_text, &v, &fi) == 0);
	EXPECT((u32)v == 0xe85250d6);                       /* multiboot2 magic */
	EXPECT(arch_probe_write64((unsigned long)&probe_target, 42, &fi) == 0);
	EXPECT(probe_target == 42);

	EXPECT(arch_probe_read64(0x1000, &v, &fi) == -EFAULT);
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

SELFTEST(x86_kmap_wx)
{
	int l;
	pte_t e;

	e = kmap_lookup((unsigned long)_text, &l);
	EXPECT(l == 0 && pte_present(e) && !(e & _PAGE_RW) && !(e & _PAGE_NX) &&
	       (e & _PAGE_GLOBAL));
	EXPECT(pte_pa(e) == KIMAGE_PADDR);
	e = kmap_lookup((unsigned long)_rodata, &l);
	EXPECT(l == 0 && pte_present(e) && !(e & _PAGE_RW) && (e & _PAGE_NX));
	e = kmap_lookup((unsigned long)_data, &l);
	EXPECT(l == 0 && pte_present(e) && (e & _PAGE_RW) && (e & _PAGE_NX));
	e = kmap_lookup((unsigned long)_ebss - 1, &l);
	EXPECT(l == 0 && pte_present(e) && (e & _PAGE_RW) && (e & _PAGE_NX));
	e = kmap_lookup((unsigned long)boot_stack_guard, &l);
	EXPECT(!pte_present(e));
	e = kmap_lookup(PAGE_OFFSET + SZ_1G, &l);
	EXPECT(l == 2 && pte_present(e) && (e & _PAGE_NX) && pte_pa(e) == SZ_1G);
	EXPECT(arch_pgd()[0] == 0);                         /* no identity map */
	EXPECT(arch_kimage_pa(_text) == KIMAGE_PADDR);
}

SELFTEST(x86_tlb_flush_counts)
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

SELFTEST(x86_tsc)
{
	u64 hz = arch_cycles_per_sec(), t0 = arch_cycles();

	EXPECT(hz >= 100000000ULL && hz <= 10000000000ULL);
	EXPECT(arch_cycles() > t0);
}
