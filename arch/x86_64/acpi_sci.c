/* x86_64 ACPI events: the SCI, GPE0 and QEMU's memory-hotplug controller.
 *
 *   QMP device_add/device_del pc-dimm
 *     -> controller (I/O 0x0a00..0x0a17) sets inserting/removing for a slot
 *     -> GPE0 status bit 3 -> SCI (ISA IRQ 9 -> MADT override -> GSI 9,
 *        level, active-high on QEMU) -> x86_sci_handler():
 *           status & enable; write 1s back to clear (the level drops);
 *           bit 3 -> acpi_memhp_event() (queues the scan, kernel/acpi_memhp.c)
 *
 * FADT fields used (ACPI 6.x table 5.9):
 *   46 SCI_INT u16    48 SMI_CMD u32    52 ACPI_ENABLE u8
 *   80 GPE0_BLK u32   92 GPE0_BLK_LEN u8 (status half, then enable half)
 *   220 X_GPE0_BLK GAS (used when it is an I/O address)
 * If PM1a_CNT.SCI_EN is clear the firmware left the machine in legacy
 * mode: write ACPI_ENABLE to SMI_CMD and wait for SCI_EN, as Linux's
 * acpi_enable() does.  q35 (ICH9): SMI_CMD 0xb2, GPE0 at PMBASE + 0x20,
 * 16 bytes; pc (PIIX4): GPE0 0xafe0, 4 bytes. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/acpi.h>
#include <pagoda/irq.h>
#include <asm/io.h>
#include "arch/x86_64/irq.h"
#include "kernel/acpi_memhp.h"

#define FADT_SCI_INT       46
#define FADT_SMI_CMD       48
#define FADT_ACPI_ENABLE   52
#define FADT_GPE0_BLK      80
#define FADT_GPE0_BLK_LEN  92
#define FADT_X_GPE0_BLK    220
#define PM1_CNT_SCI_EN     0x0001
#define ACPI_ENABLE_POLLS  100000
#define GPE_MEMORY_HOTPLUG 3
#define MEMHP_IO_BASE      0x0a00      /* QEMU's ACPI_MEMORY_HOTPLUG_BASE */

static struct {
	u16 gpe0_sts, gpe0_en;             /* I/O ports of the two halves */
	u8 gpe0_half;                      /* bytes in each half */
	u16 memhp_base;
	u64 sci_count;
} sci;

static u32 memhp_io_read32(unsigned off)
{
	return inl(sci.memhp_base + off);
}

static void memhp_io_write32(unsigned off, u32 val)
{
	outl(sci.memhp_base + off, val);
}

static const struct acpi_memhp_ops memhp_io_ops = {
	.read32 = memhp_io_read32,
	.write32 = memhp_io_write32,
};

/* IRQ context: acknowledge every enabled GPE0 event, report hotplug. */
static void x86_sci_handler(void *arg)
{
	bool memhp = false;

	sci.sci_count++;
	for (unsigned i = 0; i < sci.gpe0_half; i++) {
		u8 st = inb(sci.gpe0_sts + i) & inb(sci.gpe0_en + i);

		if (!st)
			continue;
		outb(sci.gpe0_sts + i, st);    /* write-1-to-clear */
		if (i == GPE_MEMORY_HOTPLUG / 8 && (st & (1 << (GPE_MEMORY_HOTPLUG % 8))))
			memhp = true;
	}
	if (memhp)
		acpi_memhp_event();
}

/* Put the machine in ACPI mode if the firmware did not.  0 or -ENOENT. */
static int x86_acpi_enable(const u8 *fadt)
{
	u32 smi_cmd;
	u8 enable = fadt[FADT_ACPI_ENABLE];

	if (inw(acpi.pm1a_cnt) & PM1_CNT_SCI_EN)
		return 0;
	memcpy(&smi_cmd, fadt + FADT_SMI_CMD, 4);
	if (!smi_cmd || !enable || smi_cmd > 0xffff) {
		printk("ACPI: SCI_EN clear and no SMI_CMD to enable ACPI mode\n");
		return -ENOENT;
	}
	outb(smi_cmd, enable);
	for (int i = 0; i < ACPI_ENABLE_POLLS; i++)
		if (inw(acpi.pm1a_cnt) & PM1_CNT_SCI_EN) {
			printk("ACPI: ACPI mode enabled (SMI_CMD 0x%x <- 0x%x)\n", smi_cmd, enable);
			return 0;
		}
	printk("ACPI: SCI_EN still clear after SMI_CMD 0x%x <- 0x%x\n", smi_cmd, enable);
	return -ENOENT;
}

