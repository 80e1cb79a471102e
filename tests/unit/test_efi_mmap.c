/* Host test of boot/efi.c: UEFI memory map -> sorted, merged e820-style
 * ranges, RAM classification, and UCS-2 LoadOptions -> ASCII.
 * Descriptors use a 48-byte stride, as AAVMF reports. */
#include <string.h>
#include "tap.h"
#include <boot/efi.h>

#define STRIDE 48
static u8 map[32 * STRIDE];
static int nd;

static void add(u32 type, u64 base, u64 pages, u64 attr)
{
	efi_memory_desc_t d = { .type = type, .phys_start = base, .num_pages = pages,
				.attribute = attr };
	memcpy(map + nd++ * STRIDE, &d, sizeof(d));
}

static bool range_is(const struct boot_mem_range *r, u64 base, u64 size, u32 type)
{
	return r->base == base && r->size == size && r->type == type;
}

static void test_convert(void)
{
	struct boot_mem_range r[16];
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
	n = efi_mmap_to_ranges(map, nd * STRIDE, STRIDE, r, 16);
	TAP_OK(n == 7, "7 merged ranges from 11 descriptors (got %d)", n);
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
	TAP_OK(efi_mmap_to_ranges(map, nd * STRIDE, STRIDE, r, 3) == 3 && r[2].base == 0x40210000,
	       "output capped at max, keeping the lowest ranges");
	TAP_OK(efi_mmap_to_ranges(map, nd * STRIDE, 8, r, 16) == 0,
	       "descriptor size smaller than the descriptor is rejected");
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
	test_ram();
	test_ucs2();
	return TAP_DONE();
}
