/* x86_64 boot entry: multiboot2 header, 32-bit entry, switch to long mode.
 *
 * GRUB (SeaBIOS or OVMF) enters _start32 in 32-bit protected mode, paging
 * off, %eax = MB2_BOOTLOADER_MAGIC, %ebx = physical address of the MBI.
 * Until paging is on, every symbol is used at its physical address V2P().
 *
 *   1. copy the MBI into mb2_copy (outside bss) before touching memory
 *   2. clear [_bss, _ebss); check CPUID for long mode, NX, 1 GiB pages
 *   3. boot page tables (all in bss):
 *        boot_pml4[0]   -> boot_pdpt_low[0]     -> boot_pd   identity 0..1 GiB
 *        boot_pml4[511] -> boot_pdpt_high[510]  -> boot_pd   KIMAGE_VADDR + 0..1 GiB
 *        boot_pml4[273] -> boot_pdpt_direct[0..511]          PAGE_OFFSET + 0..512 GiB
 *                          (1 GiB pages, NX)     (2 MiB pages in boot_pd)
 *   4. CR4.PAE, EFER.LME|NXE, CR0.PG|WP; far jump to 64-bit code
 *   5. jump to the higher half, boot stack, x86_start() (setup.c)
 */
#include <asm/vmparam.h>
#include <asm/cpu.h>
#include <asm/boot.h>

#define V2P(x)        ((x) - KIMAGE_VADDR)
#define PTE_TABLE     0x003            /* present, writable */
#define PTE_LARGE     0x083            /* present, writable, page size */
#define PTE_NX_HI     0x80000000       /* bit 63, in the high dword */
#define COM1          0x3f8

/* ---------------------------------------------------------------- header */
	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long 0xe85250d6                   /* magic */
	.long 0                            /* architecture: i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(0xe85250d6 + (mb2_header_end - mb2_header))
	.balign 8                          /* entry address tag (physical) */
	.short 3, 0
	.long 12
	.long V2P(_start32)
	.balign 8                          /* end tag */
	.short 0, 0
	.long 8
mb2_header_end:

/* ---------------------------------------------------------------- 32-bit */
	.section .text.boot, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	cmpl $MB2_BOOTLOADER_MAGIC, %eax
	jne bad_magic

	/* 1. Copy min(total_size, MB2_COPY_MAX) bytes of the MBI. */
	movl %ebx, V2P(mb2_phys)
	movl %ebx, %esi
	movl (%esi), %ecx
	cmpl $MB2_COPY_MAX, %ecx
	jbe 1f
	movl $MB2_COPY_MAX, %ecx
1:	movl %ecx, V2P(mb2_copy_len)
	movl $V2P(mb2_copy), %edi
	rep movsb

	/* 2. Clear bss (page aligned, so a multiple of 4 bytes). */
	movl $V2P(_bss), %edi
	movl $V2P(_ebss), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $CPUID_EXT_LM, %edx
	jz no_long_mode
	testl $CPUID_EXT_NX, %edx
	jz no_nx
	testl $CPUID_EXT_PDPE1G, %edx
	jz no_pdpe1g

	/* 3. Boot page tables. */
	movl $V2P(boot_pdpt_low) + PTE_TABLE, V2P(boot_pml4)
	movl $V2P(boot_pdpt_high) + PTE_TABLE, V2P(boot_pml4) + 8 * 511
	movl $V2P(boot_pdpt_direct) + PTE_TABLE, \
	     V2P(boot_pml4) + 8 * ((PAGE_OFFSET >> PGD_SHIFT) & 511)
	movl $V2P(boot_pd) + PTE_TABLE, V2P(boot_pdpt_low)
	movl $V2P(boot_pd) + PTE_TABLE, \
	     V2P(boot_pdpt_high) + 8 * ((KIMAGE_VADDR >> PUD_SHIFT) & 511)

	xorl %ecx, %ecx                    /* boot_pd[i] = i * 2 MiB */
	movl $PTE_LARGE, %eax
1:	movl %eax, V2P(boot_pd)(, %ecx, 8)
	addl $(1 << PMD_SHIFT), %eax
	incl %ecx
	cmpl $512, %ecx
	jb 1b

	xorl %ecx, %ecx                    /* boot_pdpt_direct[i] = i GiB, NX */
1:	movl %ecx, %eax
	shll $PUD_SHIFT, %eax
	orl $PTE_LARGE, %eax
	movl %eax, V2P(boot_pdpt_direct)(, %ecx, 8)
	movl %ecx, %eax
	shrl $2, %eax
	orl $PTE_NX_HI, %eax
	movl %eax, V2P(boot_pdpt_direct) + 4(, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jb 1b

	/* 4. Long mode. */
	movl $V2P(boot_pml4), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0
	lgdt V2P(boot_gdt_desc)
	ljmp $KERNEL_CS, $V2P(start64_low)

bad_magic:
	movl $V2P(msg_bad_magic), %esi
	jmp early_fail
no_long_mode:
	movl $V2P(msg_no_lm), %esi
	jmp early_fail
no_nx:
	movl $V2P(msg_no_nx), %esi
	jmp early_fail
no_pdpe1g:
	movl $V2P(msg_no_pdpe1g), %esi
	/* fall through */

/* Print the NUL-terminated string at %esi on COM1 and stop. */
early_fail:
	movw $COM1 + 5, %dx
1:	inb %dx, %al
	testb $0x20, %al
	jz 1b
	lodsb
	testb %al, %al
	jz 2f
	movw $COM1, %dx
	outb %al, %dx
	jmp early_fail
2:	cli
	hlt
	jmp 2b

/* ---------------------------------------------------------------- 64-bit */
	.code64
start64_low:
	/* 5. Still running at the physical address: go to the higher half. */
	movabsq $start64_high, %rax
	jmp *%rax

	.text
start64_high:
	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp                    /* ends the frame-pointer chain */
	call x86_start
1:	cli
	hlt
	jmp 1b

/* ---------------------------------------------------------------- data */
	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff           /* KERNEL_CS: 64-bit code */
	.quad 0x00cf92000000ffff           /* KERNEL_DS */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long V2P(boot_gdt)
msg_bad_magic:
	.asciz "pagoda: not loaded by a multiboot2 boot loader\r\n"
msg_no_lm:
	.asciz "pagoda: this CPU has no long mode\r\n"
msg_no_nx:
	.asciz "pagoda: this CPU has no NX bit\r\n"
msg_no_pdpe1g:
	.asciz "pagoda: this CPU has no 1 GiB pages (use -cpu max)\r\n"

	.data
	.balign 4
	.globl mb2_copy_len, mb2_phys
mb2_copy_len:
	.long 0
mb2_phys:
	.long 0

	.section .mbi_copy, "aw", @nobits
	.balign 8
	.globl mb2_copy
mb2_copy:
	.skip MB2_COPY_MAX

	.bss
	.balign 4096
	.globl boot_pml4, boot_pdpt_direct
boot_pml4:        .skip 4096
boot_pdpt_low:    .skip 4096
boot_pdpt_high:   .skip 4096
boot_pdpt_direct: .skip 4096
boot_pd:          .skip 4096
	/* The guard page stays unmapped after kmap_init(): a stack overflow
	 * faults, and the #DF goes to its own IST stack. */
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard: .skip 4096
boot_stack:       .skip BOOT_STACK_SIZE
boot_stack_top:
