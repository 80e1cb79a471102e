/* Host test of the buddy allocator: the in-kernel selftests, draining all
 * memory and giving it back restores /proc/buddyinfo, the panicking
 * double-free/bad-free checks, poison detection, alloc_contig_range across
 * a section boundary, no merging in an ISOLATED section, and the `page`
 * verb's one-line errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/page_poison.h"
#include "mm/vmstat.h"

static void buddy_selftests(void)
{
	struct host_mm_opts o = { .quiet = true };
	int ran, failed;

	host_mm_boot(256 * SZ_1M, &o);
	failed = host_selftests("", &ran);
	host_ok(ran >= 6 && failed == 0, "%d mm selftests ran, %d failed", ran, failed);
}

static void buddy_drain_and_refill(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "page_poison=on" };
	char before[1024], after[1024];
	unsigned long n = 0, free0;
	struct page **pages;

	host_mm_boot(128 * SZ_1M, &o);
	free0 = nr_free_pages();
	host_cat("/proc/buddyinfo", before, sizeof(before));
	pages = calloc(free0 + 1, sizeof(*pages));
	while ((pages[n] = alloc_pages(0, ZONE_NORMAL)) != NULL)
		n++;
	host_ok(n == free0 && nr_free_pages() == 0, "drained %lu order-0 pages", n);
	host_ok(node_stat(NR_PAGE_POISON_CHECKED) == (long)n, "every page's poison checked");
	for (unsigned long i = 0; i < n; i += 2)
		free_pages(pages[i], 0);
	for (unsigned long i = 1; i < n; i += 2)
		free_pages(pages[i], 0);
	host_cat("/proc/buddyinfo", after, sizeof(after));
	host_ok(!strcmp(before, after), "buddyinfo back to start: %s", after);
	host_ok(!strncmp(after, "Node 0, zone   Normal ", 22), "buddyinfo format");
	free(pages);
}

static void buddy_bad_frees(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *p, *q;

	host_mm_boot(128 * SZ_1M, &o);
	p = alloc_pages(1, ZONE_NORMAL);
	free_pages(p, 1);
	host_ok(HOST_EXPECT_PANIC(free_pages(p, 1)) && strstr(host_panic_msg, "double free"),
		"double free panics: %s", host_panic_msg);
	q = alloc_pages(2, ZONE_NORMAL);
	host_ok(HOST_EXPECT_PANIC(free_pages(q, 1)) && strstr(host_panic_msg, "order 2"),
		"wrong order panics: %s", host_panic_msg);
	host_ok(HOST_EXPECT_PANIC(free_pages(q + 1, 0)) && strstr(host_panic_msg, "refcount 0"),
		"freeing a tail panics: %s", host_panic_msg);
	host_ok(HOST_EXPECT_PANIC(free_pages(pfn_to_page(SZ_2M >> PAGE_SHIFT), 0)),
		"freeing a reserved page panics: %s", host_panic_msg);
	host_ok(HOST_EXPECT_PANIC(free_pages(q, MAX_ORDER + 1)) && strstr(host_panic_msg, "bad free"),
		"an order above MAX_ORDER alone panics: %s", host_panic_msg);
	host_ok(HOST_EXPECT_PANIC(free_pages(q + 1, 1)) && strstr(host_panic_msg, "bad free"),
		"a misaligned pfn alone panics: %s", host_panic_msg);
	host_ok(HOST_EXPECT_PANIC(free_pages(pfn_to_page(section_nr_to_pfn(sparse_max_section())), 0)) &&
		strstr(host_panic_msg, "bad free"), "a pfn without a struct page alone panics: %s", host_panic_msg);
	/* alloc_pages() refuses a bad order and a bad zone, each alone */
	host_ok(alloc_pages(MAX_ORDER + 1, ZONE_NORMAL) == NULL, "an order above MAX_ORDER alone: NULL");
	host_ok(alloc_pages(0, NR_ZONES) == NULL, "a zone beyond NR_ZONES alone: NULL");
	/* free_huge_range_nomemmap()'s bad-free check, each clause alone */
	{
		struct page *h = alloc_pages(9, ZONE_NORMAL);

		h->refcount = 2;
		host_ok(HOST_EXPECT_PANIC(free_huge_range_nomemmap(page_to_pfn(h), page_to_pfn(h) + 512)) &&
			strstr(host_panic_msg, "bad free"), "a huge range with refcount 2 alone panics: %s", host_panic_msg);
		h->refcount = 1;
		page_set_flag(h, PG_head);
		host_ok(HOST_EXPECT_PANIC(free_huge_range_nomemmap(page_to_pfn(h), page_to_pfn(h) + 512)) &&
			strstr(host_panic_msg, "bad free"), "a huge range whose head is PG_head alone panics: %s",
			host_panic_msg);
		page_clear_flag(h, PG_head);
		host_ok(free_huge_range_nomemmap(page_to_pfn(h), page_to_pfn(h) + 512) == 512, "a good one frees 512");
	}
	/* split_page()'s precondition, each clause alone */
	q->refcount = 2;
	host_ok(HOST_EXPECT_PANIC(split_page(q, 2)) && strstr(host_panic_msg, "refcount 2"),
		"split_page of a page with refcount 2 alone panics: %s", host_panic_msg);
	q->refcount = 1;
	host_ok(HOST_EXPECT_PANIC(split_page(q, 1)) && strstr(host_panic_msg, "order 2/1"),
		"split_page with the wrong order alone panics: %s", host_panic_msg);
	p->refcount = 1;
	host_ok(page_test_flag(p, PG_buddy) && HOST_EXPECT_PANIC(split_page(p, p->order)),
		"split_page of a free block alone panics: %s", host_panic_msg);
	p->refcount = 0;
	free_pages(q, 2);
}

