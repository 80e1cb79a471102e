/* Host test of kernel/acpi.c: synthetic RSDP/XSDT/RSDT/FADT/DSDT tables
 * in a buffer that plays physical memory, and \_S5 packages in AML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <pagoda/printk.h>
#include <pagoda/acpi.h>
#include "acpi_checksum.h"
#include "tap.h"
#include "printk_capture.h"

#define PHYS_BASE 0x3f000000UL
#define PHYS_SIZE 0x4000UL
#define RSDP_PA   (PHYS_BASE + 0x0)
#define XSDT_PA   (PHYS_BASE + 0x100)
#define RSDT_PA   (PHYS_BASE + 0x200)
#define FADT_PA   (PHYS_BASE + 0x300)
#define APIC_PA   (PHYS_BASE + 0x500)
#define DSDT_PA   (PHYS_BASE + 0x1000)

static u8 phys[PHYS_SIZE];

/* The fake physical memory: [PHYS_BASE, PHYS_BASE + PHYS_SIZE). */
static const void *test_map(phys_addr_t pa, size_t len)
{
	if (pa < PHYS_BASE || pa + len > PHYS_BASE + PHYS_SIZE)
		return NULL;
	return phys + (pa - PHYS_BASE);
}

static u8 *at(phys_addr_t pa) { return phys + (pa - PHYS_BASE); }

static void put_sdt(phys_addr_t pa, const char *sig, u32 len)
{
	struct acpi_sdt_header h = { .length = len, .revision = 1 };
	memcpy(h.signature, sig, 4);
	memcpy(h.oem_id, "PAGODA", 6);
	memcpy(h.oem_table_id, "TESTTBL ", 8);
	memcpy(at(pa), &h, sizeof(h));
}
static void seal(phys_addr_t pa)
{
	u32 len;
	memcpy(&len, at(pa) + 4, 4);
	acpi_fix_checksum(at(pa), len, 9);
}

/* A QEMU-like set: RSDP v2 -> XSDT {APIC, FACP} and RSDT {FACP}; FADT with
 * PM1a_CNT_BLK 0x604 (legacy and X_), X_DSDT; the DSDT carries aml. */
static void build(const u8 *aml, size_t aml_len)
{
	memset(phys, 0, sizeof(phys));
	struct acpi_rsdp r = { .revision = 2, .rsdt_address = RSDT_PA,
			       .length = sizeof(r), .xsdt_address = XSDT_PA };
	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(r.oem_id, "PAGODA", 6);
	memcpy(at(RSDP_PA), &r, sizeof(r));
	acpi_fix_checksum(at(RSDP_PA), 20, 8);
	acpi_fix_checksum(at(RSDP_PA), sizeof(r), 32);

	put_sdt(XSDT_PA, "XSDT", 36 + 16);
	u64 x[2] = { APIC_PA, FADT_PA };
	memcpy(at(XSDT_PA) + 36, x, 16);
	seal(XSDT_PA);
	put_sdt(RSDT_PA, "RSDT", 36 + 4);
	u32 r32 = FADT_PA;
	memcpy(at(RSDT_PA) + 36, &r32, 4);
	seal(RSDT_PA);
	put_sdt(APIC_PA, "APIC", 44);
	seal(APIC_PA);

	put_sdt(FADT_PA, "FACP", 244);
	u32 port = 0x604, dsdt32 = DSDT_PA;
	memcpy(at(FADT_PA) + FADT_PM1A_CNT_BLK, &port, 4);
	memcpy(at(FADT_PA) + FADT_DSDT, &dsdt32, 4);
	u64 dsdt64 = DSDT_PA;
	memcpy(at(FADT_PA) + FADT_X_DSDT, &dsdt64, 8);
	struct acpi_gas g = { ACPI_GAS_IO, 16, 0, 2, 0x604 };
	memcpy(at(FADT_PA) + FADT_X_PM1A_CNT_BLK, &g, sizeof(g));
	seal(FADT_PA);

	put_sdt(DSDT_PA, "DSDT", 36 + aml_len);
	memcpy(at(DSDT_PA) + 36, aml, aml_len);
	seal(DSDT_PA);
}

