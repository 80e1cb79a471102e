/* arch_set_pte / arch_set_ptes_batch: page-table stores with
 * break-before-make, the vmemmap BBM window, and arch_pgd.
 *
 * The architecture forbids replacing a live (valid) translation with one of
 * a different output address, or a block with a table or back, while a TLB
 * may hold the old one.  So such a change goes through an invalid entry:
 *
 *     *ptep = 0            break
 *     DSB ISHST            the invalid entry is visible to table walks
 *     TLBI VAALE1IS va     drop the old leaf (VAAE1IS when it was a table,
 *                          which may sit in walk caches)
 *     DSB ISH; ISB         the invalidation is complete
 *     *ptep = new          make
 *     DSB ISHST; ISB       the new entry is visible before we use it
 *
 * A first-time store (invalid -> valid) and a change of permissions only
 * need the final DSB/ISB.  A batch (arch_set_ptes_batch) breaks every entry
 * first and pays the barriers and TLBIs once for all of them:
 *
 *     break e0..en-1 | DSB ISHST | TLBI RVAALE1IS [lo, hi) | DSB ISH; ISB
 *                                 (without FEAT_TLBIRANGE: TLBI x n or VMALLE1IS)
 *     |<------------------- window open: arm64_bbm_window ----------------
 *     ---------------->| make e0..en-1 | DSB ISHST; ISB | window closed
 *
 * A struct-page read that faults inside a vmemmap window is retried after
 * the window closes (arm64_bbm_fault, docs/hvo-bbm.md): on the CPU running
 * the batch the handler completes it itself; on another CPU it waits,
 * bounded, for the owner to close it (bbm_smp.c).  The barriers and
 * TLBIs are out-of-line primitives (asm/mmuprim.h) so
 * tests/unit/test_arm64_pgtable.c can record the sequence.  Compiled into
 * the kernel and into that host test. */
#include <pagoda/vmstat.h>
#include "arch/arm64/include/asm/pgtable.h"
#include "arch/arm64/include/asm/mmuprim.h"
#include "arch/arm64/include/asm/tlbflush.h"

phys_addr_t arm64_ttbr1_pa;
struct arm64_bbm_window arm64_bbm_window;
void (*arm64_bbm_window_hook)(void);
const struct arm64_bbm_smp_ops *arm64_bbm_smp;
bool arm64_tlbi_range;          /* asm/tlbflush.h; setup.c sets it at boot */

pte_t *arch_pgd(void)
{
	return (pte_t *)__va(arm64_ttbr1_pa);
}

/* Does replacing old with new at this level need break-before-make? */
static bool pte_needs_bbm(pte_t old, pte_t new, int level)
{
	if (!pte_present(old) || !pte_present(new))
		return false;
	return pte_pa(old) != pte_pa(new) ||
	       pte_is_table(old, level) != pte_is_table(new, level);
}

/* This CPU's id for the window (0 while there is one CPU). */
static unsigned int bbm_cpu(void)
{
	return arm64_bbm_smp ? arm64_bbm_smp->cpu() : 0;
}

/* Publish the window before the first break: seq odd (release), then a
 * full DMB ISH so that no break is observed before the window is. */
