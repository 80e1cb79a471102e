/* UEFI memory map and strings -> Pagoda's generic boot shapes; the one
 * EFI -> e820 conversion of both arches (arm64's own UEFI map, the
 * multiboot2 EFI map tag on x86_64), as Linux's do_add_efi_memmap():
 *
 *   UEFI type                                    e820 type (bootinfo)
 *   ------------------------------------------   --------------------
 *   loader code/data, boot services code/data,   usable (reserved if the
 *   conventional                                   descriptor lacks WB)
 *   ACPI reclaim                                 ACPI
 *   ACPI NVS                                     NVS
 *   unusable                                     unusable
 *   persistent                                   persistent
 *   runtime code/data, MMIO, port space, PAL,    reserved
 *   reserved, anything unknown
 *
 * Boot-services memory is usable because we have called ExitBootServices.
 * Functions of their arguments, also run in host unit tests.
 * efi_desc_is_ram and efi_ucs2_to_ascii also run before the arm64 kernel
 * has its own page tables (position-independent: no pointer tables);
 * efi_mmap_to_bootinfo runs after the switch (bootinfo_add_mem may printk). */
#include <pagoda/kernel.h>
#include <boot/efi.h>

u32 efi_mem_type_to_boot(u32 t, u64 attribute)
{
	if (t == EFI_LOADER_CODE || t == EFI_LOADER_DATA ||
	    t == EFI_BOOT_SERVICES_CODE || t == EFI_BOOT_SERVICES_DATA ||
	    t == EFI_CONVENTIONAL_MEMORY)
		return (attribute & EFI_MEMORY_WB) ? BOOT_MEM_USABLE : BOOT_MEM_RESERVED;
	if (t == EFI_ACPI_RECLAIM_MEMORY)
		return BOOT_MEM_ACPI;
	if (t == EFI_ACPI_MEMORY_NVS)
		return BOOT_MEM_NVS;
	if (t == EFI_UNUSABLE_MEMORY)
		return BOOT_MEM_UNUSABLE;
	if (t == EFI_PERSISTENT_MEMORY)
		return BOOT_MEM_PERSISTENT;
	return BOOT_MEM_RESERVED;
}

/* RAM the kernel maps cacheable in its direct map: write-back capable and
 * not MMIO, reserved or unusable. */
bool efi_desc_is_ram(const efi_memory_desc_t *d)
{
	if (!(d->attribute & EFI_MEMORY_WB))
		return false;
	return d->type != EFI_RESERVED_TYPE && d->type != EFI_UNUSABLE_MEMORY &&
	       d->type != EFI_MEMORY_MAPPED_IO &&
	       d->type != EFI_MEMORY_MAPPED_IO_PORT_SPACE &&
	       d->type != EFI_PAL_CODE && d->type < EFI_MAX_MEMORY_TYPE;
}

int efi_mmap_to_bootinfo(const void *map, u64 map_size, u64 desc_size,
			 struct bootinfo *bi)
{
	const u64 max_pages = ~0ULL >> EFI_PAGE_SHIFT;
	efi_memory_desc_t d;
	int n = 0;

	if (desc_size < sizeof(d))
		return -EINVAL;
	for (u64 off = 0; off + desc_size <= map_size; off += desc_size, n++) {
		memcpy(&d, (const u8 *)map + off, sizeof(d));
		if (d.num_pages > max_pages)
			d.num_pages = max_pages;
		bootinfo_add_mem(bi, d.phys_start, d.num_pages << EFI_PAGE_SHIFT,
				 efi_mem_type_to_boot(d.type, d.attribute));
	}
	return n;
}

size_t efi_ucs2_to_ascii(const efi_char16_t *s, size_t n, char *out, size_t cap)
{
	size_t len = 0;

	if (!cap)
		return 0;
	for (size_t i = 0; i < n / 2 && s[i] && len + 1 < cap; i++)
		out[len++] = s[i] < 0x80 ? (char)s[i] : '?';
	out[len] = '\0';
	return len;
}