static void buddy_poison(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "page_poison=on" };
	struct page *p;
	unsigned long pfn;

	host_mm_boot(128 * SZ_1M, &o);
	p = alloc_pages(0, ZONE_NORMAL);
	pfn = page_to_pfn(p);
	free_pages(p, 0);
	((u64 *)__va((phys_addr_t)pfn << PAGE_SHIFT))[0x40] = 0x1234;   /* use after free */
	host_ok(HOST_EXPECT_PANIC(alloc_contig_range(pfn, pfn + 1, ZONE_NORMAL)) &&
		strstr(host_panic_msg, "offset 0x200") && strstr(host_panic_msg, "0x1234"),
		"corrupted free page detected: %s", host_panic_msg);
}

static void buddy_poison_off(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "page_poison=off" };
	struct page *p;

	host_mm_boot(128 * SZ_1M, &o);
	host_ok(!page_poison_enabled, "page_poison=off parsed");
	p = alloc_pages(0, ZONE_NORMAL);
	host_ok(*(u64 *)__va((phys_addr_t)page_to_pfn(p) << PAGE_SHIFT) != PAGE_POISON_PATTERN,
		"free memory not filled");
	host_ok(node_stat(NR_PAGE_POISON_CHECKED) == 0, "nothing checked");
}

static void buddy_contig_cross_section(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long s = section_nr_to_pfn(1) - 100, e = section_nr_to_pfn(1) + 2000;
	unsigned long free0;
	char before[1024], after[1024];

	host_mm_boot(512 * SZ_1M, &o);
	free0 = nr_free_pages();
	host_cat("/proc/buddyinfo", before, sizeof(before));
	host_ok(alloc_contig_range(s, e, ZONE_NORMAL) == 0, "contig range across sections 0/1");
	host_ok(nr_free_pages() == free0 - (e - s), "free pages dropped by the range");
	host_ok(alloc_contig_range(SZ_2M >> PAGE_SHIFT, (SZ_2M >> PAGE_SHIFT) + 8, ZONE_NORMAL) == -EBUSY,
		"range over the kernel image is busy");
	host_ok(alloc_contig_range(s, e, ZONE_MOVABLE) == -EBUSY, "wrong zone is busy");
	free_contig_range(s, e);
	host_cat("/proc/buddyinfo", after, sizeof(after));
	host_ok(nr_free_pages() == free0 && !strcmp(before, after), "buddyinfo restored");
}

/* Frees in an ISOLATED section do not merge (the free path checks the
 * section once, before its merge loop); after un-isolating they do, and
 * /proc/buddyinfo comes back. */
