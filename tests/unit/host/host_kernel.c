/* Host versions of the kernel services mm/ calls (printk, panic,
 * shell_error) and the test seams of host_mm.h: pseudo-file reads, shell
 * lines and selftests found through the same link-time sections the
 * kernel uses, panics caught with longjmp, TAP across forked children. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <pagoda/printk.h>
#include <pagoda/panic.h>
#include <pagoda/shell.h>
#include <pagoda/pseudofs.h>
#include <pagoda/selftest.h>
#include <pagoda/time.h>
#include "mm/vm_check.h"
#include "host_mm.h"

char *host_printk_buf;
size_t host_printk_size;
bool host_printk_quiet;
jmp_buf *host_panic_jmp;
char host_panic_msg[512];

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	int n = kvsnprintf(line, sizeof(line), fmt, ap);

	if (host_printk_buf) {
		size_t len = strlen(host_printk_buf);
		snprintf(host_printk_buf + len, host_printk_size - len, "%s", line);
	} else if (!host_printk_quiet) {
		fputs(line, stdout);
	}
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

/* Raw console output (pseudofs `cat` prints a file with it): captured
 * like printk. */
void printk_write(const char *s, size_t n)
{
	if (host_printk_buf) {
		size_t len = strlen(host_printk_buf);
		snprintf(host_printk_buf + len, host_printk_size - len, "%.*s", (int)n, s);
	} else if (!host_printk_quiet) {
		fwrite(s, 1, n, stdout);
	}
}

void printk_line_async(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(host_panic_msg, sizeof(host_panic_msg), "%s: ", func);

	va_start(ap, fmt);
	kvsnprintf(host_panic_msg + n, sizeof(host_panic_msg) - n, fmt, ap);
	va_end(ap);
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	fflush(stdout);
	fprintf(stderr, "PANIC: %s\n", host_panic_msg);
	abort();
}

int shell_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("error: %s\n", msg);
	return -1;
}

extern const struct pseudo_file __start_pagoda_pfiles[], __stop_pagoda_pfiles[];
extern const struct shell_cmd __start_pagoda_cmds[], __stop_pagoda_cmds[];
extern const struct selftest __start_pagoda_selftests[], __stop_pagoda_selftests[];

int host_cat(const char *path, char *buf, size_t size)
{
	for (const struct pseudo_file *f = __start_pagoda_pfiles; f < __stop_pagoda_pfiles; f++) {
		struct seq s;
		if (strcmp(f->path, path) || !f->show)
			continue;
		seq_init(&s, buf, size);
		return f->show(&s, f->priv);
	}
	return -ENOENT;
}

long host_field(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ' ' || p[n] == ':'))
			return strtol(p + n + 1, NULL, 0);
	return -1;
}

int host_shell(const char *line, char *buf, size_t size)
{
	char copy[256], *argv[SHELL_MAX_ARGS], *save = NULL;
	int argc = 0, rc = -ENOENT;

	snprintf(copy, sizeof(copy), "%s", line);
	for (char *t = strtok_r(copy, " ", &save); t && argc < SHELL_MAX_ARGS; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	buf[0] = 0;
	host_printk_buf = buf;
	host_printk_size = size;
	for (const struct shell_cmd *c = __start_pagoda_cmds; c < __stop_pagoda_cmds; c++)
		if (argc && !strcmp(c->name, argv[0]))
			rc = c->fn(argc, argv);
	host_printk_buf = NULL;
	return rc;
}

bool host_vm_check(void)
{
	char msg[VM_CHECK_MSG_SIZE];
	bool ok = vm_check_run(msg, sizeof(msg)) == 0;

	if (!ok)
		printf("# vm_check: %s\n", msg);
	return ok;
}

const char *selftest_skip_reason __attribute__((weak));   /* kernel/selftest.c when linked */
int host_selftest_skips;

int host_selftests(const char *prefix, int *ran)
{
	int failed = 0;

	*ran = 0;
	for (const struct selftest *t = __start_pagoda_selftests; t < __stop_pagoda_selftests; t++) {
		bool fail = false;
		if (strncmp(t->name, prefix, strlen(prefix)))
			continue;
		selftest_skip_reason = NULL;
		t->fn(&fail);
		host_selftest_skips += selftest_skip_reason != NULL;
		host_ok(!fail, "selftest %s%s%s", t->name, selftest_skip_reason ? " # SKIP " : "",
			selftest_skip_reason ? selftest_skip_reason : "");
		failed += fail;
		(*ran)++;
	}
	return failed;
}

static bool host_probe(unsigned long va, bool write)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		if (write)
			*(volatile char *)va = *(volatile char *)va;
		else
			(void)*(volatile char *)va;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
bool host_probe_write(unsigned long va) { return host_probe(va, true); }
bool host_probe_read(unsigned long va) { return host_probe(va, false); }

struct host_tap { int n, failed; };
static struct host_tap *host_tap;

void host_tap_init(void)
{
	host_tap = mmap(NULL, sizeof(*host_tap), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

void host_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	host_tap->n++;
	if (!cond)
		host_tap->failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", host_tap->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int host_tap_done(void)
{
	printf("1..%d\n", host_tap->n);
	return host_tap->failed ? 1 : 0;
}

void host_scenario(const char *name, void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		host_ok(false, "%s: child died (status %#x): %s", name, status, host_panic_msg);
}

u64 host_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The kernel's clock and bench_report() for BENCH()es in mm/ (mm/buddy_bench.c). */
u64 ktime_ns(void) { return host_now_ns(); }
void bench_report_unit(const char *what, u64 value, const char *unit)
{
	printk("%s: %llu %s\n", what, (unsigned long long)value, unit);
}
