/* Host test of kernel/acpi_memhp.c against a fake QEMU memory-hotplug
 * controller (the semantics of hw/acpi/memory_hotplug.c: selector, flags,
 * _OST writes, eject) and a fake hotplug API that records its calls.
 * An "interrupt" is acpi_memhp_event(); kwork_run() plays the shell. */
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <pagoda/acpi.h>
#include <pagoda/irq.h>
#include "kernel/acpi_memhp.h"
#include "mm/memory_hotplug.h"
#include "mm/sparse.h"
#include "printk_capture.h"
#include "acpi_checksum.h"
#include "tap.h"

/* ---- captured output (printk_capture.h): printk and printk_line_async ---- */
void printk_line_async(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
}
static jmp_buf panicked;
__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	printf("# panic in %s: %s\n", func, fmt);
	longjmp(panicked, 1);
}

/* ---- fake hotplug API: sections 0..63 under one root ---- */
enum mhp_online_type memhp_default_online_type = MMOP_ONLINE;
struct mem_section *mem_section_root[NR_SECTION_ROOTS];
static struct mem_section sections[SECTIONS_PER_ROOT];
static int add_rc, remove_rc, add_calls, remove_calls;
static unsigned long refuse_online_nr = ~0UL;     /* this block stays offline */
static phys_addr_t last_start;
static u64 last_size;
static unsigned long busy_pfn_to_report;

int add_memory_driver_managed(phys_addr_t start, u64 size)
{
	add_calls++;
	last_start = start, last_size = size;
	if (add_rc)
		return add_rc;
	for (u64 a = start; a < start + size; a += MEMORY_BLOCK_SIZE) {
		unsigned long nr = a / MEMORY_BLOCK_SIZE;
		sections[nr].state = SECTION_PRESENT | SECTION_MEMMAP;
		if (memhp_default_online_type != MMOP_OFFLINE && nr != refuse_online_nr)
			sections[nr].state |= SECTION_ONLINE;
	}
	return 0;
}
int offline_and_remove_memory(phys_addr_t start, u64 size, unsigned long *busy_pfn)
{
	remove_calls++;
	last_start = start, last_size = size;
	if (remove_rc == -EBUSY)
		*busy_pfn = busy_pfn_to_report;
	return remove_rc;
}
const char *memhp_pfn_owner(unsigned long pfn)
{
	return pfn == busy_pfn_to_report ? "allocated page" : "?";
}

/* ---- fake controller (QEMU semantics) ---- */
#define NSLOTS 4
static struct fake_slot {
	bool dimm, enabled, inserting, removing;
	u64 base, size;
	u32 ost_event, ost_status;
} slot[NSLOTS];
static u32 selector;
static int ost_events, deleted_events, bad_writes;

static u32 fake_read32(unsigned off)
{
	if (selector >= NSLOTS)
		return 0;
	struct fake_slot *s = &slot[selector];
	switch (off) {
	case 0x00: return (u32)s->base;
	case 0x04: return s->base >> 32;
	case 0x08: return (u32)s->size;
	case 0x0c: return s->size >> 32;
	case 0x10: return 0;
	case 0x14: return s->enabled | s->inserting << 1 | s->removing << 2;
	default:   return ~0u;
	}
}
static void fake_write32(unsigned off, u32 v)
{
	if (off == 0) {
		selector = v;
		return;
	}
	if (selector >= NSLOTS) {
		bad_writes++;
		return;
	}
	struct fake_slot *s = &slot[selector];
	if (off == 0x04) {
		s->ost_event = v;
	} else if (off == 0x08) {
		s->ost_status = v;
		ost_events++;                     /* QMP ACPI_DEVICE_OST */
	} else if (off == 0x14) {
		if (v & 2)
			s->inserting = false;
		else if (v & 4)
			s->removing = false;
		else if ((v & 8) && s->enabled) {
			*s = (struct fake_slot){ 0 };
			deleted_events++;         /* QMP DEVICE_DELETED */
		}
	} else {
		bad_writes++;
	}
}
static const struct acpi_memhp_ops fake_ops = { fake_read32, fake_write32 };

static void plug(unsigned i, u64 base, u64 size)
{
	slot[i] = (struct fake_slot){ .dimm = true, .enabled = true, .inserting = true,
				      .base = base, .size = size };
	acpi_memhp_event();
}
static void unplug_request(unsigned i)
{
	slot[i].removing = true;
	acpi_memhp_event();
}
static void reset_counts(void)
{
	printed[0] = '\0';
	add_calls = remove_calls = ost_events = deleted_events = bad_writes = 0;
	add_rc = remove_rc = 0;
}

