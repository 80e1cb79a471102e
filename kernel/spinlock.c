/* Spinlocks: ticket locks on compiler atomics, and the lock-order checker.
 *
 *   spin_lock:   t = next++ (atomic)        next  owner
 *                wait until owner == t      [ 5 ][ 3 ]  CPU holding 3 runs,
 *   spin_unlock: owner++ (release)                      4 and then 5 wait
 *
 * Tickets make the lock fair (FIFO): a CPU that spins is served in the order
 * it arrived, so a CPU hammering one lock cannot starve the others.  The
 * acquire load of owner pairs with the release store in unlock, so what the
 * previous holder wrote is visible to the next one.
 *
 * PAGODA_LOCK_DEBUG: each CPU keeps a stack of the locks it holds
 * (lockdep_cpu[cpu]).  Taking a ranked lock while holding one of a higher
 * rank panics, naming both; locks of one rank nest only in ascending
 * address order (lock arrays are taken first to last, like Linux's
 * nested annotations: no two CPUs can then wait for each other):
 *
 *   held: [HUGETLB "hugetlb"] [ZONE "zone Normal"]   take PCP  -> fine
 *   held: [ZONE "zone Normal"] [PCP "pcp 1"]         take ZONE -> panic
 *   held: [PCP &pcp[0][0]]                  take PCP &pcp[0][1] -> fine
 *   held: [PCP &pcp[1][0]]                  take PCP &pcp[0][1] -> panic
 *
 * Taking a lock this CPU already holds panics (self-deadlock), releasing
 * one it does not hold panics, and spin_assert_none_irqsave() panics when an
 * irqsave lock is held where a waiting cross call is about to be made.
 * Release order is free (not necessarily LIFO).  Without the define the
 * checks compile away, a lock is two u32s and lock/unlock are the inline
 * fast paths of the header (an uncontended pair: one atomic, one store;
 * with interrupts off and one CPU in the system, no atomic at all). */
#include <pagoda/spinlock.h>
#include <pagoda/smp.h>
#include <pagoda/irq.h>
#include <pagoda/panic.h>
#include <asm/io.h>

void spin_lock_init(spinlock_t *l, const char *name, enum lock_order order)
{
	*l = (spinlock_t)SPINLOCK_INIT(name, order);
}

#ifdef PAGODA_LOCK_DEBUG
#define LOCKDEP_DEPTH 48            /* pcp_lock_all holds NR_CPUS * NR_ZONES */

struct lockdep_held {
	const spinlock_t *lock;
	bool irqsave;
};
/* Locks this CPU holds, in acquisition order; only this CPU touches it. */
static struct lockdep_cpu {
	struct lockdep_held held[LOCKDEP_DEPTH];
	unsigned int depth;
} lockdep_cpu[NR_CPUS];

static struct lockdep_cpu *lockdep_this(void)
{
	unsigned int cpu = smp_processor_id();

	if (cpu >= NR_CPUS)
		panic("CPU id %u >= NR_CPUS %d", cpu, NR_CPUS);
	return &lockdep_cpu[cpu];
}

/* Before waiting for l: panic on recursion or on a rank inversion against
 * any lock held: a lower rank, or the same rank at a higher address
 * (unranked locks are checked only for recursion). */
static void lockdep_check(const spinlock_t *l)
{
	struct lockdep_cpu *c = lockdep_this();

	for (unsigned int i = 0; i < c->depth; i++) {
		const spinlock_t *h = c->held[i].lock;

		if (h == l)
			panic("CPU %u takes \"%s\" which it already holds", smp_processor_id(), l->name);
		if (l->order == LOCK_ORDER_NONE || h->order == LOCK_ORDER_NONE)
			continue;
		if (h->order > l->order || (h->order == l->order && h > l))
			panic("lock order: CPU %u takes \"%s\" (rank %u, %p) while holding \"%s\" (rank %u, %p)",
			      smp_processor_id(), l->name, l->order, (const void *)l, h->name, h->order,
			      (const void *)h);
	}
}

/* After acquiring l: push it and record the owner. */
static void lockdep_acquired(spinlock_t *l, bool irqsave)
{
	struct lockdep_cpu *c = lockdep_this();

	if (c->depth == LOCKDEP_DEPTH)
		panic("CPU %u holds %d locks, taking \"%s\"", smp_processor_id(), LOCKDEP_DEPTH, l->name);
	c->held[c->depth++] = (struct lockdep_held){ l, irqsave };
	l->holder = (s16)smp_processor_id();
}

/* Before releasing l: it must be ours; remove it from the stack. */
static void lockdep_release(spinlock_t *l)
{
	struct lockdep_cpu *c = lockdep_this();
	unsigned int i = c->depth;

	while (i > 0 && c->held[i - 1].lock != l)
		i--;
	if (i == 0 || l->holder != (s16)smp_processor_id())
		panic("CPU %u releases \"%s\" held by %d", smp_processor_id(), l->name, l->holder);
	for (; i < c->depth; i++)
		c->held[i - 1] = c->held[i];
	c->depth--;
	l->holder = -1;
}

void assert_spin_held(const spinlock_t *l)
{
	if (l->holder != (s16)smp_processor_id())
		panic("CPU %u does not hold \"%s\" (holder %d)", smp_processor_id(), l->name, l->holder);
}

void spin_assert_none_irqsave(const char *what)
{
	struct lockdep_cpu *c = lockdep_this();

	for (unsigned int i = 0; i < c->depth; i++)
		if (c->held[i].irqsave)
			panic("%s on CPU %u while holding irqsave lock \"%s\"", what,
			      smp_processor_id(), c->held[i].lock->name);
}

/* The API with the checks around the inline fast paths of the header. */
void spin_lock(spinlock_t *l)
{
	lockdep_check(l);
	spin_acquire(l, false);
	lockdep_acquired(l, false);
}

bool spin_trylock(spinlock_t *l)
{
	if (!spin_try_acquire(l))
		return false;
	lockdep_acquired(l, false);
	return true;
}

void spin_unlock(spinlock_t *l)
{
	lockdep_release(l);
	spin_release(l);
}

unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();

	lockdep_check(l);
	spin_acquire(l, true);
	lockdep_acquired(l, true);
	return flags;
}

void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	arch_irq_restore(flags);
}
#endif

/* The contended half of spin_acquire(): wait until ticket t is served. */
void spin_lock_wait(spinlock_t *l, u32 t)
{
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != t)
		cpu_relax();
}

bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}
