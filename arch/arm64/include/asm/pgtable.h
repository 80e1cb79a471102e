/* arm64 page-table entries for the generic walker (mm/pgwalk.c).
 * Same API as every arch; 4 KiB granule, 48-bit VA.
 *
 * Levels are numbered from the leaf: 0 = L3 (4 KiB page), 1 = L2 (2 MiB
 * block), 2 = L1 (1 GiB block), 3 = L0 (table only).  512 entries each.
 *
 *   63..59 58..55 54  53  52   51  50..48 47.........12 11 10  9..8 7..6 5  4..2   1  0
 *   ignored sw    UXN PXN Cont DBM res0   output addr   nG AF  SH   AP   NS Attr  T  V
 *
 *   bits[1:0]: 0b11 table (levels 1..3) or page (level 0); 0b01 block
 *   AP[2] (bit 7) = read-only; AP[1] (bit 6) = EL0 access (never set)
 *   AttrIndx selects MAIR_EL1 byte: MT_DEVICE_nGnRnE or MT_NORMAL
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H
#include <pagoda/types.h>
#include "vmparam.h"

typedef u64 pte_t;

#define PT_LEVELS     4
#define PT_ENTRIES    512
#define PT_LEAF_LEVELS_MAX 2     /* leaves allowed at levels 0, 1, 2 */

#define PTE_VALID     (1UL << 0)
#define PTE_TABLE     (1UL << 1)     /* table (level>0) or page (level 0) */
#define PTE_ATTRINDX(i) ((u64)(i) << 2)
#define PTE_ATTRINDX_MASK (7UL << 2)
#define PTE_RDONLY    (1UL << 7)     /* AP[2] */
#define PTE_USER      (1UL << 6)     /* AP[1] */
#define PTE_SH_INNER  (3UL << 8)
#define PTE_AF        (1UL << 10)
#define PTE_NG        (1UL << 11)
#define PTE_CONT      (1UL << 52)
#define PTE_PXN       (1UL << 53)
#define PTE_UXN       (1UL << 54)
#define PTE_ADDR      0x0000fffffffff000UL

/* MAIR_EL1 attribute indices and encodings. */
#define MT_DEVICE_nGnRnE 0
#define MT_NORMAL        1
#define MT_NORMAL_NC     2
#define MAIR_VALUE       ((0x00UL << (8 * MT_DEVICE_nGnRnE)) | \
			  (0xffUL << (8 * MT_NORMAL)) | \
			  (0x44UL << (8 * MT_NORMAL_NC)))

/* Protections the generic code asks for. */
enum pgprot {
	PROT_KERNEL_RW,          /* data: RW, PXN+UXN */
	PROT_KERNEL_RO,          /* rodata, shared vmemmap: RO, PXN+UXN */
	PROT_KERNEL_RX,          /* text: RO, EL1-executable (UXN) */
	PROT_DEVICE,             /* MMIO: RW, XN, Device-nGnRnE */
};

