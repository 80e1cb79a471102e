/* Host test of mm/memblock.c through the real mm_init(): the firmware map
 * becomes memory minus firmware ranges minus the kernel, mem= cuts RAM as
 * Linux does, allocations are top-down and zeroed, and memblock is retired
 * (allocation panics) once the buddy allocator runs. */
#include <stdio.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/memblock.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/mm_internal.h"

/* 512 MiB with a PC-like low map: usable [0, 0x9fc00), reserved up to 1 MiB,
 * usable [1 MiB, 300 MiB), ACPI [300 MiB, 301 MiB), usable to 512 MiB. */
static void pc_map(struct host_mm_opts *o)
{
	o->map[0] = (struct boot_mem_range){ 0, 0x9fc00, BOOT_MEM_USABLE };
	o->map[1] = (struct boot_mem_range){ 0x9fc00, 0x100000 - 0x9fc00, BOOT_MEM_RESERVED };
	o->map[2] = (struct boot_mem_range){ 0x100000, 300 * SZ_1M - 0x100000, BOOT_MEM_USABLE };
	o->map[3] = (struct boot_mem_range){ 300 * SZ_1M, SZ_1M, BOOT_MEM_ACPI };
	o->map[4] = (struct boot_mem_range){ 301 * SZ_1M, 211 * SZ_1M, BOOT_MEM_USABLE };
	o->nr_map = 5;
	o->quiet = true;
}

static void memblock_firmware_map(void)
{
	struct host_mm_opts o = { 0 };

	pc_map(&o);
	host_mm_boot(512 * SZ_1M, &o);
	host_ok(memblock.memory.cnt == 3, "memory has 3 regions (got %d)", memblock.memory.cnt);
	host_ok(memblock.memory.regions[0].size == 0x9f000, "low region rounded down to pages");
	host_ok(!memblock_is_memory(300 * SZ_1M) && memblock_is_memory(301 * SZ_1M),
		"ACPI range is not memory");
	host_ok(memblock.memory.total == 0x9f000 + (299 + 211) * SZ_1M, "memory total %#llx",
		(unsigned long long)memblock.memory.total);
	host_ok(memblock_is_reserved(SZ_2M) && memblock_is_reserved(4 * SZ_1M - 1),
		"kernel image reserved");
	host_ok(memblock.kernel_bytes == SZ_2M + PAGE_SIZE, "boot reservations: kernel + frame 0 = %llu bytes",
		(unsigned long long)memblock.kernel_bytes);
	/* frame 0, the kernel, the memmap block (2 MiB aligned) and the page
	 * tables + section root page above it: thousands of boot pages in
	 * four regions. */
	host_ok(memblock.reserved.cnt <= 4, "boot allocations merged into few regions (%d)",
		memblock.reserved.cnt);
	host_ok(memblock.reserved.regions[memblock.reserved.cnt - 1].base +
		memblock.reserved.regions[memblock.reserved.cnt - 1].size == 512 * SZ_1M,
		"allocations are top-down (last reserved region ends at RAM end)");
	host_ok(totalram_pages() * PAGE_SIZE == memblock.memory.total - memblock.reserved.total,
		"managed = memory - reserved");
	host_ok(HOST_EXPECT_PANIC(memblock_alloc_phys(PAGE_SIZE, PAGE_SIZE)) &&
		strstr(host_panic_msg, "retired"), "allocation after retirement panics: %s",
		host_panic_msg);
}

static void memblock_mem_limit(void)
{
	struct host_mm_opts o = { 0 };

	pc_map(&o);
	o.cmdline = "mem=256M";
	host_mm_boot(512 * SZ_1M, &o);
	host_ok(memblock.memory.total == 256 * SZ_1M, "mem=256M keeps 256 MiB of RAM (%#llx)",
		(unsigned long long)memblock.memory.total);
	/* 0x9f000 low + RAM from 1 MiB: the cut lies above 256 MiB by the low holes. */
	host_ok(memblock_end_of_ram() == 0x100000 + 256 * SZ_1M - 0x9f000,
		"cut at the address where 256 MiB are covered (%#llx)",
		(unsigned long long)memblock_end_of_ram());
	host_ok(sparse_max_section() == 3, "3 sections present");
}

/* A mem= too small to boot, or not a size, is refused at parse time with a
 * warning and changes nothing (a tiny one used to panic in the memmap
 * refill).  One boot per scenario: bad_mem is set before the fork. */
static const char *bad_mem;

static void memblock_mem_limit_refused(void)
{
	struct host_mm_opts o = { .quiet = true };

	pc_map(&o);
	o.cmdline = bad_mem;
	host_mm_boot(512 * SZ_1M, &o);
	host_ok(memblock.mem_limit == 0 && memblock_end_of_ram() == 512 * SZ_1M,
		"%s ignored: RAM ends at %#llx", bad_mem,
		(unsigned long long)memblock_end_of_ram());
}

/* Is every byte of [p, p + n) equal to c? */
static bool host_all_bytes(const void *p, size_t n, unsigned char c)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != c)
			return false;
	return true;
}

static void memblock_alloc_rules(void)
{
	struct host_mm_opts o = { .quiet = true, .memblock_only = true };
	phys_addr_t a, b;
	u64 before;

	o.map[0] = (struct boot_mem_range){ 0, 256 * SZ_1M, BOOT_MEM_USABLE };
	o.nr_map = 1;
	host_mm_boot(256 * SZ_1M, &o);           /* memblock only, no mm_init */
	before = memblock.reserved.total;
	a = memblock_alloc_phys(3 * PAGE_SIZE, SZ_1M);
	b = memblock_alloc_phys(PAGE_SIZE, PAGE_SIZE);
	host_ok(a == 255 * SZ_1M, "first allocation at the top, aligned (%#llx)", (unsigned long long)a);
	host_ok(b == 256 * SZ_1M - PAGE_SIZE, "second allocation takes the highest free page (%#llx)", (unsigned long long)b);
	host_ok(memblock.reserved.total == before + 4 * PAGE_SIZE, "sizes rounded to pages, reserved");
	host_ok(host_all_bytes(__va(a), 3 * PAGE_SIZE, 0) && host_all_bytes(__va(b), PAGE_SIZE, 0) &&
		host_all_bytes(__va(a + 3 * PAGE_SIZE), PAGE_SIZE, HOST_PHYS_JUNK),
		"allocations zeroed, every byte (the page above is still junk)");
	host_ok(HOST_EXPECT_PANIC(memblock_alloc_phys(SZ_1G, PAGE_SIZE)) &&
		strstr(host_panic_msg, "out of memory"), "exhaustion panics: %s", host_panic_msg);
}

int main(void)
{
	host_tap_init();
	host_scenario("firmware map", memblock_firmware_map);
	host_scenario("mem=", memblock_mem_limit);
	static const char *const bad[] = { "mem=3M", "mem=31M", "mem=12x", "mem=" };
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		bad_mem = bad[i];
		host_scenario(bad[i], memblock_mem_limit_refused);
	}
	host_scenario("alloc rules", memblock_alloc_rules);
	return host_tap_done();
}
