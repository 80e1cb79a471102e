/* TLB maintenance for kernel mappings: local invalidation, then a
 * shootdown of every other online CPU (x86 has no broadcast invalidation:
 * each CPU's TLB is its own business, so another CPU must be asked).
 *
 *   CPU 0 (changes PTEs)                 every other online CPU
 *   stores the PTEs
 *   local: INVLPG each page, or a full flush (CR4.PGE toggle)
 *   num_online_cpus() > 1:
 *     spin_assert_none_irqsave()
 *     NR_TLB_REMOTE_FLUSH++  (once)
 *     smp_call_function_cond(tlb_remote_needs_ipi, tlb_remote, {range | all | batch}, wait)
 *       halted in arch_cpu_idle? ------->  idle: no IPI, NR_TLB_REMOTE_FLUSH_DEFERRED++;
 *                                           a full flush first thing on waking
 *                                           (tlb_defer.c, NR_TLB_REMOTE_FLUSH_ON_WAKE)
 *       else queue + IPI  -------------->  tlb_remote() in IRQ context:
 *                                           the same INVLPGs / full flush
 *                                           NR_TLB_REMOTE_FLUSH_RECEIVED++
 *       <------------------ ack ---------   (the call returns)
 *   returns: no CPU translates the old PTEs any more, or can before it has
 *   flushed; only now may the caller free the old frames (HVO).
 *
 *   flush_tlb_kernel_range([start, end)):
 *     pages <= TLB_FLUSH_ALL_THRESHOLD  INVLPG each   NR_TLB_LOCAL_FLUSH_ONE per page
 *     more                              full flush    NR_TLB_LOCAL_FLUSH_ALL
 *   arch_set_ptes_batch(n entries): store all n, then
 *     n <= TLB_FLUSH_ALL_THRESHOLD  INVLPG each entry's va   n x nr_tlb_local_flush_one
 *     more                          full flush               1 x nr_tlb_local_flush_all
 *   Either is one shootdown, whatever the size: the remote side does what
 *   the local side did (for a batch it reads the entries' VAs in place or
 *   through the batch's get(), valid because the sender waits).
 *
 * The local-flush counters count the sender's work only; a receiver counts
 * NR_TLB_REMOTE_FLUSH_RECEIVED, as Linux; per shootdown, received +
 * deferred = the other online CPUs.  Waiting for the acks with an
 * irqsave lock held could deadlock (a target spinning on that lock with
 * interrupts off never takes the IPI): spin_assert_none_irqsave() checks it
 * in the lock-debug build.  Kernel mappings are global (G bit), so a CR3
 * reload would keep them; the full flush toggles CR4.PGE instead. */
#include <pagoda/kernel.h>
#include <pagoda/vmstat.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <asm/vmparam.h>
#include <asm/tlbflush.h>
#include <asm/pgtable.h>
#include <asm/cpu.h>

/* What a receiver must invalidate: a page range, everything, or a batch's VAs. */
struct tlb_shootdown {
	unsigned long start, pages;      /* pages == 0: full flush */
	const struct pte_batch *batch;   /* non-NULL: INVLPG each entry's va */
};

void x86_tlb_local_all(void)
{
	unsigned long cr4 = read_cr4();

	write_cr4(cr4 ^ CR4_PGE);
	write_cr4(cr4);
}

static void tlb_local_range(unsigned long start, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		invlpg(start + i * PAGE_SIZE);
}

static void tlb_local_batch(const struct pte_batch *b)
{
	struct pte_batch_ent tmp;

	for (unsigned long i = 0; i < b->n; i++)
		invlpg(pte_batch_entry(b, i, &tmp)->va);
}

/* Receiver, IRQ context: the sender's invalidation, on this CPU. */
static void tlb_remote(void *info)
{
	const struct tlb_shootdown *sd = info;

	if (sd->batch)
		tlb_local_batch(sd->batch);
	else if (sd->pages)
		tlb_local_range(sd->start, sd->pages);
	else
		x86_tlb_local_all();
	count_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
}

/* Which CPUs get the IPI: not an idle one that now owes a flush on wake. */
static bool tlb_remote_needs_ipi(unsigned int cpu, void *info)
{
	if (!x86_tlb_defer(cpu))
		return true;
	count_vm_event(NR_TLB_REMOTE_FLUSH_DEFERRED);
	return false;
}

/* Sender, after its local flush: every other online CPU either does *sd
 * and acknowledges before this returns, or is idle and flushes everything
 * before it runs anything else (tlb_defer.c).  Nothing with one CPU online. */
static void tlb_shootdown(const struct tlb_shootdown *sd)
{
	if (num_online_cpus() <= 1)
		return;
	spin_assert_none_irqsave("TLB shootdown");
	count_vm_event(NR_TLB_REMOTE_FLUSH);
	smp_call_function_cond(tlb_remote_needs_ipi, tlb_remote, (void *)sd, true);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	if (end <= start)
		return;
	unsigned long pages = (end - start + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (pages > TLB_FLUSH_ALL_THRESHOLD) {
		flush_tlb_all();
		return;
	}
	tlb_local_range(start, pages);
	count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, pages);
	tlb_shootdown(&(struct tlb_shootdown){ .start = start, .pages = pages });
}

void flush_tlb_all(void)
{
	x86_tlb_local_all();
	count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	tlb_shootdown(&(struct tlb_shootdown){ .pages = 0 });
}

/* The entries are read in place when the caller gave an array (no call per
 * entry: pgwalk_remap_batch's HVO batches), else through get(). */
void arch_set_ptes_batch(const struct pte_batch *b)
{
	struct pte_batch_ent tmp;

	for (unsigned long i = 0; i < b->n; i++) {
		const struct pte_batch_ent *e = pte_batch_entry(b, i, &tmp);

		arch_set_pte(e->va, 0, e->ptep, e->val);
	}
	if (b->n > TLB_FLUSH_ALL_THRESHOLD) {
		flush_tlb_all();
		return;
	}
	tlb_local_batch(b);
	count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, b->n);
	tlb_shootdown(&(struct tlb_shootdown){ .batch = b });
}
