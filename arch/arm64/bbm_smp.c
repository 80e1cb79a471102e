/* The vmemmap break-before-make window with more than one CPU
 * (asm/pgtable.h arm64_bbm_smp, docs/hvo-bbm.md): two ways to keep a
 * struct-page access on another CPU from crashing inside the window,
 * chosen at run time.
 *
 *   mode wait (default)                    mode pause
 *   CPU 0 (owner)      CPU n (reader)      CPU 0 (owner)      CPU n
 *   begin: take the window lock            begin: lock, IPI all --> spin, IRQs off
 *   open (seq odd), DMB ISH                  wait until all arrived <-- arrived++
 *   break, TLBI..IS    load: walk finds    open, break, TLBI..IS     (reads
 *   DSB ISH            invalid -> fault    make, close (seq even)     nothing)
 *                      handler: window?    end: release ---------> return
 *                      yes, not mine:
 *                      spin until seq changes
 *   make, DSB ISHST    (bounded)
 *   close (seq even)   retry the load: new entry
 *   end: unlock
 *
 * wait costs nothing unless a reader hits the window, then that reader
 * waits for at most the rest of one batch; pause costs an IPI round trip
 * to every CPU per batch whether or not anyone reads, and stops them all
 * for the batch.  The figures: `bench arm64_bbm_smp`, /sys/kernel/debug/
 * arm64_bbm/stats.  TLB maintenance is the broadcast TLBI ...IS either way
 * (asm/tlbflush.h): no mode sends an IPI for the invalidation itself.
 *
 * A reader's wait runs in the abort handler with IRQs masked and never
 * needs the owner to do anything but finish its batch, which takes no
 * locks and waits for no CPU; the bound (BBM_WAIT_MAX_MS) is only a
 * safety net and panics naming the window.  The pause waits too. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/smp.h>
#include <pagoda/seq.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <pagoda/cmdline.h>
#include <pagoda/pseudofs.h>
#include <asm/io.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include "arm64.h"

#define BBM_WAIT_MAX_MS   10000      /* a reader's wait, the window lock, a pause */

enum bbm_mode { BBM_MODE_WAIT, BBM_MODE_PAUSE };
static const char *const bbm_mode_name[] = { "wait", "pause" };
static enum bbm_mode bbm_mode;

static struct arm64_bbm_stats bbm_stats[NR_CPUS];
static u32 bbm_lock_owner = ~0U;            /* CPU holding the window, ~0: none */
static u64 bbm_begin_at;
static unsigned long bbm_pause_gen, bbm_release_gen;
static u32 bbm_paused;
static bool bbm_paused_now;

static u64 bbm_ms_cycles(u64 ms)
{
	return arch_cycles_per_sec() * ms / 1000;
}

static void bbm_account(u64 *sum, u64 *max, u64 dt)
{
	*sum += dt;
	if (dt > *max)
		*max = dt;
}

static unsigned int bbm_cpu(void)
{
	return smp_processor_id();
}

/* Pause mode, on each other CPU (IPI, IRQs off): arrive, then spin until
 * the owner releases this pause generation. */
static void bbm_pause_fn(void *info)
{
	unsigned long gen = (unsigned long)info;

	__atomic_fetch_add(&bbm_paused, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&bbm_release_gen, __ATOMIC_ACQUIRE) < gen)
		cpu_relax();
}

/* Stop every other online CPU in bbm_pause_fn; bounded. */
static void bbm_pause_others(void)
{
	unsigned int want = num_online_cpus() - 1;
	u64 t0 = arch_cycles(), limit = t0 + bbm_ms_cycles(BBM_WAIT_MAX_MS);
	struct arm64_bbm_stats *st = &bbm_stats[bbm_cpu()];

	__atomic_store_n(&bbm_paused, 0, __ATOMIC_RELAXED);
	smp_call_function(bbm_pause_fn, (void *)++bbm_pause_gen, false);
	while (__atomic_load_n(&bbm_paused, __ATOMIC_ACQUIRE) < want) {
		if (arch_cycles() > limit)
			panic("bbm_pause_others: %u of %u CPUs paused after %d ms (gen %lu)",
			      __atomic_load_n(&bbm_paused, __ATOMIC_RELAXED), want,
			      BBM_WAIT_MAX_MS, bbm_pause_gen);
		cpu_relax();
	}
	st->pauses++;
	bbm_account(&st->pause_cycles, &st->pause_max, arch_cycles() - t0);
	bbm_paused_now = true;
}

/* Take the window (one batch at a time system-wide); pause the others in
 * pause mode. */
