/* The ACPI memory-hotplug controller driver (QEMU pc-dimm), both arches.
 *
 *   arch IRQ (x86 SCI/GPE 3, arm64 GED) --> acpi_memhp_event() --> kwork
 *   kwork (thread context, the shell's input wait) --> memhp_scan():
 *
 *     for each slot s:  write selector s, read flags
 *       inserting  --> read base/size, validate (SRAT hotpluggable window,
 *                      block alignment), write 0x02 (clear insert),
 *                      add_memory_driver_managed()  (online per policy)
 *       removing   --> write 0x04 (clear remove),
 *                      offline_and_remove_memory():
 *                        ok   --> select s, write 0x08 (eject): QEMU
 *                                 unplugs the DIMM, QMP DEVICE_DELETED
 *                        fail --> _OST event 3, status 0x82 (busy) or 0x81:
 *                                 QMP ACPI_DEVICE_OST, the DIMM stays
 *       enabled, at the first scan only --> cold-plugged before boot: add
 *                      it unless its range is present already
 *
 * A selector past the last slot reads 0 like an empty slot, so the scan
 * covers MEMHP_MAX_SLOTS (QEMU's ACPI_MAX_RAM_SLOTS).  Every step prints
 * one whole `hotplug:` line (printk_line_async). */
#include <pagoda/kernel.h>
#include <pagoda/acpi.h>
#include <pagoda/irq.h>
#include "kernel/acpi_memhp.h"
#include "mm/memory_hotplug.h"
#include "mm/sparse.h"

#define MEMHP_MAX_SLOTS  256
#define SRAT_ENTRIES     48
#define SRAT_MEMORY      1
#define SRAT_MEM_ENABLED      (1 << 0)
#define SRAT_MEM_HOTPLUGGABLE (1 << 1)
#define OST_EVENT_INSERT 1
#define OST_EVENT_EJECT  3
#define OST_FAILURE      0x01
#define OST_EJECT_FAIL   0x81          /* eject not supported / failed */
#define OST_EJECT_BUSY   0x82          /* device in use */

struct acpi_memhp_slot {
	phys_addr_t base;
	u64 size;
	bool added;                        /* by this driver, memory present */
};

static const struct acpi_memhp_ops *acpi_memhp_regs;
static struct acpi_memhp_slot acpi_memhp_slots[MEMHP_MAX_SLOTS];
static phys_addr_t acpi_memhp_win_start, acpi_memhp_win_end;   /* [start, end), 0: unknown */
static bool acpi_memhp_first_scan_done;

static void acpi_memhp_scan_work(struct kwork *w);
static struct kwork acpi_memhp_work = { .fn = acpi_memhp_scan_work };

static const char *acpi_memhp_errname(int err)
{
	switch (err) {
	case -EINVAL: return "invalid range";
	case -EEXIST: return "overlaps present memory";
	case -ERANGE: return "beyond the addressable limit";
	case -ENOMEM: return "out of memory";
	case -EBUSY:  return "busy";
	default:      return "failed";
	}
}

static const char *acpi_memhp_policy_name(void)
{
	switch (memhp_default_online_type) {
	case MMOP_OFFLINE:        return "offline";
	case MMOP_ONLINE_KERNEL:  return "online_kernel";
	case MMOP_ONLINE_MOVABLE: return "online_movable";
	default:                  return "online";
	}
}

/* Select slot s and read its base address and size. */
static void acpi_memhp_read_slot(unsigned s, phys_addr_t *base, u64 *size)
{
	acpi_memhp_regs->write32(MEMHP_REG_SELECTOR, s);
	*base = acpi_memhp_regs->read32(MEMHP_REG_ADDR_LO) |
		(u64)acpi_memhp_regs->read32(MEMHP_REG_ADDR_HI) << 32;
	*size = acpi_memhp_regs->read32(MEMHP_REG_SIZE_LO) |
		(u64)acpi_memhp_regs->read32(MEMHP_REG_SIZE_HI) << 32;
}

/* Report _OST (event, status) for slot s: QEMU emits ACPI_DEVICE_OST. */
static void acpi_memhp_ost(unsigned s, u32 event, u32 status)
{
	acpi_memhp_regs->write32(MEMHP_REG_SELECTOR, s);
	acpi_memhp_regs->write32(MEMHP_REG_OST_EVENT, event);
	acpi_memhp_regs->write32(MEMHP_REG_OST_STATUS, status);
}

