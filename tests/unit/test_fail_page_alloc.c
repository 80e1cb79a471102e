/* Host test of the fail_page_alloc decision and interface (mm/fail_page_alloc.c):
 * interval, probability (seeded, reproducible), times, space, the site
 * filter and per-CPU site stacks, the boot parameter and the debugfs files
 * (a bad write is one error line and changes nothing). */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <setjmp.h>
#include <stdlib.h>
#include <pagoda/fault_inject.h>
#include <pagoda/pseudofs.h>
#include "printk_capture.h"
#include "tap.h"

__thread unsigned int host_cpu_id;
static jmp_buf panic_jmp;
static bool panic_armed;

__noreturn void panic_at(const char *func, const char *fmt, ...)
{
	printf("# panic in %s\n", func);
	if (panic_armed)
		longjmp(panic_jmp, 1);
	abort();
}

extern const struct pseudo_file __start_pagoda_pfiles[], __stop_pagoda_pfiles[];

static const struct pseudo_file *file(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/fail_page_alloc/%s", name);
	for (const struct pseudo_file *f = __start_pagoda_pfiles; f < __stop_pagoda_pfiles; f++)
		if (!strcmp(f->path, path))
			return f;
	return NULL;
}

/* The text of file name (static buffer). */
static const char *cat(const char *name)
{
	static char buf[512];
	const struct pseudo_file *f = file(name);
	struct seq s;

	buf[0] = '\0';
	if (!f || !f->show)
		return "<missing>";
	seq_init(&s, buf, sizeof(buf));
	f->show(&s, f->priv);
	return buf;
}

/* Write val to file name: 0 with nothing printed, or -1 with exactly one
 * line printed, "error: fail_page_alloc/NAME: ..." (-3 otherwise). */
static int echo(const char *name, const char *val)
{
	const struct pseudo_file *f = file(name);
	int before = printed_errors, rc;
	char want[64];
	size_t n;

	if (!f || !f->store)
		return -2;
	printed[0] = '\0';
	rc = f->store(val, f->priv);
	if (!rc)
		return printed[0] || printed_errors != before ? -3 : 0;
	n = (size_t)snprintf(want, sizeof(want), "error: fail_page_alloc/%s: ", name);
	return printed_errors == before + 1 && !strncmp(printed, want, n) &&
	       strchr(printed, '\n') == printed + strlen(printed) - 1 ? -1 : -3;
}

/* Failures out of calls requests of nr pages with the global attr, inside sites. */
static int run(int calls, unsigned long nr)
{
	int fails = 0;

	for (int i = 0; i < calls; i++)
		fails += should_fail_alloc_pages(nr);
	return fails;
}

static void test_defaults_and_off(void)
{
	TAP_OK(!strcmp(cat("probability"), "0\n") && !strcmp(cat("interval"), "1\n") &&
	       !strcmp(cat("times"), "1\n") && !strcmp(cat("space"), "0\n") &&
	       !strcmp(cat("verbose"), "2\n") && !strcmp(cat("sites"), "all\n"),
	       "defaults as Linux: probability 0, interval 1, times 1, space 0, verbose 2; sites all");
	TAP_OK(run(1000, 1) == 0 && fail_page_alloc.total == 0, "probability 0: nothing fails");
	TAP_OK(file("failures") && !file("failures")->store, "failures is read-only");
}

static void test_interval_times(void)
{
	fault_attr_init(&fail_page_alloc);
	fail_page_alloc.verbose = 0;
	TAP_OK(echo("interval", "5") == 0 && echo("probability", "100") == 0, "interval 5, probability 100");
	int first = -1;
	for (int i = 1; i <= 20; i++)
		if (should_fail_alloc_page(0) && first < 0)
			first = i;
	TAP_OK(first == 5 && fail_page_alloc.total == 1 && fail_page_alloc.times == 0,
	       "the 5th allocation fails, once (times 1): first %d, total %lu", first, fail_page_alloc.total);
	echo("times", "-1");
	echo("interval", "3");
	TAP_OK(run(30, 1) == 10 && fail_page_alloc.times == -1, "times -1: every 3rd of 30 fails (10)");
	echo("times", "2");
	echo("interval", "1");
	TAP_OK(run(30, 1) == 2 && !strcmp(cat("times"), "0\n"), "times 2: two failures, then times reads 0");
	echo("times", "1");
	echo("interval", "4");
	TAP_OK(run(3, 1) == 0 && echo("interval", "4") == 0 && run(3, 1) == 0 && run(1, 1) == 1,
	       "writing interval restarts the count");
}

static void test_space(void)
{
	fault_attr_init(&fail_page_alloc);
	fail_page_alloc.verbose = 0;
	echo("probability", "100");
	echo("times", "-1");
	echo("space", "10");
	/* 4 + 4 pages are within the budget (10 > 4, 6 > 4), the third request (2 left) fails */
	TAP_OK(run(2, 4) == 0 && run(1, 4) == 1 && fail_page_alloc.space == 2,
	       "space 10: two 4-page requests pass, the third fails (space %ld)", fail_page_alloc.space);
	echo("space", "3");
	TAP_OK(run(1, 512) == 1 && fail_page_alloc.space == 3, "a request larger than space fails, space kept");
}

