/* In-kernel selftests of HVO (mm/hugetlb_vmemmap.c) on the real page
 * tables of each arch (the host tests cover the same logic on the
 * simulated vmemmap; these run the arch's batch, TLB flush and fault path):
 *
 *   hvo_ro_tail    a write into the shared tail page faults as a write to a
 *                  read-only mapping (what `poke` reports), reads resolve the
 *                  head, the head vmemmap page stays writable; restore brings
 *                  every counter back
 *   hvo_batch_64   64 huge pages optimized as one batch: at most one global
 *                  TLB flush, one shared tail page, 64 x 7 frames freed
 *
 * Huge pages are taken straight from the buddy allocator's free max-order
 * blocks with alloc_contig_range_hugetlb(), as the pool code does. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <pagoda/vmstat.h>
#include "mm/buddy.h"
#include "mm/vmstat.h"
#include "mm/vm_check.h"
#include "mm/hugetlb_vmemmap.h"

#define HVO_TEST_ORDER 9

/* Take up to n 2 MiB pages from free max-order blocks onto l; how many. */
static unsigned long hvo_test_take(struct list_head *l, unsigned long n)
{
	unsigned long got = 0;

	while (got < n) {
		struct free_area *fa = &zones[ZONE_NORMAL].free_area[MAX_ORDER];
		unsigned long pfn;
		struct page *head;

		if (list_empty(&fa->free_list))
			break;
		pfn = page_to_pfn(list_first_entry(&fa->free_list, struct page, lru));
		if (alloc_contig_range_hugetlb(pfn, pfn + (1UL << HVO_TEST_ORDER), ZONE_NORMAL))
			break;
		head = pfn_to_page(pfn);
		list_add_tail(&head->lru, l);
		got++;
	}
	return got;
}

/* Optimize (if on) and set up every page of l as the pool code does. */
static unsigned long hvo_test_prep(struct list_head *l)
{
	unsigned long done = hugetlb_vmemmap_optimize_folios(l, HVO_TEST_ORDER);
	struct list_head *e;

	list_for_each(e, l) {
		struct page *head = list_entry(e, struct page, lru);

		prep_compound_head(head, HVO_TEST_ORDER);
		if (!hugetlb_vmemmap_optimized(head))
			prep_compound_tails(head, HVO_TEST_ORDER);
	}
	return done;
}

/* Dissolve every page of l back to the buddy allocator. */
static void hvo_test_dissolve(struct list_head *l)
{
	hugetlb_vmemmap_restore_folios(l, HVO_TEST_ORDER);
	while (!list_empty(l)) {
		struct page *head = list_first_entry(l, struct page, lru);
		unsigned long pfn = page_to_pfn(head);

		list_del(&head->lru);
		head->lru.next = head->lru.prev = NULL;
		destroy_compound_page(head, HVO_TEST_ORDER);
		free_contig_range_hugetlb(pfn, pfn + (1UL << HVO_TEST_ORDER));
	}
}

static bool hvo_test_vm_check(void)
{
	char msg[VM_CHECK_MSG_SIZE];

	if (vm_check_run(msg, sizeof(msg)) == 0)
		return true;
	printk("# vm_check: %s\n", msg);
	return false;
}

SELFTEST(hvo_ro_tail)
{
	struct list_head l = LIST_HEAD_INIT(l);
	long memmap0 = node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES);
	long opt0 = node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED);
	unsigned long free0 = nr_free_pages();
	int saved = hugetlb_optimize_vmemmap;
	struct fault_info fi;
	struct page *head;
	u64 v;

	hugetlb_optimize_vmemmap = 1;
	EXPECT(hvo_test_take(&l, 1) == 1);
	if (list_empty(&l))
		goto out;
	head = list_first_entry(&l, struct page, lru);
	EXPECT(hvo_test_prep(&l) == 1 && hugetlb_vmemmap_optimized(head));
	EXPECT(node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == opt0 + 1);
	EXPECT(node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES) <= memmap0 - 6);
	EXPECT(arch_probe_write64((unsigned long)&head[100], 0, &fi) == -EFAULT);
	EXPECT(fi.write && fi.protection && fi.addr == (unsigned long)&head[100]);
	EXPECT(arch_probe_read64((unsigned long)&head[100].compound_info, &v, &fi) == 0 &&
	       v == compound_info_tail(HVO_TEST_ORDER));
	EXPECT(compound_head(&head[511]) == head && compound_head(&head[100]) == head);
	EXPECT(arch_probe_read64((unsigned long)&head[10].mapcount, &v, &fi) == 0 &&
	       arch_probe_write64((unsigned long)&head[10].mapcount, v, &fi) == 0);
	EXPECT(hvo_test_vm_check());
	hvo_test_dissolve(&l);
out:
	hugetlb_optimize_vmemmap = saved;
	EXPECT(node_stat(NR_HUGETLB_VMEMMAP_OPTIMIZED) == opt0);
	EXPECT(node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES) == memmap0);
	EXPECT(nr_free_pages() == free0);
	EXPECT(hvo_test_vm_check());
}

SELFTEST(hvo_batch_64)
{
	struct list_head l = LIST_HEAD_INIT(l);
	unsigned long free0 = nr_free_pages(), free1, tails0 = hugetlb_vmemmap_nr_tail_frames();
	int saved = hugetlb_optimize_vmemmap;
	u64 all0, one0, range0, all, one, range;
	unsigned long n;

	hugetlb_optimize_vmemmap = 1;
	n = hvo_test_take(&l, 64);
	EXPECT(n == 64);
	free1 = nr_free_pages();
	all0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
	one0 = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE);
	range0 = vm_event_read(NR_TLB_LOCAL_FLUSH_RANGE);
	EXPECT(hvo_test_prep(&l) == n);
	all = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) - all0;
	one = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) - one0;
	range = vm_event_read(NR_TLB_LOCAL_FLUSH_RANGE) - range0;
	printk("# %lu pages, %lu remaps: %llu global flush(es), %llu single-page flushes, %llu range flush(es)\n",
	       n, n * 7, (unsigned long long)all, (unsigned long long)one, (unsigned long long)range);
	EXPECT(all <= 1 && (all == 1 || one <= n * 7) && range <= 1 && (!range || all + one == 0));
	EXPECT(hugetlb_vmemmap_nr_tail_frames() <= tails0 + 1);
	EXPECT(nr_free_pages() == free1 + n * 7 - (hugetlb_vmemmap_nr_tail_frames() - tails0));
	EXPECT(hvo_test_vm_check());
	hvo_test_dissolve(&l);
	hugetlb_optimize_vmemmap = saved;
	EXPECT(nr_free_pages() == free0);
	EXPECT(hvo_test_vm_check());
}
