/* Host test of mm/vm_check.c: `vm_check` passes on clean states (plain
 * boot, a firmware map with holes, sections hot-added to ZONE_MOVABLE, after
 * churn), and each planted inconsistency - in section state, vmemmap PTEs,
 * free lists or the memmap - is reported by the right checker, naming the
 * pfn or section, then undone so the next plant starts clean. */
#include <stdio.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/pgwalk.h"
#include "mm/vm_check.h"
#include "mm/mm_internal.h"

static char out[512];

/* `vm_check` through the shell: true if it printed exactly "vm_check: ok". */
static bool vm_ok(void)
{
	bool ok = host_shell("vm_check", out, sizeof(out)) == 0 && !strcmp(out, "vm_check: ok\n");

	out[strcspn(out, "\n")] = '\0';                    /* for the TAP line */
	return ok;
}

/* `vm_check` returns non-zero and prints one FAIL line containing w1 (and w2). */
static bool vm_fails_with(const char *w1, const char *w2)
{
	int rc = host_shell("vm_check", out, sizeof(out));
	bool ok = rc != 0 && !strncmp(out, "vm_check: FAIL: ", 16) && strchr(out, '\n') &&
		  !strchr(out, '\n')[1] && strstr(out, w1) && (!w2 || strstr(out, w2));

	out[strcspn(out, "\n")] = '\0';
	return ok;
}

static void vm_check_clean_states(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct page *held[64];
	int ran, failed;

	o.map[0] = (struct boot_mem_range){ 0, 0x9fc00, BOOT_MEM_USABLE };
	o.map[1] = (struct boot_mem_range){ 0x100000, 200 * SZ_1M, BOOT_MEM_USABLE };
	o.map[2] = (struct boot_mem_range){ 300 * SZ_1M, 200 * SZ_1M, BOOT_MEM_USABLE };
	o.nr_map = 3;
	host_mm_boot(768 * SZ_1M, &o);
	host_ok(vm_ok(), "map with holes, absent section 2: %s", out);
	host_ok(host_hot_add_section(5, ZONE_MOVABLE), "section 5 hot-added to Movable");
	host_ok(vm_ok(), "with a Movable section (memmap from the buddy allocator): %s", out);
	for (int i = 0; i < 64; i++)
		held[i] = alloc_pages(i % (MAX_ORDER + 1), i % 3 ? ZONE_NORMAL : ZONE_MOVABLE);
	for (int i = 0; i < 64; i += 2)
		free_pages(held[i], i % (MAX_ORDER + 1));
	host_ok(vm_ok(), "with 32 blocks held in both zones: %s", out);
	failed = host_selftests("vm_check", &ran);
	host_ok(ran == 1 && failed == 0, "SELFTEST(vm_check_bad_order): %d ran, %d failed", ran, failed);
	host_ok(host_shell("vm_check now", out, sizeof(out)) != 0 && !strncmp(out, "error: ", 7) &&
		!strchr(out, '\n')[1], "extra argument: one error line: %s", out);
}

/* Free-list corruptions: order, counters, zone, a held page on a list. */
static void vm_check_free_lists(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct zone *z = &zones[ZONE_NORMAL];
	struct page *p, *held;
	char pfn[32];

	host_mm_boot(256 * SZ_1M, &o);
	p = list_first_entry(&z->free_area[MAX_ORDER].free_list, struct page, lru);
	snprintf(pfn, sizeof(pfn), "pfn %#lx ", page_to_pfn(p));
	p->order = 7;
	host_ok(vm_fails_with("free lists: Normal order 10: ", pfn), "wrong order: %s", out);
	p->order = MAX_ORDER;
	z->free_area[3].nr_free++;
	host_ok(vm_fails_with("free lists: Normal order 3: ", "nr_free"), "nr_free off: %s", out);
	z->free_area[3].nr_free--;
	z->free_pages++;
	host_ok(vm_fails_with("free lists: zone Normal: ", "free_pages"), "free_pages off: %s", out);
	z->free_pages--;
	page_set_zone(p, ZONE_MOVABLE);
	host_ok(vm_fails_with("is in zone 1", pfn), "entry in the wrong zone: %s", out);
	page_set_zone(p, ZONE_NORMAL);
	held = alloc_pages(0, ZONE_NORMAL);
	list_add(&held->lru, &z->free_area[0].free_list);
	page_set_flag(held, PG_buddy);
	held->order = 0;
	z->free_area[0].nr_free++;
	z->free_pages++;
	host_ok(vm_fails_with("is not free (refcount 1", NULL), "allocated page on a list: %s", out);
	list_del(&held->lru);
	page_clear_flag(held, PG_buddy);
	z->free_area[0].nr_free--;
	z->free_pages--;
	host_ok(vm_ok(), "everything undone: %s", out);
}

