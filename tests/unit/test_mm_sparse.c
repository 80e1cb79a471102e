/* Host test of mm/sparse.c and mm/memmap_init.c: which sections are
 * present, pfn_valid, reserved hole pages, the two-level section table,
 * and the speed of struct page initialisation (reported, target < 10 ns). */
#include <stdio.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/sparse.h"
#include "mm/memblock.h"
#include "mm/buddy.h"
#include "mm/mm_internal.h"
#include "mm/vmstat.h"

#define PFN(addr) ((unsigned long)((addr) >> PAGE_SHIFT))

/* RAM [0, 100M) and [300M, 600M): section 1 (128M-256M) has no RAM. */
static void sparse_holes(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long free_pfns = 0;
	int ran;

	o.map[0] = (struct boot_mem_range){ 0, 100 * SZ_1M, BOOT_MEM_USABLE };
	o.map[1] = (struct boot_mem_range){ 300 * SZ_1M, 300 * SZ_1M, BOOT_MEM_USABLE };
	o.nr_map = 2;
	host_mm_boot(600 * SZ_1M, &o);
	host_ok(sparse_section_has(0, SECTION_PRESENT | SECTION_ONLINE | SECTION_MEMMAP | SECTION_EARLY),
		"section 0 present, online, memmap, early");
	host_ok(!sparse_section_has(1, SECTION_PRESENT), "section 1 (no RAM) absent");
	host_ok(sparse_section_has(2, SECTION_PRESENT) && sparse_section_has(4, SECTION_PRESENT),
		"sections 2..4 present");
	host_ok(sparse_max_section() == 5, "max section 5 (got %lu)", sparse_max_section());
	host_ok(sparse_section(0)->nr_present_pages == PFN(100 * SZ_1M), "section 0 present pages");
	host_ok(!pfn_valid(PFN(200 * SZ_1M)), "pfn in absent section is not valid");
	host_ok(pfn_valid(PFN(110 * SZ_1M)) && page_test_flag(pfn_to_page(PFN(110 * SZ_1M)), PG_reserved),
		"hole page in present section is valid and PG_reserved");
	host_ok(page_test_flag(pfn_to_page(PFN(299 * SZ_1M)), PG_reserved) &&
		!page_test_flag(pfn_to_page(PFN(300 * SZ_1M)), PG_reserved),
		"hole below 300M reserved, RAM at 300M not");
	host_ok(page_test_flag(pfn_to_page(PFN(SZ_2M)), PG_reserved), "kernel image pages reserved");
	for (unsigned long pfn = 0; pfn < section_nr_to_pfn(5); pfn++)
		if (pfn_valid(pfn) && !page_test_flag(pfn_to_page(pfn), PG_reserved) &&
		    memblock_is_memory((phys_addr_t)pfn << PAGE_SHIFT))
			free_pfns++;
	host_ok(free_pfns == totalram_pages() && nr_free_pages() == totalram_pages(),
		"unreserved RAM pages == managed == free (%lu)", free_pfns);
	host_ok(zones[ZONE_NORMAL].present_pages == PFN(400 * SZ_1M), "zone present pages = RAM");
	host_ok(host_selftests("sparse_pfn_valid_hole", &ran) == 0 && ran == 1 && host_selftest_skips == 0,
		"selftest sparse_pfn_valid_hole finds the hole [100M, 128M) and checks it (no skip)");
}

/* RAM at 0 and at 64 GiB: sections 0 and 512 live under different root
 * pages of the two-level table; nothing in between is allocated. */
static void sparse_two_level(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long high = 64UL * SZ_1G;
	int ran;

	o.map[0] = (struct boot_mem_range){ 0, 128 * SZ_1M, BOOT_MEM_USABLE };
	o.map[1] = (struct boot_mem_range){ high, 128 * SZ_1M, BOOT_MEM_USABLE };
	o.nr_map = 2;
	host_mm_boot(128 * SZ_1M, &o);
	host_ok(SECTIONS_PER_ROOT == 256 && NR_SECTION_ROOTS == 2048, "256 sections per root, 2048 roots");
	host_ok(sparse_section_has(high >> SECTION_SIZE_BITS, SECTION_PRESENT | SECTION_MEMMAP),
		"section 512 present");
	host_ok(sparse_section(300) == NULL, "no root page for sections 256..511");
	host_ok(pfn_valid(PFN(high)) && !pfn_valid(PFN(high) - 1), "pfn_valid at the 64 GiB edge");
	host_ok(totalram_pages() == PFN(256 * SZ_1M - SZ_2M) - node_stat(NR_MEMMAP_BOOT_PAGES)
		- node_stat(NR_PAGE_TABLE_PAGES) - 2 - 1,
		"managed = RAM - kernel - memmap - page tables - 2 root pages - frame 0");
	host_ok(host_selftests("sparse_pfn_valid_hole", &ran) == 0 && ran == 1 && host_selftest_skips == 1,
		"selftest sparse_pfn_valid_hole: sections without a hole, reported as a skip");
}

