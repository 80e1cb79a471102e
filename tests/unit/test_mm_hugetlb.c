/* Host test of the HugeTLB pools (mm/hugetlb*.c) and of the `page` verb's
 * COUNT|all forms that tests use to exhaust memory:
 *   - page alloc ORDER [movable] COUNT|all / page free all, no fixed limit
 *   - pool grow/shrink with exact nr_free_pages arithmetic, HVO off and on
 *   - a grow that cannot be met sets the pool to what was possible
 *   - 1 GiB pages through alloc_contig_range, and from memblock at boot
 *   - take/give, surplus, dissolve_free_huge_pages()
 *   - bad input: one error line, nothing changed */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/vmstat.h"
#include "mm/memblock.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include <pagoda/pseudofs.h>

#define HP2M "/sys/kernel/mm/hugepages/hugepages-2048kB/"
#define HP1G "/sys/kernel/mm/hugepages/hugepages-1048576kB/"

static char out[1 << 16];

/* Run line; true if it printed exactly one "error: " line. */
static bool shell_fails(const char *line)
{
	int rc = host_shell(line, out, sizeof(out));
	char *nl = strchr(out, '\n');

	return rc != 0 && !strncmp(out, "error: ", 7) && nl && nl[1] == '\0';
}

/* page alloc 0 all takes every free page (far more blocks than any fixed
 * table), page free all returns them and buddyinfo is back exactly. */
static void page_alloc_all(void)
{
	struct host_mm_opts o = { .quiet = true };
	char before[1024], after[1024];
	unsigned long free0, n = 0, pfn, normal0;

	host_mm_boot(256 * SZ_1M, &o);
	free0 = nr_free_pages();
	host_cat("/proc/buddyinfo", before, sizeof(before));
	host_shell("page alloc 0 all", out, sizeof(out));
	if (sscanf(out, "%lu blocks of order 0", &n) != 1)
		n = 0;
	host_ok(n == free0 && nr_free_pages() == 0,
		"page alloc 0 all took %lu of %lu pages: %s", n, free0, out);
	host_ok(shell_fails("page alloc 0"), "single alloc when empty: %s", out);
	host_ok(host_shell("page alloc 0 all", out, sizeof(out)) == 0 &&
		!strcmp(out, "0 blocks of order 0\n"), "all when empty: no error: %s", out);
	host_ok(host_shell("page free all", out, sizeof(out)) == 0 && nr_free_pages() == free0,
		"page free all: %s", out);
	host_cat("/proc/buddyinfo", after, sizeof(after));
	host_ok(!strcmp(before, after), "buddyinfo back to start");
	host_ok(host_shell("page alloc 3 5", out, sizeof(out)) == 0 &&
		!strcmp(out, "5 blocks of order 3\n") && nr_free_pages() == free0 - 40,
		"page alloc 3 5: %s", out);
	normal0 = zones[ZONE_NORMAL].free_pages;
	host_ok(host_shell("page alloc 2 movable 3", out, sizeof(out)) == 0 &&
		!strcmp(out, "3 blocks of order 2\n") && nr_free_pages() == free0 - 52 &&
		zones[ZONE_NORMAL].free_pages == normal0 - 12 && zones[ZONE_MOVABLE].managed_pages == 0,
		"movable falls back to Normal (12 pages out of Normal's free pages): %s", out);
	host_ok(host_shell("page alloc 1", out, sizeof(out)) == 0 && sscanf(out, "pfn %lx", &pfn) == 1,
		"one block by pfn: %s", out);
	snprintf(before, sizeof(before), "page free %#lx 1", pfn);
	host_ok(host_shell(before, out, sizeof(out)) == 0 && nr_free_pages() == free0 - 52,
		"page free PFN ORDER of a held block");
	host_ok(shell_fails(before), "second free of it: %s", out);
	host_ok(host_shell("page free all", out, sizeof(out)) == 0 && nr_free_pages() == free0 &&
		zones[ZONE_NORMAL].free_pages == free0 && zones[ZONE_MOVABLE].free_pages == 0,
		"page free all after counts (all back in Normal, none in Movable): %s", out);
	host_ok(host_shell("vm_check", out, sizeof(out)) == 0 && strstr(out, "vm_check: ok"),
		"vm_check: %s", out);
}

