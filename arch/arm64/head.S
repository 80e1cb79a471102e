/* arm64 image header and the two boot steps written in assembly.
 *
 *   offset 0      "MZ" (a harmless CCMP) | b direct_entry   arm64 Image header
 *          0x38   "ARM\x64", 0x3c -> PE header               (GRUB checks both)
 *          0x40   PE32+ header: machine 0xaa64, EFI application, 2 sections
 *          0x1000 .text: efi_entry ... (RVA == file offset)
 *
 * Flow: firmware/GRUB -> efi_entry (MMU on, firmware identity map, any load
 * address) -> efi_app_main (C, arch/arm64/efi_app.c) -> arm64_mmu_switch
 * (idmap page, MMU off/on with our tables) -> arm64_virt_entry at the link
 * address -> arm64_start_kernel -> kmain.
 * The PE fields that are link-time differences come from linker/arm64.ld. */
#include <asm/sysreg.h>
#include <asm/stack.h>
#include <asm/el2_setup.h>

	.section .head.text, "ax"
_head:
	.inst	0xfa405a4d			/* "MZ": ccmp x18, #0, #0xd, pl */
	b	direct_entry			/* Image code1 */
	.quad	0				/* text_offset */
	.quad	__pe_image_size			/* image_size */
	.quad	0xa				/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	pe_header - _head		/* DOS e_lfanew */

pe_header:
	.ascii	"PE\0\0"
	.short	0xaa64				/* Machine: ARM64 */
	.short	2				/* NumberOfSections */
	.long	0, 0, 0				/* TimeDateStamp, symbols */
	.short	section_table - optional_header	/* SizeOfOptionalHeader */
	.short	0x0206				/* EXECUTABLE | LINE_NUMS/DEBUG_STRIPPED */
optional_header:
	.short	0x20b				/* PE32+ */
	.byte	0x02, 0x14			/* linker version */
	.long	__pe_text_size			/* SizeOfCode */
	.long	__pe_data_rawsize		/* SizeOfInitializedData */
	.long	0				/* SizeOfUninitializedData */
	.long	__pe_entry_rva			/* AddressOfEntryPoint */
	.long	__pe_head_size			/* BaseOfCode */
	.quad	0				/* ImageBase (relocatable, no relocs) */
	.long	0x1000				/* SectionAlignment */
	.long	0x1000				/* FileAlignment */
	.short	0, 0, 0, 1, 0, 0		/* OS, image, subsystem versions */
	.long	0				/* Win32VersionValue */
	.long	__pe_image_size			/* SizeOfImage */
	.long	__pe_head_size			/* SizeOfHeaders */
	.long	0				/* CheckSum */
	.short	10				/* Subsystem: EFI application */
	.short	0x100				/* DllCharacteristics: NX_COMPAT */
	.quad	0, 0, 0, 0			/* stack/heap reserve/commit */
	.long	0				/* LoaderFlags */
	.long	6				/* NumberOfRvaAndSizes */
	.quad	0, 0, 0, 0, 0, 0		/* export..base relocation: none */
section_table:
	.ascii	".text\0\0\0"
	.long	__pe_text_size			/* VirtualSize */
	.long	__pe_head_size			/* VirtualAddress */
	.long	__pe_text_size			/* SizeOfRawData */
	.long	__pe_head_size			/* PointerToRawData */
	.long	0, 0				/* relocations, line numbers */
	.short	0, 0
	.long	0x60000020			/* CODE | EXECUTE | READ */
	.ascii	".data\0\0\0"
	.long	__pe_data_vsize			/* VirtualSize (incl. bss) */
	.long	__pe_data_rva			/* VirtualAddress */
	.long	__pe_data_rawsize		/* SizeOfRawData */
	.long	__pe_data_rva			/* PointerToRawData */
	.long	0, 0
	.short	0, 0
	.long	0xc0000040			/* INITIALIZED_DATA | READ | WRITE */

/* A bare Image boot (QEMU -kernel without firmware) has no UEFI memory map
 * to build bootinfo from: Pagoda boots arm64 only as an EFI application.
 * Park the CPU. */
direct_entry:
	msr	daifset, #0xf
1:	wfe
	b	1b

	.text
/* efi_entry(ImageHandle x0, SystemTable x1): the PE entry point.
 * Masks interrupts (the firmware's timer would poll the UART and eat input),
 * clears bss (PC-relative: we run at the load address) and calls the C entry,
 * which returns only with an EFI error status for the firmware. */
	.globl	efi_entry
