/* Exception fixup table.  An instruction that may fault on purpose (peek,
 * poke) is listed in section __ex_table as {insn, fixup}; a #PF or #GP at
 * insn resumes at fixup instead of panicking.
 *
 *   1:  movq (%rdi), %rax          .pushsection __ex_table
 *   2:  ...                        .quad 1b, 3b
 *   .fixup:  3: mov $-EFAULT, ...; jmp 2b
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H
#include <pagoda/types.h>

struct exception_table_entry {
	unsigned long insn;
	unsigned long fixup;
};

struct pt_regs;
/* If regs->rip is listed, record the fault and redirect; true if done. */
bool extable_fixup(struct pt_regs *regs);
#endif