static inline unsigned pt_index(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}
static inline unsigned long pt_level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * level);
}
static inline bool pte_present(pte_t e) { return e & PTE_VALID; }
/* An entry at level > 0 that points to a next-level table. */
static inline bool pte_is_table(pte_t e, int level)
{
	return level > 0 && (e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
}
static inline phys_addr_t pte_pa(pte_t e) { return e & PTE_ADDR; }
static inline bool pte_writable(pte_t e) { return (e & PTE_VALID) && !(e & PTE_RDONLY); }

static inline pte_t pte_mk_table(phys_addr_t table_pa)
{
	return (table_pa & PTE_ADDR) | PTE_VALID | PTE_TABLE;
}
/* A leaf (page at level 0, block at levels 1-2) mapping pa with prot. */
static inline pte_t pte_mk_leaf(phys_addr_t pa, int level, enum pgprot prot)
{
	pte_t e = (pa & PTE_ADDR) | PTE_VALID | PTE_AF;
	if (level == 0)
		e |= PTE_TABLE;
	switch (prot) {
	case PROT_KERNEL_RW:
		e |= PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_PXN | PTE_UXN; break;
	case PROT_KERNEL_RO:
		e |= PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_RDONLY | PTE_PXN | PTE_UXN; break;
	case PROT_KERNEL_RX:
		e |= PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_RDONLY | PTE_UXN; break;
	case PROT_DEVICE:
		e |= PTE_ATTRINDX(MT_DEVICE_nGnRnE) | PTE_PXN | PTE_UXN; break;
	}
	return e;
}

/* Root of the kernel (TTBR1) page tables, a direct-map pointer. */
pte_t *arch_pgd(void);
/* Store entry val at *ptep, which maps va at the given level, following
 * break-before-make when a live entry changes its output address or
 * switches between block and table: invalid entry, DSB ISHST, TLBI, DSB
 * ISH, ISB, then the new entry.  The caller still flushes the TLB for
 * other changes (tlbflush.h), as on every arch.  (arch/arm64/pgtable.c) */
void arch_set_pte(unsigned long va, int level, pte_t *ptep, pte_t val);

#include <pagoda/pte_batch.h>
/* Store every level-0 entry of batch b with one invalidation for all:
 * break every live entry whose frame changes, DSB ISHST, one TLBI RVAALE1IS
 * over the batch's span (FEAT_TLBIRANGE; else TLBI VAALE1IS per entry, or
 * TLBI VMALLE1IS above TLB_FLUSH_ALL_THRESHOLD), DSB ISH, ISB, then make
 * them all and DSB ISHST; ISB.  The TLBs hold nothing stale on return
 * and the caller flushes nothing.  Counted in /proc/vmstat. */
void arch_set_ptes_batch(const struct pte_batch *b);

/* The break-before-make window of a batch: at most one open at a time in
 * the whole system.  The owner publishes it before the first break (seq
 * odd, then DMB ISH) and closes it after the final make (seq even); the
 * fault handler reads seq with acquire and re-checks it after reading the
 * rest (a seqlock): a translation fault at a vmemmap address in [lo, hi)
 * while seq is odd is a struct-page access inside the window. */
struct arm64_bbm_window {
	const struct pte_batch *batch;   /* the pending entries; NULL: closed */
	unsigned long lo, hi;            /* VA range of the batch, [lo, hi) */
	enum { BBM_BREAKING, BBM_BROKEN } state;  /* BROKEN: TLBs clean, make pending */
	unsigned int owner;              /* CPU running the batch (while open) */
	bool single;                     /* one arch_set_pte (SMP): no batch to help */
	unsigned long seq;               /* odd while open; +1 at open and at close */
};
extern struct arm64_bbm_window arm64_bbm_window;
/* Test seam: called inside the window (entries broken, TLBs clean, make
 * pending), so a selftest can read a struct page from there. */
extern void (*arm64_bbm_window_hook)(void);
/* Called for a translation fault at far.  True (retry the access) if far
 * is a vmemmap address in the open batch window: on the owner CPU (or with
 * one CPU) the handler finishes the batch itself; on another CPU it waits
 * for the owner to close the window (arm64_bbm_smp->wait, bounded).  With
 * several CPUs also for any address in a single arch_set_pte's window on
 * another CPU (waits), and if the window closed between the fault and now
 * and far translates.  Vmemmap ones are counted in nr_vmemmap_bbm_fault. */
bool arm64_bbm_fault(unsigned long far);

/* The SMP side of the window (arch/arm64/bbm_smp.c), installed when the
 * secondaries come up; NULL on one CPU and in host tests. */
struct arm64_bbm_smp_ops {
	unsigned int (*cpu)(void);        /* this CPU's logical id */
	void (*begin)(void);              /* take the window (one batch system-wide);
	                                     pause mode: stop the other CPUs */
	void (*end)(void);                /* release it (and the other CPUs) */
	bool (*wait)(const struct arm64_bbm_window *w, unsigned long seq, unsigned long far);
	bool (*translates)(unsigned long va);   /* AT S1E1R: does va map now? */
};
extern const struct arm64_bbm_smp_ops *arm64_bbm_smp;
/* Physical address of the kernel's TTBR1 root table (mmu_boot.c sets it). */
extern phys_addr_t arm64_ttbr1_pa;
#endif
