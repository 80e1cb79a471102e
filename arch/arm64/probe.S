/* Faulting 8-byte accesses with exception-table fixups (peek/poke).
 *   int __arm64_probe_read64(addr x0, u64 *val x1)
 *   int __arm64_probe_write64(addr x0, u64 val x1)
 * return 0, or -EFAULT when the access faulted: the fault handler finds the
 * faulting pc in __ex_table and resumes at its fixup (arch/arm64/traps.c). */
	.text
	.globl	__arm64_probe_read64
__arm64_probe_read64:
1:	ldr	x2, [x0]
	str	x2, [x1]
	mov	x0, #0
	ret
2:	mov	x0, #-14
	ret
	.pushsection __ex_table, "a"
	.balign	8
	.quad	1b, 2b
	.popsection

	.globl	__arm64_probe_write64
__arm64_probe_write64:
3:	str	x1, [x0]
	mov	x0, #0
	ret
4:	mov	x0, #-14
	ret
	.pushsection __ex_table, "a"
	.balign	8
	.quad	3b, 4b
	.popsection
