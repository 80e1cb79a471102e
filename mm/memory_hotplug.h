/* Memory hotplug: add, online, offline and remove RAM in 128 MiB blocks
 * while the kernel runs (mm/memory_hotplug.c; the sysfs view, `lsmem` and
 * `mem add/remove` are mm/memory_block.c; the design is docs/hotplug.md).
 *
 *   state machine of one block (one section):
 *
 *     (absent) --add--> OFFLINE --online--> ONLINE (Normal | Movable)
 *        ^                 |   <--offline--    (isolate, every page free)
 *        `-----remove------'
 *
 * With memmap_on_memory (default) a block's struct pages (512 frames) and
 * the page-table pages that map them and extend the direct map come from
 * the start of the block itself (the altmap): a hot-add takes no page of
 * existing memory.  Every function serialises on the hotplug lock
 * (mem_hotplug_begin/end: a plain spinlock, LOCK_ORDER_HOTPLUG, held for the
 * whole operation and never irqsave: never call them from IRQ context);
 * each returns 0 or a negative errno with nothing changed. */
#ifndef MM_MEMORY_HOTPLUG_H
#define MM_MEMORY_HOTPLUG_H
#include <pagoda/types.h>
#include "mm/sparse.h"

#define MEMORY_BLOCK_SIZE SECTION_SIZE  /* 128 MiB, one section */

enum mhp_online_type { MMOP_OFFLINE, MMOP_ONLINE, MMOP_ONLINE_KERNEL, MMOP_ONLINE_MOVABLE };

/* The hotplug lock (Linux's mem_hotplug_begin/end): add, online, offline
 * and remove take it; the outermost lock of mm/ (lock order in
 * include/pagoda/spinlock.h). */
void mem_hotplug_begin(void);
void mem_hotplug_end(void);

/* Add [start, start + size): every block present and offline.  0 or
 * -EINVAL (misaligned, zero), -EEXIST (overlaps present memory), -ERANGE
 * (beyond what the direct map / MAX_PHYSMEM_BITS reach), -ENOMEM; nothing
 * changed on error. */
int add_memory(phys_addr_t start, u64 size);
/* Online block block_id (= section number) to the zone t asks for
 * (MMOP_ONLINE: the default zone, see memhp_valid_zones()).  -EINVAL if
 * absent, already online or the zone is not allowed. */
int online_memory_block(unsigned long block_id, enum mhp_online_type t);
/* Offline block block_id: isolate it, dissolve free huge pages, and take
 * every page but the altmap off the free lists.  -EBUSY with the first busy
 * pfn in *busy_pfn (isolation undone), -EINVAL if absent or offline. */
int offline_memory_block(unsigned long block_id, unsigned long *busy_pfn);
/* The checks every request starts with: 0, -EINVAL (zero size, not
 * block-aligned) or -ERANGE (beyond DIRECT_MAP_SIZE / MAX_PHYSMEM_BITS). */
int memhp_check_range(phys_addr_t start, u64 size);
/* Remove [start, start + size): every block must be present and offline,
 * else -EBUSY (-EINVAL if misaligned or not added by add_memory). */
int remove_memory(phys_addr_t start, u64 size);
/* The DIMM path: add, then online per memhp_default_state and
 * auto_online_blocks; prints nothing. */
int add_memory_driver_managed(phys_addr_t start, u64 size);
/* The eject path: offline every block then remove; -EBUSY with *busy_pfn
 * and every block put back online as it was. */
int offline_and_remove_memory(phys_addr_t start, u64 size, unsigned long *busy_pfn);

/* What offline needs from HugeTLB (mm/hugetlb.c): dissolve every FREE huge
 * page in [start_pfn, end_pfn); -EBUSY if an in-use one is there, -ENOMEM
 * if one's vmemmap could not be restored (it stays in the pool). */
int dissolve_free_huge_pages(unsigned long start_pfn, unsigned long end_pfn);

/* Policy knobs (boot parameters and sysfs). */
extern bool memhp_memmap_on_memory;            /* memory_hotplug.memmap_on_memory= */
extern enum mhp_online_type memhp_default_online_type;   /* memhp_default_state= */

/* Zones block_id may be onlined to, Linux's valid_zones rules: bit
 * (1 << ZONE_NORMAL) and/or (1 << ZONE_MOVABLE); 0 if it is absent. */
unsigned int memhp_valid_zones(unsigned long block_id);
/* The zone an online request t would give offline block block_id. */
enum zone_type memhp_zone_for(unsigned long block_id, enum mhp_online_type t);
/* "offline", "online", "online_kernel", "online_movable" <-> enum (-EINVAL). */
int memhp_online_type_parse(const char *s);
const char *memhp_online_type_name(enum mhp_online_type t);
/* The pfn holding block_id's first page that the buddy allocator may use
 * (after its self-hosted pages). */
unsigned long memhp_block_first_usable_pfn(unsigned long block_id);
/* What holds pfn, for the offline error line: "allocated page",
 * "reserved page", "in-use huge page", ... */
const char *memhp_pfn_owner(unsigned long pfn);
/* Is block block_id absent and free RAM of the firmware map (what `mem
 * add` takes)?  (mm/memory_block.c) */
bool memhp_block_is_free_ram(unsigned long block_id);
/* vm_check's "memory blocks" checker (mm/memory_online.c). */
struct vm_check;
bool memhp_vm_check(struct vm_check *c);
/* mm/memory_block.c: the memoryN/ family (an initcall; host tests call it
 * after boot).  memoryN/ exists exactly while section N is PRESENT. */
int memory_blocks_init(void);
#endif
