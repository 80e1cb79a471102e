/* Selftests of the cross calls (kernel/smp.c) on the CPUs that are online.
 *
 *   smp_ipi:  CPU 0 --call--> CPU n (n = 1..N-1, one at a time), waits a
 *             bounded time for the call to run there; each target's IPI
 *             count rose; the round trip in cycles and ns is printed
 *   smp_call: on_each_cpu runs once on every CPU; smp_run_on work runs on
 *             the CPU asked for; CPU 0 and CPU 1 calling each other at once
 *             with interrupts off both finish (each waiter serves its own
 *             queue; without that they wait for each other forever)
 *
 *   smp_kwork: the secondaries queue their works at once, round after
 *             round, while CPU 0 runs them: each runs once per round, none
 *             is lost (left queued, never run)
 *   smp_printk: every CPU prints SMP_TEST_LINES lines at once; the boot
 *             test (tests/boot/smp.test) checks that each arrived whole
 *
 * With one CPU online they pass after saying `# 1 CPU online`. */
#include <pagoda/selftest.h>
#include <pagoda/smp.h>
#include <pagoda/irq.h>
#include <pagoda/arch.h>
#include <pagoda/time.h>
#include <pagoda/kernel.h>
#include <asm/io.h>

#define SMP_TEST_WAIT_MS 1000       /* a call not run by then is a failure */
#define SMP_TEST_CROSS_CALLS 10     /* calls each way in the mutual test */
#define SMP_TEST_LINES 40           /* lines per CPU in smp_printk */
#define SMP_TEST_KWORKS 8           /* works per secondary in smp_kwork (ring: 32) */
#define SMP_TEST_KWORK_ROUNDS 50    /* times each secondary queues them */

static bool smp_test_single_cpu(void)
{
	if (num_online_cpus() > 1)
		return false;
	printk("# 1 CPU online\n");
	return true;
}

/* Spin until *flag is non-zero or SMP_TEST_WAIT_MS passed; true if set. */
static bool smp_test_wait_flag(volatile u32 *flag)
{
	u64 end = arch_cycles() + arch_cycles_per_sec() / 1000 * SMP_TEST_WAIT_MS;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		if (arch_cycles() > end)
			return false;
	return true;
}

/* Set by the target: its CPU id + 1 (static: a late call still finds it). */
static volatile u32 smp_test_ran_on;
static void smp_test_mark(void *info)
{
	__atomic_store_n(&smp_test_ran_on, smp_processor_id() + 1, __ATOMIC_RELEASE);
}

SELFTEST(smp_ipi)
{
	if (smp_test_single_cpu())
		return;
	for_each_online_cpu(c) {
		u64 ipis, t0, t1;

		if (c == smp_processor_id())
			continue;
		ipis = smp_cpu_ipis(c);
		smp_test_ran_on = 0;
		t0 = arch_cycles();
		EXPECT(smp_call_function_single(c, smp_test_mark, NULL, false) == 0);
		EXPECT(smp_test_wait_flag(&smp_test_ran_on));
		t1 = arch_cycles();
		EXPECT(smp_test_ran_on == c + 1);
		EXPECT(smp_cpu_ipis(c) > ipis);
		printk("# CPU %u: IPI round trip %llu cycles (%llu ns), IPIs %llu -> %llu\n", c,
		       (unsigned long long)(t1 - t0), (unsigned long long)cycles_to_ns(t1 - t0),
		       (unsigned long long)ipis, (unsigned long long)smp_cpu_ipis(c));
	}
}

