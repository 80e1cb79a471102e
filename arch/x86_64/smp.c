/* x86_64 SMP bring-up: CPUs from the MADT, INIT-SIPI-SIPI through a
 * trampoline below 1 MiB, the secondary's C entry, IPIs, idle, cpuinfo.
 *
 *   boot CPU                                      secondary n (APIC id h)
 *   x86_start: x86_trampoline_reserve()
 *     (3 pages of usable RAM below 1 MiB, reserved before memblock exists)
 *   arch_late_init: x86_smp_enumerate()
 *     (boot CPU's APIC id first, then every enabled MADT local APIC /
 *      x2APIC entry -> smp_register_cpu)
 *   arch_smp_boot_secondaries():
 *     copy trampoline.S to T, PML4/PDPT at T + 4/8 KiB
 *     per CPU: params {cpu n, stack top, entry}
 *       INIT (assert) -> h, wait 10 ms ------->  reset, wait for SIPI
 *       STARTUP T >> 12 -> h, 200 us, again -->  real mode at T:
 *                                                  -> long mode (trampoline.S)
 *                                                  -> x86_secondary_entry(n):
 *                                                     CR3 = kernel_pgd, TLB flush,
 *                                                     GS base, GDT/TSS, IDT, LAPIC
 *       wait up to X86_ONLINE_TIMEOUT_MS <-------  smp_secondary_main(n): online
 *       (late: INIT parks it again, reported, skipped)
 *   print `smp: N CPUs online`
 *
 * One CPU starts at a time, so one parameter block serves them all.  CPU 0
 * waits in thread context with interrupts on; nothing else changes kernel
 * mappings meanwhile (a secondary that is not online yet gets no shootdown,
 * so it flushes its whole TLB when it loads the kernel's page tables). */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/bootinfo.h>
#include <pagoda/smp.h>
#include <pagoda/seq.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/io.h>
#include <asm/cpu.h>
#include <asm/boot.h>
#include <asm/percpu.h>
#include <asm/trampoline.h>
#include <asm/tlbflush.h>
#include "arch/x86_64/irq.h"

#define MADT_LAPIC            0
#define MADT_X2APIC           9
#define MADT_CPU_ENABLED      (1 << 0)
#define XAPIC_MAX_ID          0xfe      /* 0xff is the xAPIC broadcast */
#define X86_INIT_DELAY_US     10000     /* INIT -> STARTUP (Intel MP spec) */
#define X86_SIPI_DELAY_US     200       /* between the two STARTUPs */
#define X86_ONLINE_TIMEOUT_MS 5000      /* TCG on a busy host is slow */

/* The parameter block trampoline.S reads (asm/trampoline.h offsets). */
struct x86_tramp_params {
	u64 gdt[3];
	u16 gdt_limit;
	u32 gdt_base;
	u16 pad0;
	u32 jump64_off;
	u16 jump64_sel;
	u16 pad1;
	u32 cr3, cr4, efer, cpu;
	u64 stack;
	u64 entry;
} __packed;
BUILD_BUG_ON(__builtin_offsetof(struct x86_tramp_params, gdt_limit) != TRP_GDT_LIMIT);
BUILD_BUG_ON(__builtin_offsetof(struct x86_tramp_params, gdt_base) != TRP_GDT_BASE);
BUILD_BUG_ON(__builtin_offsetof(struct x86_tramp_params, jump64_off) != TRP_JUMP64);
BUILD_BUG_ON(__builtin_offsetof(struct x86_tramp_params, cr3) != TRP_CR3);
BUILD_BUG_ON(__builtin_offsetof(struct x86_tramp_params, cpu) != TRP_CPU);
BUILD_BUG_ON(__builtin_offsetof(struct x86_tramp_params, stack) != TRP_STACK);
BUILD_BUG_ON(__builtin_offsetof(struct x86_tramp_params, entry) != TRP_ENTRY);
BUILD_BUG_ON(sizeof(struct x86_tramp_params) != TRP_SIZE);

extern const char x86_trampoline_start[], x86_trampoline_end[];
extern const char x86_trampoline_64[], x86_trampoline_params[];
__noreturn void x86_secondary_entry(unsigned int cpu);

static phys_addr_t x86_tramp_pa;        /* 0: none found, secondaries stay off */

/* The highest X86_TRAMPOLINE_PAGES pages of usable RAM in
 * [X86_TRAMPOLINE_MIN, X86_TRAMPOLINE_LIMIT), from the firmware map, as
 * Linux's reserve_real_mode; reserved so memblock never hands them out. */
