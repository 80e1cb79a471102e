/* Selftest for the command line parser (cmdline.c) with a private table. */
#include <pagoda/selftest.h>
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

static char cmdline_test_seen[128];

/* Record "name=value;" pairs in call order. */
static void cmdline_test_note(const char *name, const char *val)
{
	size_t n = strlen(cmdline_test_seen);

	ksnprintf(cmdline_test_seen + n, sizeof(cmdline_test_seen) - n, "%s=%s;",
		  name, val ? val : "(none)");
}
static int cmdline_test_a(const char *val) { cmdline_test_note("a", val); return 0; }
static int cmdline_test_run(const char *val) { cmdline_test_note("run", val); return 0; }

SELFTEST(cmdline_quotes)
{
	static const struct kernel_param table[] = {
		{ "a_b", cmdline_test_a }, { "pagoda.run", cmdline_test_run },
	};

	cmdline_test_seen[0] = '\0';
	printk("# the next unknown-parameter warning is expected\n");
	EXPECT(cmdline_parse_table("/boot/pagoda.elf a-b=1 \"pagoda.run=x y;z\" zz a_b",
				   table, ARRAY_SIZE(table)) == 1);
	EXPECT(strcmp(cmdline_test_seen, "a=1;run=x y;z;a=(none);") == 0);
	cmdline_test_seen[0] = '\0';
	EXPECT(cmdline_parse_table("pagoda.run=\"cat /proc/meminfo;poweroff\" -- a_b",
				   table, ARRAY_SIZE(table)) == 0);
	EXPECT(strcmp(cmdline_test_seen, "run=cat /proc/meminfo;poweroff;") == 0);
}
