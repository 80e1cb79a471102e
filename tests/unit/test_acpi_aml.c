/* Host test of kernel/acpi_aml.c: OperationRegions and a GED-style _CRS
 * interrupt found in hand-assembled AML, as QEMU's arm64 virt DSDT encodes
 * them, and the near misses that must not match. */
#include <string.h>
#include <pagoda/acpi.h>
#include "tap.h"

/* Device (\_SB.GED) { Name(_HID, "ACPI0013"); Name(_UID, "GED");
 *   Name(_CRS, ResourceTemplate { Interrupt(Consumer, Edge, ActiveHigh,
 *   Exclusive) { 41 } }); OperationRegion(EREG, SystemMemory, 0x09080000, 4) }
 * plus OperationRegion(\_SB.MHPC.HPMR, SystemMemory, 0x09070000, 0x18). */
static const unsigned char dsdt[] = {
	0x10, 0x05, '_', 'S', 'B', '_',                          /* Scope (noise) */
	0x08, '_', 'H', 'I', 'D', 0x0d, 'A', 'C', 'P', 'I', '0', '0', '1', '3', 0,
	0x08, '_', 'U', 'I', 'D', 0x0d, 'G', 'E', 'D', 0,
	0x08, '_', 'C', 'R', 'S', 0x11, 0x0e, 0x0a, 0x0b,
	  0x89, 0x06, 0x00, 0x03, 0x01, 0x29, 0x00, 0x00, 0x00, 0x79, 0x00,
	0x5b, 0x80, 'E', 'R', 'E', 'G', 0x00, 0x0c, 0x00, 0x00, 0x08, 0x09, 0x0a, 0x04,
	0x5b, 0x80, 0x2e, 'M', 'H', 'P', 'C', 'H', 'P', 'M', 'R', 0x00,
	  0x0c, 0x00, 0x00, 0x07, 0x09, 0x0a, 0x18,
};

static void test_opregion(void)
{
	struct acpi_opregion r = { 0 };

	TAP_OK(acpi_aml_find_opregion(dsdt, sizeof(dsdt), "EREG", &r) == 0 &&
	       r.space == ACPI_GAS_MEMORY && r.offset == 0x09080000 && r.length == 4,
	       "EREG: SystemMemory 0x09080000, 4 bytes");
	TAP_OK(acpi_aml_find_opregion(dsdt, sizeof(dsdt), "HPMR", &r) == 0 &&
	       r.offset == 0x09070000 && r.length == 0x18,
	       "HPMR after a dual NameString: 0x09070000, 24 bytes");
	TAP_OK(acpi_aml_find_opregion(dsdt, sizeof(dsdt), "MHPC", &r) == -ENOENT,
	       "a NameString's first segment is not the region's name");
	TAP_OK(acpi_aml_find_opregion(dsdt, sizeof(dsdt) - 1, "HPMR", &r) == -ENOENT,
	       "truncated length operand: no match");
}

static void test_opregion_io_qword(void)
{
	const unsigned char io[] = { 0x5b, 0x80, '\\', 'H', 'P', 'M', 'R', 0x01,
				     0x0b, 0x00, 0x0a, 0x0a, 0x18 };
	const unsigned char q[] = { 0x5b, 0x80, 'H', 'P', 'M', 'R', 0x00, 0x0e,
				    0, 0, 0, 0, 1, 0, 0, 0, 0x0a, 0x18 };
	const unsigned char var[] = { 0x5b, 0x80, 'H', 'P', 'M', 'R', 0x00, 0x60, 0x0a, 0x18 };
	struct acpi_opregion r = { 0 };

	TAP_OK(acpi_aml_find_opregion(io, sizeof(io), "HPMR", &r) == 0 &&
	       r.space == ACPI_GAS_IO && r.offset == 0x0a00 && r.length == 0x18,
	       "rooted name, SystemIO, word offset (x86 0x0a00)");
	TAP_OK(acpi_aml_find_opregion(q, sizeof(q), "HPMR", &r) == 0 &&
	       r.offset == 0x100000000ULL, "qword offset");
	TAP_OK(acpi_aml_find_opregion(var, sizeof(var), "HPMR", &r) == -ENOENT,
	       "offset from a variable (Local0) is not a constant: no match");
}

static void test_hid_irq(void)
{
	struct acpi_irq_res irq = { 0 };
	unsigned char lvl[sizeof(dsdt)];

	TAP_OK(acpi_aml_find_hid_irq(dsdt, sizeof(dsdt), "ACPI0013", &irq) == 0 &&
	       irq.gsi == 41 && !irq.level && !irq.active_low,
	       "GED _CRS: GSI 41, edge, active high");
	memcpy(lvl, dsdt, sizeof(dsdt));
	lvl[43] = 0x05;                                  /* consumer, level, active low */
	TAP_OK(acpi_aml_find_hid_irq(lvl, sizeof(lvl), "ACPI0013", &irq) == 0 &&
	       irq.level && irq.active_low, "flags: level, active low");
	TAP_OK(acpi_aml_find_hid_irq(dsdt, sizeof(dsdt), "ACPI001", &irq) == -ENOENT,
	       "a _HID prefix is not the _HID");
	TAP_OK(acpi_aml_find_hid_irq(dsdt, sizeof(dsdt), "PNP0C80", &irq) == -ENOENT,
	       "no such device");
	TAP_OK(acpi_aml_find_hid_irq(dsdt, 40, "ACPI0013", &irq) == -ENOENT,
	       "_CRS cut short by the table end: no match");
}

int main(void)
{
	test_opregion();
	test_opregion_io_qword();
	test_hid_irq();
	return TAP_DONE();
}
