/* The `vmemmap PFN` view: the vmemmap pages behind the struct pages of the
 * (huge) page containing PFN, one row per vmemmap page, so HVO can be seen:
 *
 *   pagoda> vmemmap 0x3fe4d
 *   huge page pfn 0x3fe00 order 9: 512 struct pages in 8 vmemmap pages, HVO optimized
 *   row 0  0xffffea0000ff8000 -> pfn 0x3a1f RW head
 *   row 1  0xffffea0000ff9000 -> pfn 0x3bfff RO shared tail page (order 9)
 *   row 2  0xffffea0000ffa000 -> pfn 0x3bfff RO shared with row 1
 *   ...
 *   8 vmemmap pages, 6 of them share a frame with an earlier row
 *
 *   (1 GiB:) rows 1-4095  0x...-0x... -> pfn 0x3bffe RO x4095: one frame
 *            shared by 4095 rows, the shared tail page (order 18)
 *
 * A run of more than VIEW_FOLD rows of the same kind (same frame and
 * protection: a 1 GiB page's 4095 shared rows, or ascending frames) is
 * folded into one line with its count.  It only reads page tables. */
#include <pagoda/kernel.h>
#include <pagoda/shell.h>
#include <asm/vmparam.h>
#include "mm/sparse.h"
#include "mm/pgwalk.h"
#include "mm/hugetlb_vmemmap.h"

#define VIEW_FOLD 8

/* One vmemmap row: its frame (0 when not mapped) and writability. */
struct view_row {
	unsigned long pfn;
	bool mapped, rw;
};

static struct view_row view_row(unsigned long va)
{
	pte_t *ep = pgwalk_pte(va);

	if (!ep || !pte_present(*ep))
		return (struct view_row){ 0 };
	return (struct view_row){ pte_pa(*ep) >> PAGE_SHIFT, true, pte_writable(*ep) };
}

/* Do rows a (row i) and b (row i+1) continue the same run: same frame (a
 * shared run) or the next frame (an ascending run), same protection? */
static bool view_same_run(struct view_row a, struct view_row b, bool shared)
{
	return a.mapped && b.mapped && a.rw == b.rw && b.pfn == a.pfn + (shared ? 0 : 1);
}

/* What the row's frame is: the shared tail page, or shared with row first. */
static void view_print_note(unsigned long i, struct view_row r, unsigned long first_same)
{
	unsigned int order;

	if (i == 0)
		printk(" head");
	if (hugetlb_vmemmap_is_tail_frame(r.pfn, &order) && first_same == i)
		printk(" shared tail page (order %u)", order);
	else if (first_same != i)
		printk(" shared with row %lu", first_same);
	printk("\n");
}

/* Rows [0, n) from va0: each row, or a folded line for a long run. */
static void view_print_rows(unsigned long va0, unsigned long n)
{
	unsigned long i = 0, shared_rows = 0;

	while (i < n) {
		struct view_row r = view_row(va0 + i * PAGE_SIZE), nx = view_row(va0 + (i + 1) * PAGE_SIZE);
		bool shared = i + 1 < n && view_same_run(r, nx, true);
		unsigned long j = i + 1, first_same = i;
		unsigned int order;

		while (j < n && view_same_run(view_row(va0 + (j - 1) * PAGE_SIZE), view_row(va0 + j * PAGE_SIZE), shared))
			j++;
		if (!r.mapped) {
			printk("row %lu  %#lx -> none\n", i, va0 + i * PAGE_SIZE);
			i++;
			continue;
		}
		if (j - i > VIEW_FOLD) {
			printk("rows %lu-%lu  %#lx-%#lx -> ", i, j - 1, va0 + i * PAGE_SIZE, va0 + j * PAGE_SIZE);
			if (shared)
				printk("pfn %#lx %s x%lu: one frame shared by %lu rows", r.pfn, r.rw ? "RW" : "RO",
				       j - i, j - i);
			else
				printk("pfn %#lx-%#lx %s x%lu: frames ascending", r.pfn, r.pfn + (j - i) - 1,
				       r.rw ? "RW" : "RO", j - i);
			if (shared && hugetlb_vmemmap_is_tail_frame(r.pfn, &order))
				printk(", the shared tail page (order %u)", order);
			printk("\n");
			shared_rows += shared ? j - i - 1 : 0;
			i = j;
			continue;
		}
		for (unsigned long k = 0; k < i; k++)
			if (view_row(va0 + k * PAGE_SIZE).pfn == r.pfn && view_row(va0 + k * PAGE_SIZE).mapped) {
				first_same = k;
				break;
			}
		shared_rows += first_same != i;
		printk("row %lu  %#lx -> pfn %#lx %s", i, va0 + i * PAGE_SIZE, r.pfn, r.rw ? "RW" : "RO");
		view_print_note(i, r, first_same);
		i++;
	}
	printk("%lu vmemmap pages, %lu of them share a frame with an earlier row\n", n, shared_rows);
}

/* vmemmap PFN: the vmemmap pages of the (huge) page containing PFN. */
static int vmemmap_cmd(int argc, char **argv)
{
	struct page *page, *head;
	unsigned long nr = 1, va0, va1;
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
	va0 = ALIGN_DOWN((unsigned long)head, PAGE_SIZE);
	va1 = ALIGN_UP((unsigned long)(head + nr), PAGE_SIZE);
	if (nr > 1)
		printk("huge page pfn %#lx order %u: %lu struct pages in %lu vmemmap pages%s\n",
		       page_to_pfn(head), head->compound_order, nr, (va1 - va0) / PAGE_SIZE,
		       hugetlb_vmemmap_optimized(head) ? ", HVO optimized" : "");
	else
		printk("pfn %#llx: not a compound page\n", (unsigned long long)pfn);
	view_print_rows(va0, (va1 - va0) / PAGE_SIZE);
	return 0;
}
SHELL_CMD("vmemmap", "vmemmap PFN", "show the vmemmap pages (va -> frame, RW/RO, sharing) of a (huge) page",
	  vmemmap_cmd);
