/* ACPI tables, just enough to power off (and, later, find devices).
 *
 *   RSDP --rsdt/xsdt--> RSDT/XSDT --entries--> FACP (FADT) --X_DSDT/DSDT--> DSDT (AML)
 *                                          --> APIC, SRAT, ...             Name(_S5, Package{a, b, ..})
 *
 * Generic code: tables are reached through a map function the caller
 * supplies (the kernel's direct map, or a test buffer), so the parser
 * runs in host unit tests.  Every table's checksum is verified. */
#ifndef PAGODA_ACPI_H
#define PAGODA_ACPI_H
#include <pagoda/types.h>

struct acpi_rsdp {
	char signature[8];          /* "RSD PTR " */
	u8 checksum;                /* over the first 20 bytes */
	char oem_id[6];
	u8 revision;                /* 0: ACPI 1.0 (RSDT only); 2: XSDT too */
	u32 rsdt_address;
	u32 length;                 /* revision >= 2 from here on */
	u64 xsdt_address;
	u8 ext_checksum;            /* over length bytes */
	u8 reserved[3];
} __packed;

struct acpi_sdt_header {
	char signature[4];
	u32 length;                 /* including this header */
	u8 revision;
	u8 checksum;                /* all bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

/* Generic address structure (FADT X_ fields). */
struct acpi_gas {
	u8 space_id;                /* ACPI_GAS_MEMORY, ACPI_GAS_IO */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __packed;
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO     1

/* FADT byte offsets used here (ACPI 6.x table 5.9). */
#define FADT_DSDT            40    /* u32 */
#define FADT_PM1A_CNT_BLK    64    /* u32 I/O port */
#define FADT_PM1B_CNT_BLK    68    /* u32 I/O port */
#define FADT_X_DSDT         140    /* u64 */
#define FADT_X_PM1A_CNT_BLK 172    /* struct acpi_gas */
#define FADT_X_PM1B_CNT_BLK 184    /* struct acpi_gas */

/* PM1 control register: SLP_TYP in bits 10..12, SLP_EN bit 13. */
#define ACPI_SLP_TYP_SHIFT 10
#define ACPI_SLP_TYP_MASK  (7 << ACPI_SLP_TYP_SHIFT)
#define ACPI_SLP_EN        (1 << 13)

/* Return a pointer to len bytes at physical pa, or NULL if unreachable. */
typedef const void *(*acpi_map_fn)(phys_addr_t pa, size_t len);

/* What acpi_scan() found; a zero/-1 field was not found. */
struct acpi_info {
	acpi_map_fn map;
	phys_addr_t rsdp;
	phys_addr_t root;           /* XSDT if usable, else RSDT */
	bool xsdt;
	phys_addr_t fadt;
	phys_addr_t dsdt;
	u32 pm1a_cnt;               /* I/O port of PM1a_CNT, 0 if none */
	u32 pm1b_cnt;
	int slp_typa;               /* \_S5 SLP_TYPa, -1 if not found */
	int slp_typb;
};

/* The kernel's instance, filled by the arch (arch_late_init). */
extern struct acpi_info acpi;

/* Validate the RSDP at rsdp_pa and pick the root table: the XSDT when
 * revision >= 2 and it is valid, else the RSDT.  Resets *ai and fills map,
 * rsdp, root and xsdt; prints nothing.  0, -EINVAL (no valid RSDP) or
 * -ENOENT (no valid RSDT/XSDT). */
int acpi_init_root(struct acpi_info *ai, phys_addr_t rsdp_pa, acpi_map_fn map);
/* True if the len bytes at p sum to 0 (mod 256). */
bool acpi_checksum_ok(const void *p, size_t len);
/* Map and validate the table at pa (header, length, checksum, and
 * signature sig unless NULL); NULL if any check fails. */
const struct acpi_sdt_header *acpi_map_table(const struct acpi_info *ai,
					     phys_addr_t pa, const char *sig);
/* Physical address of the instance-th (0-based) valid table with signature
 * sig listed by the root table, or 0. */
phys_addr_t acpi_find_table(const struct acpi_info *ai, const char *sig, int instance);
/* Parse \_S5 from AML: Name(_S5, Package(n) {SLP_TYPa, SLP_TYPb, ...}).
 * 0 with *typa and *typb set (typb = 0 when absent), -ENOENT if there is no
 * _S5 name, -EINVAL if the package is malformed or truncated. */
int acpi_aml_find_s5(const u8 *aml, size_t len, u8 *typa, u8 *typb);
/* Find RSDP -> root -> FADT -> PM1 control and DSDT -> \_S5, printing the
 * tables as Linux does ("ACPI: FACP 0x... ").  Returns 0 when everything
 * poweroff needs was found, else -ENOENT/-EINVAL after printing why. */
int acpi_scan(phys_addr_t rsdp, acpi_map_fn map, struct acpi_info *ai);

/* kernel/acpi_aml.c: device registers and interrupts that only the DSDT
 * describes, found by a byte scan of its AML (no interpreter). */
struct acpi_opregion {
	u8 space;                   /* ACPI_GAS_MEMORY, ACPI_GAS_IO, ... */
	u64 offset;                 /* base address */
	u64 length;
};
/* The first OperationRegion whose NameString ends in the 4-char name and
 * whose offset and length are integer constants: 0 with *r filled, or
 * -ENOENT. */
int acpi_aml_find_opregion(const u8 *aml, size_t len, const char *name,
			   struct acpi_opregion *r);
struct acpi_irq_res {
	u32 gsi;
	bool level;                 /* else edge */
	bool active_low;
};
/* The first interrupt of the Extended Interrupt descriptor in the constant
 * Name(_CRS, Buffer) that follows Name(_HID, "hid") (a string _HID, e.g.
 * "ACPI0013"): 0 with *irq filled, or -ENOENT. */
int acpi_aml_find_hid_irq(const u8 *aml, size_t len, const char *hid,
			  struct acpi_irq_res *irq);
#endif
