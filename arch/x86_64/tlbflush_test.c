/* x86_64 TLB shootdown, watched from another CPU (selftests), and what a
 * kernel flush costs with the CPUs online (bench tlb).
 *
 *   CPU 0 (selftest)                         reader CPU r (smp_run_on)
 *   map SHOOT_VA + [0, n) -> frame A
 *                                            read every page: A    (TLB filled)
 *   PTEs := frame B, INVLPG on CPU 0 only
 *   (CPU 0 reads B)                          read every page: A    stale: r was
 *                                                                  never told
 *   the operation under test:
 *     flush_tlb_kernel_range | pgwalk_remap_batch (8 or 64 entries) |
 *     flush_tlb_all          (each: local flush + one shootdown)
 *                                            read every page: B    fresh
 *
 * QEMU's TCG keeps a software TLB per vCPU and never invalidates another
 * vCPU's on a PTE store, as hardware, so the middle read is stale unless
 * something sent r an invalidation: the selftest shows the stale read and
 * that the shootdown ends it.  The middle read needs only one stale page:
 * TCG's TLB starts at 64 entries (plus an 8-entry victim cache), so of 64
 * scratch pages some are evicted by the reader's own code, stack and data
 * and re-walked (reading B) before anything is flushed.  Each operation must be exactly one
 * shootdown: nr_tlb_remote_flush + 1 and nr_tlb_remote_flush_received +
 * (online CPUs - 1), and the sender's local counters as on one CPU.  With
 * one CPU online there is nobody to shoot down: the tests say so and
 * check nothing.  Scratch tables and frames are this file's bss. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/irq.h>
#include <pagoda/selftest.h>
#include <pagoda/smp.h>
#include <pagoda/time.h>
#include <pagoda/vmstat.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include "mm/pgwalk.h"

/* 4 MiB above kernel/tlbflush_test.c's scratch pages: a PTE table of its own. */
#define SHOOT_VA        (TLB_SELFTEST_VA + 4 * SZ_1M)
#define SHOOT_WORD_A    0xa5a5a5a5a5a5a5a5ULL
#define SHOOT_WORD_B    0x5b5b5b5b5b5b5b5bULL
#define SHOOT_MAX_PAGES 64
#define SHOOT_WAIT_MS   5000             /* a phase that takes longer failed */

