/* Host SMP simulation (host_smp.c): switch the current CPU, bring
 * simulated CPUs online, look at their interrupt flags and IPIs. */
#ifndef HOST_SMP_H
#define HOST_SMP_H
#include <pagoda/smp.h>

extern bool host_irq_on[NR_CPUS];
extern bool host_ipi_pending[NR_CPUS];
extern unsigned long host_ipis_sent;
/* Make this thread CPU cpu; a pending IPI it can take runs now. */
void host_smp_switch(unsigned int cpu);
/* Register CPUs 0..n-1 and mark them online. */
void host_smp_online(unsigned int n);
#endif
