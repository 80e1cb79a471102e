/* Interrupts and deferred work.
 *
 *   device --IRQ--> arch vector --> handler(arg)      (IRQ context: minimum)
 *                                      |
 *                                  kwork_queue(w)
 *                                      v
 *   shell waiting for input --> kwork_run() --> w->fn(w)   (thread context:
 *                                                printk_line_async, mm calls)
 *
 * The arch (arch/<a>/) implements arch_irq_*: x86_64 through the IO-APIC and
 * the local APIC, arm64 through the GIC.  kernel/kwork.c implements kwork_*. */
#ifndef PAGODA_IRQ_H
#define PAGODA_IRQ_H
#include <pagoda/types.h>
#include <pagoda/list.h>

typedef void (*irq_handler_t)(void *arg);

/* Route GSI gsi to handler fn(arg) (level or edge, polarity), unmask it.
 * 0, or -EINVAL (no such GSI / no controller), -EBUSY (already routed). */
int arch_irq_request(u32 gsi, bool level, bool active_low, irq_handler_t fn, void *arg);
/* Interrupts on / off, on this CPU. */
void arch_irq_enable(void);
void arch_irq_disable(void);
/* Save this CPU's interrupt state and disable interrupts; restore it.
 * (x86_64: pushf/cli, popf; arm64: DAIF; host: a simulated flag.) */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);

/* Deferred work.  fn runs later in thread context, once per kwork_queue()
 * that found the work not queued.  node is not used by kwork itself (the
 * pending queue is a ring, so IRQ context never edits a list); it is free
 * for the work's owner.  Initialise with { .fn = f } (queued false). */
struct kwork {
	struct list_head node;
	void (*fn)(struct kwork *);
	bool queued;
};
/* Queue w unless it is queued already.  Callable from IRQ context. */
void kwork_queue(struct kwork *w);
/* Run every queued work (and work queued meanwhile).  The shell calls it
 * while it waits for input; output of the works is whole lines
 * (printk_line_async), the prompt and partial input are reprinted after. */
void kwork_run(void);
#endif
