/* struct pt_regs: the stack frame built by the exception stubs
 * (arch/x86_64/vectors.S), lowest address first. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#define PT_REGS_RIP  (17 * 8)         /* offsetof(struct pt_regs, rip), for vectors.S */

#ifndef __ASSEMBLER__
#include <pagoda/types.h>

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;     /* pushed by the CPU */
};
_Static_assert(sizeof(struct pt_regs) == 22 * 8, "pt_regs layout is vectors.S's");
_Static_assert(offsetof(struct pt_regs, rip) == PT_REGS_RIP, "PT_REGS_RIP");

void x86_exception(struct pt_regs *regs);
#endif
#endif
