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
 *   | flags  |refcount| order  | lru.next/.prev  | compound_info | c_order| mapcnt | private| pad   |
 *   +--------+--------+--------+-----------------+---------------+--------+--------+--------+-------+
 *
 * flags:        PG_* bits below; zone number in bits [ZONE_SHIFT, ZONE_SHIFT+2)
 * order:        buddy order while PG_buddy (free block head)
 * lru:          free-list / pool links
 * compound_info: 0, or in a tail of a compound page of order o the mask
 *               ~((64 << o) - 1) | 1 (below); bit 0 set = "I am a tail"
 * c_order:      compound order, kept in the head
 *
 * The tail encoding.  sizeof(struct page) is a power of two (64) and the
 * head of an order-o compound page sits at a pfn aligned to 2^o, so its
 * struct page sits at a vmemmap address aligned to 64 << o.  A tail does not
 * store where its head is, only how far to round down to find it:
 *
 *   order 9 (2 MiB): 512 struct pages = 32 KiB of vmemmap = 8 vmemmap pages
 *
 *   va  ...8000 (aligned to 64 << 9 = 0x8000)                    ...ffc0
 *       +------+------+------+----   ----+------+  ...  +------+------+
 *       | head | t1   | t2   |    ...    | t63  |  ...  | t510 | t511 |
 *       +------+------+------+----   ----+------+  ...  +------+------+
 *       |<---- vmemmap page 0 (kept) ---->|<--- pages 1..7: tails only -->|
 *
 *   compound_info(t) = ~(0x8000 - 1) | 1 = 0xffff...8001   for every tail
 *   compound_head(t) = t & compound_info      (t is 64-byte aligned, so
 *                                              bit 0 of the mask is harmless)
 *
 * So a tail's struct page is a function of (order, zone) alone:
 *
 *   tail = { .flags = zone << ZONE_SHIFT, .compound_info = mask(order) | 1,
 *            everything else 0 }                          (page_init_tail())
 *
 * and every vmemmap page that holds only tails is byte-identical across all
 * huge pages of that order and zone.  HVO (mm/hugetlb_vmemmap.c) maps vmemmap
 * pages 1..N-1 of every huge page read-only onto one shared page of such
 * tails per (zone, order) and keeps only vmemmap page 0, which holds the
 * per-huge-page data: the head and page[1] (COMPOUND_DATA_PAGES; pool data
 * may go in page[1]'s mapcount/private, as Linux keeps folio fields there).
 * Nothing may write a tail beyond vmemmap page 0 of an optimized huge page:
 * it is read-only and shared.
 *
 * A "plain" page is { .flags = zone << ZONE_SHIFT, everything else 0 }:
 * what a dissolved huge page goes back as, what buddy_del_locked() leaves
 * of a merged block head, and what an owner must leave in a page it frees.
 * One field escapes the free path: a freed block that merges into a lower
 * buddy keeps its order.  So compound setup writes the 63 tails of the
 * head's vmemmap page whole (page_init_tail()) and sets order as well as
 * compound_info in the others (HVO off), and alloc_contig_range_hugetlb()
 * does not touch the tails at all: with HVO, all but 63 of them are
 * replaced by the shared page without being read.
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
	unsigned long compound_info;   /* tails: compound_info_tail(order); else 0 */
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
	PG_vmemmap_optimized, /* head of a huge page whose tail vmemmap is the shared tail page (HVO) */
	PG_pcp,          /* free order-0 page on a per-CPU list (mm/pcp.c) */
	PG_zeroed,       /* head of a free buddy block whose pages hold only zero bytes (mm/buddy.c) */
	PG_vmemmap_restored, /* head whose vmemmap rows 1..N-1 a restore just made plain (destroy skips them) */
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
/* Struct pages of a compound page that may carry per-huge-page data
 * (head, page[1]); they must lie in vmemmap page 0, the one HVO keeps. */
#define COMPOUND_DATA_PAGES 2
_Static_assert(COMPOUND_DATA_PAGES <= PAGE_SIZE / sizeof(struct page),
	       "head and page[1] must fit in the kept head vmemmap page");
_Static_assert(offsetof(struct page, compound_info) % sizeof(unsigned long) == 0,
	       "compound_info is one aligned word");

/* The compound_info of every tail of an order-order compound page. */
static inline unsigned long compound_info_tail(unsigned int order)
{
	return ~((sizeof(struct page) << order) - 1) | 1UL;
}
static inline bool page_is_tail(const struct page *p) { return p->compound_info & 1; }
/* The head of p's compound page (p itself if p is not a tail). */
static inline struct page *compound_head(struct page *p)
{
	return page_is_tail(p) ? (struct page *)((unsigned long)p & p->compound_info) : p;
}
/* Make p a tail of an order-order compound page: one store (p is plain). */
static inline void page_set_tail(struct page *p, unsigned int order)
{
	p->compound_info = compound_info_tail(order);
}
/* The canonical tail of (order, zone): every byte of it (see above). */
static inline void page_init_tail(struct page *p, unsigned int order, enum zone_type z)
{
	*p = (struct page){ .flags = (u64)z << ZONE_SHIFT, .compound_info = compound_info_tail(order) };
}
/* Is p plain: exactly what the free path leaves in a non-head page? */
static inline bool page_is_plain(const struct page *p)
{
	struct page plain = { .flags = p->flags & (3UL << ZONE_SHIFT) };

	return !__builtin_memcmp(p, &plain, sizeof(plain));
}
#endif
