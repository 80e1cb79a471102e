/* The user's view of memory blocks, as Linux shows it:
 *
 *   /sys/devices/system/memory/
 *     block_size_bytes           8000000
 *     auto_online_blocks         offline|online|online_kernel|online_movable (rw)
 *     probe                      echo 0x28000000 > probe: add (and online per policy)
 *                                RAM of the firmware map mem= kept back
 *     memoryN/                   one per present section, N = section number
 *       state                    online|offline (rw: also online_kernel, online_movable)
 *       online                   1|0 (rw)
 *       valid_zones              "Normal", "Movable", "Normal Movable", "Movable Normal"
 *       phys_index               %08lx of N
 *       removable                1 for every block, as Linux since 5.8 (only
 *                                "may be offlined"; `mem remove` still takes
 *                                hot-added blocks only)
 *   /sys/module/memory_hotplug/parameters/memmap_on_memory   Y|N
 *
 *   lsmem                        util-linux's default table and summary
 *   mem add ADDR SIZE            add RAM the firmware map has but mem= kept back
 *   mem remove ADDR SIZE         remove offline hot-added blocks
 *
 * Every bad request prints one "error: " line and changes nothing. */
#include <pagoda/kernel.h>
#include <pagoda/shell.h>
#include <pagoda/pseudofs.h>
#include <pagoda/bootinfo.h>
#include <pagoda/init.h>
#include "mm/memory_hotplug.h"
#include "mm/buddy.h"

#define MEMORY_DIR "/sys/devices/system/memory"

static const char *const mb_zone_names[NR_ZONES] = { [ZONE_NORMAL] = "Normal", [ZONE_MOVABLE] = "Movable" };

static unsigned long mb_id(void *priv) { return (unsigned long)priv; }
static bool mb_online(unsigned long nr) { return sparse_section_has(nr, SECTION_ONLINE); }

static int mb_state_show(struct seq *s, void *priv)
{
	seq_printf(s, "%s\n", mb_online(mb_id(priv)) ? "online" : "offline");
	return 0;
}

/* Offline block nr or print why not ("error: ... pfn ... busy (what)"). */
static int mb_offline(unsigned long nr)
{
	unsigned long busy = 0;
	int rc = offline_memory_block(nr, &busy);

	if (rc == -EBUSY)
		return shell_error("offline memory%lu: pfn %#lx is busy (%s)", nr, busy,
				   memhp_pfn_owner(busy));
	if (rc)
		return shell_error("offline memory%lu: not online", nr);
	return 0;
}

static int mb_set_state(unsigned long nr, int t)
{
	if (t < 0)
		return shell_error("memory%lu/state: expected online, online_kernel, online_movable or "
				   "offline", nr);
	if (t == MMOP_OFFLINE)
		return mb_offline(nr);
	if (mb_online(nr))
		return shell_error("memory%lu is already online", nr);
	if (online_memory_block(nr, (enum mhp_online_type)t))
		return shell_error("online memory%lu: not possible", nr);
	return 0;
}

static int mb_state_store(const char *val, void *priv)
{
	return mb_set_state(mb_id(priv), memhp_online_type_parse(val));
}

static int mb_online_show(struct seq *s, void *priv)
{
	seq_printf(s, "%d\n", mb_online(mb_id(priv)));
	return 0;
}

static int mb_online_store(const char *val, void *priv)
{
	if (strcmp(val, "1") && strcmp(val, "0"))
		return shell_error("memory%lu/online: expected 1 or 0", mb_id(priv));
	return mb_set_state(mb_id(priv), val[0] == '1' ? MMOP_ONLINE : MMOP_OFFLINE);
}

static int mb_valid_zones_show(struct seq *s, void *priv)
{
	unsigned long nr = mb_id(priv);
	unsigned int zm = memhp_valid_zones(nr);
	enum zone_type first;

	if (mb_online(nr)) {
		seq_printf(s, "%s\n", mb_zone_names[sparse_section(nr)->zone]);
		return 0;
	}
	first = memhp_zone_for(nr, MMOP_ONLINE);
	seq_printf(s, "%s", mb_zone_names[first]);
	for (int z = 0; z < NR_ZONES; z++)
		if (z != (int)first && (zm & (1u << z)))
			seq_printf(s, " %s", mb_zone_names[z]);
	seq_printf(s, "\n");
	return 0;
}

static int mb_phys_index_show(struct seq *s, void *priv)
{
	seq_printf(s, "%08lx\n", mb_id(priv));
	return 0;
}