/* ---- a tiny SRAT: hotpluggable [4 GiB, 8 GiB) ---- */
#define PHYS_BASE 0x3f000000UL
static u8 phys[0x1000];
static const void *test_map(phys_addr_t pa, size_t len)
{
	if (pa < PHYS_BASE || pa + len > PHYS_BASE + sizeof(phys))
		return NULL;
	return phys + (pa - PHYS_BASE);
}
static void build_srat(void)
{
	struct acpi_rsdp r = { .revision = 0, .rsdt_address = PHYS_BASE + 0x100 };
	struct acpi_sdt_header h = { .length = 36 + 4, .revision = 1 };
	u8 *rsdt = phys + 0x100, *srat = phys + 0x200, *e = srat + 48;
	u32 srat_pa = PHYS_BASE + 0x200, v;

	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(phys, &r, 20);
	acpi_fix_checksum(phys, 20, 8);
	memcpy(h.signature, "RSDT", 4);
	memcpy(rsdt, &h, 36);
	memcpy(rsdt + 36, &srat_pa, 4);
	acpi_fix_checksum(rsdt, 40, 9);
	memcpy(h.signature, "SRAT", 4);
	h.length = 48 + 40 + 40;
	memcpy(srat, &h, 36);
	e[0] = 1, e[1] = 40;                    /* boot RAM [0, 1 GiB), not hotpluggable */
	v = 0x40000000, memcpy(e + 16, &v, 4);
	v = 1, memcpy(e + 28, &v, 4);
	e += 40;
	e[0] = 1, e[1] = 40;                    /* [4 GiB, 8 GiB) enabled | hotpluggable */
	v = 1, memcpy(e + 12, &v, 4);
	v = 1, memcpy(e + 20, &v, 4);
	v = 3, memcpy(e + 28, &v, 4);
	acpi_fix_checksum(srat, h.length, 9);
	acpi_init_root(&acpi, PHYS_BASE, test_map);
}

#define G4 0x100000000ULL
#define M128 0x8000000ULL

static void test_start_and_cold_plug(void)
{
	slot[1] = (struct fake_slot){ .dimm = true, .enabled = true, .base = G4 + M128, .size = M128 };
	slot[3] = (struct fake_slot){ .dimm = true, .enabled = true, .base = G4 + 4 * M128, .size = M128 };
	build_srat();
	reset_counts();
	acpi_memhp_start(&fake_ops);
	TAP_OK(strstr(printed, "hotpluggable window [mem 0x0000000100000000-0x00000001ffffffff] (SRAT)") != NULL,
	       "start logs the SRAT hotpluggable window");
	add_rc = 0;
	kwork_run();
	TAP_OK(add_calls == 2 && strstr(printed, "hotplug: slot 1: present at boot") &&
	       strstr(printed, "hotplug: slot 3: online memory36-memory36 (online)"),
	       "cold-plugged DIMMs are added once at the first scan");
	reset_counts();
	acpi_memhp_event();
	kwork_run();
	TAP_OK(add_calls == 0 && printed[0] == '\0', "a later scan ignores cold-plugged DIMMs");
}

static void test_insert(void)
{
	reset_counts();
	plug(0, G4, M128);
	TAP_OK(add_calls == 0, "the interrupt only queues work");
	kwork_run();
	TAP_OK(add_calls == 1 && last_start == G4 && last_size == M128 && !slot[0].inserting,
	       "insert: base/size read, insert cleared, memory added");
	TAP_OK(strstr(printed, "hotplug: slot 0: insert [mem 0x0000000100000000-0x0000000107ffffff] 128 MiB\n"
			       "hotplug: slot 0: added memory32-memory32\n"
			       "hotplug: slot 0: online memory32-memory32 (online)\n") != NULL,
	       "insert prints insert, added, online lines");
	reset_counts();
	plug(2, G4 + 2 * M128, 2 * M128);
	acpi_memhp_event();
	acpi_memhp_event();
	kwork_run();
	TAP_OK(add_calls == 1 && strstr(printed, "memory34-memory35"), "three events before the work runs: one scan, one add");
}

