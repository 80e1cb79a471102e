/* Fuzz harness: the ACPI table parsers (kernel/acpi.c: RSDP, RSDT/XSDT,
 * FADT, DSDT \_S5, table lookup) over a blob that plays physical memory.
 *
 *   input:  [mode][blob ......................................]
 *                  ^ FUZZ_ACPI_BASE: the RSDP; tables anywhere after it
 *   mode bit 0: first repair the checksums along RSDP -> root -> tables ->
 *               FADT -> DSDT (so mutations get past them and reach the
 *               deeper parsers); clear: checksums stay as mutated.
 *
 * Promises checked: every access stays inside the blob (ASan: the blob is
 * an exact-size allocation, map() refuses anything outside it); a table
 * acpi_find_table returns maps and validates with that signature; when
 * acpi_scan succeeds, SLP_TYP is 0..7 and PM1a_CNT is set. */
#include <string.h>
#include <pagoda/acpi.h>
#include "acpi_checksum.h"
#include "fuzz.h"
#include "printk_capture.h"

#define FUZZ_ACPI_BASE 0x3f000000UL      /* keep in sync with dump_acpi.py */
#define REPAIR_MAX_ENTRIES 64

static u8 *blob;
static size_t blob_len;

/* len bytes at pa inside the blob, or NULL (no wrap-around). */
static u8 *blob_at(u64 pa, u64 len)
{
	if (pa < FUZZ_ACPI_BASE || pa - FUZZ_ACPI_BASE > blob_len ||
	    len > blob_len - (pa - FUZZ_ACPI_BASE))
		return NULL;
	return blob + (pa - FUZZ_ACPI_BASE);
}
static const void *fuzz_map(phys_addr_t pa, size_t len) { return blob_at(pa, len); }

static u32 rd32(const u8 *p) { u32 v; memcpy(&v, p, 4); return v; }
static u64 rd64(const u8 *p) { u64 v; memcpy(&v, p, 8); return v; }

/* Fix the checksum of the table at pa if its whole length is in the blob;
 * returns it (or NULL). */
static u8 *fix_table(u64 pa)
{
	u8 *h = blob_at(pa, sizeof(struct acpi_sdt_header));
	u32 len;

	if (!h || (len = rd32(h + 4)) < sizeof(struct acpi_sdt_header) || !blob_at(pa, len))
		return NULL;
	acpi_fix_checksum(h, len, 9);
	return h;
}

/* Root table at pa with w-byte entries: fix it, its tables, FADT -> DSDT. */
static void repair_root(u64 pa, unsigned w)
{
	u8 *r = fix_table(pa);

	if (!r)
		return;
	u32 n = (rd32(r + 4) - 36) / w;
	for (u32 i = 0; i < n && i < REPAIR_MAX_ENTRIES; i++) {
		u64 e = w == 8 ? rd64(r + 36 + 8 * i) : rd32(r + 36 + 4 * i);
		u8 *t = fix_table(e);
		if (t && !memcmp(t, "FACP", 4) && rd32(t + 4) >= FADT_DSDT + 4) {
			fix_table(rd32(t + FADT_DSDT));
			if (rd32(t + 4) >= FADT_X_DSDT + 8)
				fix_table(rd64(t + FADT_X_DSDT));
			fix_table(e);            /* the DSDT may overlap the FADT */
		}
	}
	fix_table(pa);
}

static void repair(void)
{
	u8 *rsdp = blob_at(FUZZ_ACPI_BASE, 20);

	if (!rsdp)
		return;
	repair_root(rd32(rsdp + 16), 4);
	if (rsdp[15] >= 2 && blob_at(FUZZ_ACPI_BASE, 36))
		repair_root(rd64(rsdp + 24), 8);
	acpi_fix_checksum(rsdp, 20, 8);
	if (rsdp[15] >= 2 && blob_at(FUZZ_ACPI_BASE, 36))
		acpi_fix_checksum(rsdp, 36, 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sigs[] = { "APIC", "SRAT", "MCFG", "FACP", "HPET", "GTDT" };
	struct acpi_info ai;
	int rc;

	if (size < 1)
		return 0;
	blob_len = size - 1;
	blob = fuzz_dup(data + 1, blob_len, 0);
	if (data[0] & 1)
		repair();
	printed[0] = '\0';
	rc = acpi_scan(FUZZ_ACPI_BASE, fuzz_map, &ai);
	if (rc == 0)
		FUZZ_ASSERT(ai.slp_typa >= 0 && ai.slp_typa <= 7 && ai.slp_typb >= 0 &&
			    ai.slp_typb <= 7 && ai.pm1a_cnt, "scan ok: SLP_TYP %d/%d PM1a 0x%x",
			    ai.slp_typa, ai.slp_typb, ai.pm1a_cnt);
	if (acpi_init_root(&ai, FUZZ_ACPI_BASE, fuzz_map) == 0) {
		FUZZ_ASSERT(acpi_map_table(&ai, ai.root, ai.xsdt ? "XSDT" : "RSDT"),
			    "root 0x%lx does not validate", (unsigned long)ai.root);
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			for (int inst = 0; inst < 3; inst++) {
				phys_addr_t pa = acpi_find_table(&ai, sigs[i], inst);
				if (!pa)
					break;
				FUZZ_ASSERT(acpi_map_table(&ai, pa, sigs[i]), "%s #%d at 0x%lx invalid",
					    sigs[i], inst, (unsigned long)pa);
			}
	}
	free(blob);
	return 0;
}
