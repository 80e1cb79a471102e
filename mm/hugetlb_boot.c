/* HugeTLB pools at boot: hugepagesz=SIZE hugepages=N (Linux rules).
 *
 *   cmdline_parse()            hugepagesz=1G hugepages=2 hugepagesz=2M hugepages=64
 *     -> hugetlb_boot_count[]  per size (hugepages= before any hugepagesz=
 *                              is for the default size, 2 MiB)
 *   mm_init(): memblock phase
 *     -> hugetlb_reserve_bootmem()   gigantic pages (order > MAX_ORDER) are
 *                                    carved from memblock, top-down, aligned
 *                                    to their size, before the memmap and the
 *                                    buddy allocator exist (as Linux does)
 *
 *        memblock memory  [==========================================)
 *        reserved             [k]                [ 1 GiB huge page  ][memmap]
 *                                                 ^ struct hugetlb_bootmem
 *                                                   written in its first bytes
 *   hugetlb_init() (initcall: buddy allocator up)
 *     -> each bootmem page: struct pages made plain (they were PG_reserved),
 *        the zone's managed pages grow by its size (MemTotal includes it, as
 *        in Linux), and it joins its pool as a fresh page of a grow batch
 *     -> the rest of hugepages= (and smaller sizes) grow from the buddy
 *        allocator like an `echo N > nr_hugepages`.
 *
 * The list of bootmem pages lives in the pages themselves (Linux's
 * struct huge_bootmem_page), so any number can be reserved. */
#include <pagoda/kernel.h>
#include <pagoda/cmdline.h>
#include <pagoda/init.h>
#include <pagoda/list.h>
#include "mm/hugetlb.h"
#include "mm/hugetlb_internal.h"
#include "mm/memblock.h"
#include "mm/buddy.h"
#include "mm/sparse.h"

/* Per size: pages asked for with hugepages=, and whether it was given. */
static unsigned long hugetlb_boot_count[NR_HUGEPAGE_SIZES];
static bool hugetlb_boot_given[NR_HUGEPAGE_SIZES];
/* Index of the size named by the last valid hugepagesz=; -1 after an
 * invalid one (its hugepages= is then ignored, as in Linux). */
static int hugetlb_boot_size;

/* A gigantic page reserved from memblock, described in its own first bytes. */
struct hugetlb_bootmem {
	struct list_head list;
	struct hstate *h;
};
static struct list_head hugetlb_bootmem_list = LIST_HEAD_INIT(hugetlb_bootmem_list);
static u64 hugetlb_bootmem_total;

u64 hugetlb_bootmem_bytes(void) { return hugetlb_bootmem_total; }

/* hugepagesz=SIZE: following hugepages= are for SIZE. */
static int hugetlb_param_size(const char *val)
{
	struct hstate *h;
	u64 bytes;

	if (!val || kparse_size(val, &bytes) || !(h = hstate_by_size(bytes))) {
		printk("HugeTLB: unsupported hugepagesz=%s, ignoring it and its hugepages=\n",
		       val ? val : "");
		hugetlb_boot_size = -1;
		return -EINVAL;
	}
	hugetlb_boot_size = (int)(h - hstates);
	return 0;
}
KERNEL_PARAM("hugepagesz", hugetlb_param_size);

/* hugepages=N: pool size for the last hugepagesz= (default size first). */
static int hugetlb_param_pages(const char *val)
{
	int i = hugetlb_boot_size;
	u64 n;

	if (i < 0) {
		printk("HugeTLB: hugepages=%s does not follow a valid hugepagesz, ignoring\n",
		       val ? val : "");
		return -EINVAL;
	}
	if (!val || kstrtou64(val, 0, &n)) {
		printk("HugeTLB: hugepages=%s is not a number, ignoring\n", val ? val : "");
		return -EINVAL;
	}
	if (hugetlb_boot_given[i]) {
		printk("HugeTLB: hugepages= specified twice for %s, ignoring\n", hstates[i].name);
		return -EINVAL;
	}
	hugetlb_boot_given[i] = true;
	hugetlb_boot_count[i] = (unsigned long)n;
	return 0;
}
KERNEL_PARAM("hugepages", hugetlb_param_pages);

