/* GICv3 (`-M virt,gic-version=3`): the distributor routes SPIs by
 * affinity, each CPU has a redistributor (SGIs, PPIs, its wake state) and
 * the CPU interface is system registers.
 *
 *   GICD       0x0000 CTLR (31 RWP, 4 ARE, 1/0 group enables)  0x0004 TYPER
 *              0x0080 IGROUPR  0x0100 ISENABLER  0x0180 ICENABLER
 *              0x0200 ISPENDR  0x0400 IPRIORITYR 0x0c00 ICFGR
 *              0x6000 IROUTER (64 bits per SPI: Aff3.Aff2.Aff1.Aff0)
 *   GICR       RD_base  0x0000 CTLR  0x0008 TYPER (63..32 affinity, 4 Last)
 *                       0x0014 WAKER (1 ProcessorSleep, 2 ChildrenAsleep)
 *              SGI_base (RD_base + 64 KiB): IGROUPR0, ISENABLER0, ... as
 *                       the GICD registers for INTIDs 0-31
 *   ICC_*_EL1  SRE (1: use the system registers), PMR, BPR1, CTLR,
 *              IGRPEN1, IAR1/EOIR1 (ack/EOI), SGI1R (send an SGI)
 *
 * Every interrupt is made group 1 (non-secure), the only group QEMU virt's
 * single security state (GICD_CTLR.DS = 1) signals as IRQ through
 * ICC_IGRPEN1_EL1.  This CPU's redistributor is the one whose TYPER
 * affinity matches MPIDR_EL1, found by walking the mapped region.
 *
 * SMP: each CPU wakes its own redistributor and opens its own ICC_*
 * interface (v3_cpu_init); SGI/PPI registers are reached through the
 * calling CPU's redistributor (v3_rd_sgi[cpu]).  An SGI to another CPU
 * names it by affinity in ICC_SGI1R_EL1 (Aff3.Aff2.Aff1, and Aff0 as a bit
 * of the 16-bit target list, RS = Aff0 / 16). */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/smp.h>
#include <asm/io.h>
#include <asm/sysreg.h>
#include "arm64.h"
#include "gic.h"

#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_ISPENDR     0x0200
#define GICD_IPRIORITYR  0x0400
#define GICD_ICFGR       0x0c00
#define GICD_IROUTER     0x6000
#define GICD_CTLR_RWP    (1U << 31)
#define GICD_CTLR_ARE    (1U << 4)
#define GICD_CTLR_G1A    (1U << 1)
#define GICD_CTLR_G1     (1U << 0)
#define GICR_TYPER       0x0008
#define GICR_WAKER       0x0014
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)
#define GICR_TYPER_LAST  (1ULL << 4)
#define GICR_TYPER_VLPIS (1ULL << 1)
#define GICR_FRAME       0x20000          /* RD_base + SGI_base frames */
#define GICR_FRAME_V4    0x40000          /* GICv4: + VLPI_base + reserved */
#define GICR_SGI_BASE    0x10000
#define GIC_POLL_LIMIT   1000000

#define ICC_SRE_EL1      S3_0_C12_C12_5
#define ICC_PMR_EL1      S3_0_C4_C6_0
#define ICC_BPR1_EL1     S3_0_C12_C12_3
#define ICC_CTLR_EL1     S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1  S3_0_C12_C12_7
#define ICC_IAR1_EL1     S3_0_C12_C12_0
#define ICC_EOIR1_EL1    S3_0_C12_C12_1
#define ICC_SGI1R_EL1    S3_0_C12_C11_5

static volatile u8 *gicd;
static volatile u8 *v3_rd_sgi[NR_CPUS];     /* each CPU's redistributor SGI frame */

static u32 gicd_read(unsigned off)          { return mmio_read32(gicd + off); }
static void gicd_write(unsigned off, u32 v) { mmio_write32(gicd + off, v); }

/* Wait for a distributor register write to take effect (CTLR.RWP). */
static void v3_wait_rwp(void)
{
	for (int i = 0; i < GIC_POLL_LIMIT && (gicd_read(GICD_CTLR) & GICD_CTLR_RWP); i++)
		cpu_relax();
}

