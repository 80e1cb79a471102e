/* Host test of the multiboot2 parser (boot/multiboot2.c) and the bootinfo
 * memory map (kernel/bootinfo.c, kernel/boot_mem.c): a GRUB-under-SeaBIOS-like
 * MBI, a GRUB-under-OVMF-like one (EFI map preferred, EFI types converted by
 * boot/efi.c, whose own test is test_efi_mmap.c), and
 * malformed inputs that must be skipped with a warning, never crash.
 * Every MBI is handed over in a malloc'ed buffer of exactly its length,
 * so ASan catches any read outside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <pagoda/printk.h>
#include <pagoda/bootinfo.h>
#include <boot/multiboot2.h>
#include <boot/efi.h>
#include "tap.h"
#include "printk_capture.h"

#define FAKE_PA 0x1000000UL          /* "physical address" of the MBI copy */

/* ---------------------------------------------------------------- builder */
static u64 mbuf[4096];
static size_t moff;

static void mb_begin(void)
{
	memset(mbuf, 0, sizeof(mbuf));
	moff = 8;
}
/* Append a tag with a payload of plen bytes; returns the payload. */
static void *mb_tag(u16 type, u32 size_field, size_t plen)
{
	u8 *p = (u8 *)mbuf + moff;
	struct mb2_tag t = { type, 0, size_field };
	memcpy(p, &t, sizeof(t));
	moff += ALIGN_UP(8 + plen, 8);
	return p + 8;
}
static void mb_string(u16 type, const char *s)
{
	size_t n = strlen(s) + 1;
	memcpy(mb_tag(type, 8 + n, n), s, n);
}
static size_t mb_end(void)
{
	mb_tag(MB2_TAG_END, 8, 0);
	((struct mb2_info_header *)mbuf)->total_size = moff;
	return moff;
}
static void mb_mmap(const struct mb2_mmap_entry *e, int n)
{
	u8 *p = mb_tag(MB2_TAG_MMAP, 16 + 24 * n, 8 + 24 * n);
	u32 hdr[2] = { 24, 0 };
	memcpy(p, hdr, 8);
	memcpy(p + 8, e, 24 * n);
}
static void mb_rsdp(u16 type, size_t len, u8 rev)
{
	u8 *p = mb_tag(type, 8 + len, len);
	memcpy(p, "RSD PTR ", 8);
	p[15] = rev;
}

/* Parse len bytes of mbuf from an exact-size heap copy into a fresh bi. */
static int parse(struct bootinfo *bi, size_t len)
{
	void *copy = malloc(len ? len : 1);
	memcpy(copy, mbuf, len);
	memset(bi, 0, sizeof(*bi));
	printed[0] = '\0';
	int rc = multiboot2_parse(copy, len, FAKE_PA, bi);
	free(copy);
	return rc;
}

static bool has_range(const struct bootinfo *bi, u64 base, u64 end, u32 type)
{
	for (int i = 0; i < bi->nr_mmap; i++)
		if (bi->mmap[i].base == base && bi->mmap[i].size == end - base &&
		    bi->mmap[i].type == type)
			return true;
	return false;
}

static bool map_sorted(const struct bootinfo *bi)
{
	for (int i = 1; i < bi->nr_mmap; i++) {
		const struct boot_mem_range *a = &bi->mmap[i - 1], *b = &bi->mmap[i];
		if (a->base + a->size > b->base)
			return false;
		if (a->base + a->size == b->base && a->type == b->type)
			return false;                 /* should have been merged */
	}
	return true;
}

/* ---------------------------------------------------------------- tests */
/* GRUB under SeaBIOS: cmdline, loader, a module, an unsorted e820 map with
 * an unknown type, the old RSDP.  Returns the length; *rsdp_off is where
 * the RSDP bytes sit in the MBI. */
