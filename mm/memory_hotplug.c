/* Memory hotplug: add and remove RAM in 128 MiB blocks (one section each).
 * Online/offline are mm/memory_online.c, the tables mm/hotplug_pgtable.c,
 * the user's view mm/memory_block.c; docs/hotplug.md has the design.
 *
 *   add_memory(start, size), per block, ascending:
 *     section PRESENT (| SELF_HOSTED)          sparse_section_alloc()
 *     direct map                               arch_add_memory()
 *     vmemmap: 512 frames + PTE table          vmemmap_populate_section()
 *     struct pages: altmap reserved, rest offline, section MEMMAP
 *   a failure undoes the block, then the blocks before it (in reverse):
 *   nothing is left changed.
 *
 *   remove_memory(start, size): every block present, hot-added, offline;
 *     count and allocate the table moves (the only allocation: -ENOMEM
 *     here leaves everything as it was), then for the whole range:
 *     vmemmap PTEs cleared, shared self-hosted tables moved out, empty
 *     tables freed, ONE flush; arch_remove_memory (its own one flush);
 *     sections cleared, section roots freed when empty.
 *
 * Old memory a self-hosted add takes: none while the section root page and
 * the upper tables exist (RAM below 32 GiB: the boot root page covers it).
 *
 * Locking: every entry point holds mem_hotplug_begin() for the whole
 * operation (its checks included, so two CPUs cannot both find a range
 * absent); the vmemmap and direct-map table edits of one block add, and
 * the whole teardown of a remove, also hold vmemmap_lock (mm/pgwalk.h), so
 * HVO never remaps through a table being moved or freed.
 * Lock order: hotplug -> hugetlb (offline's dissolve) -> vmemmap -> zone ->
 * pcp; TLB shootdowns are sent with only plain (never irqsave) locks held. */
#include <pagoda/kernel.h>
#include <pagoda/cmdline.h>
#include <pagoda/fault_inject.h>
#include <asm/vmparam.h>
#include "mm/memory_hotplug.h"
#include "mm/hotplug_internal.h"
#include "mm/sparse.h"
#include "mm/buddy.h"
#include "mm/mm_internal.h"
#include "mm/pcp.h"
#include "mm/pgwalk.h"

bool memhp_memmap_on_memory = true;
static spinlock_t mem_hotplug_lock = SPINLOCK_INIT("mem_hotplug", LOCK_ORDER_HOTPLUG);

void mem_hotplug_begin(void) { spin_lock(&mem_hotplug_lock); }
void mem_hotplug_end(void) { spin_unlock(&mem_hotplug_lock); }

/* The highest physical address + 1 a block may reach. */
static u64 mhp_max_pa(void)
{
	u64 physmem = 1ULL << MAX_PHYSMEM_BITS;

	return MIN((u64)DIRECT_MAP_SIZE, physmem);
}

int memhp_check_range(phys_addr_t start, u64 size)
{
	if (!size || !IS_ALIGNED(start, MEMORY_BLOCK_SIZE) || !IS_ALIGNED(size, MEMORY_BLOCK_SIZE))
		return -EINVAL;
	if (start + size < start || start + size > mhp_max_pa())
		return -ERANGE;
	return 0;
}

/* Clear section nr (after its vmemmap and direct map are gone). */
static void mhp_clear_section(unsigned long nr)
{
	struct mem_section *ms = sparse_section(nr);

	*ms = (struct mem_section){ 0 };
	sparse_section_remove(nr);
}

/* Undo a half-made add of section nr: what its vmemmap populate left (the
 * tables it made), its direct map, the section. */
static void mhp_undo_block(struct mhp_src *src)
{
	unsigned long va = vmemmap_section_va(src->nr);
	phys_addr_t start = (phys_addr_t)section_nr_to_pfn(src->nr) << PAGE_SHIFT;
	unsigned long freed = mhp_prune_tables(va, va + VMEMMAP_PAGES_PER_SECTION * PAGE_SIZE);

	if (freed)
		mhp_flush(va, va + VMEMMAP_PAGES_PER_SECTION * PAGE_SIZE, true);
	if (src->arch_done)
		arch_remove_memory(start, SECTION_SIZE, &src->arch);
	mhp_clear_section(src->nr);
}