static void test_bad_inserts(void)
{
	reset_counts();
	memhp_default_online_type = MMOP_OFFLINE;
	add_rc = -ENOMEM;
	plug(3, G4 + 6 * M128, M128);
	kwork_run();
	TAP_OK(strstr(printed, "hotplug: slot 3: add failed: out of memory (-12)") &&
	       slot[3].ost_event == 1 && slot[3].ost_status == 1 && ost_events == 1,
	       "a failed add is reported by a line and _OST (insert, failure)");
	reset_counts();
	plug(3, G4 + 6 * M128 + 0x100000, M128);
	kwork_run();
	TAP_OK(add_calls == 0 && strstr(printed, "not added: not aligned"), "a misaligned DIMM is not added");
	reset_counts();
	plug(3, 8 * 0x40000000ULL, M128);
	kwork_run();
	TAP_OK(add_calls == 0 && strstr(printed, "not added: outside the SRAT hotpluggable window"),
	       "a DIMM outside the SRAT window is not added");
	reset_counts();
	plug(3, G4 + 7 * M128, M128);
	kwork_run();
	TAP_OK(add_calls == 1 && strstr(printed, "left offline (memhp_default_state=offline)"),
	       "memhp_default_state=offline: the line says the blocks stay offline");
	reset_counts();
	memhp_default_online_type = MMOP_ONLINE_KERNEL;
	refuse_online_nr = 43;
	plug(3, G4 + 10 * M128, 2 * M128);
	kwork_run();
	TAP_OK(strstr(printed, "hotplug: slot 3: memory43 could not be onlined (online_kernel), left offline") &&
	       !strstr(printed, "hotplug: slot 3: online"),
	       "a block the policy cannot online gets its own line, no online line");
	refuse_online_nr = ~0UL;
	memhp_default_online_type = MMOP_ONLINE;
}

static void test_remove(void)
{
	reset_counts();
	remove_rc = -EBUSY;
	busy_pfn_to_report = 0x100123;
	unplug_request(0);
	kwork_run();
	TAP_OK(remove_calls == 1 && !slot[0].removing && slot[0].enabled && deleted_events == 0,
	       "busy: remove cleared, DIMM kept");
	TAP_OK(slot[0].ost_event == 3 && slot[0].ost_status == 0x82 && ost_events == 1,
	       "busy: _OST event 3 status 0x82 (ACPI_DEVICE_OST)");
	TAP_OK(strstr(printed, "hotplug: slot 0: eject refused: pfn 0x100123 is busy (allocated page)") != NULL,
	       "busy: the line names the pfn and its owner");
	reset_counts();
	unplug_request(0);
	kwork_run();
	TAP_OK(remove_calls == 1 && last_start == G4 && deleted_events == 1 && !slot[0].enabled,
	       "retry: offline+remove, eject (DEVICE_DELETED)");
	TAP_OK(strstr(printed, "hotplug: slot 0: offline memory32-memory32\n"
			       "hotplug: slot 0: removed [mem 0x0000000100000000-0x0000000107ffffff]\n"
			       "hotplug: slot 0: ejected\n") != NULL,
	       "retry: offline, removed, ejected lines");
	reset_counts();
	slot[1] = (struct fake_slot){ .dimm = true, .enabled = true, .base = G4 + 12 * M128, .size = M128 };
	unplug_request(1);
	kwork_run();
	TAP_OK(remove_calls == 0 && slot[1].ost_status == 0x81 && slot[1].enabled &&
	       strstr(printed, "eject refused: memory not added by hotplug"),
	       "eject of a DIMM this driver did not add: _OST 0x81, kept");
	reset_counts();
	plug(2, G4 + 20 * M128, M128);
	unplug_request(2);
	kwork_run();
	TAP_OK(add_calls == 1 && remove_calls == 1 && deleted_events == 1 && !slot[2].enabled &&
	       strstr(printed, "hotplug: slot 2: online") && strstr(printed, "hotplug: slot 2: ejected"),
	       "plug and device_del before the work runs: added, then ejected in one scan");
	TAP_OK(bad_writes == 0, "no write to a slot past the last one");
}

int main(void)
{
	mem_section_root[0] = sections;
	if (setjmp(panicked)) {
		TAP_OK(0, "no panic");
		return TAP_DONE();
	}
	test_start_and_cold_plug();
	test_insert();
	test_bad_inserts();
	test_remove();
	return TAP_DONE();
}
