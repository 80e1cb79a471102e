/* The arm64 layout knobs for host tests of arch/arm64/hotplug_map.c: the
 * direct map at a 512 GiB-aligned host address (hp_page_offset), so __va()
 * of a simulated physical address is a real pointer and pt_index() of
 * PAGE_OFFSET + pa indexes the same tables the arm64 kernel walks.
 * Include before any arm64 asm header (it takes their vmparam.h guard). */
#ifndef ARM64_HP_VMPARAM_H
#define ARM64_HP_VMPARAM_H
#define ASM_VMPARAM_H
#define ARCH_NAME          "arm64 (host)"
#define PAGE_SHIFT         12
#define PAGE_SIZE          (1UL << PAGE_SHIFT)
#define PAGE_MASK          (~(PAGE_SIZE - 1))
#define VA_BITS            48
#define MAX_PHYSMEM_BITS   48
#define DIRECT_MAP_SIZE    (1UL << 47)
#define VMEMMAP_START      0xfffff80000000000UL
#define VMEMMAP_SIZE       (1UL << 42)
extern unsigned long hp_page_offset;
#define PAGE_OFFSET        hp_page_offset
#define __va(pa)  ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)  ((unsigned long)(va) - PAGE_OFFSET)
#endif