/* memmap_init_section() over 8 sections (262144 struct pages) of junk:
 * every struct page comes out zero (zone Normal).  The time is a figure
 * printed for docs/performance.md, not a pass/fail check (host load). */
static void sparse_memmap_init_speed(void)
{
	struct host_mm_opts o = { .quiet = true };
	u64 t0, t1, pages = 8 * PAGES_PER_SECTION;
	const unsigned char *b;
	bool zero = true;

	host_mm_boot(SZ_1G, &o);
	b = (const unsigned char *)pfn_to_page(0);
	memset(pfn_to_page(0), HOST_PHYS_JUNK, pages * sizeof(struct page));
	t0 = host_now_ns();
	for (unsigned long nr = 0; nr < 8; nr++)
		memmap_init_section(nr, ZONE_NORMAL);
	t1 = host_now_ns();
	for (u64 i = 0; i < pages * sizeof(struct page); i++)
		zero &= b[i] == 0;
	printf("# memmap_init_section: %.2f ns/page (ASan build)\n", (double)(t1 - t0) / pages);
	host_ok(zero, "memmap_init_section: 262144 junk struct pages all zero (zone Normal)");
}

/* A section under a root page nobody has: the first alloc takes one page
 * from the buddy allocator for the root (zeroed: no state under it); the
 * remove of the last section under it frees the page and forgets the root
 * (sparse_section() NULL again); the max-section hint follows. */
static void sparse_root_round_trip(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long nr = 3 * SECTIONS_PER_ROOT + 7, free0, max0;
	struct mem_section *ms;
	bool zero = true;

	host_mm_boot(256 * SZ_1M, &o);
	free0 = nr_free_pages();
	max0 = sparse_max_section();
	host_ok(sparse_section(nr) == NULL, "no root for section %lu at boot", nr);
	ms = sparse_section_alloc(nr);
	for (unsigned long i = 0; ms && i < SECTIONS_PER_ROOT; i++)
		zero &= sparse_section(3 * SECTIONS_PER_ROOT + i)->state == 0;
	host_ok(ms && ms == sparse_section(nr) && zero && nr_free_pages() == free0 - 1,
		"section_alloc: one root page from the buddy allocator, every section in it empty");
	host_ok(sparse_max_section() == nr + 1, "max section hint %lu (want %lu)", sparse_max_section(), nr + 1);
	host_ok(sparse_section_alloc(nr) == ms && nr_free_pages() == free0 - 1, "a second alloc: same section");
	host_ok(sparse_section_alloc(nr + 1) == ms + 1 && nr_free_pages() == free0 - 1,
		"a second section under the same root takes no page");
	ms[0].state = ms[1].state = SECTION_PRESENT;           /* as an add would */
	ms[0].state = 0;
	sparse_section_remove(nr);
	host_ok(sparse_section(nr) == ms && nr_free_pages() == free0 - 1 && sparse_max_section() == nr + 2,
		"remove of one of two: the root stays");
	ms[1].state = 0;
	sparse_section_remove(nr + 1);
	host_ok(sparse_section(nr) == NULL && nr_free_pages() == free0,
		"remove of the last: root page freed and forgotten");
	host_ok(sparse_max_section() == max0, "max section hint back to %lu (%lu)", max0, sparse_max_section());
	/* the first section of a root counts like any other */
	ms = sparse_section_alloc(3 * SECTIONS_PER_ROOT);
	sparse_section_alloc(nr);
	ms->state = SECTION_PRESENT;
	sparse_section_remove(nr);
	host_ok(sparse_section(3 * SECTIONS_PER_ROOT) == ms && nr_free_pages() == free0 - 1,
		"remove while the root's section 0 is present: the root stays");
	ms->state = 0;
	sparse_section_remove(3 * SECTIONS_PER_ROOT);
	host_ok(sparse_section(nr) == NULL && nr_free_pages() == free0 && sparse_max_section() == max0,
		"then its remove frees the root");
	host_ok(sparse_section_alloc(NR_MEM_SECTIONS) == NULL, "section beyond NR_MEM_SECTIONS refused");
}

int main(void)
{
	host_tap_init();
	host_scenario("holes", sparse_holes);
	host_scenario("two-level table", sparse_two_level);
	host_scenario("root page round trip", sparse_root_round_trip);
	host_scenario("memmap init speed", sparse_memmap_init_speed);
	return host_tap_done();
}
