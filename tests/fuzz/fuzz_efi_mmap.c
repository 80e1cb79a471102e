/* Fuzz harness: the UEFI memory map conversion (boot/efi.c) into the
 * bootinfo map (kernel/bootinfo.c, kernel/boot_mem.c), and the UCS-2
 * LoadOptions conversion.
 *
 *   input: [u16 desc_size][descriptors at that stride ...]
 *          the descriptor bytes in an exact-size allocation
 *
 * Promises checked: no read outside the map (ASan); the return value is
 * the number of whole descriptors (or -EINVAL below 40 bytes); the
 * bootinfo map promises (fuzz_bootinfo.h); the ASCII LoadOptions are
 * NUL-terminated, shorter than the buffer and free of non-ASCII bytes. */
#include <string.h>
#include <pagoda/bootinfo.h>
#include <boot/efi.h>
#include "fuzz.h"
#include "fuzz_bootinfo.h"
#include "printk_capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootinfo bi;
	char ascii[64];
	u16 desc_size;
	int n;

	if (size < 2)
		return 0;
	memcpy(&desc_size, data, 2);
	u8 *map = fuzz_dup(data + 2, size - 2, 0);
	memset(&bi, 0, sizeof(bi));
	printed[0] = '\0';
	n = efi_mmap_to_bootinfo(map, size - 2, desc_size, &bi);
	if (desc_size < sizeof(efi_memory_desc_t))
		FUZZ_ASSERT(n == -EINVAL && bi.nr_mmap == 0, "desc_size %u: %d", desc_size, n);
	else
		FUZZ_ASSERT(n == (int)((size - 2) / desc_size), "%d descriptors, expected %zu", n,
			    (size - 2) / desc_size);
	fuzz_check_bootinfo(&bi);
	for (size_t off = 0; desc_size >= sizeof(efi_memory_desc_t) && off + desc_size <= size - 2;
	     off += desc_size) {
		efi_memory_desc_t d;
		memcpy(&d, map + off, sizeof(d));
		u32 t = efi_mem_type_to_boot(d.type, d.attribute);
		FUZZ_ASSERT(t >= BOOT_MEM_USABLE && t <= BOOT_MEM_PERSISTENT && t != 6,
			    "type %u attr %#llx -> %u", d.type, (unsigned long long)d.attribute, t);
		if (efi_desc_is_ram(&d))
			FUZZ_ASSERT(d.attribute & EFI_MEMORY_WB, "RAM without WB");
	}
	size_t cap = 1 + data[0] % sizeof(ascii);
	size_t len = efi_ucs2_to_ascii((const efi_char16_t *)map, (size - 2) & ~(size_t)1, ascii, cap);
	FUZZ_ASSERT(len < cap && ascii[len] == '\0' && strlen(ascii) == len, "ucs2: len %zu cap %zu",
		    len, cap);
	for (size_t i = 0; i < len; i++)
		FUZZ_ASSERT((unsigned char)ascii[i] < 0x80, "non-ASCII byte");
	free(map);
	return 0;
}
