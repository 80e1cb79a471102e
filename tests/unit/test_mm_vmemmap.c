/* Host test of mm/sparse_vmemmap.c and mm/pgwalk.c: struct pages of
 * present sections are backed by real mappings and nothing else is, the
 * counters match the frames, the walker refuses the direct map's blocks,
 * and one PTE can be remapped read-only (as HVO will) so writes fault. */
#include <stdio.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/pgwalk.h"
#include "mm/buddy.h"
#include "mm/vmstat.h"
#include "mm/mm_internal.h"
#include "mm/memblock.h"
#include "mm/memory_hotplug.h"

static void vmemmap_backing(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long va, frames = 0;
	char buf[4096];

	host_mm_boot(256 * SZ_1M, &o);
	host_ok(host_probe_write((unsigned long)pfn_to_page(0)) &&
		host_probe_write((unsigned long)(pfn_to_page(section_nr_to_pfn(2)) - 1) + 63),
		"struct pages of sections 0 and 1 are writable");
	host_ok(!host_probe_read((unsigned long)pfn_to_page(section_nr_to_pfn(2))),
		"struct pages of absent section 2 are not mapped");
	for (va = vmemmap_section_va(0); va < vmemmap_section_va(2); va += PAGE_SIZE) {
		pte_t *ep = pgwalk_pte(va);
		if (ep && pte_present(*ep) && pte_writable(*ep) &&
		    page_test_flag(pfn_to_page(pte_pa(*ep) >> PAGE_SHIFT), PG_memmap) &&
		    page_test_flag(pfn_to_page(pte_pa(*ep) >> PAGE_SHIFT), PG_reserved))
			frames++;
	}
	host_ok(frames == 1024 && node_stat(NR_MEMMAP_BOOT_PAGES) == 1024 && node_stat(NR_MEMMAP_PAGES) == 0,
		"1024 RW memmap frames, all PG_memmap|PG_reserved, = nr_memmap_boot_pages");
	host_ok(node_stat(NR_PAGE_TABLE_PAGES) >= 2 && node_stat(NR_PAGE_TABLE_PAGES) <= 5,
		"page tables: one PTE table per section plus uppers (%ld)", node_stat(NR_PAGE_TABLE_PAGES));
	host_cat("/proc/meminfo", buf, sizeof(buf));
	host_ok(host_field(buf, "PageTables") == node_stat(NR_PAGE_TABLE_PAGES) * 4, "PageTables in meminfo");
}

/* The frame behind vmemmap page i of section nr. */
static phys_addr_t vmemmap_frame(unsigned long nr, unsigned long i)
{
	pte_t *ep = pgwalk_pte(vmemmap_section_va(nr) + i * PAGE_SIZE);
	return ep && pte_present(*ep) ? pte_pa(*ep) : 0;
}

/* Virtual memory areas of this process that overlap [start, end). */
static unsigned long host_vmas_in(unsigned long start, unsigned long end)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long s, e, n = 0;
	char line[512];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < end && e > start)
			n++;
	if (f)
		fclose(f);
	return n;
}

/* Boot memmap: all sections' frames in one 2 MiB-aligned memblock block,
 * handed out in ascending order, so section nr's memmap is the aligned
 * 2 MiB right after section nr-1's; on the host the per-PTE mmaps of
 * adjacent frames then merge into one mapping. */
static void vmemmap_boot_block(void)
{
	struct host_mm_opts o = { .quiet = true };
	phys_addr_t base;
	bool ascending = true;

	host_mm_boot(SZ_1G, &o);
	base = vmemmap_frame(0, 0);
	for (unsigned long nr = 0; nr < 8; nr++)
		for (unsigned long i = 0; i < VMEMMAP_PAGES_PER_SECTION; i++)
			if (vmemmap_frame(nr, i) != base + (nr * VMEMMAP_PAGES_PER_SECTION + i) * PAGE_SIZE)
				ascending = false;
	host_ok(ascending && IS_ALIGNED(base, SZ_2M), "8 sections' memmaps: one block at %#llx, 2 MiB aligned, "
		"frames ascending", (unsigned long long)base);
	host_ok(memblock_is_reserved(base) && memblock_is_reserved(base + 16 * SZ_1M - 1),
		"the 16 MiB block is reserved (page tables lie outside it)");
	host_ok(node_stat(NR_MEMMAP_BOOT_PAGES) == 8 * 512, "nr_memmap_boot_pages exact (%ld)",
		node_stat(NR_MEMMAP_BOOT_PAGES));
	host_ok(memblock.alloc_bytes == (u64)(node_stat(NR_MEMMAP_BOOT_PAGES) +
		node_stat(NR_PAGE_TABLE_PAGES) + 1) * PAGE_SIZE,
		"memblock carved exactly memmap + page tables + 1 root page (%llu bytes)",
		(unsigned long long)memblock.alloc_bytes);
	host_ok(host_vmas_in(vmemmap_section_va(0), vmemmap_section_va(8)) == 1,
		"host: the 4096 vmemmap mmaps merged into %lu mapping(s)",
		host_vmas_in(vmemmap_section_va(0), vmemmap_section_va(8)));
}

