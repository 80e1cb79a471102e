#define _GNU_SOURCE             /* memmem */
/* Fuzz harness: the AML byte scans (kernel/acpi_aml.c: OperationRegion and
 * _HID/_CRS interrupt; kernel/acpi.c: \_S5 package) over a DSDT body.
 *
 *   input: AML bytes, handed over in an exact-size allocation
 *
 * Promises checked: no access outside the AML (ASan); a found
 * OperationRegion's name is really in the table; \_S5 values are 0..7. */
#include <string.h>
#include <pagoda/acpi.h>
#include "fuzz.h"

/* kernel/acpi.c prints (unused by these calls) */
int printk(const char *fmt, ...) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const regions[] = { "HPMR", "PCST", "GPE0", "PRST", "MHPR" };
	static const char *const hids[] = { "ACPI0013", "PNP0C80", "ACPI0004" };
	u8 *aml = fuzz_dup(data, size, 0);
	struct acpi_opregion r;
	struct acpi_irq_res irq;
	u8 a, b;

	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (acpi_aml_find_opregion(aml, size, regions[i], &r) == 0)
			FUZZ_ASSERT(memmem(aml, size, regions[i], 4), "region %s found but not in AML",
				    regions[i]);
	for (size_t i = 0; i < sizeof(hids) / sizeof(hids[0]); i++)
		if (acpi_aml_find_hid_irq(aml, size, hids[i], &irq) == 0)
			FUZZ_ASSERT(memmem(aml, size, hids[i], strlen(hids[i])),
				    "_HID %s found but not in AML", hids[i]);
	if (acpi_aml_find_s5(aml, size, &a, &b) == 0)
		FUZZ_ASSERT(a <= 7 && b <= 7, "_S5 %u %u", a, b);
	free(aml);
	return 0;
}
