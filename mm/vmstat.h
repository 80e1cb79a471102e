/* mm page counters (Linux's node_stat_item) and the hugetlb summary that
 * /proc/meminfo prints.  Event counters (TLB flushes) are vm_event_read() of
 * include/pagoda/vmstat.h. */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H
#include <pagoda/types.h>
#include <pagoda/vmstat.h>

enum node_stat_item {
	NR_MEMMAP_PAGES,                 /* struct page memory from the buddy allocator */
	NR_MEMMAP_BOOT_PAGES,            /* struct page memory from memblock */
	NR_PAGE_TABLE_PAGES,             /* kernel page-table pages made by mm/pgwalk.c */
	NR_HUGETLB_VMEMMAP_OPTIMIZED,    /* huge pages whose vmemmap is optimized now */
	NR_PAGE_POISON_CHECKED,          /* pages whose poison was verified on allocation */
	NR_VM_NODE_STAT_ITEMS
};
extern long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
static inline void mod_node_stat(enum node_stat_item i, long delta) { vm_node_stat[i] += delta; }
static inline long node_stat(enum node_stat_item i) { return vm_node_stat[i]; }

/* Filled by the hugetlb code (mm/hugetlb*.c) as pools change; meminfo
 * prints it.  Until pools exist every count is a real zero. */
struct hugetlb_meminfo {
	unsigned long nr_total;          /* pages of the default size */
	unsigned long nr_free;
	unsigned long nr_resv;
	unsigned long nr_surplus;
	unsigned long default_size_kb;   /* Hugepagesize */
	unsigned long total_kb;          /* Hugetlb: all sizes, in kB */
};
extern struct hugetlb_meminfo hugetlb_meminfo;
#endif
