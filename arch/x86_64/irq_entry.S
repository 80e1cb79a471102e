/* Entry stubs for external interrupt vectors 32..255 (irq.c).
 *
 * Each entry pushes a 0 error code and its vector, as the exception entries
 * do, so the stack holds the same struct pt_regs (include/asm/ptrace.h);
 * irq_common saves the registers, pushes a frame record {interrupted rbp,
 * rip} for backtraces, calls x86_irq(regs) and returns with iretq.
 * Interrupt gates clear IF on entry; iretq restores it. */
#include <asm/cpu.h>
#include <asm/ptrace.h>

#define IRQ_FIRST_VECTOR 32
#define IRQ_NR_VECTORS   224

	.text
	.balign 16
	.globl irq_stubs
irq_stubs:
	.set vec, IRQ_FIRST_VECTOR
	.rept IRQ_NR_VECTORS
	.balign 16
	pushq $0
	pushq $vec
	jmp irq_common
	.set vec, vec + 1
	.endr

irq_common:
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
	call x86_irq
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
