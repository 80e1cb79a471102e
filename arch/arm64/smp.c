/* arm64 SMP bring-up: the CPUs the firmware lists, started one at a time
 * with PSCI CPU_ON; the idle wait; /proc/cpuinfo's arch lines.
 *
 *   fwprobe.c: MADT GICC entries (enabled) or DTB cpu nodes -> cpu_mpidr[]
 *   arm64_smp_init (arch_late_init): smp_register_cpu(boot MPIDR), then
 *     every other listed MPIDR (logical ids 1.. in firmware order)
 *   arch_smp_boot_secondaries, for each secondary n:
 *     block n = { TTBR0 idmap, TTBR1, TCR, MAIR, SCTLR of CPU 0,
 *                 stack top of slot n (asm/stack.h), n }, cleaned to PoC
 *     PSCI CPU_ON(mpidr, pa(arm64_secondary_entry), pa(block n))
 *       CPU n: smp_entry.S (EL2 -> EL1, MMU on with CPU 0's tables,
 *              SP, VBAR, TPIDR_EL1 = n) -> arm64_secondary_start(n):
 *              its GIC interface + the IPI SGI -> smp_secondary_main(n)
 *     CPU 0 waits for cpu_online(n), at most SMP_BOOT_WAIT_MS; a CPU that
 *     PSCI refuses or that does not come in time is reported and skipped
 *     (and parks itself if it arrives later)
 *   `smp: N CPUs online`
 *
 * The conduit (HVC or SMC) is the one the FADT or the DTB named (power.c).
 * Device interrupts stay on CPU 0; secondaries take IPIs only. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/smp.h>
#include <pagoda/seq.h>
#include <asm/sysreg.h>
#include <asm/io.h>
#include <asm/stack.h>
#include <asm/smp_boot.h>
#include <asm/pgtable.h>
#include "arm64.h"
#include "gic.h"

_Static_assert(STACK_NR_CPUS == NR_CPUS, "asm/stack.h has a stack slot per CPU");

#define PSCI_CPU_ON_64     0xc4000003UL
#define SMP_BOOT_WAIT_MS   5000

struct arm64_cpu {
	u64 midr;                       /* MIDR_EL1, read by the CPU itself */
	volatile bool abandoned;        /* CPU 0 gave up waiting: park if it comes */
};
static struct arm64_cpu arm64_cpus[NR_CPUS];
static struct arm64_secondary_boot arm64_sboot[NR_CPUS];

/* This CPU's MPIDR_EL1 affinity fields. */
static u64 arm64_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
}

/* Register the boot CPU, then every other CPU the firmware listed. */
void arm64_smp_init(void)
{
	u64 self = arm64_mpidr();

	smp_register_cpu(self);
	arm64_cpus[0].midr = read_sysreg(midr_el1);
	cpus[0].arch_data = &arm64_cpus[0];
	for (int i = 0; i < arm64_boot.nr_cpus; i++) {
		int id;

		if (arm64_boot.cpu_mpidr[i] == self)
			continue;
		id = smp_register_cpu(arm64_boot.cpu_mpidr[i]);
		if (id > 0)
			cpus[id].arch_data = &arm64_cpus[id];
	}
	if (arm64_boot.cpus_listed > arm64_boot.nr_cpus)
		printk("smp: %d CPUs listed, %d kept (NR_CPUS)\n", arm64_boot.cpus_listed,
		       arm64_boot.nr_cpus);
	if (arm64_boot.nr_cpus > 1)
		printk("smp: %d CPUs listed (%s)\n", arm64_boot.nr_cpus,
		       arm64_boot.cpu_src == FW_SRC_DTB ? "device tree /cpus" : "ACPI MADT GICC");
}

/* Clean [p, p + len) to the point of coherency: a CPU with its MMU and
 * caches off reads memory, not our cache. */
static void arm64_dcache_clean_poc(const void *p, size_t len)
{
	unsigned long line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	unsigned long a = ALIGN_DOWN((unsigned long)p, line);

	for (; a < (unsigned long)p + len; a += line)
		asm volatile("dc cvac, %0" : : "r"(a) : "memory");
	asm volatile("dsb sy" : : : "memory");
}

