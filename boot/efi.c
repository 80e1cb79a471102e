/* UEFI memory map and strings -> Pagoda's generic boot shapes.
 *
 *   UEFI type                                    e820 type (bootinfo)
 *   ------------------------------------------   --------------------
 *   loader code/data, boot services code/data,   usable
 *   conventional
 *   ACPI reclaim                                 ACPI
 *   ACPI NVS                                     NVS
 *   unusable                                     unusable
 *   persistent                                   persistent
 *   runtime code/data, MMIO, port space, PAL,    reserved
 *   reserved, anything unknown
 *
 * Boot-services memory is usable because we have called ExitBootServices.
 * Pure functions of their arguments: also run before the arm64 kernel has
 * its own page tables (position-independent: no pointer tables) and in
 * host unit tests. */
#include <boot/efi.h>

/* e820-style type of one UEFI memory type. */
u32 efi_mem_type_to_boot(u32 t)
{
	if (t == EFI_LOADER_CODE || t == EFI_LOADER_DATA ||
	    t == EFI_BOOT_SERVICES_CODE || t == EFI_BOOT_SERVICES_DATA ||
	    t == EFI_CONVENTIONAL_MEMORY)
		return BOOT_MEM_USABLE;
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

/* Insert r into the sorted array out[0..n) (n < max), merging with an
 * adjacent neighbour of the same type.  Returns the new count. */
static int efi_range_insert(struct boot_mem_range *out, int n, int max,
			    struct boot_mem_range r)
{
	int i = n;

	while (i > 0 && out[i - 1].base > r.base)
		i--;
	if (i > 0 && out[i - 1].type == r.type &&
	    out[i - 1].base + out[i - 1].size == r.base) {
		out[i - 1].size += r.size;
		if (i < n && out[i].type == r.type &&
		    out[i - 1].base + out[i - 1].size == out[i].base) {
			out[i - 1].size += out[i].size;
			for (int j = i; j + 1 < n; j++)
				out[j] = out[j + 1];
			n--;
		}
		return n;
	}
	if (i < n && out[i].type == r.type && r.base + r.size == out[i].base) {
		out[i].base = r.base;
		out[i].size += r.size;
		return n;
	}
	if (n == max) {          /* full: keep the lowest addresses */
		if (i == n)
			return n;
		n--;
	}
	for (int j = n; j > i; j--)
		out[j] = out[j - 1];
	out[i] = r;
	return n + 1;
}

int efi_mmap_to_ranges(const void *map, u64 map_size, u64 desc_size,
		       struct boot_mem_range *out, int max)
{
	int n = 0;

	if (desc_size < sizeof(efi_memory_desc_t))
		return 0;
	for (u64 off = 0; off + desc_size <= map_size; off += desc_size) {
		const efi_memory_desc_t *d = (const void *)((const u8 *)map + off);
		struct boot_mem_range r = {
			.base = d->phys_start,
			.size = d->num_pages << EFI_PAGE_SHIFT,
			.type = efi_mem_type_to_boot(d->type),
		};
		if (r.size)
			n = efi_range_insert(out, n, max, r);
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
