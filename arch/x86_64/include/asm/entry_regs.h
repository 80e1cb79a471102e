/* Register save / restore shared by the exception entries (vectors.S) and
 * the interrupt entries (irq_entry.S), so both build the same struct
 * pt_regs (asm/ptrace.h) below the vector and error words:
 *
 *   PT_REGS_PUSH   rax rbx ... r15 (r15 lowest), cld, %rdi = regs, then a
 *                  frame record {interrupted rbp, regs->rip} with %rbp on
 *                  it, so a backtrace from the handler crosses the entry
 *   PT_REGS_POP    drops the record, restores r15 ... rax, drops vector
 *                  and error, iretq
 * Assembly only. */
#ifndef ASM_ENTRY_REGS_H
#define ASM_ENTRY_REGS_H
#ifdef __ASSEMBLER__
.macro PT_REGS_PUSH
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi                    /* regs */
	pushq PT_REGS_RIP(%rsp)            /* record: regs->rip ... */
	pushq %rbp                         /* ... and the interrupted rbp */
	movq %rsp, %rbp
.endm

.macro PT_REGS_POP
	addq $16, %rsp                     /* record */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp                     /* vector, error */
	iretq
.endm
#endif
#endif