void x86_trampoline_reserve(void)
{
	const u64 size = X86_TRAMPOLINE_PAGES * PAGE_SIZE;

	for (int i = bootinfo.nr_mmap - 1; i >= 0; i--) {
		const struct boot_mem_range *r = &bootinfo.mmap[i];
		phys_addr_t s = ALIGN_UP(MAX(r->base, (phys_addr_t)X86_TRAMPOLINE_MIN), PAGE_SIZE);
		phys_addr_t e = ALIGN_DOWN(MIN(r->base + r->size,
					       (phys_addr_t)X86_TRAMPOLINE_LIMIT), PAGE_SIZE);

		if (r->type != BOOT_MEM_USABLE || e <= s || e - s < size)
			continue;
		x86_tramp_pa = e - size;
		bootinfo_add_reserved(&bootinfo, x86_tramp_pa, size);
		return;
	}
	printk("smp: no usable page below 1 MiB for the trampoline: one CPU\n");
}

/* One MADT entry: register an enabled local APIC / x2APIC other than the
 * boot CPU's (ctx: its id). */
static void x86_smp_madt_cpu(const u8 *e, void *ctx)
{
	u32 id, flags, boot = *(const u32 *)ctx;

	if (e[0] == MADT_LAPIC && e[1] >= 8) {
		id = e[3];
		memcpy(&flags, e + 4, 4);
	} else if (e[0] == MADT_X2APIC && e[1] >= 16) {
		memcpy(&id, e + 4, 4);
		memcpy(&flags, e + 8, 4);
	} else {
		return;
	}
	if (!(flags & MADT_CPU_ENABLED) || id == boot)
		return;
	if (!apic_is_x2apic() && id > XAPIC_MAX_ID) {
		printk("smp: APIC id %u needs x2APIC mode, CPU skipped\n", id);
		return;
	}
	int n = smp_register_cpu(id);           /* a repeated id: the same n */
	if (n > 0) {
		x86_percpu[n].apic_id = id;
		cpus[n].arch_data = &x86_percpu[n];
	}
}

void x86_smp_enumerate(void)
{
	u32 boot = apic_ready() ? apic_id() : 0;

	smp_register_cpu(boot);
	x86_percpu[0].apic_id = boot;
	cpus[0].arch_data = &x86_percpu[0];
	if (apic_ready())
		x86_madt_walk(x86_smp_madt_cpu, &boot, NULL);
}

/* Copy the trampoline to T and build its tables: PML4[0] -> PDPT with a
 * 1 GiB identity page (executable: the 64-bit stub runs there), the upper
 * half (image, direct map) shared with the kernel's PML4. */
static struct x86_tramp_params *x86_tramp_install(void)
{
	u64 size = x86_trampoline_end - x86_trampoline_start;
	u8 *t = __va(x86_tramp_pa);
	pte_t *pml4 = __va(x86_tramp_pa + PAGE_SIZE), *pdpt = __va(x86_tramp_pa + 2 * PAGE_SIZE);
	struct x86_tramp_params *p = (void *)(t + (x86_trampoline_params - x86_trampoline_start));

