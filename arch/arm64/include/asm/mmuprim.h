/* arm64 barrier and TLB-invalidate primitives, out of line
 * (arch/arm64/mmuprim.S) so that host tests can record the sequence the
 * page-table code emits by linking recorders with the same names. */
#ifndef ASM_MMUPRIM_H
#define ASM_MMUPRIM_H

void __dsb_ishst(void);                 /* DSB ISHST */
void __dsb_ish(void);                   /* DSB ISH */
void __isb(void);                       /* ISB */
void __tlbi_vaale1is(unsigned long op); /* TLBI VAALE1IS, op = VA >> 12 */
void __tlbi_vaae1is(unsigned long op);  /* TLBI VAAE1IS (all levels), op = VA >> 12 */
void __tlbi_vmalle1is(void);            /* TLBI VMALLE1IS */
void __tlbi_rvaale1is(unsigned long op); /* TLBI RVAALE1IS (FEAT_TLBIRANGE), op = tlbi_range_op() */
#endif