static int scan(struct acpi_info *ai)
{
	printed[0] = '\0';
	return acpi_scan(RSDP_PA, test_map, ai);
}

/* QEMU's: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }) */
static const u8 aml_qemu[] = { 0x10, 0x05, 0x5c, 0x00, 0x08,    /* junk before */
	0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };

static void test_scan(void)
{
	struct acpi_info ai;

	build(aml_qemu, sizeof(aml_qemu));
	TAP_OK(scan(&ai) == 0 && ai.xsdt && ai.root == XSDT_PA && ai.fadt == FADT_PA &&
	       ai.dsdt == DSDT_PA && ai.pm1a_cnt == 0x604 && ai.slp_typa == 0,
	       "scan: XSDT -> FADT -> PM1a_CNT 0x604, DSDT, SLP_TYPa 0");
	TAP_OK(strstr(printed, "ACPI: PM1a_CNT 0x604 SLP_TYPa 0\n") &&
	       strstr(printed, "ACPI: FACP 0x000000003f000300 0000f4 (v01 PAGODA TESTTBL "),
	       "scan: Linux-style table lines");
	TAP_OK(acpi_find_table(&ai, "APIC", 0) == APIC_PA &&
	       acpi_find_table(&ai, "APIC", 1) == 0 && acpi_find_table(&ai, "SRAT", 0) == 0,
	       "find_table: by signature and instance");

	build(aml_qemu, sizeof(aml_qemu));
	at(XSDT_PA)[40] ^= 1;                               /* XSDT checksum broken */
	TAP_OK(scan(&ai) == 0 && !ai.xsdt && ai.root == RSDT_PA && ai.pm1a_cnt == 0x604,
	       "scan: bad XSDT falls back to the RSDT");

	build(aml_qemu, sizeof(aml_qemu));
	at(FADT_PA)[100] ^= 1;                              /* FADT checksum broken */
	TAP_OK(scan(&ai) == -ENOENT && strstr(printed, "no usable FADT"),
	       "scan: bad FADT checksum refused");

	build(aml_qemu, sizeof(aml_qemu));
	memset(at(FADT_PA) + FADT_X_PM1A_CNT_BLK, 0, 12);
	u32 port = 0xb004;
	memcpy(at(FADT_PA) + FADT_PM1A_CNT_BLK, &port, 4);
	seal(FADT_PA);
	TAP_OK(scan(&ai) == 0 && ai.pm1a_cnt == 0xb004, "scan: legacy PM1a_CNT_BLK without X_");

	build(aml_qemu, sizeof(aml_qemu));
	at(RSDP_PA)[0] = 'X';
	TAP_OK(scan(&ai) == -EINVAL && strstr(printed, "no valid RSDP"), "scan: bad RSDP");
	printed[0] = '\0';
	TAP_OK(acpi_scan(0, test_map, &ai) == -ENOENT && ai.slp_typa == -1, "scan: no RSDP");

	static const u8 aml_none[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x03, 0x01, 0x0a, 0x02 };
	build(aml_none, sizeof(aml_none));
	TAP_OK(scan(&ai) == -ENOENT && strstr(printed, "no \\_S5"), "scan: no \\_S5 in the DSDT");
}

/* acpi_init_root + acpi_find_table alone, as arm64's pre-MMU fwprobe.c
 * uses them: silent, checksums enforced, XSDT preferred. */
