/* x86_64 port I/O, MMIO accessors and barriers.
 *
 * Port I/O (inb/outb ...) reaches the legacy ISA space: COM1, the PIT,
 * the ACPI PM1 control block.  MMIO accessors are volatile single accesses
 * of the given width; x86 keeps them ordered with each other (uncached
 * mappings), so barrier() is only a compiler barrier. */
#ifndef ASM_IO_H
#define ASM_IO_H
#include <pagoda/types.h>

static inline u8 inb(u16 port)
{
	u8 v;
	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline u16 inw(u16 port)
{
	u16 v;
	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline u32 inl(u16 port)
{
	u32 v;
	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(u16 port, u16 v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

#define barrier()  asm volatile("" : : : "memory")
#define mb()       asm volatile("mfence" : : : "memory")
#define rmb()      asm volatile("lfence" : : : "memory")
#define wmb()      asm volatile("sfence" : : : "memory")

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static inline u8 mmio_read8(const volatile void *a)   { return *(const volatile u8 *)a; }
static inline u16 mmio_read16(const volatile void *a) { return *(const volatile u16 *)a; }
static inline u32 mmio_read32(const volatile void *a) { return *(const volatile u32 *)a; }
static inline u64 mmio_read64(const volatile void *a) { return *(const volatile u64 *)a; }
static inline void mmio_write8(volatile void *a, u8 v)   { *(volatile u8 *)a = v; }
static inline void mmio_write16(volatile void *a, u16 v) { *(volatile u16 *)a = v; }
static inline void mmio_write32(volatile void *a, u32 v) { *(volatile u32 *)a = v; }
static inline void mmio_write64(volatile void *a, u64 v) { *(volatile u64 *)a = v; }
#endif
