/* Property test of the per-CPU order-0 lists (mm/pcp.c) with simulated
 * CPUs interleaved: host_cpu_id switches before every step, so each
 * operation runs "on" a random one of 4 CPUs and meets lists the others
 * filled.
 *
 *   RAM [0, 256M) Normal at boot | block 2 Movable | block 3 Normal
 *                                   (hot-added, offlined/onlined at random)
 *
 * Steps (PAGODA_PCP_STEPS, default 20000; seed PAGODA_PCP_SEED, printed):
 * alloc order 0 / 1..3 from either zone, free a held block (on whatever CPU
 * runs now), drain one list or report (nr_free_pages drains all), offline or
 * online a block, alloc_contig_range of a few pages of an online block.
 * After every step:
 *   - every list: length = count <= PCP_HIGH, each entry PG_pcp, free,
 *     order 0, of the list's zone, not held by the test, in an online and
 *     not isolated section;
 *   - free pages + list pages + held pages + pages never free == MemTotal;
 *   - offline succeeded exactly when the test held no page of the block
 *     (list pages of the block must have been drained), and a contig range
 *     of a block with no held page in it was taken;
 *   - no IPI was sent (any CPU drains any list under its lock);
 * every 1000 steps vm_check (which checks the lists and counts PG_pcp pages
 * in the memmap) agrees.  At the end, everything freed: nr_free_pages and
 * /proc/buddyinfo are what they were.  Planted corruptions show the
 * checks can fail.  Built with ASan/UBSan and PAGODA_LOCK_DEBUG (lock
 * order checked on every acquire). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/host_mm.h"
#include "host/host_smp.h"
#include "mm/buddy.h"
#include "mm/pcp.h"
#include "mm/sparse.h"
#include "mm/vm_check.h"
#include "mm/memory_hotplug.h"

#define M128       (128UL << 20)
#define PCP_CPUS   4
#define HELD_MAX   4096

struct held { unsigned long pfn; unsigned int order; };

static struct {
	u64 rng;
	struct held held[HELD_MAX];
	unsigned long nheld, held_pages, other0, ipis0;
	u64 *map;                          /* bit per pfn: held */
	char err[256];
	unsigned long offlines, contigs;
} t;

static u64 rnd(void)
{
	t.rng ^= t.rng << 13;
	t.rng ^= t.rng >> 7;
	t.rng ^= t.rng << 17;
	return t.rng;
}

static bool is_held(unsigned long pfn) { return t.map[pfn / 64] & (1ULL << (pfn % 64)); }
static void mark(unsigned long pfn, unsigned int order, bool on)
{
	for (unsigned long p = pfn; p < pfn + (1UL << order); p++)
		t.map[p / 64] = on ? t.map[p / 64] | (1ULL << (p % 64)) : t.map[p / 64] & ~(1ULL << (p % 64));
}

static bool fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t.err, sizeof(t.err), fmt, ap);
	va_end(ap);
	return false;
}

static void boot(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M page_poison=on" };

	host_mm_boot(SZ_1G, &o);
	memory_blocks_init();
	host_smp_online(PCP_CPUS);
}

/* ---------------------------------------------------------------- checks */

static bool check_lists(void)
{
	unsigned long pcp_pages = 0, free = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++)
		for (int z = 0; z < NR_ZONES; z++) {
			const struct per_cpu_pages *pcp = &pcp_lists[c][z];
			const struct list_head *e;
			unsigned long n = 0;

			list_for_each(e, &pcp->list) {
				const struct page *p = list_entry(e, struct page, lru);
				unsigned long pfn = page_to_pfn(p);

				if (++n > pcp->count)
					return fail("cpu %u zone %d: more entries than count %lu", c, z, pcp->count);
				if (!page_test_flag(p, PG_pcp) || page_test_flag(p, PG_buddy) || p->refcount ||
				    p->order || page_zone_id(p) != (enum zone_type)z)
					return fail("cpu %u zone %d: pfn %#lx flags %#llx refcount %d order %u", c, z,
						    pfn, (unsigned long long)p->flags, p->refcount, p->order);
				if (is_held(pfn))
					return fail("pfn %#lx is held and on cpu %u's list", pfn, c);
				if (!sparse_section_has(pfn_to_section_nr(pfn), SECTION_ONLINE) ||
				    pfn_section_isolated(pfn))
					return fail("pfn %#lx on cpu %u's list: section not online or isolated", pfn, c);
			}
			if (n != pcp->count || n > PCP_HIGH)
				return fail("cpu %u zone %d: %lu entries, count %lu (high %d)", c, z, n, pcp->count,
					    PCP_HIGH);
			pcp_pages += n;
		}
	if (pcp_pages != nr_free_pcp())
		return fail("lists hold %lu, nr_free_pcp %lu", pcp_pages, nr_free_pcp());
	free = nr_free_pages_locked();
	if (free + pcp_pages + t.held_pages + t.other0 != totalram_pages())
		return fail("free %lu + lists %lu + held %lu + other %lu != MemTotal %lu", free, pcp_pages,
			    t.held_pages, t.other0, totalram_pages());
	if (host_ipis_sent != t.ipis0)
		return fail("%lu IPIs sent", host_ipis_sent - t.ipis0);
	return true;
}

