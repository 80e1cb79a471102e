/* arm64 exception vectors (VBAR_EL1).
 *
 *   VBAR + 0x000  current EL, SP_EL0    sync irq fiq serror
 *        + 0x200  current EL, SP_ELx    sync irq fiq serror   <- the kernel
 *        + 0x400  lower EL, AArch64     sync irq fiq serror
 *        + 0x600  lower EL, AArch32     sync irq fiq serror
 *
 * Every entry first checks that SP_EL1 has room for the exception (see
 * asm/stack.h), then saves a struct pt_regs (asm/ptrace.h) and calls
 * arm64_handle_exception(regs, kind, source), which either fixes up the
 * ELR (exception table) and returns here to restore and ERET, or panics.
 * An IRQ at the kernel's own level (current EL, SP_ELx) calls
 * arm64_handle_irq(regs) (irq.c, the GIC) instead and returns the same way.
 * Below pt_regs sits a frame record {interrupted fp, ELR} that x29 points
 * at, so backtraces cross the exception into the faulting code:
 *
 *   SP at the exception ->  +--------------------+
 *                           | struct pt_regs     |  S_FRAME bytes
 *                           +--------------------+
 *   x29 for the handler ->  | x29 | ELR          |  frame record
 *                           +--------------------+
 *
 * With no room (a kernel stack overflow: SP in or just above the unmapped
 * guard page) pushing the frame would fault again, forever; the entry
 * takes arm64_bad_stack instead, which builds the same frame on the
 * overflow stack and reports.  The room check compares SP with this CPU's
 * stack (arm64_stack_lo[TPIDR_EL1], asm/stack.h) and needs two scratch
 * registers before anything can be stored: x0 and x1 are parked in
 * TPIDR_EL0 and TPIDRRO_EL0, and the bad stack path parks x0 in TPIDR_EL0
 * and the overflowed SP in SP_EL0.  Pagoda never runs at EL0 or on SP_EL0
 * (always EL1h), so all three are free; TPIDR_EL1 holds the CPU id
 * (asm/smp.h) and is only read here. */
#include <asm/ptrace.h>
#include <asm/stack.h>

	.macro	vent kind, source
	.balign	128
	msr	tpidr_el0, x0			/* park x0, x1 (see above) */
	msr	tpidrro_el0, x1
	mrs	x1, tpidr_el1			/* this CPU's logical id */
	adrp	x0, arm64_stack_lo
	add	x0, x0, :lo12:arm64_stack_lo
	ldr	x0, [x0, x1, lsl #3]		/* its stack bottom */
	sub	x1, sp, x0			/* SP - stack bottom (huge if below) */
	sub	x1, x1, #EXC_STACK_NEED		/* room left after this exception */
	tst	x1, #~(BOOT_STACK_SIZE - 1)	/* not in [0, BOOT_STACK_SIZE)? */
	mrs	x0, tpidr_el0			/* (MRS leaves the flags alone) */
	mrs	x1, tpidrro_el0
	b.ne	arm64_bad_stack
	sub	sp, sp, #S_FRAME
	stp	x0, x1, [sp, #16 * 0]
	mov	x0, #\kind
	mov	x1, #\source
	b	exception_common
	.endm

/* Save x2..x30, the interrupted SP (SP + S_FRAME), ELR, SPSR, ESR and FAR
 * into the pt_regs at SP (x0/x1 are already there), push the frame record
 * {x29, ELR} and point x29 at it. */
	.macro	save_frame
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
 * interrupted x0/x1.  Kind 1 (irq) from source 1 (current EL, SP_ELx)
 * goes to arm64_handle_irq, everything else to arm64_handle_exception. */
exception_common:
	save_frame
	mov	x2, x1
	mov	x1, x0
	add	x0, sp, #16
	adrp	x3, arm64_handle_exception
	add	x3, x3, :lo12:arm64_handle_exception
	adrp	x4, arm64_handle_irq
	add	x4, x4, :lo12:arm64_handle_irq
	cmp	x1, #1
	ccmp	x2, #1, #0, eq			/* kind == irq && source == 1 */
	csel	x3, x4, x3, eq
	blr	x3
	.globl	arm64_exception_ret
arm64_exception_ret:				/* backtraces: the next frame is a fault */
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

/* The vector found SP_EL1 without room (asm/stack.h): x0..x30 and SP are
 * the interrupted values.  Build the frame on the overflow stack, with the
 * overflowed SP in its sp slot, and report; arm64_bad_stack_report panics.
 * A fault during the report lands here again and starts over at the top
 * of the overflow stack; the report's own depth check then stops. */
arm64_bad_stack:
	msr	tpidr_el0, x0
	mov	x0, sp
	msr	sp_el0, x0			/* the overflowed SP */
	mrs	x0, tpidr_el1			/* CPU n: overflow stack n */
	add	x0, x0, #1
	lsl	x0, x0, #OVERFLOW_STACK_SHIFT
	mov	sp, x0
	adrp	x0, arm64_overflow_stack
	add	x0, x0, :lo12:arm64_overflow_stack
	add	sp, sp, x0			/* top of this CPU's overflow stack */
	sub	sp, sp, #S_FRAME
	mrs	x0, tpidr_el0
	stp	x0, x1, [sp, #16 * 0]
	save_frame
	mrs	x21, sp_el0
	str	x21, [sp, #16 + S_SP]
	add	x0, sp, #16
	bl	arm64_bad_stack_report
	.globl	arm64_bad_stack_ret
arm64_bad_stack_ret:				/* backtraces: the next frame is a fault */
	b	arm64_bad_stack_ret

	.bss
	.balign	16
	.globl	arm64_overflow_stack
arm64_overflow_stack:
	.skip	STACK_NR_CPUS * OVERFLOW_STACK_SIZE
	.globl	arm64_overflow_stack_end
arm64_overflow_stack_end:
