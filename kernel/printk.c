/* printk: formatted kernel messages on the console.
 *
 * Output goes byte by byte to arch_console_putc with "\n" sent as "\r\n"
 * (serial terminals need the CR).  The console remembers its column so
 * printk_line_async() can keep unsolicited lines whole:
 *
 *   shell waiting at "pagoda> ab"  -> "\r\n" line "\r\n" "\r\e[K" "pagoda> ab"
 *                                     (the typed line is ended, not erased:
 *                                     the message is a line of its own)
 *   a command mid-line ("col > 0") -> line held, sent after the next "\n"
 *   otherwise (column 0)           -> line sent at once
 *
 * SMP: every write to the console is one critical section under
 * printk_lock (PRINTK rank, innermost, irqsave), and the console also
 * remembers which CPU's line is unfinished (line_cpu), so lines from
 * several CPUs never interleave:
 *
 *   col == 0 or line_cpu == me     -> write
 *   CPU 0 (shell), a secondary's
 *     line unfinished              -> end that line ("\n"), then write
 *   a secondary, CPU 0's line
 *     unfinished (prompt, command) -> held with the async lines; a kwork
 *                                     (run by the shell while it waits)
 *                                     prints them around the prompt
 *
 * panic: printk_panic_begin() makes the lock best effort: a panicking CPU
 * waits a bounded time for it, then breaks it and prints, held lines and
 * line ownership ignored (the other holder may be the panicking CPU). */
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/arch.h>
#include <pagoda/shell.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/irq.h>
#include <asm/io.h>

#define PRINTK_LINE_MAX   512
#define PRINTK_PENDING_MAX 2048
#define PRINTK_PANIC_SPINS (1u << 24)   /* trylocks before a panic breaks the lock */
#define PRINTK_SHELL_CPU 0

static spinlock_t printk_lock = SPINLOCK_INIT("printk", LOCK_ORDER_PRINTK);
static bool printk_panicking;
static int console_line_cpu = -1;               /* whose line is unfinished */

static size_t console_col;                      /* bytes since the last "\n" */
static char pending[PRINTK_PENDING_MAX];        /* held-back lines */
static size_t pending_len;
static bool flushing;

static void printk_kick_fn(struct kwork *w);
static struct kwork printk_kick = { .fn = printk_kick_fn };

/* ---- the console lock */

/* Take printk_lock, interrupts off.  While panicking: a bounded wait,
 * then the lock is broken (its holder may be this CPU, or stuck). */
static unsigned long printk_lock_console(void)
{
	unsigned long flags;

	if (!__atomic_load_n(&printk_panicking, __ATOMIC_RELAXED))
		return spin_lock_irqsave(&printk_lock);
	flags = arch_irq_save();
	for (u32 i = 0; i < PRINTK_PANIC_SPINS; i++) {
		if (spin_trylock(&printk_lock))
			return flags;
		cpu_relax();
	}
	spin_lock_init(&printk_lock, "printk", LOCK_ORDER_PRINTK);
	spin_trylock(&printk_lock);
	return flags;
}

static void printk_unlock_console(unsigned long flags)
{
	spin_unlock_irqrestore(&printk_lock, flags);
}

void printk_panic_begin(void)
{
	__atomic_store_n(&printk_panicking, true, __ATOMIC_RELAXED);
}

/* ---- under the lock */

static void printk_flush_pending_locked(void);

/* Send n bytes to the console, expanding "\n" to "\r\n"; this CPU now
 * owns the line if it left it unfinished.  Held-back lines go out as
 * soon as the output returns to column 0. */
static void console_write_locked(const char *s, size_t n)
{
	bool newline = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			arch_console_putc('\r');
			console_col = 0;
			newline = true;
		} else {
			console_col++;
		}
		arch_console_putc(s[i]);
	}
	console_line_cpu = console_col ? (int)smp_processor_id() : -1;
	if (newline && console_col == 0 && pending_len && !flushing)
		printk_flush_pending_locked();
}

/* Print the held-back lines (the console is at column 0). */
static void printk_flush_pending_locked(void)
{
	flushing = true;
	console_write_locked(pending, pending_len);
	pending_len = 0;
	flushing = false;
}

/* May this CPU write now?  Yes at column 0, on its own line, or while
 * panicking; CPU 0 (and any CPU over a secondary's line) first ends the
 * other CPU's line; a secondary over CPU 0's line must hold its text. */
static bool console_claim_locked(void)
{
	int me = (int)smp_processor_id();

	if (console_col == 0 || console_line_cpu == me || printk_panicking)
		return true;
	if (me != PRINTK_SHELL_CPU && console_line_cpu == PRINTK_SHELL_CPU)
		return false;
	console_write_locked("\n", 1);
	return true;
}

/* Queue text to go out at the next column 0; if the queue is full the
 * text is dropped and a marker is queued. */
static void printk_hold_locked(const char *text, size_t n)
{
	static const char lost[] = "printk: async messages lost\n";

	if (pending_len + n <= sizeof(pending)) {
		memcpy(pending + pending_len, text, n);
		pending_len += n;
	} else if (pending_len + sizeof(lost) - 1 <= sizeof(pending)) {
		memcpy(pending + pending_len, lost, sizeof(lost) - 1);
		pending_len += sizeof(lost) - 1;
	}
}

/* ---- entry points */

/* n raw bytes, one critical section: written, or held (see the top). */
void printk_write(const char *s, size_t n)
{
	unsigned long flags = printk_lock_console();
	bool held = !console_claim_locked();

	if (held)
		printk_hold_locked(s, n);
	else
		console_write_locked(s, n);
	printk_unlock_console(flags);
	if (held)
		kwork_queue(&printk_kick);
}

/* kwork on the shell's CPU: print what secondaries held back, around
 * the prompt as printk_line_async() does. */
static void printk_kick_fn(struct kwork *w)
{
	bool hidden = shell_prompt_hide();
	unsigned long flags = printk_lock_console();

	if (hidden)
		console_col = 0;
	if (console_col == 0 && pending_len && !flushing)
		printk_flush_pending_locked();
	printk_unlock_console(flags);
	if (hidden)
		shell_prompt_redraw();
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_LINE_MAX];
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);

	printk_write(buf, strnlen(buf, sizeof(buf)));
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* Emit one whole line that nobody asked for (e.g. a hotplug event) so it
 * never splits the prompt, typed input or another line; see the top.
 * The prompt belongs to the shell's CPU: elsewhere the line goes through
 * printk_write (held while that CPU's line is open). */
void printk_line_async(const char *fmt, ...)
{
	char line[PRINTK_LINE_MAX];
	unsigned long flags;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n', line[n] = '\0';
	if (smp_processor_id() != PRINTK_SHELL_CPU) {
		printk_write(line, n);
	} else if (shell_prompt_hide()) {
		flags = printk_lock_console();
		console_col = 0;
		console_write_locked(line, n);
		printk_unlock_console(flags);
		shell_prompt_redraw();
	} else {
		flags = printk_lock_console();
		if (console_col == 0 && !flushing)
			console_write_locked(line, n);
		else
			printk_hold_locked(line, n);
		printk_unlock_console(flags);
	}
}

void printk_ensure_newline(void)
{
	unsigned long flags = printk_lock_console();

	if (console_claim_locked() && console_col)
		console_write_locked("\n", 1);
	printk_unlock_console(flags);
}
