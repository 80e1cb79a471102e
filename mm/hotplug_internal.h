/* mm-internal glue of the memory hotplug files (mm/memory_hotplug.c,
 * mm/memory_online.c, mm/hotplug_pgtable.c, mm/memory_block.c). */
#ifndef MM_HOTPLUG_INTERNAL_H
#define MM_HOTPLUG_INTERNAL_H
#include <pagoda/types.h>
#include <pagoda/arch.h>
#include "mm/sparse_vmemmap.h"

/* Tables a block may have to host besides its PTE table (vmemmap PMD,
 * arm64 direct-map L2, and slack). */
#define MHP_MAX_ALTMAP_TABLES 8
/* Tables one remove may have to move out of its range: per VA range
 * (vmemmap, direct map) at most one per level at each end. */
#define MHP_MAX_MOVES 8

/* Where the add of section nr takes its memmap frames and tables. */
struct mhp_src {
	unsigned long nr;
	bool altmap;                     /* memmap_on_memory: from the block itself */
	unsigned long frames;            /* altmap frames handed out */
	unsigned long tables;            /* altmap tables handed out */
	struct vmemmap_alloc vm_alloc;   /* for vmemmap_populate_section() */
	struct mhp_table_alloc arch;     /* for arch_add_memory() */
	bool arch_done;                  /* arch_add_memory() succeeded */
};
void mhp_src_init(struct mhp_src *src, unsigned long nr, bool altmap);
/* Populate section src->nr's vmemmap from src (0 or -ENOMEM/-EEXIST; the
 * pages it mapped are unmapped again on failure, tables stay). */
int mhp_populate_vmemmap(struct mhp_src *src);

/* Is pfn one of the self-hosted (altmap) pages of its section? */
bool mhp_pfn_self_hosted(unsigned long pfn);
/* Give an emptied table back: self-hosted ones vanish, buddy ones are
 * freed and uncharged, boot ones stay.  (struct mhp_table_alloc.free) */
void mhp_table_free(phys_addr_t pa, void *ctx);

/* Pages for table moves, allocated before a remove changes anything. */
struct mhp_pool {
	phys_addr_t pa[MHP_MAX_MOVES];
	int n, used;
};
int mhp_pool_fill(struct mhp_pool *pool, unsigned long n);     /* 0 or -ENOMEM (pool empty) */
phys_addr_t mhp_pool_take(struct mhp_pool *pool);             /* charged, PG_pgtable */
void mhp_pool_drain(struct mhp_pool *pool);                   /* free what was not taken */
void mhp_pool_arch_alloc(struct mhp_pool *pool, struct mhp_table_alloc *a);

/* Tables under VA [start, end) lying in physical [hs, he) that still map
 * VA outside the range: count them / move them into pool pages. */
unsigned long mhp_count_moves(unsigned long start, unsigned long end, phys_addr_t hs, phys_addr_t he);
void mhp_move_tables(unsigned long start, unsigned long end, phys_addr_t hs, phys_addr_t he,
		     struct mhp_pool *pool);
/* Unlink and free every table under VA [start, end) left with no entry;
 * returns how many.  The root stays.  No TLB flush (mhp_flush()). */
unsigned long mhp_prune_tables(unsigned long start, unsigned long end);
void mhp_flush(unsigned long start, unsigned long end, bool tables_freed);

/* Fault injection for tests: when non-zero, the n-th allocation of a
 * hotplug operation from now (frame, table or move page) fails. */
extern unsigned long memhp_fail_nth_alloc;

/* mm/memory_hotplug.c: tear down sections [first, end) (present, memmap,
 * offline): 0, or -ENOMEM with nothing changed. */
int mhp_remove_sections(unsigned long first, unsigned long end);

/* mm/memory_online.c */
/* Struct pages of a freshly added (or offlined) block: altmap pages
 * PG_vmemmap_self_hosted | PG_reserved, the rest PG_offline. */
void mhp_init_block_pages(unsigned long nr);

/* The operations with mem_hotplug_begin() held by the caller (the public
 * entry points take it once, so composite paths - the DIMM add+online, the
 * eject offline+remove - are one critical section). */
int add_memory_locked(phys_addr_t start, u64 size);
int remove_memory_locked(phys_addr_t start, u64 size);
int online_memory_block_locked(unsigned long nr, enum mhp_online_type t);
int offline_memory_block_locked(unsigned long nr, unsigned long *busy_pfn);
#endif
