/* struct page: one 64-byte descriptor per 4 KiB frame, in the virtual
 * array at VMEMMAP_START (sparse vmemmap).  pfn <-> page is pure arithmetic:
 *
 *   page = (struct page *)VMEMMAP_START + pfn
 *   one 4 KiB vmemmap page holds 64 struct pages (256 KiB of memory);
 *   one 128 MiB section needs 32768 struct pages = 512 vmemmap pages.
 *
 * Layout (bytes):
 *
 *   0        8        12       16                32              40       44       48       56      64
 *   +--------+--------+--------+-----------------+---------------+--------+--------+--------+-------+
 *   | flags  |refcount| order  | lru.next/.prev  | compound_head | c_order| mapcnt | private| pad   |
 *   +--------+--------+--------+-----------------+---------------+--------+--------+--------+-------+
 *
 * flags:        PG_* bits below; zone number in bits [ZONE_SHIFT, ZONE_SHIFT+2)
 * order:        buddy order while PG_buddy (free block head)
 * lru:          free-list / pool links
 * compound_head: tails of a compound (huge) page hold (head | 1); 0 otherwise.
 *               Every tail beyond page[1] holds *only* this, so the vmemmap
 *               pages of the tails are byte-identical: that is what lets
 *               HVO map them all onto one shared read-only page.
 * c_order:      compound order, kept in the head (and page[1]).
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H
#include <pagoda/types.h>
#include <pagoda/list.h>
#include <asm/vmparam.h>

struct page {
	u64 flags;
	s32 refcount;
	u32 order;
	struct list_head lru;
	unsigned long compound_head;
	u32 compound_order;
	u32 mapcount;
	unsigned long private;
	unsigned long _pad;
};
_Static_assert(sizeof(struct page) == 64, "struct page must be 64 bytes");
_Static_assert((sizeof(struct page) & (sizeof(struct page) - 1)) == 0,
	       "struct page size must be a power of two");

enum pageflags {
	PG_reserved,     /* never handed to the buddy allocator (holes, kernel, firmware) */
	PG_buddy,        /* head of a free buddy block; order in page->order */
	PG_head,         /* head of a compound page */
	PG_hugetlb,      /* compound page owned by a hugetlb pool */
	PG_vmemmap_self_hosted, /* frame holds a memmap-on-memory block's own memmap */
	PG_offline,      /* in an offline memory block */
	PG_poisoned,     /* contents are the free poison pattern */
	PG_memmap,       /* frame backs vmemmap (struct pages) */
	PG_pgtable,      /* frame is a kernel page-table page */
	NR_PAGEFLAGS
};

#define ZONE_SHIFT 60
enum zone_type { ZONE_NORMAL, ZONE_MOVABLE, NR_ZONES };

#define MAX_ORDER      10                 /* orders 0..MAX_ORDER inclusive */
#define NR_ORDERS      (MAX_ORDER + 1)

#define vmemmap ((struct page *)VMEMMAP_START)
static inline struct page *pfn_to_page(unsigned long pfn) { return vmemmap + pfn; }
static inline unsigned long page_to_pfn(const struct page *p) { return (unsigned long)(p - vmemmap); }

static inline bool page_test_flag(const struct page *p, enum pageflags f) { return p->flags & (1UL << f); }
static inline void page_set_flag(struct page *p, enum pageflags f) { p->flags |= 1UL << f; }
static inline void page_clear_flag(struct page *p, enum pageflags f) { p->flags &= ~(1UL << f); }
static inline enum zone_type page_zone_id(const struct page *p) { return (enum zone_type)((p->flags >> ZONE_SHIFT) & 3); }
static inline void page_set_zone(struct page *p, enum zone_type z)
{
	p->flags = (p->flags & ~(3UL << ZONE_SHIFT)) | ((u64)z << ZONE_SHIFT);
}
static inline bool page_is_tail(const struct page *p) { return p->compound_head & 1; }
static inline struct page *compound_head(struct page *p)
{
	return page_is_tail(p) ? (struct page *)(p->compound_head - 1) : p;
}
#endif
