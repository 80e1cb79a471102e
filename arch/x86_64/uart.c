/* 16550 UART on COM1 (I/O port 0x3f8): the console, polled, 115200 8N1.
 *
 *   +0 THR/RBR (DLL with DLAB)   +3 LCR   +5 LSR: bit 0 DR (byte ready),
 *   +1 IER     (DLM with DLAB)   +4 MCR          bit 5 THRE (room to send)
 *   +2 FCR
 * Bytes go out as given: QEMU's stdio backend and terminals add the CR. */
#include <pagoda/arch.h>
#include <asm/io.h>
#include <asm/boot.h>

#define COM1       0x3f8
#define UART_DATA  0
#define UART_IER   1
#define UART_FCR   2
#define UART_LCR   3
#define UART_MCR   4
#define UART_LSR   5
#define LSR_DR     0x01
#define LSR_THRE   0x20
#define LCR_8N1    0x03
#define LCR_DLAB   0x80
#define UART_CLOCK 115200            /* divisor 1 = 115200 baud */

/* Program 115200 8N1, FIFOs on, interrupts off (we poll). */
void uart_init(void)
{
	unsigned div = UART_CLOCK / 115200;

	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, div & 0xff);
	outb(COM1 + UART_IER, div >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0x07);     /* enable and clear both FIFOs */
	outb(COM1 + UART_MCR, 0x03);     /* DTR, RTS */
}

void arch_console_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		cpu_relax();
	outb(COM1 + UART_DATA, (u8)c);
}

int arch_console_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DR))
		return -1;
	return inb(COM1 + UART_DATA);
}
