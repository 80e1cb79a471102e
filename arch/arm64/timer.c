/* The ARM generic timer as the cycle counter: CNTVCT_EL0 counts at
 * CNTFRQ_EL0 Hz (62.5 MHz on QEMU virt), set by the firmware. */
#include <pagoda/arch.h>
#include <asm/sysreg.h>

u64 arch_cycles(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

u64 arch_cycles_per_sec(void)
{
	return read_sysreg(cntfrq_el0);
}
