/* The `hugepage` shell verb: make huge pages busy by hand, for tests.
 *
 *   hugepage take 2M       -> "pfn 0x40000"   (a free huge page now in use)
 *   hugepage give 0x40000  -> back to its pool (or to the buddy allocator
 *                             if the pool was shrunk under it: surplus)
 *
 * Only a head that `take` handed out may be given back; anything else is
 * one "error: " line and nothing changes. */
#include <pagoda/kernel.h>
#include <pagoda/shell.h>
#include "mm/hugetlb.h"
#include "mm/sparse.h"

static int hugepage_take(const char *arg)
{
	struct hstate *h;
	struct page *head;
	u64 bytes;

	if (kparse_size(arg, &bytes) || !(h = hstate_by_size(bytes)))
		return shell_error("hugepage: '%s' is not a huge page size (see /sys/kernel/mm/hugepages)", arg);
	head = hugetlb_take(h);
	if (!head)
		return shell_error("hugepage: no free huge page in %s (free_hugepages is 0)", h->name);
	printk("pfn %#lx\n", page_to_pfn(head));
	return 0;
}

static int hugepage_give(const char *arg)
{
	struct page *head;
	u64 pfn;

	if (kstrtou64(arg, 0, &pfn))
		return shell_error("hugepage: '%s' is not a pfn", arg);
	head = pfn_valid(pfn) ? hugetlb_page_head(pfn) : NULL;
	if (!head || page_to_pfn(head) != pfn)
		return shell_error("hugepage: pfn %#llx is not the head of a huge page",
				   (unsigned long long)pfn);
	if (hugetlb_give(head))
		return shell_error("hugepage: huge page %#llx is free, not taken",
				   (unsigned long long)pfn);
	return 0;
}

static int hugepage_cmd(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "take"))
		return hugepage_take(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "give"))
		return hugepage_give(argv[2]);
	return shell_error("usage: hugepage take SIZE | hugepage give PFN");
}
SHELL_CMD("hugepage", "hugepage take SIZE | hugepage give PFN",
	  "take a free huge page from its pool / give it back", hugepage_cmd);
