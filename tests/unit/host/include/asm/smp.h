/* Host build: simulated CPUs.  Tests switch host_cpu_id to interleave
 * "CPUs" deterministically on one thread (tests/unit/host/host_smp.c);
 * it is thread-local so that tests with real threads (test_spinlock) give
 * each thread its own CPU id. */
#ifndef ASM_SMP_H
#define ASM_SMP_H
extern __thread unsigned int host_cpu_id;
static inline unsigned int arch_smp_processor_id(void) { return host_cpu_id; }
#endif
