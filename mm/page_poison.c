/* Page poisoning (see page_poison.h).  Off by default, as in Linux: the
 * fill touches every free page at boot, which under TCG costs seconds per
 * GiB (first writes to memory the firmware never touched); `page_poison=on`
 * turns it on for tests that want it (tests/boot/poison.test).
 *
 *   free_pages()  --> fill 0xaaaaaaaaaaaaaaaa over the whole block --> free list
 *   alloc_pages() <-- verify every 8-byte word of the block, count it  <--
 *                     mismatch: panic("pfn .. offset .. found ..")
 *
 * The boot release of all free memory poisons too, so every page the
 * allocator hands out has been checked at least once. */
#include <pagoda/kernel.h>
#include <pagoda/cmdline.h>
#include <pagoda/selftest.h>
#include <asm/vmparam.h>
#include "mm/page_poison.h"
#include "mm/buddy.h"
#include "mm/vmstat.h"

bool page_poison_enabled;              /* page_poison=on */

static u64 *page_poison_va(unsigned long pfn) { return __va((phys_addr_t)pfn << PAGE_SHIFT); }

void page_poison_fill(unsigned long pfn, unsigned long nr_pages)
{
	if (page_poison_enabled)
		memset(page_poison_va(pfn), PAGE_POISON_BYTE, nr_pages << PAGE_SHIFT);
}

bool page_poison_check(unsigned long pfn, unsigned int order, struct poison_report *rep)
{
	const u64 *w = page_poison_va(pfn);
	size_t n = (PAGE_SIZE << order) / sizeof(u64);

	for (size_t i = 0; i < n; i++) {
		if (likely(w[i] == PAGE_POISON_PATTERN))
			continue;
		rep->pfn = pfn + (i * sizeof(u64)) / PAGE_SIZE;
		rep->offset = (i * sizeof(u64)) % PAGE_SIZE;
		rep->value = w[i];
		return false;
	}
	return true;
}

void page_poison_verify(unsigned long pfn, unsigned int order)
{
	struct poison_report rep;

	if (!page_poison_enabled)
		return;
	if (!page_poison_check(pfn, order, &rep))
		panic("free page corrupted: pfn %#lx offset %#lx found %#llx (expected %#llx)",
		      rep.pfn, rep.offset, (unsigned long long)rep.value,
		      (unsigned long long)PAGE_POISON_PATTERN);
	mod_node_stat(NR_PAGE_POISON_CHECKED, 1L << order);
}

/* page_poison=on|off (Linux's name); default off. */
static int page_poison_param(const char *val)
{
	if (val && (!strcmp(val, "on") || !strcmp(val, "1"))) {
		page_poison_enabled = true;
	} else if (val && (!strcmp(val, "off") || !strcmp(val, "0"))) {
		page_poison_enabled = false;
	} else {
		printk("page_poison=%s: expected on or off, ignored\n", val ? val : "");
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("page_poison", page_poison_param);

/* A freed page holds the pattern; a planted write is reported with its
 * pfn, offset and value; allocation counts the checked pages. */
SELFTEST(page_poison)
{
	struct poison_report rep = { 0 };
	struct page *p;
	unsigned long pfn;
	long before;
	u64 *w;

	if (!page_poison_enabled) {
		printk("# page_poison=off: checking that nothing is counted\n");
		before = node_stat(NR_PAGE_POISON_CHECKED);
		p = alloc_pages(0, ZONE_NORMAL);
		EXPECT(p && node_stat(NR_PAGE_POISON_CHECKED) == before);
		if (p)
			free_pages(p, 0);
		return;
	}
	p = alloc_pages(0, ZONE_NORMAL);
	EXPECT(p != NULL);
	if (!p)
		return;
	pfn = page_to_pfn(p);
	page_poison_fill(pfn, 1);
	EXPECT(page_poison_check(pfn, 0, &rep));
	w = page_poison_va(pfn);
	w[0x128 / 8] = 0x5a5a;                        /* plant a corruption */
	EXPECT(!page_poison_check(pfn, 0, &rep));
	EXPECT(rep.pfn == pfn && rep.offset == 0x128 && rep.value == 0x5a5a);
	before = node_stat(NR_PAGE_POISON_CHECKED);
	free_pages(p, 0);                             /* repoisons */
	p = alloc_pages(0, ZONE_NORMAL);              /* verifies */
	EXPECT(p && node_stat(NR_PAGE_POISON_CHECKED) == before + 1);
	if (p)
		free_pages(p, 0);
}
