/* vm_check: cross-check sections, vmemmap PTEs, free lists and the memmap,
 * and name the first inconsistency.
 *
 *   checker "sections"       no vmemmap PTE under sections without a root page;
 *                            every section with a root page:
 *     state bits agree (online => memmap => present, ...);
 *     memmap present => each of its 512 vmemmap pages is a present level-0
 *       PTE, RW, onto a PG_memmap or PG_vmemmap_self_hosted frame that is
 *       not HVO's shared tail page; or RO onto the shared tail page of its
 *       (zone, order), inside pages 1..N-1 of an optimized huge page;
 *     no memmap      => none of them is mapped
 *   checker "free lists"     every entry of every zone/order list:
 *     a struct page, PG_buddy, its order, free, aligned, in the list's zone,
 *     not a memmap, page-table or self-hosted frame,
 *     inside one present online section of that zone;
 *     entries = nr_free, pages = zone free_pages, zones = nr_free_pages();
 *     a PG_zeroed (known-zero) entry holds only zero bytes, and the pages
 *     of the marked entries = the zone's zeroed_pages (mm/buddy.c)
 *     (the per-CPU lists not drained: their pages are outside those counts)
 *   checker "pcp lists"      every per-CPU list entry: PG_pcp, free, order 0,
 *     of the list's zone, in an online section; entries = count (mm/pcp.c)
 *   checker "memmap"         every struct page of sections with a memmap:
 *
 *     pfn  [ . . H . . . | H(o=3) t t t t t t t | H(o=0) H(o=0) . . ]
 *                ^ head: sane order/alignment/zone, in an online section
 *                          ^ inside a free block: no PG_buddy, not reserved,
 *                            not PG_zeroed (the mark is on free heads only)
 *                                                ^ same-order free buddies:
 *                                                  unmerged only if ISOLATED
 *     heads found per zone/order = nr_free, so every PG_buddy page is a
 *     list head, none is listed twice and no two free blocks overlap;
 *     PG_pcp pages found = pages on the per-CPU lists, none inside a free
 *     block, so every PG_pcp page is on exactly one list
 *
 *   checker "hvo"            shared tail pages hold canonical tails; RO rows
 *     = (N-1) per optimized page; nr_hugetlb_vmemmap_optimized agrees
 *   checker "hugetlb pools"  listed heads sane, counters and meminfo agree,
 *     no hugetlb head outside the pools (mm/hugetlb_check.c)
 * The order matters: "sections" proves the struct pages the later checkers
 * read are mapped.  Zone locks (in zone order), then every per-CPU list
 * lock (in CPU order), are held for the whole run so the lists hold
 * still; run it outside hotplug and pool operations (the shell and the
 * tests do).  No checker changes anything.
 *
 * Lock order here: zone Normal -> zone Movable -> pcp0 -> ... -> pcp7. */
#include <pagoda/kernel.h>
#include <pagoda/shell.h>
#include <pagoda/selftest.h>
#include "mm/vm_check.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/pgwalk.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/memory_hotplug.h"
#include "mm/pcp.h"

#define SECTION_KNOWN_BITS (SECTION_PRESENT | SECTION_ONLINE | SECTION_MEMMAP | SECTION_EARLY | \
			    SECTION_SELF_HOSTED | SECTION_ISOLATED)
#define SECTION_ONLINE_BITS (SECTION_PRESENT | SECTION_MEMMAP | SECTION_ONLINE)