/* INTIDs the distributor implements (GICD_TYPER), at most 1020. */
static u32 v3_nr_intids(void)
{
	u32 n = 32 * ((gicd_read(GICD_TYPER) & 0x1f) + 1);

	return n < GIC_INTID_MAX ? n : GIC_INTID_MAX;
}

/* MPIDR_EL1's affinity as GICR_TYPER (Aff3.Aff2.Aff1.Aff0) and IROUTER
 * (Aff3 at 39..32, Aff2.Aff1.Aff0 at 23..0) want it. */
static u64 v3_mpidr_aff(void)
{
	u64 m = read_sysreg(mpidr_el1);

	return (m & 0xff00000000ULL) >> 8 | (m & 0xffffff);
}

/* This CPU's redistributor: the one whose TYPER affinity matches.  Each
 * is 2 frames of 64 KiB, or 4 on a GICv4 with virtual LPIs (TYPER.VLPIS). */
static volatile u8 *v3_find_redist(void)
{
	u64 size = arm64_boot.gicr_size < GICR_MAP_MAX ? arm64_boot.gicr_size : GICR_MAP_MAX;
	u64 aff = v3_mpidr_aff(), off = 0;

	while (off + GICR_FRAME <= size) {
		volatile u8 *rd = gic_iomap(arm64_boot.gicr_pa + off);
		u64 typer = mmio_read64(rd + GICR_TYPER);

		if (typer >> 32 == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		off += (typer & GICR_TYPER_VLPIS) ? GICR_FRAME_V4 : GICR_FRAME;
	}
	return NULL;
}

/* Wake the redistributor, make SGIs/PPIs group 1 and disabled. */
static int v3_redist_init(volatile u8 *rd)
{
	int i;

	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	for (i = 0; i < GIC_POLL_LIMIT && (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP); i++)
		cpu_relax();
	if (i == GIC_POLL_LIMIT)
		return -ENODEV;
	v3_rd_sgi[smp_processor_id() % NR_CPUS] = rd + GICR_SGI_BASE;
	mmio_write32(rd + GICR_SGI_BASE + GICD_ICENABLER, ~0U);
	mmio_write32(rd + GICR_SGI_BASE + GICD_IGROUPR, ~0U);
	return 0;
}

/* System-register CPU interface on (unless a higher EL keeps it off),
 * every priority unmasked, group 1 enabled. */
static int v3_cpuif_init(void)
{
	write_sysreg(read_sysreg(ICC_SRE_EL1) | 1, ICC_SRE_EL1);
	isb();
	if (!(read_sysreg(ICC_SRE_EL1) & 1))
		return -ENODEV;
	write_sysreg(GIC_PMR_ALL, ICC_PMR_EL1);
	write_sysreg(0, ICC_BPR1_EL1);
	write_sysreg(0, ICC_CTLR_EL1);                /* EOImode 0: EOI deactivates */
	write_sysreg(1, ICC_IGRPEN1_EL1);
	isb();
	return 0;
}

/* This CPU's redistributor (found by MPIDR) and system-register
 * interface.  0 or -ENODEV. */
static int v3_cpu_init(void)
{
	volatile u8 *rd = v3_find_redist();

	if (!rd || v3_redist_init(rd))
		return -ENODEV;
	return v3_cpuif_init();
}

/* Distributor (affinity routing, group 1, every SPI off), then this CPU's
 * redistributor and system-register interface.  0 or -ENODEV. */
static int v3_init(void)
{
	gicd = gic_iomap(arm64_boot.gicd_pa);
	gicd_write(GICD_CTLR, 0);
	v3_wait_rwp();
	for (u32 i = GIC_SPI_BASE; i < v3_nr_intids(); i += 32) {
		gicd_write(GICD_ICENABLER + i / 8, ~0U);
		gicd_write(GICD_IGROUPR + i / 8, ~0U);
	}
	v3_wait_rwp();
	gicd_write(GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_G1A | GICD_CTLR_G1);
	v3_wait_rwp();
	return v3_cpu_init();
}

/* The register block an INTID's per-INTID registers are in: the
 * redistributor's SGI frame for 0-31, the distributor for SPIs. */
static volatile u8 *v3_base(u32 intid)
{
	return intid < GIC_SPI_BASE ? v3_rd_sgi[smp_processor_id() % NR_CPUS] : gicd;
}

/* Trigger (not for SGIs, always edge), priority, and for an SPI the route
 * to this CPU's affinity. */
static void v3_configure(u32 intid, bool level)
{
	volatile u8 *b = v3_base(intid);
	unsigned shift = 2 * (intid % 16) + 1;
	u32 cfg = mmio_read32(b + GICD_ICFGR + intid / 16 * 4);

	if (intid >= GIC_NR_SGI) {
		cfg = level ? cfg & ~(1U << shift) : cfg | 1U << shift;
		mmio_write32(b + GICD_ICFGR + intid / 16 * 4, cfg);
	}
	mmio_write8(b + GICD_IPRIORITYR + intid, GIC_IRQ_PRIO);
	if (intid >= GIC_SPI_BASE) {
		mmio_write64(gicd + GICD_IROUTER + 8 * intid, v3_mpidr_aff());
		v3_wait_rwp();
	}
}

/* Set or clear the enable bit; a disable of an SPI waits for RWP. */
static void v3_set_enabled(u32 intid, bool on)
{
	mmio_write32(v3_base(intid) + (on ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4,
		     1U << (intid % 32));
	if (!on && intid >= GIC_SPI_BASE)
		v3_wait_rwp();
}

/* Is the INTID pending (redistributor for 0-31, distributor above)? */
static bool v3_pending(u32 intid)
{
	return mmio_read32(v3_base(intid) + GICD_ISPENDR + intid / 32 * 4) & (1U << (intid % 32));
}

/* Acknowledge the highest-priority pending group-1 interrupt (1023: none). */
static u32 v3_ack(void)
{
	u32 iar = read_sysreg(ICC_IAR1_EL1);

	asm volatile("dsb sy" : : : "memory");
	return iar;
}

/* Priority drop and deactivate (EOImode 0). */
static void v3_eoi(u32 iar)
{
	write_sysreg(iar, ICC_EOIR1_EL1);
	isb();
}

/* ICC_SGI1R_EL1 for SGI intid to the CPU with MPIDR affinity aff:
 * Aff3 63..48 (at 55..48), RS 47..44, Aff2 39..32, INTID 27..24,
 * Aff1 23..16, target list 15..0 (bit Aff0 % 16). */
static u64 v3_sgi1r(u64 aff, u32 intid)
{
	return (aff >> 32 & 0xff) << 48 | (aff & 0xf0) >> 4 << 44 | (aff >> 16 & 0xff) << 32 |
	       (u64)(intid & 0xf) << 24 | (aff >> 8 & 0xff) << 16 | 1ULL << (aff & 0xf);
}

/* SGI to this CPU. */
static void v3_send_sgi_self(u32 intid)
{
	asm volatile("dsb ishst" : : : "memory");
	write_sysreg(v3_sgi1r(read_sysreg(mpidr_el1), intid), ICC_SGI1R_EL1);
	isb();
}

/* SGI to logical CPU cpu (its MPIDR affinity, cpus[cpu].hwid); the DSB
 * makes our earlier stores (a queued call) visible first. */
static void v3_send_sgi(unsigned int cpu, u32 intid)
{
	asm volatile("dsb ishst" : : : "memory");
	write_sysreg(v3_sgi1r(cpus[cpu].hwid, intid), ICC_SGI1R_EL1);
	isb();
}

const struct gic_ops gic_v3_ops = {
	.name = "GICv3",
	.init = v3_init,
	.cpu_init = v3_cpu_init,
	.nr_intids = v3_nr_intids,
	.configure = v3_configure,
	.set_enabled = v3_set_enabled,
	.ack = v3_ack,
	.eoi = v3_eoi,
	.send_sgi_self = v3_send_sgi_self,
	.send_sgi = v3_send_sgi,
	.pending = v3_pending,
};
