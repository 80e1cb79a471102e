/* The `vmemmap PFN` view: the vmemmap pages behind the struct pages of the
 * (huge) page containing PFN, one row per vmemmap page.
 *
 *   0xffffea0000008000 -> pfn 0x1234 RW
 *   0xffffea0000009000 -> pfn 0x5678 RO shared with 0xffffea0000009000 ...
 *
 * Read-only: it walks the page tables and prints; it changes nothing. */
#include <pagoda/kernel.h>
#include <pagoda/shell.h>
#include <asm/vmparam.h>
#include "mm/sparse.h"
#include "mm/pgwalk.h"

/* Print one row per vmemmap page holding the struct pages of [first, last]:
 * "0x<va> -> pfn 0x<frame> RW|RO", plus "shared with 0x<va>" naming the
 * first earlier row mapped to the same frame (HVO's shared tail page). */
static void vmemmap_print_rows(unsigned long va_start, unsigned long va_end)
{
	for (unsigned long va = va_start; va < va_end; va += PAGE_SIZE) {
		pte_t *ep = pgwalk_pte(va);
		unsigned long other;

		if (!ep || !pte_present(*ep)) {
			printk("%#lx -> none\n", va);
			continue;
		}
		printk("%#lx -> pfn %#llx %s", va, (unsigned long long)(pte_pa(*ep) >> PAGE_SHIFT),
		       pte_writable(*ep) ? "RW" : "RO");
		for (other = va_start; other < va; other += PAGE_SIZE) {
			pte_t *op = pgwalk_pte(other);
			if (op && pte_present(*op) && pte_pa(*op) == pte_pa(*ep))
				break;
		}
		printk(other < va ? " shared with %#lx\n" : "\n", other);
	}
}

/* vmemmap PFN: the vmemmap pages of the (huge) page containing PFN. */
static int vmemmap_cmd(int argc, char **argv)
{
	struct page *page, *head;
	unsigned long nr = 1;
	u64 pfn;

	if (argc != 2 || kstrtou64(argv[1], 0, &pfn))
		return shell_error("usage: vmemmap PFN");
	if (!pfn_valid(pfn))
		return shell_error("pfn %#llx has no struct page (not pfn_valid)",
				   (unsigned long long)pfn);
	page = pfn_to_page(pfn);
	head = compound_head(page);
	if (page_test_flag(head, PG_head))
		nr = 1UL << head->compound_order;
	vmemmap_print_rows(ALIGN_DOWN((unsigned long)head, PAGE_SIZE),
			   ALIGN_UP((unsigned long)(head + nr), PAGE_SIZE));
	return 0;
}
SHELL_CMD("vmemmap", "vmemmap PFN", "show the vmemmap pages (va -> frame, RW/RO) of a page", vmemmap_cmd);
