/* Power off (ACPI S5), QEMU's debug exit, and halting the CPU.
 *
 * S5: write SLP_TYPa | SLP_EN to PM1a_CNT (and SLP_TYPb to PM1b_CNT if
 * the FADT has one), keeping the register's other bits, as Linux's
 * acpi_hw_legacy_sleep does.  The values come from acpi_scan(). */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/acpi.h>
#include <pagoda/bootinfo.h>
#include <asm/vmparam.h>
#include <asm/io.h>
#include <asm/boot.h>

#define ISA_DEBUG_EXIT_PORT 0xf4
#define POWEROFF_WAIT_MS    100

/* ACPI tables are in RAM (or reserved RAM): read them through the direct map. */
static const void *acpi_direct_map(phys_addr_t pa, size_t len)
{
	if (pa + len < pa || pa + len > (1UL << MAX_PHYSMEM_BITS))
		return NULL;
	return __va(pa);
}

/* Scan the tables the boot loader pointed at into `acpi`. */
void x86_acpi_init(phys_addr_t rsdp)
{
	acpi_scan(rsdp, acpi_direct_map, &acpi);
}

static void pm1_cnt_sleep(u16 port, int slp_typ)
{
	u16 v = inw(port) & ~(ACPI_SLP_TYP_MASK | ACPI_SLP_EN);

	v |= slp_typ << ACPI_SLP_TYP_SHIFT;
	outw(port, v);
	outw(port, v | ACPI_SLP_EN);
}

void arch_poweroff(void)
{
	if (!acpi.map)
		x86_acpi_init(bootinfo.acpi_rsdp);
	if (acpi.slp_typa < 0 || !acpi.pm1a_cnt) {
		printk("poweroff: ACPI S5 unavailable (PM1a_CNT 0x%x, SLP_TYPa %d)\n",
		       acpi.pm1a_cnt, acpi.slp_typa);
		return;
	}
	asm volatile("cli");
	if (acpi.pm1b_cnt)
		pm1_cnt_sleep(acpi.pm1b_cnt, acpi.slp_typb);
	pm1_cnt_sleep(acpi.pm1a_cnt, acpi.slp_typa);

	u64 t0 = arch_cycles(), wait = arch_cycles_per_sec() / 1000 * POWEROFF_WAIT_MS;
	while (arch_cycles() - t0 < wait)
		cpu_relax();
	printk("poweroff: still running %d ms after ACPI S5 (PM1a_CNT 0x%x)\n",
	       POWEROFF_WAIT_MS, acpi.pm1a_cnt);
}

__noreturn void arch_debug_exit(int code)
{
	outl(ISA_DEBUG_EXIT_PORT, (u32)code);
	arch_halt();
}

__noreturn void arch_halt(void)
{
	for (;;)
		asm volatile("cli; hlt");
}
