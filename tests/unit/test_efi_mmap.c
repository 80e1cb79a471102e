/* Host test of boot/efi.c: UEFI memory map -> bootinfo.mmap (sorted,
 * merged e820 types through kernel/bootinfo.c and kernel/boot_mem.c), the
 * EFI -> e820 type rule, RAM classification, and UCS-2 LoadOptions -> ASCII.
 * Descriptors use a 48-byte stride, as AAVMF reports. */
#include <string.h>
#include "tap.h"
#include "printk_capture.h"
#include <boot/efi.h>

#define STRIDE 48
static u8 map[32 * STRIDE];
static int nd;

/* Append a descriptor at stride bytes per descriptor. */
static void add_at(int stride, u32 type, u64 base, u64 pages, u64 attr)
{
	efi_memory_desc_t d = { .type = type, .phys_start = base, .num_pages = pages,
				.attribute = attr };
	memcpy(map + nd++ * stride, &d, sizeof(d));
}
static void add(u32 type, u64 base, u64 pages, u64 attr)
{
	add_at(STRIDE, type, base, pages, attr);
}

static bool range_is(const struct boot_mem_range *r, u64 base, u64 size, u32 type)
{
	return r->base == base && r->size == size && r->type == type;
}

static void test_convert(void)
{
	static struct bootinfo bi;
	const struct boot_mem_range *r = bi.mmap;
	int n;

	nd = 0;
	/* unsorted, with mergeable neighbours of different UEFI types */
	add(EFI_CONVENTIONAL_MEMORY, 0x40100000, 0x100, EFI_MEMORY_WB);
	add(EFI_LOADER_CODE, 0x40000000, 0x100, EFI_MEMORY_WB);
	add(EFI_BOOT_SERVICES_DATA, 0x40200000, 0x10, EFI_MEMORY_WB);
	add(EFI_ACPI_RECLAIM_MEMORY, 0x40210000, 0x10, EFI_MEMORY_WB);
	add(EFI_ACPI_MEMORY_NVS, 0x40220000, 0x1, EFI_MEMORY_WB);
	add(EFI_RUNTIME_SERVICES_DATA, 0x40221000, 0x1, EFI_MEMORY_WB);
	add(EFI_RUNTIME_SERVICES_CODE, 0x40222000, 0x1, EFI_MEMORY_WB);
	add(EFI_MEMORY_MAPPED_IO, 0x09000000, 0x1, 0);
	add(EFI_PERSISTENT_MEMORY, 0x80000000, 0x100, EFI_MEMORY_WB);
	add(EFI_UNUSABLE_MEMORY, 0x90000000, 0x1, EFI_MEMORY_WB);
	add(EFI_CONVENTIONAL_MEMORY, 0x40300000, 0, EFI_MEMORY_WB);   /* empty */
	add(EFI_CONVENTIONAL_MEMORY, 0xa0000000, 0x10, 0);           /* not WB */
	memset(&bi, 0, sizeof(bi));
	n = efi_mmap_to_bootinfo(map, nd * STRIDE, STRIDE, &bi);
	TAP_OK(n == 12 && bi.nr_mmap == 8, "12 descriptors read, 8 merged ranges (got %d, %d)",
	       n, bi.nr_mmap);
	TAP_OK(range_is(&r[0], 0x09000000, 0x1000, BOOT_MEM_RESERVED), "MMIO -> reserved, sorted first");
	TAP_OK(range_is(&r[1], 0x40000000, 0x210000, BOOT_MEM_USABLE),
	       "loader + conventional + boot services merge into one usable range");
	TAP_OK(range_is(&r[2], 0x40210000, 0x10000, BOOT_MEM_ACPI), "ACPI reclaim -> ACPI");
	TAP_OK(range_is(&r[3], 0x40220000, 0x1000, BOOT_MEM_NVS), "ACPI NVS -> NVS");
	TAP_OK(range_is(&r[4], 0x40221000, 0x2000, BOOT_MEM_RESERVED),
	       "runtime data + code merge into reserved");
	TAP_OK(range_is(&r[5], 0x80000000, 0x100000, BOOT_MEM_PERSISTENT) &&
	       range_is(&r[6], 0x90000000, 0x1000, BOOT_MEM_UNUSABLE),
	       "persistent and unusable keep their types");
	TAP_OK(range_is(&r[7], 0xa0000000, 0x10000, BOOT_MEM_RESERVED),
	       "conventional memory without WB -> reserved");
	TAP_OK(printed[0] == '\0', "no warnings");

	memset(&bi, 0, sizeof(bi));
	TAP_OK(efi_mmap_to_bootinfo(map, nd * STRIDE, 8, &bi) == -EINVAL && bi.nr_mmap == 0,
	       "descriptor size smaller than the descriptor is rejected");
	TAP_OK(efi_mmap_to_bootinfo(map, 2 * STRIDE - 1, STRIDE, &bi) == 1 && bi.nr_mmap == 1 &&
	       range_is(&r[0], 0x40100000, 0x100000, BOOT_MEM_USABLE),
	       "only whole descriptors are read");
}

