/* arm64 exception frame, saved by arch/arm64/entry.S on the kernel stack. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#define S_X0      0
#define S_LR      240     /* x30 */
#define S_SP      248
#define S_ELR     256
#define S_SPSR    264
#define S_ESR     272
#define S_FAR     280
#define S_FRAME   288

#ifndef __ASSEMBLER__
#include <pagoda/types.h>
struct pt_regs {
	u64 regs[31];      /* x0..x30 */
	u64 sp;            /* sp at the exception */
	u64 elr;           /* ELR_EL1: the faulting / return pc */
	u64 spsr;
	u64 esr;
	u64 far;
};
_Static_assert(sizeof(struct pt_regs) == S_FRAME, "pt_regs layout");

/* Exception kinds passed from the vector table. */
enum arm64_vector {
	VEC_SYNC, VEC_IRQ, VEC_FIQ, VEC_SERROR,
};
void arm64_handle_exception(struct pt_regs *regs, int kind, int source);
__noreturn void arm64_bad_stack_report(struct pt_regs *regs);
#endif
#endif
