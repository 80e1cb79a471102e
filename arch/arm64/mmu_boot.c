/* The kernel's boot page tables (TTBR1) and the switch idmap (TTBR0).
 *
 *   TTBR1 (kernel, 48-bit VA, 4 KiB granule)
 *     PAGE_OFFSET + pa    every RAM range of the UEFI map (merged), with
 *                         1 GiB / 2 MiB blocks where aligned, else pages;
 *                         Normal WB, RW, XN
 *     KIMAGE_VADDR + off  the image, 4 KiB pages, W^X:
 *                         [_text, _etext) RX, [_rodata, _erodata) RO XN,
 *                         [_data, _end) RW XN, except the guard page
 *                         below each CPU's stack (asm/stack.h): not mapped
 *     IOMAP_START + pa    the PL011 page, the GIC (distributor, CPU
 *                         interface or redistributors), the GED and
 *                         memory-hotplug registers: Device-nGnRnE, XN
 *   TTBR0 (idmap, only for the switch; disabled by TCR.EPD0 afterwards)
 *     the 2 MiB block holding .idmap.text (arm64_mmu_switch), RX
 *
 * Tables come from a pool in bss, so they are part of the reserved image
 * and reachable through the direct map; the generic walker later extends
 * the same tree (arch_pgd()).  Runs at the load address before the switch:
 * table pointers are physical addresses here. */
#include <pagoda/bootinfo.h>
#include "arm64.h"
#include <asm/pgtable.h>
#include <asm/sysreg.h>

#define BOOT_PT_PAGES   64
#define BOOT_RAM_RANGES 128

