/* The firmware memory map in struct bootinfo: kept sorted, non-overlapping
 * and merged, whatever order and overlaps the firmware reports.
 *
 * Adding a range re-sweeps the whole map: cut it at every range boundary,
 * give each elementary piece the most restrictive type that covers it,
 * and merge neighbours of the same type:
 *
 *   existing   [---- usable ----)    [-- ACPI --)
 *   added            [-- reserved --)
 *   result     [usa)[-- reserved --)[u)[-- ACPI --)
 *
 * Restrictiveness (Linux's e820 sanitizing has the same spirit):
 * usable < persistent < ACPI < NVS < unusable < reserved (and unknown). */
#include <pagoda/kernel.h>
#include <pagoda/bootinfo.h>

struct bootinfo bootinfo;

/* Scratch for the sweep; boot runs on one CPU, one caller at a time. */
static phys_addr_t sweep_points[2 * (BOOT_MMAP_MAX + 1)];
static struct boot_mem_range sweep_in[BOOT_MMAP_MAX + 1];
static struct boot_mem_range sweep_out[BOOT_MMAP_MAX];

static int mem_type_rank(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE:     return 0;
	case BOOT_MEM_PERSISTENT: return 1;
	case BOOT_MEM_ACPI:       return 2;
	case BOOT_MEM_NVS:        return 3;
	case BOOT_MEM_UNUSABLE:   return 4;
	default:                  return 5;
	}
}

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

/* Sorted, duplicate-free boundaries of r[0..n) into sweep_points. */
static int sweep_collect_points(const struct boot_mem_range *r, int n)
{
	int np = 0;

	for (int i = 0; i < n; i++) {
		phys_addr_t p[2] = { r[i].base, r[i].base + r[i].size };
		for (int k = 0; k < 2; k++) {
			int j = np;
			while (j > 0 && sweep_points[j - 1] > p[k]) {
				sweep_points[j] = sweep_points[j - 1];
				j--;
			}
			if (j > 0 && sweep_points[j - 1] == p[k]) {
				memmove(&sweep_points[j], &sweep_points[j + 1],
					(np - j) * sizeof(sweep_points[0]));
				continue;
			}
			sweep_points[j] = p[k];
			np++;
		}
	}
	return np;
}

/* Most restrictive type of r[0..n) covering [a, b), or 0 if none. */
static u32 sweep_type_at(const struct boot_mem_range *r, int n, phys_addr_t a, phys_addr_t b)
{
	u32 best = 0;

	for (int i = 0; i < n; i++)
		if (r[i].base <= a && b <= r[i].base + r[i].size &&
		    (!best || mem_type_rank(r[i].type) > mem_type_rank(best)))
			best = r[i].type;
	return best;
}

/* Add [base, base + size) of type to the map (see the theory above); on
 * overflow of BOOT_MMAP_MAX the map is left unchanged with a warning. */
void bootinfo_add_mem(struct bootinfo *bi, phys_addr_t base, u64 size, u32 type)
{
	if (size > ~(u64)0 - base)
		size = ~(u64)0 - base;               /* clamp at the top of the space */
	if (!size)
		return;
	struct boot_mem_range *in = sweep_in;
	int n = bi->nr_mmap, nout = 0;

	memcpy(in, bi->mmap, n * sizeof(in[0]));
	in[n++] = (struct boot_mem_range){ base, size, type };

	int np = sweep_collect_points(in, n);
	for (int k = 0; k + 1 < np; k++) {
		phys_addr_t a = sweep_points[k], b = sweep_points[k + 1];
		u32 t = sweep_type_at(in, n, a, b);
		if (!t)
			continue;
		struct boot_mem_range *last = nout ? &sweep_out[nout - 1] : NULL;
		if (last && last->type == t && last->base + last->size == a) {
			last->size += b - a;
			continue;
		}
		if (nout == BOOT_MMAP_MAX) {
			printk("bootinfo: warning: memory map full, dropped [mem 0x%016lx-0x%016lx]\n",
			       (unsigned long)base, (unsigned long)(base + size - 1));
			return;
		}
		sweep_out[nout++] = (struct boot_mem_range){ a, b - a, t };
	}
	memcpy(bi->mmap, sweep_out, nout * sizeof(sweep_out[0]));
	bi->nr_mmap = nout;
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
		if (mem_type_rank(r->type) == 5 && r->type != BOOT_MEM_RESERVED)
			printk("BIOS-e820: [mem 0x%016lx-0x%016lx] type %u\n",
			       (unsigned long)r->base, last, r->type);
		else
			printk("BIOS-e820: [mem 0x%016lx-0x%016lx] %s\n",
			       (unsigned long)r->base, last, boot_mem_type_name(r->type));
	}
}
