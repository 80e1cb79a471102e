/* Power control through PSCI, over the conduit the firmware named (FADT
 * ARM boot flags or the DTB /psci method; HVC on QEMU virt with AAVMF).
 *
 * arch_poweroff: SYSTEM_OFF -> QEMU exits with status 0.
 * arch_debug_exit: PSCI cannot carry an exit status and semihosting traps
 * (UNDEF) unless QEMU runs with -semihosting, so a failed run prints
 * "debug_exit: code N" and requests SYSTEM_RESET: under -no-reboot QEMU
 * stops with QMP SHUTDOWN reason "guest-reset" (vs "guest-shutdown" for
 * a clean poweroff), which is what the test tools read. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include "arm64.h"

#define PSCI_SYSTEM_OFF    0x84000008UL
#define PSCI_SYSTEM_RESET  0x84000009UL

long psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	if (arm64_boot.psci_conduit == PSCI_CONDUIT_SMC)
		asm volatile("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	else
		asm volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return (long)x0;
}

void arch_poweroff(void)
{
	long rc = psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);

	printk("poweroff: PSCI SYSTEM_OFF returned %ld\n", rc);
}

__noreturn void arch_debug_exit(int code)
{
	printk("debug_exit: code %d\n", code);
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	arch_halt();
}

__noreturn void arch_halt(void)
{
	asm volatile("msr daifset, #0xf" : : : "memory");
	for (;;)
		asm volatile("wfi");
}