static size_t mb_build_bios(size_t *rsdp_off)
{
	static const struct mb2_mmap_entry e[] = {
		{ 0x100000, 0x3fee0000, 1, 0 },        /* out of order */
		{ 0, 0x9fc00, 1, 0 },
		{ 0x9fc00, 0x400, 2, 0 },
		{ 0xf0000, 0x10000, 2, 0 },
		{ 0xfd00000000, 0x300000000, 12, 0 },  /* unknown type -> reserved */
	};

	mb_begin();
	mb_string(MB2_TAG_CMDLINE, "mem=512M pagoda.run=\"a;b\"");
	mb_string(MB2_TAG_LOADER_NAME, "GRUB 2.06");
	struct mb2_tag_module *m = (void *)((u8 *)mb_tag(MB2_TAG_MODULE, 16 + 4, 8 + 4) - 8);
	m->mod_start = 0x300000;
	m->mod_end = 0x310000;
	mb_mmap(e, 5);
	*rsdp_off = moff + 8;
	mb_rsdp(MB2_TAG_ACPI_OLD, 20, 0);
	return mb_end();
}

static void test_bios(void)
{
	struct bootinfo bi;
	size_t rsdp_off;
	int rc = parse(&bi, mb_build_bios(&rsdp_off));

	TAP_OK(rc == 0 && printed[0] == '\0', "bios: parses without warnings");
	TAP_OK(!strcmp(bi.cmdline, "mem=512M pagoda.run=\"a;b\""), "bios: command line");
	TAP_OK(bi.loader && !strcmp(bi.loader, "GRUB 2.06"), "bios: loader name");
	TAP_OK(!strcmp(bi.firmware, "bios"), "bios: firmware is bios");
	TAP_OK(bi.nr_reserved == 1 && bi.reserved[0].base == 0x300000 &&
	       bi.reserved[0].size == 0x10000, "bios: module reserved");
	TAP_OK(bi.acpi_rsdp == FAKE_PA + rsdp_off, "bios: RSDP points into the MBI copy");
	TAP_OK(bi.nr_mmap == 5 && map_sorted(&bi) &&
	       has_range(&bi, 0, 0x9fc00, 1) && has_range(&bi, 0x9fc00, 0xa0000, 2) &&
	       has_range(&bi, 0xf0000, 0x100000, 2) &&
	       has_range(&bi, 0x100000, 0x3ffe0000, 1) &&
	       has_range(&bi, 0xfd00000000, 0x10000000000, BOOT_MEM_RESERVED),
	       "bios: e820 map sorted, unknown type reserved");
}

static void efi_desc(u8 *p, u32 type, u64 start, u64 pages, u64 attr)
{
	efi_memory_desc_t d = { type, 0, start, 0, pages, attr };
	memcpy(p, &d, sizeof(d));
}