static void bbm_begin(void)
{
	u32 me = bbm_cpu(), none = ~0U;
	u64 limit = arch_cycles() + bbm_ms_cycles(BBM_WAIT_MAX_MS);

	while (!__atomic_compare_exchange_n(&bbm_lock_owner, &none, me, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		if (arch_cycles() > limit)
			panic("bbm_begin: CPU %u waited %d ms for the window held by CPU %u",
			      me, BBM_WAIT_MAX_MS, none);
		none = ~0U;
		cpu_relax();
	}
	bbm_begin_at = arch_cycles();
	if (bbm_mode == BBM_MODE_PAUSE && num_online_cpus() > 1)
		bbm_pause_others();
}

static void bbm_end(void)
{
	struct arm64_bbm_stats *st = &bbm_stats[bbm_cpu()];

	if (bbm_paused_now) {
		bbm_paused_now = false;
		__atomic_store_n(&bbm_release_gen, bbm_pause_gen, __ATOMIC_RELEASE);
	}
	st->windows++;
	bbm_account(&st->window_cycles, &st->window_max, arch_cycles() - bbm_begin_at);
	__atomic_store_n(&bbm_lock_owner, ~0U, __ATOMIC_RELEASE);
}

/* A fault at far inside the window w (as of seq) that another CPU owns:
 * spin until the owner closes it, then retry.  IRQs are masked (abort). */
static bool bbm_wait(const struct arm64_bbm_window *w, unsigned long seq, unsigned long far)
{
	u64 t0 = arch_cycles(), limit = t0 + bbm_ms_cycles(BBM_WAIT_MAX_MS);
	struct arm64_bbm_stats *st = &bbm_stats[bbm_cpu()];

	__atomic_store_n(&st->waits, st->waits + 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&w->seq, __ATOMIC_ACQUIRE) == seq) {
		if (arch_cycles() > limit)
			panic("bbm_wait: CPU %u waited %d ms at far %016lx: window seq %lu owner CPU %u [%016lx, %016lx) state %d",
			      bbm_cpu(), BBM_WAIT_MAX_MS, far, seq, w->owner, w->lo, w->hi,
			      (int)w->state);
		cpu_relax();
	}
	bbm_account(&st->wait_cycles, &st->wait_max, arch_cycles() - t0);
	return true;
}

/* AT S1E1R: does va translate for a read right now (PAR_EL1.F clear)? */
static bool bbm_translates(unsigned long va)
{
	unsigned long par;

	asm volatile("at s1e1r, %1\n\tisb\n\tmrs %0, par_el1" : "=r"(par) : "r"(va) : "memory");
	if (par & 1)
		return false;
	bbm_stats[bbm_cpu()].late++;
	return true;
}

static const struct arm64_bbm_smp_ops bbm_smp_ops = {
	.cpu = bbm_cpu,
	.begin = bbm_begin,
	.end = bbm_end,
	.wait = bbm_wait,
	.translates = bbm_translates,
};

/* Called before the secondaries start (smp.c): with one CPU the window
 * stays the single-CPU one. */
void arm64_bbm_smp_init(void)
{
	if (nr_cpu_ids > 1)
		arm64_bbm_smp = &bbm_smp_ops;
}

/* The sum of every CPU's stats. */
void arm64_bbm_stats_sum(struct arm64_bbm_stats *t)
{
	*t = (struct arm64_bbm_stats){ 0 };
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		const struct arm64_bbm_stats *st = &bbm_stats[c];

		t->windows += st->windows;
		t->window_cycles += st->window_cycles;
		t->window_max = MAX(t->window_max, st->window_max);
		t->waits += st->waits;
		t->wait_cycles += st->wait_cycles;
		t->wait_max = MAX(t->wait_max, st->wait_max);
		t->late += st->late;
		t->pauses += st->pauses;
		t->pause_cycles += st->pause_cycles;
		t->pause_max = MAX(t->pause_max, st->pause_max);
	}
}

void arm64_bbm_stats_reset(void)
{
	memset(bbm_stats, 0, sizeof(bbm_stats));
}

bool arm64_bbm_pause_mode(void)
{
	return bbm_mode == BBM_MODE_PAUSE;
}

int arm64_bbm_set_mode(const char *name)
{
	for (int m = 0; m < (int)ARRAY_SIZE(bbm_mode_name); m++) {
		if (!strcmp(name, bbm_mode_name[m])) {
			bbm_mode = m;
			return 0;
		}
	}
	return -EINVAL;
}

static int bbm_mode_show(struct seq *s, void *priv)
{
	return seq_printf(s, "%s\n", bbm_mode_name[bbm_mode]) ? -ENOMEM : 0;
}

static int bbm_mode_store(const char *val, void *priv)
{
	if (arm64_bbm_set_mode(val))
		return shell_error("arm64_bbm/mode: '%s' is not wait or pause", val);
	return 0;
}
PSEUDO_FILE("/sys/kernel/debug/arm64_bbm/mode", bbm_mode_show, bbm_mode_store);

/* Figures in nanoseconds from the cycle counter. */
static u64 bbm_ns(u64 cycles)
{
	return cycles * 1000000000ULL / arch_cycles_per_sec();
}

static int bbm_stats_show(struct seq *s, void *priv)
{
	struct arm64_bbm_stats t;

	arm64_bbm_stats_sum(&t);
	seq_printf(s, "mode %s\nwindows %lu\nwindow_ns_total %lu\nwindow_ns_max %lu\n",
		   bbm_mode_name[bbm_mode], (unsigned long)t.windows,
		   (unsigned long)bbm_ns(t.window_cycles), (unsigned long)bbm_ns(t.window_max));
	seq_printf(s, "remote_waits %lu\nwait_ns_total %lu\nwait_ns_max %lu\nlate_faults %lu\n",
		   (unsigned long)t.waits, (unsigned long)bbm_ns(t.wait_cycles),
		   (unsigned long)bbm_ns(t.wait_max), (unsigned long)t.late);
	return seq_printf(s, "pauses %lu\npause_ns_total %lu\npause_ns_max %lu\n",
			  (unsigned long)t.pauses, (unsigned long)bbm_ns(t.pause_cycles),
			  (unsigned long)bbm_ns(t.pause_max)) ? -ENOMEM : 0;
}
PSEUDO_FILE("/sys/kernel/debug/arm64_bbm/stats", bbm_stats_show, NULL);

static int bbm_mode_param(const char *val)
{
	if (val && !arm64_bbm_set_mode(val))
		return 0;
	printk("arm64_bbm=%s: not wait or pause, ignored\n", val ? val : "");
	return -EINVAL;
}
KERNEL_PARAM("arm64_bbm", bbm_mode_param);
