/* Host tests of kernel/spinlock.c (built with PAGODA_LOCK_DEBUG) and of the
 * cross calls of kernel/smp.c on simulated CPUs (tests/unit/host/host_smp.c).
 *
 *   threads 0..3 = CPUs 0..3 --spin_lock--> counter += 1 (read, yield, write)
 *   lock order: ZONE then PCP fine; PCP then ZONE panics naming both; one
 *   rank nests in ascending address order only
 *   irqsave: the CPU's simulated interrupt flag is off inside, as before after
 *   cross calls: on_each_cpu once per CPU, an IPI held back while the
 *   target's interrupts are off runs when they come back on */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <pagoda/spinlock.h>
#include <pagoda/smp.h>
#include <pagoda/irq.h>
#include "host/host_mm.h"
#include "host/host_smp.h"

#define THREADS 4
#define ROUNDS 20000

static spinlock_t test_lock = SPINLOCK_INIT("test", LOCK_ORDER_NONE);
static volatile long counter;
static volatile int inside;
static volatile int overlaps;

/* One "CPU": ROUNDS critical sections that a second CPU inside would break. */
static void *spin_worker(void *arg)
{
	host_cpu_id = (unsigned int)(long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		long v;

		spin_lock(&test_lock);
		if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0)
			overlaps++;
		v = counter;
		if ((i & 63) == 0)
			sched_yield();
		counter = v + 1;
		__atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
		spin_unlock(&test_lock);
	}
	return NULL;
}

static void test_mutual_exclusion(void)
{
	pthread_t t[THREADS];

	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, spin_worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	host_ok(counter == (long)THREADS * ROUNDS && overlaps == 0 && !spin_is_locked(&test_lock),
		"ticket lock: %d threads x %d sections: counter %ld (want %d), %d overlaps",
		THREADS, ROUNDS, counter, THREADS * ROUNDS, overlaps);
}

static void test_trylock(void)
{
	spinlock_t l = SPINLOCK_INIT("try", LOCK_ORDER_NONE);
	bool first, second, third;

	host_cpu_id = 0;
	first = spin_trylock(&l);
	host_cpu_id = 1;
	second = spin_trylock(&l);
	host_cpu_id = 0;
	spin_unlock(&l);
	host_cpu_id = 1;
	third = spin_trylock(&l);
	spin_unlock(&l);
	host_cpu_id = 0;
	host_ok(first && !second && third && !spin_is_locked(&l),
		"trylock: free -> taken, held elsewhere -> refused, freed -> taken");
}

static void test_order(void)
{
	spinlock_t zone = SPINLOCK_INIT("zone Normal", LOCK_ORDER_ZONE);
	spinlock_t pcp = SPINLOCK_INIT("pcp 0", LOCK_ORDER_PCP);
	bool ok_order, inversion;

	host_cpu_id = 2;
	ok_order = !HOST_EXPECT_PANIC(({ spin_lock(&zone); spin_lock(&pcp);
					 spin_unlock(&zone); spin_unlock(&pcp); }));
	host_ok(ok_order, "order: ZONE then PCP (released out of order) passes");
	spin_lock(&pcp);
	inversion = HOST_EXPECT_PANIC(spin_lock(&zone));
	host_ok(inversion && strstr(host_panic_msg, "\"zone Normal\"") &&
		strstr(host_panic_msg, "\"pcp 0\"") && strstr(host_panic_msg, "lock order"),
		"order: PCP then ZONE panics naming both: %s", host_panic_msg);
	host_ok(HOST_EXPECT_PANIC(spin_lock(&pcp)) && strstr(host_panic_msg, "already holds"),
		"recursion panics: %s", host_panic_msg);
	host_ok(!HOST_EXPECT_PANIC(assert_spin_held(&pcp)), "assert_spin_held passes for the holder");
	host_cpu_id = 3;
	host_ok(HOST_EXPECT_PANIC(assert_spin_held(&pcp)), "assert_spin_held panics on another CPU: %s",
		host_panic_msg);
	host_ok(HOST_EXPECT_PANIC(spin_unlock(&pcp)), "releasing another CPU's lock panics: %s",
		host_panic_msg);
	host_cpu_id = 2;
	spin_unlock(&pcp);
	host_cpu_id = 0;
}

