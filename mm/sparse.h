/* The sparse memory model: physical memory in 128 MiB sections.
 *
 *   pfn:  |63 ........ 15 + 12 ... | 14 ........ 0 |
 *         |   section number       | pfn in section|   (SECTION_SIZE_BITS 27)
 *
 * "Extreme" two-level section table, so the bss holds only the root:
 *
 *   mem_section_root[NR_SECTION_ROOTS]        (bss: 2048 pointers @46 bits)
 *        |  NULL until a section in its range appears
 *        v
 *   +-----------------------------------+     one 4 KiB page, allocated by
 *   | mem_section[0] | ... | [255]      |     memblock at boot, by the buddy
 *   +-----------------------------------+     allocator at run time
 *        state: PRESENT ONLINE MEMMAP EARLY SELF_HOSTED ISOLATED
 *
 * pfn_valid(pfn) <=> section present AND its memmap present; the struct
 * page is then at vmemmap + pfn (pure arithmetic, see mm/page.h).  Holes
 * inside a present section have PG_reserved struct pages. */
#ifndef MM_SPARSE_H
#define MM_SPARSE_H
#include <pagoda/types.h>
#include <asm/vmparam.h>
#include "mm/page.h"

#define SECTION_SIZE_BITS   27
#define PFN_SECTION_SHIFT   (SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION   (1UL << PFN_SECTION_SHIFT)
#define SECTION_SIZE        (1UL << SECTION_SIZE_BITS)
#define NR_MEM_SECTIONS     (1UL << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS))
/* vmemmap pages that hold one section's struct pages (512 with 4 KiB pages). */
#define VMEMMAP_PAGES_PER_SECTION (PAGES_PER_SECTION * sizeof(struct page) / PAGE_SIZE)

enum section_state {
	SECTION_PRESENT      = 1u << 0,  /* RAM exists here (firmware map or hot-add) */
	SECTION_ONLINE       = 1u << 1,  /* its free pages belong to the buddy allocator */
	SECTION_MEMMAP       = 1u << 2,  /* struct pages are mapped and initialised */
	SECTION_EARLY        = 1u << 3,  /* present at boot (memmap from memblock) */
	SECTION_SELF_HOSTED  = 1u << 4,  /* memmap lives in the section's own block (altmap) */
	SECTION_ISOLATED     = 1u << 5,  /* being offlined: buddy merging stops here */
};

struct mem_section {
	u32 state;                 /* enum section_state bits */
	u32 nr_altmap_pages;       /* self-hosted memmap pages at the block start */
	u32 nr_present_pages;      /* pages of RAM (not holes) in the section */
	u32 zone;                  /* zone its pages are onlined to */
};

#define SECTIONS_PER_ROOT   (PAGE_SIZE / sizeof(struct mem_section))
#define NR_SECTION_ROOTS    ((NR_MEM_SECTIONS + SECTIONS_PER_ROOT - 1) / SECTIONS_PER_ROOT)

static inline unsigned long pfn_to_section_nr(unsigned long pfn) { return pfn >> PFN_SECTION_SHIFT; }
static inline unsigned long section_nr_to_pfn(unsigned long nr) { return nr << PFN_SECTION_SHIFT; }

/* The root table (mm/sparse.c owns it; only sparse_section*() index it). */
extern struct mem_section *mem_section_root[NR_SECTION_ROOTS];

/* The section, or NULL when nr is out of range or its root page is absent.
 * Inline: pfn_valid() and the buddy free path look a section up on every
 * call, and the lookup is two loads. */
static inline struct mem_section *sparse_section(unsigned long nr)
{
	struct mem_section *root;

	if (nr >= NR_MEM_SECTIONS)
		return NULL;
	root = mem_section_root[nr / SECTIONS_PER_ROOT];
	return root ? &root[nr % SECTIONS_PER_ROOT] : NULL;
}
/* The section holding pfn (see sparse_section()). */
static inline struct mem_section *pfn_to_section(unsigned long pfn)
{
	return sparse_section(pfn_to_section_nr(pfn));
}
/* Like sparse_section() but allocates the root page (memblock or buddy). */
struct mem_section *sparse_section_alloc(unsigned long nr);

static inline bool sparse_section_has(unsigned long nr, u32 bits)
{
	struct mem_section *ms = sparse_section(nr);
	return ms && (ms->state & bits) == bits;
}
static inline bool pfn_valid(unsigned long pfn)
{
	return sparse_section_has(pfn_to_section_nr(pfn), SECTION_PRESENT | SECTION_MEMMAP);
}
static inline bool pfn_section_isolated(unsigned long pfn)
{
	return sparse_section_has(pfn_to_section_nr(pfn), SECTION_ISOLATED);
}

/* Section nr (state already cleared by memory hot-remove) is gone: free
 * its root page if no section under it has state left and it came from the
 * buddy allocator (boot roots stay), and lower sparse_max_section(). */
void sparse_section_remove(unsigned long nr);

/* Mark every section overlapping memblock.memory PRESENT | EARLY and count
 * its present pages. */
void sparse_init_early(void);
/* Highest present section + 1 (loop bound). */
unsigned long sparse_max_section(void);

#define for_each_present_section(nr, ms) \
	for ((nr) = 0; (nr) < sparse_max_section(); (nr)++) \
		if (((ms) = sparse_section(nr)) && ((ms)->state & SECTION_PRESENT))
#endif