/* No free 2 MiB anywhere (usable 1.5 MiB pieces between firmware holes):
 * the memmap comes in smaller blocks, each still handed out ascending,
 * and the accounting stays exact. */
static void vmemmap_boot_fragmented(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long pieces = 1, free_pages_seen = 0;
	phys_addr_t prev;
	int n = 0;

	o.map[n++] = (struct boot_mem_range){ 0, 4 * SZ_1M, BOOT_MEM_USABLE };   /* kernel at 2M-4M */
	for (int i = 0; i < 14; i++) {
		phys_addr_t b = 4 * SZ_1M + (u64)i * SZ_2M;
		o.map[n++] = (struct boot_mem_range){ b, 3 * SZ_1M / 2, BOOT_MEM_USABLE };
	}
	o.nr_map = n;
	host_mm_boot(32 * SZ_1M, &o);
	prev = vmemmap_frame(0, 0);
	for (unsigned long i = 1; i < VMEMMAP_PAGES_PER_SECTION; i++) {
		phys_addr_t pa = vmemmap_frame(0, i);
		if (!pa)
			pieces = 1000;
		else if (pa != prev + PAGE_SIZE)
			pieces++;
		prev = pa;
	}
	host_ok(pieces >= 2 && pieces <= 4, "memmap of section 0 in %lu ascending pieces", pieces);
	host_ok(node_stat(NR_MEMMAP_BOOT_PAGES) == 512, "nr_memmap_boot_pages exact (%ld)",
		node_stat(NR_MEMMAP_BOOT_PAGES));
	host_ok(memblock.alloc_bytes == (u64)(512 + node_stat(NR_PAGE_TABLE_PAGES) + 1) * PAGE_SIZE,
		"nothing reserved beyond memmap + page tables + root (%llu bytes)",
		(unsigned long long)memblock.alloc_bytes);
	for (unsigned long pfn = 0; pfn < (32 * SZ_1M) >> PAGE_SHIFT; pfn++)
		free_pages_seen += memblock_is_memory((phys_addr_t)pfn << PAGE_SHIFT) &&
				   !memblock_is_reserved((phys_addr_t)pfn << PAGE_SHIFT);
	host_ok(free_pages_seen == nr_free_pages() && nr_free_pages() == totalram_pages(),
		"every unreserved page of RAM is free (%lu)", free_pages_seen);
}

/* Only single pages left for the last frames (3 reserved pages cut the
 * free low 2 MiB to 508 pages; 30 isolated pages above the kernel): the
 * refill halves down to one page and the boot completes, every frame
 * charged. */
static void vmemmap_boot_single_pages(void)
{
	struct host_mm_opts o = { .quiet = true };
	int n = 0, r = 0;

	o.map[n++] = (struct boot_mem_range){ 0, 4 * SZ_1M, BOOT_MEM_USABLE };   /* kernel at 2M-4M */
	o.map[n++] = (struct boot_mem_range){ 4 * SZ_1M, 31 * PAGE_SIZE, BOOT_MEM_USABLE };
	for (int i = 0; i < 14; i++)
		o.map[n++] = (struct boot_mem_range){ 5 * SZ_1M + (u64)i * 2 * PAGE_SIZE, PAGE_SIZE, BOOT_MEM_USABLE };
	o.nr_map = n;
	o.reserved[r++] = (struct boot_mem_range){ PAGE_SIZE, 3 * PAGE_SIZE, BOOT_MEM_RESERVED };
	for (int j = 1; j < 31; j += 2)                        /* pages 0, 2, .., 30 of the 31 stay single */
		o.reserved[r++] = (struct boot_mem_range){ 4 * SZ_1M + (u64)j * PAGE_SIZE, PAGE_SIZE, BOOT_MEM_RESERVED };
	o.nr_reserved = r;
	host_mm_boot(6 * SZ_1M, &o);
	host_ok(node_stat(NR_MEMMAP_BOOT_PAGES) == 512 && vmemmap_frame(0, 511) != 0,
		"booted: 512 memmap frames, the last ones single pages (%ld)", node_stat(NR_MEMMAP_BOOT_PAGES));
}