static u64 shoot_frame[2][PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static u8 shoot_tables[PT_LEVELS - 1][PAGE_SIZE] __aligned(PAGE_SIZE);
static int shoot_tables_used;

/* The reader's side of the protocol: phase 2k: CPU 0's turn; 2k+1: read k done. */
static struct {
	unsigned long n;
	bool idle;                   /* the reader halts between reads (else spins) */
	volatile int phase;
	volatile bool abort;
	unsigned long a[3], b[3];    /* pages that read frame A's / B's word, read k */
	unsigned long irq_b;         /* idle: B's read by the waking IPI's handler */
} shoot;

static phys_addr_t shoot_table_alloc(void)
{
	if (shoot_tables_used == PT_LEVELS - 1)
		return 0;
	return arch_kimage_pa(shoot_tables[shoot_tables_used++]);
}

static unsigned long shoot_va(unsigned long k) { return SHOOT_VA + k * PAGE_SIZE; }
static phys_addr_t shoot_pa(int f) { return arch_kimage_pa(shoot_frame[f]); }
static u64 shoot_read(unsigned long k) { return *(volatile u64 *)shoot_va(k); }
static u64 shoot_ev(enum vm_event_item i) { return vm_event_read(i); }

/* Wait until shoot.phase >= phase (or abort); false after SHOOT_WAIT_MS. */
static bool shoot_wait(int phase)
{
	u64 t0 = arch_cycles(), limit = arch_cycles_per_sec() / 1000 * SHOOT_WAIT_MS;

	while (shoot.phase < phase && !shoot.abort)
		if (arch_cycles() - t0 > limit)
			return false;
		else
			cpu_relax();
	return !shoot.abort;
}

/* The reader's wait for phase: spinning (busy: a shootdown must send it
 * the IPI), or halted in arch_cpu_idle() (idle: the shootdown defers),
 * woken by CPU 0's cross call after each phase change. */
static bool shoot_reader_wait(int phase)
{
	u64 t0 = arch_cycles(), limit = arch_cycles_per_sec() / 1000 * SHOOT_WAIT_MS;

	if (!shoot.idle)
		return shoot_wait(phase);
	for (;;) {
		arch_irq_disable();
		if (shoot.phase >= phase || shoot.abort || arch_cycles() - t0 > limit) {
			arch_irq_enable();
			return shoot.phase >= phase && !shoot.abort;
		}
		arch_cpu_idle();                /* enables interrupts with the wait */
	}
}

static void shoot_nop(void *info) { (void)info; }

/* The cross call that wakes an idle reader for its last read: the pages
 * read in IRQ context, so the deferred flush must come before handlers. */
static void shoot_irq_read(void *info)
{
	for (unsigned long i = 0; i < shoot.n; i++)
		shoot.irq_b += shoot_read(i) == SHOOT_WORD_B;
}

/* CPU 0: move the phase on; an idle reader is woken by the cross call fn. */
static void shoot_set_phase(unsigned int cpu, int phase, smp_call_func_t fn)
{
	shoot.phase = phase;
	if (shoot.idle)
		smp_call_function_single(cpu, fn, NULL, false);
}

/* CPU 0: wait until the reader is halted in arch_cpu_idle() (its state word
 * IDLE), so the next shootdown finds it idle.  False after SHOOT_WAIT_MS. */
static bool shoot_wait_halted(unsigned int cpu)
{
	u64 t0 = arch_cycles(), limit = arch_cycles_per_sec() / 1000 * SHOOT_WAIT_MS;

	while (!x86_tlb_idle(cpu))
		if (arch_cycles() - t0 > limit)
			return false;
		else
			cpu_relax();
	return true;
}

/* Reader (thread context on CPU r, interrupts on): three reads of pages
 * [0, n), each after CPU 0 moved the phase on. */
static void shoot_reader(struct cpu_work *w)
{
	for (int k = 0; k < 3; k++) {
		if (!shoot_reader_wait(2 * k))
			break;
		for (unsigned long i = 0; i < shoot.n; i++) {
			u64 v = shoot_read(i);

			shoot.a[k] += v == SHOOT_WORD_A;
			shoot.b[k] += v == SHOOT_WORD_B;
		}
		shoot.phase = 2 * k + 1;
	}
	w->result = 0;
}

/* Map pages [0, n) to frame A (tables stay for the next test).  False if
 * a mapping failed. */
static bool shoot_map(unsigned long n)
{
	shoot_frame[0][0] = SHOOT_WORD_A;
	shoot_frame[1][0] = SHOOT_WORD_B;
	for (unsigned long k = 0; k < n; k++)
		if (pgwalk_map_page(shoot_va(k), shoot_pa(0), PROT_KERNEL_RW, shoot_table_alloc))
			return false;
	return true;
}

static void shoot_unmap(unsigned long n)
{
	phys_addr_t old;

	for (unsigned long k = 0; k < n; k++)
		pgwalk_unmap_page(shoot_va(k), &old);
}

/* Point pages [0, n) at frame B and invalidate on this CPU only. */
static void shoot_retarget_local(unsigned long n)
{
	for (unsigned long k = 0; k < n; k++) {
		*(volatile pte_t *)pgwalk_pte(shoot_va(k)) =
			pte_mk_leaf(shoot_pa(1), 0, PROT_KERNEL_RW);
		invlpg(shoot_va(k));
	}
}

enum shoot_op { SHOOT_RANGE, SHOOT_BATCH, SHOOT_ALL };
static const char *const shoot_op_name[] = {
	[SHOOT_RANGE] = "flush_tlb_kernel_range", [SHOOT_BATCH] = "pgwalk_remap_batch",
	[SHOOT_ALL] = "flush_tlb_all",
};

/* The operation under test on pages [0, n): each is one local flush and
 * one shootdown.  The batch rewrites the PTEs (already B) through
 * arch_set_ptes_batch, as HVO does. */
static void shoot_do(enum shoot_op op, unsigned long n)
{
	static struct pgwalk_remap r[SHOOT_MAX_PAGES];

	if (op == SHOOT_RANGE) {
		flush_tlb_kernel_range(shoot_va(0), shoot_va(n));
	} else if (op == SHOOT_BATCH) {
		for (unsigned long k = 0; k < n; k++)
			r[k] = (struct pgwalk_remap){ .va = shoot_va(k), .pa = shoot_pa(1),
						      .prot = PROT_KERNEL_RW };
		pgwalk_remap_batch(r, n);
	} else {
		flush_tlb_all();
	}
}

/* Counters an operation moves, as deltas: all CPUs', and the reader's
 * (r_) IPI-driven and on-wake flushes. */
struct shoot_counts { u64 remote, received, deferred, one, all, r_received, r_wake; };

static u64 shoot_ev_cpu(unsigned int cpu, enum vm_event_item i)
{
	return __atomic_load_n(&vm_event_cpu[cpu].ev[i], __ATOMIC_RELAXED);
}

static struct shoot_counts shoot_counts_now(unsigned int cpu)
{
	return (struct shoot_counts){
		shoot_ev(NR_TLB_REMOTE_FLUSH), shoot_ev(NR_TLB_REMOTE_FLUSH_RECEIVED),
		shoot_ev(NR_TLB_REMOTE_FLUSH_DEFERRED),
		shoot_ev(NR_TLB_LOCAL_FLUSH_ONE), shoot_ev(NR_TLB_LOCAL_FLUSH_ALL),
		shoot_ev_cpu(cpu, NR_TLB_REMOTE_FLUSH_RECEIVED),
		shoot_ev_cpu(cpu, NR_TLB_REMOTE_FLUSH_ON_WAKE) };
}

static struct shoot_counts shoot_counts_delta(struct shoot_counts a, struct shoot_counts b)
{
	return (struct shoot_counts){ b.remote - a.remote, b.received - a.received,
				      b.deferred - a.deferred, b.one - a.one, b.all - a.all,
				      b.r_received - a.r_received, b.r_wake - a.r_wake };
}

/* The protocol of the header with a reader on cpu (spinning, or halted
 * between reads if idle): map, read A, retarget with a local flush only,
 * read, op, read; *d = the counter deltas from op to the last read;
 * *pending = the reader owed a deferred flush right after op.  False if
 * the mapping failed or the reader did not keep up. */
static bool shoot_run(unsigned int cpu, enum shoot_op op, unsigned long n, bool idle,
		      struct shoot_counts *d, bool *pending)
{
	struct cpu_work w = { .fn = shoot_reader };
	struct shoot_counts c0;
	bool ok;

	shoot.n = n;
	shoot.idle = idle;
	shoot.phase = 0;
	shoot.abort = false;
	for (int k = 0; k < 3; k++)
		shoot.a[k] = shoot.b[k] = 0;
	shoot.irq_b = 0;
	if (!shoot_map(n))
		return false;
	if (smp_run_on(cpu, &w)) {
		shoot_unmap(n);
		return false;
	}
	ok = shoot_wait(1);
	if (ok) {
		shoot_retarget_local(n);
		shoot_set_phase(cpu, 2, shoot_nop);
		ok = shoot_wait(3);
	}
	if (ok && idle)
		ok = shoot_wait_halted(cpu);
	if (ok) {
		c0 = shoot_counts_now(cpu);
		shoot_do(op, n);
		*pending = x86_tlb_flush_pending(cpu);
		shoot_set_phase(cpu, 4, shoot_irq_read);
		ok = shoot_wait(5);
		*d = shoot_counts_delta(c0, shoot_counts_now(cpu));
	}
	shoot.abort = !ok;
	if (!ok && idle)
		smp_call_function_single(cpu, shoot_nop, NULL, false);
	smp_work_wait(&w);
	shoot_unmap(n);
	return ok;
}

static unsigned int shoot_reader_cpu(void)
{
	for_each_online_cpu(c)
		if (c != smp_processor_id())
			return c;
	return smp_processor_id();
}

/* One test: op on n pages, a stale read before it (at least one page),
 * every page fresh after it, exactly one shootdown (each other CPU either
 * flushed by IPI or deferred); the sender's local counters move by
 * one/all.  A spinning reader must have taken the IPI; an idle one (with
 * deferral on) none, and must have flushed on waking instead. */
static void shoot_test(bool *__st_failed, enum shoot_op op, unsigned long n, u64 one, u64 all,
		       bool idle)
{
	unsigned int cpu = shoot_reader_cpu();
	struct shoot_counts d = { 0 };
	bool pending = false, defer = idle && x86_tlb_defer_enabled;

	if (cpu == smp_processor_id()) {
		printk("# %s: one CPU online, no other TLB to shoot down: nothing checked\n",
		       shoot_op_name[op]);
		return;
	}
	EXPECT(shoot_run(cpu, op, n, idle, &d, &pending));
	printk("# %s, %lu pages, %s reader: CPU %u read A on %lu, still A on %lu without a "
	       "shootdown, B on %lu after it%s; remote flushes +%lu; CPU %u: %lu by IPI, "
	       "%lu on wake; other CPUs: %lu by IPI or deferred\n", shoot_op_name[op], n,
	       idle ? "idle" : "busy", cpu, shoot.a[0], shoot.a[1], shoot.b[2],
	       !idle ? "" : shoot.irq_b == n ? " (and in the waking IPI)" : " (not in the waking IPI)",
	       (unsigned long)d.remote, cpu, (unsigned long)d.r_received,
	       (unsigned long)d.r_wake,
	       (unsigned long)(d.received + d.deferred - (d.r_received + pending)));
	EXPECT(shoot.a[0] == n);
	EXPECT(shoot.a[1] >= 1 && shoot.a[1] + shoot.b[1] == n);        /* stale */
	EXPECT(shoot.b[2] == n);                                         /* shot down */
	EXPECT(!idle || shoot.irq_b == n);              /* flushed before the handler */
	EXPECT(d.remote == 1);
	EXPECT(d.received + d.deferred == num_online_cpus() - 1);
	EXPECT(d.r_received == !defer && pending == defer && d.r_wake == defer);
	EXPECT(d.one == one && d.all == all);
}

/* A 3-page range (INVLPG each, on every CPU). */
SELFTEST(x86_shootdown_range)
{
	shoot_test(__st_failed, SHOOT_RANGE, 3, 3, 0, false);
}

/* An HVO-sized batch of 8 entries (INVLPG each, remote side through the
 * batch's get()). */
SELFTEST(x86_shootdown_batch)
{
	shoot_test(__st_failed, SHOOT_BATCH, 8, 8, 0, false);
}

/* A batch of 64 > TLB_FLUSH_ALL_THRESHOLD: one full flush everywhere. */
SELFTEST(x86_shootdown_batch_all)
{
	shoot_test(__st_failed, SHOOT_BATCH, SHOOT_MAX_PAGES, 0, 1, false);
}

SELFTEST(x86_shootdown_all)
{
	shoot_test(__st_failed, SHOOT_ALL, 2, 0, 1, false);
}

/* The reader halted between its reads: the HVO-sized batch finds it idle,
 * sends it no IPI (its flush is deferred), and the reader, woken by a
 * cross call, flushes before it reads: B on every page. */
SELFTEST(x86_shootdown_idle)
{
	shoot_test(__st_failed, SHOOT_BATCH, 8, 8, 0, true);
}

#define TLB_BENCH_ROUNDS 7
#define TLB_BENCH_ITERS  200

/* Fastest of TLB_BENCH_ROUNDS rounds: cycles per op(n) on the mapped pages. */
static u64 tlb_bench_one(enum shoot_op op, unsigned long n)
{
	u64 best = ~0ULL;

	for (int r = 0; r < TLB_BENCH_ROUNDS; r++) {
		u64 t0 = arch_cycles();
		for (int i = 0; i < TLB_BENCH_ITERS; i++)
			shoot_do(op, n);
		best = MIN(best, (arch_cycles() - t0) / TLB_BENCH_ITERS);
	}
	return best;
}

static void tlb_bench_nop(void *info) { (void)info; }

/* Fastest of TLB_BENCH_ROUNDS rounds: cycles per empty waiting cross call
 * to every other CPU, the floor under a shootdown. */
static u64 tlb_bench_ipi(void)
{
	u64 best = ~0ULL;

	for (int r = 0; r < TLB_BENCH_ROUNDS; r++) {
		u64 t0 = arch_cycles();
		for (int i = 0; i < TLB_BENCH_ITERS; i++)
			smp_call_function(tlb_bench_nop, NULL, true);
		best = MIN(best, (arch_cycles() - t0) / TLB_BENCH_ITERS);
	}
	return best;
}

/* bench tlb: cycles (TSC) and ns per kernel flush with the CPUs online:
 * a 1-page range, an 8-entry batch (one 2 MiB HVO page), a full flush;
 * and an empty cross call to the same CPUs (what the IPI round trip costs
 * without any invalidation). */
BENCH(tlb)
{
	static const struct { enum shoot_op op; unsigned long n; const char *what; } b[] = {
		{ SHOOT_RANGE, 1, "flush_tlb_kernel_range 1 page" },
		{ SHOOT_BATCH, 8, "arch_set_ptes_batch 8 entries" },
		{ SHOOT_ALL, 1, "flush_tlb_all" },
	};
	char what[96];

	if (!shoot_map(8)) {
		printk("tlb: cannot map the scratch pages\n");
		return;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(b); i++) {
		u64 c = tlb_bench_one(b[i].op, b[i].n);

		ksnprintf(what, sizeof(what), "%s, %u CPUs online", b[i].what, num_online_cpus());
		bench_report(what, c, "cycles");
		bench_report(what, cycles_to_ns(c), "ns");
	}
	shoot_unmap(8);
	if (num_online_cpus() > 1) {
		u64 c = tlb_bench_ipi();

		ksnprintf(what, sizeof(what), "empty cross call, %u CPUs online", num_online_cpus());
		bench_report(what, c, "cycles");
		bench_report(what, cycles_to_ns(c), "ns");
	}
}
