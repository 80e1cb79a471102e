/* /proc/vmstat and /proc/meminfo: the page counters of mm/ next to the
 * event counters the arch bumps (TLB flushes).
 *
 *   managed (MemTotal) = pages handed to the buddy allocator
 *   free    (MemFree)  = pages on free lists now, the per-CPU lists drained
 *                        first (nr_free_pcp: pages on them after that drain,
 *                        non-zero only if another CPU refilled meanwhile)
 *   struct page memory = nr_memmap_boot_pages + nr_memmap_pages
 *                        (+ self-hosted pages of memmap-on-memory blocks)
 */
#include <pagoda/kernel.h>
#include <pagoda/pseudofs.h>
#include <asm/vmparam.h>
#include "mm/vmstat.h"
#include "mm/buddy.h"
#include "mm/pcp.h"

struct vm_event_row vm_event_cpu[NR_CPUS];
long vm_node_stat[NR_VM_NODE_STAT_ITEMS];

/* Until hugetlb publishes its figures (mm/hugetlb.c), Hugepagesize is the
 * PMD size: one table of 8-byte entries maps 2^(PAGE_SHIFT - 3) pages,
 * the first of HUGEPAGE_ORDERS on every arch (a constant, for sparse). */
struct hugetlb_meminfo hugetlb_meminfo = {
	.default_size_kb = (PAGE_SIZE << (PAGE_SHIFT - 3)) / 1024,
};

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

static const char *const vmstat_node_names[NR_VM_NODE_STAT_ITEMS] = {
	[NR_MEMMAP_PAGES] = "nr_memmap_pages",
	[NR_MEMMAP_BOOT_PAGES] = "nr_memmap_boot_pages",
	[NR_PAGE_TABLE_PAGES] = "nr_page_table_pages",
	[NR_HUGETLB_VMEMMAP_OPTIMIZED] = "nr_hugetlb_vmemmap_optimized",
	[NR_PAGE_POISON_CHECKED] = "nr_page_poison_checked",
};
static const char *const vmstat_event_names[NR_VM_EVENTS] = {
	[NR_TLB_LOCAL_FLUSH_ALL] = "nr_tlb_local_flush_all",
	[NR_TLB_LOCAL_FLUSH_ONE] = "nr_tlb_local_flush_one",
	[NR_TLB_REMOTE_FLUSH] = "nr_tlb_remote_flush",
	[NR_TLB_REMOTE_FLUSH_RECEIVED] = "nr_tlb_remote_flush_received",
	[NR_TLB_REMOTE_FLUSH_DEFERRED] = "nr_tlb_remote_flush_deferred",
	[NR_TLB_REMOTE_FLUSH_ON_WAKE] = "nr_tlb_remote_flush_on_wake",
	[NR_VMEMMAP_BBM_FAULT] = "nr_vmemmap_bbm_fault",
	[NR_TLB_LOCAL_FLUSH_RANGE] = "nr_tlb_local_flush_range",
};

/* /proc/vmstat: "name value" lines, free pages first as in Linux. */
static int vmstat_show(struct seq *s, void *priv)
{
	seq_printf(s, "nr_free_pages %lu\n", nr_free_pages());       /* drains the per-CPU lists */
	seq_printf(s, "nr_free_pcp %lu\n", nr_free_pcp());
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		seq_printf(s, "%s %ld\n", vmstat_node_names[i], vm_node_stat[i]);
	for (int i = 0; i < NR_VM_EVENTS; i++)
		seq_printf(s, "%s %llu\n", vmstat_event_names[i], (unsigned long long)vm_event_read(i));
	return 0;
}
PSEUDO_FILE("/proc/vmstat", vmstat_show, NULL);

/* /proc/meminfo in Linux's format.  MemAvailable equals MemFree: there is
 * no page cache or reclaimable slab, and no watermarks yet. */
static int meminfo_show(struct seq *s, void *priv)
{
	const struct hugetlb_meminfo *h = &hugetlb_meminfo;

	seq_printf(s, "%-16s%8lu kB\n", "MemTotal:", K(totalram_pages()));
	seq_printf(s, "%-16s%8lu kB\n", "MemFree:", K(nr_free_pages()));
	seq_printf(s, "%-16s%8lu kB\n", "MemAvailable:", K(nr_free_pages()));
	seq_printf(s, "%-16s%8lu kB\n", "PageTables:", K(node_stat(NR_PAGE_TABLE_PAGES)));
	seq_printf(s, "HugePages_Total:   %5lu\n", h->nr_total);
	seq_printf(s, "HugePages_Free:    %5lu\n", h->nr_free);
	seq_printf(s, "HugePages_Rsvd:    %5lu\n", h->nr_resv);
	seq_printf(s, "HugePages_Surp:    %5lu\n", h->nr_surplus);
	seq_printf(s, "%-16s%8lu kB\n", "Hugepagesize:", h->default_size_kb);
	seq_printf(s, "%-16s%8lu kB\n", "Hugetlb:", h->total_kb);
	return 0;
}
PSEUDO_FILE("/proc/meminfo", meminfo_show, NULL);
