/* arch_add_memory / arch_remove_memory on x86_64: nothing to map.
 *
 *   kernel_pgd[273] -> boot_pdpt_direct: 512 x 1 GiB pages = PAGE_OFFSET + [0, 512 GiB)
 *
 * The boot direct map (arch/x86_64/kmap.c) already covers every physical
 * address below DIRECT_MAP_SIZE with 1 GiB pages, present or not, so a
 * hot-added range is reachable the moment it exists: add is a range check
 * and takes no table, remove changes nothing and flushes nothing. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <asm/vmparam.h>

int arch_add_memory(phys_addr_t start, u64 size, const struct mhp_table_alloc *a)
{
	if (!size || start + size < start || start + size > DIRECT_MAP_SIZE)
		return -ERANGE;
	return 0;
}

unsigned long arch_remove_memory_moves(phys_addr_t start, u64 size) { return 0; }

void arch_remove_memory(phys_addr_t start, u64 size, const struct mhp_table_alloc *a)
{
	KASSERT(start + size <= DIRECT_MAP_SIZE, "[%#llx, +%#llx) beyond the direct map",
		(unsigned long long)start, (unsigned long long)size);
}
