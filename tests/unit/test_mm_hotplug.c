/* Host test of memory hotplug (mm/memory_hotplug.c, memory_online.c,
 * hotplug_pgtable.c, memory_block.c) and of the mm-core fixes it needed:
 * add/online/offline/remove in both memmap_on_memory modes with exact
 * accounting, every bad request refused with nothing changed, injected
 * allocation failures in the middle of an add undone, a shared
 * self-hosted page table moved on remove; vmemmap populate undoing only
 * its own pages, free_pages of an absent section, the memblock limit,
 * vm_check on memmap/pgtable frames in free lists and stray vmemmap PTEs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagoda/pseudofs.h>
#include "host/host_mm.h"
#include "mm/memory_hotplug.h"
#include "mm/hotplug_internal.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/pgwalk.h"
#include "mm/vm_check.h"
#include "mm/vmstat.h"
#include "mm/memblock.h"
#include "mm/mm_internal.h"

#define M128 (128 * SZ_1M)
#define BLOCK_PAGES (M128 >> PAGE_SHIFT)

static char out[4096];

/* The counters a hotplug round trip must restore: meminfo, buddyinfo and
 * every vmstat page counter (event counters - TLB flushes, poison checks -
 * only grow). */
struct snap { char meminfo[2048], buddyinfo[512], vmstat[2048]; };

static void snap_take(struct snap *s)
{
	char vm[2048], *line, *save = NULL;

	host_cat("/proc/meminfo", s->meminfo, sizeof(s->meminfo));
	host_cat("/proc/buddyinfo", s->buddyinfo, sizeof(s->buddyinfo));
	host_cat("/proc/vmstat", vm, sizeof(vm));
	s->vmstat[0] = 0;
	for (line = strtok_r(vm, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "nr_tlb_", 7) && strncmp(line, "nr_page_poison_checked", 22) &&
		    strncmp(line, "nr_vmemmap_bbm", 14)) {
			strcat(s->vmstat, line);
			strcat(s->vmstat, "\n");
		}
}

static bool snap_same(const struct snap *a)
{
	struct snap b;

	snap_take(&b);
	if (strcmp(a->meminfo, b.meminfo))
		printf("# meminfo was:\n%s# now:\n%s", a->meminfo, b.meminfo);
	if (strcmp(a->vmstat, b.vmstat))
		printf("# vmstat was:\n%s# now:\n%s", a->vmstat, b.vmstat);
	if (strcmp(a->buddyinfo, b.buddyinfo))
		printf("# buddyinfo was:\n%s# now:\n%s", a->buddyinfo, b.buddyinfo);
	return !strcmp(a->meminfo, b.meminfo) && !strcmp(a->vmstat, b.vmstat) &&
	       !strcmp(a->buddyinfo, b.buddyinfo);
}

/* A shell line, "echo VALUE > PATH" written through pseudofs_write() (the
 * host shell has no redirection); output in out. */
static int shell(const char *line)
{
	char val[128], path[256];

	if (sscanf(line, "echo %127s > %255s", val, path) == 2) {
		int rc;

		out[0] = 0;
		host_printk_buf = out;
		host_printk_size = sizeof(out);
		rc = pseudofs_write(path, val);
		host_printk_buf = NULL;
		return rc;
	}
	return host_shell(line, out, sizeof(out));
}

/* One shell line; true if it printed exactly one line starting "error: ". */
static bool shell_error_line(const char *line)
{
	int rc = shell(line);

	return rc != 0 && !strncmp(out, "error: ", 7) && strchr(out, '\n') && !strchr(out, '\n')[1];
}

static void boot(const char *cmdline, u64 mem)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = cmdline };

	host_mm_boot(mem, &o);
	memory_blocks_init();
}

static bool pt_mapped(unsigned long nr)
{
	return host_probe_read(vmemmap_section_va(nr));
}

/* memmap_on_memory=1: add costs old memory nothing, online/offline/remove
 * move MemTotal/MemFree exactly, and everything comes back. */
