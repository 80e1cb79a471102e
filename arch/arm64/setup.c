/* arm64 kernel entry at the link address: from the EFI application's plain
 * values to a filled bootinfo, then the generic kmain().
 *
 *   arm64_virt_entry (head.S): stack, VBAR_EL1, TTBR0 off
 *     -> arm64_start_kernel: console, UEFI map -> bootinfo.mmap,
 *        image + DTB -> bootinfo.reserved -> kmain() */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/bootinfo.h>
#include <asm/vmparam.h>
#include <pagoda/acpi.h>
#include <asm/pgtable.h>
#include <pagoda/cmdline.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>
#include "mm/pgwalk.h"
#include "arm64.h"
#include "gic.h"

unsigned long arm64_kimage_pa;

static const char *const fw_src_name[] = {
	[FW_SRC_DEFAULT] = "QEMU virt default",
	[FW_SRC_DTB] = "device tree",
	[FW_SRC_ACPI] = "ACPI",
};

phys_addr_t arch_kimage_pa(const void *kernel_va)
{
	return (unsigned long)kernel_va - KIMAGE_VADDR + arm64_kimage_pa;
}

/* UEFI map -> bootinfo.mmap; image and DTB -> bootinfo.reserved. */
static void arm64_fill_bootinfo(void)
{
	efi_mmap_to_bootinfo(arm64_efi_mmap, arm64_boot.mmap_size, arm64_boot.desc_size,
			     &bootinfo);
	bootinfo_add_reserved(&bootinfo, arm64_kimage_pa, (u64)(_end - _text));
	if (bootinfo.dtb && arm64_boot.dtb_size)
		bootinfo_add_reserved(&bootinfo, ALIGN_DOWN(bootinfo.dtb, PAGE_SIZE),
				      ALIGN_UP(bootinfo.dtb + arm64_boot.dtb_size, PAGE_SIZE) -
				      ALIGN_DOWN(bootinfo.dtb, PAGE_SIZE));
	bootinfo.firmware = "uefi";
	bootinfo.loader = arm64_boot.grub ? "GRUB" : "UEFI";
}

__noreturn void arm64_start_kernel(void)
{
	pl011_init(arm64_boot.uart_pa);
	printk("arm64: EFI application entered at EL%d; image at phys %#lx, virt %#lx\n",
	       arm64_boot.entry_el, arm64_kimage_pa, (unsigned long)_text);
	printk("console: pl011 at %#lx (%s)\n", (unsigned long)arm64_boot.uart_pa,
	       fw_src_name[arm64_boot.uart_src]);
	printk("psci: %s conduit (%s)\n",
	       arm64_boot.psci_conduit == PSCI_CONDUIT_SMC ? "smc" : "hvc",
	       fw_src_name[arm64_boot.psci_src]);
	arm64_fill_bootinfo();
	kmain();
}

/* kernel/acpi.c's map function after the switch: the direct map, for
 * ranges whose every page it maps (the firmware's ACPI tables sit in
 * write-back memory of the UEFI map, which mmu_boot.c maps). */
static const void *arm64_acpi_map(phys_addr_t pa, size_t len)
{
	int level;

	if (!len || pa + len < pa || pa + len > (1UL << MAX_PHYSMEM_BITS))
		return NULL;
	for (u64 p = ALIGN_DOWN(pa, PAGE_SIZE); p < pa + len; p += PAGE_SIZE)
		if (!pte_present(*pgwalk_lookup((unsigned long)__va(p), &level)))
			return NULL;
	return __va(pa);
}

static bool arm64_tlbi_range_off;

/* arm64_tlbi_range=off: batches use per-entry TLBIs or VMALLE1IS even on a
 * CPU with FEAT_TLBIRANGE (to compare the two; docs/hvo-bbm.md). */
static int tlbi_range_param(const char *val)
{
	if (val && (!strcmp(val, "on") || !strcmp(val, "off"))) {
		arm64_tlbi_range_off = !strcmp(val, "off");
		return 0;
	}
	printk("warning: arm64_tlbi_range=%s: expected on or off\n", val ? val : "");
	return -EINVAL;
}
KERNEL_PARAM("arm64_tlbi_range", tlbi_range_param);

/* FEAT_TLBIRANGE: ID_AA64ISAR0_EL1.TLB (bits 59:56) == 0b0010. */
static void arm64_tlbi_init(void)
{
	unsigned long tlb = (read_sysreg(id_aa64isar0_el1) >> 56) & 0xf;

	arm64_tlbi_range = tlb >= 2 && !arm64_tlbi_range_off;
	printk("tlbi: ID_AA64ISAR0_EL1.TLB %#lx, range TLBI for batches %s\n", tlb,
	       arm64_tlbi_range ? "on" : tlb >= 2 ? "off (arm64_tlbi_range=off)" : "off (no FEAT_TLBIRANGE)");
}

/* Timer and power were found before the switch; report the timer, bring
 * up the GIC (interrupts stay masked until ged.c's initcall), register
 * the CPUs (smp.c; kmain starts them next) and give
 * generic code the ACPI root (`acpi`: the SRAT for the DIMM window). */
void arch_late_init(void)
{
	printk("timer: generic timer at %lu Hz, virtual timer INTID %u (%s)\n",
	       (unsigned long)arch_cycles_per_sec(), arm64_boot.vtimer_intid,
	       fw_src_name[arm64_boot.vtimer_src]);
	arm64_tlbi_init();
	arm64_irq_init();
	arm64_smp_init();
	if (bootinfo.acpi_rsdp)
		acpi_init_root(&acpi, bootinfo.acpi_rsdp, arm64_acpi_map);
}
