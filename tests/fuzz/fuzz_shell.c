/* Fuzz harness: the shell (kernel/shell.c line editor and history,
 * kernel/shell_exec.c tokenizer and dispatch, kernel/shell_boot.c
 * pagoda.run splitting, kernel/pseudofs.c paths and families, kernel/cmds.c)
 * on the fake console backend of tests/unit/shell_backend.h (shared with
 * tests/unit/test_shell.c).
 *
 *   input: [mode][bytes ...]
 *     mode 0: bytes split at '\n' -> shell_exec_line() per line
 *     mode 1: bytes are keystrokes for shell_loop() (0x01 injects an async
 *             printk line, 0x02 queues a kwork that prints two, twice)
 *     mode 2: bytes are a command line (with pagoda.run=...) -> boot commands
 *
 * Promises checked (interface.md): no crash or panic on any input; a line
 * whose command fails prints exactly one line, and it starts "error: ";
 * a line that succeeds prints no "error: " line (echo of a literal
 * "error:" aside). */
#include <string.h>
#include <pagoda/cmdline.h>
#include <pagoda/pseudofs.h>
#include <pagoda/selftest.h>
#include "shell_backend.h"
#include "fuzz.h"

__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	FUZZ_ASSERT(0, "panic in %s: %s", func, fmt);
	abort();
}

/* ---- pseudo-files: one table file pair and a family /f/blkN/{state,ctl} ---- */
static int t_show(struct seq *s, void *priv) { return seq_printf(s, "%s\n", shell_stored); }
static bool blk_exists(unsigned long n) { return n % 3 == 0 && n < 4000; }
static bool blk_next(unsigned long *n)
{
	while (*n < 4000 && !blk_exists(*n))
		(*n)++;
	return *n < 4000;
}
static int blk_show(struct seq *s, void *priv) { return seq_printf(s, "%lu\n", (unsigned long)priv); }
static const struct pseudo_attr blk_attrs[] = {
	{ "state", blk_show, shell_backend_store }, { "ctl", NULL, shell_backend_store },
};
static const struct pseudo_family blk_family = {
	"/f", "blk", blk_exists, blk_next, blk_attrs, 2
};

/* One selftest and one benchmark (a selftest that fails is a failed
 * command that prints no error line of its own: `selftest` says why). */
SELFTEST(fuzz_pass) { EXPECT(1); }
BENCH(fuzz_nothing) { bench_report("nothing", 1); }

static void setup_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	pseudofs_register("/t/r", t_show, NULL, NULL);
	pseudofs_register("/t/w", NULL, shell_backend_store, NULL);
	pseudofs_register("/t/rw", t_show, shell_backend_store, NULL);
	pseudofs_register_family(&blk_family);
}

/* Lines of shell_out[] (CR removed) starting "error: ", and all lines. */
static void count_lines(int *errors, int *lines)
{
	*errors = *lines = 0;
	for (char *p = shell_out; *p; ) {
		char *nl = strchr(p, '\n');
		if (!strncmp(p, "error: ", 7))
			(*errors)++;
		(*lines)++;
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* One line through shell_exec_line, with the error-line promise. */
static void exec_one(const char *line)
{
	int rc, errors, lines;

	printk_ensure_newline();              /* a session may have ended mid-line */
	shell_backend_reset();
	if (setjmp(shell_stop))
		return;                       /* poweroff and friends */
	rc = shell_exec_line(line);
	count_lines(&errors, &lines);
	if (rc)
		FUZZ_ASSERT(errors == 1 && lines == 1, "'%s' failed (%d) with %d error lines of %d:\n%s",
			    line, rc, errors, lines, shell_out);
	else if (strncmp(line + strspn(line, " \t"), "echo", 4))
		FUZZ_ASSERT(errors == 0, "'%s' succeeded but printed an error line:\n%s", line, shell_out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	setup_once();
	char *buf = fuzz_dup(data + 1, size - 1, 1);
	switch (data[0] % 3) {
	case 0:
		for (char *line = buf, *nl; line; line = nl) {
			nl = strchr(line, '\n');
			if (nl)
				*nl++ = '\0';
			exec_one(line);
		}
		break;
	case 1:
		shell_backend_run(data + 1, size - 1);
		break;
	case 2:
		cmdline_parse(buf);
		shell_backend_boot();
		break;
	}
	free(buf);
	return 0;
}