/* Add section nr as an offline block (see the theory comment). */
static int mhp_add_block(unsigned long nr)
{
	phys_addr_t start = (phys_addr_t)section_nr_to_pfn(nr) << PAGE_SHIFT;
	struct mem_section *ms = sparse_section_alloc(nr);
	struct mhp_src src;
	int rc;

	if (!ms)
		return -ENOMEM;
	mhp_src_init(&src, nr, memhp_memmap_on_memory);
	ms->state = SECTION_PRESENT | (src.altmap ? SECTION_SELF_HOSTED : 0);
	ms->nr_altmap_pages = src.altmap ? VMEMMAP_PAGES_PER_SECTION : 0;
	ms->nr_present_pages = PAGES_PER_SECTION;
	ms->zone = ZONE_NORMAL;
	rc = arch_add_memory(start, SECTION_SIZE, &src.arch);
	src.arch_done = rc == 0;
	if (!rc)
		rc = mhp_populate_vmemmap(&src);
	if (rc) {
		mhp_undo_block(&src);
		return rc;
	}
	ms->state |= SECTION_MEMMAP;
	mhp_init_block_pages(nr);
	return 0;
}

/* Is every section of [first, end) absent? */
static bool mhp_range_absent(unsigned long first, unsigned long end)
{
	for (unsigned long nr = first; nr < end; nr++)
		if (sparse_section_has(nr, SECTION_PRESENT))
			return false;
	return true;
}

int add_memory_locked(phys_addr_t start, u64 size)
{
	unsigned long first = pfn_to_section_nr(start >> PAGE_SHIFT);
	unsigned long end = first + size / MEMORY_BLOCK_SIZE, nr;
	int rc = memhp_check_range(start, size);

	if (rc)
		return rc;
	if (!mhp_range_absent(first, end))
		return -EEXIST;
	fail_site_enter(FAIL_SITE_HOT_ADD);
	for (nr = first; nr < end && !rc; nr++) {
		spin_lock(&vmemmap_lock);
		rc = mhp_add_block(nr);
		spin_unlock(&vmemmap_lock);
	}
	fail_site_exit(FAIL_SITE_HOT_ADD);
	if (rc) {                               /* memoryN/ follows SECTION_PRESENT */
		nr--;                               /* the failed block undid itself */
		if (nr > first)
			mhp_remove_sections(first, nr);
	}
	return rc;
}

int add_memory(phys_addr_t start, u64 size)
{
	int rc;

	mem_hotplug_begin();
	rc = add_memory_locked(start, size);
	mem_hotplug_end();
	return rc;
}

/* ---------------------------------------------------------------- remove */

/* The vmemmap source a present hot-added section was populated from. */
static void mhp_src_of(struct mhp_src *src, unsigned long nr)
{
	mhp_src_init(src, nr, sparse_section_has(nr, SECTION_SELF_HOSTED));
}

/* Pages every section of [first, end) hosts: [first pfn, + altmap) each;
 * the moves are counted over the whole range [hs, he). */
static unsigned long mhp_moves_needed(unsigned long first, unsigned long end)
{
	phys_addr_t hs = (phys_addr_t)section_nr_to_pfn(first) << PAGE_SHIFT;
	phys_addr_t he = (phys_addr_t)section_nr_to_pfn(end) << PAGE_SHIFT;

	return mhp_count_moves(vmemmap_section_va(first), vmemmap_section_va(end), hs, he) +
	       arch_remove_memory_moves(hs, he - hs);
}

/* Tear down sections [first, end), all present with a memmap and offline.
 * 0 or -ENOMEM (the table moves could not be provisioned; nothing changed). */
int mhp_remove_sections(unsigned long first, unsigned long end)
{
	unsigned long vs = vmemmap_section_va(first), ve = vmemmap_section_va(end), freed;
	phys_addr_t hs = (phys_addr_t)section_nr_to_pfn(first) << PAGE_SHIFT;
	phys_addr_t he = (phys_addr_t)section_nr_to_pfn(end) << PAGE_SHIFT;
	struct mhp_table_alloc arch_alloc;
	struct mhp_pool pool;

	if (mhp_pool_fill(&pool, mhp_moves_needed(first, end)))
		return -ENOMEM;
	spin_lock(&vmemmap_lock);
	for (unsigned long nr = end; nr-- > first;) {
		struct mhp_src src;

		mhp_src_of(&src, nr);
		vmemmap_unmap_section(nr, &src.vm_alloc);
		sparse_section(nr)->state &= ~SECTION_MEMMAP;
	}
	mhp_move_tables(vs, ve, hs, he, &pool);
	freed = mhp_prune_tables(vs, ve);
	mhp_flush(vs, ve, freed);
	mhp_pool_arch_alloc(&pool, &arch_alloc);
	arch_remove_memory(hs, he - hs, &arch_alloc);
	mhp_pool_drain(&pool);
	for (unsigned long nr = end; nr-- > first;)
		mhp_clear_section(nr);
	spin_unlock(&vmemmap_lock);
	return 0;
}

