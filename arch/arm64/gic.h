/* The arm64 interrupt layer's internal interfaces (not part of the arch
 * contract; generic code sees include/pagoda/irq.h).
 *
 *   irq.c      INTID -> handler table, arch_irq_*, the IRQ exception entry,
 *              /proc/interrupts
 *   gic_v2.c   GICv2: distributor + memory-mapped CPU interface
 *   gic_v3.c   GICv3: distributor + redistributor + ICC_* system registers
 *   ged.c      the ACPI GED interrupt and the memory-hotplug registers
 *
 * INTIDs: 0-15 SGI (software), 16-31 PPI (per CPU: the timers), 32-1019
 * SPI (devices; ACPI GSI == INTID), 1020-1023 special (1023: spurious). */
#ifndef ARCH_ARM64_GIC_H
#define ARCH_ARM64_GIC_H
#include <pagoda/types.h>
#include <pagoda/irq.h>
#include <asm/vmparam.h>

#define GIC_NR_SGI        16
#define GIC_SPI_BASE      32
#define GIC_INTID_MAX     1020            /* first special INTID */
#define GIC_IRQ_PRIO      0xa0            /* every interrupt, below PMR 0xf0 */
#define GIC_PMR_ALL       0xf0            /* unmask every priority we use */
#define ARM64_IPI_SGI     0               /* the one Pagoda IPI (smp.c) */
#define ARM64_STOP_SGI    2               /* panic: stop this CPU (kernel/smp_stop.c) */

/* One GIC version's operations, on the CPU that calls them (SGI and PPI
 * state is per CPU: GICv2 banks it, GICv3 keeps it in each CPU's
 * redistributor).  ack returns the raw acknowledge value (INTID in bits
 * 9..0, GICv2 adds the SGI source CPU), which eoi takes back unchanged. */
struct gic_ops {
	const char *name;                       /* "GICv2", "GICv3" (/proc/interrupts) */
	int (*init)(void);                      /* distributor + this CPU; 0 or -ENODEV */
	int (*cpu_init)(void);                  /* a secondary's CPU interface; 0 or -ENODEV */
	u32 (*nr_intids)(void);                 /* INTIDs the distributor implements */
	void (*configure)(u32 intid, bool level);   /* trigger, priority, route to this CPU */
	void (*set_enabled)(u32 intid, bool on);
	u32 (*ack)(void);
	void (*eoi)(u32 iar);
	void (*send_sgi_self)(u32 intid);
	void (*send_sgi)(unsigned int cpu, u32 intid);   /* to logical CPU cpu */
	bool (*pending)(u32 intid);             /* pending in the distributor/redistributor */
};
extern const struct gic_ops gic_v2_ops, gic_v3_ops;

/* MMIO of a device the boot tables mapped at IOMAP_START + pa. */
static inline volatile u8 *gic_iomap(u64 pa)
{
	return (volatile u8 *)(IOMAP_START + pa);
}

/* irq.c: request an INTID of any kind (SGI and PPI too) with a name for
 * /proc/interrupts.  0, -EINVAL (no such INTID, active-low, no GIC) or
 * -EBUSY. */
int arm64_irq_request(u32 intid, bool level, irq_handler_t fn, void *arg, const char *name);
/* Give the INTID back: disabled, handler gone. */
void arm64_irq_free(u32 intid);
/* How often the handler of intid ran. */
unsigned long arm64_irq_count(u32 intid);
/* How many IPIs (SGI ARM64_IPI_SGI) cpu took. */
unsigned long arm64_ipi_count(unsigned int cpu);
/* The GIC in use, NULL before arm64_irq_init() or if it failed. */
const struct gic_ops *arm64_gic(void);
/* Bring up the GIC the firmware described (arch_late_init). */
void arm64_irq_init(void);
/* A secondary CPU: its GIC CPU interface, the IPI SGI enabled.  0 or -ENODEV. */
int arm64_irq_cpu_init(void);
#endif
