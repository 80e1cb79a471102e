/* arm64 interrupts: the IRQ exception, the INTID -> handler table, the
 * generic contract (include/pagoda/irq.h) and /proc/interrupts.
 *
 *   device/timer/SGI -> GIC -> IRQ exception (current EL, SP_ELx)
 *     entry.S -> arm64_handle_exception (traps.c) -> arm64_handle_irq:
 *       loop: iar = gic->ack()           INTID 1020..1023: nothing pending
 *             irq_table[INTID].fn(arg)   the handler does the minimum
 *             gic->eoi(iar)              priority drop + deactivate
 *
 * IRQs stay masked (PSTATE.I) on CPU 0 through boot until ged.c has
 * routed the GED and started the memory-hotplug driver, then stay on;
 * handlers only read a register and queue kwork, so they may interrupt
 * anything.  They do not nest: the exception entry masks IRQs until ERET.
 * Device interrupts (SPIs) are routed to CPU 0 only.  SGI ARM64_IPI_SGI
 * is the SMP IPI: every CPU enables it on its own GIC interface
 * (arm64_irq_cpu_init) and it goes straight to smp_ipi_handler(), counted
 * per CPU (the IPI0 row of /proc/interrupts); SGI ARM64_STOP_SGI is the
 * panic stop (kernel/smp_stop.c), enabled the same way.  The GIC version (v2 or v3) and
 * its addresses come from fwprobe.c (MADT, DTB or QEMU virt constants).
 * An interrupt that fires with no handler is counted in Err and disabled. */
#include <pagoda/kernel.h>
#include <pagoda/pseudofs.h>
#include <pagoda/seq.h>
#include <pagoda/smp.h>
#include <asm/ptrace.h>
#include "arm64.h"
#include "gic.h"

struct irq_desc {
	irq_handler_t fn;
	void *arg;
	const char *name;
	bool level;
	unsigned long count;
};

static struct irq_desc irq_table[GIC_INTID_MAX];
static const struct gic_ops *gic;
static u32 gic_nr_intids;
static unsigned long irq_err_count;
static unsigned long ipi_count[NR_CPUS];

static const char *const gic_src_name[] = {
	[FW_SRC_DEFAULT] = "QEMU virt default",
	[FW_SRC_DTB] = "device tree",
	[FW_SRC_ACPI] = "ACPI MADT",
};

const struct gic_ops *arm64_gic(void)
{
	return gic;
}

void arch_irq_enable(void)
{
	asm volatile("msr daifclr, #2" : : : "memory");
}

void arch_irq_disable(void)
{
	asm volatile("msr daifset, #2" : : : "memory");
}

/* DAIF as it was; then IRQs masked. */
unsigned long arch_irq_save(void)
{
	unsigned long flags;

	asm volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(flags) : : "memory");
	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	asm volatile("msr daif, %0" : : "r"(flags) : "memory");
}

int arm64_irq_request(u32 intid, bool level, irq_handler_t fn, void *arg, const char *name)
{
	if (!gic || !fn || intid >= gic_nr_intids)
		return -EINVAL;
	if (irq_table[intid].fn || intid == ARM64_IPI_SGI)
		return -EBUSY;
	gic->set_enabled(intid, false);
	irq_table[intid] = (struct irq_desc){ .fn = fn, .arg = arg, .name = name,
					       .level = intid >= GIC_NR_SGI && level };
	gic->configure(intid, irq_table[intid].level);
	gic->set_enabled(intid, true);
	return 0;
}

/* The GIC has no polarity inversion: SPIs are active-high level or rising
 * edge, so an active-low request is refused (ACPI on arm64 never makes
 * one for a GIC interrupt). */
int arch_irq_request(u32 gsi, bool level, bool active_low, irq_handler_t fn, void *arg)
{
	if (active_low || gsi < GIC_SPI_BASE)
		return -EINVAL;
	return arm64_irq_request(gsi, level, fn, arg, "irq");
}

void arm64_irq_free(u32 intid)
{
	if (!gic || intid >= gic_nr_intids)
		return;
	gic->set_enabled(intid, false);
	irq_table[intid].fn = NULL;
}

unsigned long arm64_ipi_count(unsigned int cpu)
{
	return cpu < NR_CPUS ? ipi_count[cpu] : 0;
}

unsigned long arm64_irq_count(u32 intid)
{
	return intid < GIC_INTID_MAX ? irq_table[intid].count : 0;
}

/* Called from arm64_handle_exception for an IRQ taken at EL1: handle
 * everything the GIC has pending for this CPU, then return to ERET. */
