/* arm64 virtual memory layout and mm knobs (4 KiB granule, 48-bit VA,
 * 4 translation levels, kernel in TTBR1; TTBR0 is disabled after boot).
 *
 *   0xffff000000000000  PAGE_OFFSET    direct map of all RAM (128 TiB)
 *   0xffff800080000000  KIMAGE_VADDR   kernel image, 4 KiB pages, W^X
 *   0xfffff80000000000  VMEMMAP_START  struct page array (4 TiB: 48-bit PA)
 *   0xfffffe0000000000  IOMAP_START    device MMIO (PL011), at IOMAP_START + pa
 *
 * The firmware loads the image wherever it likes, so the kernel image has
 * no fixed physical address: arch_kimage_pa() adds the load offset the EFI
 * EFI application recorded (arm64_kimage_pa) instead of a KIMAGE_PADDR constant.
 */
#ifndef ASM_VMPARAM_H
#define ASM_VMPARAM_H

#define ARCH_NAME          "arm64"
#define PAGE_SHIFT         12
#define PAGE_SIZE          (1UL << PAGE_SHIFT)
#define PAGE_MASK          (~(PAGE_SIZE - 1))
#define VA_BITS            48
#define PAGE_OFFSET        0xffff000000000000UL
#define KIMAGE_VADDR       0xffff800080000000UL
#define VMEMMAP_START      0xfffff80000000000UL
#define VMEMMAP_SIZE       (1UL << 42)
#define IOMAP_START        0xfffffe0000000000UL
#define IOMAP_SIZE         (1UL << 39)
#define MAX_PHYSMEM_BITS   48
/* RAM the direct map can reach: [0, DIRECT_MAP_SIZE), PAGE_OFFSET up to the
 * kernel image (128 TiB).  memblock ignores RAM above it, hot-add refuses it. */
#define DIRECT_MAP_SIZE    (1UL << 47)
/* Huge page sizes as buddy orders: 2 MiB (PMD block), 32 MiB (16 contiguous
 * PMDs), 1 GiB (PUD block). */
#define HUGEPAGE_ORDERS    { 9, 13, 18 }
#define NR_HUGEPAGE_SIZES  3

#ifndef __ASSEMBLER__
#define __va(pa)  ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)  ((unsigned long)(va) - PAGE_OFFSET)   /* direct-map addresses only */
/* Physical address the firmware loaded the image at (set by the EFI application). */
extern unsigned long arm64_kimage_pa;
#endif
#endif
