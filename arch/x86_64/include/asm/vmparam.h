/* x86_64 virtual memory layout and mm knobs (4-level paging, 48-bit VA).
 *
 *   0xffff888000000000  PAGE_OFFSET    direct map of all physical memory
 *   0xffffea0000000000  VMEMMAP_START  struct page array (sparse vmemmap)
 *   0xffffffff80000000  KIMAGE_VADDR   kernel image (-mcmodel=kernel)
 */
#ifndef ASM_VMPARAM_H
#define ASM_VMPARAM_H

/* _AC(0x10, UL): a constant usable from C and from assembly (entry.S). */
#ifdef __ASSEMBLER__
#define _AC(x, y)          x
#else
#define __AC(x, y)         x##y
#define _AC(x, y)          __AC(x, y)
#endif

#define ARCH_NAME          "x86_64"
#define PAGE_SHIFT         12
#define PAGE_SIZE          (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK          (~(PAGE_SIZE - 1))
#define PAGE_OFFSET        _AC(0xffff888000000000, UL)
#define VMEMMAP_START      _AC(0xffffea0000000000, UL)
#define VMEMMAP_SIZE       (_AC(1, UL) << 40)
#define KIMAGE_VADDR       _AC(0xffffffff80000000, UL)
#define KIMAGE_PADDR       _AC(0x200000, UL)         /* load address (2 MiB) */
#define MAX_PHYSMEM_BITS   46
/* RAM the direct map reaches: [0, DIRECT_MAP_SIZE) (one PML4 slot of 1 GiB
 * pages, arch/x86_64/kmap.c).  memblock ignores RAM above it and hot-add
 * refuses it. */
#define DIRECT_MAP_SIZE    (_AC(512, UL) << 30)
/* Huge page sizes as buddy orders: 2 MiB (PMD), 1 GiB (PUD). */
#define HUGEPAGE_ORDERS    { 9, 18 }
#define NR_HUGEPAGE_SIZES  2

#ifndef __ASSEMBLER__
#define __va(pa)  ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)  ((unsigned long)(va) - PAGE_OFFSET)   /* direct-map addresses only */
#endif
#endif
