/* PL011 UART console, polled (no interrupts).  The firmware has set the
 * line up (115200 8N1); we only make sure the UART, TX and RX are on and
 * its interrupts masked.  Mapped Device-nGnRnE at IOMAP_START + pa by the
 * boot page tables.
 *
 *   0x00 DR    data            0x18 FR   flags: bit 4 RXFE, bit 5 TXFF
 *   0x30 CR    control: UARTEN(0) TXE(8) RXE(9)    0x38 IMSC  irq mask */
#include <pagoda/arch.h>
#include <asm/io.h>
#include <asm/vmparam.h>
#include "arm64.h"

#define UART_DR    0x00
#define UART_FR    0x18
#define UART_CR    0x30
#define UART_IMSC  0x38
#define FR_RXFE    (1 << 4)
#define FR_TXFF    (1 << 5)
#define CR_ENABLE  ((1 << 0) | (1 << 8) | (1 << 9))

static u8 *pl011_base;

void pl011_init(phys_addr_t pa)
{
	pl011_base = (u8 *)(IOMAP_START + pa);
	mmio_write32(pl011_base + UART_IMSC, 0);
	mmio_write32(pl011_base + UART_CR,
		     mmio_read32(pl011_base + UART_CR) | CR_ENABLE);
}

void arch_console_putc(char c)
{
	if (!pl011_base)
		return;
	while (mmio_read32(pl011_base + UART_FR) & FR_TXFF)
		cpu_relax();
	mmio_write32(pl011_base + UART_DR, (u8)c);
}

int arch_console_getc(void)
{
	if (!pl011_base || (mmio_read32(pl011_base + UART_FR) & FR_RXFE))
		return -1;
	return mmio_read32(pl011_base + UART_DR) & 0xff;
}