static void hotplug_altmap_round_trip(void)
{
	struct snap base;
	unsigned long free0, busy = 0, nr = 2, altmap;
	long memmap0, pt0, total0;
	char msg[VM_CHECK_MSG_SIZE];

	boot("mem=256M", SZ_1G);
	snap_take(&base);
	free0 = nr_free_pages();
	memmap0 = node_stat(NR_MEMMAP_PAGES);
	pt0 = node_stat(NR_PAGE_TABLE_PAGES);
	total0 = totalram_pages();
	host_ok(add_memory(2 * M128, M128) == 0, "add [256M, 384M)");
	altmap = sparse_section(nr)->nr_altmap_pages;
	host_ok(nr_free_pages() == free0 && node_stat(NR_MEMMAP_PAGES) == memmap0 &&
		node_stat(NR_PAGE_TABLE_PAGES) == pt0 && node_stat(NR_MEMMAP_BOOT_PAGES) == 512 * 2,
		"old memory consumed: 0 pages (free %lu, memmap %ld, page tables %ld)",
		free0 - nr_free_pages(), node_stat(NR_MEMMAP_PAGES) - memmap0,
		node_stat(NR_PAGE_TABLE_PAGES) - pt0);
	host_ok(altmap == 513 && sparse_section_has(nr, SECTION_PRESENT | SECTION_MEMMAP | SECTION_SELF_HOSTED) &&
		!sparse_section_has(nr, SECTION_ONLINE), "offline block, 512 frames + 1 PTE table self-hosted (%lu)",
		altmap);
	host_ok(page_test_flag(pfn_to_page(section_nr_to_pfn(nr)), PG_vmemmap_self_hosted) &&
		page_test_flag(pfn_to_page(section_nr_to_pfn(nr) + 512), PG_pgtable) &&
		pte_pa(*pgwalk_pte(vmemmap_section_va(nr))) == (phys_addr_t)section_nr_to_pfn(nr) << PAGE_SHIFT,
		"vmemmap page 0 maps the block's own first frame; the PTE table is its frame 512");
	host_ok(host_vm_check(), "vm_check ok after add");
	host_ok(online_memory_block(nr, MMOP_ONLINE_KERNEL) == 0, "online kernel");
	host_ok(totalram_pages() == (unsigned long)total0 + BLOCK_PAGES - altmap &&
		nr_free_pages() == free0 + BLOCK_PAGES - altmap,
		"MemTotal and MemFree grow by 32768 - %lu pages", altmap);
	host_ok(host_vm_check(), "vm_check ok online");
	host_ok(remove_memory(2 * M128, M128) == -EBUSY, "remove of an online block: -EBUSY");
	host_ok(offline_memory_block(nr, &busy) == 0 && totalram_pages() == (unsigned long)total0 && nr_free_pages() == free0,
		"offline: MemTotal/MemFree back");
	host_ok(host_vm_check(), "vm_check ok offline");
	pfn_to_page(section_nr_to_pfn(nr) + 600)->refcount = 1;
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "memory blocks: memory2 is offline but pfn 0x10258"),
		"vm_check: a used page in an offline block: %s", msg);
	pfn_to_page(section_nr_to_pfn(nr) + 600)->refcount = 0;
	zones[ZONE_MOVABLE].present_pages++;
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "zone Movable: present_pages 1"),
		"vm_check: present_pages off: %s", msg);
	zones[ZONE_MOVABLE].present_pages--;
	host_ok(remove_memory(2 * M128, M128) == 0 && !pt_mapped(nr), "remove: vmemmap unmapped");
	host_ok(snap_same(&base), "meminfo, vmstat, buddyinfo back at baseline");
	host_ok(host_vm_check(), "vm_check ok after remove");
}

/* Two blocks, kernel and movable; an allocation in the Movable block makes
 * offline fail naming it; after the free everything goes. */
