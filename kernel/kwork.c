/* kwork: work queued from IRQ context or any CPU, run later in thread
 * context on the shell's CPU.
 *
 *   any CPU, any context: kwork_queue(w)    shell input loop: kwork_run()
 *     lock                                     lock
 *     if !w->queued:                           w = ring[tail % N]; tail++
 *       w->queued = true                       w->queued = false
 *       ring[head % N] = w; head++  ---->      unlock; w->fn(w)
 *     unlock
 *
 * Several CPUs (and interrupt handlers on each) may queue, so the ring is
 * under kwork_lock, irqsave (a handler on this CPU may queue while thread
 * context holds it), a leaf: nothing else is taken under it.  w->fn runs
 * without the lock, so it may queue works, itself included.
 * A work sits in the ring at most once (queued), so the ring overflows only
 * if more than KWORK_RING distinct works exist: that panics, naming both. */
#include <pagoda/irq.h>
#include <pagoda/panic.h>
#include <pagoda/spinlock.h>

#define KWORK_RING 32

static spinlock_t kwork_lock = SPINLOCK_INIT("kwork", LOCK_ORDER_NONE);
static struct kwork *kwork_ring[KWORK_RING];
static unsigned long kwork_head, kwork_tail;   /* [tail, head) queued, under kwork_lock */

void kwork_queue(struct kwork *w)
{
	unsigned long flags = spin_lock_irqsave(&kwork_lock);

	if (!w->queued) {
		if (kwork_head - kwork_tail >= KWORK_RING)
			panic("ring full: %d works queued, %p is one more", KWORK_RING, (void *)w);
		w->queued = true;
		kwork_ring[kwork_head++ % KWORK_RING] = w;
	}
	spin_unlock_irqrestore(&kwork_lock, flags);
}

/* Pop the oldest queued work (marked not queued), or NULL. */
static struct kwork *kwork_pop(void)
{
	unsigned long flags = spin_lock_irqsave(&kwork_lock);
	struct kwork *w = NULL;

	if (kwork_tail != kwork_head) {
		w = kwork_ring[kwork_tail++ % KWORK_RING];
		w->queued = false;
	}
	spin_unlock_irqrestore(&kwork_lock, flags);
	return w;
}

void kwork_run(void)
{
	struct kwork *w;

	while ((w = kwork_pop()))
		w->fn(w);
}