/* Too little RAM for one section's memmap: the boot panics and says so. */
static void vmemmap_boot_no_room(void)
{
	struct host_mm_opts o = { .quiet = true };

	o.map[0] = (struct boot_mem_range){ 0, 4 * SZ_1M, BOOT_MEM_USABLE };
	o.nr_map = 1;
	host_ok(HOST_EXPECT_PANIC(host_mm_boot(4 * SZ_1M, &o)) &&
		strstr(host_panic_msg, "boot memmap frames still needed"), "%s", host_panic_msg);
}

static void vmemmap_walker(void)
{
	struct host_mm_opts o = { .quiet = true };
	int level;
	pte_t *ep;

	host_mm_boot(128 * SZ_1M, &o);
	ep = pgwalk_lookup(PAGE_OFFSET + 5 * PAGE_SIZE, &level);
	host_ok(level == 2 && pte_present(*ep), "direct map: lookup stops at the 1 GiB block (level %d)", level);
	host_ok(pgwalk_map_page(PAGE_OFFSET + 5 * PAGE_SIZE, 0, PROT_KERNEL_RW, mm_alloc_meta_page) == -EEXIST,
		"map_page under a block mapping fails with -EEXIST");
	host_ok(pgwalk_pte(PAGE_OFFSET) == NULL, "no PTE under a block");
	host_ok(pgwalk_map_page(vmemmap_section_va(0), 0, PROT_KERNEL_RW, mm_alloc_meta_page) == -EEXIST,
		"map_page over a present PTE fails");
}

/* Make a 2 MiB compound page and remap its tail vmemmap pages 2..7 read-only
 * onto the frame of page 1, the way HVO will. */
static void vmemmap_remap_ro(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long va0, pfn;
	phys_addr_t shared, old[8];
	struct page *head;
	u64 flush0;
	char buf[4096];

	host_mm_boot(128 * SZ_1M, &o);
	head = alloc_pages(9, ZONE_NORMAL);
	pfn = page_to_pfn(head);
	page_set_flag(head, PG_head);
	head->compound_order = 9;
	for (int i = 1; i < 512; i++)
		page_set_tail(&head[i], 9);
	va0 = (unsigned long)head;
	shared = pte_pa(*pgwalk_pte(va0 + PAGE_SIZE));
	host_ok(memcmp((void *)(va0 + PAGE_SIZE), (void *)(va0 + 2 * PAGE_SIZE), PAGE_SIZE) == 0,
		"tail vmemmap pages are byte-identical");
	flush0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	for (int i = 2; i < 8; i++)
		host_ok(pgwalk_remap_page(va0 + i * PAGE_SIZE, shared, PROT_KERNEL_RO, &old[i]) == 0,
			"remap vmemmap page %d RO", i);
	host_ok(vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == flush0 + 6, "one TLB flush per remap");
	host_ok(!host_probe_write(va0 + 3 * PAGE_SIZE) && host_probe_read(va0 + 3 * PAGE_SIZE),
		"write to a remapped page faults, read works");
	host_ok(host_probe_write(va0 + PAGE_SIZE), "the shared page itself stays RW");
	host_ok(compound_head(&head[300]) == head, "tail reads through the shared mapping");
	snprintf(buf, sizeof(buf), "vmemmap %#lx", page_to_pfn(alloc_pages(0, ZONE_NORMAL)));
	host_shell(buf, buf, sizeof(buf));
	host_ok(strstr(buf, "row 0 ") && strstr(buf, " RW") && !strstr(buf, "row 1 "), "plain page: one row: %.80s", buf);
	snprintf(buf, sizeof(buf), "vmemmap %#lx", pfn + 100);
	host_shell(buf, buf, sizeof(buf));
	printf("# %s", buf);
	host_ok(strstr(buf, "RO shared with") != NULL, "vmemmap verb shows RO rows and sharing");
	for (int i = 2; i < 8; i++)
		pgwalk_remap_page(va0 + i * PAGE_SIZE, old[i], PROT_KERNEL_RW, &shared);
	host_ok(host_probe_write(va0 + 3 * PAGE_SIZE), "restored mapping is writable again");
	host_ok(host_shell("vmemmap 0x999999", buf, sizeof(buf)) != 0 && !strncmp(buf, "error: ", 7),
		"invalid pfn: %s", buf);
}

/* Run-time populate (hot-add without memmap-on-memory): frames come from
 * the buddy allocator and are charged to nr_memmap_pages, then returned. */
