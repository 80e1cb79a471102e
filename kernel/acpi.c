/* ACPI table discovery and the \_S5 sleep type (see include/pagoda/acpi.h).
 *
 *   RSDP (20 or 36 bytes, two checksums)
 *     xsdt_address (rev >= 2, nonzero) or rsdt_address
 *       -> root: header + u64 (XSDT) or u32 (RSDT) table addresses
 *            -> "FACP": PM1a/PM1b control blocks (X_ GAS if I/O, else legacy),
 *                       X_DSDT or DSDT -> AML scanned for Name(_S5, Package)
 *
 * Every table is mapped through ai->map and checked (length >= header,
 * checksum) before a byte of it is believed.  acpi_init_root, acpi_map_table
 * and acpi_find_table print nothing and use no pointer tables: arm64's
 * fwprobe.c calls them before its MMU switch with an identity map.  Table addresses in the XSDT
 * are only 4-byte aligned, so entries are read with memcpy. */
#include <pagoda/kernel.h>
#include <pagoda/acpi.h>

#define ACPI_TABLE_MAX_LEN (16U << 20)    /* sanity bound on a table length */
#define AML_NAME_OP     0x08
#define AML_ROOT_PREFIX 0x5c              /* '\' */
#define AML_PACKAGE_OP  0x12
#define AML_ZERO_OP     0x00
#define AML_ONE_OP      0x01
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c

struct acpi_info acpi;

