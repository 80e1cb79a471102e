/* Find the console UART and the PSCI conduit in what the firmware gave us.
 *
 *   DTB (UEFI config table)          ACPI (RSDP -> XSDT)
 *   node compatible "arm,pl011"      SPCR: base address (GAS @ 40)
 *     reg = <hi lo ...>
 *   node compatible "arm,psci*"      FADT: ARM boot flags @ 129
 *     method = "hvc" | "smc"           bit 0 PSCI compliant, bit 1 use HVC
 *   node compatible "arm,gic-v3",    MADT (APIC): GICD entry (base, version),
 *     "arm,cortex-a15-gic", ...        GICC (GICv2 CPU interface base),
 *     reg = <dist> <cpuif | redist>    GICR (redistributor range)
 *   node compatible "arm,armv8-timer" GTDT: virtual timer GSIV @ 64
 *     interrupts: 3rd <type num flags> = virtual timer PPI (16 + num)
 *   nodes device_type "cpu"          MADT: GICC entries with flags bit 0
 *     reg = <mpidr> (1 or 2 cells)     (enabled): MPIDR @ 68
 *                                    DSDT: GED and memory hotplug
 *                                      (fwprobe_ged.c)
 *
 * QEMU virt with AAVMF gives ACPI only; other firmware may give a DTB.
 * Without either: PL011 at 0x09000000, PSCI over HVC and a GICv2 at
 * 0x08000000/0x08010000 (QEMU virt).
 * Runs before the kernel's page tables (firmware identity map, load
 * address): plain loops, no pointer tables, results are plain values.
 * The ACPI tables are found and checksummed by the generic kernel/acpi.c
 * (acpi_init_root, acpi_find_table), mapped by the identity. */
#include <pagoda/acpi.h>
#include "arm64.h"

static u32 be32(const void *p)
{
	const u8 *b = p;
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}
static u64 le_read(const void *p, int n)
{
	const u8 *b = p;
	u64 v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}
static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}
static bool str_prefix(const char *s, const char *pre)
{
	while (*pre && *s == *pre)
		s++, pre++;
	return !*pre;
}
/* Does the FDT string list [v, v+len) hold an entry starting with want
 * (whole entry when exact)? */
static bool fdt_strlist_has(const char *v, u32 len, const char *want, bool exact)
{
	for (u32 i = 0; i < len; ) {
		const char *s = v + i;
		if (exact ? str_eq(s, want) : str_prefix(s, want))
			return true;
		while (i < len && v[i])
			i++;
		i++;
	}
	return false;
}

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

u64 fdt_total_size(const void *dtb)
{
	if (!dtb || be32(dtb) != FDT_MAGIC)
		return 0;
	return be32((const u8 *)dtb + 4);
}

/* Per-node facts gathered from its properties. */
struct fdt_node_state {
	bool pl011, psci, timer;
	bool cpu, cpu_reg_ok, disabled;
	u64 cpu_reg;
	int gic;
	u64 reg, reg1, reg1_size;
	int method;
	u32 vtimer_ppi;
};

/* One more enabled CPU the firmware lists (past ARM64_MAX_CPUS: counted only). */
static void fw_add_cpu(u64 mpidr, int src)
{
	arm64_boot.cpu_src = src;
	if (arm64_boot.nr_cpus < ARM64_MAX_CPUS)
		arm64_boot.cpu_mpidr[arm64_boot.nr_cpus++] = mpidr & MPIDR_HWID_MASK;
	arm64_boot.cpus_listed++;
}

