/* The fake console and arch under the shell for host programs that drive
 * it (tests/unit/test_shell.c, tests/fuzz/fuzz_shell.c): keys come from a
 * byte string, every byte printed lands in shell_out[].
 *
 *   shell_backend_run(keys, n)   a shell_loop() session on keys
 *   shell_backend_boot()         shell_run_boot_commands()
 *     both return how it stopped: 0 returned, SHELL_STOP_KEYS (keys ran
 *     out), _POWEROFF, _EXIT (code in shell_exit_code), _HALT; a caller of
 *     shell_exec_line() sets the landing itself: if (setjmp(shell_stop)) ...
 *
 * Key bytes 0x01 and 0x02 are events, not keys: 0x01 prints an async
 * hotplug line, 0x02 queues a kwork that prints two (twice: the second
 * finds it queued).  peek/poke see one word at 0x1000; 0x2000 faults as a
 * read-only page, anything else as unmapped.  shell_backend_store() is a
 * pseudo-file store: "bad" is refused with one error line, anything else
 * kept in shell_stored[].
 *
 * Include it in one file of a program, which also defines panic_at() (a
 * test reports and leaves through shell_stop, a fuzzer aborts). */
#ifndef TESTS_SHELL_BACKEND_H
#define TESTS_SHELL_BACKEND_H
#include <setjmp.h>
#include <string.h>
#include <pagoda/arch.h>
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>
#include <pagoda/irq.h>
#include <pagoda/shell.h>

size_t strlcpy(char *d, const char *s, size_t n);   /* tests/unit/host/host_strlcpy.c */

enum { SHELL_STOP_KEYS = 1, SHELL_STOP_POWEROFF, SHELL_STOP_EXIT, SHELL_STOP_HALT, SHELL_STOP_PANIC };

struct bootinfo bootinfo;

static char shell_out[1 << 16];
static size_t shell_out_len;
static const unsigned char *shell_keys;
static size_t shell_nkeys;
static jmp_buf shell_stop;
static int shell_exit_code;
static char shell_stored[64];

void arch_console_putc(char c)
{
	if (shell_out_len + 1 < sizeof(shell_out))
		shell_out[shell_out_len++] = c, shell_out[shell_out_len] = '\0';
}

/* A deferred work that prints two async lines (as a hotplug event does). */
static void shell_two_lines_fn(struct kwork *w)
{
	(void)w;
	printk_line_async("hotplug: insert");
	printk_line_async("hotplug: online");
}
static struct kwork shell_two_lines = { .fn = shell_two_lines_fn };

int arch_console_getc(void)
{
	if (!shell_nkeys)
		longjmp(shell_stop, SHELL_STOP_KEYS);
	shell_nkeys--;
	switch (*shell_keys++) {
	case 1:
		printk_line_async("hotplug: memory9 online");
		return -1;
	case 2:
		kwork_queue(&shell_two_lines);
		kwork_queue(&shell_two_lines);
		return -1;
	default:
		return shell_keys[-1];
	}
}
u64 arch_cycles(void) { static u64 t; return t += 100; }
u64 arch_cycles_per_sec(void) { return 1000000000; }
void arch_poweroff(void) { longjmp(shell_stop, SHELL_STOP_POWEROFF); }
void arch_debug_exit(int code) { shell_exit_code = code; longjmp(shell_stop, SHELL_STOP_EXIT); }
void arch_halt(void) { longjmp(shell_stop, SHELL_STOP_HALT); }
void arch_dump_backtrace(void) { }

static u64 shell_word = 0x1122334455667788ULL;
int arch_probe_read64(unsigned long a, u64 *v, struct fault_info *fi)
{
	if (a == 0x1000)
		return *v = shell_word, 0;
	*fi = (struct fault_info){ a, false, false };
	return -EFAULT;
}
int arch_probe_write64(unsigned long a, u64 v, struct fault_info *fi)
{
	if (a == 0x1000)
		return shell_word = v, 0;
	*fi = (struct fault_info){ a, true, a == 0x2000 };
	return -EFAULT;
}

static int shell_backend_store(const char *val, void *priv)
{
	(void)priv;
	if (!strcmp(val, "bad"))
		return shell_error("bad value");
	strlcpy(shell_stored, val, sizeof(shell_stored));
	return 0;
}

/* Forget what was printed so far. */
static void shell_backend_reset(void)
{
	shell_out_len = 0;
	shell_out[0] = '\0';
}

/* An interactive session on keys [0, n); how it stopped (see the top). */
static int shell_backend_run(const void *keys, size_t n)
{
	int r;

	printk_write("\n", 1);          /* the last session ended at a prompt */
	shell_backend_reset();
	shell_keys = keys;
	shell_nkeys = n;
	r = setjmp(shell_stop);
	if (r == 0)
		shell_loop();
	return r;
}

/* The pagoda.run= lines of the parsed command line; how it stopped. */
static int shell_backend_boot(void)
{
	int r;

	shell_backend_reset();
	r = setjmp(shell_stop);
	if (r == 0)
		shell_run_boot_commands();
	return r;
}
#endif