/* One rank: ascending addresses nest, descending panics. */
static void test_same_rank(void)
{
	static spinlock_t pcps[2] = { SPINLOCK_INIT("pcp a", LOCK_ORDER_PCP),
				      SPINLOCK_INIT("pcp b", LOCK_ORDER_PCP) };
	bool up, down;

	host_cpu_id = 1;
	up = !HOST_EXPECT_PANIC(({ spin_lock(&pcps[0]); spin_lock(&pcps[1]); }));
	spin_unlock(&pcps[0]);
	down = HOST_EXPECT_PANIC(spin_lock(&pcps[0]));
	spin_unlock(&pcps[1]);
	host_cpu_id = 0;
	host_ok(up, "same rank, ascending addresses: nests");
	host_ok(down && strstr(host_panic_msg, "\"pcp a\"") && strstr(host_panic_msg, "\"pcp b\""),
		"same rank, descending addresses: panics naming both: %s", host_panic_msg);
}

static void test_irqsave(void)
{
	spinlock_t l = SPINLOCK_INIT("irq", LOCK_ORDER_ZONE);
	spinlock_t leaf = SPINLOCK_INIT("leaf", LOCK_ORDER_PCP);
	unsigned long f;
	bool off_inside, on_after, off_after, none_plain, none_irq;

	host_cpu_id = 1;
	host_irq_on[1] = true;
	f = spin_lock_irqsave(&l);
	off_inside = !host_irq_on[1];
	none_irq = HOST_EXPECT_PANIC(spin_assert_none_irqsave("test wait"));
	spin_unlock_irqrestore(&l, f);
	on_after = host_irq_on[1];
	host_irq_on[1] = false;
	f = spin_lock_irqsave(&l);
	spin_unlock_irqrestore(&l, f);
	off_after = !host_irq_on[1];
	host_irq_on[1] = true;
	spin_lock(&leaf);
	none_plain = !HOST_EXPECT_PANIC(spin_assert_none_irqsave("test wait"));
	spin_unlock(&leaf);
	host_cpu_id = 0;
	host_ok(off_inside && on_after && off_after,
		"irqsave: off inside, restored on (was on) and off (was off)");
	host_ok(none_irq && strstr(host_panic_msg, "\"irq\""),
		"spin_assert_none_irqsave panics under an irqsave lock: %s", host_panic_msg);
	host_ok(none_plain, "spin_assert_none_irqsave passes under a plain lock");
}

static int ran_on[NR_CPUS];
static void count_cpu(void *info) { ran_on[smp_processor_id()] += *(int *)info; }

static void test_cross_calls(void)
{
	int one = 1;
	bool each = true;

	host_smp_online(4);
	host_ok(num_online_cpus() == 4 && nr_cpu_ids == 4, "4 simulated CPUs online");
	on_each_cpu(count_cpu, &one, true);
	for (int c = 0; c < 4; c++)
		each &= ran_on[c] == 1;
	host_ok(each, "on_each_cpu: once on each CPU (%d %d %d %d)",
		ran_on[0], ran_on[1], ran_on[2], ran_on[3]);

	host_irq_on[2] = false;                 /* CPU 2 cannot take the IPI */
	smp_call_function_single(2, count_cpu, &one, false);
	host_ok(ran_on[2] == 1 && host_ipi_pending[2], "IPI to a CPU with interrupts off waits");
	host_smp_switch(2);
	host_ok(ran_on[2] == 1, "switching to it does not run it either");
	smp_call_function_single(3, count_cpu, &one, true);
	host_ok(ran_on[3] == 2 && ran_on[2] == 1, "CPU 2 calls CPU 3 and waits: ran there (%d)", ran_on[3]);
	arch_irq_restore(1);
	host_ok(ran_on[2] == 2 && !host_ipi_pending[2], "interrupts back on: the held IPI runs");
	host_smp_switch(0);
	host_ok(smp_call_function_single(5, count_cpu, &one, true) == -EINVAL,
		"cross call to an offline CPU: -EINVAL");
}

int main(void)
{
	host_tap_init();
	test_mutual_exclusion();
	test_trylock();
	test_order();
	test_same_rank();
	test_irqsave();
	test_cross_calls();
	return host_tap_done();
}
