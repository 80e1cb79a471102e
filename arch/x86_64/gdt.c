/* GDT and TSS, one of each per CPU (a TSS descriptor goes busy on ltr, so
 * CPUs cannot share one; each has its own IST stacks as well).
 *
 *   selector  descriptor
 *   0x00      null
 *   0x08      KERNEL_CS  64-bit code, DPL 0
 *   0x10      KERNEL_DS  data, DPL 0
 *   0x18      KERNEL_TSS 64-bit TSS (16-byte descriptor)
 *
 * Long mode uses the TSS only for its interrupt stack table: vectors whose
 * handler must not trust the current stack (#DF after a stack overflow,
 * NMI, #MC) switch to a known-good IST stack (see idt.c). */
#include <pagoda/kernel.h>
#include <asm/cpu.h>
#include <asm/boot.h>
#include <asm/desc.h>
#include <asm/percpu.h>

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];                 /* ist[0] is IST1 */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;
BUILD_BUG_ON(sizeof(struct tss) != 104);

static struct tss cpu_tss[NR_CPUS] __aligned(16);
static u8 ist_stacks[NR_CPUS][IST_COUNT][IST_STACK_SIZE] __aligned(16);
static u64 cpu_gdt[NR_CPUS][5] __aligned(16);

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/* The two quadwords of a 64-bit available-TSS descriptor for base/limit. */
static void gdt_set_tss(u64 *d, u64 base, u32 limit)
{
	d[0] = (limit & 0xffffUL) | ((base & 0xffffffUL) << 16) |
	       (0x89UL << 40) |                        /* present, type 9 */
	       ((u64)(limit >> 16) & 0xf) << 48 |
	       ((base >> 24) & 0xffUL) << 56;
	d[1] = base >> 32;
}

/* Load this CPU's GDT and TSS (cpu: its logical id) and reload every
 * segment register but %gs (whose base is the per-CPU block). */
void gdt_init(unsigned int cpu)
{
	u64 *gdt = cpu_gdt[cpu];
	struct tss *tss = &cpu_tss[cpu];

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffUL;                 /* KERNEL_CS */
	gdt[2] = 0x00cf92000000ffffUL;                 /* KERNEL_DS */
	for (int i = 0; i < IST_COUNT; i++)
		tss->ist[i] = (u64)ist_stacks[cpu][i] + IST_STACK_SIZE;
	tss->iomap_base = sizeof(*tss);                /* no I/O bitmap */
	gdt_set_tss(&gdt[3], (u64)tss, sizeof(*tss) - 1);

	struct desc_ptr gdtr = { sizeof(cpu_gdt[0]) - 1, (u64)gdt };
	asm volatile("lgdt %0\n\t"
		     "pushq %1\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\tmovl %2, %%eax\n\t"
		     "movl %%eax, %%ds\n\t"
		     "movl %%eax, %%es\n\t"
		     "movl %%eax, %%ss\n\t"
		     "ltr %w3"
		     : : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(KERNEL_TSS)
		     : "rax", "memory");
}

/* [lo, hi) of this CPU's IST stack ist (1-based), for the backtrace
 * bounds check. */
void gdt_ist_stack(int ist, unsigned long *lo, unsigned long *hi)
{
	*lo = (unsigned long)ist_stacks[smp_processor_id()][ist - 1];
	*hi = *lo + IST_STACK_SIZE;
}