static void test_uefi(void)
{
	struct bootinfo bi;
	static const struct mb2_mmap_entry e[] = { { 0, 0x80000000, 1, 0 } };
	const u64 WB = EFI_MEMORY_WB;
	enum { N = 10, DSZ = 48 };          /* descriptors larger than the struct, as OVMF */

	mb_begin();
	mb_mmap(e, 1);                      /* must lose to the EFI map */
	u64 *systab = mb_tag(MB2_TAG_EFI64, 16, 8);
	*systab = 0x3f9ee018;
	mb_rsdp(MB2_TAG_ACPI_OLD, 20, 0);
	size_t rsdp_off = moff + 8;
	mb_rsdp(MB2_TAG_ACPI_NEW, 36, 2);
	u8 *p = mb_tag(MB2_TAG_EFI_MMAP, 16 + N * DSZ, 8 + N * DSZ);
	u32 hdr[2] = { DSZ, 1 };
	memcpy(p, hdr, 8);
	p += 8;
	efi_desc(p + 0 * DSZ, EFI_CONVENTIONAL_MEMORY, 0, 0xa0, WB);
	efi_desc(p + 1 * DSZ, EFI_LOADER_DATA, 0x100000, 0x100, WB);
	efi_desc(p + 2 * DSZ, EFI_BOOT_SERVICES_CODE, 0x200000, 0x600, WB);
	efi_desc(p + 3 * DSZ, EFI_ACPI_MEMORY_NVS, 0x800000, 0x8, WB);
	efi_desc(p + 4 * DSZ, EFI_ACPI_RECLAIM_MEMORY, 0x808000, 0x8, WB);
	efi_desc(p + 5 * DSZ, EFI_RUNTIME_SERVICES_DATA, 0x810000, 0x10, WB);
	efi_desc(p + 6 * DSZ, EFI_CONVENTIONAL_MEMORY, 0x820000, 0x10, 0);  /* not WB */
	efi_desc(p + 7 * DSZ, EFI_PERSISTENT_MEMORY, 0x100000000, 0x1000, WB);
	efi_desc(p + 8 * DSZ, EFI_UNUSABLE_MEMORY, 0x830000, 0x10, WB);
	efi_desc(p + 9 * DSZ, EFI_MEMORY_MAPPED_IO, 0xb0000000, 0x10000, 0);
	int rc = parse(&bi, mb_end());

	TAP_OK(rc == 0 && printed[0] == '\0', "uefi: parses without warnings");
	TAP_OK(!strcmp(bi.firmware, "uefi") && bi.efi_systab == 0x3f9ee018,
	       "uefi: firmware is uefi, EFI system table recorded");
	TAP_OK(bi.acpi_rsdp == FAKE_PA + rsdp_off, "uefi: new RSDP preferred over old");
	TAP_OK(has_range(&bi, 0, 0xa0000, BOOT_MEM_USABLE) &&
	       has_range(&bi, 0x100000, 0x800000, BOOT_MEM_USABLE),
	       "uefi: conventional/loader/boot services merged into usable");
	TAP_OK(has_range(&bi, 0x800000, 0x808000, BOOT_MEM_NVS) &&
	       has_range(&bi, 0x808000, 0x810000, BOOT_MEM_ACPI) &&
	       has_range(&bi, 0x810000, 0x830000, BOOT_MEM_RESERVED) &&
	       has_range(&bi, 0x830000, 0x840000, BOOT_MEM_UNUSABLE) &&
	       has_range(&bi, 0xb0000000, 0xc0000000, BOOT_MEM_RESERVED) &&
	       has_range(&bi, 0x100000000, 0x101000000, BOOT_MEM_PERSISTENT),
	       "uefi: NVS, ACPI, runtime/non-WB reserved, unusable, MMIO, persistent");
	TAP_OK(bi.nr_mmap == 8 && map_sorted(&bi), "uefi: the EFI map wins over tag 6");
}

/* A small valid MBI: cmdline "x", one usable range, end. */
static void mb_small(void)
{
	static const struct mb2_mmap_entry e[] = { { 0x100000, 0x100000, 1, 0 } };
	mb_begin();
	mb_string(MB2_TAG_CMDLINE, "x");
	mb_mmap(e, 1);
}

