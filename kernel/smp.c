/* SMP, the generic half: CPU registration, the online mask, per-CPU call
 * queues and the IPI that drains them, cross calls, thread-context work on
 * a secondary, the secondaries' idle loop and its time accounting.
 *
 *   caller (CPU a)                          target (CPU b)
 *   smp_call_function_single(b, fn, info, wait)
 *     lock b's queue (irqsave), push
 *     {fn, info, &pending}, unlock
 *     arch_send_ipi(b)  ---------------->   smp_ipi_handler()  (IRQ context)
 *     wait: while (pending)                   smp_run_calls(): pop, fn(info),
 *             smp_run_calls() (our own          pending-- (release)
 *             queue: if b calls us at
 *             the same time, we serve it,
 *             so neither waits forever)
 *
 *   smp_run_on(b, w): b->work = w, IPI  -->  idle loop: w->fn(w) with
 *   smp_work_wait(w): until w->done            interrupts on, done = true
 *
 * Secondary idle loop: run the work slot if full, else with interrupts off
 * check again and arch_cpu_idle() (which enables interrupts atomically with
 * the wait), so an IPI sent between the check and the wait wakes it.
 * Time inside arch_cpu_idle() is idle for /proc/stat; so is the shell's
 * wait for input on CPU 0 (smp_idle_enter/exit). */
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/irq.h>
#include <pagoda/arch.h>
#include <pagoda/kernel.h>
#include <asm/io.h>

#define SMP_CALL_RING 16            /* queued calls per target */

struct smp_call_entry {
	smp_call_func_t fn;
	void *info;
	u32 *pending;               /* decremented after fn ran; NULL: nobody waits */
};

/* cpus[n].smp: this file's per-CPU state, one cache line apart. */
struct smp_cpu_state {
	spinlock_t lock;            /* the call ring */
	struct smp_call_entry ring[SMP_CALL_RING];
	unsigned int head, tail;    /* [tail, head) queued, under lock */
	struct cpu_work *work;      /* smp_run_on slot (atomic) */
	bool in_idle_loop;
	u64 online_at;              /* arch_cycles() when it came online */
	u64 idle_cycles;            /* written by this CPU only */
	u64 idle_since;             /* 0 when not idle */
	u64 ipis;                   /* IPIs handled */
} __aligned(64);

static struct smp_cpu_state smp_state[NR_CPUS] = {
	[0] = { .lock = SPINLOCK_INIT("smp calls", LOCK_ORDER_SMP) },
};
/* Until the arch registers CPUs, the boot CPU is the one online CPU. */
struct cpu_info cpus[NR_CPUS] = {
	[0] = { .id = 0, .online = true, .smp = &smp_state[0] },
};
unsigned int nr_cpu_ids = 1;
static bool smp_boot_cpu_registered;

static struct smp_cpu_state *smp_this(void) { return &smp_state[smp_processor_id()]; }

unsigned int num_online_cpus(void)
{
	unsigned int n = 0;

	for_each_online_cpu(c)
		n++;
	return n;
}

/* The first call names the boot CPU (id 0); a hwid seen before returns
 * its id again, so the arch may list the boot CPU twice. */
int smp_register_cpu(u64 hwid)
{
	unsigned int id = nr_cpu_ids;

	if (!smp_boot_cpu_registered) {
		cpus[0].hwid = hwid;
		smp_state[0].online_at = arch_cycles();
		smp_boot_cpu_registered = true;
		return 0;
	}
	for (unsigned int i = 0; i < nr_cpu_ids; i++)
		if (cpus[i].hwid == hwid)
			return (int)i;
	if (id >= NR_CPUS) {
		printk("smp: CPU hwid %#llx ignored: NR_CPUS is %d\n", (unsigned long long)hwid, NR_CPUS);
		return -ENOSPC;
	}
	cpus[id] = (struct cpu_info){ .id = id, .hwid = hwid, .smp = &smp_state[id] };
	spin_lock_init(&smp_state[id].lock, "smp calls", LOCK_ORDER_SMP);
	__atomic_store_n(&nr_cpu_ids, id + 1, __ATOMIC_RELEASE);
	return (int)id;
}

