/* Where QEMU virt's ACPI Generic Event Device and memory-hotplug registers
 * are, read from the DSDT before the MMU switch.
 *
 *   Device (\_SB.GED)   _HID "ACPI0013"   _CRS Interrupt (Edge) { 41 }
 *     OperationRegion (EREG, SystemMemory, 0x09080000, 4)    event bits
 *   Device (\_SB.MHPC)  memory hotplug controller
 *     OperationRegion (HPMR, SystemMemory, 0x09070000, 0x18) slot registers
 *
 * No static table names these blocks, so kernel/acpi_aml.c scans the AML
 * for the two OperationRegions and the GED's interrupt.  What is not found
 * (or is not SystemMemory of the expected size) keeps QEMU virt's constant,
 * and arm64_boot records which source each value came from for the log. */
#include <pagoda/acpi.h>
#include "arm64.h"

#define GED_EVT_LEN 4

void arm64_fw_probe_ged(const void *dsdt_aml, u64 len)
{
	struct acpi_opregion hpmr, ereg;
	struct acpi_irq_res irq;

	if (!acpi_aml_find_opregion(dsdt_aml, len, "HPMR", &hpmr) &&
	    !acpi_aml_find_opregion(dsdt_aml, len, "EREG", &ereg) &&
	    hpmr.space == ACPI_GAS_MEMORY && hpmr.length >= MEMHP_REG_LEN &&
	    ereg.space == ACPI_GAS_MEMORY && ereg.length >= GED_EVT_LEN) {
		arm64_boot.memhp_pa = hpmr.offset;
		arm64_boot.ged_evt_pa = ereg.offset;
		arm64_boot.ged_src = FW_SRC_ACPI;
	}
	if (!acpi_aml_find_hid_irq(dsdt_aml, len, "ACPI0013", &irq)) {
		arm64_boot.ged_gsi = irq.gsi;
		arm64_boot.ged_level = irq.level;
		arm64_boot.ged_active_low = irq.active_low;
		arm64_boot.ged_irq_src = FW_SRC_ACPI;
	}
}
