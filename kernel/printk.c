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
 */
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/arch.h>
#include <pagoda/shell.h>

#define PRINTK_LINE_MAX   512
#define PRINTK_PENDING_MAX 2048

static size_t console_col;                      /* bytes since the last "\n" */
static char pending[PRINTK_PENDING_MAX];        /* whole held-back lines */
static size_t pending_len;
static bool flushing;

static void printk_flush_pending(void);

/* Send n bytes to the console, expanding "\n" to "\r\n".  Held-back async
 * lines go out as soon as the output returns to column 0. */
void printk_write(const char *s, size_t n)
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
	if (newline && console_col == 0 && pending_len && !flushing)
		printk_flush_pending();
}

/* Print the held-back lines (the console is at column 0). */
static void printk_flush_pending(void)
{
	flushing = true;
	printk_write(pending, pending_len);
	pending_len = 0;
	flushing = false;
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

/* Queue one whole line (with its "\n") to go out at the next column 0;
 * if the queue is full the line is dropped and a marker is queued. */
static void printk_hold_line(const char *line, size_t n)
{
	static const char lost[] = "printk: async messages lost\n";

	if (pending_len + n <= sizeof(pending)) {
		memcpy(pending + pending_len, line, n);
		pending_len += n;
	} else if (pending_len + sizeof(lost) - 1 <= sizeof(pending)) {
		memcpy(pending + pending_len, lost, sizeof(lost) - 1);
		pending_len += sizeof(lost) - 1;
	}
}

/* Emit one whole line that nobody asked for (e.g. a hotplug event) so it
 * never splits the prompt, typed input or another line; see the top. */
void printk_line_async(const char *fmt, ...)
{
	char line[PRINTK_LINE_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n', line[n] = '\0';
	if (shell_prompt_hide()) {
		console_col = 0;
		printk_write(line, n);
		shell_prompt_redraw();
	} else if (console_col == 0 && !flushing) {
		printk_write(line, n);
	} else {
		printk_hold_line(line, n);
	}
}

void printk_ensure_newline(void)
{
	if (console_col)
		printk_write("\n", 1);
}
