/* Leaving EL2 for EL1 (assembler only): used by the boot CPU's MMU switch
 * (head.S) and by a secondary CPU that PSCI CPU_ON started at EL2
 * (smp_entry.S: QEMU starts secondaries at EL2 when the CPU has it).
 *
 *   EL2 MMU off; HCR_EL2.RW (EL1 is AArch64); EL1 timer and counter
 *   untrapped, CNTVOFF 0; no FP/SIMD traps; no stage 2; a GICv3 CPU
 *   interface (ID_AA64PFR0_EL1.GIC != 0) opened to EL1 (ICC_SRE_EL2.Enable
 *   | SRE, no virtual interrupts: ICH_HCR_EL2 = 0); SCTLR_EL1 RES1 with the
 *   MMU off; ERET to \resume at EL1h with DAIF masked.
 *
 * Clobbers x9 only. */
#ifndef ASM_EL2_SETUP_H
#define ASM_EL2_SETUP_H
#include <asm/sysreg.h>

	.macro	el2_drop_to_el1 resume
	mrs	x9, sctlr_el2
	bic	x9, x9, #SCTLR_M
	bic	x9, x9, #SCTLR_C
	bic	x9, x9, #SCTLR_I
	msr	sctlr_el2, x9
	isb
	mov	x9, #(1 << 31)			/* HCR_EL2.RW: EL1 is AArch64 */
	msr	hcr_el2, x9
	mrs	x9, cnthctl_el2
	orr	x9, x9, #3			/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mov	x9, #0x33ff
	msr	cptr_el2, x9
	msr	vttbr_el2, xzr
	mrs	x9, id_aa64pfr0_el1
	ubfx	x9, x9, #24, #4
	cbz	x9, 8f
	mrs	x9, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	orr	x9, x9, #0x1			/* SRE */
	orr	x9, x9, #0x8			/* Enable */
	msr	S3_4_C12_C9_5, x9
	isb
	msr	S3_4_C12_C11_0, xzr		/* ICH_HCR_EL2 */
8:
	ldr	x9, =0x30d00800			/* SCTLR_EL1 RES1 bits, MMU off */
	msr	sctlr_el1, x9
	mov	x9, #0x3c5			/* EL1h, DAIF masked */
	msr	spsr_el2, x9
	adr	x9, \resume
	msr	elr_el2, x9
	isb
	eret
	.endm
#endif
