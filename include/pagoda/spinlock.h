/* Spinlocks (kernel/spinlock.c): ticket locks on compiler atomics, with an
 * interrupt-disabling variant and a lock-order checker.
 *
 * Lock order (outer first; acquire only rising ranks):
 *   LOCK_ORDER_HOTPLUG   mem_hotplug_begin/end (held long: never irqsave)
 *   LOCK_ORDER_HUGETLB   hugetlb pools
 *   LOCK_ORDER_VMEMMAP   vmemmap / kernel page-table edits
 *   LOCK_ORDER_ZONE      a zone's free lists (irqsave)
 *   LOCK_ORDER_PCP       a CPU's order-0 list (irqsave)
 *   LOCK_ORDER_SMP       cross-call queues
 *   LOCK_ORDER_PRINTK    console output (innermost)
 * Locks of one rank (a zone's, every CPU's pcp list) nest only in
 * ascending address order: an array of locks is taken first to last.
 * With PAGODA_LOCK_DEBUG (host tests, `make LOCK_DEBUG=1`) every acquire
 * checks the rank against the locks this CPU holds and panics naming both;
 * assert_spin_held() checks ownership.  Without it the checks compile away.
 *
 * Rule: never send a shootdown / wait for a cross call while holding an
 * irqsave lock (the target may spin on it with interrupts off).
 * PAGODA_LOCK_DEBUG checks that too (spin_assert_none_irqsave()). */
#ifndef PAGODA_SPINLOCK_H
#define PAGODA_SPINLOCK_H
#include <pagoda/types.h>

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

void spin_lock(spinlock_t *l);
bool spin_trylock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
/* Interrupts off on this CPU, then lock; restore the saved state on unlock. */
unsigned long spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
bool spin_is_locked(const spinlock_t *l);
/* Debug build: panic unless this CPU holds l / holds no irqsave lock. */
void assert_spin_held(const spinlock_t *l);
void spin_assert_none_irqsave(const char *what);
#endif
