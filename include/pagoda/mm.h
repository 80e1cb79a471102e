/* What generic kernel code and the arches need from mm/. */
#ifndef PAGODA_MM_H
#define PAGODA_MM_H
#include <pagoda/types.h>
struct bootinfo;

/* Bring up memory management from bootinfo: memblock (honouring mem=),
 * sparse sections, the vmemmap, and the buddy allocator; retire memblock. */
void mm_init(struct bootinfo *bi);

/* Boot-time physical allocation (memblock) for arch code before the buddy
 * allocator runs: size bytes aligned to align, zeroed, below limit (0 = any).
 * Panics when memory is exhausted. */
phys_addr_t memblock_alloc_phys(u64 size, u64 align);
#endif