/* GPE0 block from the FADT (X_GPE0_BLK if it is I/O).  0 or -ENOENT. */
static int x86_gpe0_find(const u8 *fadt, u32 len)
{
	u32 blk;
	struct acpi_gas gas;

	memcpy(&blk, fadt + FADT_GPE0_BLK, 4);
	if (len >= FADT_X_GPE0_BLK + sizeof(gas)) {
		memcpy(&gas, fadt + FADT_X_GPE0_BLK, sizeof(gas));
		if (gas.address && gas.space_id == ACPI_GAS_IO && gas.address <= 0xffff)
			blk = gas.address;
	}
	u8 blen = fadt[FADT_GPE0_BLK_LEN];
	if (!blk || blen < 2 || blen % 2 || blk + blen > 0x10000)
		return -ENOENT;
	sci.gpe0_half = blen / 2;
	sci.gpe0_sts = blk;
	sci.gpe0_en = blk + sci.gpe0_half;
	return 0;
}

/* Route the SCI: ISA IRQ SCI_INT through the MADT overrides (ACPI's
 * default for the SCI without one: level, active-low). */
static int x86_sci_route(const u8 *fadt)
{
	u16 irq;
	u32 gsi;
	bool level, low;

	memcpy(&irq, fadt + FADT_SCI_INT, 2);
	if (!x86_isa_irq_to_gsi(irq, &gsi, &level, &low))
		level = low = true;
	int rc = x86_irq_request_named(gsi, level, low, x86_sci_handler, NULL, "acpi");
	printk("ACPI: SCI IRQ %u -> GSI %u %s %s%s\n", irq, gsi, level ? "level" : "edge",
	       low ? "active-low" : "active-high", rc ? " (not routed)" : "");
	return rc;
}

/* The controller's I/O ports: the DSDT's OperationRegion HPMR (SystemIO,
 * constant operands) if there is one, else QEMU's fixed 0x0a00. */
static void x86_memhp_find(void)
{
	const struct acpi_sdt_header *d = acpi_map_table(&acpi, acpi.dsdt, "DSDT");
	struct acpi_opregion r;

	if (d && acpi_aml_find_opregion((const u8 *)(d + 1), d->length - sizeof(*d),
					"HPMR", &r) == 0 &&
	    r.space == ACPI_GAS_IO && r.length >= MEMHP_REG_BLOCK_LEN &&
	    r.offset + r.length <= 0x10000) {
		sci.memhp_base = r.offset;
		printk("acpi_memhp: register block I/O 0x%x-0x%x (DSDT OperationRegion HPMR)\n",
		       sci.memhp_base, sci.memhp_base + MEMHP_REG_BLOCK_LEN - 1);
		return;
	}
	sci.memhp_base = MEMHP_IO_BASE;
	printk("acpi_memhp: register block I/O 0x%x-0x%x (no HPMR in the DSDT: QEMU's "
	       "known address)\n", sci.memhp_base, sci.memhp_base + MEMHP_REG_BLOCK_LEN - 1);
}

void x86_acpi_sci_init(void)
{
	const struct acpi_sdt_header *f = acpi_map_table(&acpi, acpi.fadt, "FACP");
	const u8 *fadt = (const u8 *)f;

	if (!f || f->length <= FADT_GPE0_BLK_LEN || !acpi.pm1a_cnt) {
		printk("ACPI: no FADT event blocks, memory hotplug off\n");
		return;
	}
	if (x86_gpe0_find(fadt, f->length)) {
		printk("ACPI: FADT has no GPE0 block, memory hotplug off\n");
		return;
	}
	for (unsigned i = 0; i < sci.gpe0_half; i++)
		outb(sci.gpe0_en + i, 0);
	if (x86_acpi_enable(fadt) || x86_sci_route(fadt))
		return;
	x86_memhp_find();
	acpi_memhp_start(&memhp_io_ops);
	/* Clear a stale event (a DIMM plugged during boot: the start scan
	 * sees it), then enable GPE 3 and interrupts. */
	outb(sci.gpe0_sts + GPE_MEMORY_HOTPLUG / 8, 1 << (GPE_MEMORY_HOTPLUG % 8));
	outb(sci.gpe0_en + GPE_MEMORY_HOTPLUG / 8, 1 << (GPE_MEMORY_HOTPLUG % 8));
	printk("ACPI: GPE0 0x%x (%u+%u bytes), GPE %d enabled\n", sci.gpe0_sts,
	       sci.gpe0_half, sci.gpe0_half, GPE_MEMORY_HOTPLUG);
	arch_irq_enable();
}
