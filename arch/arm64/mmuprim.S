/* Out-of-line barrier and TLBI primitives (asm/mmuprim.h).  Kept as real
 * functions so host tests can substitute recorders for them. */
	.text
	.globl	__dsb_ishst, __dsb_ish, __isb
	.globl	__tlbi_vaale1is, __tlbi_vaae1is, __tlbi_vmalle1is, __tlbi_rvaale1is
__dsb_ishst:
	dsb	ishst
	ret
__dsb_ish:
	dsb	ish
	ret
__isb:
	isb
	ret
__tlbi_vaale1is:
	tlbi	vaale1is, x0
	ret
__tlbi_vaae1is:
	tlbi	vaae1is, x0
	ret
__tlbi_vmalle1is:
	tlbi	vmalle1is
	ret
__tlbi_rvaale1is:			/* TLBI RVAALE1IS, x0 (op1 0, C8, C2, op2 7) */
	sys	#0, c8, c2, #7, x0
	ret