bool acpi_checksum_ok(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

const struct acpi_sdt_header *acpi_map_table(const struct acpi_info *ai,
					     phys_addr_t pa, const char *sig)
{
	if (!pa)
		return NULL;
	const struct acpi_sdt_header *h = ai->map(pa, sizeof(*h));
	if (!h || h->length < sizeof(*h) || h->length > ACPI_TABLE_MAX_LEN)
		return NULL;
	if (sig && memcmp(h->signature, sig, 4))
		return NULL;
	h = ai->map(pa, h->length);
	if (!h || !acpi_checksum_ok(h, h->length))
		return NULL;
	return h;
}

/* Number of table addresses the root table lists. */
static size_t acpi_root_count(const struct acpi_info *ai, const struct acpi_sdt_header *root)
{
	return (root->length - sizeof(*root)) / (ai->xsdt ? 8 : 4);
}

/* The idx-th table address listed by the root table (idx < count). */
static phys_addr_t acpi_root_entry(const struct acpi_info *ai,
				   const struct acpi_sdt_header *root, size_t idx)
{
	const u8 *e = (const u8 *)(root + 1);
	u64 v64;
	u32 v32;

	if (ai->xsdt) {
		memcpy(&v64, e + idx * 8, 8);
		return v64;
	}
	memcpy(&v32, e + idx * 4, 4);
	return v32;
}

phys_addr_t acpi_find_table(const struct acpi_info *ai, const char *sig, int instance)
{
	const struct acpi_sdt_header *root = acpi_map_table(ai, ai->root, NULL);

	if (!root)
		return 0;
	for (size_t i = 0; i < acpi_root_count(ai, root); i++) {
		phys_addr_t pa = acpi_root_entry(ai, root, i);
		if (acpi_map_table(ai, pa, sig) && instance-- == 0)
			return pa;
	}
	return 0;
}

/* Read one AML integer constant at aml[*pos] into *val (advancing *pos):
 * ZeroOp, OneOp, BytePrefix, WordPrefix or DWordPrefix.  -EINVAL else. */
static int aml_read_integer(const u8 *aml, size_t len, size_t *pos, u32 *val)
{
	size_t p = *pos, n;

	if (p >= len)
		return -EINVAL;
	switch (aml[p]) {
	case AML_ZERO_OP:      *val = 0; *pos = p + 1; return 0;
	case AML_ONE_OP:       *val = 1; *pos = p + 1; return 0;
	case AML_BYTE_PREFIX:  n = 1; break;
	case AML_WORD_PREFIX:  n = 2; break;
	case AML_DWORD_PREFIX: n = 4; break;
	default:               return -EINVAL;
	}
	if (p + 1 + n > len)
		return -EINVAL;
	*val = 0;
	for (size_t i = 0; i < n; i++)
		*val |= (u32)aml[p + 1 + i] << (8 * i);
	*pos = p + 1 + n;
	return 0;
}

/* Parse "PackageOp PkgLength NumElements a [b]" at aml[pos]. */
static int aml_parse_s5_package(const u8 *aml, size_t len, size_t pos,
				u8 *typa, u8 *typb)
{
	if (pos >= len || aml[pos] != AML_PACKAGE_OP)
		return -EINVAL;
	pos++;
	if (pos >= len)
		return -EINVAL;
	size_t follow = aml[pos] >> 6;                 /* PkgLength extra bytes */
	size_t pkg_end = pos;
	u32 pkg_len = follow ? aml[pos] & 0x0f : aml[pos] & 0x3f;
	for (size_t i = 1; i <= follow; i++) {
		if (pos + i >= len)
			return -EINVAL;
		pkg_len |= (u32)aml[pos + i] << (4 + 8 * (i - 1));
	}
	pkg_end += pkg_len;                            /* PkgLength counts itself */
	if (pkg_end > len)
		return -EINVAL;
	pos += 1 + follow;
	if (pos >= pkg_end || aml[pos] < 1)            /* NumElements */
		return -EINVAL;
	u8 nelem = aml[pos++];
	u32 a, b = 0;
	if (aml_read_integer(aml, pkg_end, &pos, &a) || a > 7)
		return -EINVAL;
	if (nelem >= 2 && (aml_read_integer(aml, pkg_end, &pos, &b) || b > 7))
		return -EINVAL;
	*typa = a;
	*typb = b;
	return 0;
}

int acpi_aml_find_s5(const u8 *aml, size_t len, u8 *typa, u8 *typb)
{
	int rc = -ENOENT;

	for (size_t i = 1; i + 4 <= len; i++) {
		if (memcmp(aml + i, "_S5_", 4))
			continue;
		bool named = aml[i - 1] == AML_NAME_OP ||
			     (i >= 2 && aml[i - 1] == AML_ROOT_PREFIX &&
			      aml[i - 2] == AML_NAME_OP);
		if (!named)
			continue;                              /* a reference, not the definition */
		rc = aml_parse_s5_package(aml, len, i + 4, typa, typb);
		if (rc == 0)
			return 0;
	}
	return rc;
}

int acpi_init_root(struct acpi_info *ai, phys_addr_t rsdp_pa, acpi_map_fn map)
{
	const struct acpi_rsdp *rsdp = rsdp_pa ? map(rsdp_pa, 20) : NULL, *v2 = NULL;

	*ai = (struct acpi_info){ .map = map, .slp_typa = -1, .slp_typb = -1 };
	if (!rsdp || memcmp(rsdp->signature, "RSD PTR ", 8) || !acpi_checksum_ok(rsdp, 20))
		return -EINVAL;
	ai->rsdp = rsdp_pa;
	if (rsdp->revision >= 2)
		v2 = map(rsdp_pa, sizeof(*v2));
	if (v2 && v2->length >= sizeof(*v2) && acpi_checksum_ok(v2, sizeof(*v2)) &&
	    acpi_map_table(ai, v2->xsdt_address, "XSDT")) {
		ai->root = v2->xsdt_address;
		ai->xsdt = true;
	} else if (acpi_map_table(ai, rsdp->rsdt_address, "RSDT")) {
		ai->root = rsdp->rsdt_address;
	} else {
		return -ENOENT;
	}
	return 0;
}

/* acpi_init_root, explaining a failure; then the RSDP line as Linux has it. */
static int acpi_scan_rsdp(struct acpi_info *ai, phys_addr_t rsdp_pa, acpi_map_fn map)
{
	int rc = acpi_init_root(ai, rsdp_pa, map);

	if (rc == -EINVAL) {
		printk("ACPI: no valid RSDP at 0x%lx\n", (unsigned long)rsdp_pa);
		return rc;
	}
	if (rc) {
		printk("ACPI: RSDP at 0x%lx points to no valid RSDT/XSDT\n",
		       (unsigned long)rsdp_pa);
		return rc;
	}
	const struct acpi_rsdp *rsdp = map(rsdp_pa, 20);
	const struct acpi_rsdp *v2 = rsdp->revision >= 2 ? map(rsdp_pa, sizeof(*v2)) : NULL;
	printk("ACPI: RSDP 0x%016lx %06x (v%02u %.6s)\n", (unsigned long)rsdp_pa,
	       v2 ? v2->length : 20, rsdp->revision, rsdp->oem_id);
	return 0;
}

/* One Linux-style line for the table at pa. */
static void acpi_print_table(const struct acpi_info *ai, phys_addr_t pa)
{
	const struct acpi_sdt_header *h = acpi_map_table(ai, pa, NULL);

	if (!h) {
		printk("ACPI: table at 0x%016lx is invalid (bad length or checksum)\n",
		       (unsigned long)pa);
		return;
	}
	printk("ACPI: %.4s 0x%016lx %06x (v%02u %.6s %.8s %08x)\n", h->signature,
	       (unsigned long)pa, h->length, h->revision, h->oem_id, h->oem_table_id,
	       h->oem_revision);
}

/* FADT -> PM1 control ports and the DSDT address. */
static void acpi_scan_fadt(struct acpi_info *ai, const struct acpi_sdt_header *f)
{
	const u8 *b = (const u8 *)f;
	u32 u;
	u64 x;
	struct acpi_gas gas;

	memcpy(&u, b + FADT_PM1A_CNT_BLK, 4);
	ai->pm1a_cnt = u;
	memcpy(&u, b + FADT_PM1B_CNT_BLK, 4);
	ai->pm1b_cnt = u;
	memcpy(&u, b + FADT_DSDT, 4);
	ai->dsdt = u;
	if (f->length >= FADT_X_DSDT + 8) {
		memcpy(&x, b + FADT_X_DSDT, 8);
		if (x)
			ai->dsdt = x;
	}
	if (f->length >= FADT_X_PM1A_CNT_BLK + sizeof(gas)) {
		memcpy(&gas, b + FADT_X_PM1A_CNT_BLK, sizeof(gas));
		if (gas.address && gas.space_id == ACPI_GAS_IO && gas.address <= 0xffff)
			ai->pm1a_cnt = gas.address;
	}
	if (f->length >= FADT_X_PM1B_CNT_BLK + sizeof(gas)) {
		memcpy(&gas, b + FADT_X_PM1B_CNT_BLK, sizeof(gas));
		if (gas.address && gas.space_id == ACPI_GAS_IO && gas.address <= 0xffff)
			ai->pm1b_cnt = gas.address;
	}
}

int acpi_scan(phys_addr_t rsdp_pa, acpi_map_fn map, struct acpi_info *ai)
{
	if (!rsdp_pa) {
		*ai = (struct acpi_info){ .map = map, .slp_typa = -1, .slp_typb = -1 };
		printk("ACPI: no RSDP from the boot loader\n");
		return -ENOENT;
	}
	if (acpi_scan_rsdp(ai, rsdp_pa, map))
		return -EINVAL;
	acpi_print_table(ai, ai->root);
	const struct acpi_sdt_header *root = acpi_map_table(ai, ai->root, NULL);
	for (size_t i = 0; i < acpi_root_count(ai, root); i++)
		acpi_print_table(ai, acpi_root_entry(ai, root, i));

	ai->fadt = acpi_find_table(ai, "FACP", 0);
	const struct acpi_sdt_header *fadt = acpi_map_table(ai, ai->fadt, "FACP");
	if (!fadt || fadt->length < FADT_PM1B_CNT_BLK + 4) {
		printk("ACPI: no usable FADT (FACP)\n");
		return -ENOENT;
	}
	acpi_scan_fadt(ai, fadt);
	const struct acpi_sdt_header *dsdt = acpi_map_table(ai, ai->dsdt, "DSDT");
	if (!dsdt) {
		printk("ACPI: no valid DSDT at 0x%lx\n", (unsigned long)ai->dsdt);
		return -ENOENT;
	}
	acpi_print_table(ai, ai->dsdt);
	u8 a, b;
	int rc = acpi_aml_find_s5((const u8 *)(dsdt + 1), dsdt->length - sizeof(*dsdt), &a, &b);
	if (rc) {
		printk("ACPI: %s \\_S5 in the DSDT\n", rc == -ENOENT ? "no" : "malformed");
		return rc;
	}
	ai->slp_typa = a;
	ai->slp_typb = b;
	if (!ai->pm1a_cnt) {
		printk("ACPI: FADT has no PM1a control block\n");
		return -ENOENT;
	}
	printk("ACPI: PM1a_CNT 0x%x SLP_TYPa %d\n", ai->pm1a_cnt, ai->slp_typa);
	return 0;
}
