/* QEMU virt's ACPI Generic Event Device (GED) and memory-hotplug registers:
 * the arm64 glue for the generic driver kernel/acpi_memhp.c.
 *
 *   QMP device_add pc-dimm / device_del
 *     -> memory hotplug block (HPMR, 0x09070000, 24 bytes): slot state
 *     -> GED event register (EREG, 0x09080000): sel |= bit 0, pulse GSI 41
 *   GIC SPI 41 (edge) -> ged_irq: read EREG (the read clears it);
 *     bit 0 set -> acpi_memhp_event() (queues the driver's kwork)
 *
 * Addresses and the GSI come from the DSDT when its AML has them
 * (fwprobe_ged.c), else from QEMU virt's constants; the boot log says
 * which.  Without ACPI tables (a device-tree boot, -M virt,acpi=off) QEMU
 * builds no GED, so there is nothing to route.  Both blocks are mapped Device-nGnRnE at IOMAP_START + pa by
 * mmu_boot.c.  The GED interrupt is edge-triggered (QEMU pulses it), so an
 * event that arrives while the handler runs raises a new edge and is not
 * lost; events accumulate in EREG until read. */
#include <pagoda/kernel.h>
#include <pagoda/init.h>
#include <pagoda/irq.h>
#include <pagoda/bootinfo.h>
#include <asm/io.h>
#include "kernel/acpi_memhp.h"
#include "arm64.h"
#include "gic.h"

#define GED_EVT_MEMORY_HOTPLUG  (1U << 0)   /* ACPI_GED_MEM_HOTPLUG_EVT */

static volatile u8 *ged_evt, *memhp_regs;
static unsigned long ged_other_events;

/* acpi_memhp_ops: 32-bit little-endian accesses to the HPMR block. */
static u32 memhp_mmio_read32(unsigned off)
{
	return mmio_read32(memhp_regs + off);
}

static void memhp_mmio_write32(unsigned off, u32 val)
{
	mmio_write32(memhp_regs + off, val);
}

static const struct acpi_memhp_ops memhp_mmio_ops = {
	.read32 = memhp_mmio_read32,
	.write32 = memhp_mmio_write32,
};

/* IRQ context: take the accumulated events (the read clears them). */
static void ged_irq(void *arg)
{
	u32 sel = mmio_read32(ged_evt);

	if (sel & GED_EVT_MEMORY_HOTPLUG)
		acpi_memhp_event();
	if (sel & ~GED_EVT_MEMORY_HOTPLUG)
		ged_other_events++;
}

/* Where a GED value came from, for the boot log. */
static const char *ged_src(int src)
{
	return src == FW_SRC_ACPI ? "DSDT" : "QEMU virt default";
}

/* Route the GED interrupt, hand the register block to the driver, then
 * turn interrupts on (they stay on from here). */
static int arm64_ged_init(void)
{
	int rc;

	arch_irq_disable();
	if (!bootinfo.acpi_rsdp) {
		printk("GED: none (no ACPI tables: QEMU builds the GED only with ACPI)\n");
		arch_irq_enable();
		return 0;
	}
	ged_evt = gic_iomap(arm64_boot.ged_evt_pa);
	memhp_regs = gic_iomap(arm64_boot.memhp_pa);
	printk("GED: events at %#lx, memory hotplug at %#lx (%s); GSI %u %s (%s)\n",
	       (unsigned long)arm64_boot.ged_evt_pa, (unsigned long)arm64_boot.memhp_pa,
	       ged_src(arm64_boot.ged_src), arm64_boot.ged_gsi,
	       arm64_boot.ged_level ? "level" : "edge", ged_src(arm64_boot.ged_irq_src));
	rc = arm64_irq_request(arm64_boot.ged_gsi, arm64_boot.ged_level, ged_irq, NULL,
			       "ACPI:Ged");
	if (rc) {
		printk("GED: cannot route GSI %u (%d): no DIMM hotplug\n",
		       arm64_boot.ged_gsi, rc);
		arch_irq_enable();
		return rc;
	}
	mmio_read32(ged_evt);          /* drop events from before boot: start scans */
	acpi_memhp_start(&memhp_mmio_ops);
	arch_irq_enable();
	return 0;
}
INITCALL(arm64_ged_init);
