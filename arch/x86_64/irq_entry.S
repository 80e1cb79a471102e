/* Entry stubs for external interrupt vectors 32..255 (irq.c).
 *
 * Each entry pushes a 0 error code and its vector, as the exception entries
 * do, so the stack holds the same struct pt_regs (include/asm/ptrace.h);
 * irq_common saves the registers, pushes a frame record {interrupted rbp,
 * rip} for backtraces, calls x86_irq(regs) and returns with iretq.
 * Interrupt gates clear IF on entry; iretq restores it. */
#include <asm/cpu.h>
#include <asm/ptrace.h>
#include <asm/entry_regs.h>

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
	PT_REGS_PUSH
	call x86_irq
	PT_REGS_POP
