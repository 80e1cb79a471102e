/* panic: report a broken invariant and stop.
 *
 *   panic: <function>: <message>
 *   <backtrace>
 *
 * Then the other CPUs are stopped (smp_stop.c: `smp: stopped N other
 * CPUs`).  During an automated run (pagoda.run= still pending or running, or a
 * pagoda.crashtest= armed) QEMU is ended through arch_debug_exit(1) so the
 * run ends at once instead of timing out; interactively the CPU halts so
 * the screen can be read.
 *
 * Panic once: the first CPU to panic owns panic_cpu; another CPU that
 * panics meanwhile stops itself at once (prints nothing, counted stopped),
 * so two reports never interleave and nobody waits on the other.  A
 * panic on the owning CPU while it panics is the nested case (one line). */
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/arch.h>
#include <pagoda/shell.h>
#include <pagoda/crashtest.h>
#include <pagoda/smp.h>
#include <pagoda/irq.h>

static int panic_depth;
static int panic_cpu = -1;          /* the CPU that panics; the others stop */

bool panic_in_progress(void)
{
	return __atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) != -1;
}

__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	int old = -1, me = (int)smp_processor_id();
	va_list ap;

	arch_irq_disable();
	if (!__atomic_compare_exchange_n(&panic_cpu, &old, me, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE) && old != me)
		smp_stop_self();    /* another CPU panics: stop quietly, it reports */
	if (++panic_depth > 1) {
		/* Panicking while panicking: print as little as possible. */
		if (panic_depth == 2)
			printk("\npanic: %s: nested panic\n", func);
		arch_halt();
	}
	printk_panic_begin();       /* the console lock may be held: by us, or stuck */
	printk_ensure_newline();
	printk("panic: %s: ", func);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	arch_dump_backtrace();
	smp_send_stop();
	if (shell_boot_run_active() || crashtest_active()) {
		printk("panic: ending the automated run (%s)\n",
		       crashtest_active() ? "pagoda.crashtest=" : "pagoda.run=");
		arch_debug_exit(1);
	}
	arch_halt();
}
