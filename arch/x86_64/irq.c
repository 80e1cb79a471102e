/* x86_64 external interrupts: IO-APIC routes, local APIC EOI, 8259s masked.
 *
 *   device --GSI--> IO-APIC redirection entry (vector, level/edge, polarity,
 *                   mask, destination = this CPU's APIC ID)
 *          --vector 0x30 + n--> irq_entry.S --> x86_irq(regs)
 *                                    handler(arg); local APIC EOI
 *
 *   vectors  0x20..0x2f  the legacy 8259 pair, remapped off the exception
 *                        vectors and fully masked (a spurious IRQ 7/15
 *                        still lands here and is ignored)
 *            0x30..0x3f  one per arch_irq_request(), in request order
 *            0xfc        the Pagoda IPI (X86_IPI_VECTOR) -> smp_ipi_handler()
 *            0xff        local APIC spurious vector (no EOI)
 *
 * The IO-APIC (address, first GSI) and the ISA IRQ -> GSI overrides come
 * from the MADT ("APIC", madt.c); MMIO is reached through the direct map,
 * which covers the low 4 GiB.  Device interrupts go to the boot CPU only
 * (destination: its APIC ID); the other CPUs take IPIs.  The local APIC
 * itself is apic.c's.  /proc/interrupts counts each routed GSI, the IPIs
 * per CPU and the spurious ones (Linux's format), so a level interrupt
 * that is never acknowledged shows up as a count that runs away. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/irq.h>
#include <pagoda/pseudofs.h>
#include <pagoda/seq.h>
#include <pagoda/smp.h>
#include <asm/vmparam.h>
#include <asm/io.h>
#include <asm/ptrace.h>
#include <asm/percpu.h>
#include <asm/tlbflush.h>
#include "arch/x86_64/irq.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_VECTOR_BASE  0x20
#define IRQ_VECTOR_BASE  0x30
#define IRQ_MAX_HANDLERS 16

#define IOAPIC_REGSEL    0x00
#define IOAPIC_WIN       0x10
#define IOAPIC_VER       0x01
#define IOAPIC_REDIR(n)  (0x10 + 2 * (n))
#define REDIR_ACTIVE_LOW (1 << 13)
#define REDIR_LEVEL      (1 << 15)
#define REDIR_MASKED     (1 << 16)

#define MADT_IOAPIC      1
#define MADT_ISO         2
#define MPS_POLARITY(f)  ((f) & 3)   /* 0 bus default, 1 high, 3 low */
#define MPS_TRIGGER(f)   (((f) >> 2) & 3)   /* 0 bus default, 1 edge, 3 level */

struct irq_slot {
	irq_handler_t fn;
	void *arg;
	const char *name;
	u32 gsi;
	bool level;
	unsigned long count;
};

static struct {
	u32 apic_id;                 /* the boot CPU's: every route's destination */
	volatile u32 *ioapic;
	u32 ioapic_gsi_base, ioapic_nr;
	struct irq_slot slot[IRQ_MAX_HANDLERS];
	unsigned nr_slots;
	struct { bool valid; u32 gsi; u16 flags; } iso[16];   /* ISA IRQ overrides */
} x86irq;

void arch_irq_enable(void)  { asm volatile("sti" : : : "memory"); }
void arch_irq_disable(void) { asm volatile("cli" : : : "memory"); }

