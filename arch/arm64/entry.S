/* arm64 exception vectors (VBAR_EL1).
 *
 *   VBAR + 0x000  current EL, SP_EL0    sync irq fiq serror
 *        + 0x200  current EL, SP_ELx    sync irq fiq serror   <- the kernel
 *        + 0x400  lower EL, AArch64     sync irq fiq serror
 *        + 0x600  lower EL, AArch32     sync irq fiq serror
 *
 * Every entry saves a struct pt_regs (asm/ptrace.h) and calls
 * arm64_handle_exception(regs, kind, source), which either fixes up the
 * ELR (exception table) and returns here to restore and ERET, or panics. */
#include <asm/ptrace.h>

	.macro	vent kind, source
	.balign	128
	sub	sp, sp, #S_FRAME
	stp	x0, x1, [sp, #16 * 0]
	mov	x0, #\kind
	mov	x1, #\source
	b	exception_common
	.endm

	.text
	.balign	2048
	.globl	arm64_vectors
arm64_vectors:
	vent	0, 0
	vent	1, 0
	vent	2, 0
	vent	3, 0
	vent	0, 1
	vent	1, 1
	vent	2, 1
	vent	3, 1
	vent	0, 2
	vent	1, 2
	vent	2, 2
	vent	3, 2
	vent	0, 3
	vent	1, 3
	vent	2, 3
	vent	3, 3

/* x0 = kind, x1 = source; the frame's x0/x1 slots already hold the
 * interrupted x0/x1.  Build a frame record so backtraces cross the
 * exception (fp -> {interrupted fp, elr}). */
exception_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x21, sp, #S_FRAME
	stp	x30, x21, [sp, #S_LR]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #S_ELR]
	mrs	x24, esr_el1
	mrs	x25, far_el1
	stp	x24, x25, [sp, #S_ESR]
	stp	x29, x22, [sp, #-16]!		/* frame record {fp, elr} */
	mov	x29, sp
	mov	x2, x1
	mov	x1, x0
	add	x0, sp, #16
	bl	arm64_handle_exception
	add	sp, sp, #16
	ldp	x22, x23, [sp, #S_ELR]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #S_LR]
	add	sp, sp, #S_FRAME
	eret
