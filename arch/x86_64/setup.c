/* x86_64 C entry: from the boot page tables to kmain().
 *
 *   entry.S (long mode, higher half, boot stack)
 *     -> x86_start: per-CPU block (GS base), COM1, GDT/TSS, IDT,
 *        multiboot2 -> bootinfo, final page tables (W^X image, direct map,
 *        no identity map), reserve the image, the low 1 MiB and the SMP
 *        trampoline -> kmain()
 */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/bootinfo.h>
#include <pagoda/acpi.h>
#include <asm/vmparam.h>
#include <asm/boot.h>
#include <asm/percpu.h>
#include <boot/multiboot2.h>
#include "arch/x86_64/irq.h"

void x86_start(void);

void x86_start(void)
{
	x86_percpu_init_boot();                   /* %gs:0 = 0: smp_processor_id() */
	uart_init();
	gdt_init(0);
	idt_init();
	if (multiboot2_parse(mb2_copy, mb2_copy_len, arch_kimage_pa(mb2_copy), &bootinfo))
		panic("no usable multiboot2 information at 0x%x", mb2_phys);
	printk("multiboot2: loaded by %s, information at 0x%x (%u bytes)\n",
	       bootinfo.loader ? bootinfo.loader : "an unnamed loader", mb2_phys, mb2_copy_len);
	kmap_init();
	/* The image with its bss (boot page tables, stacks, the MBI copy). */
	bootinfo_add_reserved(&bootinfo, arch_kimage_pa(_text), _end - _text);
	/* As Linux: the first 1 MiB holds BIOS data, the EBDA and option ROMs. */
	bootinfo_add_reserved(&bootinfo, 0, SZ_1M);
	/* Inside that MiB, but named: the secondary CPUs' start page. */
	x86_trampoline_reserve();
	kmain();
}

/* Timer, ACPI power control, the interrupt controllers and ACPI events
 * (the SCI: memory hotplug), the CPUs the MADT lists (started later by
 * arch_smp_boot_secondaries); runs after mm_init(). */
void arch_late_init(void)
{
	tsc_calibrate();
	x86_acpi_init(bootinfo.acpi_rsdp);
	if (x86_irq_init() == 0)
		x86_acpi_sci_init();
	x86_smp_enumerate();
}