/* Memmap corruptions: stray PG_buddy, PG_buddy or PG_reserved inside a free
 * block, unmerged buddies (allowed only in an ISOLATED section). */
static void vm_check_memmap(void)
{
	struct host_mm_opts o = { .quiet = true };
	struct zone *z = &zones[ZONE_NORMAL];
	struct page *p, *held;
	unsigned long q;
	char what[64];

	host_mm_boot(256 * SZ_1M, &o);
	held = alloc_pages(0, ZONE_NORMAL);
	page_set_flag(held, PG_buddy);
	host_ok(vm_fails_with("memmap: ", "PG_buddy heads in the memmap"), "stray PG_buddy: %s", out);
	page_clear_flag(held, PG_buddy);
	p = list_first_entry(&z->free_area[MAX_ORDER].free_list, struct page, lru);
	page_set_flag(p + 5, PG_buddy);
	snprintf(what, sizeof(what), "pfn %#lx inside free block %#lx", page_to_pfn(p) + 5, page_to_pfn(p));
	host_ok(vm_fails_with(what, "has PG_buddy"), "PG_buddy inside a free block: %s", out);
	page_clear_flag(p + 5, PG_buddy);
	page_set_flag(p + 700, PG_reserved);
	host_ok(vm_fails_with("inside free block", "is reserved"), "reserved page in a free block: %s", out);
	page_clear_flag(p + 700, PG_reserved);
	q = host_plant_unmerged_buddies();
	snprintf(what, sizeof(what), "free buddies %#lx and %#lx of order 0", q, q + 1);
	host_ok(vm_fails_with(what, "not merged"), "unmerged buddies: %s", out);
	pfn_to_section(q)->state |= SECTION_ISOLATED;
	host_ok(vm_ok(), "the same pair in an ISOLATED section is allowed: %s", out);
}

/* Section and vmemmap corruptions: state bits, a read-only, unmapped or
 * foreign vmemmap page, a mapping left over a section without a memmap. */
static void vm_check_sections(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	struct mem_section *ms, *absent;
	phys_addr_t frame, old;
	unsigned long va;

	host_mm_boot(512 * SZ_1M, &o);
	va = vmemmap_section_va(1) + 17 * PAGE_SIZE;
	absent = sparse_section_alloc(2);                     /* beyond mem=: absent */
	host_ok(absent && !(absent->state & SECTION_PRESENT) && vm_ok(), "section 2 absent: %s", out);
	absent->state |= SECTION_ONLINE;
	host_ok(vm_fails_with("sections: section 2: online without a memmap", NULL), "state: %s", out);
	absent->state = SECTION_MEMMAP;
	host_ok(vm_fails_with("sections: section 2: memmap but not present", NULL), "state: %s", out);
	absent->state = 0;
	ms = sparse_section(1);
	ms->nr_altmap_pages = 3;
	host_ok(vm_fails_with("section 1: 3 altmap pages but not self-hosted", NULL), "altmap: %s", out);
	ms->nr_altmap_pages = 0;
	frame = pte_pa(*pgwalk_pte(va));
	pgwalk_remap_page(va, frame, PROT_KERNEL_RO, &old);
	host_ok(vm_fails_with("section 1: vmemmap", "is mapped read-only"), "RO vmemmap page: %s", out);
	pgwalk_unmap_page(va, &old);
	host_ok(vm_fails_with("section 1: vmemmap", "is not mapped"), "unmapped vmemmap page: %s", out);
	pgwalk_map_page(va, frame, PROT_KERNEL_RW, mm_alloc_meta_page);
	page_clear_flag(pfn_to_page(frame >> PAGE_SHIFT), PG_memmap);
	host_ok(vm_fails_with("not a memmap frame", NULL), "vmemmap onto a plain frame: %s", out);
	page_set_flag(pfn_to_page(frame >> PAGE_SHIFT), PG_memmap);
	host_ok(vm_ok(), "restored: %s", out);
	vmemmap_populate_section(2, &vmemmap_alloc_buddy);
	host_ok(vm_fails_with("section 2 has no memmap but vmemmap", "is mapped"), "stray vmemmap: %s", out);
	vmemmap_depopulate_section(2, &vmemmap_alloc_buddy);
	host_ok(vm_ok(), "depopulated: %s", out);
}

int main(void)
{
	host_tap_init();
	host_scenario("clean states", vm_check_clean_states);
	host_scenario("free lists", vm_check_free_lists);
	host_scenario("memmap", vm_check_memmap);
	host_scenario("sections", vm_check_sections);
	return host_tap_done();
}