static void hotplug_zones_busy(void)
{
	struct snap base;
	unsigned long busy = 0, pfn;
	struct page *p;

	boot("mem=256M", SZ_1G);
	snap_take(&base);
	host_ok(add_memory(2 * M128, 2 * M128) == 0, "add 2 blocks");
	host_ok(host_shell("cat /sys/devices/system/memory/memory3/valid_zones", out, sizeof(out)) == 0 &&
		!strcmp(out, "Normal Movable\n"), "valid_zones offline: %.14s", out);
	host_ok(shell("echo online_kernel > /sys/devices/system/memory/memory2/state") == 0,
		"echo online_kernel > memory2/state");
	host_ok(shell("echo online_movable > /sys/devices/system/memory/memory3/state") == 0,
		"echo online_movable > memory3/state");
	host_shell("cat /sys/devices/system/memory/memory3/valid_zones", out, sizeof(out));
	host_ok(!strcmp(out, "Movable\n"), "valid_zones online movable: %.7s", out);
	host_shell("cat /proc/buddyinfo", out, sizeof(out));
	host_ok(strstr(out, "zone  Movable") != NULL, "buddyinfo has a Movable line");
	sparse_section(3)->state |= SECTION_ISOLATED;
	p = alloc_pages(0, ZONE_MOVABLE);
	host_ok(p && pfn_to_section_nr(page_to_pfn(p)) != 3 && page_zone_id(p) == ZONE_NORMAL,
		"block 3 isolated: a movable allocation falls back to Normal (pfn %#lx)", p ? page_to_pfn(p) : 0);
	free_pages(p, 0);
	sparse_section(3)->state &= ~SECTION_ISOLATED;
	p = alloc_pages(0, ZONE_MOVABLE);
	pfn = page_to_pfn(p);
	host_ok(pfn_to_section_nr(pfn) == 3, "a movable allocation comes from block 3 (pfn %#lx)", pfn);
	host_ok(offline_memory_block(3, &busy) == -EBUSY && busy == pfn, "offline refused, busy pfn %#lx", busy);
	host_ok(!sparse_section_has(3, SECTION_ISOLATED) && sparse_section_has(3, SECTION_ONLINE) && host_vm_check(),
		"isolation undone, still online");
	host_ok(shell_error_line("echo offline > /sys/devices/system/memory/memory3/state") &&
		strstr(out, "pfn") && strstr(out, "allocated page"), "%.*s", (int)strcspn(out, "\n"), out);
	free_pages(p, 0);
	host_ok(offline_memory_block(3, &busy) == 0 && offline_memory_block(2, &busy) == 0, "both offline");
	host_ok(host_shell("lsmem", out, sizeof(out)) == 0, "lsmem");
	host_ok(strstr(out, "RANGE                                  SIZE   STATE REMOVABLE BLOCK\n") &&
		strstr(out, "0x0000000000000000-0x000000000fffffff  256M  online       yes   0-1\n") &&
		strstr(out, "0x0000000010000000-0x000000001fffffff  256M offline       yes   2-3\n") &&
		strstr(out, "\nMemory block size:       128M\nTotal online memory:     256M\n"
			    "Total offline memory:    256M\n"), "lsmem format");
	host_ok(host_shell("mem remove 0x10000000 256M", out, sizeof(out)) == 0, "mem remove: %.*s",
		(int)strcspn(out, "\n"), out);
	host_ok(snap_same(&base) && host_vm_check(), "baseline after both zones");
}

