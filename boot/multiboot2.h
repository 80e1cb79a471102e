/* Multiboot2 boot information (MBI) as GRUB hands it over, and the parser
 * that turns it into struct bootinfo.
 *
 *   u32 total_size | u32 reserved | tag | tag | ... | end tag (type 0, size 8)
 *   tag: u16 type | u16 flags | u32 size (header included) | payload,
 *        next tag at ALIGN_UP(size, 8)
 */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H
#include <pagoda/types.h>

struct bootinfo;

enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_BASIC_MEMINFO = 4,
	MB2_TAG_BOOTDEV = 5,
	MB2_TAG_MMAP = 6,
	MB2_TAG_EFI32 = 11,
	MB2_TAG_EFI64 = 12,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
	MB2_TAG_EFI_MMAP = 17,
	MB2_TAG_LOAD_BASE_ADDR = 21,      /* highest type the spec defines */
};

struct mb2_info_header {
	u32 total_size;
	u32 reserved;
};

struct mb2_tag {
	u16 type;
	u16 flags;
	u32 size;
};

struct mb2_tag_module {
	struct mb2_tag tag;
	u32 mod_start;                    /* physical [mod_start, mod_end) */
	u32 mod_end;
	char cmdline[];
};

struct mb2_tag_basic_meminfo {
	struct mb2_tag tag;
	u32 mem_lower;                    /* KiB from 0 */
	u32 mem_upper;                    /* KiB from 1 MiB */
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	u32 entry_size;                   /* >= 24 */
	u32 entry_version;
	/* entries follow */
};

struct mb2_mmap_entry {
	u64 base;
	u64 len;
	u32 type;                         /* e820 numbering */
	u32 reserved;
};

struct mb2_tag_efi64 {
	struct mb2_tag tag;
	u64 pointer;                      /* EFI system table */
};

struct mb2_tag_efi_mmap {
	struct mb2_tag tag;
	u32 descr_size;                   /* >= 40 */
	u32 descr_vers;
	/* EFI_MEMORY_DESCRIPTORs (efi_memory_desc_t, boot/efi.h) follow */
};

/* Parse the len bytes of MBI at mbi (a copy of it; mbi_pa is the copy's
 * physical address, for pointers into it) into *bi.  Malformed tags are
 * skipped with a "multiboot2: warning: " line; never reads outside
 * [mbi, mbi + len).  The RSDP stays in the copy: bi->acpi_rsdp is
 * mbi_pa plus its offset, so the copy must outlive ACPI use.
 * Returns 0, or -EINVAL if the header itself is unusable. */
int multiboot2_parse(const void *mbi, size_t len, phys_addr_t mbi_pa, struct bootinfo *bi);
#endif
