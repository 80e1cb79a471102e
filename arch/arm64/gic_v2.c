/* GICv2 (QEMU virt's default): a distributor shared by all CPUs and a
 * memory-mapped CPU interface per CPU, both at addresses the MADT (or the
 * DTB, or QEMU virt's constants) gave and the boot tables mapped.
 *
 *   GICD  0x000 CTLR  0x004 TYPER (ITLinesNumber 4..0: 32*(N+1) INTIDs)
 *         0x100 ISENABLER  0x180 ICENABLER  0x200 ISPENDR   1 bit per INTID
 *         0x400 IPRIORITYR 0x800 ITARGETSR  1 byte per INTID
 *         0xc00 ICFGR  2 bits per INTID (bit 1: edge)   0xf00 SGIR
 *   GICC  0x000 CTLR  0x004 PMR  0x008 BPR  0x00c IAR  0x010 EOIR
 *
 * Without the security extensions (QEMU virt without secure=on) every
 * interrupt is group 0 and is signalled as IRQ; CTLR bit 0 enables it.
 * EOIR both drops the priority and deactivates (EOImode 0).
 *
 * SMP: the CPU interface, SGI/PPI enables and priorities are banked per
 * CPU; each CPU sets up its own (v2_cpu_init) and records its CPU
 * interface mask, which GICD_ITARGETSR0 reads back to it (0 on a
 * uniprocessor GIC).  An SGI to another CPU names that mask in GICD_SGIR's
 * target list (filter 0). */
#include <pagoda/kernel.h>
#include <pagoda/smp.h>
#include <asm/io.h>
#include "arm64.h"
#include "gic.h"

#define GICD_CTLR        0x000
#define GICD_TYPER       0x004
#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_ISPENDR     0x200
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_ICFGR       0xc00
#define GICD_SGIR        0xf00
#define GICD_SGIR_SELF   (2U << 24)         /* TargetListFilter: this CPU only */
#define GICC_CTLR        0x000
#define GICC_PMR         0x004
#define GICC_BPR         0x008
#define GICC_IAR         0x00c
#define GICC_EOIR        0x010
#define GIC_CTLR_ENABLE  1U

static volatile u8 *gicd, *gicc;
static u8 v2_cpu_mask[NR_CPUS];             /* GIC CPU interface mask per logical CPU */

static u32 gicd_read(unsigned off)          { return mmio_read32(gicd + off); }
static void gicd_write(unsigned off, u32 v) { mmio_write32(gicd + off, v); }

/* INTIDs the distributor implements (GICD_TYPER), at most 1020. */
static u32 v2_nr_intids(void)
{
	u32 n = 32 * ((gicd_read(GICD_TYPER) & 0x1f) + 1);

	return n < GIC_INTID_MAX ? n : GIC_INTID_MAX;
}

/* This CPU's interface on, all priorities; remember its target mask. */
static int v2_cpu_init(void)
{
	v2_cpu_mask[smp_processor_id() % NR_CPUS] = mmio_read8(gicd + GICD_ITARGETSR);
	mmio_write32(gicc + GICC_PMR, GIC_PMR_ALL);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, GIC_CTLR_ENABLE);
	return 0;
}

/* Distributor on with every SPI off; this CPU's interface on. */
static int v2_init(void)
{
	gicd = gic_iomap(arm64_boot.gicd_pa);
	gicc = gic_iomap(arm64_boot.gicc_pa);
	gicd_write(GICD_CTLR, 0);
	for (u32 i = 0; i < v2_nr_intids(); i += 32)
		gicd_write(GICD_ICENABLER + i / 8, ~0U);
	gicd_write(GICD_CTLR, GIC_CTLR_ENABLE);
	return v2_cpu_init();
}

/* Trigger (SPIs and PPIs; SGIs are always edge), priority, and for an SPI
 * the target: this CPU, as ITARGETSR0 (banked) names it. */
static void v2_configure(u32 intid, bool level)
{
	unsigned shift = 2 * (intid % 16) + 1;
	u32 cfg = gicd_read(GICD_ICFGR + intid / 16 * 4);

	if (intid >= GIC_NR_SGI) {
		cfg = level ? cfg & ~(1U << shift) : cfg | 1U << shift;
		gicd_write(GICD_ICFGR + intid / 16 * 4, cfg);
	}
	mmio_write8(gicd + GICD_IPRIORITYR + intid, GIC_IRQ_PRIO);
	if (intid >= GIC_SPI_BASE)
		mmio_write8(gicd + GICD_ITARGETSR + intid,
			    mmio_read8(gicd + GICD_ITARGETSR));
}

/* Set or clear the INTID's enable bit (write-1 registers: no read-modify-write). */
static void v2_set_enabled(u32 intid, bool on)
{
	gicd_write((on ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4, 1U << (intid % 32));
}

/* Is the INTID pending in the distributor? */
static bool v2_pending(u32 intid)
{
	return gicd_read(GICD_ISPENDR + intid / 32 * 4) & (1U << (intid % 32));
}

/* Acknowledge (IAR: INTID and, for an SGI, the sender) and end it (EOIR). */
static u32 v2_ack(void)             { return mmio_read32(gicc + GICC_IAR); }
static void v2_eoi(u32 iar)         { mmio_write32(gicc + GICC_EOIR, iar); }

/* SGI intid (0-15) to this CPU only. */
static void v2_send_sgi_self(u32 intid)
{
	gicd_write(GICD_SGIR, GICD_SGIR_SELF | (intid & 0xf));
}

/* SGI intid to logical CPU cpu: its interface mask in the target list.
 * The DSB makes our earlier stores (a queued call) visible first. */
static void v2_send_sgi(unsigned int cpu, u32 intid)
{
	wmb();
	if (cpu == smp_processor_id())
		gicd_write(GICD_SGIR, GICD_SGIR_SELF | (intid & 0xf));
	else
		gicd_write(GICD_SGIR, (u32)v2_cpu_mask[cpu % NR_CPUS] << 16 | (intid & 0xf));
}

const struct gic_ops gic_v2_ops = {
	.name = "GICv2",
	.init = v2_init,
	.cpu_init = v2_cpu_init,
	.nr_intids = v2_nr_intids,
	.configure = v2_configure,
	.set_enabled = v2_set_enabled,
	.ack = v2_ack,
	.eoi = v2_eoi,
	.send_sgi_self = v2_send_sgi_self,
	.send_sgi = v2_send_sgi,
	.pending = v2_pending,
};
