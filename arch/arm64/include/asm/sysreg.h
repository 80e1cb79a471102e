/* arm64 system-register access and the bits the boot code sets. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#define SCTLR_M        (1UL << 0)
#define SCTLR_A        (1UL << 1)
#define SCTLR_C        (1UL << 2)
#define SCTLR_SA       (1UL << 3)
#define SCTLR_I        (1UL << 12)
#define SCTLR_WXN      (1UL << 19)
#define SCTLR_EE       (1UL << 25)

#define TCR_T0SZ(n)    ((unsigned long)(n) << 0)
#define TCR_EPD0       (1UL << 7)
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER  (3UL << 12)
#define TCR_TG0_4K     (0UL << 14)
#define TCR_T1SZ(n)    ((unsigned long)(n) << 16)
#define TCR_IRGN1_WBWA (1UL << 24)
#define TCR_ORGN1_WBWA (1UL << 26)
#define TCR_SH1_INNER  (3UL << 28)
#define TCR_TG1_4K     (2UL << 30)
#define TCR_IPS_SHIFT  32

#ifndef __ASSEMBLER__
#define read_sysreg(r) ({ unsigned long __v; \
	asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) \
	asm volatile("msr " #r ", %0" : : "r"((unsigned long)(v)) : "memory")
#define isb() asm volatile("isb" : : : "memory")
#endif
#endif
