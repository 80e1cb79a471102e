/* Deferred kernel TLB flushes for idle CPUs: a shootdown sends no IPI to a
 * CPU halted in arch_cpu_idle(); that CPU flushes its whole TLB when it
 * wakes, before it touches any mapping a flush may have changed (what
 * Linux is moving to: Valentin Schneider's series deferring kernel TLB
 * flush IPIs to CPUs that are not in the kernel).
 *
 * One word per CPU, own cache line:  0 | IDLE | IDLE|PENDING
 *
 *   idle CPU c (interrupts off)         sender (stored the new PTEs, flushed
 *   arch_cpu_idle():                            its own TLB)
 *     state = IDLE            (xchg)
 *     sti; hlt  .......               for each other online CPU c:
 *        .                              cmpxchg(state[c], IDLE -> IDLE|PENDING)
 *        .                                ok:   no IPI   nr_tlb_remote_flush_deferred++
 *        .                                else: IPI + wait (c runs kernel code)
 *        .                            returns: the old frames may be freed
 *   interrupt / NMI / exception:
 *     x86_tlb_idle_exit() first:
 *       xchg(state, 0) & PENDING ?
 *         full flush (CR4.PGE toggle)     nr_tlb_remote_flush_on_wake++
 *     then the handler (may read the vmemmap, run a cross call ...)
 *   after hlt: x86_tlb_idle_exit() again (an SMI can end hlt with no handler)
 *
 * Why no CPU can use a stale entry (the full argument and the timeline are
 * in docs/smp.md):
 *   - only c sets its word non-zero, and only from arch_cpu_idle() with
 *     interrupts off, right before sti; hlt; every way out of hlt (IRQ entry
 *     x86_irq, NMI/exception entry x86_exception, the return from hlt)
 *     clears it first.  So the word is non-zero only while c runs nothing
 *     but that prefix: the entry stubs, its stack, IDT/GDT/TSS, per-CPU
 *     block, kernel text and the LAPIC, which no kernel flush ever changes
 *     (flushes cover the vmemmap, hot-plugged direct map and page tables,
 *     test scratch VAs: docs/smp.md lists them).
 *   - the sender's cmpxchg and c's xchg are atomic RMWs on one word: either
 *     the cmpxchg comes first (PENDING set, c's xchg sees it and flushes,
 *     after the sender's PTE stores: seq_cst RMWs order them), or c's xchg
 *     comes first (the cmpxchg fails: IPI as before, which c takes as soon
 *     as it runs with interrupts on).
 *   - a PENDING already set is kept (cmpxchg IDLE|PENDING -> the same), so
 *     several deferred flushes are one flush on wake.
 *
 * x86_tlb_defer_enabled (boot `x86_tlb_defer=off`, or
 * /sys/kernel/debug/x86_tlb/defer_idle at run time) switches deferral off:
 * idle CPUs then stay 0 and get IPIs; a CPU still PENDING flushes on wake. */
#include <pagoda/kernel.h>
#include <pagoda/smp.h>
#include <pagoda/vmstat.h>
#include <pagoda/cmdline.h>
#include <pagoda/pseudofs.h>
#include <pagoda/seq.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <asm/tlbflush.h>

#define TLB_IDLE    1u
#define TLB_PENDING 2u

static struct {
	u32 state;
} __aligned(64) tlb_defer_cpu[NR_CPUS];

bool x86_tlb_defer_enabled = true;

void x86_tlb_idle_enter(void)
{
	if (__atomic_load_n(&x86_tlb_defer_enabled, __ATOMIC_RELAXED))
		__atomic_exchange_n(&tlb_defer_cpu[smp_processor_id()].state, TLB_IDLE,
				    __ATOMIC_SEQ_CST);
}

/* The word is non-zero only if this CPU set it (IDLE) and has not cleared it
 * since: a plain load seeing 0 is final, so a busy CPU pays no locked op. */
void x86_tlb_idle_exit(void)
{
	u32 *w = &tlb_defer_cpu[smp_processor_id()].state;

	if (!__atomic_load_n(w, __ATOMIC_RELAXED))
		return;
	if (__atomic_exchange_n(w, 0, __ATOMIC_SEQ_CST) & TLB_PENDING) {
		x86_tlb_local_all();
		count_vm_event(NR_TLB_REMOTE_FLUSH_ON_WAKE);
	}
}

bool x86_tlb_defer(unsigned int cpu)
{
	u32 *w = &tlb_defer_cpu[cpu].state, old = TLB_IDLE;

	if (!__atomic_load_n(&x86_tlb_defer_enabled, __ATOMIC_RELAXED))
		return false;
	for (;;) {
		if (__atomic_compare_exchange_n(w, &old, TLB_IDLE | TLB_PENDING, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return true;
		if (!(old & TLB_IDLE))
			return false;       /* running kernel code: it needs the IPI */
	}
}

bool x86_tlb_idle(unsigned int cpu)
{
	return __atomic_load_n(&tlb_defer_cpu[cpu].state, __ATOMIC_ACQUIRE) & TLB_IDLE;
}

bool x86_tlb_flush_pending(unsigned int cpu)
{
	return __atomic_load_n(&tlb_defer_cpu[cpu].state, __ATOMIC_ACQUIRE) & TLB_PENDING;
}

static int tlb_defer_parse(const char *val)
{
	if (!val)
		return -EINVAL;
	if (!strcmp(val, "on"))
		x86_tlb_defer_enabled = true;
	else if (!strcmp(val, "off"))
		x86_tlb_defer_enabled = false;
	else
		return -EINVAL;
	return 0;
}

static int tlb_defer_param(const char *val)
{
	if (!tlb_defer_parse(val))
		return 0;
	printk("x86_tlb_defer=%s: not on or off, ignored\n", val ? val : "");
	return -EINVAL;
}
KERNEL_PARAM("x86_tlb_defer", tlb_defer_param);

static int tlb_defer_show(struct seq *s, void *priv)
{
	return seq_printf(s, "%s\n", x86_tlb_defer_enabled ? "on" : "off") ? -ENOMEM : 0;
}

static int tlb_defer_store(const char *val, void *priv)
{
	if (tlb_defer_parse(val))
		return shell_error("x86_tlb/defer_idle: '%s' is not on or off", val);
	return 0;
}
PSEUDO_FILE("/sys/kernel/debug/x86_tlb/defer_idle", tlb_defer_show, tlb_defer_store);
