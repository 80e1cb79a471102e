/* x86_64 control registers, MSRs and CPU instructions used by arch code.
 * Arch-private: generic code never includes this header. */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#define CR0_PE    (1 << 0)
#define CR0_MP    (1 << 1)
#define CR0_ET    (1 << 4)
#define CR0_NE    (1 << 5)
#define CR0_WP    (1 << 16)
#define CR0_PG    (1 << 31)
#define CR4_PSE   (1 << 4)
#define CR4_PAE   (1 << 5)
#define CR4_PGE   (1 << 7)
#define MSR_EFER  0xc0000080
#define EFER_LME  (1 << 8)
#define EFER_NXE  (1 << 11)

/* CPUID 0x80000001 EDX feature bits. */
#define CPUID_EXT_NX     (1 << 20)
#define CPUID_EXT_PDPE1G (1 << 26)
#define CPUID_EXT_LM     (1 << 29)

/* Segment selectors of the kernel GDT (arch/x86_64/gdt.c). */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define KERNEL_TSS 0x18

#ifndef __ASSEMBLER__
#include <pagoda/types.h>

static inline unsigned long read_cr0(void)
{ unsigned long v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline unsigned long read_cr2(void)
{ unsigned long v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline unsigned long read_cr3(void)
{ unsigned long v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline unsigned long read_cr4(void)
{ unsigned long v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr3(unsigned long v)
{ asm volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(unsigned long v)
{ asm volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}
static inline u64 rdtsc(void)
{
	u32 lo, hi;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}
static inline void invlpg(unsigned long va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}
static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}
#endif
#endif