static pte_t boot_pt_pool[BOOT_PT_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static int boot_pt_used;

/* A zeroed page-table page (bss is clear), or NULL when the pool is empty. */
static pte_t *boot_pt_alloc(void)
{
	if (boot_pt_used == BOOT_PT_PAGES)
		return NULL;
	return boot_pt_pool[boot_pt_used++];
}

/* Largest leaf level (<= max_level) that maps va->pa within size. */
static int boot_leaf_level(u64 va, u64 pa, u64 size, int max_level)
{
	for (int level = max_level; level > 0; level--)
		if (IS_ALIGNED(va | pa, pt_level_size(level)) && size >= pt_level_size(level))
			return level;
	return 0;
}

/* Map [va, va+size) -> pa in root with leaves no larger than max_level.
 * Returns 0 or -ENOMEM (pool exhausted) / -EEXIST (overlapping leaf). */
static int boot_map(pte_t *root, u64 va, u64 pa, u64 size, enum pgprot prot,
		    int max_level)
{
	while (size) {
		int level = boot_leaf_level(va, pa, size, max_level);
		pte_t *table = root;

		for (int l = PT_LEVELS - 1; l > level; l--) {
			pte_t *e = &table[pt_index(va, l)];
			if (!pte_present(*e)) {
				pte_t *next = boot_pt_alloc();
				if (!next)
					return -ENOMEM;
				*e = pte_mk_table((phys_addr_t)next);
			} else if (!pte_is_table(*e, l)) {
				return -EEXIST;
			}
			table = (pte_t *)(uintptr_t)pte_pa(*e);
		}
		table[pt_index(va, level)] = pte_mk_leaf(pa, level, prot);
		va += pt_level_size(level);
		pa += pt_level_size(level);
		size -= pt_level_size(level);
	}
	return 0;
}

/* RAM ranges of the UEFI map (efi_desc_is_ram), sorted and merged by the
 * generic boot_mem_add, into r[0..max); returns the count.  A range that
 * does not fit is left out. */
static int boot_ram_ranges(struct boot_mem_range *r, int max)
{
	int n = 0;

	for (u64 off = 0; off + arm64_boot.desc_size <= arm64_boot.mmap_size;
	     off += arm64_boot.desc_size) {
		const efi_memory_desc_t *d = (const void *)(arm64_efi_mmap + off);

		if (efi_desc_is_ram(d))
			boot_mem_add(r, &n, max, d->phys_start,
				     d->num_pages << EFI_PAGE_SHIFT, BOOT_MEM_USABLE);
	}
	return n;
}

/* Map the image's [start, end) (load addresses) at its link address in
 * 4 KiB pages. */
static int boot_map_image(pte_t *root, const char *start, const char *end,
			  enum pgprot prot)
{
	return boot_map(root, KIMAGE_VADDR + (u64)(start - _text), (u64)start,
			(u64)(end - start), prot, 0);
}

/* Map the device registers [pa, pa + size) at IOMAP_START + pa, whole
 * pages, Device-nGnRnE. */
static int boot_map_device(pte_t *root, u64 pa, u64 size)
{
	u64 start = ALIGN_DOWN(pa, PAGE_SIZE), end = ALIGN_UP(pa + size, PAGE_SIZE);

	return boot_map(root, IOMAP_START + start, start, end - start, PROT_DEVICE, 0);
}

/* The devices fwprobe found: console, GIC, GED and memory hotplug. */
static int boot_map_devices(pte_t *root)
{
	u64 gicr = arm64_boot.gicr_size < GICR_MAP_MAX ? arm64_boot.gicr_size : GICR_MAP_MAX;
	int rc = boot_map_device(root, arm64_boot.uart_pa, PAGE_SIZE);

	if (!rc)
		rc = boot_map_device(root, arm64_boot.gicd_pa, GICD_MAP_SIZE);
	if (!rc && arm64_boot.gic_version == 2)
		rc = boot_map_device(root, arm64_boot.gicc_pa, GICC_MAP_SIZE);
	if (!rc && arm64_boot.gic_version == 3)
		rc = boot_map_device(root, arm64_boot.gicr_pa, gicr);
	if (!rc)
		rc = boot_map_device(root, arm64_boot.ged_evt_pa, 4);
	if (!rc)
		rc = boot_map_device(root, arm64_boot.memhp_pa, MEMHP_REG_LEN);
	return rc;
}

/* The kernel stacks [arm64_stacks, arm64_stacks_end): each slot's stack,
 * RW XN, without the guard page below it (asm/stack.h). */
static int boot_map_stacks(pte_t *root)
{
	int rc = 0;

	for (int i = 0; i < STACK_NR_CPUS && !rc; i++) {
		const char *lo = arm64_stacks + i * STACK_SLOT + BOOT_STACK_GUARD;

		rc = boot_map_image(root, lo, lo + BOOT_STACK_SIZE, PROT_KERNEL_RW);
	}
	return rc;
}

/* Direct map of all RAM and the image with W^X into root; the page below
 * each kernel stack stays unmapped so an overflow faults (asm/stack.h). */
static int boot_map_kernel(pte_t *root)
{
	static struct boot_mem_range ram[BOOT_RAM_RANGES];
	int n = boot_ram_ranges(ram, BOOT_RAM_RANGES), rc = 0;

	for (int i = 0; i < n && !rc; i++)
		rc = boot_map(root, PAGE_OFFSET + ram[i].base, ram[i].base,
			      ram[i].size, PROT_KERNEL_RW, 2);
	if (!rc)
		rc = boot_map_image(root, _text, _etext, PROT_KERNEL_RX);
	if (!rc)
		rc = boot_map_image(root, _rodata, _erodata, PROT_KERNEL_RO);
	if (!rc)
		rc = boot_map_image(root, _data, arm64_stacks, PROT_KERNEL_RW);
	if (!rc)
		rc = boot_map_stacks(root);
	if (!rc)
		rc = boot_map_image(root, arm64_stacks_end, _end, PROT_KERNEL_RW);
	if (!rc)
		rc = boot_map_devices(root);
	return rc;
}

/* TCR_EL1: 48-bit VA both halves, 4 KiB granules, WBWA inner-shareable
 * walks, IPS from the CPU's PARange (at most 48 bits). */
static u64 boot_tcr(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	if (parange > 5)
		parange = 5;
	return TCR_T0SZ(64 - VA_BITS) | TCR_T1SZ(64 - VA_BITS) |
	       TCR_TG0_4K | TCR_TG1_4K |
	       TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
	       TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER |
	       parange << TCR_IPS_SHIFT;
}

void arm64_mmu_boot(void)
{
	pte_t *root = boot_pt_alloc(), *idmap = boot_pt_alloc();
	u64 idpa = ALIGN_DOWN((u64)__idmap_text_start, SZ_2M);

	arm64_kimage_pa = (u64)_text;
	if (!root || !idmap || boot_map_kernel(root) ||
	    boot_map(idmap, idpa, idpa, SZ_2M, PROT_KERNEL_RX, 1))
		return;
	arm64_ttbr1_pa = (phys_addr_t)root;
	arm64_mmu_switch((u64)root, (u64)idmap, boot_tcr(), MAIR_VALUE,
			 (u64)_text, (u64)_end);
}
