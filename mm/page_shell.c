/* The `page` shell verb: take and give back buddy blocks by hand.
 *
 *   page alloc ORDER [movable]            -> "pfn 0x..."
 *   page alloc ORDER [movable] COUNT|all  -> "N blocks of order K"
 *   page free PFN ORDER                   -> checked against the held list first
 *   page free all                         -> every held block back
 *
 * The shell remembers every block it holds with no fixed limit: a held
 * block's head struct page is linked on page_shell_held through its own
 * lru (an allocated block's lru is unused by the buddy allocator), and its
 * order is the allocation order the allocator left in page->order.
 *
 *   page_shell_held <-> [head pfn 0x1200, order 3] <-> [head pfn 0x4000, order 0] <-> ...
 *
 * So `page alloc 0 all` can take every free page and the list costs no
 * memory of its own.  User input never reaches the allocator's panicking
 * checks: a pfn the shell did not hand out, a wrong order or a double free
 * each print one "error: " line and change nothing. */
#include <pagoda/kernel.h>
#include <pagoda/list.h>
#include <pagoda/shell.h>
#include "mm/buddy.h"
#include "mm/sparse.h"

static struct list_head page_shell_held = LIST_HEAD_INIT(page_shell_held);
static unsigned long page_shell_nr_held;

/* The held block whose head is pfn, or NULL. */
static struct page *page_shell_find(unsigned long pfn)
{
	struct list_head *e;

	list_for_each(e, &page_shell_held) {
		struct page *p = list_entry(e, struct page, lru);
		if (page_to_pfn(p) == pfn)
			return p;
	}
	return NULL;
}

/* Take up to count blocks of order from zone zt (Movable falls back to
 * Normal) onto the held list; returns how many were taken. */
static unsigned long page_shell_take(unsigned int order, enum zone_type zt, unsigned long count)
{
	unsigned long n = 0;

	while (n < count) {
		struct page *page = alloc_pages(order, zt);

		if (!page)
			break;
		list_add_tail(&page->lru, &page_shell_held);
		page_shell_nr_held++;
		n++;
	}
	return n;
}

/* Give held block page back to the buddy allocator. */
static void page_shell_release(struct page *page)
{
	list_del(&page->lru);
	page->lru.next = page->lru.prev = NULL;
	page_shell_nr_held--;
	free_pages(page, page->order);
}

/* Parse "[movable] [COUNT|all]" from argv[3..]: zone, count (0 = one block
 * printed by pfn, ~0UL = all).  0 or -1 after printing an error. */
static int page_shell_parse_alloc_tail(int argc, char **argv, enum zone_type *zt, unsigned long *count)
{
	int i = 3;
	u64 n;

	*zt = ZONE_NORMAL;
	*count = 0;
	if (i < argc && !strcmp(argv[i], "movable")) {
		*zt = ZONE_MOVABLE;
		i++;
	}
	if (i < argc && !strcmp(argv[i], "all")) {
		*count = ~0UL;
		i++;
	} else if (i < argc) {
		if (kstrtou64(argv[i], 0, &n) || n == 0)
			return shell_error("bad count '%s': a number of blocks >= 1, or 'all'", argv[i]);
		*count = (unsigned long)n;
		i++;
	}
	if (i != argc)
		return shell_error("usage: page alloc ORDER [movable] [COUNT|all]");
	return 0;
}

static int page_shell_alloc(int argc, char **argv)
{
	enum zone_type zt;
	unsigned long count, n;
	u64 order;

	if (argc < 3 || argc > 5 || kstrtou64(argv[2], 0, &order))
		return shell_error("usage: page alloc ORDER [movable] [COUNT|all]");
	if (order > MAX_ORDER)
		return shell_error("order %llu is above MAX_ORDER %d", (unsigned long long)order, MAX_ORDER);
	if (page_shell_parse_alloc_tail(argc, argv, &zt, &count))
		return -1;
	n = page_shell_take((unsigned int)order, zt, count ? count : 1);
	if (!count && !n)
		return shell_error("out of memory: no free block of order %llu",
				   (unsigned long long)order);
	if (!count)
		printk("pfn %#lx\n", page_to_pfn(list_entry(page_shell_held.prev, struct page, lru)));
	else
		printk("%lu blocks of order %llu\n", n, (unsigned long long)order);
	return 0;
}

/* `page free all`: every held block, in the order they were taken. */
static int page_shell_free_all(void)
{
	unsigned long n = page_shell_nr_held;

	while (!list_empty(&page_shell_held))
		page_shell_release(list_first_entry(&page_shell_held, struct page, lru));
	printk("%lu blocks freed\n", n);
	return 0;
}

static int page_shell_free(int argc, char **argv)
{
	struct page *b;
	u64 pfn, order;

	if (argc == 3 && !strcmp(argv[2], "all"))
		return page_shell_free_all();
	if (argc != 4 || kstrtou64(argv[2], 0, &pfn) || kstrtou64(argv[3], 0, &order))
		return shell_error("usage: page free PFN ORDER | page free all");
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
	page_shell_release(b);
	return 0;
}

static int page_cmd(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "alloc"))
		return page_shell_alloc(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "free"))
		return page_shell_free(argc, argv);
	return shell_error("usage: page alloc ORDER [movable] [COUNT|all] | page free PFN ORDER | page free all");
}
SHELL_CMD("page", "page alloc ORDER [movable] [COUNT|all] | page free PFN ORDER|all",
	  "take or give back buddy blocks (the shell holds any number)", page_cmd);
