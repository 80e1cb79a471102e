/* IDT: interrupt gates for all 256 vectors.
 *
 * Gate (16 bytes): handler offset split 0..15 / 16..31 / 32..63, code
 * selector, IST slot, type 0xE (interrupt gate: IF cleared on entry), P.
 *   0..31    exceptions      vectors.S stubs -> x86_exception()
 *   32..255  interrupts      irq_entry.S stubs (16 bytes apart) -> x86_irq()
 * Which external vectors are live is irq.c's business (IO-APIC routes,
 * the masked 8259s at 32..47, the local APIC's spurious vector 255). */
#include <pagoda/kernel.h>
#include <asm/cpu.h>
#include <asm/boot.h>
#include <asm/desc.h>

#define NR_EXCEPTIONS 32
#define NR_VECTORS    256
#define IRQ_STUB_SIZE 16

struct idt_gate {
	u16 off_lo;
	u16 sel;
	u8 ist;
	u8 type_attr;
	u16 off_mid;
	u32 off_hi;
	u32 reserved;
} __packed;
BUILD_BUG_ON(sizeof(struct idt_gate) != 16);

extern const u64 exc_stub_table[NR_EXCEPTIONS];     /* vectors.S */
extern const char irq_stubs[];                      /* irq_entry.S */
static struct idt_gate idt[NR_VECTORS] __aligned(16);

/* IST slot for vector v: 0 (current stack) unless the stack is suspect. */
static u8 idt_ist_for(int v)
{
	switch (v) {
	case 2:  return IST_NMI;
	case 8:  return IST_DF;
	case 18: return IST_MC;
	default: return 0;
	}
}

/* Load the IDT on this CPU (every CPU shares the one table). */
void idt_load(void)
{
	struct { u16 limit; u64 base; } __packed idtr = { sizeof(idt) - 1, (u64)idt };
	asm volatile("lidt %0" : : "m"(idtr));
}

/* Fill and load the IDT (boot CPU). */
void idt_init(void)
{
	for (int v = 0; v < NR_VECTORS; v++) {
		u64 h = v < NR_EXCEPTIONS ? exc_stub_table[v] :
			(u64)irq_stubs + (u64)(v - NR_EXCEPTIONS) * IRQ_STUB_SIZE;
		idt[v] = (struct idt_gate){
			.off_lo = h & 0xffff, .sel = KERNEL_CS, .ist = idt_ist_for(v),
			.type_attr = 0x8e, .off_mid = (h >> 16) & 0xffff,
			.off_hi = h >> 32,
		};
	}
	idt_load();
}
