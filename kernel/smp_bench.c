/* `bench smp`: what a cross call costs on the CPUs that are online.
 *
 *   call to self             smp_call_function_single(self): irq off/on
 *   IPI round trip, CPU n    queue + IPI + handler on n + ack, waited for
 *   on_each_cpu, N CPUs      one call everywhere, waited for
 *   smp_run_on round trip    work slot + IPI + idle loop wakes, runs, done
 *
 * Each figure is the mean over SMP_BENCH_ROUNDS, in ns/op.  Under QEMU TCG
 * a remote figure is dominated by how soon the host schedules the target
 * vCPU's thread (halted vCPUs sleep in the host), so it swings with host
 * load; compare figures from one run. */
#include <pagoda/selftest.h>
#include <pagoda/smp.h>
#include <pagoda/arch.h>
#include <pagoda/time.h>
#include <pagoda/kernel.h>

#define SMP_BENCH_ROUNDS 200

static void smp_bench_nop(void *info) { }
static void smp_bench_work_nop(struct cpu_work *w) { }

static u64 smp_bench_ns(u64 t0)
{
	return cycles_to_ns(arch_cycles() - t0) / SMP_BENCH_ROUNDS;
}

/* Waited-for round trips to cpu: a call in IRQ context, then a work. */
static void smp_bench_remote(unsigned int cpu)
{
	struct cpu_work w = { .fn = smp_bench_work_nop };
	char what[48];
	u64 t0 = arch_cycles();

	for (int i = 0; i < SMP_BENCH_ROUNDS; i++)
		smp_call_function_single(cpu, smp_bench_nop, NULL, true);
	ksnprintf(what, sizeof(what), "IPI round trip, CPU %u", cpu);
	bench_report(what, smp_bench_ns(t0));
	t0 = arch_cycles();
	for (int i = 0; i < SMP_BENCH_ROUNDS; i++) {
		if (smp_run_on(cpu, &w))
			return;
		smp_work_wait(&w);
	}
	ksnprintf(what, sizeof(what), "smp_run_on round trip, CPU %u", cpu);
	bench_report(what, smp_bench_ns(t0));
}

BENCH(smp)
{
	char what[48];
	u64 t0 = arch_cycles();

	for (int i = 0; i < SMP_BENCH_ROUNDS; i++)
		smp_call_function_single(smp_processor_id(), smp_bench_nop, NULL, true);
	bench_report("call to self", smp_bench_ns(t0));
	for_each_online_cpu(c)
		if (c != smp_processor_id())
			smp_bench_remote(c);
	t0 = arch_cycles();
	for (int i = 0; i < SMP_BENCH_ROUNDS; i++)
		on_each_cpu(smp_bench_nop, NULL, true);
	ksnprintf(what, sizeof(what), "on_each_cpu, %u CPUs", num_online_cpus());
	bench_report(what, smp_bench_ns(t0));
}
