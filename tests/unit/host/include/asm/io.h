/* Host build: barriers and MMIO accessors as plain volatile accesses. */
#ifndef ASM_IO_H
#define ASM_IO_H
#include <sched.h>
#include <pagoda/types.h>
/* Spinning threads give the core away: host tests run more threads than
 * cores, and a ticket lock whose next holder is descheduled stalls all. */
static inline void cpu_relax(void) { __asm__ __volatile__("" ::: "memory"); sched_yield(); }
static inline void mb(void) { __sync_synchronize(); }
static inline u32 readl(const volatile void *a) { return *(const volatile u32 *)a; }
static inline void writel(u32 v, volatile void *a) { *(volatile u32 *)a = v; }
static inline u64 readq(const volatile void *a) { return *(const volatile u64 *)a; }
static inline void writeq(u64 v, volatile void *a) { *(volatile u64 *)a = v; }
#endif
