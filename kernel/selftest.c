/* The in-kernel test runner behind `selftest [NAME]`.
 *
 *   ok 1 - string_basic          TAP-like lines in link order; EXPECT()
 *   # kernel/x.c:12: expected .. failures print "# ..." diagnostics
 *   not ok 2 - seq_overflow      before their "not ok" line
 *   ok 3 - x # SKIP no hole      SELFTEST_SKIP(): nothing to test here
 *   1 passed, 1 failed           always the last line
 *
 * Tests come from section pagoda_selftests (SELFTEST() beside the code).
 * `selftest` returns non-zero when a test failed, so a failing run from
 * pagoda.run= ends QEMU with a non-zero status (shell_boot.c). */
#include <pagoda/selftest.h>
#include <pagoda/shell.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

extern const struct selftest __start_pagoda_selftests[], __stop_pagoda_selftests[];

/* The test called name, or NULL. */
static const struct selftest *selftest_find(const char *name)
{
	for (const struct selftest *t = __start_pagoda_selftests; t < __stop_pagoda_selftests; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

const char *selftest_skip_reason;       /* set by SELFTEST_SKIP() */

int selftest_run(const char *name)
{
	int n = 0, failed = 0;

	for (const struct selftest *t = __start_pagoda_selftests; t < __stop_pagoda_selftests; t++) {
		bool fail = false;

		if (name && strcmp(t->name, name) != 0)
			continue;
		selftest_skip_reason = NULL;
		t->fn(&fail);
		printk_ensure_newline();
		printk("%s %d - %s%s%s\n", fail ? "not ok" : "ok", ++n, t->name,
		       selftest_skip_reason ? " # SKIP " : "", selftest_skip_reason ? selftest_skip_reason : "");
		failed += fail;
	}
	printk("%d passed, %d failed\n", n - failed, failed);
	return failed;
}

/* `selftest [NAME]`: run all tests or the one called NAME. */
static int cmd_selftest(int argc, char **argv)
{
	if (argc > 2)
		return shell_error("selftest: usage: selftest [NAME]");
	if (argc == 2 && !selftest_find(argv[1]))
		return shell_error("selftest: no test called '%s'", argv[1]);
	return selftest_run(argc == 2 ? argv[1] : NULL) ? 1 : 0;
}
SHELL_CMD("selftest", "selftest [NAME]", "run in-kernel tests (all, or NAME)", cmd_selftest);
