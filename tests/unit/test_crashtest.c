/* Host test of pagoda.crashtest= (kernel/crashtest.c): the four kinds arm
 * a crash, anything else prints one line and changes nothing.  The crashes
 * themselves only run in the kernel (tests/boot/crash*.test). */
#include <stdio.h>
#include <stdlib.h>
#include <pagoda/cmdline.h>
#include <pagoda/crashtest.h>
#include <pagoda/panic.h>
#include "printk_capture.h"
#include "tap.h"

extern const struct kernel_param __start_pagoda_params[], __stop_pagoda_params[];

__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	printf("not ok - panic in %s\n", func);
	exit(1);
}

/* kernel/smp_stop_crash.c runs only in the kernel. */
__noreturn void crashtest_smp(void)
{
	printf("not ok - crashtest_smp ran\n");
	exit(1);
}

/* Parse cmdline against the params linked in (crashtest's only). */
static void parse(const char *cmdline)
{
	printed[0] = '\0';
	cmdline_parse_table(cmdline, __start_pagoda_params,
			    __stop_pagoda_params - __start_pagoda_params);
}

int main(void)
{
	static const char bad_line[] =
		"pagoda.crashtest=%s: unknown crash test (null, stack, nx, smp), ignored\n";
	char want[256];

	TAP_OK(!crashtest_active(), "nothing armed without the parameter");
	crashtest_run();
	TAP_OK(printed[0] == '\0', "crashtest_run with nothing armed returns, prints nothing");

	const char *bad[] = { "bogus", "NULL", "null,stack", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "pagoda.crashtest=%s", bad[i]);
		snprintf(want, sizeof(want), bad_line, bad[i]);
		parse(cmd);
		TAP_OK(!crashtest_active() && strcmp(printed, want) == 0,
		       "'%s' refused with one line, nothing armed", cmd);
	}
	snprintf(want, sizeof(want), bad_line, "");
	parse("pagoda.crashtest");
	TAP_OK(!crashtest_active() && strcmp(printed, want) == 0,
	       "bare pagoda.crashtest refused with one line");

	parse("pagoda.crashtest=smp");
	TAP_OK(crashtest_active() && printed[0] == '\0', "smp arms a crash silently");
	parse("pagoda.crashtest=nx");
	TAP_OK(crashtest_active() && printed[0] == '\0', "nx arms a crash silently");
	snprintf(want, sizeof(want), bad_line, "bogus");
	parse("pagoda.crashtest=bogus");
	TAP_OK(crashtest_active() && strcmp(printed, want) == 0,
	       "a bad value after a good one leaves it armed");
	return TAP_DONE();
}
