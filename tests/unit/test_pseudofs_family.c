/* Host test of pseudofs directory families (kernel/pseudofs.c): a family
 * of 1201 members /t/blk/blkN (N = 0, 2, ..., 2400), far more files than
 * the 1024-entry table holds, next to a PSEUDO_FILE /t/blk/ctl.  cat, echo
 * and ls work on the first and the last member; `ls /t/blk` lists every
 * member in name order merged with ctl; a non-member N (odd, beyond the
 * last, with a leading zero) fails exactly like a missing path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pagoda/pseudofs.h>
#include <pagoda/shell.h>
#define PRINTK_CAPTURE_SIZE 65536        /* `ls /t/blk`: 1202 names */
#include "printk_capture.h"
#include "tap.h"

#define LAST 2400UL                  /* members: even N in [0, LAST] */

static int vals[LAST + 1];
static bool last_gone;               /* member LAST removed */

/* ---- the family ---- */
static bool blk_exists(unsigned long n) { return n <= LAST && n % 2 == 0 && !(n == LAST && last_gone); }
static bool blk_next(unsigned long *n)
{
	while (*n <= LAST && !blk_exists(*n))
		(*n)++;
	return *n <= LAST;
}
static int blk_index_show(struct seq *s, void *priv) { return seq_printf(s, "%lu\n", (unsigned long)priv), 0; }
static int blk_value_show(struct seq *s, void *priv) { return seq_printf(s, "%d\n", vals[(unsigned long)priv]), 0; }
static int blk_value_store(const char *val, void *priv)
{
	char *end;
	long v = strtol(val, &end, 10);

	if (*end || end == val)
		return shell_error("value: expected a number");
	vals[(unsigned long)priv] = (int)v;
	return 0;
}
static const struct pseudo_attr blk_attrs[] = {
	{ "value", blk_value_show, blk_value_store },
	{ "index", blk_index_show, NULL },
};
static const struct pseudo_family blk_family = {
	.parent = "/t/blk", .prefix = "blk", .exists = blk_exists, .next = blk_next,
	.attrs = blk_attrs, .nr_attrs = 2,
};
static int ctl_show(struct seq *s, void *priv) { return seq_printf(s, "ctl\n"), 0; }
PSEUDO_FILE("/t/blk/ctl", ctl_show, NULL);

/* ---- running commands ---- */
extern const struct shell_cmd __start_pagoda_cmds[], __stop_pagoda_cmds[];

/* Run "cat|ls ARG" or "echo VAL > PATH"; output in printed, returns the status. */
static int run(const char *cmd, const char *arg, const char *path)
{
	char a0[16], a1[256];
	char *argv[3] = { a0, a1, NULL };

	printed[0] = '\0';
	if (!strcmp(cmd, "echo"))
		return pseudofs_write(path, arg);
	snprintf(a0, sizeof(a0), "%s", cmd);
	snprintf(a1, sizeof(a1), "%s", arg);
	for (const struct shell_cmd *c = __start_pagoda_cmds; c < __stop_pagoda_cmds; c++)
		if (!strcmp(c->name, cmd))
			return c->fn(2, argv);
	return -99;
}