static u32 smp_test_count[NR_CPUS];
static void smp_test_count_here(void *info)
{
	__atomic_fetch_add(&smp_test_count[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

static void smp_test_whoami(struct cpu_work *w)
{
	w->result = smp_processor_id();
}

/* Work: once the other caller is here too, call the CPU w->result names
 * SMP_TEST_CROSS_CALLS times with interrupts off, waiting each time;
 * w->result = -(calls completed).  Under QEMU TCG each such call costs
 * milliseconds (a vCPU spinning with interrupts masked and an IPI pending
 * takes QEMU's global lock at every translation-block exit), hence few. */
static volatile u32 smp_test_callers;
static void smp_test_call_peer(struct cpu_work *w)
{
	unsigned int peer = (unsigned int)w->result;
	unsigned long flags = arch_irq_save();

	w->result = 0;
	__atomic_fetch_add(&smp_test_callers, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&smp_test_callers, __ATOMIC_RELAXED) < 2)
		cpu_relax();                    /* both start calling at once */
	for (int i = 0; i < SMP_TEST_CROSS_CALLS; i++) {
		smp_call_function_single(peer, smp_test_count_here, NULL, true);
		__atomic_store_n(&w->result, w->result - 1, __ATOMIC_RELAXED);
	}
	arch_irq_restore(flags);
}

/* Wait for w (bounded); false if it did not finish in time. */
static bool smp_test_work_done(struct cpu_work *w)
{
	u64 end = arch_cycles() + arch_cycles_per_sec() / 1000 * SMP_TEST_WAIT_MS * 30;

	while (!__atomic_load_n(&w->done, __ATOMIC_ACQUIRE))
		if (arch_cycles() > end)
			return false;
	return true;
}

/* Static: if a test times out, the CPUs still running them find them. */
static struct cpu_work smp_test_a, smp_test_b;

SELFTEST(smp_call)
{
	struct cpu_work *a = &smp_test_a, *b = &smp_test_b;
	unsigned int n = 0, first = 0;
	u64 t0;

	if (smp_test_single_cpu())
		return;
	for (unsigned int c = 0; c < NR_CPUS; c++)
		smp_test_count[c] = 0;
	on_each_cpu(smp_test_count_here, NULL, true);
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		EXPECT(smp_test_count[c] == (cpu_online(c) ? 1u : 0u));
		n += cpu_online(c);
		first = cpu_online(c) && c && !first ? c : first;
	}
	for_each_online_cpu(c) {
		struct cpu_work w = { .fn = smp_test_whoami, .result = -1 };

		if (c == 0)
			continue;
		EXPECT(smp_run_on(c, &w) == 0);
		smp_work_wait(&w);
		EXPECT(w.result == (long)c);
	}
	*a = (struct cpu_work){ .fn = smp_test_call_peer };
	*b = (struct cpu_work){ .fn = smp_test_call_peer };
	EXPECT(smp_run_on(0, a) == -EINVAL);
	/* The first secondary and CPU 0 call each other, both with
	 * interrupts off (CPU 0 runs its side inline). */
	a->result = 0;
	b->result = first;
	smp_test_callers = 0;
	t0 = arch_cycles();
	EXPECT(smp_run_on(first, a) == 0);
	smp_test_call_peer(b);
	EXPECT(smp_test_work_done(a));
	EXPECT(a->result == -SMP_TEST_CROSS_CALLS && b->result == -SMP_TEST_CROSS_CALLS);
	printk("# on_each_cpu ran on %u CPUs; CPU %u and CPU 0 called each other %ld and %ld times "
	       "in %llu us\n", n, first, -a->result, -b->result,
	       (unsigned long long)cycles_to_ns(arch_cycles() - t0) / 1000);
}

/* SMP_TEST_LINES lines of a fixed shape, each one printk, once every
 * printer is running (so that they really print at the same time). */
static volatile u32 smp_test_printing;
static void smp_test_print_lines(struct cpu_work *w)
{
	__atomic_fetch_add(&smp_test_printing, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&smp_test_printing, __ATOMIC_RELAXED) < num_online_cpus())
		cpu_relax();
	for (int i = 0; i < SMP_TEST_LINES; i++)
		printk("# printk cpu %u line %02d abcdefghijklmnopqrstuvwxyz0123456789\n",
		       smp_processor_id(), i);
}

static struct cpu_work smp_test_printers[NR_CPUS];

