/* kwork: work queued from IRQ context, run later in thread context.
 *
 *   IRQ handler: kwork_queue(w)           shell input loop: kwork_run()
 *        w->queued = true                      while (tail != head)
 *        ring[head % N] = w; head++  ---->         w = ring[tail % N]; tail++
 *                                                  w->queued = false; w->fn(w)
 *
 * One producer side (interrupt handlers, which do not nest on the one CPU
 * that takes them) and one consumer (the shell): a single-producer
 * single-consumer ring needs no lock, no atomics and no interrupt masking,
 * only that each index is written by one side and read with READ_ONCE.
 * A work sits in the ring at most once (queued), so the ring overflows only
 * if more than KWORK_RING distinct works exist: that panics, naming both. */
#include <pagoda/irq.h>
#include <pagoda/panic.h>
#include <asm/io.h>

#define KWORK_RING 32
#define KWORK_READ(x)  (*(volatile __typeof__(x) *)&(x))

static struct kwork *kwork_ring[KWORK_RING];
static unsigned long kwork_head;   /* written by kwork_queue only */
static unsigned long kwork_tail;   /* written by kwork_run only */

void kwork_queue(struct kwork *w)
{
	unsigned long head = kwork_head;

	if (KWORK_READ(w->queued))
		return;
	if (head - KWORK_READ(kwork_tail) >= KWORK_RING)
		panic("ring full: %d works queued, %p is one more", KWORK_RING, (void *)w);
	w->queued = true;
	kwork_ring[head % KWORK_RING] = w;
	mb();
	KWORK_READ(kwork_head) = head + 1;
}

void kwork_run(void)
{
	while (KWORK_READ(kwork_tail) != KWORK_READ(kwork_head)) {
		struct kwork *w;

		mb();
		w = kwork_ring[kwork_tail % KWORK_RING];
		KWORK_READ(w->queued) = false;
		mb();
		KWORK_READ(kwork_tail) = kwork_tail + 1;
		w->fn(w);
	}
}