/* ---------------------------------------------------------------- steps */

static void op_alloc(unsigned int order)
{
	enum zone_type zt = (rnd() & 1) ? ZONE_MOVABLE : ZONE_NORMAL;
	struct page *p;

	if (t.nheld == HELD_MAX)
		return;
	p = alloc_pages(order, zt);
	if (!p)
		return;
	if (is_held(page_to_pfn(p)) || page_test_flag(p, PG_pcp) || p->refcount != 1)
		fail("alloc returned pfn %#lx: held %d, flags %#llx", page_to_pfn(p), is_held(page_to_pfn(p)),
		     (unsigned long long)p->flags);
	t.held[t.nheld++] = (struct held){ page_to_pfn(p), order };
	t.held_pages += 1UL << order;
	mark(page_to_pfn(p), order, true);
}

static void op_free(void)
{
	unsigned long i;

	if (!t.nheld)
		return;
	i = rnd() % t.nheld;
	mark(t.held[i].pfn, t.held[i].order, false);
	free_pages(pfn_to_page(t.held[i].pfn), t.held[i].order);
	t.held_pages -= 1UL << t.held[i].order;
	t.held[i] = t.held[--t.nheld];
}

static bool block_has_held(unsigned long nr)
{
	for (unsigned long pfn = section_nr_to_pfn(nr); pfn < section_nr_to_pfn(nr + 1); pfn++)
		if (is_held(pfn))
			return true;
	return false;
}

/* Offline an online block (0 exactly when nothing of it is held) or online
 * an offline one; MemTotal moves, so other0 is re-derived. */
static void op_toggle(unsigned long nr)
{
	unsigned long busy;

	if (sparse_section_has(nr, SECTION_ONLINE)) {
		bool held, let_go = rnd() & 1;                       /* half the time: let go first */

		for (unsigned long i = t.nheld; let_go && i-- > 0;)
			if (pfn_to_section_nr(t.held[i].pfn) == nr) {
				mark(t.held[i].pfn, t.held[i].order, false);
				free_pages(pfn_to_page(t.held[i].pfn), t.held[i].order);
				t.held_pages -= 1UL << t.held[i].order;
				t.held[i] = t.held[--t.nheld];
			}
		held = block_has_held(nr);
		int rc = offline_memory_block(nr, &busy);

		if (rc != (held ? -EBUSY : 0))
			fail("offline memory%lu: %d with%s held pages", nr, rc, held ? "" : " no");
		t.offlines += rc == 0;
	} else if (online_memory_block(nr, nr == 2 ? MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL)) {
		fail("online memory%lu failed", nr);
	}
}

/* alloc_contig_range of 1..16 pages of an online block: taken exactly when
 * no page of the range is held (list pages must be drained for it). */
static void op_contig(unsigned long nr)
{
	unsigned long usable = memhp_block_first_usable_pfn(nr), n = 1 + rnd() % 16;
	unsigned long start = usable + rnd() % (section_nr_to_pfn(nr + 1) - usable - n);
	const struct per_cpu_pages *pcp = &pcp_lists[rnd() % PCP_CPUS][rnd() % NR_ZONES];
	bool held = false;
	int rc;

	if (!sparse_section_has(nr, SECTION_ONLINE))
		return;
	if ((rnd() & 1) && pcp->count) {           /* half the time: a range holding a list page */
		unsigned long pfn = page_to_pfn(list_first_entry(&pcp->list, struct page, lru));

		if (pfn >= usable + 8 && pfn + 8 < section_nr_to_pfn(nr + 1)) {
			start = pfn - rnd() % 8;
			n = 1 + rnd() % 16;
		}
	}
	for (unsigned long p = start; p < start + n; p++)
		held |= is_held(p);
	rc = alloc_contig_range(start, start + n, (enum zone_type)sparse_section(nr)->zone);
	if (rc != (held ? -EBUSY : 0))
		fail("alloc_contig_range [%#lx, %#lx): %d with%s held pages", start, start + n, rc,
		     held ? "" : " no");
	if (!rc) {
		free_contig_range(start, start + n);
		t.contigs++;
	}
}

