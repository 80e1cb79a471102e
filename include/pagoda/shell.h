/* The serial-console shell: a command table built at link time.
 *
 *   SHELL_CMD(name, "usage", "one-line help", fn);
 *   static int fn(int argc, char **argv)   // argv[0] is the command name
 *
 * A command returns 0 on success.  On failure it prints exactly one line
 * starting "error: " (use shell_error()) and returns non-zero, having
 * changed nothing. */
#ifndef PAGODA_SHELL_H
#define PAGODA_SHELL_H
#include <pagoda/types.h>

#define SHELL_MAX_ARGS 16

struct shell_cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*fn)(int argc, char **argv);
};

#define SHELL_CMD(n, u, h, f) \
	static const struct shell_cmd __shell_cmd_##f __used \
	__section("pagoda_cmds") __aligned(8) = { .name = n, .usage = u, .help = h, .fn = f }

/* Print "error: <msg>\n"; returns -1 so commands can `return shell_error(...)`. */
int shell_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The command called name, or NULL. */
const struct shell_cmd *shell_find_cmd(const char *name);
/* Run one command line (also used by pagoda.run=). Returns the command's status. */
int shell_exec_line(const char *line);
/* Run the lines given by pagoda.run="a;b;c" (no-op if none). */
void shell_run_boot_commands(void);
/* True while the lines of pagoda.run= are pending or running (an automated
 * run: panic and failed selftests end QEMU with a non-zero status). */
bool shell_boot_run_active(void);
/* For printk_line_async(): if the shell waits at its prompt, end the
 * prompt line (once, however many lines follow) and return true;
 * shell_prompt_redraw() reprints prompt and typed input afterwards (after
 * the last line when deferred work prints several).  False (nothing done)
 * otherwise. */
bool shell_prompt_hide(void);
void shell_prompt_redraw(void);
/* Main loop: prompt "pagoda> ", line editing, history.  Never returns. */
__noreturn void shell_loop(void);
#endif
