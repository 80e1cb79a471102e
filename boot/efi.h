/* The UEFI types Pagoda uses (UEFI 2.x spec names, our C spelling).
 * What the arm64 EFI application calls: the system table, boot services,
 * simple text output, the loaded-image protocol, the memory map and the
 * configuration table; calls use the platform ABI (AAPCS64 on arm64).
 * The memory map types and their e820 conversion also serve the EFI map
 * that GRUB passes to x86_64 in a multiboot2 tag (boot/multiboot2.c). */
#ifndef BOOT_EFI_H
#define BOOT_EFI_H
#include <pagoda/types.h>
#include <pagoda/bootinfo.h>

typedef u64 efi_status_t;
typedef void *efi_handle_t;
typedef u16 efi_char16_t;

#define EFI_SUCCESS            0
#define EFI_ERROR_BIT          (1UL << 63)
#define EFI_LOAD_ERROR         (EFI_ERROR_BIT | 1)
#define EFI_INVALID_PARAMETER  (EFI_ERROR_BIT | 2)
#define EFI_BUFFER_TOO_SMALL   (EFI_ERROR_BIT | 5)

typedef struct { u32 a; u16 b; u16 c; u8 d[8]; } efi_guid_t;

#define EFI_LOADED_IMAGE_GUID { 0x5b1b31a1, 0x9562, 0x11d2, \
	{ 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
#define EFI_ACPI_20_TABLE_GUID { 0x8868e871, 0xe4f1, 0x11d3, \
	{ 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 } }
#define EFI_DTB_TABLE_GUID { 0xb1b621d5, 0xf19c, 0x41a5, \
	{ 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } }

enum efi_memory_type {
	EFI_RESERVED_TYPE, EFI_LOADER_CODE, EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE, EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE, EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY, EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY, EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO, EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE, EFI_PERSISTENT_MEMORY, EFI_UNACCEPTED_MEMORY,
	EFI_MAX_MEMORY_TYPE
};
#define EFI_MEMORY_WB          (1UL << 3)
#define EFI_PAGE_SHIFT         12

typedef struct {
	u32 type;
	u32 pad;
	u64 phys_start;
	u64 virt_start;
	u64 num_pages;
	u64 attribute;
} efi_memory_desc_t;

typedef struct {
	u64 signature;
	u32 revision;
	u32 header_size;
	u32 crc32;
	u32 reserved;
} efi_table_hdr_t;

typedef struct efi_simple_text_output {
	void *reset;
	efi_status_t (*output_string)(struct efi_simple_text_output *self,
				      const efi_char16_t *s);
	/* further members unused */
} efi_simple_text_output_t;

typedef struct {
	efi_table_hdr_t hdr;
	void *raise_tpl, *restore_tpl;
	void *allocate_pages, *free_pages;
	efi_status_t (*get_memory_map)(u64 *map_size, efi_memory_desc_t *map,
				       u64 *map_key, u64 *desc_size, u32 *desc_version);
	void *allocate_pool, *free_pool;
	void *create_event, *set_timer, *wait_for_event, *signal_event,
	     *close_event, *check_event;
	void *install_protocol_interface, *reinstall_protocol_interface,
	     *uninstall_protocol_interface;
	efi_status_t (*handle_protocol)(efi_handle_t h, const efi_guid_t *guid,
					void **iface);
	void *reserved;
	void *register_protocol_notify, *locate_handle, *locate_device_path,
	     *install_configuration_table;
	void *load_image, *start_image, *exit, *unload_image;
	efi_status_t (*exit_boot_services)(efi_handle_t image, u64 map_key);
	/* further members unused */
} efi_boot_services_t;

typedef struct {
	efi_guid_t guid;
	void *table;
} efi_config_table_t;

typedef struct {
	efi_table_hdr_t hdr;
	efi_char16_t *fw_vendor;
	u32 fw_revision;
	efi_handle_t con_in_handle;
	void *con_in;
	efi_handle_t con_out_handle;
	efi_simple_text_output_t *con_out;
	efi_handle_t stderr_handle;
	void *std_err;
	void *runtime;
	efi_boot_services_t *boottime;
	u64 nr_tables;
	efi_config_table_t *tables;
} efi_system_table_t;

typedef struct {
	u32 revision;
	efi_handle_t parent_handle;
	efi_system_table_t *system_table;
	efi_handle_t device_handle;
	void *file_path;
	void *reserved;
	u32 load_options_size;
	void *load_options;
	void *image_base;
	u64 image_size;
	u32 image_code_type, image_data_type;
	void *unload;
} efi_loaded_image_t;

/* Add the whole desc_size-strided descriptors in [map, map + map_size) to
 * bi->mmap with bootinfo_add_mem (which sorts, merges and resolves
 * overlaps), typed by efi_mem_type_to_boot.  Descriptors are copied out,
 * so any stride >= sizeof(efi_memory_desc_t) is read safely.  Returns the
 * number of descriptors read, or -EINVAL (nothing added) if desc_size is
 * smaller than a descriptor. */
int efi_mmap_to_bootinfo(const void *map, u64 map_size, u64 desc_size,
			 struct bootinfo *bi);
/* e820-style type (enum boot_mem_type) of a UEFI memory type with its
 * attribute bits, as Linux's do_add_efi_memmap(): usable types without
 * EFI_MEMORY_WB are reserved. */
u32 efi_mem_type_to_boot(u32 efi_type, u64 attribute);
/* True for descriptors that are RAM the kernel may map cacheable. */
bool efi_desc_is_ram(const efi_memory_desc_t *d);
/* UCS-2 LoadOptions (n bytes) to ASCII in out[cap]: non-ASCII becomes '?',
 * stops at NUL; returns the length written (always NUL-terminated). */
size_t efi_ucs2_to_ascii(const efi_char16_t *s, size_t n, char *out, size_t cap);
#endif
