/* Fuzz harness: the multiboot2 information parser (boot/multiboot2.c) with
 * the EFI map conversion (boot/efi.c) and the bootinfo map sweep
 * (kernel/bootinfo.c, kernel/boot_mem.c).
 *
 *   input: the MBI as GRUB hands it over (total_size, reserved, tags),
 *          in an 8-aligned exact-size allocation at "physical" FAKE_PA
 *
 * Promises checked: no read outside the MBI (ASan); the bootinfo map
 * promises (fuzz_bootinfo.h); an RSDP, if reported, lies inside the MBI
 * with its 20 bytes; the loader name is NUL-terminated. */
#include <string.h>
#include <pagoda/bootinfo.h>
#include <boot/multiboot2.h>
#include "fuzz.h"
#include "fuzz_bootinfo.h"
#include "printk_capture.h"

#define FAKE_PA 0x1000000UL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootinfo bi;
	void *mbi = fuzz_dup(data, size, 0);
	int rc;

	memset(&bi, 0, sizeof(bi));
	printed[0] = '\0';
	rc = multiboot2_parse(mbi, size, FAKE_PA, &bi);
	FUZZ_ASSERT(rc == 0 || rc == -EINVAL, "rc %d", rc);
	fuzz_check_bootinfo(&bi);
	if (bi.acpi_rsdp)
		FUZZ_ASSERT(bi.acpi_rsdp >= FAKE_PA && bi.acpi_rsdp + 20 <= FAKE_PA + size,
			    "RSDP %#lx outside the MBI [%#lx, +%zu)", (unsigned long)bi.acpi_rsdp,
			    FAKE_PA, size);
	if (bi.loader)
		FUZZ_ASSERT(strnlen(bi.loader, 64) < 64, "loader name not terminated");
	free(mbi);
	return 0;
}
