/* The firmware memory map in struct bootinfo: kept sorted, non-overlapping
 * and merged by kernel/boot_mem.c's sweep (the most restrictive type wins
 * where the firmware's ranges overlap), the reserved list, and the
 * Linux-style printout. */
#include <pagoda/kernel.h>
#include <pagoda/bootinfo.h>

struct bootinfo bootinfo;

const char *boot_mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE:     return "usable";
	case BOOT_MEM_RESERVED:   return "reserved";
	case BOOT_MEM_ACPI:       return "ACPI data";
	case BOOT_MEM_NVS:        return "ACPI NVS";
	case BOOT_MEM_UNUSABLE:   return "unusable";
	case BOOT_MEM_PERSISTENT: return "persistent (type 7)";
	default:                  return "unknown";
	}
}

void bootinfo_add_mem(struct bootinfo *bi, phys_addr_t base, u64 size, u32 type)
{
	if (!boot_mem_add(bi->mmap, &bi->nr_mmap, BOOT_MMAP_MAX, base, size, type))
		return;
	if (size > ~(u64)0 - base)
		size = ~(u64)0 - base;               /* as boot_mem_add clamped it */
	printk("bootinfo: warning: memory map full, dropped [mem 0x%016lx-0x%016lx]\n",
	       (unsigned long)base, (unsigned long)(base + size - 1));
}

void bootinfo_add_reserved(struct bootinfo *bi, phys_addr_t base, u64 size)
{
	if (!size)
		return;
	if (bi->nr_reserved == BOOT_RESERVED_MAX) {
		printk("bootinfo: warning: reserved list full, dropped [mem 0x%016lx-0x%016lx]\n",
		       (unsigned long)base, (unsigned long)(base + size - 1));
		return;
	}
	bi->reserved[bi->nr_reserved++] = (struct boot_mem_range){
		base, size, BOOT_MEM_RESERVED };
}

void bootinfo_print_mmap(const struct bootinfo *bi)
{
	printk("BIOS-provided physical RAM map:\n");
	for (int i = 0; i < bi->nr_mmap; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];
		unsigned long last = r->base + r->size - 1;
		if (boot_mem_type_rank(r->type) == BOOT_MEM_RANK_RESERVED &&
		    r->type != BOOT_MEM_RESERVED)
			printk("BIOS-e820: [mem 0x%016lx-0x%016lx] type %u\n",
			       (unsigned long)r->base, last, r->type);
		else
			printk("BIOS-e820: [mem 0x%016lx-0x%016lx] %s\n",
			       (unsigned long)r->base, last, boot_mem_type_name(r->type));
	}
}