/* A 44-byte stride misaligns every other descriptor's u64 fields (UBSan
 * would flag a direct load); a huge page count is clamped at the top. */
static void test_odd_stride(void)
{
	static struct bootinfo bi;

	nd = 0;
	add_at(44, EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f, EFI_MEMORY_WB);
	add_at(44, EFI_ACPI_MEMORY_NVS, 0x100000, 0x10, EFI_MEMORY_WB);
	add_at(44, EFI_RESERVED_TYPE, 0xfffffffff0000000ULL, ~0ULL, 0);
	memset(&bi, 0, sizeof(bi));
	TAP_OK(efi_mmap_to_bootinfo(map, nd * 44, 44, &bi) == 3 && bi.nr_mmap == 3 &&
	       range_is(&bi.mmap[0], 0x1000, 0x9f000, BOOT_MEM_USABLE) &&
	       range_is(&bi.mmap[1], 0x100000, 0x10000, BOOT_MEM_NVS) &&
	       bi.mmap[2].base + bi.mmap[2].size == ~0ULL,
	       "misaligned stride read correctly, oversized count clamped");
}

/* Linux's do_add_efi_memmap() rule, type by type. */
static void test_types(void)
{
	const u64 WB = EFI_MEMORY_WB;

	TAP_OK(efi_mem_type_to_boot(EFI_BOOT_SERVICES_DATA, WB) == BOOT_MEM_USABLE &&
	       efi_mem_type_to_boot(EFI_LOADER_CODE, WB) == BOOT_MEM_USABLE &&
	       efi_mem_type_to_boot(EFI_CONVENTIONAL_MEMORY, 0) == BOOT_MEM_RESERVED &&
	       efi_mem_type_to_boot(EFI_RUNTIME_SERVICES_CODE, WB) == BOOT_MEM_RESERVED &&
	       efi_mem_type_to_boot(EFI_ACPI_RECLAIM_MEMORY, 0) == BOOT_MEM_ACPI &&
	       efi_mem_type_to_boot(EFI_PERSISTENT_MEMORY, 0) == BOOT_MEM_PERSISTENT &&
	       efi_mem_type_to_boot(EFI_PAL_CODE, 0) == BOOT_MEM_RESERVED &&
	       efi_mem_type_to_boot(99, WB) == BOOT_MEM_RESERVED,
	       "efi types: Linux's conversion (usable only with WB)");
}

static void test_ram(void)
{
	efi_memory_desc_t d = { .type = EFI_CONVENTIONAL_MEMORY, .attribute = EFI_MEMORY_WB };
	bool conv = efi_desc_is_ram(&d);
	d.type = EFI_MEMORY_MAPPED_IO;
	bool mmio = efi_desc_is_ram(&d);
	d.type = EFI_RUNTIME_SERVICES_DATA;
	bool rt = efi_desc_is_ram(&d);
	d.attribute = 0;
	bool nowb = efi_desc_is_ram(&d);
	TAP_OK(conv && !mmio && rt && !nowb, "RAM = write-back capable, not MMIO");
}

static void test_ucs2(void)
{
	const efi_char16_t s[] = { 'm', 'e', 'm', '=', '1', 'G', 0x263a, ' ', 'x', 0, 'y' };
	char out[32], small[4];
	size_t n = efi_ucs2_to_ascii(s, sizeof(s), out, sizeof(out));
	TAP_OK(n == 9 && !strcmp(out, "mem=1G? x"), "UCS-2 -> ASCII stops at NUL, '?' for non-ASCII");
	n = efi_ucs2_to_ascii(s, sizeof(s), small, sizeof(small));
	TAP_OK(n == 3 && !strcmp(small, "mem"), "truncated to the buffer, NUL-terminated");
	n = efi_ucs2_to_ascii(s, 6, out, sizeof(out));
	TAP_OK(n == 3 && !strcmp(out, "mem"), "byte count limits the input");
}

int main(void)
{
	test_convert();
	test_odd_stride();
	test_types();
	test_ram();
	test_ucs2();
	return TAP_DONE();
}