static void test_malformed(void)
{
	struct bootinfo bi;
	size_t len;

	mb_small();
	mb_tag(7, 4, 0);                                   /* size < 8 */
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && strstr(printed, "multiboot2: warning: tag type 7") &&
	       strstr(printed, "size 4 < 8") && bi.nr_mmap == 1 && !strcmp(bi.cmdline, "x"),
	       "tag size < 8: warned, stops, earlier tags kept");

	mb_small();
	mb_tag(MB2_TAG_CMDLINE, 4000, 8);                  /* past total_size */
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && strstr(printed, "runs past the end") && bi.nr_mmap == 1,
	       "tag past total_size: warned, stops");

	mb_small();
	len = mb_end();
	((struct mb2_info_header *)mbuf)->total_size = 4;
	TAP_OK(parse(&bi, len) == -EINVAL && strstr(printed, "bad total size 4"),
	       "total size < 8 rejected");
	TAP_OK(parse(&bi, 6) == -EINVAL, "buffer shorter than the header rejected");

	mb_small();
	len = mb_end();
	((struct mb2_info_header *)mbuf)->total_size = 100000;
	TAP_OK(parse(&bi, len) == 0 && strstr(printed, "exceeds the") && bi.nr_mmap == 1,
	       "total size beyond the copy: truncated with a warning");

	mb_small();
	len = mb_end();
	TAP_OK(parse(&bi, len - 8) == 0 && strstr(printed, "no end tag") && bi.nr_mmap == 1,
	       "missing end tag: warned");

	static const struct mb2_mmap_entry e[] = {
		{ 0, 0x9f000, 1, 0 }, { 0x100000, 0x100000, 1, 0 } };
	mb_begin();
	u8 *p = mb_tag(MB2_TAG_MMAP, 16 + 24 + 10, 8 + 48);   /* 1.4 entries */
	u32 hdr[2] = { 24, 0 };
	memcpy(p, hdr, 8);
	memcpy(p + 8, e, 48);
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && strstr(printed, "10 trailing bytes") &&
	       bi.nr_mmap == 1 && has_range(&bi, 0, 0x9f000, 1),
	       "truncated mmap entry: whole entries used, warned");

	mb_begin();
	p = mb_tag(MB2_TAG_MMAP, 16 + 48, 8 + 48);
	hdr[0] = 16;
	memcpy(p, hdr, 8);
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && strstr(printed, "entry size 16 < 24") && bi.nr_mmap == 0,
	       "mmap entry size < 24: map skipped, warned");

	mb_begin();
	p = mb_tag(MB2_TAG_MMAP, 16 + 2 * 28, 8 + 2 * 28);   /* misaligned entries */
	hdr[0] = 28;
	memcpy(p, hdr, 8);
	memcpy(p + 8, &e[0], 24);
	memcpy(p + 8 + 28, &e[1], 24);
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && bi.nr_mmap == 2 && printed[0] == '\0',
	       "mmap entry size 28 (misaligned fields) read correctly");

	mb_small();
	memset(mb_tag(99, 8 + 5, 5), 0x55, 5);
	mb_string(MB2_TAG_LOADER_NAME, "after");
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && strstr(printed, "unknown tag type 99") &&
	       bi.loader && !strcmp(bi.loader, "after"),
	       "unknown tag: skipped with a warning, parsing goes on");

	mb_begin();
	memset(mb_tag(MB2_TAG_CMDLINE, 8 + 6, 6), 'a', 6);  /* no NUL */
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && strstr(printed, "not NUL-terminated") &&
	       !strcmp(bi.cmdline, "aaaaaa"), "unterminated command line: bounded, warned");

	mb_begin();
	mb_tag(MB2_TAG_ACPI_NEW, 8 + 20, 20);              /* too short for v2 */
	mb_tag(MB2_TAG_MODULE, 12, 4);                      /* too short */
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && bi.acpi_rsdp == 0 && bi.nr_reserved == 0 &&
	       strstr(printed, "RSDP tag type 15") && strstr(printed, "module tag"),
	       "short RSDP and module tags skipped with warnings");

	mb_begin();
	struct mb2_tag_basic_meminfo *mi = (void *)((u8 *)mb_tag(MB2_TAG_BASIC_MEMINFO, 16, 8) - 8);
	mi->mem_lower = 639;
	mi->mem_upper = 1024 * 1023;
	len = mb_end();
	TAP_OK(parse(&bi, len) == 0 && has_range(&bi, 0, 639 << 10, 1) &&
	       has_range(&bi, 0x100000, 0x40000000, 1) && strstr(printed, "basic meminfo"),
	       "no memory map: basic meminfo used");
}

/* Random corruption of a good MBI must never crash (ASan/UBSan watch). */
static void test_fuzz(void)
{
	unsigned seed = 12345;
	int survived = 0;
	static u64 good[4096];
	size_t glen;

	size_t rsdp_off;

	glen = mb_build_bios(&rsdp_off);
	memcpy(good, mbuf, sizeof(good));
	for (int it = 0; it < 3000; it++) {
		struct bootinfo bi;
		memcpy(mbuf, good, sizeof(good));
		for (int k = 0; k < 1 + it % 6; k++) {
			seed = seed * 1103515245 + 12345;
			((u8 *)mbuf)[(seed >> 8) % glen] = seed >> 24;
		}
		seed = seed * 1103515245 + 12345;
		size_t len = it % 3 ? glen : (seed >> 8) % (glen + 1);
		parse(&bi, len);
		survived += map_sorted(&bi);
	}
	TAP_OK(survived == 3000, "3000 corrupted MBIs: no crash, map always sorted");
}

