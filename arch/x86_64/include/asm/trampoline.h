/* The secondary-CPU start trampoline (arch/x86_64/trampoline.S), copied to
 * X86_TRAMPOLINE_PAGES pages below 1 MiB (smp.c chooses them at boot from
 * the firmware map and reserves them):
 *
 *   T + 0          code: 16-bit entry (STARTUP vector T >> 12, CS:IP = T>>4:0),
 *                  64-bit stub; the parameter block at X86_TRAMP_PARAMS below
 *   T + 4 KiB      PML4: [0] -> the PDPT below, [256..511] = the kernel's
 *   T + 8 KiB      PDPT: [0] = 1 GiB identity page (the trampoline's own
 *                  code runs there between CR0.PG and the jump to the image)
 *
 * The parameter block (offsets used by the assembly; struct x86_tramp_params
 * in smp.c checks them at compile time). */
#ifndef ASM_TRAMPOLINE_H
#define ASM_TRAMPOLINE_H

#define X86_TRAMPOLINE_PAGES 3
#define X86_TRAMPOLINE_MIN   0x1000    /* never page 0 (real-mode IVT) */
#define X86_TRAMPOLINE_LIMIT 0x100000  /* STARTUP reaches only the first 1 MiB */

#define TRP_GDT         0       /* u64[3]: null, KERNEL_CS (64-bit), KERNEL_DS */
#define TRP_GDT_LIMIT   24      /* u16 limit, u32 base: lgdtl's operand */
#define TRP_GDT_BASE    26
#define TRP_JUMP64      32      /* u32 offset (T + 64-bit stub), u16 KERNEL_CS */
#define TRP_CR3         40      /* u32: T + 4 KiB */
#define TRP_CR4         44      /* u32: the boot CPU's CR4 */
#define TRP_EFER        48      /* u32: LME | NXE */
#define TRP_CPU         52      /* u32: logical id of the CPU being started */
#define TRP_STACK       56      /* u64: its kernel stack top */
#define TRP_ENTRY       64      /* u64: x86_secondary_entry */
#define TRP_SIZE        72
#endif
