/* The `page` shell verb: take and give back buddy blocks by hand.
 *
 *   page alloc ORDER [movable]   -> "pfn 0x..."  (recorded in shell_blocks)
 *   page free PFN ORDER          -> checked against shell_blocks first
 *
 * User input never reaches the allocator's panicking checks: a pfn the
 * shell did not hand out, a wrong order or a double free each print one
 * "error: " line and change nothing. */
#include <pagoda/kernel.h>
#include <pagoda/shell.h>
#include "mm/buddy.h"
#include "mm/sparse.h"

#define PAGE_SHELL_MAX_BLOCKS 64

struct shell_block {
	unsigned long pfn;
	unsigned int order;
	bool used;
};
static struct shell_block shell_blocks[PAGE_SHELL_MAX_BLOCKS];

static struct shell_block *page_shell_find(unsigned long pfn)
{
	for (int i = 0; i < PAGE_SHELL_MAX_BLOCKS; i++)
		if (shell_blocks[i].used && shell_blocks[i].pfn == pfn)
			return &shell_blocks[i];
	return NULL;
}

static int page_shell_alloc(int argc, char **argv)
{
	struct shell_block *slot = NULL;
	enum zone_type zt = ZONE_NORMAL;
	struct page *page;
	u64 order;

	if (argc < 3 || argc > 4 || kstrtou64(argv[2], 0, &order))
		return shell_error("usage: page alloc ORDER [movable]");
	if (order > MAX_ORDER)
		return shell_error("order %llu is above MAX_ORDER %d", (unsigned long long)order, MAX_ORDER);
	if (argc == 4 && strcmp(argv[3], "movable"))
		return shell_error("unknown zone '%s' (only 'movable')", argv[3]);
	if (argc == 4)
		zt = ZONE_MOVABLE;
	for (int i = 0; i < PAGE_SHELL_MAX_BLOCKS && !slot; i++)
		if (!shell_blocks[i].used)
			slot = &shell_blocks[i];
	if (!slot)
		return shell_error("the shell already holds %d blocks; free some first",
				   PAGE_SHELL_MAX_BLOCKS);
	page = alloc_pages((unsigned int)order, zt);
	if (!page)
		return shell_error("out of memory: no free block of order %llu",
				   (unsigned long long)order);
	*slot = (struct shell_block){ page_to_pfn(page), (unsigned int)order, true };
	printk("pfn %#lx\n", slot->pfn);
	return 0;
}

static int page_shell_free(int argc, char **argv)
{
	struct shell_block *b;
	u64 pfn, order;

	if (argc != 4 || kstrtou64(argv[2], 0, &pfn) || kstrtou64(argv[3], 0, &order))
		return shell_error("usage: page free PFN ORDER");
	b = page_shell_find(pfn);
	if (!b) {
		unsigned long head;
		unsigned int o;
		if (pfn_valid(pfn) && buddy_find_block(pfn, &head, &o))
			return shell_error("pfn %#llx is already free (double free)",
					   (unsigned long long)pfn);
		return shell_error("pfn %#llx was not allocated by 'page alloc'",
				   (unsigned long long)pfn);
	}
	if (order != b->order)
		return shell_error("pfn %#llx was allocated with order %u, not %llu",
				   (unsigned long long)pfn, b->order, (unsigned long long)order);
	free_pages(pfn_to_page(b->pfn), b->order);
	b->used = false;
	return 0;
}

static int page_cmd(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "alloc"))
		return page_shell_alloc(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "free"))
		return page_shell_free(argc, argv);
	return shell_error("usage: page alloc ORDER [movable] | page free PFN ORDER");
}
SHELL_CMD("page", "page alloc ORDER [movable] | page free PFN ORDER",
	  "take or give back a buddy block", page_cmd);