/* Every malformed page alloc prints one error and takes nothing. */
static void page_alloc_bad_input(void)
{
	static const char *const bad[] = {
		"page alloc", "page alloc 11 all", "page alloc 0 0", "page alloc 0 -1",
		"page alloc 0 x", "page alloc 0 movable x", "page alloc 0 all 3",
		"page alloc 0 movable all x", "page alloc 0 normal", "page free al",
		"page free all 0", "page",
	};
	struct host_mm_opts o = { .quiet = true };
	unsigned long free0;

	host_mm_boot(128 * SZ_1M, &o);
	free0 = nr_free_pages();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		host_ok(shell_fails(bad[i]) && nr_free_pages() == free0, "'%s': %s", bad[i], out);
}

/* ------------------------------------------------------------ pools */

/* A number printed by `cat path` (-1 if the cat failed). */
static long cat_num(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "cat %s", path);
	if (host_shell(cmd, out, sizeof(out)))
		return -1;
	return strtol(out, NULL, 10);
}

/* Field name of pseudo-file path ("name value" or "Name:  value kB"). */
static long proc_field(const char *path, const char *name)
{
	static char buf[8192];

	host_cat(path, buf, sizeof(buf));
	return host_field(buf, name);
}

static long vmstat(const char *name) { return proc_field("/proc/vmstat", name); }
static long meminfo(const char *name) { return proc_field("/proc/meminfo", name); }
static long memmap_pages(void) { return vmstat("nr_memmap_pages") + vmstat("nr_memmap_boot_pages"); }

/* echo val > path through pseudofs_write(): 0 or non-zero (error printed). */
static int echo(const char *val, const char *path)
{
	out[0] = 0;
	host_printk_buf = out;
	host_printk_size = sizeof(out);
	int rc = pseudofs_write(path, val);
	host_printk_buf = NULL;
	return rc;
}

/* nr_memmap_boot_pages when mm_init() ended, before any pool existed. */
static long boot_memmap0;

static void boot(u64 mem, const char *cmdline)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = cmdline };

	host_mm_boot(mem, &o);
	boot_memmap0 = node_stat(NR_MEMMAP_BOOT_PAGES);
	host_printk_quiet = true;
	hugetlb_init();
	host_printk_quiet = false;
}

/* Grow the 2 MiB pool to 16 and back to 0; nr_free_pages moves by exactly
 * 16 x 512 minus the vmemmap HVO frees (hvo_saved), then comes back. */
static void pool_2m_round_trip(long hvo_saved)
{
	char bi0[1024], bi1[1024];
	long free0 = (long)nr_free_pages(), mm0 = memmap_pages();

	host_cat("/proc/buddyinfo", bi0, sizeof(bi0));
	host_ok(cat_num(HP2M "nr_hugepages") == 0 && cat_num(HP2M "free_hugepages") == 0 &&
		cat_num(HP2M "surplus_hugepages") == 0 && cat_num(HP1G "nr_hugepages") == 0,
		"sysfs files per size, empty pools");
	host_ok(echo("16", HP2M "nr_hugepages") == 0 && cat_num(HP2M "nr_hugepages") == 16 &&
		cat_num(HP2M "free_hugepages") == 16, "echo 16 > nr_hugepages");
	host_ok((long)nr_free_pages() == free0 - 16 * 512 + hvo_saved,
		"nr_free_pages %lu = %ld - 16*512 + %ld", nr_free_pages(), free0, hvo_saved);
	host_ok(memmap_pages() == mm0 - hvo_saved, "memmap pages %ld = %ld - %ld", memmap_pages(), mm0, hvo_saved);
	host_ok(vmstat("nr_hugetlb_vmemmap_optimized") == (hvo_saved ? 16 : 0), "nr_hugetlb_vmemmap_optimized %ld",
		vmstat("nr_hugetlb_vmemmap_optimized"));
	host_ok(meminfo("HugePages_Total") == 16 && meminfo("HugePages_Free") == 16 &&
		meminfo("HugePages_Rsvd") == 0 && meminfo("HugePages_Surp") == 0 &&
		meminfo("Hugepagesize") == 2048 && meminfo("Hugetlb") == 16 * 2048, "meminfo HugePages_*");
	host_ok(host_shell("vm_check", out, sizeof(out)) == 0 && strstr(out, "vm_check: ok"), "vm_check: %s", out);
	host_ok(echo("0", HP2M "nr_hugepages") == 0 && cat_num(HP2M "nr_hugepages") == 0 &&
		(long)nr_free_pages() == free0 && memmap_pages() == mm0 &&
		vmstat("nr_hugetlb_vmemmap_optimized") == 0, "shrink to 0: every counter back");
	host_cat("/proc/buddyinfo", bi1, sizeof(bi1));
	/* With HVO the frames a restore takes are not the ones the optimize
	 * freed, so only the totals come back, not the block layout. */
	host_ok(hvo_saved || !strcmp(bi0, bi1), "buddyinfo back to start");
	host_ok(meminfo("HugePages_Total") == 0 && meminfo("Hugetlb") == 0, "meminfo empty again");
	host_ok(echo("3", "/proc/sys/vm/nr_hugepages") == 0 && cat_num(HP2M "nr_hugepages") == 3 &&
		cat_num("/proc/sys/vm/nr_hugepages") == 3 && echo("0", "/proc/sys/vm/nr_hugepages") == 0 &&
		(long)nr_free_pages() == free0, "/proc/sys/vm/nr_hugepages is the default size's");
}

