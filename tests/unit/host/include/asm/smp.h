/* Host build: simulated CPUs.  Tests switch host_cpu_id to interleave
 * "CPUs" deterministically on one thread (tests/unit/host/host_smp.c);
 * it is thread-local so that tests with real threads (test_spinlock) give
 * each thread its own CPU id. */
#ifndef ASM_SMP_H
#define ASM_SMP_H
extern __thread unsigned int host_cpu_id;
static inline unsigned int arch_smp_processor_id(void) { return host_cpu_id; }

/* The simulated interrupt flags (host_smp.c has the picture).  The lock
 * fast paths (pagoda/spinlock.h includes this header) inline these copies
 * of host_smp.c's arch_irq_save/restore (gnu_inline: no symbol here); an
 * IPI waiting for the flag is delivered out of line. */
#include <stdbool.h>
extern bool host_irq_on[], host_ipi_pending[];
void host_smp_run_ipi(unsigned int cpu);
__attribute__((gnu_inline)) extern inline unsigned long arch_irq_save(void)
{
	unsigned int cpu = host_cpu_id;
	unsigned long was = host_irq_on[cpu];

	host_irq_on[cpu] = false;
	return was;
}
__attribute__((gnu_inline)) extern inline void arch_irq_restore(unsigned long flags)
{
	unsigned int cpu = host_cpu_id;

	host_irq_on[cpu] = flags != 0;
	if (__builtin_expect(host_ipi_pending[cpu] && flags, 0))
		host_smp_run_ipi(cpu);
}
#endif
