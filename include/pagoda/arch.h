/* The contract every arch/<a>/ implements for generic code.
 *
 * Each arch provides the same small header set in arch/<a>/include/asm/:
 *   vmparam.h   layout knobs: PAGE_SHIFT, PAGE_OFFSET (direct map base),
 *               VMEMMAP_START, KIMAGE_VADDR, MAX_PHYSMEM_BITS,
 *               HUGEPAGE_ORDERS (list), ARCH_NAME
 *   pgtable.h   pte_t and entry encoding for the generic walker (mm/pgwalk.c)
 *   tlbflush.h  flush_tlb_kernel_range(), flush_tlb_all()
 *   io.h        mmio/port accessors, barriers, cpu_relax()
 * plus the out-of-line functions declared below.  Generic code includes
 * these headers and never an arch name or an asm statement.
 * The host build (tests/unit/host/) implements the same contract on top of
 * a memfd that plays physical memory. */
#ifndef PAGODA_ARCH_H
#define PAGODA_ARCH_H
#include <pagoda/types.h>

/* Console (16550 COM1 / PL011). getc is non-blocking: -1 when no byte. */
void arch_console_putc(char c);
int arch_console_getc(void);

/* Timer: a monotonic cycle counter and its frequency (TSC calibrated
 * against the PIT/HPET; arm64 CNTVCT/CNTFRQ). */
u64 arch_cycles(void);
u64 arch_cycles_per_sec(void);

/* Power. arch_poweroff: ACPI S5 / PSCI SYSTEM_OFF; returns only on failure
 * (after printing why).  arch_debug_exit: end QEMU with a non-zero status
 * (isa-debug-exit on x86_64, PSCI/semihosting on arm64) for failed runs. */
void arch_poweroff(void);
__noreturn void arch_debug_exit(int code);
__noreturn void arch_halt(void);        /* stop this CPU forever, irqs off */

/* Faulting access with exception fixup (peek/poke).  Return 0 on success
 * or -EFAULT, filling *fi with what the fault handler saw. */
struct fault_info {
	unsigned long addr;      /* faulting address */
	bool write;              /* access was a write */
	bool protection;         /* page present but access not allowed (e.g. write to RO) */
};
int arch_probe_read64(unsigned long addr, u64 *val, struct fault_info *fi);
int arch_probe_write64(unsigned long addr, u64 val, struct fault_info *fi);

/* Print a backtrace starting from the caller's frame (frame pointers). */
void arch_dump_backtrace(void);

/* Kernel image: physical address of a kernel-image virtual address. */
phys_addr_t arch_kimage_pa(const void *kernel_va);

/* Called by kmain() after mm_init(): calibrate the timer, find ACPI power
 * control, probe devices, and anything that needs the buddy allocator. */
void arch_late_init(void);

/* Memory hotplug (mm/memory_hotplug.c).  Page-table pages for the direct
 * map come from a: with memmap_on_memory from the block being added (then
 * alloc() may return a page inside [start, start + size) that is not
 * mapped yet: the arch zeroes it once it can reach it), else from the
 * buddy allocator (zeroed).  free() takes back a table that emptied. */
struct mhp_table_alloc {
	phys_addr_t (*alloc)(void *ctx);     /* 0 when none is left */
	void (*free)(phys_addr_t pa, void *ctx);
	void *ctx;
};
/* Make [start, start + size) (128 MiB aligned) reachable through __va().
 * 0, -ERANGE (no direct map reaches it) or -ENOMEM, nothing changed then.
 * x86_64: the boot direct map covers [0, 512 GiB): a range check, 0 tables.
 * arm64: 2 MiB blocks, unless the boot map already covers the range. */
int arch_add_memory(phys_addr_t start, u64 size, const struct mhp_table_alloc *a);
/* Tables inside [start, start + size) that arch_remove_memory() must move
 * out because they still map memory outside the range. */
unsigned long arch_remove_memory_moves(phys_addr_t start, u64 size);
/* Undo arch_add_memory() for [start, start + size): clear the mappings it
 * made (never the boot map's), move shared tables out of the range (pages
 * from a->alloc, which the caller has provisioned for the count above),
 * give emptied tables to a->free, one TLB flush for the range.  Cannot fail. */
void arch_remove_memory(phys_addr_t start, u64 size, const struct mhp_table_alloc *a);

/* Entry point into generic code, called by the arch once the console,
 * exception vectors and bootinfo are ready and the direct map covers RAM. */
__noreturn void kmain(void);
#endif