static void pool_2m_hvo_off(void)
{
	boot(256 * SZ_1M, "hugetlb_free_vmemmap=off");
	host_ok(cat_num("/proc/sys/vm/hugetlb_optimize_vmemmap") == 0, "hugetlb_free_vmemmap=off -> 0");
	pool_2m_round_trip(0);
}

static void pool_2m_hvo_on(void)
{
	boot(256 * SZ_1M, NULL);
	host_ok(cat_num("/proc/sys/vm/hugetlb_optimize_vmemmap") == 1, "HVO on by default");
	pool_2m_round_trip(16 * 7 - 1);
	host_ok(echo("0", "/proc/sys/vm/hugetlb_optimize_vmemmap") == 0 &&
		cat_num("/proc/sys/vm/hugetlb_optimize_vmemmap") == 0, "echo 0 > hugetlb_optimize_vmemmap");
	pool_2m_round_trip(0);
}

/* Asking for more than memory holds gives what was possible. */
static void pool_partial_grow(void)
{
	unsigned long free0, nr;
	char bi[1024];
	int o9, o10;

	boot(128 * SZ_1M, "hugetlb_free_vmemmap=off");
	free0 = nr_free_pages();
	host_ok(echo("100000", HP2M "nr_hugepages") == 0, "a grow beyond memory is not an error: %s", out);
	nr = (unsigned long)cat_num(HP2M "nr_hugepages");
	host_ok(nr > 0 && nr < free0 / 512 + 1 && cat_num(HP2M "free_hugepages") == (long)nr &&
		meminfo("HugePages_Total") == (long)nr, "pool is what was possible: %lu", nr);
	host_ok(nr_free_pages() == free0 - nr * 512, "nr_free_pages exact");
	host_cat("/proc/buddyinfo", bi, sizeof(bi));
	host_ok(sscanf(bi, "Node 0, zone Normal %*d %*d %*d %*d %*d %*d %*d %*d %*d %d %d", &o9, &o10) == 2 &&
		o9 == 0 && o10 == 0, "no order-9 block left: %s", bi);
	host_ok(echo("3", HP2M "nr_hugepages") == 0 && cat_num(HP2M "nr_hugepages") == 3 &&
		nr_free_pages() == free0 - 3 * 512, "shrink to 3");
	host_ok(echo("0", HP2M "nr_hugepages") == 0 && nr_free_pages() == free0, "shrink to 0");
}

/* 1 GiB pages above MAX_ORDER come from alloc_contig_range on an aligned
 * free range; with a busy page in every aligned GiB the grow gets 0. */