static void vmemmap_runtime(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=128M" };
	unsigned long free0, nr = 1;
	long pt0;
	u64 all0, one0;
	struct mem_section *ms;

	host_mm_boot(256 * SZ_1M, &o);
	free0 = nr_free_pages();
	pt0 = node_stat(NR_PAGE_TABLE_PAGES);
	ms = sparse_section_alloc(nr);
	host_ok(ms && !(ms->state & SECTION_PRESENT), "section 1 beyond mem= is absent");
	int rc = vmemmap_populate_section(nr, &vmemmap_alloc_buddy);
	host_ok(rc == 0, "populate section 1 from buddy (%d)", rc);
	host_ok(node_stat(NR_MEMMAP_PAGES) == 512, "nr_memmap_pages 512");
	host_ok(nr_free_pages() == free0 - 512 - (node_stat(NR_PAGE_TABLE_PAGES) - pt0),
		"free pages dropped by memmap + table pages");
	host_ok(host_probe_write((unsigned long)pfn_to_page(section_nr_to_pfn(nr))), "new struct pages writable");
	{       /* a hole: page 5 unmapped and its frame given back by hand */
		unsigned long va5 = vmemmap_section_va(nr) + 5 * PAGE_SIZE;
		pte_t *ep = pgwalk_pte(va5);
		phys_addr_t pa = pte_pa(*ep);

		arch_set_pte(va5, 0, ep, 0);
		vmemmap_alloc_buddy.unframe(pa, NULL);
		mod_node_stat(NR_MEMMAP_PAGES, -1);
	}
	all0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
	one0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	vmemmap_depopulate_section(nr, &vmemmap_alloc_buddy);   /* skips the hole */
	host_ok(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) == all0 + 1 && vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one0,
		"depopulate: one flush for the section's 512 cleared PTEs (above the threshold: global)");
	host_ok(node_stat(NR_MEMMAP_PAGES) == 0 &&
		nr_free_pages() == free0 - (node_stat(NR_PAGE_TABLE_PAGES) - pt0),
		"depopulate gives the frames back, skipping an unmapped page");
	host_ok(!host_probe_read((unsigned long)pfn_to_page(section_nr_to_pfn(nr))), "and unmaps them");
}

/* After boot every page-table frame counted in nr_page_table_pages is
 * flagged PG_pgtable and no other frame is: the vmemmap's boot tables
 * below the arch's root (vmemmap_mark_early_frames), the root not (it is
 * the kernel image's); still so after a hot-add. */
static unsigned long pgtable_frames(void)
{
	unsigned long n = 0;

	for (unsigned long pfn = 0; pfn < section_nr_to_pfn(sparse_max_section()); pfn++)
		n += pfn_valid(pfn) && page_test_flag(pfn_to_page(pfn), PG_pgtable);
	return n;
}

static void vmemmap_tables_flagged(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M memory_hotplug.memmap_on_memory=0" };

	host_mm_boot(SZ_1G, &o);
	host_ok(node_stat(NR_PAGE_TABLE_PAGES) > 0 && pgtable_frames() == (unsigned long)node_stat(NR_PAGE_TABLE_PAGES),
		"boot: %lu PG_pgtable frames, nr_page_table_pages %ld", pgtable_frames(), node_stat(NR_PAGE_TABLE_PAGES));
	host_ok(!page_test_flag(pfn_to_page(__pa(arch_pgd()) >> PAGE_SHIFT), PG_pgtable), "the root is not one");
	memory_blocks_init();
	host_ok(add_memory(4 * SZ_128M, SZ_128M) == 0 &&
		pgtable_frames() == (unsigned long)node_stat(NR_PAGE_TABLE_PAGES),
		"after a hot-add: %lu PG_pgtable frames, nr_page_table_pages %ld", pgtable_frames(),
		node_stat(NR_PAGE_TABLE_PAGES));
}

/* vmemmap_unmap_section() leaves the flush to its caller: a hot-remove of
 * one block (memmap on memory, never onlined) flushes exactly once, in
 * mhp_remove_sections() after every section is unmapped. */
static void vmemmap_unmap_no_flush(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=128M" };
	u64 f0;

	host_mm_boot(512 * SZ_1M, &o);
	memory_blocks_init();
	host_ok(add_memory(2 * SZ_128M, SZ_128M) == 0, "block 2 added");
	f0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) + vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	host_ok(remove_memory(2 * SZ_128M, SZ_128M) == 0, "and removed");
	host_ok(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) + vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == f0 + 1,
		"one TLB flush for the remove (%llu)",
		(unsigned long long)(vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) + vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) - f0));
}

int main(void)
{
	host_tap_init();
	host_scenario("backing", vmemmap_backing);
	host_scenario("boot block", vmemmap_boot_block);
	host_scenario("boot fragmented", vmemmap_boot_fragmented);
	host_scenario("boot single pages", vmemmap_boot_single_pages);
	host_scenario("boot no room", vmemmap_boot_no_room);
	host_scenario("walker", vmemmap_walker);
	host_scenario("remap ro", vmemmap_remap_ro);
	host_scenario("runtime", vmemmap_runtime);
	host_scenario("unmap without a flush", vmemmap_unmap_no_flush);
	host_scenario("page tables flagged", vmemmap_tables_flagged);
	return host_tap_done();
}
