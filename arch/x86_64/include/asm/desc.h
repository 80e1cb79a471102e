/* x86_64 descriptor tables: GDT/TSS (gdt.c) and IDT (idt.c). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

/* Interrupt stack table slots (1-based, as in the IDT gate). */
#define IST_DF    1                /* double fault */
#define IST_NMI   2
#define IST_MC    3
#define IST_COUNT 3

void gdt_ist_stack(int ist, unsigned long *lo, unsigned long *hi);
#endif
