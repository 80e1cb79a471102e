/* memblock: boot-time physical range allocator.
 *
 *   firmware map   |usable|rsvd|ACPI|------usable------|  hole  |--usable--|
 *   memory         [======)              [=================)        [===)   <- mem= cut
 *   reserved         [kk)                       [mmmm)            (allocations grow
 *                                                   <---          down from the top)
 *
 * Regions are kept sorted and merged, so thousands of consecutive top-down
 * page allocations (the boot vmemmap) collapse into one reserved region.
 * All addresses are half-open ranges [base, base + size). */
#include <pagoda/kernel.h>
#include <pagoda/bootinfo.h>
#include <pagoda/cmdline.h>
#include <pagoda/mm.h>
#include <asm/vmparam.h>
#include "mm/memblock.h"

struct memblock memblock = {
	.memory.name = "memory",
	.reserved.name = "reserved",
};

static u64 memblock_type_total(const struct memblock_type *t)
{
	u64 sum = 0;
	for (int i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

/* Open a slot at index i (regions[i..] move right).  Panics when full:
 * the region arrays are fixed-size and overflowing them loses RAM. */
static void memblock_insert_slot(struct memblock_type *t, int i)
{
	if (t->cnt >= MEMBLOCK_MAX_REGIONS)
		panic("%s: more than %d regions", t->name, MEMBLOCK_MAX_REGIONS);
	memmove(&t->regions[i + 1], &t->regions[i], (t->cnt - i) * sizeof(t->regions[0]));
	t->cnt++;
}

static void memblock_delete_slots(struct memblock_type *t, int i, int n)
{
	memmove(&t->regions[i], &t->regions[i + n], (t->cnt - i - n) * sizeof(t->regions[0]));
	t->cnt -= n;
}

/* Add [base, base + size) to t, merging with every region it overlaps or touches. */
static void memblock_type_add(struct memblock_type *t, phys_addr_t base, u64 size)
{
	phys_addr_t end = base + size;
	int i = 0, j;

	if (!size)
		return;
	while (i < t->cnt && t->regions[i].base + t->regions[i].size < base)
		i++;
	for (j = i; j < t->cnt && t->regions[j].base <= end; j++) {
		base = MIN(base, t->regions[j].base);
		end = MAX(end, t->regions[j].base + t->regions[j].size);
	}
	if (j == i)
		memblock_insert_slot(t, i);
	else
		memblock_delete_slots(t, i + 1, j - i - 1);
	t->regions[i].base = base;
	t->regions[i].size = end - base;
	t->total = memblock_type_total(t);
}

/* Remove [base, base + size) from t, trimming or splitting regions. */
static void memblock_type_remove(struct memblock_type *t, phys_addr_t base, u64 size)
{
	phys_addr_t end = base + size;

	for (int i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];
		phys_addr_t rb = r->base, re = r->base + r->size;

		if (re <= base || rb >= end)
			continue;
		if (rb < base && re > end) {            /* split in two */
			r->size = base - rb;
			memblock_insert_slot(t, i + 1);
			t->regions[i + 1].base = end;
			t->regions[i + 1].size = re - end;
			break;
		}
		if (rb < base) {
			r->size = base - rb;
		} else if (re > end) {
			r->base = end;
			r->size = re - end;
		} else {
			memblock_delete_slots(t, i, 1);
			i--;
		}
	}
	t->total = memblock_type_total(t);
}

int memblock_add(phys_addr_t base, u64 size) { memblock_type_add(&memblock.memory, base, size); return 0; }
int memblock_remove(phys_addr_t base, u64 size) { memblock_type_remove(&memblock.memory, base, size); return 0; }
int memblock_reserve(phys_addr_t base, u64 size) { memblock_type_add(&memblock.reserved, base, size); return 0; }

static bool memblock_type_contains(const struct memblock_type *t, phys_addr_t pa)
{
	for (int i = 0; i < t->cnt; i++)
		if (pa >= t->regions[i].base && pa < t->regions[i].base + t->regions[i].size)
			return true;
	return false;
}
bool memblock_is_memory(phys_addr_t pa) { return memblock_type_contains(&memblock.memory, pa); }
bool memblock_is_reserved(phys_addr_t pa) { return memblock_type_contains(&memblock.reserved, pa); }

/* Bytes of [base, base + size) that lie in memory. */
static u64 memblock_memory_overlap(phys_addr_t base, u64 size)
{
	u64 sum = 0;
	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		phys_addr_t s = MAX(base, r->base), e = MIN(base + size, r->base + r->size);
		if (s < e)
			sum += e - s;
	}
	return sum;
}

