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

#define ARM64_MAX_CPUS    STACK_NR_CPUS  /* NR_CPUS, asm/stack.h */
#define MPIDR_HWID_MASK   0xff00ffffffULL   /* Aff3, Aff2, Aff1, Aff0 */
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
	/* Interrupt controller (fwprobe.c: MADT, DTB or QEMU virt constants) */
	int gic_version;             /* 2 or 3 */
	int gic_src;                 /* enum arm64_fw_source */
	u64 gicd_pa;                 /* distributor */
	u64 gicc_pa;                 /* GICv2 CPU interface */
	u64 gicr_pa, gicr_size;      /* GICv3 redistributor region */
	/* ACPI GED and memory hotplug (fwprobe_ged.c: DSDT or constants) */
	u64 ged_evt_pa;              /* GED event register, 4 bytes */
	u64 memhp_pa;                /* memory hotplug registers, 24 bytes */
	u32 ged_gsi;
	bool ged_level, ged_active_low;
	int ged_src;                 /* FW_SRC_ACPI: HPMR/EREG in the DSDT */
	int ged_irq_src;             /* FW_SRC_ACPI: the GED's _CRS */
	u32 vtimer_intid;            /* EL1 virtual timer PPI (GTDT, DTB or 27) */
	int vtimer_src;
	/* CPUs (fwprobe.c: MADT GICC entries or the DTB's cpu nodes), in
	 * firmware order; smp.c registers the boot CPU first */
	int cpu_src;                 /* FW_SRC_DEFAULT: none listed */
	int nr_cpus;                 /* kept in cpu_mpidr[] */
	int cpus_listed;             /* enabled CPUs the firmware listed */
	u64 cpu_mpidr[ARM64_MAX_CPUS];   /* MPIDR affinity (MPIDR_HWID_MASK) */
};
extern struct arm64_boot arm64_boot;

#define ARM64_EFI_MMAP_BYTES  (64 * 1024)
extern u8 arm64_efi_mmap[ARM64_EFI_MMAP_BYTES];

#define PL011_DEFAULT_PA  0x09000000UL   /* QEMU virt */
/* QEMU virt (hw/arm/virt.c memmap and irqmap) when the firmware says nothing */
#define GICD_DEFAULT_PA   0x08000000UL
#define GICC_DEFAULT_PA   0x08010000UL
#define GICR_DEFAULT_PA   0x080a0000UL
#define MEMHP_DEFAULT_PA  0x09070000UL   /* VIRT_PCDIMM_ACPI */
#define GED_EVT_DEFAULT_PA 0x09080000UL  /* VIRT_ACPI_GED */
#define GED_DEFAULT_GSI   41             /* SPI 9 */
#define VTIMER_DEFAULT_PPI 27            /* SBSA: EL1 virtual timer */
#define GICD_MAP_SIZE     0x10000UL
#define GICC_MAP_SIZE     0x2000UL
#define GICR_MAP_MAX      0x100000UL     /* 8 redistributors of 128 KiB */
#define MEMHP_REG_LEN     24

/* fwprobe.c: fill uart_* and psci_* from the DTB or the ACPI tables. */
void arm64_fw_probe(phys_addr_t dtb, phys_addr_t rsdp);
/* fwprobe_ged.c: GED and memory-hotplug registers and the GED's GSI
 * from the DSDT (AML scan), else QEMU virt's constants. */
void arm64_fw_probe_ged(const void *dsdt_aml, u64 len);
/* FDT totalsize at dtb, 0 if it is not a flattened device tree. */
u64 fdt_total_size(const void *dtb);

/* mmu_boot.c: build the kernel tables from the UEFI map and switch to
 * them; returns only on failure (tables exhausted). */
void arm64_mmu_boot(void);

/* Entered from head.S: efi_app.c before the MMU switch (returns an EFI
 * status only when boot fails), setup.c after it. */
efi_status_t efi_app_main(efi_handle_t image, efi_system_table_t *st);
__noreturn void arm64_start_kernel(void);

/* head.S */
void arm64_mmu_switch(u64 ttbr1, u64 ttbr0, u64 tcr, u64 mair, u64 start, u64 end);
extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[], _end[];
extern char __idmap_text_start[];

/* irq.c: an IRQ taken at EL1 on SP_EL1 (traps.c calls it). */
struct pt_regs;
void arm64_handle_irq(struct pt_regs *regs);

/* pl011.c */
void pl011_init(phys_addr_t pa);
/* power.c */
long psci_call(u64 fn, u64 a1, u64 a2, u64 a3);
/* smp.c: register the CPUs fwprobe found, the boot CPU first (arch_late_init) */
void arm64_smp_init(void);

/* bbm_smp.c: the vmemmap BBM window with several CPUs (docs/hvo-bbm.md). */
struct arm64_bbm_stats {
	u64 windows, window_cycles, window_max;  /* batches owned: begin to end */
	u64 waits, wait_cycles, wait_max;        /* faults that waited for another CPU
	                                            (counted when the wait starts) */
	u64 late;                                /* faults on a window closed meanwhile */
	u64 pauses, pause_cycles, pause_max;     /* pause mode: IPI until all stopped */
};
/* Install the SMP window ops if there is more than one CPU (before CPU_ON). */
void arm64_bbm_smp_init(void);
/* Every CPU's figures summed (maxima: the largest). */
void arm64_bbm_stats_sum(struct arm64_bbm_stats *t);
/* Zero them (benchmarks; no window open, no reader running). */
void arm64_bbm_stats_reset(void);
/* "wait" or "pause": 0, or -EINVAL (unchanged).  Call with no window open. */
int arm64_bbm_set_mode(const char *name);
bool arm64_bbm_pause_mode(void);
#endif
