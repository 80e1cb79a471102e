/* arm64 MMIO accessors, barriers and cpu_relax().
 * MMIO goes through Device-nGnRnE mappings (IOMAP_START + pa), so single
 * volatile accesses stay ordered with each other; mb/rmb/wmb are DSBs for
 * ordering against normal memory. */
#ifndef ASM_IO_H
#define ASM_IO_H
#include <pagoda/types.h>

#define barrier()  asm volatile("" : : : "memory")
#define mb()       asm volatile("dsb sy" : : : "memory")
#define rmb()      asm volatile("dsb ld" : : : "memory")
#define wmb()      asm volatile("dsb st" : : : "memory")

static inline void cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
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