phys_addr_t memblock_end_of_ram(void)
{
	const struct memblock_type *t = &memblock.memory;
	return t->cnt ? t->regions[t->cnt - 1].base + t->regions[t->cnt - 1].size : 0;
}

/* Linux's mem=: keep RAM below the address where `limit` bytes are covered. */
void memblock_enforce_memory_limit(u64 limit)
{
	u64 covered = 0;

	limit = ALIGN_DOWN(limit, PAGE_SIZE);
	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		if (covered + r->size >= limit) {
			phys_addr_t cut = r->base + (limit - covered);
			memblock_remove(cut, memblock_end_of_ram() - cut);
			return;
		}
		covered += r->size;
	}
}

/* Find the first free range at or above *cursor: memory minus reserved.
 * Returns false when none is left; advances *cursor past the range. */
bool memblock_next_free_range(u64 *cursor, phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *rs = &memblock.reserved;

	for (int i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		phys_addr_t s = MAX(m->base, *cursor), e = m->base + m->size;
		int j = 0;

		while (j < rs->cnt && rs->regions[j].base + rs->regions[j].size <= s)
			j++;
		if (j < rs->cnt && rs->regions[j].base <= s) {       /* s is reserved */
			s = rs->regions[j].base + rs->regions[j].size;
			j++;
		}
		if (s >= e)
			continue;
		if (j < rs->cnt && rs->regions[j].base < e)
			e = rs->regions[j].base;
		*start = s;
		*end = e;
		*cursor = e;
		return true;
	}
	return false;
}

/* Allocate size bytes aligned to align, zeroed, from the highest free fit
 * (top-down, like Linux).  Returns 0 when nothing fits (frame 0 is always
 * reserved, so 0 is never an answer); panics after retirement. */
phys_addr_t memblock_alloc_try(u64 size, u64 align)
{
	phys_addr_t s, e, best = 0;
	bool found = false;
	u64 cursor = 0;

	if (memblock.retired)
		panic("memblock is retired (size %#llx): use the buddy allocator",
		      (unsigned long long)size);
	KASSERT(size && align && !(align & (align - 1)), "size %#llx align %#llx",
		(unsigned long long)size, (unsigned long long)align);
	size = ALIGN_UP(size, PAGE_SIZE);
	while (memblock_next_free_range(&cursor, &s, &e)) {
		phys_addr_t cand;
		if (memblock.current_limit && e > memblock.current_limit)
			e = MAX(s, memblock.current_limit);
		if (e - s < size)
			continue;
		cand = ALIGN_DOWN(e - size, align);
		if (cand >= s && (!found || cand > best)) {
			best = cand;
			found = true;
		}
	}
	if (!found)
		return 0;
	memblock_reserve(best, size);
	memblock.alloc_bytes += size;
	memset(__va(best), 0, size);
	return best;
}

/* memblock_alloc_try() that panics when memory is exhausted. */
phys_addr_t memblock_alloc_phys(u64 size, u64 align)
{
	phys_addr_t pa = memblock_alloc_try(size, align);

	if (!pa)
		panic("out of memory: size %#llx align %#llx, %llu bytes free",
		      (unsigned long long)size, (unsigned long long)align,
		      (unsigned long long)(memblock.memory.total - memblock.reserved.total));
	return pa;
}

