/* What a secondary CPU needs from the boot CPU to come up (smp.c fills
 * one block per CPU, cleans it to PoC and passes its physical address as
 * PSCI CPU_ON's context id; smp_entry.S reads it with the MMU off). */
#ifndef ASM_SMP_BOOT_H
#define ASM_SMP_BOOT_H

#define SB_TTBR0   0       /* the switch idmap (TTBR0 of the boot CPU) */
#define SB_TTBR1   8       /* the kernel tables (arm64_ttbr1_pa) */
#define SB_TCR     16      /* the boot CPU's TCR_EL1 without EPD0 */
#define SB_MAIR    24
#define SB_SCTLR   32      /* the boot CPU's SCTLR_EL1 (MMU, caches on) */
#define SB_STACK   40      /* top of this CPU's stack (kernel VA) */
#define SB_CPU     48      /* logical id -> TPIDR_EL1 */
#define SB_SIZE    64      /* one cache line (QEMU, Cortex-A: 64 bytes) */

#ifndef __ASSEMBLER__
#include <pagoda/types.h>
struct arm64_secondary_boot {
	u64 ttbr0, ttbr1, tcr, mair, sctlr, stack_top, cpu, pad;
} __attribute__((aligned(SB_SIZE)));
_Static_assert(__builtin_offsetof(struct arm64_secondary_boot, cpu) == SB_CPU, "SB_CPU");
_Static_assert(__builtin_offsetof(struct arm64_secondary_boot, stack_top) == SB_STACK, "SB");
_Static_assert(sizeof(struct arm64_secondary_boot) == SB_SIZE, "SB_SIZE");
void arm64_secondary_entry(void);            /* smp_entry.S, physical entry */
void arm64_secondary_start(unsigned int cpu); /* smp.c, on the CPU's stack */
#endif
#endif
