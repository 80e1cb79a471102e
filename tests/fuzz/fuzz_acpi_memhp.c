/* Fuzz harness: the ACPI memory-hotplug driver's table and register bits
 * (kernel/acpi_memhp.c): the SRAT hotpluggable-window scan and the slot
 * scan over a fake QEMU controller whose registers come from the input.
 *
 *   input: [u16 n][SRAT: n bytes][slot records: u8 slot, u32 flags,
 *                                 u64 base, u64 size (little-endian) ...]
 *   The harness gives the SRAT its signature, length n and checksum and
 *   reaches it through RSDP -> RSDT; flags bit 0 enabled, 1 inserting,
 *   2 removing.  Two scans run (the first one at start, one more event).
 *
 * The driver file is #included so its static state (window, slots, first
 * scan) is reset before every input.  Promises checked: no crash or
 * out-of-bounds access; every range handed to add_memory_driver_managed
 * is non-empty, block-aligned, does not wrap and lies inside the SRAT
 * window when there is one; the window is non-empty when set; remove is
 * asked only for a range that was added. */
#include "kernel/acpi_memhp.c"
#include <string.h>
#include <pagoda/printk.h>
#include "acpi_checksum.h"
#include "fuzz.h"

#define PHYS_BASE  0x3f000000UL
#define SRAT_PA    0x40000000UL
#define NSLOTS     8
#define FAKE_MAX_BLOCKS 64                /* larger adds fail with -ENOMEM */
#define FAKE_PHYS_LIMIT (1ULL << 46)      /* MAX_PHYSMEM_BITS: -ERANGE above */

int printk(const char *fmt, ...) { return 0; }
void printk_line_async(const char *fmt, ...) { }
__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	FUZZ_ASSERT(0, "panic in %s: %s", func, fmt);
	abort();
}

/* ---- fake hotplug API over sections 0..SECTIONS_PER_ROOT-1 ---- */
enum mhp_online_type memhp_default_online_type = MMOP_ONLINE;
struct mem_section *mem_section_root[NR_SECTION_ROOTS];
static struct mem_section sections[SECTIONS_PER_ROOT];
static phys_addr_t added_base[NSLOTS * 4];
static u64 added_size[NSLOTS * 4];
static int nr_added;

int add_memory_driver_managed(phys_addr_t start, u64 size)
{
	FUZZ_ASSERT(size && IS_ALIGNED(start, MEMORY_BLOCK_SIZE) && IS_ALIGNED(size, MEMORY_BLOCK_SIZE),
		    "add [%#lx +%#lx) not block-aligned", (unsigned long)start, (unsigned long)size);
	FUZZ_ASSERT(start + size > start, "add [%#lx +%#lx) wraps", (unsigned long)start,
		    (unsigned long)size);
	if (acpi_memhp_win_end)
		FUZZ_ASSERT(start >= acpi_memhp_win_start && start + size <= acpi_memhp_win_end,
			    "add [%#lx +%#lx) outside the window [%#lx, %#lx)", (unsigned long)start,
			    (unsigned long)size, (unsigned long)acpi_memhp_win_start,
			    (unsigned long)acpi_memhp_win_end);
	if (start + size > FAKE_PHYS_LIMIT)
		return -ERANGE;
	if (size / MEMORY_BLOCK_SIZE > FAKE_MAX_BLOCKS)
		return -ENOMEM;
	for (int i = 0; i < nr_added; i++)
		if (start < added_base[i] + added_size[i] && added_base[i] < start + size)
			return -EEXIST;
	if (nr_added == NSLOTS * 4)
		return -ENOMEM;
	added_base[nr_added] = start, added_size[nr_added++] = size;
	for (u64 a = start; a < start + size; a += MEMORY_BLOCK_SIZE)
		if (a / MEMORY_BLOCK_SIZE < SECTIONS_PER_ROOT)
			sections[a / MEMORY_BLOCK_SIZE].state = SECTION_PRESENT | SECTION_MEMMAP |
								SECTION_ONLINE;
	return 0;
}
int offline_and_remove_memory(phys_addr_t start, u64 size, unsigned long *busy_pfn)
{
	for (int i = 0; i < nr_added; i++)
		if (added_base[i] == start && added_size[i] == size) {
			if ((start >> 27) & 1) {             /* odd blocks: "busy" */
				*busy_pfn = start >> 12;
				return -EBUSY;
			}
			added_base[i] = added_base[--nr_added];
			added_size[i] = added_size[nr_added];
			return 0;
		}
	FUZZ_ASSERT(0, "remove [%#lx +%#lx) that was never added", (unsigned long)start,
		    (unsigned long)size);
	return -EINVAL;
}
const char *memhp_pfn_owner(unsigned long pfn) { return "allocated page"; }

