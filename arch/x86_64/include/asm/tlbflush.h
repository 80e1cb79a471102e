/* x86_64 TLB maintenance for kernel mappings (arch/x86_64/tlbflush.c).
 * flush_tlb_kernel_range: INVLPG per page for [start, end), or a full flush
 * (CR4.PGE toggle, which also drops global entries) above
 * TLB_FLUSH_ALL_THRESHOLD pages; then, with more than one CPU online, one
 * shootdown (IPI to every other online CPU, wait for their acks).  On
 * return no CPU holds the old translations.  Counted in /proc/vmstat.
 * Never call with an irqsave lock held (the wait could deadlock). */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H
#include <pagoda/types.h>

#define TLB_FLUSH_ALL_THRESHOLD 33    /* pages; Linux's tlb_single_page_flush_ceiling */

/* An unused kernel VA (Linux's vmalloc base; Pagoda has no vmalloc) where
 * kernel/tlbflush_test.c maps its scratch pages. */
#define TLB_SELFTEST_VA 0xffffc90000000000UL

void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);

/* This CPU's whole TLB, global entries included (CR4.PGE toggle); counts nothing. */
void x86_tlb_local_all(void);

/* Deferred flushes for idle CPUs (arch/x86_64/tlb_defer.c, docs/smp.md).
 * A shootdown skips a CPU halted in arch_cpu_idle(); it flushes on waking. */
extern bool x86_tlb_defer_enabled;          /* x86_tlb_defer=on|off, default on */
/* arch_cpu_idle(), interrupts off, right before sti; hlt: this CPU is IDLE. */
void x86_tlb_idle_enter(void);
/* First thing on every way out of idle (IRQ, NMI/exception entry, after
 * hlt), before anything that may touch a flushed mapping: not idle any
 * more; the full flush it owes if a sender deferred one.  Cheap when busy. */
void x86_tlb_idle_exit(void);
/* Sender: true if cpu is idle and now owes a flush on wake (no IPI needed);
 * false if it must get the IPI (running, or deferral off). */
bool x86_tlb_defer(unsigned int cpu);
/* cpu is halted in arch_cpu_idle() / owes a deferred flush (selftests). */
bool x86_tlb_idle(unsigned int cpu);
bool x86_tlb_flush_pending(unsigned int cpu);
#endif
