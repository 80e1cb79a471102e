/* Secondary CPU entry: where PSCI CPU_ON starts a CPU (smp.c).
 *
 *   PSCI CPU_ON(mpidr, entry = pa(arm64_secondary_entry), context = pa(block))
 *     -> here, MMU and caches off, at EL2 or EL1, x0 = the block's pa
 *        (struct arm64_secondary_boot, asm/smp_boot.h)
 *   EL2: drop to EL1 (asm/el2_setup.h), as the boot CPU did
 *   EL1: TPIDR_EL1 = cpu; MAIR, TCR, TTBR0 (the switch idmap), TTBR1 (the
 *        kernel tables): the boot CPU's values; local TLB and I-cache
 *        invalidated; SCTLR_EL1 = the boot CPU's (MMU on)
 *     -> the link address (through the idmap: this code sits in
 *        .idmap.text, identity-mapped by TTBR0)
 *   arm64_secondary_virt: SP, VBAR_EL1, TCR.EPD0 (no TTBR0 walks)
 *     -> arm64_secondary_start(cpu) (smp.c), never returns
 *
 * The block is read with the MMU off, so everything it holds is loaded into
 * registers before the MMU goes on (x19..x21). */
#include <asm/sysreg.h>
#include <asm/smp_boot.h>
#include <asm/el2_setup.h>

	.section .idmap.text, "ax"
	.globl	arm64_secondary_entry
arm64_secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0				/* the block (physical) */
	mrs	x9, CurrentEL
	ubfx	x9, x9, #2, #2
	cmp	x9, #2
	b.ne	secondary_el1
	el2_drop_to_el1 secondary_el1
secondary_el1:
	ldr	x20, [x19, #SB_STACK]
	ldr	x21, [x19, #SB_CPU]
	msr	tpidr_el1, x21			/* logical id before anything can trap */
	mov	x9, #(3 << 20)			/* CPACR_EL1.FPEN: no FP traps */
	msr	cpacr_el1, x9
	ldr	x9, [x19, #SB_MAIR]
	msr	mair_el1, x9
	ldr	x9, [x19, #SB_TCR]
	msr	tcr_el1, x9
	ldr	x9, [x19, #SB_TTBR0]
	msr	ttbr0_el1, x9
	ldr	x9, [x19, #SB_TTBR1]
	msr	ttbr1_el1, x9
	ldr	x22, [x19, #SB_SCTLR]
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	msr	sctlr_el1, x22
	isb
	ldr	x9, =arm64_secondary_virt
	br	x9
	.ltorg

	.text
arm64_secondary_virt:
	mov	sp, x20
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
	mov	x0, x21
	mov	x29, xzr
	mov	x30, xzr
	bl	arm64_secondary_start
1:	wfi
	b	1b
