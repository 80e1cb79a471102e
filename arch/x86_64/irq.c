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
 *            0xff        local APIC spurious vector (no EOI)
 *
 * The IO-APIC (address, first GSI) and the ISA IRQ -> GSI overrides come
 * from the MADT ("APIC"); MMIO is reached through the direct map, which
 * covers the low 4 GiB.  One CPU: the destination is the boot CPU.
 * /proc/interrupts counts each routed GSI and the spurious ones (Linux's
 * format), so a level interrupt that is never acknowledged shows up as a
 * count that runs away. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/acpi.h>
#include <pagoda/irq.h>
#include <pagoda/pseudofs.h>
#include <pagoda/seq.h>
#include <asm/vmparam.h>
#include <asm/io.h>
#include <asm/cpu.h>
#include <asm/ptrace.h>
#include "arch/x86_64/irq.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_VECTOR_BASE  0x20
#define IRQ_VECTOR_BASE  0x30
#define IRQ_MAX_HANDLERS 16
#define SPURIOUS_VECTOR  0xff

#define MSR_APIC_BASE    0x1b
#define APIC_BASE_X2APIC (1 << 10)
#define APIC_BASE_ENABLE (1 << 11)
#define APIC_ID          0x20
#define APIC_TPR         0x80
#define APIC_EOI         0xb0
#define APIC_SVR         0xf0
#define APIC_SVR_ENABLE  (1 << 8)
#define X2APIC_MSR(reg)  (0x800 + ((reg) >> 4))

#define IOAPIC_REGSEL    0x00
#define IOAPIC_WIN       0x10
#define IOAPIC_VER       0x01
#define IOAPIC_REDIR(n)  (0x10 + 2 * (n))
#define REDIR_ACTIVE_LOW (1 << 13)
#define REDIR_LEVEL      (1 << 15)
#define REDIR_MASKED     (1 << 16)

#define MADT_LAPIC_ADDR  36          /* u32 after the header */
#define MADT_ENTRIES     44
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
	volatile u8 *lapic;          /* NULL in x2APIC mode */
	bool x2apic;
	u32 apic_id;
	volatile u32 *ioapic;
	u32 ioapic_gsi_base, ioapic_nr;
	struct irq_slot slot[IRQ_MAX_HANDLERS];
	unsigned nr_slots;
	u64 spurious;
	struct { bool valid; u32 gsi; u16 flags; } iso[16];   /* ISA IRQ overrides */
} x86irq;

void arch_irq_enable(void)  { asm volatile("sti" : : : "memory"); }
void arch_irq_disable(void) { asm volatile("cli" : : : "memory"); }

static u32 lapic_read(u32 reg)
{
	if (x86irq.x2apic)
		return (u32)rdmsr(X2APIC_MSR(reg));
	return mmio_read32(x86irq.lapic + reg);
}

static void lapic_write(u32 reg, u32 v)
{
	if (x86irq.x2apic)
		wrmsr(X2APIC_MSR(reg), v);
	else
		mmio_write32(x86irq.lapic + reg, v);
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

/* Enable the boot CPU's local APIC (xAPIC MMIO or x2APIC MSRs, whichever
 * the firmware left on), accept every priority. */
static void lapic_init(phys_addr_t madt_addr)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base |= APIC_BASE_ENABLE);
	x86irq.x2apic = base & APIC_BASE_X2APIC;
	if (!x86irq.x2apic) {
		phys_addr_t pa = madt_addr ? madt_addr : (base & ~0xfffULL);
		x86irq.lapic = __va(pa);
	}
	x86irq.apic_id = x86irq.x2apic ? lapic_read(APIC_ID) : lapic_read(APIC_ID) >> 24;
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
}

/* One MADT entry: remember the first IO-APIC and the ISA overrides. */
static void irq_madt_entry(const u8 *e)
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

/* Walk the MADT: local APIC address, IO-APIC, overrides.  0 or -ENOENT. */
static int irq_parse_madt(phys_addr_t *lapic_pa)
{
	const struct acpi_sdt_header *h =
		acpi_map_table(&acpi, acpi_find_table(&acpi, "APIC", 0), "APIC");
	const u8 *b = (const u8 *)h;
	u32 v32;

	if (!h || h->length < MADT_ENTRIES)
		return -ENOENT;
	memcpy(&v32, b + MADT_LAPIC_ADDR, 4);
	*lapic_pa = v32;
	for (u32 off = MADT_ENTRIES; off + 2 <= h->length && b[off + 1] >= 2; off += b[off + 1]) {
		if (off + b[off + 1] > h->length)
			break;
		irq_madt_entry(b + off);
	}
	return x86irq.ioapic ? 0 : -ENOENT;
}

int x86_irq_init(void)
{
	phys_addr_t lapic_pa = 0;

	pic_disable();
	if (!acpi.map || irq_parse_madt(&lapic_pa)) {
		printk("irq: no IO-APIC in the MADT, external interrupts off\n");
		return -ENOENT;
	}
	lapic_init(lapic_pa);
	x86irq.ioapic_nr = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
	for (u32 i = 0; i < x86irq.ioapic_nr; i++)
		ioapic_write(IOAPIC_REDIR(i), REDIR_MASKED);
	printk("irq: IO-APIC at 0x%lx GSI %u-%u, %s %u, 8259s masked\n",
	       (unsigned long)__pa((void *)x86irq.ioapic), x86irq.ioapic_gsi_base,
	       x86irq.ioapic_gsi_base + x86irq.ioapic_nr - 1,
	       x86irq.x2apic ? "x2APIC ID" : "local APIC ID", x86irq.apic_id);
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

void x86_irq(struct pt_regs *regs)
{
	u64 v = regs->vector;

	if (v == SPURIOUS_VECTOR || (v >= PIC_VECTOR_BASE && v < IRQ_VECTOR_BASE)) {
		x86irq.spurious++;          /* no EOI for these */
		return;
	}
	if (v >= IRQ_VECTOR_BASE && v < IRQ_VECTOR_BASE + x86irq.nr_slots) {
		struct irq_slot *s = &x86irq.slot[v - IRQ_VECTOR_BASE];
		s->count++;
		s->fn(s->arg);
	} else {
		x86irq.spurious++;
	}
	lapic_write(APIC_EOI, 0);
}

/* /proc/interrupts as Linux prints it on x86 (one CPU): GSI, count, chip,
 * pin and flow (fasteoi for level, edge), the handler's name; then SPU. */
static int interrupts_show(struct seq *s, void *priv)
{
	seq_printf(s, "%11s\n", "CPU0");
	for (unsigned i = 0; i < x86irq.nr_slots; i++) {
		const struct irq_slot *q = &x86irq.slot[i];
		seq_printf(s, "%4u: %10lu   IO-APIC %4u-%-8s %s\n", q->gsi, q->count, q->gsi,
			   q->level ? "fasteoi" : "edge", q->name);
	}
	seq_printf(s, "%4s: %10lu   Spurious interrupts\n", "SPU", (unsigned long)x86irq.spurious);
	return 0;
}
PSEUDO_FILE("/proc/interrupts", interrupts_show, NULL);
