/* The kernel's final page tables, built once from static tables.
 *
 *   kernel_pgd[273] -> boot_pdpt_direct   PAGE_OFFSET + [0, 512 GiB), 1 GiB pages,
 *                                         RW NX global (kept from entry.S)
 *   kernel_pgd[511] -> kimg_pdpt[510] -> kimg_pd[i] -> kimg_pt[..]
 *                                         the image [_text, _end), 4 KiB pages:
 *        [_text,   _etext)    RX
 *        [_rodata, _erodata)  R  NX
 *        [_data,   _end)      RW NX, except the stack guard pages (not
 *                             present): boot_stack_guard, one per
 *                             secondary stack (percpu.c)
 *
 * The boot identity map is not carried over.  Every other kernel_pgd slot
 * is free for mm/ (vmemmap), which extends these tables through arch_pgd(). */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/cpu.h>
#include <asm/boot.h>
#include <asm/percpu.h>

#define KIMG_PT_PAGES (KIMAGE_MAX_SIZE / (PAGE_SIZE * PT_ENTRIES))

static pte_t kernel_pgd[PT_ENTRIES] __aligned(PAGE_SIZE);
static pte_t kimg_pdpt[PT_ENTRIES] __aligned(PAGE_SIZE);
static pte_t kimg_pd[PT_ENTRIES] __aligned(PAGE_SIZE);
static pte_t kimg_pt[KIMG_PT_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);

phys_addr_t arch_kimage_pa(const void *kernel_va)
{
	return (unsigned long)kernel_va - KIMAGE_VADDR;
}

pte_t *arch_pgd(void)
{
	return __va(arch_kimage_pa(kernel_pgd));
}

/* W^X protection of the image page at va. */
static enum pgprot kmap_prot(unsigned long va)
{
	if (va < (unsigned long)_etext)
		return PROT_KERNEL_RX;
	if (va < (unsigned long)_erodata)
		return PROT_KERNEL_RO;
	return PROT_KERNEL_RW;
}

/* Fill kimg_pt/kimg_pd for [_text, _end) (2 MiB aligned start). */
static void kmap_image(void)
{
	unsigned long start = (unsigned long)_text, end = (unsigned long)_end;
	KASSERT(IS_ALIGNED(start, SZ_2M) && end - start <= KIMAGE_MAX_SIZE,
		"image [0x%lx, 0x%lx)", start, end);
	for (unsigned long va = start; va < end; va += PAGE_SIZE) {
		unsigned long i = (va - start) >> PAGE_SHIFT;
		pte_t *pt = kimg_pt[i / PT_ENTRIES];

		if (x86_stack_guard_cpu(va) < 0)
			pt[i % PT_ENTRIES] = pte_mk_leaf(arch_kimage_pa((void *)va), 0,
							 kmap_prot(va));
		if (i % PT_ENTRIES == 0)
			kimg_pd[pt_index(va, 1)] = pte_mk_table(arch_kimage_pa(pt));
	}
	kimg_pdpt[pt_index(start, 2)] = pte_mk_table(arch_kimage_pa(kimg_pd));
	kernel_pgd[pt_index(start, 3)] = pte_mk_table(arch_kimage_pa(kimg_pdpt));
}

/* Switch to the final tables: image W^X, direct map, no identity map;
 * then turn on global pages. */
void kmap_init(void)
{
	unsigned direct = pt_index(PAGE_OFFSET, 3);

	kmap_image();
	for (int i = 0; i < PT_ENTRIES; i++)
		boot_pdpt_direct[i] |= _PAGE_GLOBAL;
	kernel_pgd[direct] = boot_pml4[direct];
	write_cr3(arch_kimage_pa(kernel_pgd));
	write_cr4(read_cr4() | CR4_PGE);
}