/* Bad requests: one error line each, nothing changed, vm_check ok. */
static void hotplug_bad_requests(void)
{
	static const char *const bad[] = {
		"mem add 0x10001000 128M",       /* misaligned start */
		"mem add 0x10000000 64M",        /* misaligned size */
		"mem add 0x10000000 0",          /* zero */
		"mem add 0x0 128M",              /* boot memory */
		"mem add 0x8000000 256M",        /* overlaps boot memory */
		"mem add 0x40000000 128M",       /* beyond the firmware map */
		"mem add 0x38000000 128M",       /* holds a boot reservation */
		"mem add 0x7fffff8000000000 128M", /* beyond every limit */
		"mem add 0x18000000 128M",       /* already added */
		"mem remove 0x18000000 128M",    /* online */
		"mem remove 0x0 128M",           /* boot memory */
		"mem remove 0x20000000 128M",    /* absent */
		"mem remove 0x18000000 0",       /* zero */
		"mem add 0x18000000",            /* usage */
		"echo 0x18000000 > /sys/devices/system/memory/probe",   /* present */
		"echo 0x38000000 > /sys/devices/system/memory/probe",   /* holds a boot reservation */
		"echo online > /sys/devices/system/memory/memory3/state",   /* already online */
		"echo sideways > /sys/devices/system/memory/memory3/state",
		"echo maybe > /sys/devices/system/memory/auto_online_blocks",
	};
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	struct snap base;

	o.reserved[0] = (struct boot_mem_range){ 0x38010000, 0x2000, BOOT_MEM_USABLE };  /* an "image" */
	o.nr_reserved = 1;
	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	host_ok(host_shell("mem add 0x18000000 128M", out, sizeof(out)) == 0 && strstr(out, "mem: added memory3"),
		"mem add: %.*s", (int)strcspn(out, "\n"), out);
	host_ok(online_memory_block(3, MMOP_ONLINE) == 0, "online (default zone)");
	snap_take(&base);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bool one = shell_error_line(bad[i]);

		out[strcspn(out, "\n")] = 0;
		host_ok(one && snap_same(&base) && host_vm_check(), "%s -> %s", bad[i], out);
	}
	host_ok(shell("echo 0x20000000 > /sys/devices/system/memory/probe") == 0 && sparse_section_has(4, SECTION_ONLINE) &&
		sparse_section(4)->zone == ZONE_NORMAL, "probe adds block 4 and onlines it (auto_online_blocks online)");
	host_ok(shell("echo offline > /sys/devices/system/memory/auto_online_blocks") == 0 &&
		shell("echo 0x28000000 > /sys/devices/system/memory/probe") == 0 && sparse_section_has(5, SECTION_MEMMAP) &&
		!sparse_section_has(5, SECTION_ONLINE), "auto_online_blocks offline: probe leaves block 5 offline");
	host_ok(shell("cat /sys/devices/system/memory/auto_online_blocks") == 0 && !strcmp(out, "offline\n"),
		"auto_online_blocks reads back");
	host_ok(add_memory(0x10001000, M128) == -EINVAL && add_memory(3 * M128, M128) == -EEXIST &&
		add_memory(0, 0) == -EINVAL && add_memory(1UL << 50, M128) == -ERANGE &&
		add_memory(4 * M128, 1UL << 40) == -ERANGE, "add_memory errnos");
}

/* memmap_on_memory=0: old memory pays exactly 512 frames + the PTE table,
 * charged to nr_memmap_pages and nr_page_table_pages, and gets them back. */
static void hotplug_buddy_mode(void)
{
	struct snap base;
	unsigned long free0, busy;
	long memmap0, pt0, total0;

	boot("mem=256M memory_hotplug.memmap_on_memory=0", SZ_1G);
	host_shell("cat /sys/module/memory_hotplug/parameters/memmap_on_memory", out, sizeof(out));
	host_ok(!strcmp(out, "N\n"), "memmap_on_memory: %c", out[0]);
	snap_take(&base);
	free0 = nr_free_pages();
	memmap0 = node_stat(NR_MEMMAP_PAGES);
	pt0 = node_stat(NR_PAGE_TABLE_PAGES);
	total0 = totalram_pages();
	host_ok(add_memory(2 * M128, 2 * M128) == 0, "add 2 blocks");
	host_ok(node_stat(NR_MEMMAP_PAGES) == memmap0 + 1024 && node_stat(NR_PAGE_TABLE_PAGES) == pt0 + 2 &&
		nr_free_pages() == free0 - 1024 - 2, "old memory pays 2 x (512 frames + 1 table): free -%lu",
		free0 - nr_free_pages());
	host_ok(sparse_section(2)->nr_altmap_pages == 0 && !sparse_section_has(2, SECTION_SELF_HOSTED),
		"no altmap");
	host_ok(online_memory_block(2, MMOP_ONLINE_MOVABLE) == 0 && online_memory_block(3, MMOP_ONLINE) == 0,
		"online movable, then default");
	host_ok(sparse_section(3)->zone == ZONE_MOVABLE, "default zone next to Movable only: Movable");
	host_ok(totalram_pages() == (unsigned long)total0 + 2 * BLOCK_PAGES, "MemTotal grows by the whole blocks");
	host_ok(host_vm_check(), "vm_check ok");
	host_ok(offline_and_remove_memory(2 * M128, 2 * M128, &busy) == 0, "offline_and_remove_memory");
	host_ok(snap_same(&base) && host_vm_check(), "baseline: frames and tables given back");
}

