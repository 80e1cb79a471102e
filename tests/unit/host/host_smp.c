/* The host's side of the SMP contract: simulated CPUs on one thread (or
 * real threads, each its own CPU id, for test_spinlock).
 *
 *   host_cpu_id (thread-local)   the "current CPU"; host_smp_switch(n)
 *                                moves this thread to CPU n
 *   host_irq_on[n]               CPU n's interrupt flag (arch_irq_save...)
 *   host_ipi_pending[n]          an IPI sent to n, not yet handled
 *
 * An IPI is delivered the moment its target can take it: at once in
 * arch_send_ipi() when the target's interrupts are on (the handler runs
 * "on" the target: host_cpu_id is switched for its duration, then back),
 * else when the target re-enables interrupts, idles or is switched to.
 * So a waiting cross call completes on a single thread, and a test can
 * hold an IPI back by turning the target's interrupts off. */
#define _GNU_SOURCE
#include <time.h>
#include <pagoda/smp.h>
#include <pagoda/irq.h>
#include <pagoda/arch.h>
#include "host_smp.h"

__thread unsigned int host_cpu_id;
bool host_irq_on[NR_CPUS] = { true, true, true, true, true, true, true, true };
bool host_ipi_pending[NR_CPUS];
unsigned long host_ipis_sent;

/* Run cpu's pending IPI handler ("on" cpu, in IRQ context); its interrupts
 * are on.  Out of line: the inline arch_irq_restore() (asm/smp.h) calls it. */
void host_smp_run_ipi(unsigned int cpu)
{
	unsigned int self = host_cpu_id;

	host_ipi_pending[cpu] = false;
	host_cpu_id = cpu;
	host_irq_on[cpu] = false;               /* IRQ context */
	smp_ipi_handler();
	host_irq_on[cpu] = true;
	host_cpu_id = self;
}

/* Run cpu's IPI handler if one is pending and its interrupts are on. */
static inline void host_smp_deliver(unsigned int cpu)
{
	if (__builtin_expect(host_ipi_pending[cpu] && host_irq_on[cpu], 0))
		host_smp_run_ipi(cpu);
}

void host_smp_switch(unsigned int cpu)
{
	host_cpu_id = cpu;
	host_smp_deliver(cpu);
}

/* Make CPUs 1..n-1 registered and online (the host has no bring-up). */
void host_smp_online(unsigned int n)
{
	smp_register_cpu(0);
	for (unsigned int i = 1; i < n; i++) {
		int id = smp_register_cpu(i);
		if (id >= 0)
			cpus[id].online = true;
	}
}

/* The out-of-line copies of asm/smp.h's inline ones (keep them equal): one
 * thread-local read and one store each, host_smp_run_ipi() only when an
 * IPI waits. */
unsigned long arch_irq_save(void)
{
	unsigned int cpu = host_cpu_id;
	unsigned long was = host_irq_on[cpu];

	host_irq_on[cpu] = false;
	return was;
}

void arch_irq_restore(unsigned long flags)
{
	unsigned int cpu = host_cpu_id;

	host_irq_on[cpu] = flags != 0;
	host_smp_deliver(cpu);
}

void arch_irq_enable(void) { arch_irq_restore(1); }
void arch_irq_disable(void) { host_irq_on[host_cpu_id] = false; }

void arch_send_ipi(unsigned int cpu)
{
	host_ipis_sent++;
	host_ipi_pending[cpu] = true;
	host_smp_deliver(cpu);
}

/* Nothing can arrive later on one thread: take what is pending, return. */
void arch_cpu_idle(void)
{
	arch_irq_enable();
}

/* The cycle counter smp.c's accounting reads (tests may define their own). */
__attribute__((weak)) u64 arch_cycles(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}