/* RFLAGS (IF is bit 9), then interrupts off. */
unsigned long arch_irq_save(void)
{
	unsigned long flags;

	asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

/* Back to the RFLAGS arch_irq_save() returned (IF on only if it was). */
void arch_irq_restore(unsigned long flags)
{
	asm volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}

static u32 ioapic_read(u32 reg)
{
	mmio_write32(x86irq.ioapic + IOAPIC_REGSEL / 4, reg);
	return mmio_read32(x86irq.ioapic + IOAPIC_WIN / 4);
}

static void ioapic_write(u32 reg, u32 v)
{
	mmio_write32(x86irq.ioapic + IOAPIC_REGSEL / 4, reg);
	mmio_write32(x86irq.ioapic + IOAPIC_WIN / 4, v);
}

/* Remap both 8259s to 0x20..0x2f (ICW1..ICW4) and mask every line. */
static void pic_disable(void)
{
	outb(PIC1_CMD, 0x11);
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, PIC_VECTOR_BASE);
	outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
	outb(PIC1_DATA, 4);                /* slave on IRQ 2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 1);                /* 8086 mode */
	outb(PIC2_DATA, 1);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

/* One MADT entry: remember the first IO-APIC and the ISA overrides. */
static void irq_madt_entry(const u8 *e, void *ctx)
{
	u32 v32;
	u16 v16;

	if (e[0] == MADT_IOAPIC && e[1] >= 12 && !x86irq.ioapic) {
		memcpy(&v32, e + 4, 4);
		x86irq.ioapic = __va((phys_addr_t)v32);
		memcpy(&x86irq.ioapic_gsi_base, e + 8, 4);
	} else if (e[0] == MADT_ISO && e[1] >= 10 && e[3] < ARRAY_SIZE(x86irq.iso)) {
		memcpy(&v32, e + 4, 4);
		memcpy(&v16, e + 8, 2);
		x86irq.iso[e[3]].valid = true;
		x86irq.iso[e[3]].gsi = v32;
		x86irq.iso[e[3]].flags = v16;
	}
}

int x86_irq_init(void)
{
	phys_addr_t lapic_pa = 0;

	pic_disable();
	if (x86_madt_walk(irq_madt_entry, NULL, &lapic_pa) || !x86irq.ioapic) {
		printk("irq: no IO-APIC in the MADT, external interrupts off\n");
		return -ENOENT;
	}
	apic_init_boot(lapic_pa);
	x86irq.apic_id = apic_id();
	x86irq.ioapic_nr = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
	for (u32 i = 0; i < x86irq.ioapic_nr; i++)
		ioapic_write(IOAPIC_REDIR(i), REDIR_MASKED);
	printk("irq: IO-APIC at 0x%lx GSI %u-%u, %s %u, 8259s masked\n",
	       (unsigned long)__pa((void *)x86irq.ioapic), x86irq.ioapic_gsi_base,
	       x86irq.ioapic_gsi_base + x86irq.ioapic_nr - 1,
	       apic_is_x2apic() ? "x2APIC ID" : "local APIC ID", x86irq.apic_id);
	return 0;
}

int x86_isa_irq_to_gsi(u32 irq, u32 *gsi, bool *level, bool *active_low)
{
	*gsi = irq;
	*level = false;
	*active_low = false;
	if (irq >= ARRAY_SIZE(x86irq.iso) || !x86irq.iso[irq].valid)
		return 0;
	u16 f = x86irq.iso[irq].flags;
	*gsi = x86irq.iso[irq].gsi;
	*level = MPS_TRIGGER(f) == 3;
	*active_low = MPS_POLARITY(f) == 3;
	return 1;
}

int arch_irq_request(u32 gsi, bool level, bool active_low, irq_handler_t fn, void *arg)
{
	return x86_irq_request_named(gsi, level, active_low, fn, arg, "irq");
}

int x86_irq_request_named(u32 gsi, bool level, bool active_low, irq_handler_t fn,
			  void *arg, const char *name)
{
	if (!x86irq.ioapic || !fn || gsi < x86irq.ioapic_gsi_base ||
	    gsi - x86irq.ioapic_gsi_base >= x86irq.ioapic_nr)
		return -EINVAL;
	for (unsigned i = 0; i < x86irq.nr_slots; i++)
		if (x86irq.slot[i].gsi == gsi)
			return -EBUSY;
	if (x86irq.nr_slots == IRQ_MAX_HANDLERS)
		return -EBUSY;
	unsigned n = x86irq.nr_slots++;
	u32 pin = gsi - x86irq.ioapic_gsi_base;
	u32 lo = (IRQ_VECTOR_BASE + n) | (level ? REDIR_LEVEL : 0) |
		 (active_low ? REDIR_ACTIVE_LOW : 0);

	x86irq.slot[n] = (struct irq_slot){ .fn = fn, .arg = arg, .name = name, .gsi = gsi,
					    .level = level };
	ioapic_write(IOAPIC_REDIR(pin) + 1, x86irq.apic_id << 24);
	ioapic_write(IOAPIC_REDIR(pin), lo);
	return 0;
}

/* Interrupt entry, interrupts off.  First the TLB flush an idle CPU may owe
 * (tlb_defer.c): no handler may see a mapping a deferred flush changed. */
void x86_irq(struct pt_regs *regs)
{
	u64 v = regs->vector;

	x86_tlb_idle_exit();
	if (v == X86_SPURIOUS_VECTOR || (v >= PIC_VECTOR_BASE && v < IRQ_VECTOR_BASE)) {
		this_cpu()->spurious++;     /* no EOI for these */
		return;
	}
	if (v == X86_IPI_VECTOR) {
		this_cpu()->ipi_count++;
		smp_ipi_handler();
	} else if (v >= IRQ_VECTOR_BASE && v < IRQ_VECTOR_BASE + x86irq.nr_slots) {
		struct irq_slot *s = &x86irq.slot[v - IRQ_VECTOR_BASE];
		s->count++;
		s->fn(s->arg);
	} else {
		this_cpu()->spurious++;
	}
	apic_eoi();
}

/* /proc/interrupts as Linux prints it on x86: a column per online CPU;
 * GSI, counts (device interrupts all go to CPU 0), chip, pin and flow
 * (fasteoi for level, edge), the handler's name; then the function-call
 * IPIs (CAL) and the spurious interrupts (SPU) of each CPU. */
static int interrupts_show(struct seq *s, void *priv)
{
	char name[8];

	for_each_online_cpu(c) {
		ksnprintf(name, sizeof(name), "CPU%u", c);
		seq_printf(s, c == 0 ? "%11s" : " %10s", name);
	}
	seq_printf(s, "\n");
	for (unsigned i = 0; i < x86irq.nr_slots; i++) {
		const struct irq_slot *q = &x86irq.slot[i];
		seq_printf(s, "%4u:", q->gsi);
		for_each_online_cpu(c)
			seq_printf(s, " %10lu", c == 0 ? q->count : 0UL);
		seq_printf(s, "   IO-APIC %4u-%-8s %s\n", q->gsi, q->level ? "fasteoi" : "edge",
			   q->name);
	}
	seq_printf(s, "%4s:", "CAL");
	for_each_online_cpu(c)
		seq_printf(s, " %10lu", (unsigned long)x86_percpu[c].ipi_count);
	seq_printf(s, "   Function call interrupts\n");
	seq_printf(s, "%4s:", "SPU");
	for_each_online_cpu(c)
		seq_printf(s, " %10lu", (unsigned long)x86_percpu[c].spurious);
	seq_printf(s, "   Spurious interrupts\n");
	return 0;
}
PSEUDO_FILE("/proc/interrupts", interrupts_show, NULL);
