/* arm64: TPIDR_EL1 holds the logical CPU id (set by head.S for the boot
 * CPU before any C code, by the secondary entry for the others). */
#ifndef ASM_SMP_H
#define ASM_SMP_H
static inline unsigned int arch_smp_processor_id(void)
{
	unsigned long v;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(v));
	return (unsigned int)v;
}
#endif
