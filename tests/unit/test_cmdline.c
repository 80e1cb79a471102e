/* Host test of the command line parser (kernel/cmdline.c) with explicit
 * tables: quoting as GRUB and Linux do it, '-'/'_' equivalence, repeats,
 * loader noise, "--", and the unknown-parameter warning. */
#include <stdio.h>
#include <string.h>
#include <pagoda/cmdline.h>
#include "printk_capture.h"   /* printed[]: the parser's warnings */
#include "tap.h"

static char seen[1024];      /* "name=value;" per handler call */

static void note(const char *name, const char *val)
{
	size_t n = strlen(seen);

	snprintf(seen + n, sizeof(seen) - n, "%s=%s;", name, val ? val : "(none)");
}
static int set_mem(const char *v) { note("mem", v); return 0; }
static int set_run(const char *v) { note("run", v); return 0; }
static int set_hp(const char *v) { note("hp", v); return 0; }
static int set_hpsz(const char *v) { note("hpsz", v); return 0; }
static int set_mhp(const char *v) { note("mhp", v); return 0; }

static const struct kernel_param table[] = {
	{ "mem", set_mem }, { "pagoda.run", set_run }, { "hugepages", set_hp },
	{ "hugepagesz", set_hpsz }, { "memory_hotplug.memmap_on_memory", set_mhp },
};

/* Parse cmdline; expect the handler trace, the unknown count and the
 * printed warnings. */
static void check(const char *cmdline, const char *want_seen, int want_unknown,
		  const char *want_warn)
{
	char flat[sizeof(printed)];
	int unknown;

	seen[0] = printed[0] = '\0';
	unknown = cmdline_parse_table(cmdline, table, sizeof(table) / sizeof(table[0]));
	for (size_t i = 0; i <= strlen(printed); i++)     /* keep TAP on one line */
		flat[i] = printed[i] == '\n' ? '|' : printed[i];
	TAP_OK(strcmp(seen, want_seen) == 0 && unknown == want_unknown &&
	       strcmp(printed, want_warn) == 0,
	       "[%s] -> [%s] unknown=%d warn=[%s]", cmdline, seen, unknown, flat);
}

int main(void)
{
	check("", "", 0, "");
	check("   ", "", 0, "");
	check("mem=512M", "mem=512M;", 0, "");
	check("  mem=1G   mem=2G ", "mem=1G;mem=2G;", 0, "");
	check("pagoda.run=\"cat /proc/meminfo;poweroff\"",
	      "run=cat /proc/meminfo;poweroff;", 0, "");
	check("\"pagoda.run=cat /proc/meminfo;poweroff\" mem=1G",
	      "run=cat /proc/meminfo;poweroff;mem=1G;", 0, "");
	check("pagoda.run=\"echo \"1\" > /x\"", "run=echo \"1\" > /x;", 0, "");
	check("hugepagesz=2M hugepages=4 hugepagesz=1G hugepages=1",
	      "hpsz=2M;hp=4;hpsz=1G;hp=1;", 0, "");
	check("memory-hotplug.memmap-on-memory=0", "mhp=0;", 0, "");
	check("mem", "mem=(none);", 0, "");
	check("mem=", "mem=;", 0, "");
	check("x", "", 1, "cmdline: unknown parameter 'x' ignored\n");
	check("foo=bar mem=1G quiet", "mem=1G;", 2,
	      "cmdline: unknown parameter 'foo' ignored\n"
	      "cmdline: unknown parameter 'quiet' ignored\n");
	check("/boot/pagoda.elf mem=1G", "mem=1G;", 0, "");
	check("(hd0)/boot/pagoda.elf mem=1G", "mem=1G;", 0, "");
	check("BOOT_IMAGE=/boot/pagoda mem=1G", "mem=1G;", 0, "");
	check("mem=1G /boot/pagoda.elf", "mem=1G;", 1,
	      "cmdline: unknown parameter '/boot/pagoda.elf' ignored\n");
	check("mem=1G -- mem=2G junk", "mem=1G;", 0, "");
	check("pagoda.run=\"unterminated mem=1G", "run=unterminated mem=1G;", 0, "");
	check("\tmem=1G\tmem=2G", "mem=1G;mem=2G;", 0, "");
	check(NULL, "", 0, "");
	return TAP_DONE();
}