static void pool_1g_contig(void)
{
	unsigned long free0, pfn;
	struct page *busy;

	boot(3 * SZ_1G, "page_poison=off");
	free0 = nr_free_pages();
	host_ok(echo("2", HP1G "nr_hugepages") == 0 && cat_num(HP1G "nr_hugepages") == 1,
		"2 asked, 1 possible (only [1G, 2G) is free and aligned): %ld", cat_num(HP1G "nr_hugepages"));
	host_ok(nr_free_pages() == free0 - 262144 + 4094, "nr_free_pages -262144 + 4095 - 1 (HVO)");
	host_ok(host_shell("hugepage take 1G", out, sizeof(out)) == 0 && sscanf(out, "pfn %lx", &pfn) == 1 &&
		pfn % 262144 == 0 && pfn_to_page(pfn)->compound_order == 18, "hugepage take 1G: %s", out);
	host_ok(meminfo("Hugetlb") == 1048576 && meminfo("HugePages_Total") == 0, "Hugetlb counts every size");
	snprintf(out, sizeof(out), "hugepage give %#lx", pfn);
	host_ok(host_shell(out, out, sizeof(out)) == 0, "give it back");
	host_ok(echo("0", HP1G "nr_hugepages") == 0 && nr_free_pages() == free0, "shrink: every page back");
	busy = alloc_pages(0, ZONE_NORMAL);
	host_ok(busy != NULL && echo("1", HP1G "nr_hugepages") == 0 && cat_num(HP1G "nr_hugepages") == 1,
		"a busy page elsewhere does not matter");
	echo("0", HP1G "nr_hugepages");
	free_pages(busy, 0);
	busy = pfn_to_page(262144 + 1000);
	host_ok(alloc_contig_range(262144 + 1000, 262144 + 1001, ZONE_NORMAL) == 0 &&
		echo("1", HP1G "nr_hugepages") == 0 && cat_num(HP1G "nr_hugepages") == 0 &&
		nr_free_pages() == free0 - 1, "one busy page in the only free GiB: pool stays 0");
	free_contig_range(262144 + 1000, 262144 + 1001);
	host_ok(host_shell("vm_check", out, sizeof(out)) == 0 && strstr(out, "vm_check: ok"), "vm_check: %s", out);
}

/* hugepagesz=/hugepages= at boot: the 1 GiB page comes from memblock
 * before the buddy allocator, joins its pool, and counts in MemTotal. */
static void pool_boot(void)
{
	unsigned long expect_managed, free0;

	boot(3 * SZ_1G, "page_poison=off hugepagesz=1G hugepages=1 hugepagesz=2M hugepages=8");
	/* managed at the end of mm_init(), the boot page, and the boot memmap
	 * frames HVO freed (they become managed pages) */
	expect_managed = (memblock.memory.total - memblock.reserved.total) / PAGE_SIZE + 262144 +
			 (boot_memmap0 - node_stat(NR_MEMMAP_BOOT_PAGES));
	host_ok(memblock_is_reserved(2 * SZ_1G) && memblock_is_reserved(3 * SZ_1G - 1),
		"memblock reserved the top aligned GiB [2G, 3G)");
	host_ok(cat_num(HP1G "nr_hugepages") == 1 && cat_num(HP1G "free_hugepages") == 1 &&
		cat_num(HP2M "nr_hugepages") == 8 && meminfo("HugePages_Total") == 8 &&
		meminfo("Hugetlb") == 1048576 + 8 * 2048, "pools: 1 x 1G, 8 x 2M");
	host_ok(totalram_pages() == expect_managed, "MemTotal includes the boot page: %lu = %lu",
		totalram_pages(), expect_managed);
	host_ok(hugetlb_page_head(524288 + 5) == pfn_to_page(524288) &&
		hugetlb_vmemmap_optimized(pfn_to_page(524288)), "a proper, optimized huge page at pfn 0x80000");
	host_ok(host_shell("vm_check", out, sizeof(out)) == 0 && strstr(out, "vm_check: ok"), "vm_check: %s", out);
	free0 = nr_free_pages();
	host_ok(echo("0", HP1G "nr_hugepages") == 0 && nr_free_pages() == free0 + 262144 - 4094 &&
		totalram_pages() == expect_managed, "shrunk: its frames join the buddy allocator");
	host_ok(echo("1", HP1G "nr_hugepages") == 0 && cat_num(HP1G "nr_hugepages") == 1 &&
		nr_free_pages() == free0, "grown again through alloc_contig_range");
}

static void pool_boot_bad_params(void)
{
	struct host_mm_opts o = { .cmdline = "hugepagesz=3M hugepages=4 hugepages=2 hugepages=5 hugepagesz=2M hugepages=x" };
	static char log[65536];

	host_printk_buf = log;
	host_printk_size = sizeof(log);
	host_mm_boot(256 * SZ_1M, &o);
	hugetlb_init();
	host_printk_buf = NULL;
	host_ok(strstr(log, "unsupported hugepagesz=3M") && strstr(log, "does not follow a valid hugepagesz") &&
		strstr(log, "hugepages=x is not a number"), "warnings printed");
	host_ok(cat_num(HP2M "nr_hugepages") == 0, "nothing reserved: %ld", cat_num(HP2M "nr_hugepages"));
}