static void buddy_isolated_section(void)
{
	struct host_mm_opts o = { .quiet = true };
	unsigned long pfn = section_nr_to_pfn(1) + 0x1000, free0;
	struct mem_section *ms;
	char before[1024], after[1024];

	host_mm_boot(256 * SZ_1M, &o);
	ms = sparse_section(1);
	free0 = nr_free_pages();
	host_cat("/proc/buddyinfo", before, sizeof(before));
	host_ok(alloc_contig_range(pfn, pfn + 2, ZONE_NORMAL) == 0, "took the pair %#lx-%#lx", pfn, pfn + 1);
	ms->state |= SECTION_ISOLATED;
	free_pages(pfn_to_page(pfn), 0);
	free_pages(pfn_to_page(pfn + 1), 0);
	host_ok(page_test_flag(pfn_to_page(pfn), PG_buddy) && pfn_to_page(pfn)->order == 0 &&
		page_test_flag(pfn_to_page(pfn + 1), PG_buddy) && pfn_to_page(pfn + 1)->order == 0,
		"isolated section: free order-0 buddies stay apart");
	host_ok(nr_free_pages() == free0, "both counted free");
	host_ok(alloc_contig_range(pfn, pfn + 2, ZONE_NORMAL) == 0, "taken again");
	ms->state &= ~SECTION_ISOLATED;
	free_pages(pfn_to_page(pfn + 1), 0);
	free_pages(pfn_to_page(pfn), 0);
	host_cat("/proc/buddyinfo", after, sizeof(after));
	host_ok(!strcmp(before, after) && !page_test_flag(pfn_to_page(pfn + 1), PG_buddy),
		"un-isolated: they merge back up, buddyinfo restored");
}

static void buddy_shell_verbs(void)
{
	struct host_mm_opts o = { .quiet = true };
	char out[256], cmd[64];
	unsigned long pfn, free0, head;
	unsigned int order;

	host_mm_boot(128 * SZ_1M, &o);
	free0 = nr_free_pages();
	host_ok(host_shell("page alloc 3", out, sizeof(out)) == 0 && sscanf(out, "pfn %lx", &pfn) == 1,
		"page alloc 3: %s", out);
	host_ok(nr_free_pages() == free0 - 8, "8 pages taken");
	snprintf(cmd, sizeof(cmd), "page free %#lx 2", pfn);
	host_ok(host_shell(cmd, out, sizeof(out)) && !strncmp(out, "error: ", 7) && !strchr(out, '\n')[1],
		"wrong order: %s", out);
	snprintf(cmd, sizeof(cmd), "page free %#lx 0", pfn + 1);
	host_ok(host_shell(cmd, out, sizeof(out)) && !strncmp(out, "error: ", 7), "tail pfn: %s", out);
	host_ok(nr_free_pages() == free0 - 8, "no state change after errors");
	snprintf(cmd, sizeof(cmd), "page free %#lx 3", pfn);
	host_ok(host_shell(cmd, out, sizeof(out)) == 0 && nr_free_pages() == free0, "page free");
	host_ok(host_shell(cmd, out, sizeof(out)) && strstr(out, "double free"), "double free: %s", out);
	host_ok(host_shell("page alloc 11", out, sizeof(out)) && !strncmp(out, "error: ", 7), "order 11: %s", out);
	host_ok(host_shell("page alloc x", out, sizeof(out)) && !strncmp(out, "error: ", 7), "bad number: %s", out);
	pfn = ~0UL;
	host_ok(host_shell("page alloc 0 movable", out, sizeof(out)) == 0 && sscanf(out, "pfn %lx", &pfn) == 1 &&
		pfn_valid(pfn) && page_zone_id(pfn_to_page(pfn)) == ZONE_NORMAL &&
		!buddy_find_block(pfn, &head, &order),
		"movable falls back to Normal (no Movable memory): %s", out);
	host_ok(nr_free_pages() == free0 - 1, "state consistent");
}

int main(void)
{
	host_tap_init();
	host_scenario("selftests", buddy_selftests);
	host_scenario("drain and refill", buddy_drain_and_refill);
	host_scenario("bad frees", buddy_bad_frees);
	host_scenario("poison", buddy_poison);
	host_scenario("poison off", buddy_poison_off);
	host_scenario("contig", buddy_contig_cross_section);
	host_scenario("isolated section", buddy_isolated_section);
	host_scenario("shell verbs", buddy_shell_verbs);
	return host_tap_done();
}
