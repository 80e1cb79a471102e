/* x86_64 interrupt setup shared by irq.c and acpi_sci.c (arch-private). */
#ifndef ARCH_X86_64_IRQ_H
#define ARCH_X86_64_IRQ_H
#include <pagoda/types.h>
#include <pagoda/irq.h>
struct pt_regs;

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
#endif
