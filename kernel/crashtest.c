/* pagoda.crashtest=null|stack|nx|smp: crash on purpose once boot is done, to
 * see the fault report and the panic path work (tests/boot/crash*.test).
 *
 *   kind    the fault                      x86_64 report          arm64 report
 *   null    load through a NULL pointer    #PF, read, CR2 0       data abort, FAR 0
 *   stack   recursion until the kernel     #DF on its IST stack,  exception entry on the
 *           stack runs into its guard      CR2 in the guard page  overflow stack, FAR in
 *           page                                                  the guard page
 *   nx      call into a buffer in .bss     #PF, instruction       instruction abort,
 *           (data: never executable)       fetch, protection      permission fault
 *   smp     panic while other CPUs spin    (no fault: the panic stops the other CPUs,
 *           or panic (smp_stop_crash.c)     kernel/smp_stop.c)
 *
 * The faults are plain C, so they mean the same on every arch.  Before
 * faulting the kernel prints the function that will fault and its address
 *
 *   crashtest: null: load through a NULL pointer in crashtest_null (0x...)
 *
 * so a test can check that the report's RIP/pc and the backtrace reach it.
 * The crash runs after the initcalls, before pagoda.run= and the shell.
 * While one is armed, panic() ends QEMU through arch_debug_exit(1) as during
 * pagoda.run= (panic.c), so an automated boot ends instead of halting. */
#include <pagoda/kernel.h>
#include <pagoda/cmdline.h>
#include <pagoda/crashtest.h>

struct crashtest {
	const char *name;          /* the parameter's value */
	const char *what;          /* what the fault is, for the log */
	const char *func;          /* the function that faults ... */
	const void *faulting;      /* ... and its address */
	void (*run)(void);         /* what pagoda.crashtest= calls */
};

static volatile int crashtest_sink;
static volatile unsigned long crashtest_depth;
static u8 crashtest_data[16] __aligned(16);   /* .bss: RW, never executable */

/* Load an int through a NULL pointer the compiler cannot see is NULL. */
static __attribute__((noinline)) void crashtest_null(void)
{
	int *volatile p = NULL;

	crashtest_sink = *p;
}

/* Recurse with a 128-byte frame until the stack runs out; the use of
 * frame[] after the call keeps it from becoming a loop (tail call). */
static __attribute__((noinline)) void crashtest_recurse(void)
{
	volatile char frame[128];

	frame[0] = (char)crashtest_depth;
	if (++crashtest_depth != 0)           /* always: the stack ends first */
		crashtest_recurse();
	crashtest_sink = frame[0];
}

/* Call crashtest_data as if it were a function. */
static __attribute__((noinline)) void crashtest_nx(void)
{
	void (*volatile fn)(void) = (void (*)(void))(uintptr_t)crashtest_data;

	fn();
}

static const struct crashtest crashtests[] = {
	{ "null", "load through a NULL pointer", "crashtest_null",
	  (const void *)crashtest_null, crashtest_null },
	{ "stack", "recursion until the stack overflows", "crashtest_recurse",
	  (const void *)crashtest_recurse, crashtest_recurse },
	{ "nx", "call into a data buffer", "crashtest_data",
	  crashtest_data, crashtest_nx },
	{ "smp", "panic while the other CPUs run", "crashtest_smp",
	  (const void *)crashtest_smp, crashtest_smp },
};

static const struct crashtest *crashtest_armed;

/* pagoda.crashtest=KIND: arm one crash test; a bad KIND is one line. */
static int crashtest_param(const char *val)
{
	for (size_t i = 0; val && i < ARRAY_SIZE(crashtests); i++) {
		if (strcmp(val, crashtests[i].name) == 0) {
			crashtest_armed = &crashtests[i];
			return 0;
		}
	}
	printk("pagoda.crashtest=%s: unknown crash test (null, stack, nx, smp), ignored\n",
	       val ? val : "");
	return -EINVAL;
}
KERNEL_PARAM("pagoda.crashtest", crashtest_param);

bool crashtest_active(void)
{
	return crashtest_armed != NULL;
}

void crashtest_run(void)
{
	const struct crashtest *t = crashtest_armed;

	if (!t)
		return;
	printk("crashtest: %s: %s in %s (%#lx)\n", t->name, t->what, t->func,
	       (unsigned long)t->faulting);
	t->run();
	panic("pagoda.crashtest=%s returned without a fault", t->name);
}
