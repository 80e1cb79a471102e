/* x86_64 per-CPU blocks and kernel stacks.
 *
 *   IA32_GS_BASE (MSR 0xc0000101) --> x86_percpu[n] = { cpu = n, ... }
 *
 *   kernel stacks (image bss; kmap.c leaves each guard page unmapped):
 *     CPU 0   [boot_stack_guard][boot_stack ......... boot_stack_top)   entry.S
 *     CPU n   [x86_stacks[n-1].guard][.stack ............... top)       here
 *
 * The boot CPU loads its GS base before any other C code runs (x86_start),
 * so smp_processor_id() works from the first printk on; a secondary loads
 * its own first thing in x86_secondary_entry() (smp.c).  Nothing reloads
 * %gs afterwards (the kernel has no user mode, so no swapgs). */
#include <pagoda/kernel.h>
#include <asm/percpu.h>
#include <asm/vmparam.h>
#include <asm/cpu.h>
#include <asm/boot.h>

#define MSR_GS_BASE 0xc0000101

struct x86_stack {
	u8 guard[PAGE_SIZE];
	u8 stack[BOOT_STACK_SIZE];
};

struct x86_percpu x86_percpu[NR_CPUS];
static struct x86_stack x86_stacks[NR_CPUS - 1] __aligned(PAGE_SIZE);

unsigned long x86_percpu_stack_top(unsigned int cpu)
{
	if (cpu == 0)
		return (unsigned long)boot_stack_top;
	return (unsigned long)x86_stacks[cpu - 1].stack + BOOT_STACK_SIZE;
}

int x86_stack_guard_cpu(unsigned long va)
{
	if (va - (unsigned long)boot_stack_guard < PAGE_SIZE)
		return 0;
	for (unsigned int n = 1; n < NR_CPUS; n++)
		if (va - (unsigned long)x86_stacks[n - 1].guard < PAGE_SIZE)
			return (int)n;
	return -1;
}

/* CPUID vendor, family/model/stepping (with the extended fields, as Linux
 * computes them), brand string, initial APIC id: this CPU's identity. */
static void x86_percpu_cpuid(struct x86_percpu *pc)
{
	u32 a, b, c, d, max, *v = (u32 *)pc->vendor, *m = (u32 *)pc->model_name;

	cpuid(0, &max, &v[0], &v[2], &v[1]);
	pc->vendor[12] = 0;
	cpuid(1, &a, &b, &c, &d);
	pc->cpuid_family = (a >> 8) & 0xf;
	pc->cpuid_model = (a >> 4) & 0xf;
	pc->cpuid_stepping = a & 0xf;
	if (pc->cpuid_family == 0xf)
		pc->cpuid_family += (a >> 20) & 0xff;
	if (pc->cpuid_family >= 6)
		pc->cpuid_model |= ((a >> 16) & 0xf) << 4;
	pc->initial_apic_id = b >> 24;
	if (max >= 0xb) {
		cpuid(0xb, &a, &b, &c, &d);
		if (b)                      /* leaf 0xb present: the full x2APIC id */
			pc->initial_apic_id = d;
	}
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000004)
		for (u32 i = 0; i < 3; i++)
			cpuid(0x80000002 + i, &m[4 * i], &m[4 * i + 1], &m[4 * i + 2], &m[4 * i + 3]);
	pc->model_name[48] = 0;
}

void x86_percpu_load(unsigned int cpu)
{
	struct x86_percpu *pc = &x86_percpu[cpu];

	wrmsr(MSR_GS_BASE, (u64)pc);
	x86_percpu_cpuid(pc);
}

void x86_percpu_init_boot(void)
{
	for (unsigned int n = 0; n < NR_CPUS; n++) {
		struct x86_percpu *pc = &x86_percpu[n];

		pc->cpu = n;
		pc->stack_hi = x86_percpu_stack_top(n);
		pc->stack_lo = pc->stack_hi - BOOT_STACK_SIZE;
		pc->guard = pc->stack_lo - PAGE_SIZE;
	}
	x86_percpu_load(0);
}
