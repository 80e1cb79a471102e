/* Host test of the shell, pseudo-files, printk_line_async and pagoda.run=
 * (kernel/shell*.c, pseudofs.c, printk.c, cmds.c, selftest.c) over a fake
 * console: keys come from a script, output is captured and compared. */
#include <stdio.h>
#include <string.h>
#include <pagoda/cmdline.h>
#include <pagoda/pseudofs.h>
#include <pagoda/selftest.h>
#include "shell_backend.h"
#include "tap.h"

__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	printf("# panic in %s: %s\n", func, fmt);
	longjmp(shell_stop, SHELL_STOP_PANIC);
}

/* ---- fixtures ---- */
static int test_show(struct seq *s, void *priv) { return seq_printf(s, "hello\n"); }
static bool host_fail;
SELFTEST(host_check) { EXPECT(!host_fail); }
BENCH(host) { bench_report("nothing", 7); bench_report("rate", 3, "MiB/s"); }

/* Run the interactive shell on script; returns how it stopped. */
static int run_shell(const char *script)
{
	return shell_backend_run(script, strlen(script));
}

/* Run the script and expect the transcript (CR bytes removed) to be want. */
static void expect_session(const char *name, const char *script, const char *want)
{
	static char flat[sizeof(shell_out)];
	size_t j = 0;

	run_shell(script);
	for (size_t i = 0; i <= shell_out_len; i++)
		if (shell_out[i] != '\r')
			flat[j++] = shell_out[i];
	TAP_OK(strcmp(flat, want) == 0, "%s", name);
	if (strcmp(flat, want))
		printf("# got:\n%s\n# want:\n%s\n", flat, want);
}

static void test_line_editing(void)
{
	expect_session("CR, LF and CRLF each end one line", "echo a\r\necho b\necho c\r\r\n",
		       "pagoda> echo a\na\npagoda> echo b\nb\npagoda> echo c\nc\npagoda> \npagoda> ");
	expect_session("backspace (BS and DEL) edits", "echx\bo ab\x7f\x7f" "cd\r",
		       "pagoda> echx\b \bo ab\b \b\b \bcd\ncd\npagoda> ");
	expect_session("up-arrow recalls history", "echo 1\recho 2\r\x1b[A\x1b[A\r",
		       "pagoda> echo 1\n1\npagoda> echo 2\n2\npagoda> "
		       "\x1b[Kpagoda> echo 2\x1b[Kpagoda> echo 1\n1\npagoda> ");
	expect_session("down-arrow returns to the draft", "echo 1\rxy\x1b[A\x1b[B\r",
		       "pagoda> echo 1\n1\npagoda> xy\x1b[Kpagoda> echo 1\x1b[Kpagoda> xy\n"
		       "error: unknown command 'xy'\npagoda> ");
	expect_session("ctrl-U clears the line", "junk\x15" "echo ok\r",
		       "pagoda> junk\x1b[Kpagoda> echo ok\nok\npagoda> ");
}

