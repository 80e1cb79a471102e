/* x86_64 per-CPU state (arch/x86_64/percpu.c), reached through IA32_GS_BASE.
 *
 *   IA32_GS_BASE --> x86_percpu[n]   offset 0: u32 cpu = n   (asm/smp.h: %gs:0)
 *                                    APIC ids, kernel stack bounds, guard page,
 *                                    exception depth, IPI count, CPUID identity
 *
 * CPU 0 runs on entry.S's boot_stack; CPU n >= 1 on x86_stacks[n - 1].  Each
 * stack has an unmapped guard page right below it (kmap.c leaves it out).
 * Arch-private: generic code uses pagoda/smp.h. */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H
#include <pagoda/types.h>
#include <pagoda/smp.h>

struct x86_percpu {
	u32 cpu;                    /* first: arch_smp_processor_id() reads %gs:0 */
	u32 apic_id;                /* local APIC ID register (xAPIC or x2APIC) */
	u32 initial_apic_id;        /* CPUID leaf 1 EBX[31:24] (leaf 0xb with x2APIC) */
	int exc_depth;              /* nested exceptions (traps.c) */
	unsigned long stack_lo, stack_hi;   /* kernel stack [lo, hi) */
	unsigned long guard;        /* its guard page (not mapped) */
	u64 ipi_count;              /* IPIs taken (/proc/interrupts CAL) */
	u64 spurious;               /* spurious / stray vectors (SPU) */
	volatile u32 boot_stage;    /* secondaries: X86_BOOT_* reached */
	u32 cpuid_family, cpuid_model, cpuid_stepping;
	char vendor[13];
	char model_name[49];
};
BUILD_BUG_ON(__builtin_offsetof(struct x86_percpu, cpu) != 0);

/* Secondary bring-up stages (boot_stage), for the "did not come online" line. */
#define X86_BOOT_NONE    0          /* no sign of life */
#define X86_BOOT_ENTERED 1          /* 64-bit C entry reached */
#define X86_BOOT_READY   2          /* GDT, IDT, LAPIC done: calling smp_secondary_main */

extern struct x86_percpu x86_percpu[NR_CPUS];

static inline struct x86_percpu *this_cpu(void)
{
	return &x86_percpu[arch_smp_processor_id()];
}

/* Fill every block's static fields (ids, stack bounds); point this CPU's
 * IA32_GS_BASE at block 0.  The first thing x86_start() does. */
void x86_percpu_init_boot(void);
/* Point IA32_GS_BASE at block cpu and record this CPU's CPUID identity. */
void x86_percpu_load(unsigned int cpu);
/* Top of cpu's kernel stack (16-byte aligned). */
unsigned long x86_percpu_stack_top(unsigned int cpu);
/* The CPU whose stack guard page holds va, or -1. */
int x86_stack_guard_cpu(unsigned long va);
#endif