/* The DIMM path: memhp_default_state=online_movable onlines what
 * add_memory_driver_managed() adds, silently; offline_and_remove_memory()
 * refused by a busy page names it and leaves both blocks online in their
 * zone; after the free it removes both. */
static void hotplug_driver_managed(void)
{
	char buf[256] = "";
	struct snap base;
	unsigned long busy = 0, pfn;
	struct page *p;
	int rc;

	boot("mem=256M memhp_default_state=online_movable", SZ_1G);
	snap_take(&base);
	host_ok(shell("cat /sys/devices/system/memory/auto_online_blocks") == 0 && !strcmp(out, "online_movable\n"),
		"auto_online_blocks from memhp_default_state");
	host_printk_buf = buf;
	host_printk_size = sizeof(buf);
	host_ok(add_memory_driver_managed(4 * M128, 2 * M128) == 0, "add_memory_driver_managed 256M");
	host_printk_buf = NULL;
	host_ok(!buf[0], "prints nothing (%zu bytes)", strlen(buf));
	host_ok(sparse_section_has(4, SECTION_ONLINE) && sparse_section_has(5, SECTION_ONLINE) &&
		sparse_section(4)->zone == ZONE_MOVABLE && sparse_section(5)->zone == ZONE_MOVABLE,
		"both blocks online Movable");
	p = alloc_pages(0, ZONE_MOVABLE);
	pfn = page_to_pfn(p);
	rc = offline_and_remove_memory(4 * M128, 2 * M128, &busy);
	host_ok(rc == -EBUSY && busy == pfn, "eject refused: busy pfn %#lx (allocated %#lx)", busy, pfn);
	host_ok(sparse_section_has(4, SECTION_ONLINE) && sparse_section_has(5, SECTION_ONLINE) &&
		sparse_section(4)->zone == ZONE_MOVABLE && sparse_section(5)->zone == ZONE_MOVABLE && host_vm_check(),
		"both blocks online Movable again");
	free_pages(p, 0);
	host_ok(offline_and_remove_memory(4 * M128, 2 * M128, &busy) == 0, "eject after the free");
	host_ok(snap_same(&base) && host_vm_check(), "baseline");
}

/* offline_and_remove_memory() of an offline block and a busy online one:
 * refused, and the put-back onlines only what it offlined (the offline
 * block stays offline, the busy one online Movable). */
static void hotplug_eject_mixed(void)
{
	struct snap base;
	unsigned long busy = 0;
	struct page *p;

	boot("mem=256M", SZ_1G);
	snap_take(&base);
	host_ok(add_memory(4 * M128, 2 * M128) == 0 && online_memory_block(5, MMOP_ONLINE_MOVABLE) == 0,
		"blocks 4 (offline) and 5 (online Movable) added");
	p = alloc_pages(0, ZONE_MOVABLE);
	host_ok(p && offline_and_remove_memory(4 * M128, 2 * M128, &busy) == -EBUSY && busy == page_to_pfn(p),
		"eject refused, naming the busy page");
	host_ok(!sparse_section_has(4, SECTION_ONLINE) && sparse_section_has(5, SECTION_ONLINE) &&
		sparse_section(5)->zone == ZONE_MOVABLE && host_vm_check(),
		"put back: block 4 still offline, block 5 online Movable");
	free_pages(p, 0);
	host_ok(offline_and_remove_memory(4 * M128, 2 * M128, &busy) == 0 && snap_same(&base) && host_vm_check(),
		"eject after the free: baseline");
}