/* Linux (5.8+) reports every block removable ("can be offlined" is decided
 * when one tries), so lsmem merges adjacent boot and hot-added rows of the
 * same state; a Linux user's lsmem prints the same rows. */
static bool mb_removable(unsigned long nr) { return sparse_section_has(nr, SECTION_PRESENT); }

static int mb_removable_show(struct seq *s, void *priv)
{
	seq_printf(s, "%d\n", mb_removable(mb_id(priv)));
	return 0;
}

static const struct pseudo_attr mb_attrs[] = {
	{ "state", mb_state_show, mb_state_store },
	{ "online", mb_online_show, mb_online_store },
	{ "valid_zones", mb_valid_zones_show, NULL },
	{ "phys_index", mb_phys_index_show, NULL },
	{ "removable", mb_removable_show, NULL },
};

/* memoryN/ exists while section N is present. */
static bool mb_exists(unsigned long nr) { return sparse_section_has(nr, SECTION_PRESENT); }

/* Move *nr to the first present section >= *nr; false if there is none. */
static bool mb_next(unsigned long *nr)
{
	while (*nr < sparse_max_section() && !mb_exists(*nr))
		(*nr)++;
	return *nr < sparse_max_section();
}

/* The memoryN/ directories: a pseudofs family resolved on demand, so
 * every present block has its files however many there are. */
static const struct pseudo_family mb_family = {
	.parent = MEMORY_DIR, .prefix = "memory", .exists = mb_exists, .next = mb_next,
	.attrs = mb_attrs, .nr_attrs = ARRAY_SIZE(mb_attrs),
};

/* Boot: the memoryN family (already there when a host test boots again). */
int memory_blocks_init(void)
{
	int rc = pseudofs_register_family(&mb_family);

	return rc == -EEXIST ? 0 : rc;
}
INITCALL(memory_blocks_init);

/* ---------------------------------------------------------------- global files */

static int mb_block_size_show(struct seq *s, void *priv)
{
	seq_printf(s, "%lx\n", (unsigned long)MEMORY_BLOCK_SIZE);
	return 0;
}
PSEUDO_FILE(MEMORY_DIR "/block_size_bytes", mb_block_size_show, NULL);

static int mb_auto_online_show(struct seq *s, void *priv)
{
	seq_printf(s, "%s\n", memhp_online_type_name(memhp_default_online_type));
	return 0;
}
static int mb_auto_online_store(const char *val, void *priv)
{
	int t = memhp_online_type_parse(val);

	if (t < 0)
		return shell_error("auto_online_blocks: expected offline, online, online_kernel or "
				   "online_movable");
	memhp_default_online_type = (enum mhp_online_type)t;
	return 0;
}
PSEUDO_FILE(MEMORY_DIR "/auto_online_blocks", mb_auto_online_show, mb_auto_online_store);

static int mb_memmap_on_memory_show(struct seq *s, void *priv)
{
	seq_printf(s, "%c\n", memhp_memmap_on_memory ? 'Y' : 'N');
	return 0;
}
PSEUDO_FILE("/sys/module/memory_hotplug/parameters/memmap_on_memory", mb_memmap_on_memory_show, NULL);

/* Does [start, start + size) overlap what the boot loader reserved (the
 * kernel image, modules, tables)?  On arm64 the firmware may load the image
 * above the mem= cut, inside "usable" RAM. */
static bool mb_boot_reserved(phys_addr_t start, u64 size)
{
	for (int i = 0; i < bootinfo.nr_reserved; i++) {
		const struct boot_mem_range *r = &bootinfo.reserved[i];

		if (r->base < start + size && start < r->base + r->size)
			return true;
	}
	return false;
}

/* Is [start, start + size) usable RAM in the firmware map (so it exists)? */
static bool mb_firmware_ram(phys_addr_t start, u64 size)
{
	phys_addr_t pa = start, end = start + size;
	bool progress = true;

	while (pa < end && progress) {
		progress = false;
		for (int i = 0; i < bootinfo.nr_mmap; i++) {
			const struct boot_mem_range *r = &bootinfo.mmap[i];

			if (r->type == BOOT_MEM_USABLE && pa >= r->base && pa < r->base + r->size) {
				pa = r->base + r->size;
				progress = true;
			}
		}
	}
	return pa >= end && !mb_boot_reserved(start, size);
}

bool memhp_block_is_free_ram(unsigned long nr)
{
	phys_addr_t start = (phys_addr_t)section_nr_to_pfn(nr) << PAGE_SHIFT;

	return !sparse_section_has(nr, SECTION_PRESENT) && mb_firmware_ram(start, MEMORY_BLOCK_SIZE);
}

