/* mm_init(): bring up physical memory management, in this order:
 *
 *   bootinfo --memblock_init--> memory/reserved (mem= applied)
 *            --sparse_init_early--> sections PRESENT|EARLY (roots: memblock)
 *            --vmemmap_populate_early--> struct pages mapped (frames: memblock)
 *            --memmap_init_early--> struct pages initialised, reserved marked
 *            --mm_release_free_memory--> free ranges -> buddy (poisoned)
 *            --memblock_retire--> memblock allocations panic from now on
 *
 * mm_alloc_meta_page() follows the phase, so code shared by boot and
 * hot-add (section roots, vmemmap tables) needs no allocator argument. */
#include <pagoda/kernel.h>
#include <pagoda/bootinfo.h>
#include <pagoda/mm.h>
#include <asm/vmparam.h>
#include "mm/memblock.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/buddy.h"
#include "mm/page_poison.h"
#include "mm/mm_internal.h"
#include "mm/hugetlb.h"

enum mm_phase mm_phase = MM_PHASE_MEMBLOCK;

phys_addr_t mm_alloc_meta_page(void)
{
	struct page *page;

	if (mm_phase == MM_PHASE_MEMBLOCK)
		return memblock_alloc_phys(PAGE_SIZE, PAGE_SIZE);
	page = alloc_pages(0, ZONE_NORMAL);
	if (!page)
		return 0;
	memset(__va((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT), 0, PAGE_SIZE);
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

/* Hand every free memblock range to the buddy allocator (ZONE_NORMAL) and
 * mark the sections online. */
static void mm_release_free_memory(void)
{
	phys_addr_t start, end;
	unsigned long nr;
	struct mem_section *ms;
	u64 cursor = 0;

	while (memblock_next_free_range(&cursor, &start, &end))
		buddy_online_range(start >> PAGE_SHIFT, end >> PAGE_SHIFT, ZONE_NORMAL);
	for_each_present_section(nr, ms)
		ms->state |= SECTION_ONLINE;
}

#define KB(bytes) ((unsigned long)((bytes) >> 10))

/* Reserved pages, counted from the struct pages, not derived from managed:
 * the pfns of RAM (memblock.memory, mem= applied) whose struct page is
 * PG_reserved.  At boot that is every memblock.reserved page inside RAM
 * (kernel image, firmware pieces, memmap frames (PG_memmap), page tables
 * (PG_pgtable), mm metadata, gigantic bootmem huge pages); holes and RAM
 * beyond mem= are PG_reserved too but are not RAM, so not counted here.
 * managed + reserved == RAM is then a check that can fail. */
unsigned long mm_reserved_ram_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		unsigned long end = (r->base + r->size) >> PAGE_SHIFT;

		for (unsigned long pfn = r->base >> PAGE_SHIFT; pfn < end; pfn++)
			n += pfn_valid(pfn) && page_test_flag(pfn_to_page(pfn), PG_reserved);
	}
	return n;
}

/* Linux-style summary:
 * "Memory: <managed>K/<RAM>K available (<k>K kernel, <r>K reserved, <m>K memmap, <t>K page tables)"
 * <r> is mm_reserved_ram_pages() (walked), so <managed> + <r> == <RAM> is checked, not assumed. */
static void mm_print_summary(void)
{
	u64 ram = memblock.memory.total;
	u64 managed = (u64)totalram_pages() << PAGE_SHIFT;
	u64 reserved = (u64)mm_reserved_ram_pages() << PAGE_SHIFT;
	unsigned long nr, sections = 0;
	struct mem_section *ms;
	char huge[64] = "";

	for_each_present_section(nr, ms)
		sections++;
	printk("sparse: %lu sections of %luM present, memmap %ldK from memblock\n",
	       sections, SECTION_SIZE >> 20, node_stat(NR_MEMMAP_BOOT_PAGES) << (PAGE_SHIFT - 10));
	printk("Memory: %luK/%luK available (%luK kernel, %luK reserved, %luK memmap, %luK page tables)\n",
	       KB(managed), KB(ram), KB(memblock.kernel_bytes), KB(reserved),
	       KB((u64)node_stat(NR_MEMMAP_BOOT_PAGES) << PAGE_SHIFT),
	       KB((u64)node_stat(NR_PAGE_TABLE_PAGES) << PAGE_SHIFT));
	if (hugetlb_bootmem_bytes())      /* gigantic hugepages=: they join their pool later */
		ksnprintf(huge, sizeof(huge), " + %luK hugetlb pages", KB(hugetlb_bootmem_bytes()));
	printk("Memory: reserved %luK = %luK boot reservations (kernel image, firmware, modules)%s"
	       " + %luK memmap + %luK page tables + %luK mm metadata\n",
	       KB(reserved), KB(memblock.kernel_bytes), huge,
	       KB((u64)node_stat(NR_MEMMAP_BOOT_PAGES) << PAGE_SHIFT),
	       KB((u64)node_stat(NR_PAGE_TABLE_PAGES) << PAGE_SHIFT),
	       KB(memblock.alloc_bytes - ((u64)(node_stat(NR_MEMMAP_BOOT_PAGES) +
					       node_stat(NR_PAGE_TABLE_PAGES)) << PAGE_SHIFT)));
	printk("page_poison: %s (freed pages filled with %#x, checked on allocation)\n",
	       page_poison_enabled ? "on" : "off", PAGE_POISON_BYTE);
}

void mm_init(struct bootinfo *bi)
{
	memblock_init(bi);
	if (memblock.mem_limit)
		printk("memblock: mem=%lluK: RAM limited to [0, %#llx)\n",
		       (unsigned long long)(memblock.mem_limit >> 10),
		       (unsigned long long)memblock_end_of_ram());
	if (!memblock.memory.cnt)
		panic("no usable RAM in the firmware map");
	hugetlb_reserve_bootmem();      /* gigantic hugepages= before the memmap takes memblock */
	buddy_init();
	sparse_init_early();
	vmemmap_populate_early();
	memmap_init_early();
	mm_release_free_memory();
	mm_phase = MM_PHASE_BUDDY;
	memblock_retire();
	mm_print_summary();
}