/* Fill CPU n's boot block with CPU 0's translation setup and its stack. */
static struct arm64_secondary_boot *arm64_sboot_fill(unsigned int n)
{
	struct arm64_secondary_boot *sb = &arm64_sboot[n];

	sb->ttbr0 = read_sysreg(ttbr0_el1);     /* still the switch idmap */
	sb->ttbr1 = arm64_ttbr1_pa;
	sb->tcr = read_sysreg(tcr_el1) & ~TCR_EPD0;
	sb->mair = read_sysreg(mair_el1);
	sb->sctlr = read_sysreg(sctlr_el1);
	sb->stack_top = arm64_stack_lo[n] + BOOT_STACK_SIZE;
	sb->cpu = n;
	arm64_dcache_clean_poc(sb, sizeof(*sb));
	return sb;
}

/* Start secondary n and wait (bounded) until it is online.  0, or -ENODEV
 * (PSCI refused it) / -EBUSY (not online in time), both reported. */
static int arm64_boot_one(unsigned int n)
{
	struct arm64_secondary_boot *sb = arm64_sboot_fill(n);
	u64 deadline;
	long rc;

	rc = psci_call(PSCI_CPU_ON_64, cpus[n].hwid, arch_kimage_pa(arm64_secondary_entry),
		       arch_kimage_pa(sb));
	if (rc) {
		printk("smp: CPU %u (%#lx) did not come online: PSCI CPU_ON returned %ld\n", n,
		       (unsigned long)cpus[n].hwid, rc);
		return -ENODEV;
	}
	deadline = arch_cycles() + arch_cycles_per_sec() * SMP_BOOT_WAIT_MS / 1000;
	while (!cpu_online(n) && arch_cycles() < deadline)
		cpu_relax();
	if (cpu_online(n))
		return 0;
	arm64_cpus[n].abandoned = true;
	printk("smp: CPU %u (%#lx) did not come online within %d ms\n", n,
	       (unsigned long)cpus[n].hwid, SMP_BOOT_WAIT_MS);
	return -EBUSY;
}

void arch_smp_boot_secondaries(void)
{
	arm64_bbm_smp_init();
	for (unsigned int n = 1; n < nr_cpu_ids; n++)
		arm64_boot_one(n);
	printk("smp: %u CPUs online\n", num_online_cpus());
}

/* A secondary on its own stack with the kernel's tables (smp_entry.S). */
void arm64_secondary_start(unsigned int cpu)
{
	struct arm64_cpu *c = &arm64_cpus[cpu % NR_CPUS];

	c->midr = read_sysreg(midr_el1);
	if (c->abandoned || arm64_irq_cpu_init()) {
		if (!c->abandoned)
			printk("smp: CPU %u: no GIC CPU interface, parked\n", cpu);
		arch_halt();
	}
	smp_secondary_main(cpu);
}

/* Called with IRQs masked: WFI wakes on a pending interrupt even then, so
 * an IPI sent after the caller's last check is not lost; unmasking takes
 * it before we return. */
void arch_cpu_idle(void)
{
	asm volatile("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb" : : : "memory");
}

/* Linux's arm64 lines from MIDR_EL1, then the MPIDR affinity. */
void arch_cpuinfo_show(struct seq *s, unsigned int cpu)
{
	u64 midr = arm64_cpus[cpu % NR_CPUS].midr;

	seq_printf(s, "CPU implementer\t: 0x%02lx\n", (unsigned long)(midr >> 24) & 0xff);
	seq_printf(s, "CPU architecture: 8\n");
	seq_printf(s, "CPU variant\t: 0x%lx\n", (unsigned long)(midr >> 20) & 0xf);
	seq_printf(s, "CPU part\t: 0x%03lx\n", (unsigned long)(midr >> 4) & 0xfff);
	seq_printf(s, "CPU revision\t: %lu\n", (unsigned long)midr & 0xf);
	seq_printf(s, "MPIDR\t\t: 0x%lx\n", (unsigned long)cpus[cpu].hwid);
}