static bool run_is(const char *cmd, const char *arg, const char *path, int rc, const char *want)
{
	int got = run(cmd, arg, path);

	if ((rc == 0) != (got == 0) || strcmp(printed, want)) {
		printf("# %s %s %s: rc %d, got:\n%s# want:\n%s", cmd, arg, path ? path : "", got, printed, want);
		return false;
	}
	return true;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The listing `ls /t/blk` must print: every member "blkN/" and "ctl",
 * sorted by strcmp (blk0/ blk10/ blk100/ ... blk998/ ctl). */
static void expected_ls(char *buf, size_t size)
{
	static char names[LAST / 2 + 2][16];
	static char *ptr[LAST / 2 + 2];
	size_t n = 0, len = 0;

	for (unsigned long i = 0; i <= LAST; i++)
		if (blk_exists(i))
			snprintf(names[n], sizeof(names[n]), "blk%lu/", i), ptr[n] = names[n], n++;
	ptr[n++] = "ctl";
	qsort(ptr, n, sizeof(ptr[0]), name_cmp);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += snprintf(buf + len, size - len, "%s\n", ptr[i]);
}

/* A non-member must fail with the very line a missing path gives. */
static bool missing(const char *dir)
{
	char path[128], want[256];
	bool ok = true;

	snprintf(path, sizeof(path), "%s/index", dir);
	snprintf(want, sizeof(want), "error: cat: %s: No such file or directory\n", path);
	ok &= run_is("cat", path, NULL, -1, want);
	snprintf(want, sizeof(want), "error: echo: %s: No such file or directory\n", path);
	ok &= run_is("echo", "1", path, -1, want);
	snprintf(want, sizeof(want), "error: ls: cannot access '%s': No such file or directory\n", dir);
	ok &= run_is("ls", dir, NULL, -1, want);
	snprintf(want, sizeof(want), "error: cat: %s: No such file or directory\n", dir);
	ok &= run_is("cat", dir, NULL, -1, want);
	return ok;
}

int main(void)
{
	static char want[65536];

	TAP_OK(run_is("cat", "/t/blk/ctl", NULL, 0, "ctl\n"), "table file next to the family");
	TAP_OK(pseudofs_register_family(&blk_family) == 0, "family of %lu members registers", LAST / 2 + 1);
	TAP_OK(pseudofs_register_family(&blk_family) == -EEXIST, "a second time: -EEXIST");

	TAP_OK(run_is("cat", "/t/blk/blk0/index", NULL, 0, "0\n") &&
	       run_is("cat", "/t/blk/blk2400/index", NULL, 0, "2400\n") &&
	       run_is("cat", "/t/blk/blk1234/index", NULL, 0, "1234\n"), "cat first, last and a middle member");
	TAP_OK(run_is("echo", "7", "/t/blk/blk0/value", 0, "") &&
	       run_is("echo", "9", "/t/blk/blk2400/value", 0, "") &&
	       run_is("cat", "/t/blk/blk0/value", NULL, 0, "7\n") &&
	       run_is("cat", "/t/blk/blk2400/value", NULL, 0, "9\n") &&
	       run_is("cat", "/t/blk/blk2398/value", NULL, 0, "0\n"), "echo reaches the first and the last member only");
	TAP_OK(run_is("echo", "x", "/t/blk/blk2400/value", -1, "error: value: expected a number\n") &&
	       run_is("echo", "1", "/t/blk/blk2400/index", -1,
		      "error: echo: /t/blk/blk2400/index: Permission denied\n") &&
	       run_is("cat", "/t/blk/blk2400/value", NULL, 0, "9\n"), "bad store and read-only attr refused, value kept");
	TAP_OK(run_is("ls", "/t/blk/blk0", NULL, 0, "index\nvalue\n") &&
	       run_is("ls", "/t/blk/blk2400/", NULL, 0, "index\nvalue\n") &&
	       run_is("ls", "/t/blk/blk2400/index", NULL, 0, "/t/blk/blk2400/index\n"), "ls of the first and the last member");
	expected_ls(want, sizeof(want));
	TAP_OK(run_is("ls", "/t/blk", NULL, 0, want), "ls /t/blk: all %lu members in name order, merged with ctl",
	       LAST / 2 + 1);
	TAP_OK(run_is("ls", "/t", NULL, 0, "blk/\n") && run_is("cat", "/t/blk/blk2400", NULL, -1,
	       "error: cat: /t/blk/blk2400: Is a directory\n") &&
	       run_is("echo", "1", "/t/blk/blk0", -1, "error: echo: /t/blk/blk0: Is a directory\n"),
	       "parent and member directories are directories");
	TAP_OK(missing("/t/blk/blk1") && missing("/t/blk/blk2402") && missing("/t/blk/blk02") &&
	       missing("/t/blk/blk") && missing("/t/blk/blk99999999999999999999999") &&
	       missing("/t/blk/nothing"), "a non-member N fails like a missing path");
	last_gone = true;
	expected_ls(want, sizeof(want));
	TAP_OK(missing("/t/blk/blk2400") && run_is("ls", "/t/blk", NULL, 0, want),
	       "a member that goes away is gone from cat, echo and ls");
	return TAP_DONE();
}
