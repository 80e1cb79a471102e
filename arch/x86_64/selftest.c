/* x86_64 selftests: the final kernel mappings (W^X, no identity map,
 * stack guard), the TSC.  Fixups are tested for every arch in
 * kernel/probe_test.c, TLB flushes (functionally, with stale reads) in
 * kernel/tlbflush_test.c. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/boot.h>
#include "mm/pgwalk.h"

SELFTEST(x86_kmap_wx)
{
	int l;
	pte_t e;

	e = *pgwalk_lookup((unsigned long)_text, &l);
	EXPECT(l == 0 && pte_present(e) && !(e & _PAGE_RW) && !(e & _PAGE_NX) &&
	       (e & _PAGE_GLOBAL));
	EXPECT(pte_pa(e) == KIMAGE_PADDR);
	e = *pgwalk_lookup((unsigned long)_rodata, &l);
	EXPECT(l == 0 && pte_present(e) && !(e & _PAGE_RW) && (e & _PAGE_NX));
	e = *pgwalk_lookup((unsigned long)_data, &l);
	EXPECT(l == 0 && pte_present(e) && (e & _PAGE_RW) && (e & _PAGE_NX));
	e = *pgwalk_lookup((unsigned long)_ebss - 1, &l);
	EXPECT(l == 0 && pte_present(e) && (e & _PAGE_RW) && (e & _PAGE_NX));
	e = *pgwalk_lookup((unsigned long)boot_stack_guard, &l);
	EXPECT(!pte_present(e));
	e = *pgwalk_lookup(PAGE_OFFSET + SZ_1G, &l);
	EXPECT(l == 2 && pte_present(e) && (e & _PAGE_NX) && pte_pa(e) == SZ_1G);
	EXPECT(arch_pgd()[0] == 0);                         /* no identity map */
	EXPECT(arch_kimage_pa(_text) == KIMAGE_PADDR);
}

SELFTEST(x86_tsc)
{
	u64 hz = arch_cycles_per_sec(), t0 = arch_cycles();

	EXPECT(hz >= 100000000ULL && hz <= 10000000000ULL);
	EXPECT(arch_cycles() > t0);
}
