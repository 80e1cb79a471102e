/* arm64 kernel stacks (one per CPU) and the exception entry's room check.
 *
 *   arm64_stacks             STACK_NR_CPUS slots of STACK_SLOT bytes, in bss:
 *     slot 0: arm64_boot_stack_guard  4 KiB   not mapped (mmu_boot.c): an
 *             arm64_boot_stack        BOOT_STACK_SIZE, the boot CPU's SP_EL1
 *             arm64_boot_stack_end            from arm64_virt_entry on
 *     slot n: guard page, then CPU n's stack (secondary entry, smp.c)
 *   arm64_stacks_end
 *   arm64_overflow_stack     STACK_NR_CPUS x OVERFLOW_STACK_SIZE, CPU n's at
 *   arm64_overflow_stack_end n * OVERFLOW_STACK_SIZE: used only by entry.S
 *                            when an exception finds SP_EL1 with no room left
 *   arm64_stack_lo[n]        bottom of CPU n's stack (TPIDR_EL1 = n), which
 *                            the room check below reads
 *
 * An exception pushes its frame on SP_EL1, the stack that overflowed, so
 * the first push would fault in the guard page again, and again.  Each
 * vector therefore checks SP first:
 *
 *   SP - arm64_boot_stack - EXC_STACK_NEED  in [0, BOOT_STACK_SIZE) ?
 *     yes: frame on SP as usual
 *     no:  SP is in or near the guard page (or on no kernel stack at all):
 *          frame on the overflow stack, report "kernel stack overflow", panic
 *
 * EXC_STACK_NEED is the frame (pt_regs and the frame record) plus 1 KiB for
 * the handler: a prologue such as `stp x29, x30, [sp, #-N]!` faults before
 * it moves SP, so SP can still be up to N bytes above the guard, and a
 * handler that printed from there would overflow again itself. */
#ifndef ASM_STACK_H
#define ASM_STACK_H
#include <asm/ptrace.h>

#define BOOT_STACK_SIZE      0x10000     /* a power of two: entry.S tests it with TST */
#define BOOT_STACK_GUARD     0x1000      /* one unmapped page below the stack */
#define STACK_SLOT           (BOOT_STACK_GUARD + BOOT_STACK_SIZE)
#define STACK_NR_CPUS        8           /* NR_CPUS (pagoda/smp.h; smp.c checks) */
#define OVERFLOW_STACK_SHIFT 13
#define OVERFLOW_STACK_SIZE  (1 << OVERFLOW_STACK_SHIFT)  /* printk + panic + backtrace */
#define EXC_STACK_NEED       (S_FRAME + 16 + 1024)

#ifndef __ASSEMBLER__
extern char arm64_boot_stack_guard[], arm64_boot_stack[], arm64_boot_stack_end[];
extern char arm64_stacks[], arm64_stacks_end[];
extern char arm64_overflow_stack[], arm64_overflow_stack_end[];
extern unsigned long arm64_stack_lo[STACK_NR_CPUS];
#endif
#endif