/* Pop and run every call queued for this CPU, interrupts off (IRQ-context
 * semantics also when a waiter calls it).  Returns how many ran. */
static unsigned int smp_run_calls(void)
{
	struct smp_cpu_state *st = smp_this();
	unsigned long irq = arch_irq_save();
	unsigned int ran = 0;

	for (;;) {
		unsigned long flags = spin_lock_irqsave(&st->lock);
		struct smp_call_entry e;

		if (st->tail == st->head) {
			spin_unlock_irqrestore(&st->lock, flags);
			break;
		}
		e = st->ring[st->tail++ % SMP_CALL_RING];
		spin_unlock_irqrestore(&st->lock, flags);
		e.fn(e.info);
		if (e.pending)
			__atomic_fetch_sub(e.pending, 1, __ATOMIC_RELEASE);
		ran++;
	}
	arch_irq_restore(irq);
	return ran;
}

void smp_ipi_handler(void)
{
	smp_this()->ipis++;
	smp_run_calls();
}

/* Queue {fn, info, pending} on cpu and send the IPI; while its ring is
 * full, serve our own queue (cpu may be waiting on us). */
static void smp_queue_call(unsigned int cpu, smp_call_func_t fn, void *info, u32 *pending)
{
	struct smp_cpu_state *st = &smp_state[cpu];

	for (;;) {
		unsigned long flags = spin_lock_irqsave(&st->lock);

		if (st->head - st->tail < SMP_CALL_RING) {
			st->ring[st->head++ % SMP_CALL_RING] = (struct smp_call_entry){ fn, info, pending };
			spin_unlock_irqrestore(&st->lock, flags);
			break;
		}
		spin_unlock_irqrestore(&st->lock, flags);
		smp_run_calls();
		cpu_relax();
	}
	arch_send_ipi(cpu);
}

/* Spin until *pending is 0, serving this CPU's own calls meanwhile. */
static void smp_wait_pending(u32 *pending)
{
	while (__atomic_load_n(pending, __ATOMIC_ACQUIRE)) {
		smp_run_calls();
		cpu_relax();
	}
}

/* fn(info) here, interrupts off, as a target would run it. */
static void smp_call_local(smp_call_func_t fn, void *info)
{
	unsigned long flags = arch_irq_save();

	fn(info);
	arch_irq_restore(flags);
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait)
{
	u32 pending = 1;

	if (cpu == smp_processor_id()) {
		smp_call_local(fn, info);
		return 0;
	}
	if (!cpu_online(cpu))
		return -EINVAL;
	if (wait)
		spin_assert_none_irqsave("smp_call_function_single");
	smp_queue_call(cpu, fn, info, wait ? &pending : NULL);
	if (wait)
		smp_wait_pending(&pending);
	return 0;
}

/* Queue fn on every other online CPU for which cond (if any) is true (and
 * run it here too if self), then wait for all of them if asked. */
static void smp_call_many(smp_call_cond_t cond, smp_call_func_t fn, void *info, bool wait,
			  bool self)
{
	unsigned int me = smp_processor_id();
	u32 pending = 0;

	if (wait)
		spin_assert_none_irqsave("smp_call_function");
	for_each_online_cpu(c) {
		if (c == me || (cond && !cond(c, info)))
			continue;
		__atomic_fetch_add(&pending, 1, __ATOMIC_RELAXED);
		smp_queue_call(c, fn, info, wait ? &pending : NULL);
	}
	if (self)
		smp_call_local(fn, info);
	if (wait)
		smp_wait_pending(&pending);
}

void smp_call_function(smp_call_func_t fn, void *info, bool wait)
{
	smp_call_many(NULL, fn, info, wait, false);
}

void smp_call_function_cond(smp_call_cond_t cond, smp_call_func_t fn, void *info, bool wait)
{
	smp_call_many(cond, fn, info, wait, false);
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	smp_call_many(NULL, fn, info, wait, true);
}