SELFTEST(smp_printk)
{
	struct cpu_work self = { .fn = smp_test_print_lines };

	smp_test_single_cpu();
	smp_test_printing = 0;
	for_each_online_cpu(c) {
		if (c == 0)
			continue;
		smp_test_printers[c] = (struct cpu_work){ .fn = smp_test_print_lines };
		EXPECT(smp_run_on(c, &smp_test_printers[c]) == 0);
	}
	smp_test_print_lines(&self);
	for_each_online_cpu(c)
		if (c != 0)
			EXPECT(smp_test_work_done(&smp_test_printers[c]));
}

static struct kwork smp_test_kworks[NR_CPUS][SMP_TEST_KWORKS];
static u32 smp_test_kwork_runs[NR_CPUS][SMP_TEST_KWORKS];
static volatile u32 smp_test_queuers;

static void smp_test_kwork_fn(struct kwork *k)
{
	size_t i = (size_t)(k - &smp_test_kworks[0][0]);

	smp_test_kwork_runs[i / SMP_TEST_KWORKS][i % SMP_TEST_KWORKS]++;
}

/* Work: once every secondary is here, SMP_TEST_KWORK_ROUNDS times: queue
 * this CPU's works, wait (bounded) until CPU 0 ran them all. */
static void smp_test_queue_kworks(struct cpu_work *w)
{
	unsigned int me = smp_processor_id();
	u64 end = arch_cycles() + arch_cycles_per_sec() / 1000 * SMP_TEST_WAIT_MS * 10;

	__atomic_fetch_add(&smp_test_queuers, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&smp_test_queuers, __ATOMIC_RELAXED) < num_online_cpus() - 1)
		cpu_relax();
	for (int r = 0; r < SMP_TEST_KWORK_ROUNDS; r++) {
		for (int i = 0; i < SMP_TEST_KWORKS; i++)
			kwork_queue(&smp_test_kworks[me][i]);
		for (int i = 0; i < SMP_TEST_KWORKS; i++)
			while (__atomic_load_n(&smp_test_kworks[me][i].queued, __ATOMIC_ACQUIRE))
				if (arch_cycles() > end)
					return;         /* lost: never runs */
	}
}

static bool smp_test_queuers_done(struct cpu_work *q)
{
	for_each_online_cpu(c)
		if (c != 0 && !__atomic_load_n(&q[c].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/* A work lost by the ring stays marked queued and never runs again. */
SELFTEST(smp_kwork)
{
	static struct cpu_work queuers[NR_CPUS];
	unsigned int lost = 0, works = 0;
	u64 runs = 0, end;

	if (smp_test_single_cpu())
		return;
	smp_test_queuers = 0;
	for_each_online_cpu(c)
		for (int i = 0; i < SMP_TEST_KWORKS; i++) {
			smp_test_kworks[c][i] = (struct kwork){ .fn = smp_test_kwork_fn };
			smp_test_kwork_runs[c][i] = 0;
		}
	for_each_online_cpu(c)
		if (c != 0) {
			queuers[c] = (struct cpu_work){ .fn = smp_test_queue_kworks };
			EXPECT(smp_run_on(c, &queuers[c]) == 0);
		}
	end = arch_cycles() + arch_cycles_per_sec() / 1000 * SMP_TEST_WAIT_MS * 30;
	while (!smp_test_queuers_done(queuers) && arch_cycles() < end)
		kwork_run();
	EXPECT(smp_test_queuers_done(queuers));
	kwork_run();
	for_each_online_cpu(c)
		for (int i = 0; c != 0 && i < SMP_TEST_KWORKS; i++) {
			EXPECT(smp_test_kwork_runs[c][i] == SMP_TEST_KWORK_ROUNDS);
			lost += smp_test_kworks[c][i].queued;
			runs += smp_test_kwork_runs[c][i];
			works++;
		}
	EXPECT(lost == 0);
	printk("# %u works queued %d times each by %u CPUs at once: %llu runs, %u lost\n",
	       works, SMP_TEST_KWORK_ROUNDS, num_online_cpus() - 1, (unsigned long long)runs, lost);
}