/* Apply a finished node's facts to arm64_boot (first PL011, first PSCI). */
static void fdt_node_done(struct fdt_node_state *n)
{
	if (n->cpu && n->cpu_reg_ok && !n->disabled && arm64_boot.cpu_src != FW_SRC_ACPI)
		fw_add_cpu(n->cpu_reg, FW_SRC_DTB);
	if (n->pl011 && n->reg && arm64_boot.uart_src == FW_SRC_DEFAULT) {
		arm64_boot.uart_pa = n->reg;
		arm64_boot.uart_src = FW_SRC_DTB;
	}
	if (n->psci && n->method && arm64_boot.psci_src == FW_SRC_DEFAULT) {
		arm64_boot.psci_conduit = n->method;
		arm64_boot.psci_src = FW_SRC_DTB;
	}
	if (n->gic && n->reg && n->reg1 && arm64_boot.gic_src == FW_SRC_DEFAULT) {
		arm64_boot.gic_version = n->gic;
		arm64_boot.gicd_pa = n->reg;
		if (n->gic == 2) {
			arm64_boot.gicc_pa = n->reg1;
		} else {
			arm64_boot.gicr_pa = n->reg1;
			arm64_boot.gicr_size = n->reg1_size;
		}
		arm64_boot.gic_src = FW_SRC_DTB;
	}
	if (n->timer && n->vtimer_ppi && arm64_boot.vtimer_src == FW_SRC_DEFAULT) {
		arm64_boot.vtimer_intid = n->vtimer_ppi;
		arm64_boot.vtimer_src = FW_SRC_DTB;
	}
	*n = (struct fdt_node_state){ 0 };
}

/* One property of the current node (QEMU's root has #address-cells = 2). */
static void fdt_prop(struct fdt_node_state *n, const char *name,
		     const char *v, u32 len)
{
	if (str_eq(name, "compatible")) {
		n->pl011 |= fdt_strlist_has(v, len, "arm,pl011", true);
		n->psci |= fdt_strlist_has(v, len, "arm,psci", false);
		if (fdt_strlist_has(v, len, "arm,gic-v3", true))
			n->gic = 3;
		else if (fdt_strlist_has(v, len, "arm,cortex-a15-gic", true) ||
			 fdt_strlist_has(v, len, "arm,gic-400", true))
			n->gic = 2;
		n->timer |= fdt_strlist_has(v, len, "arm,armv8-timer", true);
	} else if (str_eq(name, "interrupts") && len >= 36) {
		n->vtimer_ppi = 16 + be32(v + 28);    /* 3rd specifier's number */
	} else if (str_eq(name, "reg") && len == 4) {
		n->cpu_reg = be32(v);         /* a cpu node, #address-cells = 1 */
		n->cpu_reg_ok = true;
	} else if (str_eq(name, "reg") && len >= 8) {
		n->reg = (u64)be32(v) << 32 | be32(v + 4);
		n->cpu_reg = n->reg;          /* a cpu node, #address-cells = 2 */
		n->cpu_reg_ok = len == 8;
		if (len >= 32) {          /* second <addr size>: GICC or GICR */
			n->reg1 = (u64)be32(v + 16) << 32 | be32(v + 20);
			n->reg1_size = (u64)be32(v + 24) << 32 | be32(v + 28);
		}
	} else if (str_eq(name, "device_type")) {
		n->cpu = fdt_strlist_has(v, len, "cpu", true);
	} else if (str_eq(name, "status")) {
		n->disabled = !fdt_strlist_has(v, len, "okay", true) &&
			      !fdt_strlist_has(v, len, "ok", true);
	} else if (str_eq(name, "method")) {
		if (str_eq(v, "hvc"))
			n->method = PSCI_CONDUIT_HVC;
		else if (str_eq(v, "smc"))
			n->method = PSCI_CONDUIT_SMC;
	}
}

/* Walk the structure block once, node by node. */
static void fdt_probe(const u8 *fdt)
{
	const u8 *p = fdt + be32(fdt + 8), *end = p + be32(fdt + 36);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	struct fdt_node_state n = { 0 };

	while (p + 4 <= end) {
		u32 tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE || tok == FDT_END_NODE) {
			fdt_node_done(&n);
			if (tok == FDT_BEGIN_NODE) {
				while (*p)
					p++;
				p = fdt + ALIGN_UP((u64)(p + 1 - fdt), 4);
			}
		} else if (tok == FDT_PROP) {
			u32 len = be32(p), nameoff = be32(p + 4);
			fdt_prop(&n, strings + nameoff, (const char *)p + 8, len);
			p = fdt + ALIGN_UP((u64)(p + 8 + len - fdt), 4);
		} else if (tok != FDT_NOP) {
			break;
		}
	}
}