/* A request's range for its error line: "[0x1000, 0x8001000)", or
 * "[0xfffffffff8000000, +0x10000000)" when start + size wraps past 2^64. */
static const char *mb_range(char *buf, size_t n, phys_addr_t start, u64 size)
{
	if (start + size < start)
		ksnprintf(buf, n, "[%#llx, +%#llx)", (unsigned long long)start, (unsigned long long)size);
	else
		ksnprintf(buf, n, "[%#llx, %#llx)", (unsigned long long)start,
			  (unsigned long long)(start + size));
	return buf;
}

/* One error line for add_memory()'s rc. */
static int mb_add_error(const char *what, phys_addr_t start, u64 size, int rc)
{
	char r[48];

	mb_range(r, sizeof(r), start, size);
	switch (rc) {
	case -EINVAL:
		return shell_error("%s: %s is empty or not aligned to the %luM block size",
				   what, r, MEMORY_BLOCK_SIZE >> 20);
	case -EEXIST:
		return shell_error("%s: %s overlaps present memory", what, r);
	case -ERANGE:
		return shell_error("%s: %s is beyond the hot-add limit", what, r);
	default:
		return shell_error("%s: %s: out of memory (%d)", what, r, rc);
	}
}

/* `mem add` and probe: the range rules first (alignment, limit), then
 * existence - free RAM of the firmware map with no boot reservation in it -
 * then add_memory()'s own.  Unlike Linux, probe does not trust the
 * address: a block with no RAM behind it gets its memmap written into
 * nothing (both arches fault on it), and every DIMM is the ACPI driver's
 * to add (kernel/acpi_memhp.c). */
static int mb_add(const char *what, phys_addr_t start, u64 size, bool probe)
{
	int rc = memhp_check_range(start, size);
	char r[48];

	if (rc)
		return mb_add_error(what, start, size, rc);
	if (!mb_firmware_ram(start, size))
		return shell_error("%s: %s is not free RAM in the firmware memory map", what,
				   mb_range(r, sizeof(r), start, size));
	rc = probe ? add_memory_driver_managed(start, size) : add_memory(start, size);
	return rc ? mb_add_error(what, start, size, rc) : 0;
}

static int mb_probe_store(const char *val, void *priv)
{
	u64 pa;

	if (kstrtou64(val, 0, &pa))
		return shell_error("probe: expected a physical address");
	return mb_add("probe", pa, MEMORY_BLOCK_SIZE, true);
}
PSEUDO_FILE(MEMORY_DIR "/probe", NULL, mb_probe_store);

/* ---------------------------------------------------------------- mem add/remove */

static int mem_add(phys_addr_t start, u64 size)
{
	unsigned long first = pfn_to_section_nr(start >> PAGE_SHIFT);
	unsigned long last = first + size / MEMORY_BLOCK_SIZE - 1;
	int rc = mb_add("mem add", start, size, false);

	if (rc)
		return rc;
	printk("mem: added memory%lu-memory%lu [%#llx-%#llx], offline, %u self-hosted pages per block\n",
	       first, last, (unsigned long long)start, (unsigned long long)(start + size - 1),
	       sparse_section(first)->nr_altmap_pages);
	return 0;
}

static int mem_remove(phys_addr_t start, u64 size)
{
	unsigned long first = pfn_to_section_nr(start >> PAGE_SHIFT);
	unsigned long last = first + size / MEMORY_BLOCK_SIZE - 1;
	int rc = remove_memory(start, size);
	char r[48];

	mb_range(r, sizeof(r), start, size);
	if (rc == -EBUSY)
		return shell_error("mem remove: a block of %s is online (offline it first)", r);
	if (rc == -ENOMEM)
		return shell_error("mem remove: no page to move a shared page table to");
	if (rc)
		return shell_error("mem remove: %s is not aligned or not all hot-added memory", r);
	printk("mem: removed memory%lu-memory%lu [%#llx-%#llx]\n", first, last,
	       (unsigned long long)start, (unsigned long long)(start + size - 1));
	return 0;
}

/* mem add|remove ADDR SIZE */
static int mem_cmd(int argc, char **argv)
{
	u64 start, size;

	if (argc != 4 || (strcmp(argv[1], "add") && strcmp(argv[1], "remove")))
		return shell_error("usage: mem add|remove ADDR SIZE");
	if (kstrtou64(argv[2], 0, &start) || kparse_size(argv[3], &size))
		return shell_error("mem %s: bad address or size", argv[1]);
	return argv[1][0] == 'a' ? mem_add(start, size) : mem_remove(start, size);
}
SHELL_CMD("mem", "mem add|remove ADDR SIZE", "hot-add / hot-remove RAM by hand (128M blocks)", mem_cmd);

