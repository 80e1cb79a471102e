/* Internal interfaces of the arm64 port (not part of the arch contract).
 *
 *   efi_app.c   (runs at the load address, firmware MMU) fills
 *                arm64_boot and bootinfo's plain fields, exits boot services
 *   fwprobe.c    (same) finds the PL011 and the PSCI conduit in DTB / ACPI
 *   mmu_boot.c   (same) builds the TTBR1 tables and the switch idmap
 *   setup.c      (link address) turns all that into bootinfo and calls kmain
 */
#ifndef ARCH_ARM64_H
#define ARCH_ARM64_H
#include <pagoda/types.h>
#include <boot/efi.h>
#include <asm/stack.h>

enum arm64_fw_source { FW_SRC_DEFAULT, FW_SRC_DTB, FW_SRC_ACPI };
enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };

/* What the pre-MMU code hands to the kernel proper: plain values only
 * (pointers taken before the switch would be load addresses). */
struct arm64_boot {
	u64 uart_pa;                 /* PL011 base */
	int uart_src;                /* enum arm64_fw_source */
	int psci_conduit;            /* enum psci_conduit */
	int psci_src;                /* enum arm64_fw_source */
	int entry_el;                /* exception level at efi_entry */
	u64 dtb_size;                /* totalsize of bootinfo.dtb, 0 if none */
	u64 mmap_size, desc_size;    /* raw UEFI map in arm64_efi_mmap[] */
	int exit_bs_tries;           /* ExitBootServices attempts */
	bool grub;                   /* loaded by GRUB's linux command */
};
extern struct arm64_boot arm64_boot;

#define ARM64_EFI_MMAP_BYTES  (64 * 1024)
extern u8 arm64_efi_mmap[ARM64_EFI_MMAP_BYTES];

#define PL011_DEFAULT_PA  0x09000000UL   /* QEMU virt */

/* fwprobe.c: fill uart_* and psci_* from the DTB or the ACPI tables. */
void arm64_fw_probe(phys_addr_t dtb, phys_addr_t rsdp);
/* FDT totalsize at dtb, 0 if it is not a flattened device tree. */
u64 fdt_total_size(const void *dtb);

/* mmu_boot.c: build the kernel tables from the UEFI map and switch to
 * them; returns only on failure (tables exhausted). */
void arm64_mmu_boot(void);
extern phys_addr_t arm64_ttbr1_pa;

/* head.S */
void arm64_mmu_switch(u64 ttbr1, u64 ttbr0, u64 tcr, u64 mair, u64 start, u64 end);
extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[], _end[];
extern char __idmap_text_start[];

/* pl011.c */
void pl011_init(phys_addr_t pa);
/* power.c */
long psci_call(u64 fn, u64 a1, u64 a2, u64 a3);
#endif