static void step(void)
{
	unsigned int r = (unsigned int)(rnd() % 100);

	host_smp_switch((unsigned int)(rnd() % PCP_CPUS));
	if (r < 45)
		op_alloc(0);
	else if (r < 55)
		op_alloc(1 + (unsigned int)(rnd() % 3));
	else if (r < 85)
		op_free();
	else if (r < 90)
		pcp_drain((unsigned int)(rnd() % PCP_CPUS), (enum zone_type)(rnd() % NR_ZONES));
	else if (r < 92)
		nr_free_pages();
	else if (r < 95)
		op_toggle(2 + rnd() % 2);
	else
		op_contig(2 + rnd() % 2);
}

/* ---------------------------------------------------------------- scenarios */

static void pcp_random(void)
{
	const char *s = getenv("PAGODA_PCP_STEPS"), *sd = getenv("PAGODA_PCP_SEED");
	unsigned long steps = s ? strtoul(s, NULL, 0) : 20000, bad_step = 0, i;
	char before[2048], after[2048], msg[VM_CHECK_MSG_SIZE - 64];
	unsigned long free0;
	bool ok = true, vm_ok = true;

	t.rng = sd ? strtoull(sd, NULL, 0) : 0x5eed1234abcdULL;
	printf("# seed %#llx, %lu steps, %d CPUs\n", (unsigned long long)t.rng, steps, PCP_CPUS);
	boot();
	t.map = calloc(SZ_1G / SZ_4K / 64, sizeof(u64));
	host_ok(add_memory(2 * M128, 2 * M128) == 0 && online_memory_block(2, MMOP_ONLINE_MOVABLE) == 0 &&
		online_memory_block(3, MMOP_ONLINE_KERNEL) == 0, "blocks 2 (Movable) and 3 (Normal) online");
	host_ok(pcp_active(), "the lists are active with %d CPUs online", PCP_CPUS);
	host_cat("/proc/buddyinfo", before, sizeof(before));
	free0 = nr_free_pages();
	t.other0 = totalram_pages() - free0;
	t.ipis0 = host_ipis_sent;
	for (i = 0; i < steps && ok; i++) {
		step();                 /* offline/online move MemTotal and free pages alike */
		ok = !t.err[0] && check_lists();
		if (ok && i % 1000 == 999 && vm_check_run(msg, sizeof(msg)))
			vm_ok = false, ok = false, snprintf(t.err, sizeof(t.err), "vm_check: %s", msg);
		bad_step = i;
	}
	host_ok(ok, "%lu steps: lists, counts and accounting hold after every step%s%s", i,
		ok ? "" : ": ", t.err);
	if (!ok)
		printf("# first failure at step %lu\n", bad_step);
	host_ok(vm_ok, "vm_check every 1000 steps");
	host_ok(t.offlines > 10 && t.contigs > 10, "%lu offlines and %lu contig ranges succeeded", t.offlines,
		t.contigs);
	host_smp_switch(0);
	while (t.nheld)
		op_free();
	for (unsigned long nr = 2; nr <= 3; nr++)
		if (!sparse_section_has(nr, SECTION_ONLINE))
			online_memory_block(nr, nr == 2 ? MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL);
	host_cat("/proc/buddyinfo", after, sizeof(after));
	host_ok(nr_free_pages() == free0 && nr_free_pcp() == 0 && !strcmp(before, after),
		"everything freed: nr_free_pages %lu (was %lu), buddyinfo %s", nr_free_pages(), free0,
		strcmp(before, after) ? "differs" : "identical");
	host_ok(vm_check_run(msg, sizeof(msg)) == 0, "vm_check at the end: %s", msg[0] ? msg : "ok");
}

/* vm_check catches a list page without PG_pcp, a count off by one, and a
 * stray PG_pcp page; each is put back and vm_check is clean again. */
