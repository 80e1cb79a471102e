/* Host test of memory_hotplug.c's undo of a failed add, written against
 * mutants `make mutate` found surviving test_mm_hotplug (docs/reliability.md,
 * the mutation score): the host arch keeps no direct-map state, so a
 * failed add that skipped arch_remove_memory() (or called it for an
 * arch_add_memory() that failed) looked the same.  host_arch_added_bytes
 * counts what the arch was asked to map and not yet to unmap, as arm64's
 * page tables would hold it:
 *
 *   add ok                       +size
 *   add failing after the arch   0 (the undo removed it again)
 *   remove                       back to 0
 *
 * and refusals: an offline boot block is not removable, an eject of boot
 * memory is refused before it offlines anything, a failed driver-managed
 * add onlines nothing. */
#include <stdio.h>
#include "host/host_mm.h"
#include "mm/memory_hotplug.h"
#include "mm/hotplug_internal.h"
#include "mm/sparse.h"
#include "mm/buddy.h"
#include <pagoda/cmdline.h>

#define M128 (128UL << 20)

static const char *cmdline;

static void hotplug_arch_undo(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = cmdline };
	bool undone = true;
	unsigned long n;
	int rc = -1;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	host_ok(host_arch_added_bytes == 0, "boot: nothing added");
	for (n = 1; n <= 8 && rc; n++) {              /* the n-th allocation of a 2-block add fails */
		memhp_fail_nth_alloc = n;
		rc = add_memory(2 * M128, 2 * M128);
		memhp_fail_nth_alloc = 0;
		if (rc)
			undone &= rc == -ENOMEM && host_arch_added_bytes == 0 &&
				  !sparse_section_has(2, SECTION_PRESENT) && !sparse_section_has(3, SECTION_PRESENT);
	}
	host_ok(n > 2 && undone, "allocations 1..%lu failing: -ENOMEM, the arch's part undone (%llu bytes left)",
		n - 1 - !rc, (unsigned long long)host_arch_added_bytes);
	if (rc)
		host_ok(add_memory(2 * M128, 2 * M128) == 0, "an add without a failure");
	host_ok(host_arch_added_bytes == 2 * M128, "an add: 256 MiB added to the arch");
	host_ok(remove_memory(2 * M128, 2 * M128) == 0 && host_arch_added_bytes == 0, "and removed");
}

/* A boot block, even offline, is not removable (-EINVAL, still present);
 * a driver-managed add that fails onlines nothing, whatever the default
 * online policy (the block already there stays offline). */
static void hotplug_refusals(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=512M" };
	unsigned long busy = 0;
	int rc;

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	rc = offline_memory_block(2, &busy);
	host_ok(rc == 0, "boot block 2 offline (rc %d, busy %#lx)", rc, busy);
	host_ok(remove_memory(2 * M128, M128) == -EINVAL && sparse_section_has(2, SECTION_PRESENT | SECTION_EARLY),
		"remove of an offline boot block: -EINVAL, still present");
	host_ok(online_memory_block(2, MMOP_ONLINE) == 0, "online again");
	host_ok(offline_and_remove_memory(0, M128, &busy) == -EINVAL && sparse_section_has(0, SECTION_ONLINE),
		"eject of boot block 0: -EINVAL before any offline (not -EBUSY on the kernel's pages)");
	host_ok(add_memory(4 * M128, M128) == 0 && !sparse_section_has(4, SECTION_ONLINE), "block 4 added, offline");
	memhp_default_online_type = MMOP_ONLINE_MOVABLE;
	host_ok(add_memory_driver_managed(4 * M128, 2 * M128) != 0 && !sparse_section_has(4, SECTION_ONLINE) &&
		!sparse_section_has(5, SECTION_PRESENT), "driver-managed add over it fails, onlining nothing");
	memhp_default_online_type = MMOP_OFFLINE;
	host_ok(remove_memory(4 * M128, M128) == 0, "block 4 removed");
}

/* An eject of 65 blocks that fails on the last (a busy page) puts back
 * the 64 it offlined, in their zone: the offlined[] bitmap across its
 * first word boundary. */
static void hotplug_eject_65(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	const unsigned long first = 2, n = 65;
	unsigned long busy = 0, back = 0;
	struct page *p;

	host_mm_boot((first + n) * M128, &o);
	memory_blocks_init();
	host_ok(add_memory(first * M128, n * M128) == 0, "65 blocks added");
	for (unsigned long nr = first; nr < first + n; nr++)
		online_memory_block(nr, MMOP_ONLINE_MOVABLE);
	host_ok(sparse_section_has(first + n - 1, SECTION_ONLINE), "and onlined Movable");
	p = pfn_to_page(section_nr_to_pfn(first + n - 1) + PAGES_PER_SECTION - 1);
	host_ok(alloc_contig_range(page_to_pfn(p), page_to_pfn(p) + 1, ZONE_MOVABLE) == 0, "a busy page in the last");
	host_ok(offline_and_remove_memory(first * M128, n * M128, &busy) == -EBUSY && busy == page_to_pfn(p),
		"eject refused on it");
	for (unsigned long nr = first; nr < first + n; nr++)
		back += sparse_section_has(nr, SECTION_ONLINE) && sparse_section(nr)->zone == ZONE_MOVABLE;
	host_ok(back == n, "all %lu blocks online Movable again (%lu)", n, back);
	free_pages(p, 0);
	host_ok(offline_and_remove_memory(first * M128, n * M128, &busy) == 0, "eject after the free");
}

/* memory_hotplug.memmap_on_memory= takes each spelling Linux's bool
 * parameters take, and ignores anything else. */
static void hotplug_param(void)
{
	static const struct { const char *val; int want; } cases[] = {
		{ "1", 1 }, { "Y", 1 }, { "y", 1 }, { "on", 1 },
		{ "0", 0 }, { "N", 0 }, { "n", 0 }, { "off", 0 }, { "maybe", -1 }, { "", -1 },
	};
	struct host_mm_opts o = { .quiet = true };
	bool right = true;
	char line[80];

	host_mm_boot(256 * SZ_1M, &o);
	for (unsigned long i = 0; i < ARRAY_SIZE(cases); i++) {
		bool before = !(i & 1);                      /* the value it must keep when ignored */

		memhp_memmap_on_memory = cases[i].want < 0 ? before : !cases[i].want;
		snprintf(line, sizeof(line), "memory_hotplug.memmap_on_memory=%s", cases[i].val);
		cmdline_parse(line);
		if (memhp_memmap_on_memory != (cases[i].want < 0 ? before : cases[i].want)) {
			printf("# %s: %d\n", line, memhp_memmap_on_memory);
			right = false;
		}
	}
	host_ok(right, "memmap_on_memory= 1 Y y on / 0 N n off set it; maybe and empty leave it");
}

int main(void)
{
	host_tap_init();
	cmdline = "mem=256M";
	host_scenario("arch undo, memmap on memory", hotplug_arch_undo);
	cmdline = "mem=256M memory_hotplug.memmap_on_memory=0";
	host_scenario("arch undo, memmap from the buddy", hotplug_arch_undo);
	host_scenario("refusals", hotplug_refusals);
	host_scenario("eject of 65 blocks", hotplug_eject_65);
	host_scenario("memmap_on_memory= spellings", hotplug_param);
	return host_tap_done();
}
