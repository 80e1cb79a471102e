/* Host test: every mm/ shell command and writable pseudo-file with good and
 * bad input (issue 10's coverage goal: the error paths of memory_block.c,
 * memory_online.c, hugetlb_shell.c/sysfs.c, vmemmap_view.c, page_poison.c
 * that the other host tests do not reach).  Each bad input must fail and
 * print exactly one line, starting "error: " (interface.md); each good one
 * must succeed without an error line; vm_check stays clean throughout.
 * Boot parameters with bad values are warned about and ignored; page_poison=on
 * runs its selftest. */
#include <stdio.h>
#include <string.h>
#include "host/host_mm.h"
#include <pagoda/pseudofs.h>
#include <pagoda/shell.h>
#include "mm/buddy.h"
#include "mm/memory_hotplug.h"

#define MEMDIR "/sys/devices/system/memory"
#define HP2M "/sys/kernel/mm/hugepages/hugepages-2048kB"

static char out[16384];

int hugetlb_init(void);            /* mm/hugetlb_boot.c, an INITCALL */

/* Boot mem=256M on 512 MiB of simulated memory (room to hot-add), run the
 * hugetlb initcall. */
static void boot(const char *cmdline, bool quiet)
{
	char c[256];
	struct host_mm_opts o = { .quiet = quiet, .cmdline = c };

	snprintf(c, sizeof(c), "mem=256M %s", cmdline);
	host_mm_boot(512 * SZ_1M, &o);
	memory_blocks_init();
	host_printk_quiet = true;
	hugetlb_init();
	host_printk_quiet = false;
}

/* cat path into out (pseudofs_read: table files and families). */
static int cat(const char *path)
{
	struct seq sq;

	seq_init(&sq, out, sizeof(out));
	return pseudofs_read(path, &sq);
}

/* out without its line ends, for a TAP message. */
static const char *flat(void)
{
	static char f[96];
	size_t j = 0;

	for (size_t i = 0; out[i] && j + 1 < sizeof(f); i++)
		f[j++] = out[i] == '\n' ? '|' : out[i];
	f[j] = '\0';
	return f;
}

/* Exactly one line in out, and it starts "error: ". */
static bool one_error_line(void)
{
	char *nl = strchr(out, '\n');
	return !strncmp(out, "error: ", 7) && nl && nl[1] == '\0';
}

static bool vm_check_ok(void)
{
	char buf[4096];
	return host_shell("vm_check", buf, sizeof(buf)) == 0 && strstr(buf, "vm_check: ok");
}

/* A shell line; want_ok: succeeds with no error line, else one error line. */
static void sh(const char *line, bool want_ok)
{
	int rc = host_shell(line, out, sizeof(out));

	if (want_ok)
		host_ok(rc == 0 && !strstr(out, "error: "), "'%s' succeeds: %s", line, flat());
	else
		host_ok(rc != 0 && one_error_line(), "'%s' fails with one error line: %s", line, flat());
}

/* echo val > path, with the same promise. */
static void wr(const char *path, const char *val, bool want_ok)
{
	int rc;

	out[0] = '\0';
	host_printk_buf = out;
	host_printk_size = sizeof(out);
	rc = pseudofs_write(path, val);
	host_printk_buf = NULL;
	if (want_ok)
		host_ok(rc == 0 && !strstr(out, "error: "), "echo %s > %s succeeds: %s", val, path, flat());
	else
		host_ok(rc != 0 && one_error_line(), "echo '%s' > %s fails with one error line: %s",
			val, path, flat());
}