/* The highest free memblock range of size bytes aligned to size, or 0. */
static phys_addr_t hugetlb_bootmem_find(u64 size)
{
	phys_addr_t s, e, best = 0;
	u64 cursor = 0;

	while (memblock_next_free_range(&cursor, &s, &e)) {
		phys_addr_t cand;

		if (e < s + size)
			continue;
		cand = ALIGN_DOWN(e - size, size);
		if (cand >= s && cand > best)
			best = cand;
	}
	return best;
}

void hugetlb_reserve_bootmem(void)
{
	hugetlb_init_hstates();
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++) {
		struct hstate *h = &hstates[i];
		u64 size = (u64)PAGE_SIZE << h->order;
		unsigned long n;

		if (h->order <= MAX_ORDER)
			continue;
		for (n = 0; n < hugetlb_boot_count[i]; n++) {
			phys_addr_t pa = hugetlb_bootmem_find(size);
			struct hugetlb_bootmem *m;

			if (!pa)
				break;
			memblock_reserve(pa, size);
			hugetlb_bootmem_total += size;
			m = __va(pa);
			m->h = h;
			list_add_tail(&m->list, &hugetlb_bootmem_list);
		}
		if (n < hugetlb_boot_count[i])
			printk("HugeTLB: allocating %lu of page size %luM failed (memblock has no "
			       "more aligned free ranges); only %lu from memblock\n",
			       hugetlb_boot_count[i], hstate_kb(h) >> 10, n);
	}
}

/* Make the memblock-reserved frames of a bootmem page plain struct pages
 * of a managed page of its zone; the head keeps refcount 1, as a fresh
 * page from the buddy allocator does. */
static struct page *hugetlb_bootmem_adopt(struct hugetlb_bootmem *m)
{
	unsigned long pfn = __pa(m) >> PAGE_SHIFT, n = hstate_pages(m->h);
	struct page *head = pfn_to_page(pfn);
	enum zone_type zt = page_zone_id(head);

	list_del(&m->list);
	for (unsigned long i = 0; i < n; i++)
		head[i] = (struct page){ .flags = (u64)zt << ZONE_SHIFT };
	head->refcount = 1;
	zones[zt].managed_pages += n;
	return head;
}

/* Bootmem pages join their pools in batches; returns how many joined h. */
static unsigned long hugetlb_gather_bootmem(struct hstate *h)
{
	struct list_head batch, *e, *next;
	unsigned long n = 0;

	list_init(&batch);
	list_for_each_safe(e, next, &hugetlb_bootmem_list) {
		struct hugetlb_bootmem *m = list_entry(e, struct hugetlb_bootmem, list);
		struct page *head;

		if (m->h != h)
			continue;
		head = hugetlb_bootmem_adopt(m);
		list_add_tail(&head->lru, &batch);
		n++;
	}
	hugetlb_add_fresh_batch(h, &batch);
	return n;
}

int hugetlb_init(void)
{
	hugetlb_init_hstates();
	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++) {
		struct hstate *h = &hstates[i];
		unsigned long boot = hugetlb_gather_bootmem(h);

		if (hugetlb_boot_count[i] > h->nr_huge_pages)
			hugetlb_set_pool(h, hugetlb_boot_count[i]);
		printk("HugeTLB: registered %lu kB page size, pre-allocated %lu pages (%lu from memblock)\n",
		       hstate_kb(h), h->nr_huge_pages, boot);
		if (hugetlb_boot_given[i] && h->nr_huge_pages < hugetlb_boot_count[i])
			printk("HugeTLB: allocating %lu of page size %lu kB failed; only %lu\n",
			       hugetlb_boot_count[i], hstate_kb(h), h->nr_huge_pages);
	}
	hugetlb_update_meminfo();
	return hugetlb_sysfs_init();
}
INITCALL(hugetlb_init);
