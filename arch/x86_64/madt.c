/* The ACPI MADT ("APIC") walk shared by the interrupt setup (irq.c: the
 * IO-APIC and the ISA overrides) and CPU enumeration (smp.c: local APIC
 * and x2APIC entries).
 *
 *   header (36 bytes) | u32 local APIC address | u32 flags | entries ...
 *   entry: u8 type | u8 length | type-specific bytes   (length >= 2)
 *
 * A truncated or zero-length entry ends the walk. */
#include <pagoda/kernel.h>
#include <pagoda/acpi.h>
#include "arch/x86_64/irq.h"

#define MADT_LAPIC_ADDR  36          /* u32 after the header */
#define MADT_ENTRIES     44

int x86_madt_walk(void (*fn)(const u8 *e, void *ctx), void *ctx, phys_addr_t *lapic_pa)
{
	const struct acpi_sdt_header *h;
	const u8 *b;
	u32 v32;

	if (!acpi.map)
		return -ENOENT;
	h = acpi_map_table(&acpi, acpi_find_table(&acpi, "APIC", 0), "APIC");
	b = (const u8 *)h;
	if (!h || h->length < MADT_ENTRIES)
		return -ENOENT;
	memcpy(&v32, b + MADT_LAPIC_ADDR, 4);
	if (lapic_pa)
		*lapic_pa = v32;
	for (u32 off = MADT_ENTRIES; off + 2 <= h->length && b[off + 1] >= 2; off += b[off + 1]) {
		if (off + b[off + 1] > h->length)
			break;
		fn(b + off, ctx);
	}
	return 0;
}