/* The n-th allocation of an add fails, for every n: nothing is left. */
static void hotplug_inject(bool altmap)
{
	struct snap base;
	int rc = -1;

	boot(altmap ? "mem=256M" : "mem=256M memory_hotplug.memmap_on_memory=0", SZ_1G);
	snap_take(&base);
	for (unsigned long n = 1; n < 3000 && rc; n++) {
		bool same;

		memhp_fail_nth_alloc = n;
		rc = add_memory(2 * M128, 3 * M128);
		memhp_fail_nth_alloc = 0;
		if (!rc)
			break;
		same = rc == -ENOMEM && snap_same(&base) && host_vm_check() && !sparse_section(2)->state &&
		       !sparse_section(4)->state && !pt_mapped(2) && !pt_mapped(4);
		if (!same || n % 500 == 1 || n == 513 || n == 514)
			host_ok(same, "allocation %lu fails: -ENOMEM, nothing left (rc %d)", n, rc);
		if (!same)
			return;
	}
	host_ok(rc == 0, "an add with no injected failure succeeds");
	host_ok(remove_memory(2 * M128, 3 * M128) == 0 && snap_same(&base), "and removes to baseline");
}
static void hotplug_inject_altmap(void) { hotplug_inject(true); }
static void hotplug_inject_buddy(void) { hotplug_inject(false); }

/* The pfn of the table holding section nr's vmemmap PTE table entry (the
 * PMD table): false if there is none. */
static bool vmemmap_pmd_pfn(unsigned long nr, unsigned long *pfn)
{
	phys_addr_t tables[PT_LEVELS];

	if (pgwalk_tables(vmemmap_section_va(nr), tables) < PT_LEVELS)
		return false;
	*pfn = tables[PT_LEVELS - 2] >> PAGE_SHIFT;
	return true;
}

/* Blocks at 64 GiB need a new vmemmap PMD table: block A hosts it; removing
 * A while B uses it moves the table into a buddy page (nr_page_table_pages
 * +1); removing B frees it; all counters come back. */
static void hotplug_table_move(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	phys_addr_t a = 64 * SZ_1G;
	struct snap base;
	unsigned long free0, nra = a >> (PAGE_SHIFT + PFN_SECTION_SHIFT), pmd = 0;
	long pt0;
	int rc;

	o.map[0] = (struct boot_mem_range){ 0, 256 * SZ_1M, BOOT_MEM_USABLE };
	o.map[1] = (struct boot_mem_range){ a, 2 * M128, BOOT_MEM_USABLE };
	o.nr_map = 2;
	host_mm_boot(256 * SZ_1M, &o);
	memory_blocks_init();
	snap_take(&base);
	free0 = nr_free_pages();
	pt0 = node_stat(NR_PAGE_TABLE_PAGES);
	rc = add_memory(a, M128);
	host_ok(rc == 0 && sparse_section(nra)->nr_altmap_pages == 514,
		"block A at 64G hosts its PTE table and the new PMD table (%u)",
		rc ? 0 : sparse_section(nra)->nr_altmap_pages);
	host_ok(nr_free_pages() == free0 - 1 && node_stat(NR_PAGE_TABLE_PAGES) == pt0,
		"old memory: only the section root page (free -%lu)", free0 - nr_free_pages());
	host_ok(add_memory(a + M128, M128) == 0 && sparse_section(nra + 1)->nr_altmap_pages == 513,
		"block B shares A's PMD table");
	host_ok(host_vm_check(), "vm_check ok");
	host_ok(mhp_count_moves(vmemmap_section_va(nra), vmemmap_section_va(nra + 1), a, a + M128) == 1,
		"removing A must move 1 table");
	memhp_fail_nth_alloc = 1;
	host_ok(remove_memory(a, M128) == -ENOMEM && pt_mapped(nra) && host_vm_check(),
		"no page for the move: remove fails, nothing changed");
	memhp_fail_nth_alloc = 0;
	host_ok(online_memory_block(nra + 1, MMOP_ONLINE_KERNEL) == 0 && host_vm_check(), "B online (Normal)");
	host_ok(remove_memory(a, M128) == 0 && !pt_mapped(nra) && pt_mapped(nra + 1),
		"remove A: B's struct pages still mapped");
	host_ok(node_stat(NR_PAGE_TABLE_PAGES) == pt0 + 1, "the moved PMD table is a buddy page now (page tables +1)");
	rc = vmemmap_pmd_pfn(nra + 1, &pmd);
	host_ok(rc && sparse_section_has(pfn_to_section_nr(pmd), SECTION_EARLY) &&
		page_test_flag(pfn_to_page(pmd), PG_pgtable), "it was taken from boot memory, not from B (pfn %#lx)", pmd);
	host_ok(host_vm_check(), "vm_check ok");
	{
		unsigned long busy;
		host_ok(offline_memory_block(nra + 1, &busy) == 0, "B offlines (no table pins it)");
	}
	host_ok(remove_memory(a + M128, M128) == 0 && snap_same(&base) && host_vm_check(),
		"remove B: PMD table and root page freed, baseline");
}

