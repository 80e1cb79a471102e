/* The interactive shell: prompt, line editing, history.
 *
 *   "pagoda> " + typed text; keys:
 *     CR | LF | CRLF     end the line (a CR's following LF is swallowed)
 *     BS (0x08) | DEL    erase the last character
 *     ^U                 erase the whole line       ^C  abandon the line
 *     ESC [ A / ESC [ B  older / newer history entry (also ESC O A/B)
 *
 * The console is polled (arch_console_getc is non-blocking).  While the
 * shell waits for input it runs deferred work (kwork_run), and
 * printk_line_async() may call shell_prompt_hide() and
 * shell_prompt_redraw() to slip whole lines in:
 *
 *   pagoda> mem ad            <- typed so far; a hotplug event arrives
 *   hotplug: ...              <- the message, on its own line
 *   pagoda> mem ad            <- prompt and partial line again */
#include <pagoda/shell.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/arch.h>
#include <pagoda/irq.h>
#include <pagoda/smp.h>
#include <asm/io.h>

#define SHELL_PROMPT   "pagoda> "
#define SHELL_LINE_MAX 256
#define SHELL_HISTORY  16

struct shell_editor {
	char line[SHELL_LINE_MAX];
	size_t len;
	bool waiting;          /* prompt shown, reading keys */
	bool prompt_ended;     /* an async line ended the prompt line: redraw */
	bool in_kwork;         /* kwork_run() is running: redraw once, after */
	bool cr_seen;          /* last key was CR: swallow one LF */
	bool overflow;         /* a key was dropped (line full): refuse the line */
	int esc;               /* 0, 1 after ESC, 2 after ESC [ or ESC O */
	/* History ring: entry i (0 = newest) is hist[(hist_head - 1 - i) mod N]. */
	char hist[SHELL_HISTORY][SHELL_LINE_MAX];
	int hist_head, hist_count;
	int hist_pos;          /* -1: editing the draft; else entry shown */
	char draft[SHELL_LINE_MAX];
};

static struct shell_editor ed;

static void shell_puts(const char *s)
{
	printk_write(s, strlen(s));
}

/* Replace the visible line with prompt + ed.line. */
static void shell_redraw_line(void)
{
	shell_puts("\r\x1b[K" SHELL_PROMPT);
	printk_write(ed.line, ed.len);
}

/* End the prompt line as it stands (prompt and partial input stay on the
 * screen); the caller's message then starts a line of its own. */
bool shell_prompt_hide(void)
{
	if (!ed.waiting)
		return false;
	if (!ed.prompt_ended)
		shell_puts("\n");
	ed.prompt_ended = true;
	return true;
}

/* Reprint prompt + partial input after async lines; while deferred work
 * runs, only once it is done (its lines stay together). */
void shell_prompt_redraw(void)
{
	if (!ed.waiting || ed.in_kwork || !ed.prompt_ended)
		return;
	ed.prompt_ended = false;
	shell_redraw_line();
}

/* Run deferred work (hotplug events) while waiting at the prompt. */
static void shell_run_kwork(void)
{
	ed.in_kwork = true;
	kwork_run();
	ed.in_kwork = false;
	shell_prompt_redraw();
}

/* Show history entry pos (0 = newest) or the draft (pos == -1). */
static void shell_history_show(int pos)
{
	if (pos < -1 || pos >= ed.hist_count)
		return;
	if (ed.hist_pos == -1) {
		memcpy(ed.draft, ed.line, ed.len);
		ed.draft[ed.len] = '\0';
	}
	ed.hist_pos = pos;
	if (pos == -1)
		ed.len = strlcpy(ed.line, ed.draft, sizeof(ed.line));
	else
		ed.len = strlcpy(ed.line, ed.hist[(ed.hist_head - 1 - pos + SHELL_HISTORY)
						  % SHELL_HISTORY], sizeof(ed.line));
	shell_redraw_line();
}

/* Remember a finished non-empty line unless it repeats the newest entry. */
static void shell_history_add(const char *line)
{
	const char *newest = ed.hist[(ed.hist_head - 1 + SHELL_HISTORY) % SHELL_HISTORY];

	if (!*line || (ed.hist_count && strcmp(newest, line) == 0))
		return;
	strlcpy(ed.hist[ed.hist_head], line, SHELL_LINE_MAX);
	ed.hist_head = (ed.hist_head + 1) % SHELL_HISTORY;
	if (ed.hist_count < SHELL_HISTORY)
		ed.hist_count++;
}

/* Feed the byte after ESC or ESC [; arrows move through history. */
static void shell_key_escape(char c)
{
	if (ed.esc == 1) {
		ed.esc = (c == '[' || c == 'O') ? 2 : 0;
		return;
	}
	if (c >= '0' && c <= '9')      /* parameter bytes, e.g. ESC [ 1 ; 5 A */
		return;
	if (c == ';')
		return;
	ed.esc = 0;
	if (c == 'A')
		shell_history_show(ed.hist_pos + 1);
	else if (c == 'B')
		shell_history_show(ed.hist_pos - 1);
}

/* Feed one editing key (anything but the line end).  */
static void shell_key_edit(char c)
{
	if (ed.esc) {
		shell_key_escape(c);
	} else if (c == 0x1b) {
		ed.esc = 1;
	} else if (c == 0x08 || c == 0x7f) {
		if (ed.len) {
			ed.len--;
			shell_puts("\b \b");
		}
	} else if (c == 0x15) {                  /* ^U */
		ed.len = 0;
		ed.overflow = false;
		shell_redraw_line();
	} else if (c == 0x03) {                  /* ^C */
		shell_puts("^C\n");
		ed.len = 0;
		ed.overflow = false;
		shell_puts(SHELL_PROMPT);
	} else if (c >= 0x20 && c < 0x7f && ed.len < SHELL_LINE_MAX - 1) {
		ed.line[ed.len++] = c;
		printk_write(&c, 1);
	} else if (c >= 0x20 && c < 0x7f) {
		ed.overflow = true;
	}
}

/* Read keys until a line ends; returns it NUL-terminated in ed.line. */
static const char *shell_read_line(void)
{
	int c;

	ed.len = 0;
	ed.esc = 0;
	ed.overflow = false;
	ed.hist_pos = -1;
	printk_ensure_newline();
	shell_puts(SHELL_PROMPT);
	ed.waiting = true;
	for (;;) {
		smp_idle_enter();           /* waiting for a key is idle time (/proc/stat) */
		while ((c = arch_console_getc()) < 0) {
			shell_run_kwork();
			cpu_relax();
		}
		smp_idle_exit();
		if (c == '\n' && ed.cr_seen) {
			ed.cr_seen = false;
			continue;
		}
		ed.cr_seen = (c == '\r');
		if (c == '\r' || c == '\n')
			break;
		shell_key_edit((char)c);
	}
	ed.waiting = false;
	ed.line[ed.len] = '\0';
	shell_puts("\n");
	return ed.line;
}

__noreturn void shell_loop(void)
{
	for (;;) {
		const char *line = shell_read_line();

		if (ed.overflow) {        /* running the cut line could do harm */
			shell_error("line too long (max %d characters), not run", SHELL_LINE_MAX - 1);
			continue;
		}
		shell_history_add(line);
		shell_exec_line(line);
	}
}
