/* x86_64: IA32_GS_BASE points at this CPU's struct x86_percpu, whose first
 * field is the logical CPU id (set for the boot CPU before kmain, by the
 * trampoline path for the others). */
#ifndef ASM_SMP_H
#define ASM_SMP_H
static inline unsigned int arch_smp_processor_id(void)
{
	unsigned int v;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(v));
	return v;
}
#endif
