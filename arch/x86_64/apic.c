/* The local APIC of each CPU: enable, EOI, and the interrupt command
 * register (IPIs, INIT, STARTUP), in the mode the firmware left the boot
 * CPU in: xAPIC (MMIO page, banked per CPU at one address) or x2APIC (MSRs).
 *
 *   ICR (xAPIC: 0x310 high = destination << 24, then 0x300 low sends;
 *        x2APIC: one MSR 0x830 write, destination in bits 63:32)
 *     low = vector | delivery mode << 8 | level << 14 | trigger << 15
 *       fixed (0)    the Pagoda IPI: vector X86_IPI_VECTOR
 *       INIT (5)     reset the target into wait-for-SIPI
 *       STARTUP (6)  the target starts in real mode at vector << 12
 *
 * Each CPU enables its own APIC (SVR: spurious vector, software enable),
 * accepts every priority (TPR 0) and keeps its timer LVT masked: Pagoda
 * keeps time with the TSC, so no CPU takes a timer interrupt. */
#include <pagoda/kernel.h>
#include <pagoda/irq.h>
#include <asm/vmparam.h>
#include <asm/io.h>
#include <asm/cpu.h>
#include "arch/x86_64/irq.h"

#define MSR_APIC_BASE    0x1b
#define APIC_BASE_X2APIC (1 << 10)
#define APIC_BASE_ENABLE (1 << 11)
#define APIC_ID          0x20
#define APIC_TPR         0x80
#define APIC_EOI         0xb0
#define APIC_SVR         0xf0
#define APIC_SVR_ENABLE  (1 << 8)
#define APIC_ICR_LO      0x300
#define APIC_ICR_HI      0x310
#define APIC_ICR_BUSY    (1 << 12)   /* xAPIC delivery status: send pending */
#define APIC_LVT_TIMER   0x320
#define APIC_LVT_MASKED  (1 << 16)
#define X2APIC_MSR(reg)  (0x800 + ((reg) >> 4))
#define X2APIC_MSR_ICR   0x830

static struct {
	volatile u8 *mmio;          /* NULL in x2APIC mode */
	bool x2apic;
	bool ready;
} apic;

static u32 apic_read(u32 reg)
{
	if (apic.x2apic)
		return (u32)rdmsr(X2APIC_MSR(reg));
	return mmio_read32(apic.mmio + reg);
}

static void apic_write(u32 reg, u32 v)
{
	if (apic.x2apic)
		wrmsr(X2APIC_MSR(reg), v);
	else
		mmio_write32(apic.mmio + reg, v);
}

/* This CPU: enable in the chosen mode, accept every priority, spurious
 * vector, timer masked. */
static void apic_enable_this_cpu(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);
	u64 want = base | APIC_BASE_ENABLE | (apic.x2apic ? APIC_BASE_X2APIC : 0);

	if (base != want)
		wrmsr(MSR_APIC_BASE, want);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | X86_SPURIOUS_VECTOR);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
}

void apic_init_boot(phys_addr_t madt_pa)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	apic.x2apic = base & APIC_BASE_X2APIC;
	if (!apic.x2apic)
		apic.mmio = __va(madt_pa ? madt_pa : (base & ~0xfffULL));
	apic_enable_this_cpu();
	apic.ready = true;
}

void apic_init_secondary(void)
{
	apic_enable_this_cpu();
}

bool apic_ready(void) { return apic.ready; }
bool apic_is_x2apic(void) { return apic.x2apic; }

u32 apic_id(void)
{
	return apic.x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* Send ICR command lo to the APIC with id dest.  Interrupts off around the
 * xAPIC register pair, so an IPI sent from an interrupt handler cannot
 * slip in between the destination and the command. */
void apic_send_icr(u32 dest, u32 lo)
{
	unsigned long flags = arch_irq_save();

	if (apic.x2apic) {
		/* WRMSR to the ICR is not serializing: order earlier stores
		 * (the cross-call queue) before the IPI, as Linux's
		 * weak_wrmsr_fence. */
		asm volatile("mfence; lfence" : : : "memory");
		wrmsr(X2APIC_MSR_ICR, (u64)dest << 32 | lo);
	} else {
		while (apic_read(APIC_ICR_LO) & APIC_ICR_BUSY)
			cpu_relax();
		apic_write(APIC_ICR_HI, dest << 24);
		apic_write(APIC_ICR_LO, lo);
	}
	arch_irq_restore(flags);
}
