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
 *   remove                       back to 0 */
#include <stdio.h>
#include "host/host_mm.h"
#include "mm/memory_hotplug.h"
#include "mm/hotplug_internal.h"
#include "mm/sparse.h"

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

int main(void)
{
	host_tap_init();
	cmdline = "mem=256M";
	host_scenario("arch undo, memmap on memory", hotplug_arch_undo);
	cmdline = "mem=256M memory_hotplug.memmap_on_memory=0";
	host_scenario("arch undo, memmap from the buddy", hotplug_arch_undo);
	return host_tap_done();
}