	KASSERT(size <= PAGE_SIZE, "trampoline of %lu bytes", (unsigned long)size);
	memcpy(t, x86_trampoline_start, size);
	memset(pml4, 0, PAGE_SIZE);
	memset(pdpt, 0, PAGE_SIZE);
	pdpt[0] = _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
	pml4[0] = (x86_tramp_pa + 2 * PAGE_SIZE) | _PAGE_PRESENT | _PAGE_RW;
	for (int i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		pml4[i] = arch_pgd()[i];
	p->gdt[0] = 0;
	p->gdt[1] = 0x00af9a000000ffffUL;       /* KERNEL_CS: 64-bit code */
	p->gdt[2] = 0x00cf92000000ffffUL;       /* KERNEL_DS */
	p->gdt_limit = sizeof(p->gdt) - 1;
	p->gdt_base = __pa(p->gdt);
	p->jump64_off = x86_tramp_pa + (x86_trampoline_64 - x86_trampoline_start);
	p->jump64_sel = KERNEL_CS;
	p->cr3 = x86_tramp_pa + PAGE_SIZE;
	p->cr4 = read_cr4();
	p->efer = EFER_LME | EFER_NXE;
	p->entry = (u64)x86_secondary_entry;
	return p;
}

static void x86_udelay(u64 us)
{
	u64 t0 = arch_cycles(), n = arch_cycles_per_sec() / 1000000 * us;

	while (arch_cycles() - t0 < n)
		cpu_relax();
}

/* Start cpu: INIT, STARTUP twice, then wait (bounded) for it to come
 * online.  False if it did not (it is sent INIT again, which parks it). */
static bool x86_boot_cpu(struct x86_tramp_params *p, unsigned int cpu)
{
	u32 id = (u32)cpus[cpu].hwid;
	u64 t0, limit = arch_cycles_per_sec() / 1000 * X86_ONLINE_TIMEOUT_MS;

	p->cpu = cpu;
	p->stack = x86_percpu_stack_top(cpu);
	apic_send_icr(id, APIC_ICR_INIT | APIC_ICR_ASSERT);
	x86_udelay(X86_INIT_DELAY_US);
	for (int i = 0; i < 2; i++) {
		apic_send_icr(id, APIC_ICR_STARTUP | (u32)(x86_tramp_pa >> PAGE_SHIFT));
		x86_udelay(X86_SIPI_DELAY_US);
	}
	for (t0 = arch_cycles(); !cpu_online(cpu); cpu_relax())
		if (arch_cycles() - t0 > limit)
			break;
	if (cpu_online(cpu))
		return true;
	apic_send_icr(id, APIC_ICR_INIT | APIC_ICR_ASSERT);
	printk("smp: CPU %u (APIC id %u) did not come online (%s)\n", cpu, id,
	       x86_percpu[cpu].boot_stage == X86_BOOT_NONE ? "never started" :
	       x86_percpu[cpu].boot_stage == X86_BOOT_ENTERED ? "stopped in arch setup" :
	       "stopped in smp_secondary_main");
	return false;
}

void arch_smp_boot_secondaries(void)
{
	if (nr_cpu_ids > 1 && x86_tramp_pa && apic_ready()) {
		struct x86_tramp_params *p = x86_tramp_install();

		for (unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++)
			x86_boot_cpu(p, cpu);
	}
	printk("smp: %u CPUs online\n", num_online_cpus());
}

/* A secondary's first C code, on its own stack with the trampoline's page
 * tables: the kernel's tables, per-CPU block, descriptors, local APIC. */
__noreturn void x86_secondary_entry(unsigned int cpu)
{
	unsigned long cr4 = read_cr4();

	write_cr3(__pa(arch_pgd()));
	write_cr4(cr4 ^ CR4_PGE);               /* drop global entries too */
	write_cr4(cr4);
	x86_percpu_load(cpu);
	x86_percpu[cpu].boot_stage = X86_BOOT_ENTERED;
	gdt_init(cpu);
	idt_load();
	apic_init_secondary();
	x86_percpu[cpu].boot_stage = X86_BOOT_READY;
	smp_secondary_main(cpu);
}

void arch_send_ipi(unsigned int cpu)
{
	apic_send_icr((u32)cpus[cpu].hwid, APIC_ICR_FIXED | X86_IPI_VECTOR);
}

/* The panic stop as an NMI: taken even by a CPU spinning with interrupts
 * off (Linux's NMI stop); x86_exception sees vector 2 with a stop asked. */
void arch_send_stop(unsigned int cpu)
{
	apic_send_icr((u32)cpus[cpu].hwid, APIC_ICR_NMI);
}

/* Called with interrupts off after the caller found nothing to do: STI
 * enables interrupts only after the next instruction, so an IPI that
 * arrived after the check stays pending until HLT and then ends it
 * (no lost wakeup).  While halted the CPU is IDLE for the shootdown
 * (tlb_defer.c: no IPI, a full flush owed on wake, taken by the interrupt
 * entry that wakes it, or here).  Returns with interrupts on. */
void arch_cpu_idle(void)
{
	x86_tlb_idle_enter();
	asm volatile("sti; hlt" : : : "memory");
	x86_tlb_idle_exit();
}

void arch_cpuinfo_show(struct seq *s, unsigned int cpu)
{
	const struct x86_percpu *pc = &x86_percpu[cpu];
	const char *name = pc->model_name;

	while (*name == ' ')
		name++;
	seq_printf(s, "vendor_id\t: %s\n", pc->vendor);
	seq_printf(s, "cpu family\t: %u\n", pc->cpuid_family);
	seq_printf(s, "model\t\t: %u\n", pc->cpuid_model);
	seq_printf(s, "model name\t: %s\n", name);
	seq_printf(s, "stepping\t: %u\n", pc->cpuid_stepping);
	seq_printf(s, "apicid\t\t: %u\n", pc->apic_id);
	seq_printf(s, "initial apicid\t: %u\n", pc->initial_apic_id);
}
