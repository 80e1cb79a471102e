/* x86_64 interrupt setup shared by irq.c, apic.c, madt.c, smp.c and
 * acpi_sci.c (arch-private). */
#ifndef ARCH_X86_64_IRQ_H
#define ARCH_X86_64_IRQ_H
#include <pagoda/types.h>
#include <pagoda/irq.h>
struct pt_regs;

#define X86_IPI_VECTOR       0xfc   /* the Pagoda IPI (Linux's CALL_FUNCTION_VECTOR) */
#define X86_SPURIOUS_VECTOR  0xff   /* local APIC spurious vector (no EOI) */

/* Mask the 8259s, enable the local APIC, find the IO-APIC in the MADT and
 * mask all its pins.  0, or -ENOENT (no IO-APIC: no external interrupts). */
int x86_irq_init(void);
/* ISA IRQ irq -> GSI, trigger and polarity (MADT overrides; ISA default:
 * edge, active-high, GSI = irq).  1 if an override applied, else 0. */
int x86_isa_irq_to_gsi(u32 irq, u32 *gsi, bool *level, bool *active_low);
/* arch_irq_request() with the name /proc/interrupts shows (e.g. "acpi"). */
int x86_irq_request_named(u32 gsi, bool level, bool active_low, irq_handler_t fn,
			  void *arg, const char *name);
/* Interrupt entry (irq_entry.S): dispatch the vector, EOI. */
void x86_irq(struct pt_regs *regs);
/* ACPI SCI: ACPI mode, GPE0 enables, the memory-hotplug controller. */
void x86_acpi_sci_init(void);

/* madt.c: call fn(entry, ctx) for every MADT entry; *lapic_pa (if not
 * NULL) = the local APIC address in the header.  0, or -ENOENT (no MADT). */
int x86_madt_walk(void (*fn)(const u8 *e, void *ctx), void *ctx, phys_addr_t *lapic_pa);

/* apic.c: the local APIC, in the mode the firmware left (xAPIC/x2APIC). */
void apic_init_boot(phys_addr_t madt_pa);   /* boot CPU; madt_pa 0: from the MSR */
void apic_init_secondary(void);             /* a secondary, same mode */
bool apic_ready(void);                      /* apic_init_boot() ran */
bool apic_is_x2apic(void);
u32 apic_id(void);                          /* this CPU's APIC ID */
void apic_eoi(void);
/* Write the ICR: command lo (vector, delivery mode, level) to APIC dest. */
void apic_send_icr(u32 dest, u32 lo);
#define APIC_ICR_FIXED    0x00000
#define APIC_ICR_NMI      0x00400   /* vector ignored: the CPU takes vector 2 */
#define APIC_ICR_INIT     0x00500
#define APIC_ICR_STARTUP  0x00600
#define APIC_ICR_ASSERT   0x04000

/* smp.c: the CPUs the MADT lists (boot CPU first) -> smp_register_cpu(). */
void x86_smp_enumerate(void);
#endif
