/* arm64 SMP selftest: every secondary took its IPI on its own GIC
 * interface and ran the call itself, on its own stack.
 *
 *   CPU 0: for each online CPU n != 0
 *     smp_call_function_single(n, probe, wait): SGI 0 (GICv2 GICD_SGIR target
 *       list, GICv3 ICC_SGI1R_EL1 affinity)
 *       -> CPU n: arm64_handle_irq -> smp_ipi_handler -> probe():
 *          TPIDR_EL1, MPIDR, SP seen from there
 *     n's IPI count grew; probe ran with TPIDR_EL1 == n, MPIDR == cpus[n].hwid,
 *     SP inside stack slot n (asm/stack.h), IRQs masked (IRQ context)
 *
 * With one CPU there is nothing to send to: it checks CPU 0's own view. */
#include <pagoda/kernel.h>
#include <pagoda/smp.h>
#include <pagoda/selftest.h>
#include <asm/sysreg.h>
#include <asm/stack.h>
#include "arm64.h"
#include "gic.h"

struct smpt_seen {
	unsigned long tpidr, mpidr, sp, daif;
};

static void smpt_probe(void *info)
{
	struct smpt_seen *s = info;
	unsigned long sp;

	asm volatile("mov %0, sp" : "=r"(sp));
	s->tpidr = read_sysreg(tpidr_el1);
	s->mpidr = read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
	s->sp = sp;
	s->daif = read_sysreg(daif);
}

SELFTEST(arm64_smp_ipi)
{
	struct smpt_seen seen;

	smpt_probe(&seen);
	EXPECT(seen.tpidr == 0 && seen.mpidr == cpus[0].hwid);
	EXPECT(seen.sp >= arm64_stack_lo[0] && seen.sp < arm64_stack_lo[0] + BOOT_STACK_SIZE);
	for_each_online_cpu(n) {
		unsigned long before = arm64_ipi_count(n);

		if (n == 0)
			continue;
		seen = (struct smpt_seen){ ~0UL, ~0UL, 0, 0 };
		EXPECT(smp_call_function_single(n, smpt_probe, &seen, true) == 0);
		EXPECT(seen.tpidr == n && seen.mpidr == cpus[n].hwid);
		EXPECT(seen.sp >= arm64_stack_lo[n] && seen.sp < arm64_stack_lo[n] + BOOT_STACK_SIZE);
		EXPECT(seen.daif & (1UL << 7));         /* PSTATE.I: in the IRQ handler */
		EXPECT(arm64_ipi_count(n) > before);
	}
}