/* kernel/acpi.c's map function before the MMU switch: the firmware's
 * identity map makes every physical address readable as is. */
static const void *fw_identity_map(phys_addr_t pa, size_t len)
{
	return (const void *)(uintptr_t)pa;
}

/* The checksummed table with signature sig (4 chars) listed by the root
 * table, or NULL. */
static const u8 *fw_acpi_table(const struct acpi_info *ai, const char *sig)
{
	return (const u8 *)acpi_map_table(ai, acpi_find_table(ai, sig, 0), sig);
}

#define MADT_ENTRIES    44            /* after the header, LAPIC address, flags */
#define MADT_GICC       0x0b          /* CPU interface: base @32, GICR base @60 */
#define MADT_GICD       0x0c          /* distributor: base @8, version @20 */
#define MADT_GICR       0x0e          /* redistributor range: base @4, length @12 */
#define MADT_GICC_ENABLED 1           /* GICC flags @12, bit 0 */

/* Every enabled GICC entry is a CPU: its MPIDR (@68) -> cpu_mpidr[]. */
static void madt_cpus(const u8 *madt)
{
	u32 len = le_read(madt + 4, 4);

	for (u32 off = MADT_ENTRIES; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
		const u8 *e = madt + off;

		if (off + e[1] > len)
			break;
		if (e[0] == MADT_GICC && e[1] >= 76 && (le_read(e + 12, 4) & MADT_GICC_ENABLED))
			fw_add_cpu(le_read(e + 68, 8), FW_SRC_ACPI);
	}
}

/* The MADT's GIC entries -> gic_*.  The GICD entry's version field (0 =
 * not given) decides; a GICR range or a GICC GICR base means GICv3. */
static void madt_probe(const u8 *madt)
{
	u32 len = le_read(madt + 4, 4);
	u64 gicc = 0, gicr = 0, gicr_size = 0, gicd = 0;
	int version = 0;

	for (u32 off = MADT_ENTRIES; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
		const u8 *e = madt + off;

		if (off + e[1] > len)
			break;
		if (e[0] == MADT_GICD && e[1] >= 24) {
			gicd = le_read(e + 8, 8);
			version = e[20];
		} else if (e[0] == MADT_GICC && e[1] >= 76 && !gicc && !gicr) {
			gicc = le_read(e + 32, 8);
			gicr = le_read(e + 60, 8);
			gicr_size = gicr ? 0x20000 : 0;
		} else if (e[0] == MADT_GICR && e[1] >= 16) {
			gicr = le_read(e + 4, 8);
			gicr_size = le_read(e + 12, 4);
		}
	}
	if (!version)
		version = gicr ? 3 : 2;
	if (!gicd || (version == 2 && !gicc) || (version >= 3 && !gicr))
		return;
	arm64_boot.gic_version = version >= 3 ? 3 : 2;
	arm64_boot.gicd_pa = gicd;
	arm64_boot.gicc_pa = version == 2 ? gicc : 0;
	arm64_boot.gicr_pa = version >= 3 ? gicr : 0;
	arm64_boot.gicr_size = version >= 3 ? gicr_size : 0;
	arm64_boot.gic_src = FW_SRC_ACPI;
}

/* The DSDT the FADT names (X_DSDT, else DSDT), checksummed, or NULL. */
static const u8 *fw_acpi_dsdt(const struct acpi_info *ai, const u8 *fadt)
{
	u64 pa = le_read(fadt + FADT_DSDT, 4);

	if (le_read(fadt + 4, 4) >= FADT_X_DSDT + 8 && le_read(fadt + FADT_X_DSDT, 8))
		pa = le_read(fadt + FADT_X_DSDT, 8);
	return (const u8 *)acpi_map_table(ai, pa, "DSDT");
}