static void test_probability(void)
{
	int a, b, c;

	fault_attr_init(&fail_page_alloc);
	fail_page_alloc.verbose = 0;
	echo("times", "-1");
	echo("probability", "30");
	echo("seed", "42");
	a = run(10000, 1);
	echo("seed", "42");
	b = run(10000, 1);
	echo("seed", "7");
	c = run(10000, 1);
	TAP_OK(a == b, "same seed, same failures (%d, %d)", a, b);
	TAP_OK(a > 2700 && a < 3300 && c > 2700 && c < 3300, "probability 30: %d and %d of 10000 fail", a, c);
	echo("seed", "42");
	int first[64], second[64];
	for (int i = 0; i < 64; i++)
		first[i] = should_fail_alloc_page(0);
	echo("seed", "42");
	for (int i = 0; i < 64; i++)
		second[i] = should_fail_alloc_page(0);
	TAP_OK(!memcmp(first, second, sizeof(first)), "reseeding replays the same sequence");
	echo("probability", "100");
	TAP_OK(run(100, 1) == 100, "probability 100: every call fails");
}

static void test_sites(void)
{
	fault_attr_init(&fail_page_alloc);
	fail_page_alloc.verbose = 0;
	echo("probability", "100");
	echo("times", "-1");
	TAP_OK(echo("sites", "pool_grow,pgtable") == 0 && !strcmp(cat("sites"), "pgtable,pool_grow\n"),
	       "sites pool_grow,pgtable reads back in canonical order");
	TAP_OK(run(10, 1) == 0, "outside any site: no failure");
	fail_site_enter(FAIL_SITE_HOT_ADD);
	TAP_OK(run(10, 1) == 0, "in hot_add only: no failure");
	fail_site_enter(FAIL_SITE_VMEMMAP_POPULATE);
	fail_site_enter(FAIL_SITE_PGTABLE);
	TAP_OK(run(3, 1) == 3 && fail_page_alloc.failures[FAIL_SITE_PGTABLE] == 3,
	       "in hot_add > vmemmap_populate > pgtable: fails, counted at pgtable");
	host_cpu_id = 1;
	TAP_OK(run(3, 1) == 0, "another CPU is not inside the site");
	host_cpu_id = 0;
	fail_site_exit(FAIL_SITE_PGTABLE);
	TAP_OK(run(3, 1) == 0, "after the pgtable exit: no failure");
	echo("sites", "hot_add");
	TAP_OK(run(2, 1) == 2 && fail_page_alloc.failures[FAIL_SITE_VMEMMAP_POPULATE] == 2,
	       "sites hot_add covers the nested vmemmap_populate (counted there)");
	fail_site_exit(FAIL_SITE_VMEMMAP_POPULATE);
	fail_site_exit(FAIL_SITE_HOT_ADD);
	echo("sites", "all");
	TAP_OK(run(1, 1) == 1 && fail_page_alloc.failures[NR_FAIL_SITES] == 1,
	       "sites all: outside any site fails too (counted as none)");
	const char *f = cat("failures");
	TAP_OK(strstr(f, "total 6\n") && strstr(f, "pgtable 3\n") && strstr(f, "vmemmap_populate 2\n") &&
	       strstr(f, "none 1\n"), "failures file: total and per site");

	volatile int panicked = 0;
	panic_armed = true;
	if (!setjmp(panic_jmp)) {
		fail_site_enter(FAIL_SITE_POOL_GROW);
		fail_site_exit(FAIL_SITE_HVO_OPTIMIZE);
	} else {
		panicked = 1;
	}
	panic_armed = false;
	TAP_OK(panicked, "an exit that is not the innermost site panics");
}

static void test_bad_writes(void)
{
	static const struct { const char *file, *val; } bad[] = {
		{ "probability", "101" }, { "probability", "-1" }, { "probability", "x" }, { "probability", "" },
		{ "interval", "-2" }, { "interval", "1x" }, { "times", "-2" }, { "times", "9999999999" },
		{ "space", "-1" }, { "verbose", "3" }, { "seed", "abc" }, { "sites", "" },
		{ "sites", "pool" }, { "sites", "pool_grow," }, { "sites", ",pgtable" }, { "sites", "all,pgtable" },
	};
	char before[6][64];
	const char *names[6] = { "probability", "interval", "times", "space", "verbose", "sites" };
	bool ok = true;

	fault_attr_init(&fail_page_alloc);
	echo("probability", "7");
	echo("sites", "hvo_restore");
	for (int i = 0; i < 6; i++)
		snprintf(before[i], sizeof(before[i]), "%s", cat(names[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = echo(bad[i].file, bad[i].val);

		if (rc != -1) {
			printf("# %s <- '%s': rc %d\n", bad[i].file, bad[i].val, rc);
			ok = false;
		}
	}
	for (int i = 0; i < 6; i++)
		ok &= !strcmp(before[i], cat(names[i]));
	TAP_OK(ok, "16 bad writes: one error line each, nothing changed");
	TAP_OK(echo("times", "-1") == 0 && !strcmp(cat("times"), "-1\n"), "times accepts -1 (no limit)");
}

static void test_boot_param(void)
{
	struct fault_attr a;
	static const char *const bad[] = { "1,100,0", "1,100,0,1,5", "x,100,0,1", "1,101,0,1", "1,100,-1,1",
					   "1,100,0,-2", "", "1,,0,1" };
	bool ok = true;

	fault_attr_init(&a);
	TAP_OK(fault_attr_parse(&a, "10,100,0,-1") == 0 && a.interval == 10 && a.probability == 100 &&
	       a.space == 0 && a.times == -1, "fail_page_alloc=10,100,0,-1 (Linux's example)");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok &= fault_attr_parse(&a, bad[i]) == -EINVAL;
	TAP_OK(ok && a.interval == 10 && a.times == -1, "malformed values rejected, attributes unchanged");
	TAP_OK(fault_attr_parse(&a, "3,50,16,2") == 0 && a.interval == 3 && a.probability == 50 &&
	       a.space == 16 && a.times == 2, "3,50,16,2");
}

int main(void)
{
	test_defaults_and_off();
	test_interval_times();
	test_space();
	test_probability();
	test_sites();
	test_bad_writes();
	test_boot_param();
	return TAP_DONE();
}
