/* Sparse sections: the two-level section table and the boot marking.
 *
 *   memblock.memory   [==========)      [=====)           [====)
 *   sections (128M)  |  s0  |  s1  |  s2  |  s3  |  s4  |  s5  |
 *   state             P E    P E    P E          (absent) P E
 *
 * A section is PRESENT if any RAM of it is in memblock.memory; its holes
 * get reserved struct pages later (mm/memmap_init.c).  Root pages come
 * from mm_alloc_meta_page() so the same code serves boot and hot-add. */
#include <pagoda/kernel.h>
#include <pagoda/selftest.h>
#include "mm/sparse.h"
#include "mm/memblock.h"
#include "mm/mm_internal.h"
#include "mm/buddy.h"

struct mem_section *mem_section_root[NR_SECTION_ROOTS];
static unsigned long sparse_nr_sections_hint;   /* highest present section + 1 */

BUILD_BUG_ON(sizeof(struct mem_section) & (sizeof(struct mem_section) - 1));
BUILD_BUG_ON(MAX_ORDER + PAGE_SHIFT > SECTION_SIZE_BITS);

/* The section for nr, allocating its root page on first use.  Returns NULL
 * when nr is beyond MAX_PHYSMEM_BITS or no page is available at run time. */
struct mem_section *sparse_section_alloc(unsigned long nr)
{
	struct mem_section **rootp;

	if (nr >= NR_MEM_SECTIONS)
		return NULL;
	rootp = &mem_section_root[nr / SECTIONS_PER_ROOT];
	if (!*rootp) {
		phys_addr_t pa = mm_alloc_meta_page();
		if (!pa)
			return NULL;
		*rootp = __va(pa);
	}
	if (nr + 1 > sparse_nr_sections_hint)
		sparse_nr_sections_hint = nr + 1;
	return &(*rootp)[nr % SECTIONS_PER_ROOT];
}

unsigned long sparse_max_section(void) { return sparse_nr_sections_hint; }

/* Is every section under root r without state? */
static bool sparse_root_empty(unsigned long r)
{
	for (unsigned long i = 0; i < SECTIONS_PER_ROOT; i++)
		if (mem_section_root[r][i].state)
			return false;
	return true;
}

void sparse_section_remove(unsigned long nr)
{
	unsigned long r = nr / SECTIONS_PER_ROOT;
	phys_addr_t pa = __pa(mem_section_root[r]);
	struct page *root_page = pfn_to_page(pa >> PAGE_SHIFT);

	KASSERT(!sparse_section(nr)->state, "section %lu: state %#x", nr, sparse_section(nr)->state);
	if (sparse_root_empty(r) && !page_test_flag(root_page, PG_reserved)) {
		mem_section_root[r] = NULL;
		free_pages(root_page, 0);
	}
	while (sparse_nr_sections_hint && !sparse_section_has(sparse_nr_sections_hint - 1, SECTION_PRESENT))
		sparse_nr_sections_hint--;
}

/* Mark [start, end) of RAM present in its sections, counting present pages. */
static void sparse_mark_range(phys_addr_t start, phys_addr_t end)
{
	unsigned long pfn = start >> PAGE_SHIFT, end_pfn = end >> PAGE_SHIFT;

	while (pfn < end_pfn) {
		unsigned long nr = pfn_to_section_nr(pfn);
		unsigned long next = MIN(end_pfn, section_nr_to_pfn(nr + 1));
		struct mem_section *ms = sparse_section_alloc(nr);

		if (!ms)
			panic("RAM at pfn %#lx is beyond MAX_PHYSMEM_BITS %d", pfn, MAX_PHYSMEM_BITS);
		ms->state |= SECTION_PRESENT | SECTION_EARLY;
		ms->zone = ZONE_NORMAL;
		ms->nr_present_pages += next - pfn;
		pfn = next;
	}
}

/* Boot: every section overlapping memblock.memory becomes PRESENT | EARLY. */
void sparse_init_early(void)
{
	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		sparse_mark_range(r->base, r->base + r->size);
	}
}

/* Holes inside a present section are pfn_valid but PG_reserved; a pfn
 * beyond every section is not pfn_valid.  A hole comes from the firmware
 * map (x86 BIOS: [0x9fc00, 1 MiB)) and cannot be made at run time (hot-add
 * is whole sections): without one the hole checks are reported skipped. */
SELFTEST(sparse_pfn_valid_hole)
{
	unsigned long nr, hole = 0;
	struct mem_section *ms;
	bool found = false;

	for_each_present_section(nr, ms) {              /* boot sections: hot-added RAM is no hole */
		unsigned long pfn = section_nr_to_pfn(nr);
		if (!(ms->state & SECTION_EARLY))
			continue;
		for (; pfn < section_nr_to_pfn(nr + 1) && !found; pfn++)
			if (!memblock_is_memory((phys_addr_t)pfn << PAGE_SHIFT)) {
				hole = pfn;
				found = true;
			}
		if (found)
			break;
	}
	EXPECT(!pfn_valid(section_nr_to_pfn(sparse_max_section())));
	EXPECT(!pfn_valid(section_nr_to_pfn(NR_MEM_SECTIONS)));
	EXPECT(pfn_valid(memblock.memory.regions[0].base >> PAGE_SHIFT));
	if (!found)
		SELFTEST_SKIP("no hole inside a present section: the hole checks need one");
	EXPECT(pfn_valid(hole));
	EXPECT(page_test_flag(pfn_to_page(hole), PG_reserved));
	EXPECT(!page_test_flag(pfn_to_page(hole), PG_buddy));
}
