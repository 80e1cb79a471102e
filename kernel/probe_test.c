/* Selftests of the arch's faulting accesses with exception fixup
 * (arch_probe_read64/arch_probe_write64, include/pagoda/arch.h), which
 * `peek` and `poke` use.  The addresses mean the same on every layout:
 *
 *   address                 x86_64                      arm64
 *   ---------------------   -------------------------   ------------------------
 *   0x1000                  boot identity map dropped   TTBR0 walks off (EPD0)
 *   0x8000000000000000      non-canonical (#GP)         outside both VA halves
 *   kernel text (kmain)     read-only, executable       read-only, executable
 *   probe_ro (.rodata)      read-only                   read-only
 *   probe_target (.bss)     read-write                  read-write
 *
 * The write to kernel text stores the word already there, so even a
 * broken W^X could not change the code. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>

#define PROBE_UNMAPPED      0x1000UL
#define PROBE_NONCANONICAL  0x8000000000000000UL
#define PROBE_RO_VALUE      0x5a5a5a5a5a5a5a5aULL

static u64 probe_target;
static const u64 probe_ro = PROBE_RO_VALUE;

/* An 8-byte-aligned word of the kernel's own text. */
static unsigned long probe_text_word(void)
{
	return ALIGN_DOWN((unsigned long)&kmain, 8);
}

/* Mapped memory: reads see what a plain load sees, writes land. */
SELFTEST(probe_mapped)
{
	struct fault_info fi = { 0 };
	unsigned long text = probe_text_word();
	u64 v = 0;

	EXPECT(arch_probe_read64(text, &v, &fi) == 0);
	EXPECT(v == *(const volatile u64 *)text);
	EXPECT(arch_probe_read64((unsigned long)&probe_ro, &v, &fi) == 0 && v == PROBE_RO_VALUE);
	EXPECT(arch_probe_write64((unsigned long)&probe_target, 42, &fi) == 0);
	EXPECT(*(volatile u64 *)&probe_target == 42);
}

/* Unmapped and non-canonical addresses fault as not-present, for reads
 * and writes, and report the address. */
SELFTEST(probe_unmapped)
{
	struct fault_info fi = { 0 };
	u64 v = 0;

	EXPECT(arch_probe_read64(PROBE_UNMAPPED, &v, &fi) == -EFAULT);
	EXPECT(fi.addr == PROBE_UNMAPPED && !fi.write && !fi.protection);
	EXPECT(arch_probe_write64(PROBE_UNMAPPED, 1, &fi) == -EFAULT);
	EXPECT(fi.addr == PROBE_UNMAPPED && fi.write && !fi.protection);
	EXPECT(arch_probe_read64(PROBE_NONCANONICAL, &v, &fi) == -EFAULT);
	EXPECT(fi.addr == PROBE_NONCANONICAL && !fi.write);
}

/* Writes to read-only kernel text and rodata fault as protection faults
 * and leave the memory as it was. */
SELFTEST(probe_read_only)
{
	struct fault_info fi = { 0 };
	unsigned long text = probe_text_word();
	u64 word = *(const volatile u64 *)text;

	EXPECT(arch_probe_write64(text, word, &fi) == -EFAULT);
	EXPECT(fi.addr == text && fi.write && fi.protection);
	EXPECT(arch_probe_write64((unsigned long)&probe_ro, 1, &fi) == -EFAULT);
	EXPECT(fi.addr == (unsigned long)&probe_ro && fi.write && fi.protection);
	EXPECT(*(const volatile u64 *)&probe_ro == PROBE_RO_VALUE);
	EXPECT(*(const volatile u64 *)text == word);
}