/* Every section of [first, end): present, hot-added, with a memmap; 0,
 * -EINVAL (absent, boot memory) or -EBUSY (a block is online). */
static int mhp_check_removable(unsigned long first, unsigned long end)
{
	for (unsigned long nr = first; nr < end; nr++) {
		const struct mem_section *ms = sparse_section(nr);

		if (!ms || !(ms->state & SECTION_PRESENT) || (ms->state & SECTION_EARLY) ||
		    !(ms->state & SECTION_MEMMAP))
			return -EINVAL;
		if (ms->state & SECTION_ONLINE)
			return -EBUSY;
	}
	return 0;
}

int remove_memory_locked(phys_addr_t start, u64 size)
{
	unsigned long first = pfn_to_section_nr(start >> PAGE_SHIFT);
	unsigned long end = first + size / MEMORY_BLOCK_SIZE;
	int rc = memhp_check_range(start, size);

	if (rc)
		return rc == -ERANGE ? -EINVAL : rc;
	rc = mhp_check_removable(first, end);
	if (rc)
		return rc;
	pcp_drain_all();         /* offline drained the block; nothing may linger */
	return mhp_remove_sections(first, end);
}

int remove_memory(phys_addr_t start, u64 size)
{
	int rc;

	mem_hotplug_begin();
	rc = remove_memory_locked(start, size);
	mem_hotplug_end();
	return rc;
}

/* ---------------------------------------------------------------- DIMM paths */

int add_memory_driver_managed(phys_addr_t start, u64 size)
{
	unsigned long first = pfn_to_section_nr(start >> PAGE_SHIFT);
	int rc;

	mem_hotplug_begin();
	rc = add_memory_locked(start, size);
	if (!rc && memhp_default_online_type != MMOP_OFFLINE)
		for (unsigned long nr = first; nr < first + size / MEMORY_BLOCK_SIZE; nr++)
			online_memory_block_locked(nr, memhp_default_online_type);
	mem_hotplug_end();
	return rc;
}

/* Blocks one call may span: the whole of what hot-add can reach (512 GiB,
 * x86_64's direct map and arm64's first L1 table) in a 512-byte bitmap. */
#define MHP_MAX_BLOCKS 4096

int offline_and_remove_memory(phys_addr_t start, u64 size, unsigned long *busy_pfn)
{
	unsigned long first = pfn_to_section_nr(start >> PAGE_SHIFT);
	unsigned long end = first + size / MEMORY_BLOCK_SIZE, nr;
	u64 offlined[MHP_MAX_BLOCKS / 64] = { 0 };
	int rc = memhp_check_range(start, size);

	if (!rc && end - first > MHP_MAX_BLOCKS)
		rc = -ERANGE;
	mem_hotplug_begin();
	for (nr = first; nr < end && !rc; nr++)
		if (!sparse_section_has(nr, SECTION_PRESENT | SECTION_MEMMAP) ||
		    sparse_section_has(nr, SECTION_EARLY))
			rc = -EINVAL;
	for (nr = first; nr < end && !rc; nr++) {
		if (!sparse_section_has(nr, SECTION_ONLINE))
			continue;
		rc = offline_memory_block_locked(nr, busy_pfn);
		if (!rc)
			offlined[(nr - first) / 64] |= 1ULL << ((nr - first) % 64);
	}
	if (!rc)
		rc = remove_memory_locked(start, size);
	if (rc)                  /* put back what we offlined, in the zone it had */
		for (nr = first; nr < end; nr++)
			if (offlined[(nr - first) / 64] & (1ULL << ((nr - first) % 64)))
				online_memory_block_locked(nr, sparse_section(nr)->zone == ZONE_MOVABLE ?
							   MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL);
	mem_hotplug_end();
	return rc;
}

/* ---------------------------------------------------------------- parameters */

/* memory_hotplug.memmap_on_memory=1|0|Y|N|y|n|on|off */
static int mhp_param_memmap_on_memory(const char *val)
{
	if (val && (!strcmp(val, "1") || !strcmp(val, "Y") || !strcmp(val, "y") || !strcmp(val, "on")))
		memhp_memmap_on_memory = true;
	else if (val && (!strcmp(val, "0") || !strcmp(val, "N") || !strcmp(val, "n") ||
			 !strcmp(val, "off")))
		memhp_memmap_on_memory = false;
	else {
		printk("memory_hotplug.memmap_on_memory=%s: expected 1 or 0, ignored\n", val ? val : "");
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("memory_hotplug.memmap_on_memory", mhp_param_memmap_on_memory);