void arm64_handle_irq(struct pt_regs *regs)
{
	for (;;) {
		u32 iar = gic ? gic->ack() : 1023;
		u32 intid = iar & 0x3ff;
		struct irq_desc *d;

		if (intid >= GIC_INTID_MAX)
			break;
		if (intid == ARM64_STOP_SGI) {
			gic->eoi(iar);
			smp_stop_self();
		}
		if (intid == ARM64_IPI_SGI) {
			ipi_count[smp_processor_id() % NR_CPUS]++;
			smp_ipi_handler();
			gic->eoi(iar);
			continue;
		}
		d = &irq_table[intid];
		if (d->fn) {
			d->count++;
			d->fn(d->arg);
		} else {
			irq_err_count++;
			gic->set_enabled(intid, false);
		}
		gic->eoi(iar);
	}
}

static void arm64_ipi_enable(void);

void arm64_irq_init(void)
{
	const struct gic_ops *g = arm64_boot.gic_version == 3 ? &gic_v3_ops : &gic_v2_ops;
	int rc = g->init();

	if (arm64_boot.gic_version == 3)
		printk("GIC: GICv3 dist %#lx redist %#lx (%s)\n",
		       (unsigned long)arm64_boot.gicd_pa, (unsigned long)arm64_boot.gicr_pa,
		       gic_src_name[arm64_boot.gic_src]);
	else
		printk("GIC: GICv2 dist %#lx cpu if %#lx (%s)\n",
		       (unsigned long)arm64_boot.gicd_pa, (unsigned long)arm64_boot.gicc_pa,
		       gic_src_name[arm64_boot.gic_src]);
	if (rc) {
		printk("GIC: %s init failed (%d): no interrupts\n", g->name, rc);
		return;
	}
	gic = g;
	gic_nr_intids = g->nr_intids();
	printk("GIC: %s, %u INTIDs\n", g->name, gic_nr_intids);
	arm64_ipi_enable();
}

/* The IPI SGI on this CPU's interface: priority, enabled. */
static void arm64_ipi_enable(void)
{
	gic->configure(ARM64_IPI_SGI, false);
	gic->set_enabled(ARM64_IPI_SGI, true);
	gic->configure(ARM64_STOP_SGI, false);
	gic->set_enabled(ARM64_STOP_SGI, true);
}

int arm64_irq_cpu_init(void)
{
	if (!gic || gic->cpu_init())
		return -ENODEV;
	arm64_ipi_enable();
	return 0;
}

void arch_send_ipi(unsigned int cpu)
{
	if (gic && cpu < nr_cpu_ids)
		gic->send_sgi(cpu, ARM64_IPI_SGI);
}

/* The panic stop: an SGI, so a CPU spinning with IRQs masked does not take
 * it (no pseudo-NMI here); smp_send_stop() reports such a CPU. */
void arch_send_stop(unsigned int cpu)
{
	if (gic && cpu < nr_cpu_ids)
		gic->send_sgi(cpu, ARM64_STOP_SGI);
}

/* /proc/interrupts as Linux prints it on arm64: a column per CPU (device
 * interrupts all on CPU0), the INTID is both the irq number and the
 * hwirq; with more than one CPU the IPI row; then Err, the interrupts
 * that came with no handler. */
static int interrupts_show(struct seq *s, void *priv)
{
	const int prec = 3;

	seq_printf(s, "%*s", prec + 8, "");
	for (unsigned int c = 0; c < nr_cpu_ids; c++)
		seq_printf(s, "CPU%-8u", c);
	seq_printf(s, "\n");
	for (u32 i = 0; i < GIC_INTID_MAX; i++) {
		const struct irq_desc *d = &irq_table[i];

		if (!d->fn)
			continue;
		seq_printf(s, "%*u: %10lu", prec, i, d->count);
		for (unsigned int c = 1; c < nr_cpu_ids; c++)
			seq_printf(s, " %10u", 0);
		seq_printf(s, "  %8s %*u %-8s  %s\n", gic ? gic->name : "-", prec, i,
			   d->level ? "Level" : "Edge", d->name);
	}
	if (nr_cpu_ids > 1) {
		seq_printf(s, "%*s%u:", prec - 1, "IPI", ARM64_IPI_SGI);
		for (unsigned int c = 0; c < nr_cpu_ids; c++)
			seq_printf(s, " %10lu", ipi_count[c]);
		seq_printf(s, "       Function call interrupts\n");
	}
	seq_printf(s, "%*s: %10lu\n", prec, "Err", irq_err_count);
	return 0;
}
PSEUDO_FILE("/proc/interrupts", interrupts_show, NULL);