static void test_bootinfo_map(void)
{
	static struct bootinfo bi;

	memset(&bi, 0, sizeof(bi));
	bootinfo_add_mem(&bi, 0x1000, 0x9000, BOOT_MEM_USABLE);
	bootinfo_add_mem(&bi, 0x0, 0x1000, BOOT_MEM_USABLE);
	bootinfo_add_mem(&bi, 0x4000, 0x1000, BOOT_MEM_RESERVED);
	bootinfo_add_mem(&bi, 0x9000, 0x2000, BOOT_MEM_ACPI);
	bootinfo_add_mem(&bi, 0x20000, 0, BOOT_MEM_USABLE);
	TAP_OK(bi.nr_mmap == 4 && map_sorted(&bi) && has_range(&bi, 0, 0x4000, 1) &&
	       has_range(&bi, 0x4000, 0x5000, 2) && has_range(&bi, 0x5000, 0x9000, 1) &&
	       has_range(&bi, 0x9000, 0xb000, 3),
	       "add_mem: merges, splits, restrictive type wins, size 0 ignored");

	bootinfo_add_mem(&bi, 0xfffffffffffff000ULL, 0x10000, BOOT_MEM_RESERVED);
	TAP_OK(bi.nr_mmap == 5 && bi.mmap[4].size == 0xfff, "add_mem: clamps at the top");

	memset(&bi, 0, sizeof(bi));
	for (int i = 0; i < BOOT_MMAP_MAX; i++)
		bootinfo_add_mem(&bi, (u64)i * 0x2000, 0x1000, BOOT_MEM_USABLE);
	printed[0] = '\0';
	bootinfo_add_mem(&bi, 0x10000000, 0x1000, BOOT_MEM_USABLE);
	TAP_OK(bi.nr_mmap == BOOT_MMAP_MAX && strstr(printed, "memory map full") &&
	       bi.mmap[BOOT_MMAP_MAX - 1].base == (BOOT_MMAP_MAX - 1) * 0x2000UL,
	       "add_mem: full map unchanged, warned");

	struct boot_mem_range r[2];
	int n = 0;
	TAP_OK(boot_mem_add(r, &n, 2, 0x5000, 0x1000, BOOT_MEM_USABLE) == 0 &&
	       boot_mem_add(r, &n, 2, 0x1000, 0x1000, BOOT_MEM_USABLE) == 0 &&
	       boot_mem_add(r, &n, 2, 0x2000, 0x3000, BOOT_MEM_USABLE) == 0 &&
	       n == 1 && r[0].base == 0x1000 && r[0].size == 0x5000 &&
	       boot_mem_add(r, &n, 2, 0x8000, 0x1000, BOOT_MEM_NVS) == 0 && n == 2 &&
	       boot_mem_add(r, &n, 2, 0x3000, 0x1000, BOOT_MEM_RESERVED) == -ENOSPC &&
	       n == 2 && r[0].size == 0x5000 && r[1].base == 0x8000,
	       "boot_mem_add: caller's array, gaps filled and merged, -ENOSPC unchanged");

	memset(&bi, 0, sizeof(bi));
	bootinfo_add_mem(&bi, 0, 0x9fc00, BOOT_MEM_USABLE);
	bootinfo_add_mem(&bi, 0x100000000, 0x40000000, 9);
	printed[0] = '\0';
	bootinfo_print_mmap(&bi);
	TAP_OK(strstr(printed, "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n") &&
	       strstr(printed, "[mem 0x0000000100000000-0x000000013fffffff] type 9\n"),
	       "print_mmap: Linux format");
}

int main(void)
{
	test_bios();
	test_uefi();
	test_malformed();
	test_fuzz();
	test_bootinfo_map();
	return TAP_DONE();
}
