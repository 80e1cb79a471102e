/* x86_64 page-table entry encoding, shared by the kernel (asm/pgtable.h)
 * and the host build (tests/unit/host/include/asm/pgtable.h), which
 * simulates x86 page tables in memfd frames.
 *
 * Levels are numbered from the leaf: 0 = PTE (4 KiB), 1 = PMD (2 MiB),
 * 2 = PUD (1 GiB), 3 = PGD (PML4).  Every table has 512 entries.
 *
 *   63  62..52  51........12  11..9  8  7   6  5  4   3   2  1  0
 *   NX  avail   frame/table   avail  G  PS  D  A  PCD PWT U  W  P
 */
#ifndef ASM_X86_PTE_BITS_H
#define ASM_X86_PTE_BITS_H
#include <pagoda/types.h>
#include <asm/vmparam.h>

typedef u64 pte_t;

#define PT_LEVELS     4
#define PT_ENTRIES    512
#define PT_LEAF_LEVELS_MAX 2     /* leaves allowed at levels 0, 1, 2 */

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_RW      (1UL << 1)
#define _PAGE_USER    (1UL << 2)
#define _PAGE_PWT     (1UL << 3)
#define _PAGE_PCD     (1UL << 4)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY   (1UL << 6)
#define _PAGE_PSE     (1UL << 7)
#define _PAGE_GLOBAL  (1UL << 8)
#define _PAGE_NX      (1UL << 63)
#define _PAGE_ADDR    0x000ffffffffff000UL

/* Protections the generic code asks for. */
enum pgprot {
	PROT_KERNEL_RW,          /* data: RW, NX */
	PROT_KERNEL_RO,          /* rodata, shared vmemmap: RO, NX */
	PROT_KERNEL_RX,          /* text: RO, executable */
	PROT_DEVICE,             /* MMIO: RW, NX, uncached */
};

static inline unsigned pt_index(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}
static inline unsigned long pt_level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * level);
}
static inline bool pte_present(pte_t e) { return e & _PAGE_PRESENT; }
/* An entry at level > 0 that points to a next-level table. */
static inline bool pte_is_table(pte_t e, int level)
{
	return level > 0 && (e & _PAGE_PRESENT) && !(e & _PAGE_PSE);
}
static inline phys_addr_t pte_pa(pte_t e) { return e & _PAGE_ADDR; }
static inline bool pte_writable(pte_t e) { return e & _PAGE_RW; }

static inline pte_t pte_mk_table(phys_addr_t table_pa)
{
	return table_pa | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;
}
static inline pte_t pte_mk_leaf(phys_addr_t pa, int level, enum pgprot prot)
{
	pte_t e = pa | _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL;
	if (level > 0)
		e |= _PAGE_PSE;
	switch (prot) {
	case PROT_KERNEL_RW: e |= _PAGE_RW | _PAGE_NX; break;
	case PROT_KERNEL_RO: e |= _PAGE_NX; break;
	case PROT_KERNEL_RX: break;
	case PROT_DEVICE:    e |= _PAGE_RW | _PAGE_NX | _PAGE_PCD | _PAGE_PWT; break;
	}
	return e;
}
#endif
