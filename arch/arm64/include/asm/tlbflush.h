/* arm64 TLB maintenance for kernel mappings (one inner-shareable domain).
 * flush_tlb_kernel_range: DSB ISHST, TLBI VAALE1IS per page of [start, end),
 * DSB ISH, ISB; above TLB_FLUSH_ALL_THRESHOLD pages one TLBI VMALLE1IS.
 * Counted in /proc/vmstat (nr_tlb_local_flush_one per page, _all).
 *
 * Why no IPIs with several CPUs.  The ...IS forms are broadcast by the
 * hardware to every PE in the inner shareable domain (all CPUs of the
 * system: the kernel tables are walked with TCR.SH1 inner shareable):
 *
 *   CPU 0                                    CPU 1..n
 *   store PTE; DSB ISHST  the store is visible to their table walkers
 *   TLBI VAALE1IS va ----------------------> drop entries for va (their TLBs,
 *                                            walk caches) without running code
 *   DSB ISH               waits until every PE of the domain has completed
 *                         the TLBI (and its earlier accesses through the
 *                         old entry)
 *   ISB                   our own later fetches use the new state
 *
 * So when the DSB ISH retires no CPU holds the old translation; there is
 * nothing to ask them by IPI, no acknowledgement to wait for, and the
 * counters stay the local ones (nr_tlb_remote_flush and _received count
 * x86_64's IPI shootdowns: they do not move on arm64).  x86_64 has no
 * broadcast invalidation: its flush is local INVLPG plus an IPI to every
 * other CPU and a wait for their acks (arch/x86_64/tlbflush.c).
 *
 * What the broadcast does not remove: break-before-make.  A live entry
 * whose output address changes must go invalid first and the TLBI must
 * complete before the new entry is written, so between the break and the
 * make a CPU that walks the table finds nothing and takes a translation
 * fault.  For the vmemmap (HVO remapping struct pages under readers) that
 * window is handled in the fault handler: the reader waits for the owner
 * to close it and retries, or, in pause mode, every other CPU is stopped
 * by IPI for the window (asm/pgtable.h, arch/arm64/bbm_smp.c,
 * docs/hvo-bbm.md).  The IPIs there are for the window, not for the TLB.
 *
 * The TLBI VA operand (Linux's __TLBI_VADDR):
 *
 *   63..48  47..44  43..............0
 *   ASID    TTL     VA[55:12]            (VA >> 12, masked to 44 bits)
 *
 * Bits 47:44 are the translation-table-level hint on FEAT_TTL CPUs; a
 * kernel VA shifted right by 12 puts 0xf there, a wrong hint with which
 * the CPU need not invalidate the entry.  So every operand is masked.
 *
 * Range TLBI (FEAT_TLBIRANGE, ID_AA64ISAR0_EL1.TLB == 0b0010; QEMU's
 * -cpu max has it): one TLBI RVAALE1IS drops the last-level entries of
 * (NUM + 1) << (5 * SCALE + 1) pages from BaseADDR (Linux's
 * __TLBI_VADDR_RANGE):
 *
 *   63..48  47..46  45..44  43..39  38..37  36...........0
 *   ASID    TG      SCALE   NUM     TTL     BaseADDR = VA[48:12]
 *           1 = 4K                  0 = any level
 *
 * A batch remap (arch_set_ptes_batch) uses one of these for its whole VA
 * span [lo, hi) instead of a TLBI per entry or VMALLE1IS: one broadcast
 * DVM operation.  Under QEMU's multi-threaded TCG every broadcast TLBI is
 * a flush synchronised across all vCPUs (tlb_flush_*_all_cpus_synced:
 * work queued on every other vCPU, halted ones woken to run it, and the
 * issuing vCPU's flush as exclusive work), so per-entry TLBIs cost one
 * such synchronisation each (docs/hvo-bbm.md, "What a TLBI costs").
 * The span is rounded up to the next size the encoding has; invalidating
 * a few more entries than were changed is always allowed. */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H
#include <pagoda/types.h>
#include "vmparam.h"

#define TLB_FLUSH_ALL_THRESHOLD 512   /* pages; Linux's MAX_DVM_OPS */
#define TLBI_VADDR_MASK ((1UL << 44) - 1)

/* The TLBI operand for va: VA[55:12] in bits 43:0, TTL 0 (no hint), ASID 0. */
static inline unsigned long tlbi_vaddr(unsigned long va)
{
	return (va >> 12) & TLBI_VADDR_MASK;
}

#define TLBI_RANGE_TG_4K   (1UL << 46)
#define TLBI_RANGE_MAX_PAGES (32UL << 16)   /* NUM 31, SCALE 3 */

/* Does this CPU have FEAT_TLBIRANGE (setup.c reads ID_AA64ISAR0_EL1 at boot;
 * arm64_tlbi_range=off turns the range forms off)? */
extern bool arm64_tlbi_range;

/* The TLBI RVA*E1IS operand covering [start, end) (kernel VAs, end > start)
 * with the smallest SCALE that fits; false when the span exceeds
 * TLBI_RANGE_MAX_PAGES (then flush everything). */
static inline bool tlbi_range_op(unsigned long start, unsigned long end, unsigned long *op)
{
	unsigned long pages = ((end + PAGE_SIZE - 1) >> 12) - (start >> 12);

	for (unsigned long scale = 0; scale < 4; scale++) {
		unsigned long unit = 1UL << (5 * scale + 1);     /* pages per NUM step */
		unsigned long num = (pages + unit - 1) / unit;

		if (num <= 32) {
			*op = TLBI_RANGE_TG_4K | scale << 44 | (num - 1) << 39 |
			      ((start >> 12) & ((1UL << 37) - 1));
			return true;
		}
	}
	return false;
}

/* An unused kernel VA, inside the iomap window far above any device,
 * where kernel/tlbflush_test.c maps its scratch pages. */
#define TLB_SELFTEST_VA (IOMAP_START + (1UL << 38) + 0x100000UL)

void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);
#endif
