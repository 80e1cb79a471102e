/* x86_64 selftests: the final kernel mappings (W^X, no identity map,
 * stack guards), the TSC, the per-CPU state of every online CPU.  Fixups
 * are tested for every arch in kernel/probe_test.c, TLB flushes
 * (functionally, with stale reads) in kernel/tlbflush_test.c, shootdowns
 * in tlbflush_test.c here. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/boot.h>
#include <pagoda/smp.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include "mm/pgwalk.h"
#include "arch/x86_64/irq.h"

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

/* Every CPU's stack guard page is unmapped, not only the boot CPU's. */
SELFTEST(x86_stack_guards)
{
	int l;

	for (unsigned int n = 0; n < NR_CPUS; n++) {
		EXPECT(!pte_present(*pgwalk_lookup(x86_percpu[n].guard, &l)));
		EXPECT(x86_stack_guard_cpu(x86_percpu[n].guard) == (int)n);
		EXPECT(x86_stack_guard_cpu(x86_percpu[n].stack_lo) == -1);
	}
}

/* What a CPU reports about itself: %gs:0, APIC id, stack pointer, GDT. */
struct x86_self {
	unsigned int cpu;
	u32 apic;
	unsigned long rsp, gdt;
	u16 tr;
};

static void x86_self_get(struct x86_self *s)
{
	struct { u16 limit; u64 base; } __packed gdtr;

	s->cpu = smp_processor_id();
	s->apic = apic_id();
	asm volatile("movq %%rsp, %0; sgdt %1; str %2" : "=r"(s->rsp), "=m"(gdtr), "=r"(s->tr));
	s->gdt = gdtr.base;
}

static void x86_self_work(struct cpu_work *w)
{
	x86_self_get(w->arg);
}

/* Each online CPU runs on its own per-CPU block, stack, GDT and TSS, and
 * its APIC id is the one the MADT gave (cpus[n].hwid). */
SELFTEST(x86_percpu)
{
	struct x86_self self[NR_CPUS];

	for_each_online_cpu(c) {
		struct cpu_work w = { .fn = x86_self_work, .arg = &self[c] };

		if (c == smp_processor_id()) {
			x86_self_get(&self[c]);
		} else {
			EXPECT(smp_run_on(c, &w) == 0);
			smp_work_wait(&w);
		}
		EXPECT(self[c].cpu == c && self[c].apic == cpus[c].hwid);
		EXPECT(self[c].apic == x86_percpu[c].apic_id);
		EXPECT(self[c].rsp >= x86_percpu[c].stack_lo && self[c].rsp < x86_percpu[c].stack_hi);
		EXPECT(self[c].tr == KERNEL_TSS);
		for_each_online_cpu(o)
			if (o < c)
				EXPECT(self[o].gdt != self[c].gdt);
	}
}
