/* Host test of the HugeTLB pools (mm/hugetlb*.c) and of the `page` verb's
 * COUNT|all forms that tests use to exhaust memory:
 *   - page alloc ORDER [movable] COUNT|all / page free all, no fixed limit
 *   - bad input: one error line, nothing changed */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/host_mm.h"
#include "mm/buddy.h"
#include "mm/sparse.h"
#include "mm/vmstat.h"

static char out[1 << 16];

/* Run line; true if it printed exactly one "error: " line. */
static bool shell_fails(const char *line)
{
	int rc = host_shell(line, out, sizeof(out));
	char *nl = strchr(out, '\n');

	return rc != 0 && !strncmp(out, "error: ", 7) && nl && nl[1] == '\0';
}

/* page alloc 0 all takes every free page (far more blocks than any fixed
 * table), page free all returns them and buddyinfo is back exactly. */
static void page_alloc_all(void)
{
	struct host_mm_opts o = { .quiet = true };
	char before[1024], after[1024];
	unsigned long free0, n = 0, pfn;

	host_mm_boot(256 * SZ_1M, &o);
	free0 = nr_free_pages();
	host_cat("/proc/buddyinfo", before, sizeof(before));
	host_shell("page alloc 0 all", out, sizeof(out));
	host_ok(sscanf(out, "%lu blocks of order 0", &n) == 1 && n == free0 && nr_free_pages() == 0,
		"page alloc 0 all took %lu of %lu pages: %s", n, free0, out);
	host_ok(shell_fails("page alloc 0"), "single alloc when empty: %s", out);
	host_ok(host_shell("page alloc 0 all", out, sizeof(out)) == 0 &&
		!strcmp(out, "0 blocks of order 0\n"), "all when empty: no error: %s", out);
	host_ok(host_shell("page free all", out, sizeof(out)) == 0 && nr_free_pages() == free0,
		"page free all: %s", out);
	host_cat("/proc/buddyinfo", after, sizeof(after));
	host_ok(!strcmp(before, after), "buddyinfo back to start");
	host_ok(host_shell("page alloc 3 5", out, sizeof(out)) == 0 &&
		!strcmp(out, "5 blocks of order 3\n") && nr_free_pages() == free0 - 40,
		"page alloc 3 5: %s", out);
	host_ok(host_shell("page alloc 2 movable 3", out, sizeof(out)) == 0 &&
		!strcmp(out, "3 blocks of order 2\n") && nr_free_pages() == free0 - 52,
		"movable falls back to Normal: %s", out);
	host_ok(host_shell("page alloc 1", out, sizeof(out)) == 0 && sscanf(out, "pfn %lx", &pfn) == 1,
		"one block by pfn: %s", out);
	snprintf(before, sizeof(before), "page free %#lx 1", pfn);
	host_ok(host_shell(before, out, sizeof(out)) == 0 && nr_free_pages() == free0 - 52,
		"page free PFN ORDER of a held block");
	host_ok(shell_fails(before), "second free of it: %s", out);
	host_ok(host_shell("page free all", out, sizeof(out)) == 0 && nr_free_pages() == free0,
		"page free all after counts: %s", out);
	host_ok(host_shell("vm_check", out, sizeof(out)) == 0 && strstr(out, "vm_check: ok"),
		"vm_check: %s", out);
}

/* Every malformed page alloc prints one error and takes nothing. */
static void page_alloc_bad_input(void)
{
	static const char *const bad[] = {
		"page alloc", "page alloc 11 all", "page alloc 0 0", "page alloc 0 -1",
		"page alloc 0 x", "page alloc 0 movable x", "page alloc 0 all 3",
		"page alloc 0 movable all x", "page alloc 0 normal", "page free al",
		"page free all 0", "page",
	};
	struct host_mm_opts o = { .quiet = true };
	unsigned long free0;

	host_mm_boot(128 * SZ_1M, &o);
	free0 = nr_free_pages();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		host_ok(shell_fails(bad[i]) && nr_free_pages() == free0, "'%s': %s", bad[i], out);
}

int main(void)
{
	host_tap_init();
	host_scenario("page alloc all", page_alloc_all);
	host_scenario("page alloc bad input", page_alloc_bad_input);
	return host_tap_done();
}