/* ---- fake controller: registers from the input ---- */
static struct { u32 flags; u64 base, size; } slot[NSLOTS];
static u32 selector;

static u32 fake_read32(unsigned off)
{
	if (selector >= NSLOTS)
		return 0;
	switch (off) {
	case MEMHP_REG_ADDR_LO: return (u32)slot[selector].base;
	case MEMHP_REG_ADDR_HI: return slot[selector].base >> 32;
	case MEMHP_REG_SIZE_LO: return (u32)slot[selector].size;
	case MEMHP_REG_SIZE_HI: return slot[selector].size >> 32;
	case MEMHP_REG_FLAGS:   return slot[selector].flags;
	default:                return 0;
	}
}
static void fake_write32(unsigned off, u32 v)
{
	if (off == MEMHP_REG_SELECTOR) {
		selector = v;
		return;
	}
	if (selector >= NSLOTS || off != MEMHP_REG_FLAGS)
		return;
	if (v & MEMHP_CLEAR_INSERT)
		slot[selector].flags &= ~MEMHP_INSERTING;
	else if (v & MEMHP_CLEAR_REMOVE)
		slot[selector].flags &= ~MEMHP_REMOVING;
	else if (v & MEMHP_EJECT)
		slot[selector].flags = 0;
}
static const struct acpi_memhp_ops fake_ops = { fake_read32, fake_write32 };

/* ---- tables: RSDP + RSDT in phys[], the SRAT in its own exact buffer ---- */
static u8 phys[0x100];
static u8 *srat;
static size_t srat_len;

static const void *fuzz_map(phys_addr_t pa, size_t len)
{
	if (pa >= PHYS_BASE && pa - PHYS_BASE <= sizeof(phys) && len <= sizeof(phys) - (pa - PHYS_BASE))
		return phys + (pa - PHYS_BASE);
	if (pa >= SRAT_PA && pa - SRAT_PA <= srat_len && len <= srat_len - (pa - SRAT_PA))
		return srat + (pa - SRAT_PA);
	return NULL;
}
static void build_tables(void)
{
	struct acpi_rsdp r = { .revision = 0, .rsdt_address = PHYS_BASE + 0x40 };
	struct acpi_sdt_header h = { .length = 40, .revision = 1 };
	u32 pa = SRAT_PA;

	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(phys, &r, 20);
	acpi_fix_checksum(phys, 20, 8);
	memcpy(h.signature, "RSDT", 4);
	memcpy(phys + 0x40, &h, 36);
	memcpy(phys + 0x40 + 36, &pa, 4);
	acpi_fix_checksum(phys + 0x40, 40, 9);
	if (srat_len >= sizeof(struct acpi_sdt_header)) {
		u32 l = srat_len;
		memcpy(srat, "SRAT", 4);
		memcpy(srat + 4, &l, 4);
		acpi_fix_checksum(srat, srat_len, 9);
	}
}

static void reset(void)
{
	acpi_memhp_regs = NULL;
	memset(acpi_memhp_slots, 0, sizeof(acpi_memhp_slots));
	acpi_memhp_win_start = acpi_memhp_win_end = 0;
	acpi_memhp_first_scan_done = false;
	memset(sections, 0, sizeof(sections));
	mem_section_root[0] = sections;
	memset(slot, 0, sizeof(slot));
	nr_added = 0;
	selector = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u16 n;
	size_t pos;

	if (size < 2)
		return 0;
	reset();
	memcpy(&n, data, 2);
	srat_len = n < size - 2 ? n : size - 2;
	srat = fuzz_dup(data + 2, srat_len, 0);
	build_tables();
	for (pos = 2 + srat_len; pos + 21 <= size; pos += 21) {
		unsigned s = data[pos] % NSLOTS;
		memcpy(&slot[s].flags, data + pos + 1, 4);
		memcpy(&slot[s].base, data + pos + 5, 8);
		memcpy(&slot[s].size, data + pos + 13, 8);
	}
	acpi_init_root(&acpi, PHYS_BASE, fuzz_map);
	acpi_memhp_start(&fake_ops);
	FUZZ_ASSERT(!acpi_memhp_win_end || acpi_memhp_win_start < acpi_memhp_win_end,
		    "window [%#lx, %#lx)", (unsigned long)acpi_memhp_win_start,
		    (unsigned long)acpi_memhp_win_end);
	kwork_run();
	for (unsigned s = 0; s < NSLOTS; s++)            /* a second event: ask again */
		slot[s].flags |= slot[s].flags & MEMHP_ENABLED ? MEMHP_REMOVING : MEMHP_INSERTING;
	acpi_memhp_event();
	kwork_run();
	free(srat);
	return 0;
}