/* ---------------------------------------------------------------- fix-first */

static phys_addr_t owner_frame;
static phys_addr_t owner_table(void) { return mm_alloc_meta_page(); }

/* vmemmap_populate_section() hitting another owner's PTE (-EEXIST) undoes
 * only the pages it mapped itself: the owner's page stays mapped, its frame
 * is not freed, counters come back. */
static void fix_populate_eexist(void)
{
	unsigned long nr = 2, va, free0;
	long memmap0;
	int rc;

	boot("mem=256M", SZ_1G);
	va = vmemmap_section_va(nr) + 5 * PAGE_SIZE;
	owner_frame = (phys_addr_t)page_to_pfn(alloc_pages(0, ZONE_NORMAL)) << PAGE_SHIFT;
	host_ok(pgwalk_map_page(va, owner_frame, PROT_KERNEL_RW, owner_table) == 0, "another owner maps page 5");
	free0 = nr_free_pages();
	memmap0 = node_stat(NR_MEMMAP_PAGES);
	rc = vmemmap_populate_section(nr, &vmemmap_alloc_buddy);
	host_ok(rc == -EEXIST, "populate: -EEXIST (%d)", rc);
	host_ok(pgwalk_pte(va) && pte_present(*pgwalk_pte(va)) && pte_pa(*pgwalk_pte(va)) == owner_frame,
		"the owner's page 5 is still mapped to its frame");
	host_ok(!pt_mapped(nr) && nr_free_pages() == free0 && node_stat(NR_MEMMAP_PAGES) == memmap0,
		"pages 0-4 unmapped and given back");
	host_ok(pfn_to_page(owner_frame >> PAGE_SHIFT)->refcount == 1 &&
		!page_test_flag(pfn_to_page(owner_frame >> PAGE_SHIFT), PG_buddy), "the owner's frame was not freed");
}

/* free_pages() of a pfn in an absent section reports a bad free instead of
 * reading the zone out of an unmapped struct page. */
static void fix_free_absent(void)
{
	boot("mem=256M", SZ_1G);
	host_ok(HOST_EXPECT_PANIC(free_pages(pfn_to_page(section_nr_to_pfn(5)), 0)) &&
		strstr(host_panic_msg, "bad free") && strstr(host_panic_msg, "0x28000"),
		"panic: %s", host_panic_msg);
}

/* RAM above the direct map is ignored with a warning; memblock never
 * allocates above its current limit. */
static void fix_memblock_limit(void)
{
	struct host_mm_opts o = { .cmdline = "", .direct_map_size = 512 * SZ_1M };
	char buf[2048] = "";
	phys_addr_t pa;

	host_printk_buf = buf;
	host_printk_size = sizeof(buf);
	host_mm_boot(SZ_1G, &o);
	host_printk_buf = NULL;
	host_ok(strstr(buf, "memblock: RAM [0x20000000, 0x40000000) is beyond the direct map") != NULL,
		"warning line: %.80s", strstr(buf, "memblock: RAM") ? strstr(buf, "memblock: RAM") : buf);
	host_ok(memblock_end_of_ram() == 512 * SZ_1M && totalram_pages() < (512 * SZ_1M) >> PAGE_SHIFT,
		"RAM ends at 512M (%#llx)", (unsigned long long)memblock_end_of_ram());
	memblock.retired = false;
	memblock_set_current_limit(64 * SZ_1M);
	pa = memblock_alloc_try(SZ_2M, PAGE_SIZE);
	host_ok(pa && pa + SZ_2M <= 64 * SZ_1M, "allocation below the current limit (%#llx)", (unsigned long long)pa);
	memblock_set_current_limit(0);
	memblock.retired = true;
}