/* SPCR gives the console (base address GAS at 40..51), the FADT the PSCI
 * conduit; RSDP -> XSDT/RSDT -> tables through the generic kernel/acpi.c. */
static void acpi_probe(phys_addr_t rsdp)
{
	struct acpi_info ai;
	const u8 *spcr, *fadt, *madt, *dsdt, *gtdt;

	if (acpi_init_root(&ai, rsdp, fw_identity_map))
		return;
	spcr = fw_acpi_table(&ai, "SPCR");
	fadt = fw_acpi_table(&ai, "FACP");
	if (spcr && le_read(spcr + 4, 4) >= 52 && arm64_boot.uart_src == FW_SRC_DEFAULT &&
	    spcr[40] == ACPI_GAS_MEMORY) {
		arm64_boot.uart_pa = le_read(spcr + 44, 8);
		arm64_boot.uart_src = FW_SRC_ACPI;
	}
	if (fadt && le_read(fadt + 4, 4) >= 131 && arm64_boot.psci_src == FW_SRC_DEFAULT) {
		u32 flags = le_read(fadt + 129, 2);
		if (flags & 1) {
			arm64_boot.psci_conduit = (flags & 2) ? PSCI_CONDUIT_HVC
							      : PSCI_CONDUIT_SMC;
			arm64_boot.psci_src = FW_SRC_ACPI;
		}
	}
	gtdt = fw_acpi_table(&ai, "GTDT");
	if (gtdt && le_read(gtdt + 4, 4) >= 72 && le_read(gtdt + 64, 4) &&
	    arm64_boot.vtimer_src == FW_SRC_DEFAULT) {
		arm64_boot.vtimer_intid = le_read(gtdt + 64, 4);
		arm64_boot.vtimer_src = FW_SRC_ACPI;
	}
	madt = fw_acpi_table(&ai, "APIC");
	if (madt && arm64_boot.gic_src == FW_SRC_DEFAULT)
		madt_probe(madt);
	if (madt && arm64_boot.cpu_src == FW_SRC_DEFAULT)
		madt_cpus(madt);
	dsdt = fadt && le_read(fadt + 4, 4) >= FADT_DSDT + 4 ? fw_acpi_dsdt(&ai, fadt) : NULL;
	if (dsdt)
		arm64_fw_probe_ged(dsdt + sizeof(struct acpi_sdt_header),
				   le_read(dsdt + 4, 4) - sizeof(struct acpi_sdt_header));
}

void arm64_fw_probe(phys_addr_t dtb, phys_addr_t rsdp)
{
	arm64_boot.uart_pa = PL011_DEFAULT_PA;
	arm64_boot.uart_src = FW_SRC_DEFAULT;
	arm64_boot.psci_conduit = PSCI_CONDUIT_HVC;
	arm64_boot.psci_src = FW_SRC_DEFAULT;
	arm64_boot.vtimer_intid = VTIMER_DEFAULT_PPI;
	arm64_boot.vtimer_src = FW_SRC_DEFAULT;
	arm64_boot.gic_version = 2;
	arm64_boot.gic_src = FW_SRC_DEFAULT;
	arm64_boot.gicd_pa = GICD_DEFAULT_PA;
	arm64_boot.gicc_pa = GICC_DEFAULT_PA;
	arm64_boot.ged_evt_pa = GED_EVT_DEFAULT_PA;
	arm64_boot.memhp_pa = MEMHP_DEFAULT_PA;
	arm64_boot.ged_gsi = GED_DEFAULT_GSI;
	arm64_boot.ged_src = FW_SRC_DEFAULT;
	arm64_boot.ged_irq_src = FW_SRC_DEFAULT;
	arm64_boot.cpu_src = FW_SRC_DEFAULT;
	arm64_boot.nr_cpus = arm64_boot.cpus_listed = 0;
	arm64_boot.dtb_size = fdt_total_size((const void *)(uintptr_t)dtb);
	if (arm64_boot.dtb_size)
		fdt_probe((const u8 *)(uintptr_t)dtb);
	if (rsdp)
		acpi_probe(rsdp);
}
