/* Secondary CPU start: real mode straight to long mode, then into the image.
 *
 * A STARTUP IPI starts the CPU in real mode at T (CS = T >> 4, IP = 0),
 * where smp.c copied [x86_trampoline_start, x86_trampoline_end) and filled
 * the parameter block (asm/trampoline.h).  The code is position independent:
 * 16-bit code addresses the block DS-relative (DS = CS), 64-bit code
 * RIP-relative; the two absolute addresses it needs (GDT base, the 64-bit
 * stub) are in the block.
 *
 *   16-bit  cli; DS = CS; lgdt (block GDT: null, 64-bit code, data)
 *           CR4 = boot CPU's (PAE, PGE); CR3 = T + 4 KiB (identity 1 GiB +
 *           the kernel's upper half); EFER = LME | NXE
 *           CR0 = PE | PG | WP | NE | ET | MP in one write: long mode active
 *           ljmpl KERNEL_CS:T + stub            (loads the 64-bit CS)
 *   64-bit  data segments; %rsp = block stack; %edi = block cpu;
 *           call block entry = x86_secondary_entry(cpu) in the image (smp.c),
 *           which switches to the kernel page tables and never returns.
 *
 * Going from real mode to long mode in one CR0 write (PE and PG together,
 * LME already set) skips a 32-bit stage; QEMU and hardware accept it. */
#include <asm/cpu.h>
#include <asm/trampoline.h>

#define TR(x)   ((x) - x86_trampoline_start)
#define TRP     TR(x86_trampoline_params)
#define CR0_MP_ET_NE (CR0_MP | CR0_ET | CR0_NE)

	.section .rodata, "a"
	.balign 16
	.globl x86_trampoline_start, x86_trampoline_end, x86_trampoline_64
	.globl x86_trampoline_params
	.code16
x86_trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl (TRP + TRP_GDT_LIMIT)
	movl (TRP + TRP_CR4), %eax
	movl %eax, %cr4
	movl (TRP + TRP_CR3), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl (TRP + TRP_EFER), %eax
	xorl %edx, %edx
	wrmsr
	movl $(CR0_PE | CR0_PG | CR0_WP | CR0_MP_ET_NE), %eax
	movl %eax, %cr0
	ljmpl *(TRP + TRP_JUMP64)

	.code64
x86_trampoline_64:
	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq x86_trampoline_params + TRP_STACK(%rip), %rsp
	movl x86_trampoline_params + TRP_CPU(%rip), %edi
	movq x86_trampoline_params + TRP_ENTRY(%rip), %rax
	xorl %ebp, %ebp                    /* ends the frame-pointer chain */
	call *%rax
1:	cli
	hlt
	jmp 1b

	.balign 8
x86_trampoline_params:
	.skip TRP_SIZE
x86_trampoline_end:
	.previous