bool vm_check_fail(struct vm_check *c, const char *fmt, ...)
{
	int n = ksnprintf(c->msg, c->size, "%s: ", c->checker);
	va_list ap;

	if (n >= 0 && (size_t)n < c->size) {
		va_start(ap, fmt);
		kvsnprintf(c->msg + n, c->size - n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* ---------------------------------------------------------------- sections */

/* The state bits and counts of section nr agree with each other. */
static bool vm_check_section_state(struct vm_check *c, unsigned long nr,
				   const struct mem_section *ms)
{
	u32 st = ms->state;

	if (st & ~SECTION_KNOWN_BITS)
		return vm_check_fail(c, "section %lu: unknown state bits %#x", nr, st);
	if ((st & SECTION_MEMMAP) && !(st & SECTION_PRESENT))
		return vm_check_fail(c, "section %lu: memmap but not present (state %#x)", nr, st);
	if ((st & SECTION_ONLINE) && !(st & SECTION_MEMMAP))
		return vm_check_fail(c, "section %lu: online without a memmap (state %#x)", nr, st);
	if ((st & SECTION_PRESENT) &&
	    (!ms->nr_present_pages || ms->nr_present_pages > PAGES_PER_SECTION))
		return vm_check_fail(c, "section %lu: present with %u present pages", nr,
				     ms->nr_present_pages);
	if ((st & SECTION_PRESENT) && ms->zone >= NR_ZONES)
		return vm_check_fail(c, "section %lu: zone %u", nr, ms->zone);
	if (!(st & SECTION_SELF_HOSTED) && ms->nr_altmap_pages)
		return vm_check_fail(c, "section %lu: %u altmap pages but not self-hosted (state %#x)",
				     nr, ms->nr_altmap_pages, st);
	return true;
}

/* The vmemmap page at va of section nr, which has a memmap: a present
 * level-0 PTE, writable, onto a frame flagged as memmap; or read-only onto
 * HVO's shared tail page, as hugetlb_vmemmap_check_ro() accepts. */
static bool vm_check_vmemmap_page(struct vm_check *c, unsigned long nr, unsigned long va)
{
	int level;
	pte_t *ep = pgwalk_lookup(va, &level);
	unsigned long frame;
	const struct page *fp;

	if (!pte_present(*ep) || level != 0)
		return vm_check_fail(c, "section %lu: vmemmap %#lx %s", nr, va,
				     pte_present(*ep) ? "is under a block mapping, not a PTE"
						      : "is not mapped");
	frame = pte_pa(*ep) >> PAGE_SHIFT;
	if (!pte_writable(*ep))                 /* HVO: only onto the shared tail page */
		return hugetlb_vmemmap_check_ro(c, nr, va, frame);
	if (hugetlb_vmemmap_is_tail_frame(frame, NULL))
		return vm_check_fail(c, "section %lu: vmemmap %#lx maps the shared tail page pfn %#lx RW",
				     nr, va, frame);
	if (!pfn_valid(frame))
		return vm_check_fail(c, "section %lu: vmemmap %#lx maps pfn %#lx, which has no struct page",
				     nr, va, frame);
	fp = pfn_to_page(frame);
	if (!page_test_flag(fp, PG_memmap) && !page_test_flag(fp, PG_vmemmap_self_hosted))
		return vm_check_fail(c, "section %lu: vmemmap %#lx maps pfn %#lx, not a memmap frame "
				     "(flags %#llx)", nr, va, frame, (unsigned long long)fp->flags);
	return true;
}

/* Every vmemmap page of section nr is mapped as above if memmap, else none is. */
static bool vm_check_section_vmemmap(struct vm_check *c, unsigned long nr, bool memmap)
{
	unsigned long va = vmemmap_section_va(nr);

	for (unsigned long i = 0; i < VMEMMAP_PAGES_PER_SECTION; i++, va += PAGE_SIZE) {
		int level;

		if (memmap && !vm_check_vmemmap_page(c, nr, va))
			return false;
		if (!memmap && pte_present(*pgwalk_lookup(va, &level)))
			return vm_check_fail(c, "section %lu has no memmap but vmemmap %#lx is mapped",
					     nr, va);
	}
	return true;
}

/* The first present leaf under table t (level lvl, first entry at base)
 * inside VA [start, last], or 0.  Absent subtrees are skipped whole, so the
 * vmemmap of sections without a root page costs a few table reads. */
static unsigned long vm_check_first_leaf(const pte_t *t, int lvl, unsigned long base,
					 unsigned long start, unsigned long last)
{
	unsigned long span = pt_level_size(lvl);

	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		unsigned long va = base + i * span, found;

		if (!pte_present(t[i]) || va > last || va + (span - 1) < start)
			continue;
		if (!pte_is_table(t[i], lvl))
			return MAX(va, start);
		found = vm_check_first_leaf(__va(pte_pa(t[i])), lvl - 1, va, start, last);
		if (found)
			return found;
	}
	return 0;
}

/* No vmemmap PTE may exist under sections whose root page is absent (a
 * removed block left it mapped, or a stray write of the walker). */
static bool vm_check_rootless(struct vm_check *c)
{
	unsigned long base = vmemmap_section_va(0) & ~(pt_level_size(PT_LEVELS - 1) * PT_ENTRIES - 1);

	for (unsigned long r = 0, r2; r < NR_SECTION_ROOTS; r = r2) {
		unsigned long va;

		for (r2 = r; r2 < NR_SECTION_ROOTS && !mem_section_root[r2]; r2++)
			;                       /* one walk per run of absent roots */
		if (r2 == r) {
			r2++;
			continue;
		}
		va = vm_check_first_leaf(arch_pgd(), PT_LEVELS - 1, base,
					 vmemmap_section_va(r * SECTIONS_PER_ROOT),
					 vmemmap_section_va(r2 * SECTIONS_PER_ROOT) - 1);
		if (va)
			return vm_check_fail(c, "stray vmemmap mapping %#lx of section %lu, which has no "
					     "root page", va, pfn_to_section_nr(page_to_pfn((struct page *)va)));
	}
	return true;
}

static bool vm_check_sections(struct vm_check *c)
{
	if (!vm_check_rootless(c))
		return false;
	for (unsigned long nr = 0; nr < sparse_max_section(); nr++) {
		const struct mem_section *ms = sparse_section(nr);

		if (!ms)
			continue;
		if (!vm_check_section_state(c, nr, ms) ||
		    !vm_check_section_vmemmap(c, nr, ms->state & SECTION_MEMMAP))
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------- free lists */

/* What a frame that must never be free is: "PG_memmap", "PG_pgtable",
 * "PG_vmemmap_self_hosted", or NULL. */
static const char *vm_check_frame_kind(const struct page *p)
{
	if (page_test_flag(p, PG_memmap))
		return "PG_memmap";
	if (page_test_flag(p, PG_pgtable))
		return "PG_pgtable";
	if (page_test_flag(p, PG_vmemmap_self_hosted))
		return "PG_vmemmap_self_hosted";
	return NULL;
}

/* Entry p of zone zi's order-o list: see the theory comment. */
static bool vm_check_free_entry(struct vm_check *c, int zi, unsigned int o, const struct page *p)
{
	unsigned long pfn = page_to_pfn(p), n = 1UL << o;
	const char *zn = zones[zi].name;
	const struct mem_section *ms;

	if (!pfn_valid(pfn) || pfn_to_page(pfn) != p)
		return vm_check_fail(c, "%s order %u: entry %#lx is not a struct page", zn, o,
				     (unsigned long)p);
	if (!page_test_flag(p, PG_buddy) || p->order != o)
		return vm_check_fail(c, "%s order %u: pfn %#lx has order %u, PG_buddy %s", zn, o, pfn,
				     p->order, page_test_flag(p, PG_buddy) ? "set" : "clear");
	if (p->refcount || page_test_flag(p, PG_reserved))
		return vm_check_fail(c, "%s order %u: pfn %#lx is not free (refcount %d, flags %#llx)",
				     zn, o, pfn, p->refcount, (unsigned long long)p->flags);
	if (page_test_flag(p, PG_memmap) || page_test_flag(p, PG_pgtable) ||
	    page_test_flag(p, PG_vmemmap_self_hosted))
		return vm_check_fail(c, "%s order %u: pfn %#lx is a %s frame on a free list", zn, o, pfn,
				     vm_check_frame_kind(p));
	if (!IS_ALIGNED(pfn, n))
		return vm_check_fail(c, "%s order %u: pfn %#lx is not aligned to its order", zn, o, pfn);
	if (page_zone_id(p) != (enum zone_type)zi)
		return vm_check_fail(c, "%s order %u: pfn %#lx is in zone %d", zn, o, pfn, page_zone_id(p));
	ms = pfn_to_section(pfn);
	if ((ms->state & SECTION_ONLINE_BITS) != SECTION_ONLINE_BITS || ms->zone != (u32)zi ||
	    pfn_to_section_nr(pfn + n - 1) != pfn_to_section_nr(pfn))
		return vm_check_fail(c, "%s order %u: block [%#lx, %#lx) is not inside one online section "
				     "of the zone (section %lu state %#x zone %u)", zn, o, pfn, pfn + n,
				     pfn_to_section_nr(pfn), ms->state, ms->zone);
	return true;
}

/* A known-zero free block [pfn, pfn + 2^o) must hold only zero bytes: the
 * HVO restore maps its frames as plain struct pages without a fill. */
static bool vm_check_zeroed_block(struct vm_check *c, const char *zn, unsigned int o, unsigned long pfn)
{
	const u64 *w = __va((phys_addr_t)pfn << PAGE_SHIFT);
	unsigned long words = (PAGE_SIZE / sizeof(u64)) << o;

	for (unsigned long i = 0; i < words; i++)
		if (w[i])
			return vm_check_fail(c, "%s order %u: known-zero block %#lx holds %#llx at byte %#lx",
					     zn, o, pfn, (unsigned long long)w[i], i * sizeof(u64));
	return true;
}

/* Zone zi's lists: entries, links and counts; *pages = pages on them. */
static bool vm_check_zone_lists(struct vm_check *c, int zi, unsigned long *pages)
{
	const struct zone *z = &zones[zi];

	unsigned long zeroed = 0;

	*pages = 0;
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		const struct free_area *fa = &z->free_area[o];
		const struct list_head *e;
		unsigned long n = 0;

		list_for_each(e, &fa->free_list) {
			if (++n > fa->nr_free)
				return vm_check_fail(c, "%s order %u: more entries than nr_free %lu",
						     z->name, o, fa->nr_free);
			if (e->next->prev != e)
				return vm_check_fail(c, "%s order %u: broken link after entry %lu",
						     z->name, o, n);
			if (!vm_check_free_entry(c, zi, o, list_entry(e, struct page, lru)))
				return false;
			if (!page_test_flag(list_entry(e, struct page, lru), PG_zeroed))
				continue;
			zeroed += 1UL << o;
			if (!vm_check_zeroed_block(c, z->name, o, page_to_pfn(list_entry(e, struct page, lru))))
				return false;
		}
		if (n != fa->nr_free)
			return vm_check_fail(c, "%s order %u: %lu entries, nr_free %lu", z->name, o, n,
					     fa->nr_free);
		*pages += n << o;
	}
	if (zeroed != z->zeroed_pages)
		return vm_check_fail(c, "zone %s: known-zero blocks hold %lu pages, zeroed_pages %lu",
				     z->name, zeroed, z->zeroed_pages);
	if (*pages != z->free_pages || z->free_pages > z->managed_pages)
		return vm_check_fail(c, "zone %s: lists hold %lu pages, free_pages %lu, managed %lu",
				     z->name, *pages, z->free_pages, z->managed_pages);
	return true;
}

static bool vm_check_free_lists(struct vm_check *c)
{
	unsigned long total = 0, pages;

	for (int zi = 0; zi < NR_ZONES; zi++) {
		if (!vm_check_zone_lists(c, zi, &pages))
			return false;
		total += pages;
	}
	if (total != nr_free_pages_locked())
		return vm_check_fail(c, "lists hold %lu pages, nr_free_pages %lu", total,
				     nr_free_pages_locked());
	return true;
}

/* ---------------------------------------------------------------- memmap */

/* The free block at pfn must not have a free buddy of the same order in
 * its zone: the free path would have merged them, unless the section is
 * ISOLATED (no merging there).  The buddy is in pfn's section. */
static bool vm_check_merged(struct vm_check *c, const struct mem_section *ms, unsigned long pfn,
			    const struct page *p)
{
	unsigned long b = pfn ^ (1UL << p->order);
	const struct page *bp = pfn_to_page(b);

	if (p->order == MAX_ORDER || (ms->state & SECTION_ISOLATED))
		return true;
	if (page_test_flag(bp, PG_buddy) && bp->order == p->order && page_zone_id(bp) == page_zone_id(p))
		return vm_check_fail(c, "free buddies %#lx and %#lx of order %u not merged", pfn, b,
				     p->order);
	return true;
}

/* A PG_buddy page met at pfn while walking section ms: a sane free block
 * head whose other pages are neither PG_buddy nor reserved. */
static bool vm_check_free_block(struct vm_check *c, const struct mem_section *ms, unsigned long pfn,
				const struct page *p)
{
	unsigned int o = p->order;

	if (o > MAX_ORDER || !IS_ALIGNED(pfn, 1UL << o) || page_zone_id(p) >= NR_ZONES)
		return vm_check_fail(c, "pfn %#lx has PG_buddy but order %u, zone %d", pfn, o,
				     page_zone_id(p));
	if (!(ms->state & SECTION_ONLINE))
		return vm_check_fail(c, "pfn %#lx has PG_buddy in offline section %lu", pfn,
				     pfn_to_section_nr(pfn));
	for (unsigned long i = 1; i < (1UL << o); i++) {
		if (page_test_flag(p + i, PG_buddy))
			return vm_check_fail(c, "pfn %#lx inside free block %#lx order %u has PG_buddy",
					     pfn + i, pfn, o);
		if (page_test_flag(p + i, PG_reserved))
			return vm_check_fail(c, "pfn %#lx inside free block %#lx order %u is reserved",
					     pfn + i, pfn, o);
		if (page_test_flag(p + i, PG_zeroed))
			return vm_check_fail(c, "pfn %#lx inside free block %#lx order %u is PG_zeroed",
					     pfn + i, pfn, o);
		if (page_test_flag(p + i, PG_pcp))
			return vm_check_fail(c, "pfn %#lx inside free block %#lx order %u is on a per-CPU "
					     "list", pfn + i, pfn, o);
		if (vm_check_frame_kind(p + i))
			return vm_check_fail(c, "pfn %#lx inside free block %#lx order %u is a %s frame",
					     pfn + i, pfn, o, vm_check_frame_kind(p + i));
	}
	return vm_check_merged(c, ms, pfn, p);
}

/* Walk the struct pages of section nr, counting free block heads and
 * per-CPU list pages (*pcp). */
static bool vm_check_section_pages(struct vm_check *c, unsigned long nr, const struct mem_section *ms,
				   unsigned long heads[NR_ZONES][NR_ORDERS], unsigned long *pcp)
{
	unsigned long pfn = section_nr_to_pfn(nr), end = section_nr_to_pfn(nr + 1);

	while (pfn < end) {
		const struct page *p = pfn_to_page(pfn);

		if (!page_test_flag(p, PG_buddy)) {
			if (page_test_flag(p, PG_zeroed))
				return vm_check_fail(c, "pfn %#lx is PG_zeroed but not a free block head",
						     pfn);
			*pcp += page_test_flag(p, PG_pcp);
			pfn++;
			continue;
		}
		if (!vm_check_free_block(c, ms, pfn, p))
			return false;
		heads[page_zone_id(p)][p->order]++;
		pfn += 1UL << p->order;
	}
	return true;
}

static bool vm_check_memmap(struct vm_check *c)
{
	unsigned long heads[NR_ZONES][NR_ORDERS] = { { 0 } }, pcp = 0;
	const struct mem_section *ms;
	unsigned long nr;

	for_each_present_section(nr, ms)
		if ((ms->state & SECTION_MEMMAP) && !vm_check_section_pages(c, nr, ms, heads, &pcp))
			return false;
	if (pcp != nr_free_pcp())
		return vm_check_fail(c, "%lu PG_pcp pages in the memmap, %lu on the per-CPU lists", pcp,
				     nr_free_pcp());
	for (int zi = 0; zi < NR_ZONES; zi++)
		for (int o = 0; o <= MAX_ORDER; o++)
			if (heads[zi][o] != zones[zi].free_area[o].nr_free)
				return vm_check_fail(c, "%s order %d: %lu PG_buddy heads in the memmap, "
						     "nr_free %lu", zones[zi].name, o, heads[zi][o],
						     zones[zi].free_area[o].nr_free);
	return true;
}

/* ---------------------------------------------------------------- runner */

/* In order: each checker may rely on the ones before it having passed.
 * Later subsystems add their row here (e.g. { "hugetlb pools", ... }). */
static const struct vm_checker {
	const char *name;
	bool (*fn)(struct vm_check *c);
} vm_checkers[] = {
	{ "sections", vm_check_sections },
	{ "free lists", vm_check_free_lists },
	{ "pcp lists", pcp_vm_check },
	{ "memmap", vm_check_memmap },
	{ "memory blocks", memhp_vm_check },
	{ "hvo", hugetlb_vmemmap_check },
	{ "hugetlb pools", hugetlb_vm_check },
};

int vm_check_run(char *msg, size_t size)
{
	struct vm_check c = { .msg = msg, .size = size };
	bool ok = true;

	msg[0] = '\0';
	for (int zi = 0; zi < NR_ZONES; zi++)
		zone_lock(&zones[zi]);
	pcp_lock_all();
	for (size_t i = 0; ok && i < ARRAY_SIZE(vm_checkers); i++) {
		c.checker = vm_checkers[i].name;
		ok = vm_checkers[i].fn(&c);
	}
	pcp_unlock_all();
	for (int zi = NR_ZONES - 1; zi >= 0; zi--)
		zone_unlock(&zones[zi]);
	return ok ? 0 : -1;
}

/* `vm_check`: "vm_check: ok" or "vm_check: FAIL: ...".  An inconsistency
 * is not a user error (no "error: "), but the verb returns non-zero so an
 * automated pagoda.run= line fails the run, as `selftest` does. */
static int vm_check_cmd(int argc, char **argv)
{
	char msg[VM_CHECK_MSG_SIZE];

	if (argc != 1)
		return shell_error("usage: vm_check");
	if (vm_check_run(msg, sizeof(msg)) == 0) {
		printk("vm_check: ok\n");
		return 0;
	}
	printk("vm_check: FAIL: %s\n", msg);
	return 1;
}
SHELL_CMD("vm_check", "vm_check", "cross-check sections, vmemmap PTEs, free lists and the memmap",
	  vm_check_cmd);

/* Does msg contain word? */
static bool vm_check_msg_has(const char *msg, const char *word)
{
	size_t n = strlen(word);

	for (; *msg; msg++)
		if (!strncmp(msg, word, n))
			return true;
	return false;
}

/* A free-list entry with the wrong order is reported naming its pfn; the
 * entry is restored right after the run, and the state checks clean. */
SELFTEST(vm_check_bad_order)
{
	struct zone *z = &zones[ZONE_NORMAL];
	char msg[VM_CHECK_MSG_SIZE], want[32];
	unsigned int o = 0;
	struct page *p;
	int rc;

	EXPECT(vm_check_run(msg, sizeof(msg)) == 0);
	while (o < MAX_ORDER && list_empty(&z->free_area[o].free_list))
		o++;
	EXPECT(!list_empty(&z->free_area[o].free_list));
	if (list_empty(&z->free_area[o].free_list))
		return;
	p = list_first_entry(&z->free_area[o].free_list, struct page, lru);
	p->order = o ? o - 1 : 1;
	rc = vm_check_run(msg, sizeof(msg));
	p->order = o;
	ksnprintf(want, sizeof(want), "pfn %#lx has order %u", page_to_pfn(p), o ? o - 1 : 1);
	EXPECT(rc != 0 && vm_check_msg_has(msg, "free lists: ") && vm_check_msg_has(msg, want));
	EXPECT(vm_check_run(msg, sizeof(msg)) == 0);
}
