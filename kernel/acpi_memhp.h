/* The ACPI memory-hotplug controller (QEMU hw/acpi/memory_hotplug.c), one
 * generic driver for both arches (kernel/acpi_memhp.c).
 *
 *   QMP device_add pc-dimm --> controller: slot inserting, event --> IRQ
 *   arch IRQ handler: acpi_memhp_event()  (IRQ context: queues a kwork)
 *   kwork: scan slots; add + online / offline + remove + eject
 *
 * Register block, 24 bytes, little-endian 32-bit accesses (offsets below):
 *   read                          write
 *   0x00 base address low         slot selector
 *   0x04 base address high        _OST event code
 *   0x08 size low                 _OST status code
 *   0x0c size high                -
 *   0x10 proximity domain         -
 *   0x14 bit0 enabled, bit1 inserting, bit2 removing
 *                                 0x02 clear insert, 0x04 clear remove, 0x08 eject
 * The arch finds the block (x86_64: I/O ports 0x0a00..0x0a17; arm64 virt:
 * MMIO 0x09070000) and hands accessors to the driver. */
#ifndef KERNEL_ACPI_MEMHP_H
#define KERNEL_ACPI_MEMHP_H
#include <pagoda/types.h>

#define MEMHP_REG_ADDR_LO    0x00   /* r: base low;  w: slot selector */
#define MEMHP_REG_ADDR_HI    0x04   /* r: base high; w: _OST event */
#define MEMHP_REG_SIZE_LO    0x08   /* r: size low;  w: _OST status */
#define MEMHP_REG_SIZE_HI    0x0c
#define MEMHP_REG_PXM        0x10
#define MEMHP_REG_FLAGS      0x14
#define MEMHP_REG_SELECTOR   MEMHP_REG_ADDR_LO
#define MEMHP_REG_OST_EVENT  MEMHP_REG_ADDR_HI
#define MEMHP_REG_OST_STATUS MEMHP_REG_SIZE_LO
#define MEMHP_REG_BLOCK_LEN  0x18

#define MEMHP_ENABLED        0x01   /* flags read */
#define MEMHP_INSERTING      0x02
#define MEMHP_REMOVING       0x04
#define MEMHP_CLEAR_INSERT   0x02   /* flags write, one action per write */
#define MEMHP_CLEAR_REMOVE   0x04
#define MEMHP_EJECT          0x08

/* How the driver reaches the register block: 32-bit reads and writes at
 * byte offset off (0..0x14). */
struct acpi_memhp_ops {
	u32 (*read32)(unsigned off);
	void (*write32)(unsigned off, u32 val);
};

/* Called by the arch once its interrupt is routed: remember ops, then scan
 * the slots once (DIMMs plugged before boot that are not in use yet) and
 * handle events from then on.  ops must stay valid forever. */
void acpi_memhp_start(const struct acpi_memhp_ops *ops);
/* Called from the arch's interrupt handler (IRQ context): queues the scan. */
void acpi_memhp_event(void);
#endif
