/* BENCH(hugetlb): pool grow and shrink with HVO off and on, same boot.
 *
 *   bench hugetlb
 *   hugetlb: grow 256 x 2048 kB, HVO off: 1400 us
 *   hugetlb: grow 256 x 2048 kB, HVO on: 1100 us
 *   hugetlb: shrink 256 x 2048 kB, HVO off: 900 us
 *   hugetlb: shrink 256 x 2048 kB, HVO on: 1200 us
 *   hugetlb: grow 256 x 2048 kB, HVO on/off: 0.78x
 *   hugetlb: shrink 256 x 2048 kB, HVO on/off: 1.33x
 *   hugetlb: TLB flush events per grow of 256 x 2048 kB, HVO on: 4 flushes
 *   hugetlb: vmemmap pages per 2048 kB page, HVO on: 1.00 kept of 8, plus 1 shared tail page(s)
 *
 * then the same for one 1 GiB page when a free aligned GiB exists (or a
 * free 1 GiB page is in the pool: hugepagesz=1G hugepages=1 at boot).  Each
 * time is the fastest of HUGETLB_BENCH_REPS grow+shrink rounds per mode,
 * off and on interleaved, on top of whatever the pool holds (QEMU shares
 * the host: a slow round is interference, the fastest is the code), each
 * timed step starting from a cold TLB; the
 * pool and hugetlb_optimize_vmemmap are left as they were.  Poisoning (page_poison=on) adds a 2 MiB fill and check
 * per page to both modes and hides the difference: it is reported. */
#include <pagoda/kernel.h>
#include <pagoda/selftest.h>
#include <pagoda/time.h>
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/page_poison.h"
#include "mm/vmstat.h"
#include <asm/tlbflush.h>

#define HUGETLB_BENCH_REPS 9

struct hugetlb_bench_result {
	u64 grow_ns, shrink_ns;       /* fastest round */
	u64 flushes;                  /* TLB flush events of the last grow */
	unsigned long got;            /* fewest pages a grow managed */
	long memmap_freed;            /* memmap pages the last grow freed (net) */
	unsigned long tail_pages;     /* shared tail pages during the last grow */
};

static long hugetlb_bench_memmap(void)
{
	return node_stat(NR_MEMMAP_PAGES) + node_stat(NR_MEMMAP_BOOT_PAGES);
}

static u64 hugetlb_bench_flush_events(void)
{
	return vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) + vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) +
	       vm_event_read(NR_TLB_LOCAL_FLUSH_RANGE);
}

/* Resize h to count, timed from a cold TLB: an untimed flush_tlb_all()
 * first, so no step pays the TLB refill another step left behind (HVO's
 * remap flushes; under TCG the first touch of every vmemmap row after it is
 * a miss, and without this the next step, whatever its mode, paid them).
 * The flush events, memmap pages freed and shared tail pages gained go into
 * r when grow is set. */
static u64 hugetlb_bench_resize(struct hstate *h, unsigned long count, bool grow,
				struct hugetlb_bench_result *r)
{
	u64 f0, t0, t;
	long m0 = hugetlb_bench_memmap();
	unsigned long s0 = hugetlb_vmemmap_nr_tail_frames();

	flush_tlb_all();
	f0 = hugetlb_bench_flush_events();
	t0 = ktime_ns();

	hugetlb_set_pool(h, count);
	t = ktime_ns() - t0;
	if (grow) {
		r->flushes = hugetlb_bench_flush_events() - f0;
		r->memmap_freed = m0 - hugetlb_bench_memmap();
		r->tail_pages = hugetlb_vmemmap_nr_tail_frames() - s0;
	}
	return t;
}

/* One round with HVO set to hvo: grow h by n pages and shrink back.  When
 * the n pages are in the pool already (a boot-time 1 GiB page) they are
 * freed first, untimed, and grown again at the end, so both timed steps
 * see pages made with this round's HVO setting.  Times fold into r as
 * minima (the machine is shared: slow rounds are noise). */
static void hugetlb_bench_round(struct hstate *h, unsigned long n, int hvo, bool down,
				struct hugetlb_bench_result *r)
{
	unsigned long base = hstate_persistent(h) - (down ? n : 0);
	u64 grow, shrink;

