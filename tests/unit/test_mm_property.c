/* Property test of the buddy allocator (mm/buddy.c) on simulated memory,
 * plus the struct page accounting rule of /work/shared/interface.md.
 *
 *   simulated physical memory (memfd, 768 MiB):
 *
 *   | s0 | s1 | s2 | s3 | s4 | s5 |
 *   [ RAM at boot: ZONE_NORMAL ][ hot-added here: ZONE_MOVABLE ]
 *                                 memmap from the buddy allocator
 *
 * Sections 4 and 5 are brought up the way a hot-add without memmap-on-memory
 * does it (mm/ has no hotplug path yet): populate the vmemmap from the buddy
 * allocator, initialise the struct pages in ZONE_MOVABLE, online the range.
 *
 * The random run does PAGODA_PROP_STEPS (default 10^6) alloc/free/split steps
 * of orders 0..10 in both zones (1 step in 128 is an alloc_contig_range() of
 * a random range, checked against the test's own idea of which pages are
 * free), seeded by PAGODA_PROP_SEED (printed), with
 *   - after every step: counters, alignment, section and zone of the block,
 *     no overlap with held blocks (a bitmap of held pfns);
 *   - every 1,000 steps: a walk of every free list against the held bitmap
 *     (flags, order, zone, alignment, overlaps, counters, missed merges),
 *     and the kernel's own vm_check must agree that all is well;
 * and finally frees everything and compares /proc/buddyinfo with its text
 * before the run.  Other scenarios: the checker (and vm_check) catches planted corruptions,
 * the accounting rule with numbers derived from the layout, and BENCH(buddy)
 * (which pauses poisoning) leaves every free page poisoned. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/sparse_vmemmap.h"
#include "mm/memblock.h"
#include "mm/page_poison.h"
#include "mm/pgwalk.h"
#include "mm/vmstat.h"
#include <pagoda/selftest.h>
#include "mm/mm_internal.h"
#include "mm/vm_check.h"

#define PROP_BOOT_RAM     (512 * SZ_1M)      /* ZONE_NORMAL at boot */
#define PROP_PHYS         (768 * SZ_1M)      /* memfd size: two more sections */
#define PROP_KERNEL_PAGES (SZ_2M / SZ_4K)    /* host_mm_boot's kernel image */
#define PROP_WALK_EVERY   1000

/* ---------------------------------------------------------------- layout */

/* Boot 512 MiB of RAM in a 768 MiB memfd; optionally add the Movable sections. */
static void prop_boot(const char *cmdline, bool movable)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = cmdline };

	o.map[0] = (struct boot_mem_range){ 0, PROP_BOOT_RAM, BOOT_MEM_USABLE };
	o.nr_map = 1;
	host_mm_boot(PROP_PHYS, &o);
	if (movable) {
		bool ok = host_hot_add_section(4, ZONE_MOVABLE) && host_hot_add_section(5, ZONE_MOVABLE);
		host_ok(ok, "sections 4-5 hot-added to ZONE_MOVABLE (memmap from buddy)");
	}
}

static unsigned long prop_nr_pfns(void) { return section_nr_to_pfn(sparse_max_section()); }

static bool prop_section_online(unsigned long pfn)
{
	return sparse_section_has(pfn_to_section_nr(pfn),
				  SECTION_PRESENT | SECTION_MEMMAP | SECTION_ONLINE);
}

/* ---------------------------------------------------------------- state */

struct prop_block { unsigned long pfn; unsigned int order; };

struct prop {
	u64 rng;
	unsigned long nr_pfns;
	u64 *held_map;                     /* bit per pfn: held by this test */
	u64 *free_map;                     /* walk scratch: bit per pfn in a free block */
	u8 *free_head;                     /* walk scratch: order + 1 at free heads */
	struct prop_block *held;
	unsigned long nr_held, held_pages, held_movable;
	unsigned long contig_ok, contig_busy;
	unsigned long fail_step;           /* step of the first broken invariant */
	unsigned long free0;               /* nr_free_pages() with nothing held */
	unsigned long other0;              /* managed - free at start: memmap, tables */
	char err[256];
	char vm_msg[VM_CHECK_MSG_SIZE];    /* vm_check_run()'s verdict */
};