/* Why [base, base + size) cannot be a DIMM we add, or NULL if it can. */
static const char *acpi_memhp_check_range(phys_addr_t base, u64 size)
{
	if (!size || !IS_ALIGNED(base, MEMORY_BLOCK_SIZE) || !IS_ALIGNED(size, MEMORY_BLOCK_SIZE))
		return "not aligned to the 128 MiB block size";
	if (base + size < base)
		return "wraps around";
	if (acpi_memhp_win_end && (base < acpi_memhp_win_start || base + size > acpi_memhp_win_end))
		return "outside the SRAT hotpluggable window";
	return NULL;
}

/* The lines after a successful add: which blocks, and whether the policy
 * (memhp_default_state / auto_online_blocks) put them online; a block the
 * policy's zone does not allow stays offline and gets a line saying so. */
static void acpi_memhp_report_added(unsigned s, phys_addr_t base, u64 size)
{
	unsigned long first = base / MEMORY_BLOCK_SIZE;
	unsigned long last = (base + size) / MEMORY_BLOCK_SIZE - 1;
	unsigned long nr, online = 0;

	printk_line_async("hotplug: slot %u: added memory%lu-memory%lu", s, first, last);
	if (memhp_default_online_type == MMOP_OFFLINE) {
		printk_line_async("hotplug: slot %u: memory%lu-memory%lu left offline "
				  "(memhp_default_state=offline)", s, first, last);
		return;
	}
	for (nr = first; nr <= last; nr++) {
		if (sparse_section_has(nr, SECTION_ONLINE))
			online++;
		else
			printk_line_async("hotplug: slot %u: memory%lu could not be onlined (%s), "
					  "left offline", s, nr, acpi_memhp_policy_name());
	}
	if (online == last + 1 - first)
		printk_line_async("hotplug: slot %u: online memory%lu-memory%lu (%s)",
				  s, first, last, acpi_memhp_policy_name());
}

/* Add slot s's DIMM; cold is true for one found already enabled at boot. */
static void acpi_memhp_add_slot(unsigned s, bool cold)
{
	struct acpi_memhp_slot *m = &acpi_memhp_slots[s];
	phys_addr_t base;
	u64 size;

	acpi_memhp_read_slot(s, &base, &size);
	if (!cold)
		acpi_memhp_regs->write32(MEMHP_REG_FLAGS, MEMHP_CLEAR_INSERT);
	printk_line_async("hotplug: slot %u: %s [mem %#018lx-%#018lx] %lu MiB", s,
			  cold ? "present at boot" : "insert", (unsigned long)base,
			  (unsigned long)(base + size - 1), (unsigned long)(size >> 20));
	const char *why = acpi_memhp_check_range(base, size);
	if (why) {
		printk_line_async("hotplug: slot %u: not added: %s", s, why);
		acpi_memhp_ost(s, OST_EVENT_INSERT, OST_FAILURE);
		return;
	}
	int rc = add_memory_driver_managed(base, size);
	if (rc == -EEXIST && cold) {
		printk_line_async("hotplug: slot %u: already present (boot memory), left as is", s);
		return;
	}
	if (rc) {
		printk_line_async("hotplug: slot %u: add failed: %s (%d)", s, acpi_memhp_errname(rc), rc);
		acpi_memhp_ost(s, OST_EVENT_INSERT, OST_FAILURE);
		return;
	}
	*m = (struct acpi_memhp_slot){ .base = base, .size = size, .added = true };
	acpi_memhp_report_added(s, base, size);
}

/* Eject request for slot s: offline and remove its memory, then eject;
 * or refuse through _OST and keep the DIMM. */