/* ---------------------------------------------------------------- lsmem */

/* util-linux's size_to_human_string(SIZE_SUFFIX_1LETTER): 128M, 1G, 1.5G, 0B. */
static void mb_human(char *buf, size_t n, u64 bytes)
{
	static const char units[] = "BKMGTPE";
	int exp = 0;
	u64 scale = 1;

	while (exp < 6 && bytes >= scale * 1024) {
		scale *= 1024;
		exp++;
	}
	if (bytes % scale == 0 || !exp) {
		ksnprintf(buf, n, "%llu%c", (unsigned long long)(bytes / scale), units[exp]);
		return;
	}
	u64 whole = bytes / scale, tenth = ((bytes % scale) * 10 + scale / 2) / scale;
	if (tenth == 10)
		ksnprintf(buf, n, "%llu%c", (unsigned long long)(whole + 1), units[exp]);
	else
		ksnprintf(buf, n, "%llu.%llu%c", (unsigned long long)whole, (unsigned long long)tenth,
			  units[exp]);
}

struct lsmem_row {
	unsigned long first, last;       /* blocks */
	bool online, removable;
};

/* The row starting at block *nr (present), extended over contiguous
 * present blocks with the same state and removability; *nr moves past it. */
static bool lsmem_next_row(unsigned long *nr, struct lsmem_row *r)
{
	while (*nr < sparse_max_section() && !sparse_section_has(*nr, SECTION_PRESENT))
		(*nr)++;
	if (*nr >= sparse_max_section())
		return false;
	*r = (struct lsmem_row){ *nr, *nr, mb_online(*nr), mb_removable(*nr) };
	while (++*nr < sparse_max_section() && sparse_section_has(*nr, SECTION_PRESENT) &&
	       mb_online(*nr) == r->online && mb_removable(*nr) == r->removable)
		r->last = *nr;
	return true;
}

static void lsmem_block_col(char *buf, size_t n, const struct lsmem_row *r)
{
	if (r->first == r->last)
		ksnprintf(buf, n, "%lu", r->first);
	else
		ksnprintf(buf, n, "%lu-%lu", r->first, r->last);
}

/* Column widths as libsmartcols computes them: max(header, cells), SIZE at
 * least 5 (lsmem's width hint); RANGE left-aligned, the rest right. */
static void lsmem_widths(int *state_w, int *block_w)
{
	struct lsmem_row r;
	unsigned long nr = 0;
	char b[32];

	*state_w = 5;
	*block_w = 5;
	while (lsmem_next_row(&nr, &r)) {
		lsmem_block_col(b, sizeof(b), &r);
		*state_w = MAX(*state_w, r.online ? 6 : 7);
		*block_w = MAX(*block_w, (int)strlen(b));
	}
}

static int lsmem_cmd(int argc, char **argv)
{
	u64 on = 0, off = 0;
	unsigned long nr = 0;
	struct lsmem_row r;
	int sw, bw;
	char sz[16], b[32];

	if (argc != 1)
		return shell_error("usage: lsmem");
	lsmem_widths(&sw, &bw);
	printk("%-37s %5s %*s %9s %*s\n", "RANGE", "SIZE", sw, "STATE", "REMOVABLE", bw, "BLOCK");
	while (lsmem_next_row(&nr, &r)) {
		u64 s = (u64)section_nr_to_pfn(r.first) << PAGE_SHIFT;
		u64 bytes = (u64)(r.last - r.first + 1) * MEMORY_BLOCK_SIZE;

		mb_human(sz, sizeof(sz), bytes);
		lsmem_block_col(b, sizeof(b), &r);
		printk("0x%016llx-0x%016llx %5s %*s %9s %*s\n", (unsigned long long)s,
		       (unsigned long long)(s + bytes - 1), sz, sw, r.online ? "online" : "offline",
		       r.removable ? "yes" : "no", bw, b);
		*(r.online ? &on : &off) += bytes;
	}
	mb_human(sz, sizeof(sz), MEMORY_BLOCK_SIZE);
	printk("\n%-23s %5s\n", "Memory block size:", sz);
	mb_human(sz, sizeof(sz), on);
	printk("%-23s %5s\n", "Total online memory:", sz);
	mb_human(sz, sizeof(sz), off);
	printk("%-23s %5s\n", "Total offline memory:", sz);
	return 0;
}
SHELL_CMD("lsmem", "lsmem", "list memory blocks (util-linux lsmem format)", lsmem_cmd);
