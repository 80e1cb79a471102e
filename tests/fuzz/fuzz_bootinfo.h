/* The promises of struct bootinfo's memory map (kernel/boot_mem.c), checked
 * after the multiboot2 and EFI harnesses: sorted, non-overlapping, merged,
 * non-empty ranges that do not wrap, of a known type. */
#ifndef TESTS_FUZZ_BOOTINFO_H
#define TESTS_FUZZ_BOOTINFO_H
#include <pagoda/bootinfo.h>
#include "fuzz.h"

static void fuzz_check_bootinfo(const struct bootinfo *bi)
{
	FUZZ_ASSERT(bi->nr_mmap >= 0 && bi->nr_mmap <= BOOT_MMAP_MAX, "nr_mmap %d", bi->nr_mmap);
	FUZZ_ASSERT(bi->nr_reserved >= 0 && bi->nr_reserved <= BOOT_RESERVED_MAX,
		    "nr_reserved %d", bi->nr_reserved);
	for (int i = 0; i < bi->nr_mmap; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];
		FUZZ_ASSERT(r->size && r->base + r->size - 1 >= r->base,
			    "range %d [%#llx +%#llx) empty or wraps", i,
			    (unsigned long long)r->base, (unsigned long long)r->size);
		FUZZ_ASSERT(r->type >= BOOT_MEM_USABLE && r->type <= BOOT_MEM_PERSISTENT &&
			    r->type != 6, "range %d type %u", i, r->type);
		if (i == 0)
			continue;
		const struct boot_mem_range *p = &bi->mmap[i - 1];
		FUZZ_ASSERT(p->base + p->size <= r->base, "ranges %d and %d unsorted or overlap", i - 1, i);
		FUZZ_ASSERT(p->base + p->size < r->base || p->type != r->type,
			    "ranges %d and %d touch with one type (not merged)", i - 1, i);
	}
	FUZZ_ASSERT(memchr(bi->cmdline, 0, sizeof(bi->cmdline)), "cmdline not NUL-terminated");
}
#endif
