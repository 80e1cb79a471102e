/* Spinlocks (kernel/spinlock.c): ticket locks on compiler atomics, with an
 * interrupt-disabling variant and a lock-order checker.
 *
 * Lock order (outer first; acquire only rising ranks):
 *   LOCK_ORDER_HOTPLUG   mem_hotplug_begin/end (held long: never irqsave)
 *   LOCK_ORDER_HUGETLB   hugetlb pools
 *   LOCK_ORDER_VMEMMAP   vmemmap / kernel page-table edits
 *   LOCK_ORDER_ZONE      a zone's free lists (irqsave)
 *   LOCK_ORDER_PCP       a CPU's order-0 list (the owner only trylocks, interrupts on)
 *   LOCK_ORDER_SMP       cross-call queues
 *   LOCK_ORDER_PRINTK    console output (innermost)
 * Locks of one rank (a zone's, every CPU's pcp list) nest only in
 * ascending address order: an array of locks is taken first to last.
 * With PAGODA_LOCK_DEBUG (host tests, `make LOCK_DEBUG=1`) every acquire
 * checks the rank against the locks this CPU holds and panics naming both;
 * assert_spin_held() checks ownership.  Without it the checks compile away
 * and lock, trylock and unlock are inline (one atomic to take a free lock,
 * none with interrupts off while only one CPU exists; a plain store to
 * release it).
 *
 * Rule: never send a shootdown / wait for a cross call while holding an
 * irqsave lock (the target may spin on it with interrupts off).
 * PAGODA_LOCK_DEBUG checks that too (spin_assert_none_irqsave()). */
#ifndef PAGODA_SPINLOCK_H
#define PAGODA_SPINLOCK_H
#include <pagoda/types.h>
#include <asm/smp.h>                     /* the host inlines arch_irq_save/restore there */

enum lock_order {
	LOCK_ORDER_NONE = 0,        /* not ranked (leaf locks used alone) */
	LOCK_ORDER_HOTPLUG = 10,
	LOCK_ORDER_HUGETLB = 20,
	LOCK_ORDER_VMEMMAP = 30,
	LOCK_ORDER_ZONE = 40,
	LOCK_ORDER_PCP = 50,
	LOCK_ORDER_SMP = 60,
	LOCK_ORDER_PRINTK = 70,
};

typedef struct spinlock {
	u32 next;                   /* ticket dispenser */
	u32 owner;                  /* ticket being served */
	u16 order;                  /* enum lock_order */
	s16 holder;                 /* CPU id holding it, -1 free (debug) */
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(nm, ord) { .next = 0, .owner = 0, .order = (ord), .holder = -1, .name = (nm) }
void spin_lock_init(spinlock_t *l, const char *name, enum lock_order order);

/* ---- fast paths, inline; the wait loop and the PAGODA_LOCK_DEBUG checks
 * are in kernel/spinlock.c.  Not for direct use: the API is below. */
extern unsigned int nr_cpu_ids;          /* pagoda/smp.h */
unsigned long arch_irq_save(void);       /* pagoda/irq.h */
void arch_irq_restore(unsigned long flags);
/* Spin until ticket t of l is served (out of line: contention only). */
void spin_lock_wait(spinlock_t *l, u32 t);

/* Draw a ticket.  irqs_off and one CPU in the system: nothing else can
 * touch l between the load and the store (another CPU is registered
 * before it is started, interrupts are off here), so the ticket needs no
 * locked read-modify-write, as Linux's SMP alternatives drop the lock
 * prefix on a one-CPU boot.  Otherwise an atomic increment. */
static inline u32 spin_take_ticket(spinlock_t *l, bool irqs_off)
{
	if (irqs_off && __atomic_load_n(&nr_cpu_ids, __ATOMIC_RELAXED) == 1) {
		u32 t = __atomic_load_n(&l->next, __ATOMIC_RELAXED);

		__atomic_store_n(&l->next, t + 1, __ATOMIC_RELAXED);
		return t;
	}
	return __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
}

/* Take a ticket and wait for it to be served; the acquire load pairs with
 * the release store of the previous holder's unlock. */
static inline void spin_acquire(spinlock_t *l, bool irqs_off)
{
	u32 t = spin_take_ticket(l, irqs_off);

	if (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != t)
		spin_lock_wait(l, t);
}

/* Succeeds only if nobody holds or waits for l: next == owner, take it. */
static inline bool spin_try_acquire(spinlock_t *l)
{
	u32 o = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u32 expect = o;

	return __atomic_compare_exchange_n(&l->next, &expect, o + 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void spin_release(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

/* ---- the API.  A trylock cannot deadlock, so its rank is not checked
 * (as in Linux); a plain spin_lock always takes an atomic ticket. */
#ifdef PAGODA_LOCK_DEBUG
void spin_lock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
/* Interrupts off on this CPU, then lock; restore the saved state on unlock. */
unsigned long spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
/* Debug build: panic unless this CPU holds l / holds no irqsave lock. */
void assert_spin_held(const spinlock_t *l);
void spin_assert_none_irqsave(const char *what);
#else
static inline void spin_lock(spinlock_t *l) { spin_acquire(l, false); }
static inline bool spin_trylock(spinlock_t *l) { return spin_try_acquire(l); }
static inline void spin_unlock(spinlock_t *l) { spin_release(l); }
/* Interrupts off before waiting: a handler on this CPU that takes l while
 * we hold it would spin forever. */
static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();

	spin_acquire(l, true);
	return flags;
}
static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_release(l);
	arch_irq_restore(flags);
}
static inline void assert_spin_held(const spinlock_t *l) { }
static inline void spin_assert_none_irqsave(const char *what) { }
#endif
bool spin_is_locked(const spinlock_t *l);
#endif