static void commands(void)
{
	unsigned long pfn;

	boot("", true);
	sh("mem", false);
	sh("mem add", false);
	sh("mem frob 0x10000000 128M", false);
	sh("mem add x 128M", false);
	sh("mem add 0x10000000 12Q", false);
	sh("mem add 0x10000001 128M", false);
	sh("mem add 0x10000000 100M", false);
	sh("mem add 0x10000000 0", false);
	sh("mem add 0xfffffffff8000000 128M", false);
	sh("mem add 0x0 128M", false);                       /* boot memory */
	sh("mem remove 0x30000000 128M", false);              /* absent */
	sh("mem add 0x10000000 128M", true);
	sh("mem add 0x10000000 128M", false);                 /* present now */
	host_ok(vm_check_ok(), "vm_check after the add");
	sh("lsmem", true);
	sh("lsmem -a", false);
	/* block files */
	wr(MEMDIR "/memory2/state", "frob", false);
	wr(MEMDIR "/memory2/state", "online", true);
	wr(MEMDIR "/memory2/state", "online", false);         /* already online */
	wr(MEMDIR "/memory2/state", "offline", true);
	wr(MEMDIR "/memory2/state", "offline", false);        /* already offline */
	wr(MEMDIR "/memory2/online", "2", false);
	wr(MEMDIR "/memory2/online", "", false);
	wr(MEMDIR "/memory2/online", "1", true);
	wr(MEMDIR "/memory2/online", "0", true);
	wr(MEMDIR "/memory2/state", "online_movable", true);
	wr(MEMDIR "/memory2/phys_index", "1", false);         /* read-only */
	wr(MEMDIR "/memory9/state", "online", false);         /* absent block */
	wr(MEMDIR "/auto_online_blocks", "bogus", false);
	wr(MEMDIR "/auto_online_blocks", "offline", true);
	wr(MEMDIR "/auto_online_blocks", "online", true);
	wr(MEMDIR "/probe", "xyz", false);
	wr(MEMDIR "/probe", "0x30000001", false);
	wr(MEMDIR "/probe", "0x10000000", false);             /* present */
	wr(MEMDIR "/probe", "0x18000000", true);
	for (int i = 0; i < 5; i++) {
		static const char *const f[] = { "phys_index", "removable", "valid_zones", "state", "online" };
		char p[128];
		snprintf(p, sizeof(p), "cat " MEMDIR "/memory3/%s", f[i]);
		sh(p, true);
	}
	sh("cat " MEMDIR "/block_size_bytes", true);
	sh("cat /sys/module/memory_hotplug/parameters/memmap_on_memory", true);
	wr(MEMDIR "/memory2/state", "offline", true);
	wr(MEMDIR "/memory3/state", "offline", true);
	sh("mem remove 0x10000000 256M", true);
	host_ok(vm_check_ok(), "vm_check after the remove");
	/* huge pages */
	sh("hugepage", false);
	sh("hugepage take", false);
	sh("hugepage take 3M", false);
	sh("hugepage take 2M", false);                        /* pool empty */
	sh("hugepage give xyz", false);
	sh("hugepage give 0x5", false);
	wr("/proc/sys/vm/nr_hugepages", "x", false);
	wr("/proc/sys/vm/nr_hugepages", "-1", false);
	wr("/proc/sys/vm/hugetlb_optimize_vmemmap", "2", false);
	wr("/proc/sys/vm/hugetlb_optimize_vmemmap", "1", true);
	wr(HP2M "/nr_hugepages", "abc", false);
	wr(HP2M "/nr_hugepages", "2", true);
	wr(HP2M "/free_hugepages", "1", false);               /* read-only */
	host_ok(host_shell("hugepage take 2M", out, sizeof(out)) == 0 &&
		sscanf(out, "pfn %lx", &pfn) == 1, "hugepage take 2M: %s", out);
	char line[64];
	snprintf(line, sizeof(line), "hugepage give %#lx", pfn + 1);
	sh(line, false);                                      /* a tail, not the head */
	snprintf(line, sizeof(line), "vmemmap %#lx", pfn);
	host_ok(host_shell(line, out, sizeof(out)) == 0 && strstr(out, "shared"),
		"vmemmap of an HVO huge page folds the shared rows");
	sh("vmemmap", false);
	sh("vmemmap zz", false);
	sh("vmemmap 0xfffffffffff", false);
	snprintf(line, sizeof(line), "hugepage give %#lx", pfn);
	sh(line, true);
	sh(line, false);                                      /* free already */
	wr(HP2M "/nr_hugepages", "0", true);
	sh("page", false);
	sh("page frob", false);
	sh("page alloc", false);
	sh("page free", false);
	sh("page free 0x1 0", false);
	host_ok(vm_check_ok(), "vm_check at the end");
}

/* Bad boot parameter values: one warning each, ignored, boot continues. */
static void bad_params(void)
{
	static char buf[16384];
	host_printk_buf = buf;
	host_printk_size = sizeof(buf);
	boot("memhp_default_state=bogus page_poison=maybe hugepagesz=3M hugepages=x "
	     "memory_hotplug.memmap_on_memory=maybe hugetlb_free_vmemmap=sometimes", false);
	host_printk_buf = NULL;
	host_ok(strstr(buf, "memhp_default_state") && strstr(buf, "page_poison=maybe") &&
		strstr(buf, "hugepagesz") && strstr(buf, "memmap_on_memory"),
		"each bad value is warned about");
	host_ok(memhp_default_online_type == MMOP_ONLINE || memhp_default_online_type == MMOP_OFFLINE,
		"memhp_default_state keeps a valid value");
	host_ok(vm_check_ok(), "the boot completes and vm_check is clean");
}

/* Good values of the same parameters. */
static void good_params(void)
{
	int ran;

	boot("memhp_default_state=online_movable page_poison=1 hugepagesz=2M hugepages=2 "
	     "memory_hotplug.memmap_on_memory=1", true);
	host_ok(memhp_default_online_type == MMOP_ONLINE_MOVABLE, "memhp_default_state=online_movable");
	host_ok(host_selftests("page_poison", &ran) == 0 && ran == 1, "selftest page_poison with poisoning on");
	sh("mem add 0x10000000 128M", true);
	host_ok(cat(MEMDIR "/auto_online_blocks") == 0 && !strcmp(out, "online_movable\n"),
		"auto_online_blocks follows memhp_default_state: %s", flat());
	wr(MEMDIR "/memory2/state", "online_movable", true);
	host_ok(cat(MEMDIR "/memory2/valid_zones") == 0 && !strcmp(out, "Movable\n"),
		"online_movable: valid_zones Movable (%s)", flat());
	host_ok(vm_check_ok(), "vm_check clean");
}

static void poison_off(void)
{
	int ran;

	boot("page_poison=off memhp_default_state=offline", true);
	host_ok(host_selftests("page_poison", &ran) == 0 && ran == 1, "selftest page_poison with poisoning off");
	sh("mem add 0x10000000 128M", true);
	host_ok(cat(MEMDIR "/memory2/state") == 0 && !strcmp(out, "offline\n"),
		"memhp_default_state=offline leaves the block offline: %s", flat());
}

int main(void)
{
	host_tap_init();
	host_scenario("commands", commands);
	host_scenario("bad params", bad_params);
	host_scenario("good params", good_params);
	host_scenario("poison off", poison_off);
	return host_tap_done();
}