static void pcp_planted(void)
{
	char msg[VM_CHECK_MSG_SIZE];
	struct per_cpu_pages *pcp;
	struct page *p, *q;

	boot();
	host_smp_switch(1);
	p = alloc_pages(0, ZONE_NORMAL);
	q = alloc_pages(0, ZONE_NORMAL);
	free_pages(p, 0);
	pcp = &pcp_lists[1][ZONE_NORMAL];
	host_ok(pcp->count > 1 && page_test_flag(p, PG_pcp), "cpu 1's list holds the freed page (%lu)", pcp->count);
	page_clear_flag(p, PG_pcp);
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "pcp lists") && strstr(msg, "flags"),
		"list page without PG_pcp: %s", msg);
	page_set_flag(p, PG_pcp);
	pcp->count++;
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "count"), "count off by one: %s", msg);
	pcp->count--;
	page_set_flag(q, PG_pcp);
	host_ok(vm_check_run(msg, sizeof(msg)) && strstr(msg, "PG_pcp pages in the memmap"),
		"a held page with PG_pcp: %s", msg);
	page_clear_flag(q, PG_pcp);
	host_ok(vm_check_run(msg, sizeof(msg)) == 0, "clean again: %s", msg[0] ? msg : "ok");
	free_pages(q, 0);
	host_smp_switch(3);
	pcp_drain(1, ZONE_NORMAL);
	host_ok(pcp->count == 0 && !page_test_flag(p, PG_pcp) && host_ipis_sent == 0,
		"CPU 3 drained CPU 1's list, no IPI");
	/* nr_free_pages() (MemFree, every exact-accounting check) counts the
	 * list pages: it drains them first */
	host_smp_switch(2);
	free_pages(alloc_pages(0, ZONE_NORMAL), 0);
	{
		unsigned long lists = nr_free_pcp(), want = nr_free_pages_locked() + lists;

		host_ok(lists > 0 && nr_free_pages() == want && nr_free_pcp() == 0,
			"nr_free_pages() = free lists + %lu list pages, drained", lists);
	}
}

/* The only free pages are two order-0 buddies on CPU 1's list: an order-1
 * request on CPU 2 finds the zones empty, drains every list (the pair
 * merges) and its second pass gets the block. */
static void pcp_alloc_drains(void)
{
	static unsigned long pfn[HELD_MAX];
	static unsigned int ord[HELD_MAX];
	unsigned long n = 0;
	struct page *p, *pair = NULL;

	boot();
	host_smp_switch(0);
	for (int o = MAX_ORDER; o >= 0; o--)
		while (n < HELD_MAX && (p = alloc_pages((unsigned int)o, ZONE_NORMAL))) {
			pfn[n] = page_to_pfn(p);
			ord[n++] = (unsigned int)o;
		}
	host_ok(n < HELD_MAX && nr_free_pages() == 0 && !alloc_pages(0, ZONE_MOVABLE), "every free page taken");
	for (unsigned long i = 0; i < n; i++)
		if (ord[i] >= 1 && n + (1UL << ord[i]) <= HELD_MAX) {
			unsigned int o = ord[i];

			pair = pfn_to_page(pfn[i]);
			split_page(pair, o);
			pfn[i] = pfn[--n];
			ord[i] = ord[n];
			for (unsigned long k = 2; k < (1UL << o); k++) {     /* the rest stays held */
				pfn[n] = page_to_pfn(pair) + k;
				ord[n++] = 0;
			}
			break;
		}
	host_smp_switch(1);
	free_pages(pair, 0);
	free_pages(pair + 1, 0);
	host_ok(nr_free_pcp() == 2 && nr_free_pages_locked() == 0, "two buddies on CPU 1's list, nothing else free");
	host_smp_switch(2);
	p = alloc_pages(1, ZONE_NORMAL);
	host_ok(p == pair, "order 1 on CPU 2: the lists drained, the merged pair taken (%#lx)",
		p ? page_to_pfn(p) : 0);
	if (p)
		free_pages(p, 1);
	while (n--)
		free_pages(pfn_to_page(pfn[n]), ord[n]);
	{
		char msg[VM_CHECK_MSG_SIZE];

		host_ok(vm_check_run(msg, sizeof(msg)) == 0, "vm_check: %s", msg[0] ? msg : "ok");
	}
}

/* One CPU: the lists stay off, every order-0 page goes straight back. */
static void pcp_one_cpu(void)
{
	struct host_mm_opts o = { .quiet = true, .cmdline = "mem=256M" };
	unsigned long free0, head;
	unsigned int order;
	struct page *p;

	host_mm_boot(SZ_1G, &o);
	free0 = nr_free_pages_locked();
	p = alloc_pages(0, ZONE_NORMAL);
	free_pages(p, 0);
	host_ok(!pcp_active() && nr_free_pcp() == 0 && nr_free_pages_locked() == free0 &&
		buddy_find_block(page_to_pfn(p), &head, &order), "1 CPU: lists off, the page is back on the free list");
}

int main(void)
{
	host_tap_init();
	host_scenario("random interleaved steps", pcp_random);
	host_scenario("planted corruptions", pcp_planted);
	host_scenario("alloc drains the lists", pcp_alloc_drains);
	host_scenario("one CPU", pcp_one_cpu);
	return host_tap_done();
}