static void test_init_root(void)
{
	struct acpi_info ai;

	build(aml_qemu, sizeof(aml_qemu));
	printed[0] = '\0';
	TAP_OK(acpi_init_root(&ai, RSDP_PA, test_map) == 0 && ai.xsdt && ai.root == XSDT_PA &&
	       ai.rsdp == RSDP_PA && ai.slp_typa == -1 && printed[0] == '\0',
	       "init_root: XSDT chosen, nothing printed");
	TAP_OK(acpi_find_table(&ai, "FACP", 0) == FADT_PA &&
	       acpi_map_table(&ai, APIC_PA, "APIC") != NULL &&
	       acpi_map_table(&ai, APIC_PA, "FACP") == NULL,
	       "init_root: tables found and typed without acpi_scan");
	at(APIC_PA)[40] ^= 1;                               /* APIC checksum broken */
	TAP_OK(acpi_find_table(&ai, "APIC", 0) == 0, "init_root: bad table checksum refused");

	build(aml_qemu, sizeof(aml_qemu));
	at(RSDP_PA)[9] ^= 1;                                /* first checksum broken */
	TAP_OK(acpi_init_root(&ai, RSDP_PA, test_map) == -EINVAL &&
	       acpi_init_root(&ai, 0, test_map) == -EINVAL, "init_root: bad or no RSDP");

	build(aml_qemu, sizeof(aml_qemu));
	at(XSDT_PA)[0] = 'Y';
	at(RSDT_PA)[0] = 'Y';
	TAP_OK(acpi_init_root(&ai, RSDP_PA, test_map) == -ENOENT && printed[0] == '\0',
	       "init_root: no valid root table");
}

static int s5(const u8 *aml, size_t len, u8 *a, u8 *b)
{
	/* exact-size heap copy so that ASan sees any overread */
	u8 *copy = malloc(len);
	memcpy(copy, aml, len);
	int rc = acpi_aml_find_s5(copy, len, a, b);
	free(copy);
	return rc;
}

static void test_aml(void)
{
	u8 a = 9, b = 9;
	static const u8 bytes[] = { 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
				    0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00 };
	TAP_OK(s5(bytes, sizeof(bytes), &a, &b) == 0 && a == 5 && b == 7,
	       "aml: \\_S5_ root prefix, BytePrefix elements");

	static const u8 ref_first[] = { 0xa4, '_', 'S', '5', '_',        /* Return(_S5_) */
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x01, 0x0a, 0x03 };
	TAP_OK(s5(ref_first, sizeof(ref_first), &a, &b) == 0 && a == 1 && b == 3,
	       "aml: a reference before the definition is not taken for it");

	static const u8 two_byte_len[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x45, 0x00, 0x01,
					   0x0a, 0x06 };  /* PkgLength 5|0x00<<4 = 5 */
	TAP_OK(s5(two_byte_len, sizeof(two_byte_len), &a, &b) == 0 && a == 6 && b == 0,
	       "aml: 2-byte PkgLength, one element (SLP_TYPb 0)");

	static const u8 truncated[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a };
	TAP_OK(s5(truncated, sizeof(truncated), &a, &b) == -EINVAL, "aml: truncated package");

	static const u8 past[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x30, 0x04, 0x00, 0x00 };
	TAP_OK(s5(past, sizeof(past), &a, &b) == -EINVAL, "aml: PkgLength past the table");

	static const u8 not_pkg[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05 };
	TAP_OK(s5(not_pkg, sizeof(not_pkg), &a, &b) == -EINVAL, "aml: _S5 that is not a package");

	static const u8 big[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x09, 0x00 };
	TAP_OK(s5(big, sizeof(big), &a, &b) == -EINVAL, "aml: SLP_TYP > 7 refused");

	static const u8 tail[] = { 0x00, 0x08, '_', 'S', '5' };
	TAP_OK(s5(tail, sizeof(tail), &a, &b) == -ENOENT, "aml: name cut at the end");

	unsigned seed = 7;
	int ok = 0;
	for (int it = 0; it < 2000; it++) {
		u8 m[sizeof(bytes)];
		memcpy(m, bytes, sizeof(m));
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245 + 12345;
			m[(seed >> 8) % sizeof(m)] = seed >> 24;
		}
		int rc = s5(m, (seed >> 4) % (sizeof(m) + 1), &a, &b);
		ok += rc == 0 ? (a <= 7 && b <= 7) : (rc == -EINVAL || rc == -ENOENT);
	}
	TAP_OK(ok == 2000, "aml: 2000 corrupted packages, no crash, results in range");
}

int main(void)
{
	test_scan();
	test_init_root();
	test_aml();
	return TAP_DONE();
}
