/* x86_64 boot constants shared by entry.S and the C setup code. */
#ifndef ASM_BOOT_H
#define ASM_BOOT_H

#define MB2_BOOTLOADER_MAGIC 0x36d76289   /* %eax at the multiboot2 entry */
#define MB2_COPY_MAX      0x10000         /* bytes of the MBI copied at entry */
#define BOOT_STACK_SIZE   0x8000          /* kernel stack (boot CPU) */
#define IST_STACK_SIZE    0x2000          /* each of the TSS IST stacks */
#define KIMAGE_MAX_SIZE   0x4000000       /* mapped by kmap.c; see linker script */

/* Page-table indexes of the boot mappings (4-level, 512 entries). */
#define PGD_SHIFT 39
#define PUD_SHIFT 30
#define PMD_SHIFT 21

#ifndef __ASSEMBLER__
#include <pagoda/types.h>
/* entry.S */
extern u8 mb2_copy[MB2_COPY_MAX];
extern u32 mb2_copy_len;                  /* bytes copied (<= MB2_COPY_MAX) */
extern u32 mb2_phys;                      /* physical address GRUB gave */
extern u8 boot_stack_guard[], boot_stack[], boot_stack_top[];
extern u64 boot_pml4[512], boot_pdpt_direct[512];
/* linker/x86_64.ld */
extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern char _bss[], _ebss[], _end[];

/* Arch setup steps, in the order x86_start() runs them. */
void uart_init(void);
void gdt_init(unsigned int cpu);          /* this CPU's GDT and TSS */
void idt_init(void);
void idt_load(void);                      /* secondaries: the boot CPU's IDT */
void kmap_init(void);
void tsc_calibrate(void);
void x86_acpi_init(phys_addr_t rsdp);      /* power.c */
void x86_trampoline_reserve(void);        /* smp.c: low pages for the APs */
#endif
#endif
