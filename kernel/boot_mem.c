/* Sorted, non-overlapping, merged arrays of typed physical ranges: the one
 * mechanism behind bootinfo.mmap (bootinfo_add_mem) and the arm64 boot
 * page tables' RAM list (arch/arm64/mmu_boot.c), whatever order and
 * overlaps the firmware reports.
 *
 * Adding a range re-sweeps the whole array: cut it at every range boundary,
 * give each elementary piece the most restrictive type that covers it,
 * and merge neighbours of the same type:
 *
 *   existing   [---- usable ----)    [-- ACPI --)
 *   added            [-- reserved --)
 *   result     [usa)[-- reserved --)[u)[-- ACPI --)
 *
 * Restrictiveness (Linux's e820 sanitizing has the same spirit):
 * usable < persistent < ACPI < NVS < unusable < reserved (and unknown).
 *
 * Plain functions over the caller's array, no printk and no tables of
 * pointers: arm64 runs boot_mem_add() at its load address before the
 * switch to its own page tables (check with objdump -r: no R_AARCH64_ABS64
 * in this object's .text/.rodata/.data). */
#include <pagoda/kernel.h>
#include <pagoda/bootinfo.h>

/* Scratch for the sweep; boot runs on one CPU, one caller at a time. */
static phys_addr_t sweep_points[2 * (BOOT_MMAP_MAX + 1)];
static struct boot_mem_range sweep_in[BOOT_MMAP_MAX + 1];
static struct boot_mem_range sweep_out[BOOT_MMAP_MAX];

int boot_mem_type_rank(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE:     return 0;
	case BOOT_MEM_PERSISTENT: return 1;
	case BOOT_MEM_ACPI:       return 2;
	case BOOT_MEM_NVS:        return 3;
	case BOOT_MEM_UNUSABLE:   return 4;
	default:                  return BOOT_MEM_RANK_RESERVED;
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
		    (!best || boot_mem_type_rank(r[i].type) > boot_mem_type_rank(best)))
			best = r[i].type;
	return best;
}

int boot_mem_add(struct boot_mem_range *map, int *nr, int max,
		 phys_addr_t base, u64 size, u32 type)
{
	struct boot_mem_range *in = sweep_in;
	int n = *nr, nout = 0;

	if (max > BOOT_MMAP_MAX)
		max = BOOT_MMAP_MAX;                 /* the scratch arrays' size */
	if (size > ~(u64)0 - base)
		size = ~(u64)0 - base;               /* clamp at the top of the space */
	if (!size)
		return 0;
	memcpy(in, map, n * sizeof(in[0]));
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
		if (nout == max)
			return -ENOSPC;
		sweep_out[nout++] = (struct boot_mem_range){ a, b - a, t };
	}
	memcpy(map, sweep_out, nout * sizeof(sweep_out[0]));
	*nr = nout;
	return 0;
}