/* take/give; a pool shrunk under taken pages keeps them as surplus. */
static void pool_take_give(void)
{
	unsigned long free0, pfn, pfn2;
	char cmd[64];

	boot(256 * SZ_1M, NULL);
	free0 = nr_free_pages();
	echo("4", HP2M "nr_hugepages");
	host_ok(host_shell("hugepage take 2M", out, sizeof(out)) == 0 && sscanf(out, "pfn %lx", &pfn) == 1 &&
		pfn % 512 == 0 && cat_num(HP2M "free_hugepages") == 3 && cat_num(HP2M "nr_hugepages") == 4,
		"take: %s", out);
	host_ok(host_shell("hugepage take 0x200000", out, sizeof(out)) == 0 && sscanf(out, "pfn %lx", &pfn2) == 1,
		"take 0x200000 (hex size)");
	snprintf(cmd, sizeof(cmd), "hugepage give %#lx", pfn + 1);
	host_ok(shell_fails(cmd), "give a tail: %s", out);
	host_ok(echo("0", HP2M "nr_hugepages") == 0 && cat_num(HP2M "nr_hugepages") == 2 &&
		cat_num(HP2M "surplus_hugepages") == 2 && meminfo("HugePages_Surp") == 2 &&
		cat_num(HP2M "free_hugepages") == 0, "shrink under 2 taken: surplus 2");
	snprintf(cmd, sizeof(cmd), "hugepage give %#lx", pfn);
	host_ok(host_shell(cmd, out, sizeof(out)) == 0 && cat_num(HP2M "nr_hugepages") == 1 &&
		cat_num(HP2M "surplus_hugepages") == 1, "give a surplus page: it leaves the pool");
	host_ok(shell_fails(cmd), "give it twice: %s", out);
	host_ok(echo("3", HP2M "nr_hugepages") == 0 && cat_num(HP2M "nr_hugepages") == 3 &&
		cat_num(HP2M "surplus_hugepages") == 0 && cat_num(HP2M "free_hugepages") == 2,
		"grow: surplus becomes persistent first");
	snprintf(cmd, sizeof(cmd), "hugepage give %#lx", pfn2);
	host_ok(host_shell(cmd, out, sizeof(out)) == 0 && cat_num(HP2M "free_hugepages") == 3,
		"give a persistent page: back on the free list");
	snprintf(cmd, sizeof(cmd), "hugepage give %#lx", pfn2);
	host_ok(shell_fails(cmd), "give a free page: %s", out);
	echo("0", HP2M "nr_hugepages");
	host_ok(nr_free_pages() == free0 && meminfo("HugePages_Total") == 0, "all back");
}

/* Offline's helper: -EBUSY with nothing changed if an in-use page is in
 * the range, else every free huge page with a frame there dissolves. */
static void pool_dissolve(void)
{
	unsigned long free0, pfn, s1 = PAGES_PER_SECTION;
	struct hstate *h = hstate_by_kb(2048);
	struct page *taken;

	boot(512 * SZ_1M, NULL);
	free0 = nr_free_pages();
	echo("200", HP2M "nr_hugepages");
	host_ok(h->nr_huge_pages == 200, "200 pages");
	taken = hugetlb_take(h);
	pfn = page_to_pfn(taken);
	host_ok(dissolve_free_huge_pages(pfn + 3, pfn + 4) == -EBUSY && h->nr_huge_pages == 200 &&
		h->free_huge_pages == 199, "-EBUSY on a taken page, nothing changed");
	host_ok(dissolve_free_huge_pages(0, 1) == 0 && h->nr_huge_pages == 200, "a range with none: 0");
	hugetlb_give(taken);
	{
		unsigned long in = 0, rest;
		for (unsigned long p = s1; p < 2 * s1; p += 512)
			in += hugetlb_page_head(p) != NULL;
		host_ok(dissolve_free_huge_pages(s1 + 100, 2 * s1 - 100) == 0 && h->nr_huge_pages == 200 - in &&
			meminfo("HugePages_Total") == (long)(200 - in), "section 1: its %lu pages dissolved", in);
		rest = 0;
		for (unsigned long p = s1; p < 2 * s1; p += 512)
			rest += hugetlb_page_head(p) != NULL;
		host_ok(rest == 0, "none left in section 1");
	}
	echo("0", HP2M "nr_hugepages");
	host_ok(nr_free_pages() == free0 && vmstat("nr_hugetlb_vmemmap_optimized") == 0, "all back");
	host_ok(host_shell("vm_check", out, sizeof(out)) == 0 && strstr(out, "vm_check: ok"), "vm_check: %s", out);
}