void memblock_retire(void) { memblock.retired = true; }

void memblock_set_current_limit(phys_addr_t limit) { memblock.current_limit = limit; }

void memblock_cap_direct_map(phys_addr_t limit)
{
	while (memblock.memory.cnt && memblock_end_of_ram() > limit) {
		const struct memblock_region *r = &memblock.memory.regions[memblock.memory.cnt - 1];
		phys_addr_t s = MAX(r->base, limit), e = r->base + r->size;

		printk("memblock: RAM [%#llx, %#llx) is beyond the direct map (ends at %#llx), ignored\n",
		       (unsigned long long)s, (unsigned long long)e, (unsigned long long)limit);
		memblock_remove(s, e - s);
	}
}

/* Build memory/reserved from the firmware map, the kernel's reservations and mem=. */
void memblock_init(const struct bootinfo *bi)
{
	for (int i = 0; i < bi->nr_mmap; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];
		phys_addr_t s = ALIGN_UP(r->base, PAGE_SIZE);
		phys_addr_t e = ALIGN_DOWN(r->base + r->size, PAGE_SIZE);
		if (r->type != BOOT_MEM_USABLE)
			continue;
		memblock.firmware_usable += r->size;
		if (s < e)
			memblock_add(s, e - s);
	}
	for (int i = 0; i < bi->nr_mmap; i++) {       /* firmware ranges win overlaps */
		const struct boot_mem_range *r = &bi->mmap[i];
		phys_addr_t s = ALIGN_DOWN(r->base, PAGE_SIZE);
		if (r->type != BOOT_MEM_USABLE)
			memblock_remove(s, ALIGN_UP(r->base + r->size, PAGE_SIZE) - s);
	}
	memblock_cap_direct_map(DIRECT_MAP_SIZE);
	memblock_set_current_limit(DIRECT_MAP_SIZE);
	if (memblock.mem_limit)
		memblock_enforce_memory_limit(memblock.mem_limit);
	for (int i = 0; i < bi->nr_reserved; i++) {
		const struct boot_mem_range *r = &bi->reserved[i];
		phys_addr_t s = ALIGN_DOWN(r->base, PAGE_SIZE);
		u64 sz = ALIGN_UP(r->base + r->size, PAGE_SIZE) - s;
		memblock_reserve(s, sz);
	}
	/* Frame 0 is never handed out (as on Linux/x86), so physical address
	 * 0 can mean "no page" in phys_addr_t interfaces (mm_alloc_meta_page).
	 * Reserved before the sum below: a boot reservation like the others. */
	memblock_reserve(0, PAGE_SIZE);
	for (int i = 0; i < memblock.reserved.cnt; i++)
		memblock.kernel_bytes += memblock_memory_overlap(memblock.reserved.regions[i].base,
								 memblock.reserved.regions[i].size);
}

/* Smallest mem= honoured: one section's boot memmap (2 MiB), the kernel
 * image and firmware holes must fit with room to spare, so a tiny value
 * is refused at parse time instead of panicking in memblock later. */
#define MEM_LIMIT_MIN (32 * SZ_1M)

/* mem=SIZE: use only the first SIZE bytes of RAM. */
static int memblock_param_mem(const char *val)
{
	u64 size;

	if (!val || kparse_size(val, &size)) {
		printk("mem=%s: invalid size, ignored\n", val ? val : "");
		return -EINVAL;
	}
	if (size < MEM_LIMIT_MIN) {
		printk("mem=%s: below the %luM Pagoda needs to boot, ignored\n",
		       val, MEM_LIMIT_MIN >> 20);
		return -EINVAL;
	}
	memblock.mem_limit = size;
	return 0;
}
KERNEL_PARAM("mem", memblock_param_mem);
