/* panic: report a broken invariant and stop.
 *
 *   panic: <function>: <message>
 *   <backtrace>
 *
 * During an automated run (pagoda.run= still pending or running, or a
 * pagoda.crashtest= armed) QEMU is ended through arch_debug_exit(1) so the
 * run ends at once instead of timing out; interactively the CPU halts so
 * the screen can be read. */
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/arch.h>
#include <pagoda/shell.h>
#include <pagoda/crashtest.h>

static int panic_depth;

__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	va_list ap;

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
	if (shell_boot_run_active() || crashtest_active()) {
		printk("panic: ending the automated run (%s)\n",
		       crashtest_active() ? "pagoda.crashtest=" : "pagoda.run=");
		arch_debug_exit(1);
	}
	arch_halt();
}