/* Shrinking with every other page taken: the restore cannot fail, and
 * nr_free_pages grows by 512 per page minus the frames the restore needed
 * (HVO freed 7 per page and the shared tail page goes with the last). */
static void pool_shrink_exhausted(void)
{
	long free1, mm0;

	boot(256 * SZ_1M, NULL);
	mm0 = memmap_pages();
	echo("16", HP2M "nr_hugepages");
	host_ok(host_shell("page alloc 0 all", out, sizeof(out)) == 0 && nr_free_pages() == 0, "memory exhausted");
	free1 = (long)nr_free_pages();
	host_ok(echo("0", HP2M "nr_hugepages") == 0 && cat_num(HP2M "nr_hugepages") == 0, "shrink to 0 succeeds");
	host_ok((long)nr_free_pages() == free1 + 16 * 512 - (16 * 7 - 1), "nr_free_pages %lu = 16*512 - 111",
		nr_free_pages());
	host_ok(memmap_pages() == mm0, "memmap counters back at baseline (%ld, %ld)", memmap_pages(), mm0);
	host_shell("page free all", out, sizeof(out));
	host_ok(host_shell("vm_check", out, sizeof(out)) == 0 && strstr(out, "vm_check: ok"), "vm_check: %s", out);
}

static void pool_bad_input(void)
{
	static const char *const bad_shell[] = {
		"hugepage", "hugepage take", "hugepage take 3M", "hugepage take 4K", "hugepage take x",
		"hugepage take 2M", "hugepage give", "hugepage give x", "hugepage give 0x0",
		"hugepage give 0xffffffffff", "hugepage frob 2M", "hugepage take 2M 1",
	};
	static const char *const bad_echo[][2] = {
		{ "x", HP2M "nr_hugepages" }, { "1x", "/proc/sys/vm/nr_hugepages" }, { "-1", HP2M "nr_hugepages" }, { "", HP2M "nr_hugepages" },
		{ "1", HP2M "free_hugepages" }, { "1", HP2M "surplus_hugepages" },
		{ "2", "/proc/sys/vm/hugetlb_optimize_vmemmap" }, { "on", "/proc/sys/vm/hugetlb_optimize_vmemmap" },
	};
	unsigned long free0;

	boot(256 * SZ_1M, NULL);
	free0 = nr_free_pages();
	for (size_t i = 0; i < sizeof(bad_shell) / sizeof(bad_shell[0]); i++)
		host_ok(shell_fails(bad_shell[i]) && nr_free_pages() == free0, "'%s': %s", bad_shell[i], out);
	for (size_t i = 0; i < sizeof(bad_echo) / sizeof(bad_echo[0]); i++) {
		host_ok(echo(bad_echo[i][0], bad_echo[i][1]) != 0 && !strncmp(out, "error: ", 7) &&
			strchr(out, '\n') == out + strlen(out) - 1, "echo '%s' > %s: %s", bad_echo[i][0],
			bad_echo[i][1], out);
	}
	host_ok(nr_free_pages() == free0 && cat_num(HP2M "nr_hugepages") == 0 &&
		cat_num("/proc/sys/vm/hugetlb_optimize_vmemmap") == 1, "nothing changed");
}

