/* pagoda.crashtest=smp: a panic with the other CPUs busy, to see
 * smp_send_stop() (kernel/smp_stop.c) and the panic-once guard work.
 *
 *   CPU 1   spins with interrupts off       x86_64: the NMI stops it
 *                                           arm64: the SGI cannot: reported
 *   CPU 2   spins until the go, then panics: it owns the panic, reports
 *   CPU 3+  idle (halted in the idle loop): the stop wakes them
 *   CPU 0   waits until CPUs 1 and 2 run their work, gives the go, waits
 *           until CPU 2 is in panic(), then panics too while CPU 2 reports:
 *           the panic-once guard stops it quietly (or CPU 2's stop already
 *           did); without the guard it would print a second report
 *
 * With CPU 0 alone (or CPU 2 missing) CPU 0's panic is the report.
 * tests/boot/smp-panic.test checks: exactly one panic report, CPU 2's,
 * `smp: stopped N other CPUs` before the final line, QEMU ended by it. */
#include <pagoda/kernel.h>
#include <pagoda/smp.h>
#include <pagoda/irq.h>
#include <pagoda/crashtest.h>
#include <pagoda/panic.h>
#include <asm/io.h>

static volatile bool smp_crash_go;
static volatile unsigned int smp_crash_running;

static void smp_crash_spin(struct cpu_work *w)
{
	arch_irq_disable();
	__atomic_fetch_add(&smp_crash_running, 1, __ATOMIC_RELEASE);
	for (;;)
		cpu_relax();
}

static void smp_crash_panic(struct cpu_work *w)
{
	__atomic_fetch_add(&smp_crash_running, 1, __ATOMIC_RELEASE);
	while (!smp_crash_go)
		cpu_relax();
	panic("crashtest smp: CPU %u panics", smp_processor_id());
}

void crashtest_smp(void)
{
	static struct cpu_work w[NR_CPUS];
	unsigned int started = 0;
	bool second = false;

	for_each_online_cpu(c) {
		if (c == 0 || c > 2)
			continue;
		w[c].fn = c == 1 ? smp_crash_spin : smp_crash_panic;
		if (smp_run_on(c, &w[c]) == 0) {
			started++;
			second |= c == 2;
		}
	}
	while (__atomic_load_n(&smp_crash_running, __ATOMIC_ACQUIRE) < started)
		cpu_relax();
	smp_crash_go = true;
	while (second && !panic_in_progress())
		cpu_relax();
	panic("crashtest smp: CPU %u panics", smp_processor_id());
}
