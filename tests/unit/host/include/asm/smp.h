/* Host build: simulated CPUs.  Tests switch host_cpu_id to interleave
 * "CPUs" deterministically on one thread (tests/unit/host/). */
#ifndef ASM_SMP_H
#define ASM_SMP_H
extern unsigned int host_cpu_id;
static inline unsigned int arch_smp_processor_id(void) { return host_cpu_id; }
#endif
