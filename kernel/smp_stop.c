/* Stopping the other CPUs when one panics (Linux's smp_send_stop).
 *
 *   panicking CPU p                           every other online CPU c
 *   panic(): message, backtrace
 *   smp_send_stop():
 *     smp_stop_asked = true
 *     for each online c != p, not stopped:
 *       arch_send_stop(c)  ---------------->  x86_64: LAPIC NMI (taken even with
 *                                               interrupts off) -> x86_exception
 *                                             arm64: SGI ARM64_STOP_SGI (an IRQ:
 *                                               not taken while c masks IRQs)
 *                                             smp_stop_self(): stopped[c] = true,
 *                                               interrupts off, halt for good
 *     wait until every one is stopped, at most SMP_STOP_WAIT_MS
 *     `smp: stopped N other CPUs` [`; CPU(s) a b did not stop`]
 *   then the final panic line (end of the automated run, or halt)
 *
 * A CPU that panics while another one already is (panic.c's panic-once
 * guard) calls smp_stop_self() at once: it prints nothing and counts as
 * stopped, so two panics never interleave or wait on each other.  A stopped
 * CPU stays marked online (nothing runs after a panic to care); it may hold
 * any lock, which is why printk breaks its lock once panicking. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/smp.h>
#include <pagoda/irq.h>
#include <asm/io.h>

#define SMP_STOP_WAIT_MS 1000       /* Linux waits 1 s for the stop IPI */

static bool smp_stopped[NR_CPUS];
static bool smp_stop_asked;

bool smp_stop_requested(void)
{
	return __atomic_load_n(&smp_stop_asked, __ATOMIC_ACQUIRE);
}

__noreturn void smp_stop_self(void)
{
	arch_irq_disable();
	__atomic_store_n(&smp_stopped[smp_processor_id()], true, __ATOMIC_RELEASE);
	arch_halt();
}

static bool smp_cpu_stopped(unsigned int cpu)
{
	return __atomic_load_n(&smp_stopped[cpu], __ATOMIC_ACQUIRE);
}

/* How many other online CPUs are not stopped yet; each such CPU is named
 * into buf (" 1 3") when buf is not NULL. */
static unsigned int smp_stop_left(char *buf, size_t size)
{
	unsigned int left = 0, me = smp_processor_id();
	size_t len = 0;

	for_each_online_cpu(c) {
		if (c == me || smp_cpu_stopped(c))
			continue;
		left++;
		if (buf && len < size)
			len += ksnprintf(buf + len, size - len, " %u", c);
	}
	return left;
}

void smp_send_stop(void)
{
	unsigned int me = smp_processor_id(), others = 0;
	u64 t0, limit = arch_cycles_per_sec() / 1000 * SMP_STOP_WAIT_MS;
	char names[4 * NR_CPUS + 1] = "";

	__atomic_store_n(&smp_stop_asked, true, __ATOMIC_RELEASE);
	for_each_online_cpu(c) {
		if (c == me)
			continue;
		others++;
		if (!smp_cpu_stopped(c))
			arch_send_stop(c);
	}
	if (!others)
		return;
	for (t0 = arch_cycles(); smp_stop_left(NULL, 0) && arch_cycles() - t0 < limit;)
		cpu_relax();
	unsigned int left = smp_stop_left(names, sizeof(names));
	if (!left)
		printk("smp: stopped %u other CPUs\n", others);
	else
		printk("smp: stopped %u other CPUs; CPU%s%s did not stop\n", others - left,
		       left > 1 ? "s" : "", names);
}
