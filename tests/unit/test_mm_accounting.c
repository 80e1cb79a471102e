/* Host test of the interface.md accounting rule and the views: every page
 * of struct page memory is counted in exactly one of nr_memmap_boot_pages
 * and nr_memmap_pages and never as free; MemTotal is the managed pages;
 * the Memory: boot line adds up; /proc/vmstat and /proc/meminfo formats. */
#include <stdio.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/memblock.h"
#include "mm/vmstat.h"

/* Distinct frames mapped in the vmemmap of present sections, and how many
 * of them are free buddy pages (must be none). */
static unsigned long count_memmap_frames(unsigned long *free_frames)
{
	unsigned long nr, n = 0, head;
	unsigned int order;
	struct mem_section *ms;

	*free_frames = 0;
	for_each_present_section(nr, ms) {
		unsigned long va = vmemmap_section_va(nr);
		for (unsigned long i = 0; i < VMEMMAP_PAGES_PER_SECTION; i++, va += PAGE_SIZE) {
			pte_t *ep = pgwalk_pte(va);
			if (!ep || !pte_present(*ep))
				continue;
			n++;
			*free_frames += buddy_find_block(pte_pa(*ep) >> PAGE_SHIFT, &head, &order);
		}
	}
	return n;
}

static void accounting_rule(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=384M" };
	unsigned long frames, free_frames;
	char vm[2048], mi[2048], boot[1024] = "";
	unsigned long managed, ram, kernel, reserved, memmap, pt, r2 = 0, boot_res = 0, m2 = 0, pt2 = 0, meta = 0;
	int n;

	host_printk_buf = boot;
	host_printk_size = sizeof(boot);
	host_mm_boot(512 * SZ_1M, &o);
	host_printk_buf = NULL;
	printf("# %s", strstr(boot, "Memory:"));
	frames = count_memmap_frames(&free_frames);
	host_ok(frames == (unsigned long)(node_stat(NR_MEMMAP_BOOT_PAGES) + node_stat(NR_MEMMAP_PAGES)) &&
		free_frames == 0, "boot: %lu memmap frames = boot + runtime counters, none free", frames);
	host_ok(vmemmap_populate_section(3, &vmemmap_alloc_buddy) == 0, "hot-add style populate of section 3");
	host_ok(node_stat(NR_MEMMAP_BOOT_PAGES) == 3 * 512 && node_stat(NR_MEMMAP_PAGES) == 512,
		"runtime frames counted only in nr_memmap_pages");
	host_cat("/proc/vmstat", vm, sizeof(vm));
	host_cat("/proc/meminfo", mi, sizeof(mi));
	host_ok(host_field(vm, "nr_free_pages") == (long)nr_free_pages() &&
		host_field(vm, "nr_memmap_pages") == 512 && host_field(vm, "nr_memmap_boot_pages") == 1536 &&
		host_field(vm, "nr_hugetlb_vmemmap_optimized") == 0 && host_field(vm, "nr_tlb_remote_flush") == 0 &&
		host_field(vm, "nr_page_table_pages") == node_stat(NR_PAGE_TABLE_PAGES),
		"vmstat fields");
	host_ok(host_field(mi, "MemTotal") == (long)totalram_pages() * 4 &&
		host_field(mi, "MemFree") == (long)nr_free_pages() * 4 &&
		host_field(mi, "HugePages_Total") == 0 && host_field(mi, "Hugepagesize") == 2048 &&
		host_field(mi, "Hugetlb") == 0, "meminfo fields");
	host_ok(strstr(mi, "MemTotal:         ") && strstr(mi, "HugePages_Total:       0\n"),
		"meminfo Linux layout");
	host_ok(sscanf(strstr(boot, "Memory:"), "Memory: %luK/%luK available (%luK kernel, %luK reserved, "
		       "%luK memmap, %luK page tables)", &managed, &ram, &kernel, &reserved, &memmap, &pt) == 6,
		"Memory: line parses");
	host_ok(ram == 384 * 1024 && managed + reserved == ram && memmap == 1536 * 4 && kernel == 2048 + 4,
		"Memory: %luK + %luK reserved = %luK RAM (mem=384M; reserved walked from PG_reserved)",
		managed, reserved, ram);
	n = sscanf(strstr(boot, "Memory: reserved"), "Memory: reserved %luK = %luK boot reservations "
		   "(kernel image, firmware, modules) + %luK memmap + %luK page tables + %luK mm metadata",
		   &r2, &boot_res, &m2, &pt2, &meta);
	host_ok(n == 5 && r2 == reserved && r2 == boot_res + m2 + pt2 + meta && m2 == memmap && pt2 == pt,
		"reserved %luK = %luK boot + %luK memmap + %luK page tables + %luK metadata",
		r2, boot_res, m2, pt2, meta);
	vmemmap_depopulate_section(3, &vmemmap_alloc_buddy);
	host_ok(node_stat(NR_MEMMAP_PAGES) == 0, "depopulate uncharges");
}

int main(void)
{
	host_tap_init();
	host_scenario("accounting rule", accounting_rule);
	return host_tap_done();
}
