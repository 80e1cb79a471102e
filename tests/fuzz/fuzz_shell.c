/* Fuzz harness: the shell (kernel/shell.c line editor and history,
 * kernel/shell_exec.c tokenizer and dispatch, kernel/shell_boot.c
 * pagoda.run splitting, kernel/pseudofs.c paths and families, kernel/cmds.c)
 * on the fake console backend of tests/unit/test_shell.c.
 *
 *   input: [mode][bytes ...]
 *     mode 0: bytes split at '\n' -> shell_exec_line() per line
 *     mode 1: bytes are keystrokes for shell_loop() (0x01 injects an async
 *             printk line, 0x02 queues a kwork that prints two)
 *     mode 2: bytes are a command line (with pagoda.run=...) -> boot commands
 *
 * Promises checked (interface.md): no crash or panic on any input; a line
 * whose command fails prints exactly one line, and it starts "error: ";
 * a line that succeeds prints no "error: " line (echo of a literal
 * "error:" aside). */
#include <setjmp.h>
#include <string.h>
#include <pagoda/arch.h>
#include <pagoda/bootinfo.h>
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>
#include <pagoda/pseudofs.h>
#include <pagoda/shell.h>
#include <pagoda/irq.h>
#include <pagoda/selftest.h>
#include "fuzz.h"

size_t strlcpy(char *d, const char *s, size_t n);   /* tests/unit/host/host_strlcpy.c */

struct bootinfo bootinfo;

/* ---- fake arch: keys from the input, output captured ---- */
static char out[1 << 16];
static size_t out_len;
static const uint8_t *keys;
static size_t nkeys;
static jmp_buf stop;

void arch_console_putc(char c)
{
	if (out_len + 1 < sizeof(out))
		out[out_len++] = c, out[out_len] = '\0';
}
static void two_lines_fn(struct kwork *w)
{
	printk_line_async("hotplug: insert");
	printk_line_async("hotplug: online");
}
static struct kwork two_lines = { .fn = two_lines_fn };

int arch_console_getc(void)
{
	if (!nkeys)
		longjmp(stop, 1);
	nkeys--;
	if (*keys == 1) {
		keys++;
		printk_line_async("hotplug: memory9 online");
		return -1;
	}
	if (*keys == 2) {
		keys++;
		kwork_queue(&two_lines);
		return -1;
	}
	return *keys++;
}
u64 arch_cycles(void) { static u64 t; return t += 100; }
u64 arch_cycles_per_sec(void) { return 1000000000; }
void arch_poweroff(void) { longjmp(stop, 2); }
void arch_debug_exit(int code) { longjmp(stop, 3); }
void arch_halt(void) { longjmp(stop, 4); }
void arch_dump_backtrace(void) { }
__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	FUZZ_ASSERT(0, "panic in %s: %s", func, fmt);
	abort();
}
static u64 word;
int arch_probe_read64(unsigned long a, u64 *v, struct fault_info *fi)
{
	if (a == 0x1000)
		return *v = word, 0;
	*fi = (struct fault_info){ a, false, false };
	return -EFAULT;
}
int arch_probe_write64(unsigned long a, u64 v, struct fault_info *fi)
{
	if (a == 0x1000)
		return word = v, 0;
	*fi = (struct fault_info){ a, true, a == 0x2000 };
	return -EFAULT;
}

/* ---- pseudo-files: one table file pair and a family /f/blkN/{state,ctl} ---- */
static char stored[64];
static int t_store(const char *val, void *priv)
{
	if (!strcmp(val, "bad"))
		return shell_error("bad value");
	strlcpy(stored, val, sizeof(stored));
	return 0;
}
static int t_show(struct seq *s, void *priv) { return seq_printf(s, "%s\n", stored); }
static bool blk_exists(unsigned long n) { return n % 3 == 0 && n < 4000; }
static bool blk_next(unsigned long *n)
{
	while (*n < 4000 && !blk_exists(*n))
		(*n)++;
	return *n < 4000;
}
static int blk_show(struct seq *s, void *priv) { return seq_printf(s, "%lu\n", (unsigned long)priv); }
static const struct pseudo_attr blk_attrs[] = {
	{ "state", blk_show, t_store }, { "ctl", NULL, t_store },
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
	pseudofs_register("/t/w", NULL, t_store, NULL);
	pseudofs_register("/t/rw", t_show, t_store, NULL);
	pseudofs_register_family(&blk_family);
}

/* Lines of out[] (CR removed) starting "error: ", and all lines. */
static void count_lines(int *errors, int *lines)
{
	*errors = *lines = 0;
	for (char *p = out; *p; ) {
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
	out_len = 0;
	out[0] = '\0';
	if (setjmp(stop))
		return;                       /* poweroff and friends */
	rc = shell_exec_line(line);
	count_lines(&errors, &lines);
	if (rc)
		FUZZ_ASSERT(errors == 1 && lines == 1, "'%s' failed (%d) with %d error lines of %d:\n%s",
			    line, rc, errors, lines, out);
	else if (strncmp(line + strspn(line, " \t"), "echo", 4))
		FUZZ_ASSERT(errors == 0, "'%s' succeeded but printed an error line:\n%s", line, out);
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
		keys = data + 1;
		nkeys = size - 1;
		out_len = 0;
		printk_write("\n", 1);
		if (setjmp(stop) == 0)
			shell_loop();
		break;
	case 2:
		cmdline_parse(buf);
		out_len = 0;
		if (setjmp(stop) == 0)
			shell_run_boot_commands();
		break;
	}
	free(buf);
	return 0;
}