static u64 prop_rand(struct prop *p)     /* splitmix64 */
{
	u64 z = (p->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static bool bit_test(const u64 *m, unsigned long i) { return m[i / 64] >> (i % 64) & 1; }
static void bit_set(u64 *m, unsigned long i) { m[i / 64] |= 1ull << (i % 64); }
static void bit_clear(u64 *m, unsigned long i) { m[i / 64] &= ~(1ull << (i % 64)); }

static bool prop_fail(struct prop *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool prop_fail(struct prop *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return false;
}

static void prop_init(struct prop *p, u64 seed)
{
	unsigned long words;

	memset(p, 0, sizeof(*p));
	p->rng = seed;
	p->nr_pfns = prop_nr_pfns();
	words = (p->nr_pfns + 63) / 64;
	p->held_map = calloc(words, 8);
	p->free_map = calloc(words, 8);
	p->free_head = calloc(p->nr_pfns, 1);
	p->held = calloc(p->nr_pfns, sizeof(*p->held));
	p->free0 = nr_free_pages();
	p->other0 = totalram_pages() - p->free0;
}

static void prop_fini(struct prop *p)
{
	free(p->held_map);
	free(p->free_map);
	free(p->free_head);
	free(p->held);
}

/* ---------------------------------------------------------------- steps */

/* Has zone zt (or a zone it falls back to) a free block of order >= o? */
static bool prop_zone_can_serve(enum zone_type zt, unsigned int o)
{
	for (unsigned int k = o; k <= MAX_ORDER; k++)
		if (zones[zt].free_area[k].nr_free)
			return true;
	return false;
}

/* Record a block handed out by the allocator; check it on the way. */
static bool prop_take(struct prop *p, struct page *page, unsigned int o, enum zone_type want)
{
	unsigned long pfn = page_to_pfn(page), n = 1UL << o;
	enum zone_type got = page_zone_id(page);

	if (pfn >= p->nr_pfns || !IS_ALIGNED(pfn, n))
		return prop_fail(p, "order %u block at pfn %#lx: misaligned or outside memory", o, pfn);
	if (!prop_section_online(pfn) || pfn_to_section_nr(pfn) != pfn_to_section_nr(pfn + n - 1))
		return prop_fail(p, "order %u block at pfn %#lx: not inside one online section", o, pfn);
	if (page->refcount != 1 || page->order != o || page_test_flag(page, PG_buddy) ||
	    page_test_flag(page, PG_reserved) || page_test_flag(page, PG_memmap))
		return prop_fail(p, "pfn %#lx: head state refcount %d order %u flags %#llx", pfn,
				 page->refcount, page->order, (unsigned long long)page->flags);
	if (got != want && !(want == ZONE_MOVABLE && got == ZONE_NORMAL))
		return prop_fail(p, "pfn %#lx: asked zone %d, got %d", pfn, want, got);
	for (unsigned long i = 0; i < n; i++) {
		if (bit_test(p->held_map, pfn + i))
			return prop_fail(p, "order %u block at pfn %#lx overlaps held pfn %#lx",
					 o, pfn, pfn + i);
		bit_set(p->held_map, pfn + i);
	}
	p->held[p->nr_held++] = (struct prop_block){ pfn, o };
	p->held_pages += n;
	if (got == ZONE_MOVABLE)
		p->held_movable += n;
	return true;
}

/* One allocation of a random order and zone; NULL only when nothing fits.
 * Now and then an order >= 1 block is split into order-0 pages. */
static bool prop_alloc(struct prop *p)
{
	unsigned int o = (prop_rand(p) & 1) ? prop_rand(p) % NR_ORDERS : prop_rand(p) % 3;
	enum zone_type zt = (prop_rand(p) & 1) ? ZONE_MOVABLE : ZONE_NORMAL;
	bool movable_can = prop_zone_can_serve(ZONE_MOVABLE, o);
	struct page *page = alloc_pages(o, zt);

	if (!page) {
		if (prop_zone_can_serve(ZONE_NORMAL, o) || (zt == ZONE_MOVABLE && movable_can))
			return prop_fail(p, "order %u zone %d: NULL with a block free", o, zt);
		return true;
	}
	if (zt == ZONE_MOVABLE && movable_can && page_zone_id(page) != ZONE_MOVABLE)
		return prop_fail(p, "order %u: fell back to Normal with Movable blocks free", o);
	if (o && o <= 5 && prop_rand(p) % 64 == 0) {
		split_page(page, o);
		for (unsigned long i = 0; i < (1UL << o); i++)
			if (!prop_take(p, page + i, 0, zt))
				return false;
		return true;
	}
	return prop_take(p, page, o, zt);
}

/* Is pfn free by the test's own reckoning: not held by the test, and
 * neither reserved nor allocated by mm itself (memmap, page tables)? */
static bool prop_pfn_free(const struct prop *p, unsigned long pfn)
{
	const struct page *pg = pfn_to_page(pfn);
	return !bit_test(p->held_map, pfn) && !page_test_flag(pg, PG_reserved) && !pg->refcount;
}

/* alloc_contig_range() of a random range inside one online section: it
 * must succeed exactly when every page is free and in the zone asked for;
 * the pages come back as held order-0 pages. */
static bool prop_contig(struct prop *p)
{
	unsigned long len = 1 + prop_rand(p) % ((prop_rand(p) & 1) ? 700 : 16), start, end;
	enum zone_type zt = (prop_rand(p) & 1) ? ZONE_MOVABLE : ZONE_NORMAL;
	bool expect = true;
	int rc;

	start = prop_rand(p) % p->nr_pfns;
	end = MIN(start + len, section_nr_to_pfn(pfn_to_section_nr(start) + 1));
	if (!prop_section_online(start))
		return true;
	for (unsigned long pfn = start; pfn < end && expect; pfn++)
		expect = prop_pfn_free(p, pfn) && page_zone_id(pfn_to_page(pfn)) == zt;
	rc = alloc_contig_range(start, end, zt);
	if (rc == 0)
		p->contig_ok++;
	else
		p->contig_busy++;
	if ((rc == 0) != expect || (rc && rc != -EBUSY))
		return prop_fail(p, "alloc_contig_range(%#lx, %#lx, zone %d) = %d, expected %s",
				 start, end, zt, rc, expect ? "0" : "-EBUSY");
	for (unsigned long pfn = start; rc == 0 && pfn < end; pfn++)
		if (!prop_take(p, pfn_to_page(pfn), 0, zt))
			return false;
	return true;
}

/* Free held block i (swap-removed from the held array). */
static bool prop_free(struct prop *p, unsigned long i)
{
	struct prop_block b = p->held[i];
	struct page *page = pfn_to_page(b.pfn);
	unsigned long n = 1UL << b.order;

	if (page_zone_id(page) == ZONE_MOVABLE)
		p->held_movable -= n;
	p->held[i] = p->held[--p->nr_held];
	p->held_pages -= n;
	for (unsigned long k = 0; k < n; k++)
		bit_clear(p->held_map, b.pfn + k);
	free_pages(page, b.order);
	return true;
}

/* The cheap invariant after every step. */
static bool prop_check_counters(struct prop *p)
{
	if (nr_free_pages() != p->free0 - p->held_pages)
		return prop_fail(p, "nr_free_pages %lu != start %lu - held %lu",
				 nr_free_pages(), p->free0, p->held_pages);
	return true;
}

/* ---------------------------------------------------------------- walk */

/* Check the free block at head (order o, zone z) and mark its pages. */
static bool prop_walk_block(struct prop *p, const struct page *head, unsigned int o,
			    enum zone_type z)
{
	unsigned long pfn = page_to_pfn(head), n = 1UL << o;

	if (pfn >= p->nr_pfns || !pfn_valid(pfn))
		return prop_fail(p, "free list %d/%u: entry pfn %#lx outside memory", z, o, pfn);
	if (!page_test_flag(head, PG_buddy) || head->order != o || page_zone_id(head) != z)
		return prop_fail(p, "free list %d/%u: pfn %#lx has PG_buddy %d order %u zone %d", z, o,
				 pfn, page_test_flag(head, PG_buddy), head->order, page_zone_id(head));
	if (!IS_ALIGNED(pfn, n) || !prop_section_online(pfn) ||
	    pfn_to_section_nr(pfn) != pfn_to_section_nr(pfn + n - 1))
		return prop_fail(p, "free list %d/%u: pfn %#lx misaligned or not in one online section",
				 z, o, pfn);
	for (unsigned long i = 0; i < n; i++) {
		const struct page *t = head + i;
		if (bit_test(p->free_map, pfn + i) || bit_test(p->held_map, pfn + i))
			return prop_fail(p, "free block %#lx/%u: pfn %#lx also %s", pfn, o, pfn + i,
					 bit_test(p->held_map, pfn + i) ? "held" : "in another free block");
		if (page_test_flag(t, PG_reserved) || page_test_flag(t, PG_memmap) ||
		    page_zone_id(t) != z || (i && page_test_flag(t, PG_buddy)))
			return prop_fail(p, "free block %#lx/%u: page %#lx flags %#llx", pfn, o,
					 pfn + i, (unsigned long long)t->flags);
		bit_set(p->free_map, pfn + i);
	}
	p->free_head[pfn] = (u8)(o + 1);
	return true;
}

/* Walk zone z's free lists: entries and counters.  Returns pages found. */
static bool prop_walk_zone(struct prop *p, enum zone_type z, unsigned long *pages)
{
	*pages = 0;
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		const struct free_area *fa = &zones[z].free_area[o];
		unsigned long n = 0;
		struct list_head *e;

		list_for_each(e, &fa->free_list) {
			if (++n > p->nr_pfns)
				return prop_fail(p, "free list %d/%u does not end", z, o);
			if (!prop_walk_block(p, list_entry(e, struct page, lru), o, z))
				return false;
		}
		if (n != fa->nr_free)
			return prop_fail(p, "free list %d/%u: %lu entries, nr_free %lu", z, o, n, fa->nr_free);
		*pages += n << o;
	}
	if (*pages != zones[z].free_pages)
		return prop_fail(p, "zone %d: lists hold %lu pages, free_pages %lu", z, *pages,
				 zones[z].free_pages);
	return true;
}

/* No two free heads of one order are buddies that the allocator could merge,
 * and no page outside a free block carries PG_buddy. */
static bool prop_walk_merges(struct prop *p)
{
	for (unsigned long pfn = 0; pfn < p->nr_pfns; pfn++) {
		unsigned int o;
		unsigned long b;

		if (!pfn_valid(pfn))
			continue;
		if (!p->free_head[pfn]) {
			if (page_test_flag(pfn_to_page(pfn), PG_buddy))
				return prop_fail(p, "pfn %#lx has PG_buddy but is on no free list", pfn);
			continue;
		}
		o = p->free_head[pfn] - 1u;
		b = pfn ^ (1UL << o);
		if (o < MAX_ORDER && b < p->nr_pfns && p->free_head[b] == o + 1 &&
		    pfn_to_section_nr(b) == pfn_to_section_nr(pfn) &&
		    page_zone_id(pfn_to_page(b)) == page_zone_id(pfn_to_page(pfn)))
			return prop_fail(p, "free buddies %#lx and %#lx of order %u not merged", pfn, b, o);
	}
	return true;
}

/* The full consistency walk. */
static bool prop_walk(struct prop *p)
{
	unsigned long normal, movable;

	memset(p->free_map, 0, (p->nr_pfns + 63) / 64 * 8);
	memset(p->free_head, 0, p->nr_pfns);
	if (!prop_walk_zone(p, ZONE_NORMAL, &normal) || !prop_walk_zone(p, ZONE_MOVABLE, &movable))
		return false;
	if (normal + movable != nr_free_pages())
		return prop_fail(p, "lists hold %lu pages, nr_free_pages %lu", normal + movable,
				 nr_free_pages());
	if (movable + p->held_movable != zones[ZONE_MOVABLE].managed_pages)
		return prop_fail(p, "Movable: free %lu + held %lu != managed %lu", movable,
				 p->held_movable, zones[ZONE_MOVABLE].managed_pages);
	if (nr_free_pages() + p->held_pages + p->other0 != totalram_pages())
		return prop_fail(p, "free %lu + held %lu + memmap/tables %lu != managed %lu",
				 nr_free_pages(), p->held_pages, p->other0, totalram_pages());
	if (!prop_walk_merges(p))
		return false;
	if (vm_check_run(p->vm_msg, sizeof(p->vm_msg)))            /* the kernel's own checker agrees */
		return prop_fail(p, "the walk passed but vm_check says: %s", p->vm_msg);
	return true;
}

/* ---------------------------------------------------------------- runs */

static u64 prop_env(const char *name, u64 def)
{
	const char *v = getenv(name);
	return v && *v ? strtoull(v, NULL, 0) : def;
}

/* Alloc probability in percent: fill, drain and balanced phases in turn,
 * so the run reaches both exhaustion and near-empty states. */
static unsigned int prop_phase_alloc_pct(unsigned long step)
{
	static const unsigned int pct[] = { 75, 50, 25, 50 };
	return pct[(step / 20000) % 4];
}

/* steps random steps; full walk every PROP_WALK_EVERY.  Returns false
 * (with p->err) at the first broken invariant. */
static bool prop_run(struct prop *p, unsigned long steps, unsigned long *walks, unsigned long *nulls)
{
	for (unsigned long s = 1; s <= steps; s++) {
		bool alloc = p->nr_held == 0 || prop_rand(p) % 100 < prop_phase_alloc_pct(s);
		unsigned long held_before = p->nr_held;
		bool ok;

		if (prop_rand(p) % 128 == 0) {
			alloc = false;                    /* not counted as a NULL allocation */
			ok = prop_contig(p);
		} else {
			ok = alloc ? prop_alloc(p) : prop_free(p, prop_rand(p) % p->nr_held);
		}

		if (alloc && ok && p->nr_held == held_before)
			(*nulls)++;
		if (ok)
			ok = prop_check_counters(p);
		if (ok && s % PROP_WALK_EVERY == 0) {
			ok = prop_walk(p);
			(*walks)++;
		}
		if (!ok) {
			p->fail_step = s;
			return false;
		}
	}
	return true;
}

/* Free every held block in random order. */
static void prop_free_all(struct prop *p)
{
	while (p->nr_held)
		prop_free(p, prop_rand(p) % p->nr_held);
}

static void prop_random(const char *cmdline, unsigned long steps)
{
	u64 seed = prop_env("PAGODA_PROP_SEED", 0x5eed0f9a90da2024ull);
	unsigned long walks = 0, nulls = 0;
	static char info0[4096], info1[4096];
	u64 t0;
	struct prop p;
	bool ok;

	prop_boot(cmdline, true);
	printf("# seed %#llx (set PAGODA_PROP_SEED to override), %lu steps, %s\n",
	       (unsigned long long)seed, steps, cmdline);
	prop_init(&p, seed);
	host_cat("/proc/buddyinfo", info0, sizeof(info0));
	host_ok(prop_walk(&p), "walk after boot and hot-add: %s", p.err);
	t0 = host_now_ns();
	ok = prop_run(&p, steps, &walks, &nulls);
	host_ok(ok, "%lu random alloc/free steps, orders 0..%d, Normal+Movable: "
		"cheap invariants after each (seed %#llx)%s%.0lu %s", steps, MAX_ORDER,
		(unsigned long long)seed, ok ? "" : ": failed at step ", p.fail_step, p.err);
	host_ok(ok && walks == steps / PROP_WALK_EVERY, "%lu full free-list walks passed", walks);
	host_ok(nulls > 0 || steps < 20000, "the fill phases exhausted memory (%lu NULL allocations, "
		"each checked; needs >= 20000 steps)", nulls);
	host_ok(p.contig_ok > 0 && p.contig_busy > 0, "alloc_contig_range: %lu taken, %lu -EBUSY, each as predicted",
		p.contig_ok, p.contig_busy);
	printf("# %.1f s, %lu blocks held at the end\n", (host_now_ns() - t0) / 1e9, p.nr_held);
	if (!ok)
		return;
	prop_free_all(&p);
	host_ok(prop_walk(&p), "walk after freeing everything: %s", p.err);
	host_ok(nr_free_pages() == p.free0, "nr_free_pages back to %lu (%lu)", p.free0, nr_free_pages());
	host_cat("/proc/buddyinfo", info1, sizeof(info1));
	host_ok(strcmp(info0, info1) == 0 && strstr(info0, "Movable"),
		"/proc/buddyinfo identical to its starting text");
	printf("# /proc/buddyinfo after freeing everything:\n");
	for (char *l = strtok(info1, "\n"); l; l = strtok(NULL, "\n"))
		printf("#   %s\n", l);
	prop_fini(&p);
}

static void prop_random_no_poison(void)
{
	prop_random("page_poison=off", prop_env("PAGODA_PROP_STEPS", 1000000));
}

/* Poisoning on: every allocation verifies the pattern over the whole block,
 * so a run of a tenth of the steps (the checks, not the steps, cost here). */
static void prop_random_poison(void)
{
	prop_random("page_poison=on", prop_env("PAGODA_PROP_STEPS", 1000000) / 10);
}

/* vm_check_run() reports an inconsistency (message in p->vm_msg). */
static bool prop_vm_check_fails(struct prop *p)
{
	return vm_check_run(p->vm_msg, sizeof(p->vm_msg)) != 0;
}

/* The checker can fail: plant one corruption at a time into a quiet
 * allocator, expect the walk (or the counter check) to name it, undo it. */
static void prop_checker_catches(void)
{
	struct zone *z = &zones[ZONE_NORMAL];
	struct page *held;
	unsigned long q;
	struct prop p;

	prop_boot("page_poison=off", true);
	prop_init(&p, 1);
	host_ok(prop_walk(&p), "clean state passes the walk: %s", p.err);
	held = alloc_pages(0, ZONE_NORMAL);
	prop_take(&p, held, 0, ZONE_NORMAL);
	page_set_flag(held, PG_buddy);
	host_ok(!prop_walk(&p) && strstr(p.err, "on no free list"), "stray PG_buddy caught: %s", p.err);
	host_ok(prop_vm_check_fails(&p), "vm_check too: %s", p.vm_msg);
	page_clear_flag(held, PG_buddy);
	z->free_area[3].nr_free++;
	host_ok(!prop_walk(&p) && strstr(p.err, "nr_free"), "free_area count off by one caught: %s", p.err);
	host_ok(prop_vm_check_fails(&p), "vm_check too: %s", p.vm_msg);
	z->free_area[3].nr_free--;
	p.held_pages++;
	host_ok(!prop_check_counters(&p), "nr_free_pages drift caught: %s", p.err);
	p.held_pages--;
	list_add(&held->lru, &z->free_area[0].free_list);       /* a held page on a free list */
	page_set_flag(held, PG_buddy);
	held->order = 0;
	z->free_area[0].nr_free++;
	z->free_pages++;
	host_ok(!prop_walk(&p) && strstr(p.err, "also held"), "free block overlapping a held one caught: %s", p.err);
	host_ok(prop_vm_check_fails(&p), "vm_check too (a held page on a list): %s", p.vm_msg);
	list_del(&held->lru);
	page_clear_flag(held, PG_buddy);
	z->free_area[0].nr_free--;
	z->free_pages--;
	q = host_plant_unmerged_buddies();
	host_ok(!prop_walk(&p) && strstr(p.err, "not merged"), "unmerged buddies %#lx/%#lx caught: %s",
		q, q + 1, p.err);
	host_ok(prop_vm_check_fails(&p), "vm_check too: %s", p.vm_msg);
	prop_fini(&p);
}

/* ---------------------------------------------------------------- accounting */

/* Page-table pages pgwalk needs for the vmemmap of sections [0, nsec):
 * one PTE table per 2 MiB of vmemmap VA, one PMD table per 1 GiB, one PUD
 * table per 512 GiB unless that root slot is the direct map's (host_arch.c
 * puts its table inside the kernel image, so it is not counted). */
static unsigned long prop_expected_tables(unsigned long nsec)
{
	unsigned long start = vmemmap_section_va(0), end = vmemmap_section_va(nsec) - 1;
	unsigned long n = 0;

	for (int lvl = 1; lvl < PT_LEVELS; lvl++) {
		unsigned long span = pt_level_size(lvl);
		for (unsigned long va = ALIGN_DOWN(start, span); va <= end; va += span)
			if (lvl < PT_LEVELS - 1 || pt_index(va, 3) != pt_index(host_page_offset, 3))
				n++;
	}
	return n;
}

struct prop_frames { unsigned long boot, runtime, total, bad; char why[160]; };

/* Classify every frame mapped under the vmemmap of a present section:
 * boot (PG_reserved, in memblock.reserved) or run time (allocated from the
 * buddy allocator); never free, never mapped twice. */
static void prop_count_memmap_frames(struct prop_frames *f)
{
	unsigned long nr, *pfns = calloc(sparse_max_section() * VMEMMAP_PAGES_PER_SECTION, sizeof(*pfns));
	unsigned long head;
	unsigned int order;
	struct mem_section *ms;

	memset(f, 0, sizeof(*f));
	for_each_present_section(nr, ms)
		for (unsigned long i = 0; i < VMEMMAP_PAGES_PER_SECTION; i++) {
			pte_t *ep = pgwalk_pte(vmemmap_section_va(nr) + i * PAGE_SIZE);
			unsigned long pfn = ep && pte_present(*ep) ? pte_pa(*ep) >> PAGE_SHIFT : 0;
			struct page *pg = pfn_to_page(pfn);

			if (!pfn || !pfn_valid(pfn) || !page_test_flag(pg, PG_memmap) ||
			    buddy_find_block(pfn, &head, &order)) {
				if (!f->bad++)
					snprintf(f->why, sizeof(f->why), "section %lu vmemmap page %lu: frame %#lx "
						 "unmapped, not PG_memmap, or free", nr, i, pfn);
				continue;
			}
			for (unsigned long k = 0; k < f->total; k++)
				if (pfns[k] == pfn && !f->bad++)
					snprintf(f->why, sizeof(f->why), "frame %#lx mapped twice", pfn);
			pfns[f->total++] = pfn;
			if (page_test_flag(pg, PG_reserved) && memblock_is_reserved((phys_addr_t)pfn << PAGE_SHIFT))
				f->boot++;
			else if (!page_test_flag(pg, PG_reserved) && pg->refcount == 1)
				f->runtime++;
			else if (!f->bad++)
				snprintf(f->why, sizeof(f->why), "frame %#lx is neither boot nor buddy memory", pfn);
		}
	free(pfns);
}

static long prop_text_field(const char *path, const char *name)
{
	static char buf[8192];
	host_cat(path, buf, sizeof(buf));
	return host_field(buf, name);
}

/* The accounting rule of interface.md, with every expected number derived
 * from the simulated layout: 512 MiB of RAM in 4 sections, a 2 MiB kernel,
 * frame 0, one section-root page; then 2 sections hot-added to Movable. */
static void prop_accounting(void)
{
	const unsigned long ram = PROP_BOOT_RAM / SZ_4K, boot_sections = PROP_BOOT_RAM / SZ_128M;
	const unsigned long memmap_per_section = (SZ_128M / SZ_4K) * 64 / SZ_4K;  /* 64-byte pages */
	unsigned long tables, managed, memmap_boot, new_tables;
	struct prop_frames f;

	prop_boot("page_poison=off", false);
	tables = prop_expected_tables(boot_sections);
	memmap_boot = boot_sections * memmap_per_section;
	managed = ram - PROP_KERNEL_PAGES - 1 /* frame 0 */ - memmap_boot - tables - 1 /* root */;
	host_ok(prop_text_field("/proc/vmstat", "nr_memmap_boot_pages") == (long)memmap_boot &&
		prop_text_field("/proc/vmstat", "nr_memmap_pages") == 0,
		"boot: nr_memmap_boot_pages = %lu (4 sections x 512), nr_memmap_pages = 0", memmap_boot);
	host_ok(prop_text_field("/proc/vmstat", "nr_page_table_pages") == (long)tables,
		"boot: %lu vmemmap page-table pages", tables);
	host_ok(prop_text_field("/proc/meminfo", "MemTotal") == (long)(managed * 4) &&
		prop_text_field("/proc/meminfo", "MemFree") == (long)(managed * 4),
		"boot: MemTotal = MemFree = %lu kB (RAM - kernel - frame 0 - memmap - tables - root)",
		managed * 4);
	prop_count_memmap_frames(&f);
	host_ok(!f.bad && f.boot == memmap_boot && f.runtime == 0 && f.total == memmap_boot,
		"boot: %lu memmap frames, all boot-counted, none free %s", f.total, f.why);

	host_ok(host_hot_add_section(4, ZONE_MOVABLE) && host_hot_add_section(5, ZONE_MOVABLE),
		"hot-add sections 4-5 to ZONE_MOVABLE");
	new_tables = prop_expected_tables(boot_sections + 2) - tables;
	host_ok(prop_text_field("/proc/vmstat", "nr_memmap_pages") == (long)(2 * memmap_per_section) &&
		prop_text_field("/proc/vmstat", "nr_memmap_boot_pages") == (long)memmap_boot,
		"hot-add: nr_memmap_pages = %lu, nr_memmap_boot_pages unchanged", 2 * memmap_per_section);
	host_ok(prop_text_field("/proc/meminfo", "MemTotal") == (long)((managed + 2 * SZ_128M / SZ_4K) * 4),
		"hot-add: MemTotal grows by the whole 256 MiB (memmap is not self-hosted)");
	host_ok(prop_text_field("/proc/meminfo", "MemFree") ==
		(long)((managed + 2 * SZ_128M / SZ_4K - 2 * memmap_per_section - new_tables) * 4),
		"hot-add: MemFree grows by 256 MiB minus %lu memmap and %lu table pages",
		2 * memmap_per_section, new_tables);
	prop_count_memmap_frames(&f);
	host_ok(!f.bad && f.boot == memmap_boot && f.runtime == 2 * memmap_per_section &&
		f.total == (unsigned long)(node_stat(NR_MEMMAP_BOOT_PAGES) + node_stat(NR_MEMMAP_PAGES)),
		"hot-add: every memmap frame counted once (%lu boot + %lu run time), none free %s",
		f.boot, f.runtime, f.why);
}

/* ---------------------------------------------------------------- BENCH(buddy) */

extern const struct bench __start_pagoda_benches[], __stop_pagoda_benches[];

/* mm/buddy_bench.c pauses poisoning while it times the allocator alone.
 * Afterwards every free page must still hold the pattern (taking all of
 * memory verifies each block) and the allocator must be consistent. */
static void prop_buddy_bench(void)
{
	static char out[2048];
	const struct bench *b;
	struct prop p;
	struct page *page;
	unsigned long taken = 0;

	prop_boot("page_poison=on", false);
	prop_init(&p, 2);
	for (b = __start_pagoda_benches; b < __stop_pagoda_benches && strcmp(b->name, "buddy"); b++)
		;
	host_ok(b < __stop_pagoda_benches, "BENCH(buddy) is registered");
	if (b == __stop_pagoda_benches)
		return;
	out[0] = 0;
	host_printk_buf = out;
	host_printk_size = sizeof(out);
	b->fn();
	host_printk_buf = NULL;
	host_ok(strstr(out, "order-0 pair: ") && strstr(out, "order-9 pair: ") &&
		strstr(out, "page_poison=on"), "bench prints order-0 and order-9 pairs, with and without poison");
	for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
		printf("#   %s\n", l);
	host_ok(page_poison_enabled && prop_walk(&p) && nr_free_pages() == p.free0,
		"poisoning restored, allocator consistent and all pages back: %s", p.err);
	while ((page = alloc_pages(0, ZONE_NORMAL)))    /* panics on a missing pattern */
		taken++;
	host_ok(taken == p.free0, "every free page still poisoned (%lu pages verified)", taken);
	prop_fini(&p);
}

int main(void)
{
	host_tap_init();
	host_scenario("checker catches corruption", prop_checker_catches);
	host_scenario("accounting", prop_accounting);
	host_scenario("BENCH(buddy) keeps the poison", prop_buddy_bench);
	host_scenario("random, poison off", prop_random_no_poison);
	host_scenario("random, poison on", prop_random_poison);
	return host_tap_done();
}