static void acpi_memhp_remove_slot(unsigned s)
{
	struct acpi_memhp_slot *m = &acpi_memhp_slots[s];
	unsigned long busy = 0;
	phys_addr_t base;
	u64 size;

	acpi_memhp_read_slot(s, &base, &size);
	acpi_memhp_regs->write32(MEMHP_REG_FLAGS, MEMHP_CLEAR_REMOVE);
	printk_line_async("hotplug: slot %u: eject request [mem %#018lx-%#018lx]", s,
			  (unsigned long)base, (unsigned long)(base + size - 1));
	bool ours = m->added && m->base == base && m->size == size;
	int rc = ours ? offline_and_remove_memory(base, size, &busy) : -EINVAL;
	if (rc == -EBUSY) {
		printk_line_async("hotplug: slot %u: eject refused: pfn %#lx is busy (%s), "
				  "_OST status 0x%x", s, busy, memhp_pfn_owner(busy), OST_EJECT_BUSY);
		acpi_memhp_ost(s, OST_EVENT_EJECT, OST_EJECT_BUSY);
		return;
	}
	if (rc) {
		printk_line_async("hotplug: slot %u: eject refused: %s, _OST status 0x%x", s,
				  ours ? acpi_memhp_errname(rc) : "memory not added by hotplug",
				  OST_EJECT_FAIL);
		acpi_memhp_ost(s, OST_EVENT_EJECT, OST_EJECT_FAIL);
		return;
	}
	printk_line_async("hotplug: slot %u: offline memory%lu-memory%lu", s,
			  (unsigned long)(base / MEMORY_BLOCK_SIZE),
			  (unsigned long)((base + size) / MEMORY_BLOCK_SIZE - 1));
	printk_line_async("hotplug: slot %u: removed [mem %#018lx-%#018lx]", s,
			  (unsigned long)base, (unsigned long)(base + size - 1));
	m->added = false;
	acpi_memhp_regs->write32(MEMHP_REG_SELECTOR, s);
	acpi_memhp_regs->write32(MEMHP_REG_FLAGS, MEMHP_EJECT);
	printk_line_async("hotplug: slot %u: ejected", s);
}

/* The kwork: look at every slot once, act on what it asks. */
static void acpi_memhp_scan_work(struct kwork *w)
{
	bool first = !acpi_memhp_first_scan_done;

	acpi_memhp_first_scan_done = true;
	for (unsigned s = 0; s < MEMHP_MAX_SLOTS; s++) {
		acpi_memhp_regs->write32(MEMHP_REG_SELECTOR, s);
		u32 flags = acpi_memhp_regs->read32(MEMHP_REG_FLAGS);

		/* both bits may be set (device_del before the shell looked):
		 * add, then handle the eject request in the same pass */
		if (flags & MEMHP_INSERTING)
			acpi_memhp_add_slot(s, false);
		else if (first && (flags & MEMHP_ENABLED))
			acpi_memhp_add_slot(s, true);
		if (flags & MEMHP_REMOVING)
			acpi_memhp_remove_slot(s);
	}
}

/* The SRAT's enabled hotpluggable memory ranges, merged into one window. */
static void acpi_memhp_find_window(void)
{
	const struct acpi_sdt_header *h = acpi.map ?
		acpi_map_table(&acpi, acpi_find_table(&acpi, "SRAT", 0), "SRAT") : NULL;
	const u8 *b = (const u8 *)h;

	for (u32 off = SRAT_ENTRIES; h && off + 2 <= h->length && b[off + 1] >= 2;
	     off += b[off + 1]) {
		u32 lo, hi, llo, lhi, flags;

		if (off + b[off + 1] > h->length || b[off] != SRAT_MEMORY || b[off + 1] < 40)
			continue;
		memcpy(&lo, b + off + 8, 4);
		memcpy(&hi, b + off + 12, 4);
		memcpy(&llo, b + off + 16, 4);
		memcpy(&lhi, b + off + 20, 4);
		memcpy(&flags, b + off + 28, 4);
		phys_addr_t start = lo | (u64)hi << 32, end = start + (llo | (u64)lhi << 32);
		if ((flags & (SRAT_MEM_ENABLED | SRAT_MEM_HOTPLUGGABLE)) !=
		    (SRAT_MEM_ENABLED | SRAT_MEM_HOTPLUGGABLE) || end <= start)
			continue;
		if (!acpi_memhp_win_end || start < acpi_memhp_win_start)
			acpi_memhp_win_start = start;
		if (end > acpi_memhp_win_end)
			acpi_memhp_win_end = end;
	}
	if (acpi_memhp_win_end)
		printk("acpi_memhp: hotpluggable window [mem %#018lx-%#018lx] (SRAT)\n",
		       (unsigned long)acpi_memhp_win_start, (unsigned long)acpi_memhp_win_end - 1);
	else
		printk("acpi_memhp: no SRAT hotpluggable range: DIMM addresses not validated\n");
}

void acpi_memhp_start(const struct acpi_memhp_ops *ops)
{
	acpi_memhp_find_window();
	acpi_memhp_regs = ops;
	kwork_queue(&acpi_memhp_work);
}

void acpi_memhp_event(void)
{
	if (acpi_memhp_regs)
		kwork_queue(&acpi_memhp_work);
}
