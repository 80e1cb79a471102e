/* Exception entry stubs for vectors 0..31.
 *
 * Each entry makes the stack uniform, then exc_common saves the general
 * registers so the stack holds a struct pt_regs (include/asm/ptrace.h):
 *
 *   high  ss rsp rflags cs rip     pushed by the CPU
 *         error                    by the CPU, or 0 by the entry
 *         vector                   by the entry
 *   low   rax rbx ... r15          by exc_common (r15 lowest)
 *
 * Below pt_regs exc_common pushes a frame record {interrupted rbp, rip}
 * and points %rbp at it, so a frame-pointer walk from inside the handler
 * (panic's arch_dump_backtrace) goes on through the exception into the
 * faulting code, as the arm64 entry does:
 *
 *   x86_exception's frame  {rbp of exc_common, return into exc_common}
 *        |
 *        v
 *   record                 {interrupted rbp, regs->rip}   <- %rbp at the call
 *        |                  regs->rip: the faulting instruction
 *        v
 *   faulting function's frame, its callers ...
 *
 * x86_exception(regs) may change regs->rip (exception fixup) and returns;
 * the registers are restored and iretq resumes.  The CPU aligns %rsp to
 * 16 bytes before pushing, and 22 + 2 quadwords keep it aligned for the
 * call. */
#include <asm/cpu.h>
#include <asm/ptrace.h>
#include <asm/entry_regs.h>

.macro EXC_NOERR n
	.balign 16
exc_stub_\n:
	pushq $0
	pushq $\n
	jmp exc_common
.endm
.macro EXC_ERR n
	.balign 16
exc_stub_\n:
	pushq $\n
	jmp exc_common
.endm

	.text
EXC_NOERR 0
EXC_NOERR 1
EXC_NOERR 2
EXC_NOERR 3
EXC_NOERR 4
EXC_NOERR 5
EXC_NOERR 6
EXC_NOERR 7
EXC_ERR   8
EXC_NOERR 9
EXC_ERR   10
EXC_ERR   11
EXC_ERR   12
EXC_ERR   13
EXC_ERR   14
EXC_NOERR 15
EXC_NOERR 16
EXC_ERR   17
EXC_NOERR 18
EXC_NOERR 19
EXC_NOERR 20
EXC_ERR   21
EXC_NOERR 22
EXC_NOERR 23
EXC_NOERR 24
EXC_NOERR 25
EXC_NOERR 26
EXC_NOERR 27
EXC_NOERR 28
EXC_ERR   29
EXC_ERR   30
EXC_NOERR 31

exc_common:
	PT_REGS_PUSH
	call x86_exception
	.globl exc_common_ret
exc_common_ret:                            /* backtraces: the next frame is a fault */
	PT_REGS_POP

	.section .rodata
	.balign 8
	.globl exc_stub_table
exc_stub_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad exc_stub_\n
	.endr
