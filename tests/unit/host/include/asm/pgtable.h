/* Host build: x86_64-like page-table entries (same encoding and levels as
 * arch/x86_64/include/asm/pgtable.h).  The tables live in simulated
 * frames; arch_set_pte() additionally mirrors level-0 vmemmap leaves into
 * real mmaps, so a read-only remap really faults on write. */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H
#include <pagoda/types.h>
#include <asm/vmparam.h>

typedef u64 pte_t;

#define PT_LEVELS     4
#define PT_ENTRIES    512
#define PT_LEAF_LEVELS_MAX 2

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_RW      (1UL << 1)
#define _PAGE_PCD     (1UL << 4)
#define _PAGE_PWT     (1UL << 3)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY   (1UL << 6)
#define _PAGE_PSE     (1UL << 7)
#define _PAGE_GLOBAL  (1UL << 8)
#define _PAGE_NX      (1UL << 63)
#define _PAGE_ADDR    0x000ffffffffff000UL

enum pgprot { PROT_KERNEL_RW, PROT_KERNEL_RO, PROT_KERNEL_RX, PROT_DEVICE };

static inline unsigned pt_index(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}
static inline unsigned long pt_level_size(int level) { return 1UL << (PAGE_SHIFT + 9 * level); }
static inline bool pte_present(pte_t e) { return e & _PAGE_PRESENT; }
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

pte_t *arch_pgd(void);
/* Store the entry and mirror a level-0 leaf inside the vmemmap reservation
 * into the host address space (mmap of the memfd, or PROT_NONE if cleared). */
void arch_set_pte(unsigned long va, int level, pte_t *ptep, pte_t val);
#endif