/* vm_check's "hugetlb pools" checker sees each kind of corruption. */
static void pool_vm_check_catches(void)
{
	struct hstate *h = hstate_by_kb(2048);
	struct page *head, *t;
	unsigned long pfn;

	boot(256 * SZ_1M, NULL);
	echo("4", HP2M "nr_hugepages");
	t = hugetlb_take(h);
	head = list_first_entry(&h->free_list, struct page, lru);
	host_ok(host_shell("vm_check", out, sizeof(out)) == 0 && strstr(out, "vm_check: ok"), "clean: %s", out);
	h->free_huge_pages++;
	host_ok(host_shell("vm_check", out, sizeof(out)) && strstr(out, "FAIL: hugetlb pools: hugepages-2048kB"),
		"a wrong counter: %s", out);
	h->free_huge_pages--;
	head->refcount = 1;
	host_ok(host_shell("vm_check", out, sizeof(out)) && strstr(out, "on the free list has refcount 1"),
		"a busy page on the free list: %s", out);
	head->refcount = 0;
	hugetlb_meminfo.nr_total++;
	host_ok(host_shell("vm_check", out, sizeof(out)) && strstr(out, "meminfo"), "meminfo stale: %s", out);
	hugetlb_meminfo.nr_total--;
	pfn = page_to_pfn(t);
	list_del(&t->lru);
	list_init(&t->lru);
	h->nr_huge_pages--;
	hugetlb_update_meminfo();
	host_ok(host_shell("vm_check", out, sizeof(out)) && strstr(out, "hugetlb heads in the memmap"),
		"a head outside the pools (pfn %#lx): %s", pfn, out);
}

/* Random pool operations (grow, shrink, take, give, dissolve a section,
 * HVO toggled), vm_check after each; at the end every page goes back and
 * nr_free_pages and the memmap counters are exactly at their start. */
static void pool_random_ops(void)
{
	struct hstate *h = hstate_by_kb(2048);
	struct page *taken[64];
	unsigned long free0, ntaken = 0, seed = 12345, bad = 0, i, surplus = 0, dissolved = 0;
	long mm0;

	boot(512 * SZ_1M, NULL);
	free0 = nr_free_pages();
	mm0 = memmap_pages();
	for (i = 0; i < 300 && !bad; i++) {
		unsigned long r = (seed = seed * 6364136223846793005UL + 1442695040888963407UL) >> 33;

		switch (r % 6) {
		case 0: case 1:
			hugetlb_set_pool(h, r % 100);
			break;
		case 2:
			if (ntaken < 64 && (taken[ntaken] = hugetlb_take(h)))
				ntaken++;
			break;
		case 3:
			if (ntaken) {
				unsigned long k = r % ntaken;
				bad |= hugetlb_give(taken[k]) != 0;
				taken[k] = taken[--ntaken];
			}
			break;
		case 4: {
			unsigned long s = (r % 4) * PAGES_PER_SECTION, n = h->nr_huge_pages;
			dissolve_free_huge_pages(s, s + PAGES_PER_SECTION);
			dissolved += n - h->nr_huge_pages;
			break;
		}
		default:
			hugetlb_optimize_vmemmap = !hugetlb_optimize_vmemmap;
		}
		bad |= host_shell("vm_check", out, sizeof(out)) != 0;
		bad |= h->nr_huge_pages != h->free_huge_pages + ntaken || h->surplus_huge_pages > ntaken;
		surplus += h->surplus_huge_pages != 0;
	}
	host_ok(!bad && surplus && dissolved, "300 random operations, vm_check ok after each (stopped at %lu; "
		"%lu steps with surplus, %lu pages dissolved): %s", i, surplus, dissolved, out);
	while (ntaken)
		hugetlb_give(taken[--ntaken]);
	hugetlb_set_pool(h, 0);
	host_ok(h->nr_huge_pages == 0 && h->surplus_huge_pages == 0 && nr_free_pages() == free0 &&
		memmap_pages() == mm0, "all back: nr_free_pages %lu/%lu, memmap %ld/%ld", nr_free_pages(), free0,
		memmap_pages(), mm0);
}

int main(void)
{
	host_tap_init();
	host_scenario("page alloc all", page_alloc_all);
	host_scenario("page alloc bad input", page_alloc_bad_input);
	host_scenario("2M pool, HVO off", pool_2m_hvo_off);
	host_scenario("2M pool, HVO on", pool_2m_hvo_on);
	host_scenario("partial grow", pool_partial_grow);
	host_scenario("1G pool via alloc_contig_range", pool_1g_contig);
	host_scenario("boot-time pools", pool_boot);
	host_scenario("boot parameter errors", pool_boot_bad_params);
	host_scenario("take, give, surplus", pool_take_give);
	host_scenario("dissolve_free_huge_pages", pool_dissolve);
	host_scenario("shrink with every page taken", pool_shrink_exhausted);
	host_scenario("pool bad input", pool_bad_input);
	host_scenario("vm_check checks the pools", pool_vm_check_catches);
	host_scenario("random pool operations", pool_random_ops);
	return host_tap_done();
}
