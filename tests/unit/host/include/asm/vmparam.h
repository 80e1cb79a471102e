/* Host build of the arch contract: the layout knobs of asm/vmparam.h.
 *
 *   host_page_offset    memfd playing physical memory, mapped RW (1 GiB aligned)
 *   host_vmemmap_start  1 TiB PROT_NONE reservation; a vmemmap page becomes
 *                       readable/writable only when arch_set_pte() maps a
 *                       frame there (mmap of the memfd at the frame's offset)
 * Both are variables set by host_mm_boot() (tests/unit/host/host_arch.c). */
#ifndef ASM_VMPARAM_H
#define ASM_VMPARAM_H

extern unsigned long host_page_offset;
extern unsigned long host_vmemmap_start;
extern unsigned long host_direct_map_size;

#define ARCH_NAME          "host"
#define PAGE_SHIFT         12
#define PAGE_SIZE          (1UL << PAGE_SHIFT)
#define PAGE_MASK          (~(PAGE_SIZE - 1))
#define PAGE_OFFSET        host_page_offset
#define VMEMMAP_START      host_vmemmap_start
#define VMEMMAP_SIZE       (1UL << 40)
#define MAX_PHYSMEM_BITS   46
/* The host "direct map" is the memfd: [0, its size), or less when a test
 * sets host_mm_opts.direct_map_size. */
#define DIRECT_MAP_SIZE    host_direct_map_size
#define HUGEPAGE_ORDERS    { 9, 18 }
#define NR_HUGEPAGE_SIZES  2

#define __va(pa)  ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)  ((unsigned long)(va) - PAGE_OFFSET)
#endif