static void test_commands(void)
{
	expect_session("unknown command", "frob x\r", "pagoda> frob x\nerror: unknown command 'frob'\npagoda> ");
	expect_session("cat, ls and their errors",
		       "cat /t/r\rls /t\rls\rcat /nope\rcat /t\rcat /t/w\rls /x\r",
		       "pagoda> cat /t/r\nhello\npagoda> ls /t\nr\nw\npagoda> ls\nproc/\nt/\n"
		       "pagoda> cat /nope\nerror: cat: /nope: No such file or directory\n"
		       "pagoda> cat /t\nerror: cat: /t: Is a directory\n"
		       "pagoda> cat /t/w\nerror: cat: /t/w: Permission denied\n"
		       "pagoda> ls /x\nerror: ls: cannot access '/x': No such file or directory\npagoda> ");
	run_shell("echo \"a b\" >/t/w\r");
	TAP_OK(strcmp(shell_stored, "a b") == 0, "echo VALUE >PATH stores the value (\"%s\")", shell_stored);
	run_shell("echo bad > /t/w\recho 1 > /t/r\recho 1 > /t/none\recho 1 >\r");
	TAP_OK(strcmp(shell_stored, "a b") == 0 && strstr(shell_out, "error: bad value\r\n") &&
	       strstr(shell_out, "error: echo: /t/r: Permission denied\r\n") &&
	       strstr(shell_out, "error: echo: /t/none: No such file or directory\r\n") &&
	       strstr(shell_out, "error: echo: usage: echo VALUE > PATH\r\n"),
	       "echo errors change nothing and print one error line each");
	expect_session("peek/poke and faults",
		       "peek 0x1000\rpoke 0x1000 0x2a\rpeek 0x1000\rpoke 0x2000 1\rpeek 0x3000\rpeek 0x1004\rpoke 1\r",
		       "pagoda> peek 0x1000\n0x1000: 0x1122334455667788\npagoda> poke 0x1000 0x2a\n"
		       "pagoda> peek 0x1000\n0x1000: 0x000000000000002a\n"
		       "pagoda> poke 0x2000 1\nerror: fault at 0x2000: write to read-only mapping\n"
		       "pagoda> peek 0x3000\nerror: fault at 0x3000: read from unmapped address\n"
		       "pagoda> peek 0x1004\nerror: peek: address 0x1004 is not 8-byte aligned\n"
		       "pagoda> poke 1\nerror: poke: usage: poke ADDR VALUE\npagoda> ");
	expect_session("bench prints figures", "bench\rbench x\r",
		       "pagoda> bench\nhost: nothing: 7 ns/op\nhost: rate: 3 MiB/s\n"
		       "pagoda> bench x\nerror: bench: no benchmark called 'x'\npagoda> ");
	TAP_OK(run_shell("poweroff\r") == SHELL_STOP_POWEROFF, "poweroff calls arch_poweroff");
}

static void test_async_line_at_prompt(void)
{
	expect_session("async line at the prompt redraws prompt and typed text",
		       "ec\x01ho x\r",
		       "pagoda> ec\nhotplug: memory9 online\n\x1b[Kpagoda> echo x\nx\npagoda> ");
	expect_session("async line at an empty prompt is a line of its own",
		       "\x01" "echo y\r",
		       "pagoda> \nhotplug: memory9 online\n\x1b[Kpagoda> echo y\ny\npagoda> ");
	expect_session("a queued work runs once at the prompt; its lines stay together",
		       "ab\x02" "c\x02\r",
		       "pagoda> ab\nhotplug: insert\nhotplug: online\n\x1b[Kpagoda> abc\n"
		       "hotplug: insert\nhotplug: online\n\x1b[Kpagoda> abc\n"
		       "error: unknown command 'abc'\npagoda> ");
}

/* Run before any shell session: the shell is not at its prompt. */
static void test_held_line(void)
{
	shell_backend_reset();
	printk("half a line");
	printk_line_async("hotplug: held");
	printk(" and the rest\n");
	TAP_OK(strcmp(shell_out, "half a line and the rest\r\nhotplug: held\r\n") == 0,
	       "async line waits for the current line to end");
}

static void test_boot_commands(void)
{
	int r;

	cmdline_parse("\"pagoda.run=echo one;  echo \"two;three\" ; selftest\"");
	r = shell_backend_boot();
	if (r != 0 || !strstr(shell_out, "pagoda> selftest\r\nok"))
		printf("# got:\n%s\n", shell_out);
	TAP_OK(r == 0 && strstr(shell_out, "pagoda> echo one\r\none\r\npagoda> echo \"two;three\"\r\ntwo;three\r\n"
				  "pagoda> selftest\r\nok 1 - host_check\r\n1 passed, 0 failed\r\n"),
	       "pagoda.run lines run after an echoed prompt");
	TAP_OK(!shell_boot_run_active(), "boot run is over");
	cmdline_parse("pagoda.run=\"selftest;echo not reached\"");
	host_fail = true;
	r = shell_backend_boot();
	TAP_OK(r == SHELL_STOP_EXIT && shell_exit_code == 1 && strstr(shell_out, "not ok 1 - host_check") &&
	       !strstr(shell_out, "not reached"), "a failing boot selftest ends the run with debug exit 1");
}

int main(void)
{
	pseudofs_register("/t/r", test_show, NULL, NULL);
	pseudofs_register("/t/w", NULL, shell_backend_store, NULL);
	test_held_line();
	test_boot_commands();
	test_line_editing();
	test_commands();
	test_async_line_at_prompt();
	return TAP_DONE();
}