	hugetlb_optimize_vmemmap = hvo;
	if (down)
		hugetlb_set_pool(h, base);
	grow = hugetlb_bench_resize(h, base + n, true, r);
	r->got = MIN(r->got, h->nr_huge_pages - base);
	shrink = hugetlb_bench_resize(h, base, false, r);
	if (down)
		hugetlb_set_pool(h, base + n);
	r->grow_ns = MIN(r->grow_ns, grow);
	r->shrink_ns = MIN(r->shrink_ns, shrink);
}

/* "<what>, HVO on/off: 0.78x" from two times. */
static void hugetlb_bench_ratio(const char *what, unsigned long n, unsigned long kb, u64 on, u64 off)
{
	u64 centi = off ? (on * 100 + off / 2) / off : 0;

	printk("hugetlb: %s %lu x %lu kB, HVO on/off: %llu.%02llux\n", what, n, kb,
	       (unsigned long long)(centi / 100), (unsigned long long)(centi % 100));
}

/* Vmemmap pages each huge page keeps with HVO on: its own (pages - freed
 * - new shared tail pages) / n, and the shared pages on top. */
static void hugetlb_bench_kept(unsigned long n, unsigned long kb, const struct hugetlb_bench_result *on)
{
	unsigned long nv = kb / 4 * sizeof(struct page) / PAGE_SIZE;
	long own = (long)(nv * n) - (on->memmap_freed + (long)on->tail_pages);

	printk("hugetlb: vmemmap pages per %lu kB page, HVO on: %ld.%02ld kept of %lu, "
	       "plus %lu shared tail page(s)\n", kb, own / (long)n, own * 100 / (long)n % 100, nv,
	       on->tail_pages);
}

/* Compare HVO off and on for n pages of size kb. */
static void hugetlb_bench_size(unsigned long kb, unsigned long n)
{
	struct hstate *h = hstate_by_kb(kb);
	struct hugetlb_bench_result off, on;
	char what[96];
	bool down;

	if (!h)
		return;
	down = h->free_huge_pages >= n;
	off = on = (struct hugetlb_bench_result){ .grow_ns = ~0ULL, .shrink_ns = ~0ULL, .got = n };
	for (int i = 0; i < HUGETLB_BENCH_REPS; i++) {        /* interleaved: drift hits both */
		hugetlb_bench_round(h, n, 0, down, &off);
		hugetlb_bench_round(h, n, 1, down, &on);
	}
	if (off.got < n || on.got < n) {
		printk("hugetlb: %lu x %lu kB: only %lu free, not measured\n", n, kb, MIN(off.got, on.got));
		return;
	}
	ksnprintf(what, sizeof(what), "grow %lu x %lu kB, HVO off", n, kb);
	bench_report(what, off.grow_ns / 1000, "us");
	ksnprintf(what, sizeof(what), "grow %lu x %lu kB, HVO on", n, kb);
	bench_report(what, on.grow_ns / 1000, "us");
	ksnprintf(what, sizeof(what), "shrink %lu x %lu kB, HVO off", n, kb);
	bench_report(what, off.shrink_ns / 1000, "us");
	ksnprintf(what, sizeof(what), "shrink %lu x %lu kB, HVO on", n, kb);
	bench_report(what, on.shrink_ns / 1000, "us");
	hugetlb_bench_ratio("grow", n, kb, on.grow_ns, off.grow_ns);
	hugetlb_bench_ratio("shrink", n, kb, on.shrink_ns, off.shrink_ns);
	ksnprintf(what, sizeof(what), "TLB flush events per grow of %lu x %lu kB, HVO on", n, kb);
	bench_report(what, on.flushes, "flushes");
	hugetlb_bench_kept(n, kb, &on);
}

BENCH(hugetlb)
{
	int hvo = hugetlb_optimize_vmemmap;

	if (page_poison_enabled)
		printk("hugetlb: page_poison=on: every grow and shrink also fills and checks 2 MiB "
		       "per page, which hides the HVO difference\n");
	hugetlb_bench_size(2048, 256);
	hugetlb_bench_size(1048576, 1);
	hugetlb_optimize_vmemmap = hvo;
}
