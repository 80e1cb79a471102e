/* struct bootinfo: what the arch boot code learned from the firmware
 * (multiboot2 on x86_64, UEFI on arm64), in one generic shape.
 * The firmware memory map is the truth; types use the e820 numbering. */
#ifndef PAGODA_BOOTINFO_H
#define PAGODA_BOOTINFO_H
#include <pagoda/types.h>

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI = 3,       /* ACPI reclaimable */
	BOOT_MEM_NVS = 4,        /* ACPI NVS */
	BOOT_MEM_UNUSABLE = 5,
	BOOT_MEM_PERSISTENT = 7,
};

struct boot_mem_range {
	phys_addr_t base;
	u64 size;
	u32 type;                /* enum boot_mem_type */
};

#define BOOT_MMAP_MAX      256
#define BOOT_RESERVED_MAX  32
#define BOOT_CMDLINE_MAX   1024

struct bootinfo {
	struct boot_mem_range mmap[BOOT_MMAP_MAX];     /* sorted, non-overlapping */
	int nr_mmap;
	/* Ranges inside usable RAM that must not be handed out: the kernel
	 * image (incl. bss and boot page tables), boot modules, the DTB. */
	struct boot_mem_range reserved[BOOT_RESERVED_MAX];
	int nr_reserved;
	char cmdline[BOOT_CMDLINE_MAX];
	phys_addr_t acpi_rsdp;   /* 0 if none */
	phys_addr_t efi_systab;  /* 0 if none */
	phys_addr_t dtb;         /* 0 if none */
	const char *firmware;    /* "bios", "uefi" */
	const char *loader;      /* e.g. "GRUB 2.06" */
};

/* The one instance, filled by the arch before kmain(). */
extern struct bootinfo bootinfo;

/* Add [base, base + size) of type to bi->mmap (kernel/boot_mem.c's sweep);
 * on overflow of BOOT_MMAP_MAX the map is left unchanged with a warning. */
void bootinfo_add_mem(struct bootinfo *bi, phys_addr_t base, u64 size, u32 type);
void bootinfo_add_reserved(struct bootinfo *bi, phys_addr_t base, u64 size);
/* Print the map as Linux does: "BIOS-e820: [mem 0x...-0x...] usable". */
void bootinfo_print_mmap(const struct bootinfo *bi);
const char *boot_mem_type_name(u32 type);

/* kernel/boot_mem.c: the sorted, merged range arrays behind bootinfo.mmap.
 * Add [base, base + size) of type to map[0..*nr), which stays sorted,
 * non-overlapping and merged; where ranges overlap the most restrictive
 * type wins (boot_mem_type_rank).  *nr <= max <= BOOT_MMAP_MAX.  Returns 0,
 * or -ENOSPC with the array unchanged when the result needs more than max. */
int boot_mem_add(struct boot_mem_range *map, int *nr, int max,
		 phys_addr_t base, u64 size, u32 type);
/* Restrictiveness of a type: usable 0 < persistent < ACPI < NVS <
 * unusable < reserved and unknown types (BOOT_MEM_RANK_RESERVED). */
#define BOOT_MEM_RANK_RESERVED 5
int boot_mem_type_rank(u32 type);
#endif