static void bbm_open(struct arm64_bbm_window *w, const struct pte_batch *b,
		     unsigned long lo, unsigned long hi)
{
	w->lo = lo;
	w->hi = hi;
	w->single = !b;
	w->state = BBM_BREAKING;
	w->owner = bbm_cpu();
	w->batch = b;
	__atomic_store_n(&w->seq, w->seq + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Close a window the owner finished: seq even (release). */
static void bbm_close(struct arm64_bbm_window *w)
{
	w->batch = NULL;
	__atomic_store_n(&w->seq, w->seq + 1, __ATOMIC_RELEASE);
}

/* With several CPUs a single break-before-make is a window too (one
 * entry, the VA range it maps, any address: a direct-map table moved on
 * hot-remove): another CPU that faults in it waits for the make. */
void arch_set_pte(unsigned long va, int level, pte_t *ptep, pte_t val)
{
	volatile pte_t *p = ptep;
	pte_t old = *p;
	struct arm64_bbm_window *w = &arm64_bbm_window;
	unsigned long span = pt_level_size(level);
	bool window = arm64_bbm_smp && pte_needs_bbm(old, val, level);

	if (window) {
		arm64_bbm_smp->begin();
		bbm_open(w, NULL, va & ~(span - 1), (va & ~(span - 1)) + span);
	}
	if (pte_needs_bbm(old, val, level)) {
		*p = 0;
		__dsb_ishst();
		if (pte_is_table(old, level))
			__tlbi_vaae1is(tlbi_vaddr(va));
		else
			__tlbi_vaale1is(tlbi_vaddr(va));
		__dsb_ish();
		__isb();
		count_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
	}
	if (window && arm64_bbm_window_hook)
		arm64_bbm_window_hook();
	*p = val;
	__dsb_ishst();
	__isb();
	if (window) {
		bbm_close(w);
		arm64_bbm_smp->end();
	}
}

/* Break pass over the batch, idempotent so the fault handler may run it
 * again: a live entry that changes its frame becomes invalid, a
 * permission-only change or a clear is stored now, an invalid -> valid
 * entry waits for the make pass. */
static void bbm_break(const struct pte_batch *b)
{
	for (unsigned long i = 0; i < b->n; i++) {
		struct pte_batch_ent tmp;
		const struct pte_batch_ent *e = pte_batch_entry(b, i, &tmp);
		volatile pte_t *p = e->ptep;
		pte_t old = *p;
		if (!pte_present(old) || old == e->val)
			continue;
		*p = pte_needs_bbm(old, e->val, 0) ? 0 : e->val;
	}
}

/* One invalidation for the whole batch of window w: with FEAT_TLBIRANGE one
 * TLBI RVAALE1IS over [lo, hi) (a span too large for it: VMALLE1IS);
 * without it per entry up to TLB_FLUSH_ALL_THRESHOLD entries, else TLBI
 * VMALLE1IS.  Counted: range, one (per entry) or all. */
static void bbm_flush(const struct arm64_bbm_window *w)
{
	const struct pte_batch *b = w->batch;
	unsigned long op;

	__dsb_ishst();
	if (arm64_tlbi_range && tlbi_range_op(w->lo, w->hi, &op)) {
		__tlbi_rvaale1is(op);
		count_vm_event(NR_TLB_LOCAL_FLUSH_RANGE);
	} else if (arm64_tlbi_range || b->n > TLB_FLUSH_ALL_THRESHOLD) {
		__tlbi_vmalle1is();
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	} else {
		for (unsigned long i = 0; i < b->n; i++) {
			struct pte_batch_ent tmp;
			__tlbi_vaale1is(tlbi_vaddr(pte_batch_entry(b, i, &tmp)->va));
		}
		count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, b->n);
	}
	__dsb_ish();
	__isb();
}

/* Make pass: every entry gets its new value, then one DSB ISHST; ISB. */
static void bbm_make(const struct pte_batch *b)
{
	for (unsigned long i = 0; i < b->n; i++) {
		struct pte_batch_ent tmp;
		const struct pte_batch_ent *e = pte_batch_entry(b, i, &tmp);
		volatile pte_t *p = e->ptep;
		if (*p != e->val)
			*p = e->val;
	}
	__dsb_ishst();
	__isb();
}

/* Finish the open window from wherever it stands, then close it (seq even,
 * release: a waiter that sees it sees every entry made).  Only the owner
 * CPU runs this (the batch itself, or the handler of its own fault). */
static void bbm_finish(struct arm64_bbm_window *w)
{
	if (w->state == BBM_BREAKING) {
		bbm_break(w->batch);
		bbm_flush(w);
		w->state = BBM_BROKEN;
	}
	bbm_make(w->batch);
	bbm_close(w);
}

void arch_set_ptes_batch(const struct pte_batch *b)
{
	struct arm64_bbm_window *w = &arm64_bbm_window;
	unsigned long lo = b->lo, hi = b->hi;

	if (!b->n)
		return;
	for (unsigned long i = 0; !b->hi && i < b->n; i++) {   /* span not given */
		struct pte_batch_ent tmp;
		const struct pte_batch_ent *e = pte_batch_entry(b, i, &tmp);
		lo = i ? MIN(lo, e->va) : e->va;
		hi = MAX(hi, e->va + PAGE_SIZE);
	}
	if (arm64_bbm_smp)
		arm64_bbm_smp->begin();
	bbm_open(w, b, lo, hi);
	bbm_break(b);
	if (w->batch)                   /* not finished by the fault handler */
		bbm_flush(w);
	w->state = BBM_BROKEN;
	if (arm64_bbm_window_hook)
		arm64_bbm_window_hook();
	if (w->batch)
		bbm_finish(w);
	if (arm64_bbm_smp)
		arm64_bbm_smp->end();
}

/* Is far inside the window as of seq (odd)?  Reads lo/hi/owner/single and
 * then seq again: false if the window changed meanwhile (the caller
 * looks again). */
static bool bbm_in_window(const struct arm64_bbm_window *w, unsigned long seq,
			  unsigned long far, unsigned int *owner, bool *single)
{
	unsigned long lo = w->lo, hi = w->hi;

	*owner = w->owner;
	*single = w->single;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&w->seq, __ATOMIC_RELAXED) == seq && far >= lo && far < hi;
}

#define BBM_FAULT_RELOOKS 4   /* windows that may open and close during one fault */

/* Batch windows cover struct pages (vmemmap addresses) only; a single
 * entry's window (SMP only) any address it maps.  The owner completes its
 * own batch; a fault in its own single window is a real fault. */
bool arm64_bbm_fault(unsigned long far)
{
	struct arm64_bbm_window *w = &arm64_bbm_window;
	bool vmemmap = far >= VMEMMAP_START && far - VMEMMAP_START < VMEMMAP_SIZE;

	if (!vmemmap && !arm64_bbm_smp)
		return false;
	for (int i = 0; i < BBM_FAULT_RELOOKS; i++) {
		unsigned long seq = __atomic_load_n(&w->seq, __ATOMIC_ACQUIRE);
		unsigned int owner;
		bool single;

		if ((seq & 1) && bbm_in_window(w, seq, far, &owner, &single) && (single || vmemmap)) {
			if (vmemmap)
				count_vm_event(NR_VMEMMAP_BBM_FAULT);
			if (owner != bbm_cpu())
				return arm64_bbm_smp->wait(w, seq, far);
			if (single)
				return false;
			bbm_finish(w);              /* our own batch: help-complete it */
			return true;
		}
		if (arm64_bbm_smp && (vmemmap || (far >= w->lo && far < w->hi)) &&
		    arm64_bbm_smp->translates(far)) {
			if (vmemmap)                /* closed since our walk */
				count_vm_event(NR_VMEMMAP_BBM_FAULT);
			return true;
		}
		if (__atomic_load_n(&w->seq, __ATOMIC_ACQUIRE) == seq)
			return false;               /* not a window's */
	}
	return false;
}
