/* The EFI application: Pagoda's arm64 entry as a UEFI application.
 *
 *   efi_entry (head.S) -> efi_app_main
 *     LoadedImage.LoadOptions (UCS-2) -> bootinfo.cmdline
 *     configuration tables          -> bootinfo.acpi_rsdp, bootinfo.dtb
 *     DTB / ACPI                    -> PL011 base, PSCI conduit (fwprobe.c)
 *     GetMemoryMap + ExitBootServices (retried while the map key changes)
 *     -> arm64_mmu_boot (mmu_boot.c) -> link address -> arm64_start_kernel
 *
 * This runs where the firmware loaded us, on the firmware's identity map:
 * every access is PC-relative and only plain values are stored, because
 * pointers taken here would be load addresses, not link addresses. */
#include <pagoda/bootinfo.h>
#include <asm/sysreg.h>
#include "arm64.h"

struct arm64_boot arm64_boot;
u8 arm64_efi_mmap[ARM64_EFI_MMAP_BYTES] __aligned(8);

#define EXIT_BS_TRIES 8

/* Print ASCII s on the firmware console (boot services only). */
static void efi_puts(efi_system_table_t *st, const char *s)
{
	efi_char16_t buf[96];
	size_t n = 0;

	while (*s) {
		if (*s == '\n')
			buf[n++] = '\r';
		buf[n++] = (u8)*s++;
		if (n >= ARRAY_SIZE(buf) - 3 || !*s) {
			buf[n] = 0;
			st->con_out->output_string(st->con_out, buf);
			n = 0;
		}
	}
}

/* After ExitBootServices, before our tables: poll the PL011 directly
 * (the firmware's identity map is still live). */
static void early_uart_puts(const char *s)
{
	volatile u32 *uart = (volatile u32 *)(uintptr_t)arm64_boot.uart_pa;

	for (; *s; s++) {
		while (uart[0x18 / 4] & (1 << 5))
			;
		if (*s == '\n')
			uart[0] = '\r';
		while (uart[0x18 / 4] & (1 << 5))
			;
		uart[0] = (u8)*s;
	}
}

static bool guid_eq(const efi_guid_t *a, const efi_guid_t *b)
{
	const u8 *x = (const u8 *)a, *y = (const u8 *)b;
	for (size_t i = 0; i < sizeof(*a); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/* LoadOptions -> bootinfo.cmdline, minus GRUB's leading "BOOT_IMAGE=path"
 * so that both arches show the same parameters. */
static void efi_app_cmdline(efi_handle_t image, efi_system_table_t *st)
{
	static const efi_guid_t li_guid = EFI_LOADED_IMAGE_GUID;
	efi_loaded_image_t *li = NULL;
	char *c = bootinfo.cmdline;
	size_t len, skip = 0;

	if (st->boottime->handle_protocol(image, &li_guid, (void **)&li) || !li ||
	    !li->load_options)
		return;
	len = efi_ucs2_to_ascii(li->load_options, li->load_options_size, c,
				BOOT_CMDLINE_MAX);
	if (len >= 11 && !__builtin_memcmp(c, "BOOT_IMAGE=", 11)) {
		arm64_boot.grub = true;
		while (skip < len && c[skip] != ' ')
			skip++;
		while (skip < len && c[skip] == ' ')
			skip++;
	}
	for (size_t i = 0; i + skip <= len; i++)
		c[i] = c[i + skip];
}

/* ACPI 2.0 RSDP and DTB from the configuration table. */
static void efi_app_config_tables(efi_system_table_t *st)
{
	static const efi_guid_t acpi_guid = EFI_ACPI_20_TABLE_GUID;
	static const efi_guid_t dtb_guid = EFI_DTB_TABLE_GUID;

	for (u64 i = 0; i < st->nr_tables; i++) {
		if (guid_eq(&st->tables[i].guid, &acpi_guid))
			bootinfo.acpi_rsdp = (phys_addr_t)st->tables[i].table;
		else if (guid_eq(&st->tables[i].guid, &dtb_guid))
			bootinfo.dtb = (phys_addr_t)st->tables[i].table;
	}
}

/* Take the final memory map and leave boot services.  The map key changes
 * whenever the firmware allocates, so retry with a fresh map. */
static efi_status_t efi_app_exit_boot_services(efi_handle_t image,
						efi_system_table_t *st)
{
	efi_status_t s = EFI_LOAD_ERROR;

	for (int i = 0; i < EXIT_BS_TRIES; i++) {
		u64 size = sizeof(arm64_efi_mmap), key, dsize;
		u32 dver;

		s = st->boottime->get_memory_map(&size, (efi_memory_desc_t *)arm64_efi_mmap,
						 &key, &dsize, &dver);
		if (s != EFI_SUCCESS)
			return s;
		arm64_boot.mmap_size = size;
		arm64_boot.desc_size = dsize;
		arm64_boot.exit_bs_tries = i + 1;
		s = st->boottime->exit_boot_services(image, key);
		if (s == EFI_SUCCESS)
			return s;
	}
	return s;
}

/* Called by efi_entry; returns an EFI status only when boot fails. */
efi_status_t efi_app_main(efi_handle_t image, efi_system_table_t *st)
{
	efi_status_t s;

	efi_puts(st, "Pagoda: EFI application\n");
	arm64_boot.entry_el = (int)((read_sysreg(CurrentEL) >> 2) & 3);
	bootinfo.efi_systab = (phys_addr_t)st;
	efi_app_cmdline(image, st);
	efi_app_config_tables(st);
	arm64_fw_probe(bootinfo.dtb, bootinfo.acpi_rsdp);
	s = efi_app_exit_boot_services(image, st);
	if (s != EFI_SUCCESS) {
		efi_puts(st, "Pagoda: ExitBootServices failed\n");
		return s;
	}
	arm64_mmu_boot();
	early_uart_puts("Pagoda: out of boot page tables\n");
	for (;;)
		asm volatile("wfi");
}
