/* memblock: the boot-time physical range allocator (mm-internal view).
 *
 * Two sorted, non-overlapping, merged region arrays describe RAM:
 *
 *   memory:   [====A====)   [========B========)        usable RAM (after mem=)
 *   reserved:   [k)   [m)          [mmmmmm)             kernel, modules, DTB,
 *                                                       and every allocation
 *   free    = memory - reserved
 *
 * memblock_alloc_phys() carves top-down (highest free fit first, like Linux)
 * and records the carve in `reserved`.  When the buddy allocator takes over,
 * the free ranges are released to it and memblock is retired: further
 * allocations panic, and everything in `reserved` stays PG_reserved forever. */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H
#include <pagoda/types.h>
#include <pagoda/mm.h>
struct bootinfo;

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base;
	u64 size;
};

struct memblock_type {
	int cnt;
	u64 total;                         /* bytes in all regions */
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
	const char *name;
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	u64 mem_limit;                     /* mem=; 0 = no limit */
	phys_addr_t current_limit;         /* allocations end below this; 0 = no limit */
	bool retired;
	u64 firmware_usable;               /* usable bytes in the firmware map */
	u64 kernel_bytes;                  /* bootinfo.reserved + frame 0, inside memory */
	u64 alloc_bytes;                   /* carved by memblock_alloc_phys() */
};
extern struct memblock memblock;

/* Build memblock from the firmware map: usable ranges (page-aligned inward),
 * minus firmware-reserved/ACPI ranges, minus bootinfo.reserved (reserved),
 * then apply mem=. */
void memblock_init(const struct bootinfo *bi);
int memblock_add(phys_addr_t base, u64 size);
int memblock_remove(phys_addr_t base, u64 size);
int memblock_reserve(phys_addr_t base, u64 size);
/* Allocations end below limit from now on (Linux's memblock_set_current_limit):
 * memblock_init() sets it to DIRECT_MAP_SIZE, so every carve is reachable
 * through __va(). */
void memblock_set_current_limit(phys_addr_t limit);
/* Drop RAM at or above limit (no direct map reaches it), printing one
 * warning line per dropped range. */
void memblock_cap_direct_map(phys_addr_t limit);
/* Keep only the memory below the address where `limit` bytes of RAM are covered. */
void memblock_enforce_memory_limit(u64 limit);
/* memblock_alloc_phys() (include/pagoda/mm.h) without the panic: 0 when no
 * free range has size bytes at align, so callers can fall back to smaller
 * pieces.  Panics after memblock_retire() all the same. */
phys_addr_t memblock_alloc_try(u64 size, u64 align);
/* After this, memblock_alloc_phys() and memblock_alloc_try() panic. */
void memblock_retire(void);
bool memblock_is_memory(phys_addr_t pa);
bool memblock_is_reserved(phys_addr_t pa);
phys_addr_t memblock_end_of_ram(void);

/* Iterate free ranges [*start, *end) in ascending order; *idx starts at 0.
 * Returns false when done. */
bool memblock_next_free_range(u64 *idx, phys_addr_t *start, phys_addr_t *end);
#endif