/* ---- thread-context work on a secondary */

int smp_run_on(unsigned int cpu, struct cpu_work *w)
{
	struct cpu_work *none = NULL;
	struct smp_cpu_state *st;

	if (!cpu_online(cpu) || cpu == smp_processor_id())
		return -EINVAL;
	st = &smp_state[cpu];
	if (!__atomic_load_n(&st->in_idle_loop, __ATOMIC_ACQUIRE))
		return -EINVAL;
	w->done = false;
	if (!__atomic_compare_exchange_n(&st->work, &none, w, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return -EBUSY;
	arch_send_ipi(cpu);
	return 0;
}

void smp_work_wait(struct cpu_work *w)
{
	while (!__atomic_load_n(&w->done, __ATOMIC_ACQUIRE)) {
		smp_run_calls();
		cpu_relax();
	}
}

/* Run the work slot's work if there is one; the slot is free again
 * before done is set, so the waiter may queue the next one at once. */
static bool smp_run_work(struct smp_cpu_state *st)
{
	struct cpu_work *w = __atomic_load_n(&st->work, __ATOMIC_ACQUIRE);

	if (!w)
		return false;
	w->fn(w);
	__atomic_store_n(&st->work, NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return true;
}

/* ---- idle loop and time accounting */

void smp_idle_enter(void)
{
	__atomic_store_n(&smp_this()->idle_since, arch_cycles(), __ATOMIC_RELAXED);
}

void smp_idle_exit(void)
{
	struct smp_cpu_state *st = smp_this();
	u64 since = st->idle_since;

	if (!since)
		return;
	__atomic_store_n(&st->idle_cycles, st->idle_cycles + (arch_cycles() - since), __ATOMIC_RELAXED);
	__atomic_store_n(&st->idle_since, 0, __ATOMIC_RELAXED);
}

/* Cycles cpu has been online and, of those, idle (an idle period in
 * progress counts up to now).  Read from any CPU. */
void smp_cpu_times(unsigned int cpu, u64 *online, u64 *idle)
{
	const struct smp_cpu_state *st = &smp_state[cpu];
	u64 now = arch_cycles();
	u64 since = __atomic_load_n(&st->idle_since, __ATOMIC_RELAXED);
	u64 at = st->online_at;

	*idle = __atomic_load_n(&st->idle_cycles, __ATOMIC_RELAXED);
	if (since && now > since)
		*idle += now - since;
	*online = cpu_online(cpu) && now > at ? now - at : 0;
	if (*idle > *online)
		*idle = *online;
}

bool smp_cpu_busy(unsigned int cpu)
{
	return __atomic_load_n(&smp_state[cpu].work, __ATOMIC_RELAXED) != NULL;
}

u64 smp_cpu_ipis(unsigned int cpu)
{
	return __atomic_load_n(&smp_state[cpu].ipis, __ATOMIC_RELAXED);
}

static __noreturn void smp_idle_loop(struct smp_cpu_state *st)
{
	__atomic_store_n(&st->in_idle_loop, true, __ATOMIC_RELEASE);
	for (;;) {
		if (smp_run_work(st))
			continue;
		arch_irq_disable();
		if (!__atomic_load_n(&st->work, __ATOMIC_ACQUIRE)) {
			smp_idle_enter();
			arch_cpu_idle();
			smp_idle_exit();
		}
		arch_irq_enable();
	}
}

__noreturn void smp_secondary_main(unsigned int cpu)
{
	struct smp_cpu_state *st = &smp_state[cpu];

	if (smp_processor_id() != cpu || cpu == 0 || cpu >= nr_cpu_ids)
		panic("CPU %u entered as %u (nr_cpu_ids %u)", smp_processor_id(), cpu, nr_cpu_ids);
	st->online_at = arch_cycles();
	__atomic_store_n(&cpus[cpu].online, true, __ATOMIC_RELEASE);
	arch_irq_enable();
	smp_idle_loop(st);
}