/* vm_check reports a PG_memmap or PG_pgtable frame on a free list, and a
 * vmemmap PTE under a section whose root page is absent. */
static void fix_vm_check(void)
{
	char msg[VM_CHECK_MSG_SIZE];
	struct zone *z = &zones[ZONE_NORMAL];
	struct page *p;
	unsigned long va, frame;

	boot("mem=256M", SZ_1G);
	p = list_first_entry(&z->free_area[3].free_list, struct page, lru);
	page_set_flag(p + 2, PG_memmap);
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "PG_memmap"), "memmap frame in a free block: %s", msg);
	page_clear_flag(p + 2, PG_memmap);
	page_set_flag(p, PG_pgtable);
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "PG_pgtable"), "pgtable frame on a list: %s", msg);
	page_clear_flag(p, PG_pgtable);
	host_ok(host_vm_check(), "clean again");
	va = vmemmap_section_va(SECTIONS_PER_ROOT * 3 + 7);
	frame = page_to_pfn(alloc_pages(0, ZONE_NORMAL));
	host_ok(!sparse_section(SECTIONS_PER_ROOT * 3 + 7), "section %lu has no root page",
		SECTIONS_PER_ROOT * 3 + 7);
	pgwalk_map_page(va + 9 * PAGE_SIZE, (phys_addr_t)frame << PAGE_SHIFT, PROT_KERNEL_RW, owner_table);
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "stray"), "stray vmemmap PTE: %s", msg);
}

/* A failed add's undo asks for the flush its teardown needs: a global one
 * (walk caches may hold the unlinked tables) when it freed a table, none
 * when it freed nothing.  Buddy mode, one block: allocations 1 and 2 fail
 * before the block has a table of its own; from 3 on the undo prunes the
 * new vmemmap PTE table.  The host has no TLB: the flush is seen as
 * nr_tlb_local_flush_all. */
static void hotplug_undo_flush(void)
{
	u64 all0, d[7] = { 0 };
	int rc, bad = 0;

	boot("mem=256M memory_hotplug.memmap_on_memory=0", SZ_1G);
	for (unsigned long n = 1; n <= 6; n++) {
		all0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
		memhp_fail_nth_alloc = n;
		rc = add_memory(2 * M128, M128);
		memhp_fail_nth_alloc = 0;
		d[n] = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) - all0;
		bad += rc != -ENOMEM || d[n] != (n >= 3);
	}
	host_ok(!bad, "undo flushes: global flushes after failing allocation 1..6: %llu %llu %llu %llu %llu %llu",
		(unsigned long long)d[1], (unsigned long long)d[2], (unsigned long long)d[3],
		(unsigned long long)d[4], (unsigned long long)d[5], (unsigned long long)d[6]);
}

int main(void)
{
	host_tap_init();
	host_scenario("altmap round trip", hotplug_altmap_round_trip);
	host_scenario("zones and busy offline", hotplug_zones_busy);
	host_scenario("bad requests", hotplug_bad_requests);
	host_scenario("memmap_on_memory=0", hotplug_buddy_mode);
	host_scenario("driver-managed add, eject", hotplug_driver_managed);
	host_scenario("injected failures, altmap", hotplug_inject_altmap);
	host_scenario("injected failures, buddy", hotplug_inject_buddy);
	host_scenario("shared table move", hotplug_table_move);
	host_scenario("fix: populate -EEXIST", fix_populate_eexist);
	host_scenario("fix: free of an absent section", fix_free_absent);
	host_scenario("fix: memblock limit", fix_memblock_limit);
	host_scenario("fix: vm_check", fix_vm_check);
	host_scenario("undo flushes what it freed", hotplug_undo_flush);
	host_scenario("eject of an offline and a busy block", hotplug_eject_mixed);
	return host_tap_done();
}
