/* kmain: the generic half of boot, the same on every arch.
 *
 *   arch entry -> console, vectors, bootinfo, boot page tables
 *     -> kmain: banner, firmware map, command line, mm_init,
 *        arch_late_init (finds the CPUs), arch_smp_boot_secondaries,
 *        initcalls, pagoda.crashtest=, pagoda.run=, shell
 */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/bootinfo.h>
#include <pagoda/cmdline.h>
#include <pagoda/crashtest.h>
#include <pagoda/init.h>
#include <pagoda/mm.h>
#include <pagoda/shell.h>
#include <pagoda/smp.h>
#include <asm/vmparam.h>

extern const struct initcall __start_pagoda_initcalls[], __stop_pagoda_initcalls[];

/* Run every INITCALL in link order; a failing one is reported, not fatal. */
static void run_initcalls(void)
{
	for (const struct initcall *ic = __start_pagoda_initcalls;
	     ic < __stop_pagoda_initcalls; ic++) {
		int rc = ic->fn();
		if (rc)
			printk("init: %s failed (%d)\n", ic->name, rc);
	}
}

__noreturn void kmain(void)
{
	printk("Pagoda " ARCH_NAME " (%s firmware)\n",
	       bootinfo.firmware ? bootinfo.firmware : "unknown");
	printk("Command line: %s\n", bootinfo.cmdline);
	bootinfo_print_mmap(&bootinfo);
	cmdline_parse(bootinfo.cmdline);
	mm_init(&bootinfo);
	arch_late_init();
	arch_smp_boot_secondaries();
	run_initcalls();
	crashtest_run();
	shell_run_boot_commands();
	shell_loop();
}