efi_entry:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x0, x1, [sp, #16]
	msr	daifset, #0xf
	msr	tpidr_el1, xzr			/* logical CPU id 0 (asm/smp.h) */
	adrp	x2, __bss_start
	add	x2, x2, :lo12:__bss_start
	adrp	x3, __bss_end
	add	x3, x3, :lo12:__bss_end
1:	cmp	x2, x3
	b.hs	2f
	str	xzr, [x2], #8
	b	1b
2:	ldp	x0, x1, [sp, #16]
	bl	efi_app_main
	ldp	x29, x30, [sp], #32
	ret

/* Running at the link address with our tables; TTBR0 still holds the
 * identity map the switch came through (kept: secondaries come up through
 * it, smp_entry.S).  CPU id, stack, vectors, stop TTBR0 walks. */
arm64_virt_entry:
	msr	tpidr_el1, xzr			/* CPU 0 (the EL2 drop may have reset it) */
	adrp	x9, arm64_boot_stack_end
	add	x9, x9, :lo12:arm64_boot_stack_end
	mov	sp, x9
	adrp	x9, arm64_vectors
	add	x9, x9, :lo12:arm64_vectors
	msr	vbar_el1, x9
	mrs	x9, tcr_el1
	orr	x9, x9, #TCR_EPD0
	msr	tcr_el1, x9
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mov	x29, xzr
	mov	x30, xzr
	bl	arm64_start_kernel
3:	wfi
	b	3b

/* arm64_mmu_switch(ttbr1 x0, ttbr0 x1, tcr x2, mair x3, start x4, end x5):
 * called by the EFI application after ExitBootServices, from the identity-mapped
 * page .idmap.text.  Cleans [start, end) (the image, holding our tables) to
 * PoC, turns the firmware's MMU off (dropping from EL2 to EL1 first if the
 * firmware ran at EL2), installs our tables and jumps to the link address.
 * Uses no stack. */
	.section .idmap.text, "ax"
	.globl	arm64_mmu_switch
arm64_mmu_switch:
	msr	daifset, #0xf
	mrs	x9, ctr_el0
	ubfx	x9, x9, #16, #4
	mov	x10, #4
	lsl	x10, x10, x9			/* D-cache line size */
	sub	x11, x10, #1
	bic	x4, x4, x11
1:	dc	civac, x4
	add	x4, x4, x10
	cmp	x4, x5
	b.lo	1b
	dsb	sy
	isb
	mrs	x9, CurrentEL
	ubfx	x9, x9, #2, #2
	cmp	x9, #2
	b.ne	el1_mmu_off
	/* EL2: MMU off here, then enter EL1 (asm/el2_setup.h). */
	el2_drop_to_el1 el1_mmu_is_off
el1_mmu_off:
	mrs	x9, sctlr_el1
	bic	x9, x9, #SCTLR_M
	bic	x9, x9, #SCTLR_C
	bic	x9, x9, #SCTLR_I
	msr	sctlr_el1, x9
	isb
el1_mmu_is_off:
	mov	x9, #(3 << 20)			/* CPACR_EL1.FPEN: no FP traps */
	msr	cpacr_el1, x9
	msr	mair_el1, x3
	msr	tcr_el1, x2
	msr	ttbr0_el1, x1
	msr	ttbr1_el1, x0
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	mrs	x9, sctlr_el1
	orr	x9, x9, #SCTLR_M
	orr	x9, x9, #SCTLR_C
	orr	x9, x9, #SCTLR_I
	orr	x9, x9, #SCTLR_SA
	bic	x9, x9, #SCTLR_A
	bic	x9, x9, #SCTLR_WXN
	bic	x9, x9, #SCTLR_EE
	msr	sctlr_el1, x9
	isb
	ldr	x9, =arm64_virt_entry
	br	x9
	.ltorg

/* The kernel stacks, each above an unmapped page (asm/stack.h): slot 0
 * is the boot CPU's, slots 1.. the secondaries'. */
	.bss
	.balign	4096
	.globl	arm64_stacks
arm64_stacks:
	.globl	arm64_boot_stack_guard
arm64_boot_stack_guard:
	.skip	BOOT_STACK_GUARD
	.globl	arm64_boot_stack
arm64_boot_stack:
	.skip	BOOT_STACK_SIZE
	.globl	arm64_boot_stack_end
arm64_boot_stack_end:
	.skip	(STACK_NR_CPUS - 1) * STACK_SLOT
	.globl	arm64_stacks_end
arm64_stacks_end:

/* Bottom of each CPU's stack, for the exception entry's room check. */
	.data
	.balign	8
	.globl	arm64_stack_lo
arm64_stack_lo:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7
	.quad	arm64_boot_stack + \n * STACK_SLOT
	.endr
