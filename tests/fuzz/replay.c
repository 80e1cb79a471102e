/* The corpus and regression replay: a TAP test in build/host/tests that
 * runs every input of tests/fuzz/corpus/<T>/ and tests/fuzz/regressions/<T>/
 * through harness T (fuzz_T.c, the same code libFuzzer runs), built
 * without libFuzzer under ASan/UBSan.  Each input runs in a child process,
 * so a crash names its input and the rest still run.
 *
 *   ok 1 - shell: corpus: 14 inputs
 *   ok 2 - shell: regression long-redirect
 *
 * Build flags: -DFUZZ_TARGET='"T"' -DFUZZ_DIR='"<abs>/tests/fuzz"'. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

#define MAX_INPUTS 4096
static int tap_n, tap_failed;

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the files in dir (valid until the next call); *n gets
 * how many. */
static char **list_dir(const char *dir, int *n)
{
	static char store[MAX_INPUTS][256], *names[MAX_INPUTS];
	DIR *d = opendir(dir);
	struct dirent *e;

	*n = 0;
	while (d && (e = readdir(d)) != NULL && *n < MAX_INPUTS)
		if (e->d_name[0] != '.') {
			snprintf(store[*n], sizeof(store[0]), "%s", e->d_name);
			names[*n] = store[*n];
			(*n)++;
		}
	if (d)
		closedir(d);
	qsort(names, *n, sizeof(names[0]), name_cmp);
	return names;
}

/* Run the harness on one file in a child; 0 if it returned normally. */
static int replay_one(const char *path)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		FILE *f = fopen(path, "rb");
		static uint8_t buf[1 << 20];
		size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;
		if (!f)
			_exit(2);
		fclose(f);
		uint8_t *copy = fuzz_dup(buf, n, 0);
		LLVMFuzzerTestOneInput(copy, n);
		free(copy);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void tap(int ok, const char *what)
{
	tap_n++;
	if (!ok)
		tap_failed++;
	printf("%sok %d - %s: %s\n", ok ? "" : "not ", tap_n, FUZZ_TARGET, what);
}

int main(void)
{
	char dir[4096], path[8192], what[512];
	int n, bad = 0;
	char **names;

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(dir, sizeof(dir), "%s/corpus/%s", FUZZ_DIR, FUZZ_TARGET);
	names = list_dir(dir, &n);
	static int failed[MAX_INPUTS];
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (replay_one(path))
			failed[bad++] = i;
	}
	snprintf(what, sizeof(what), "corpus: %d inputs%s", n, n ? "" : " (empty: nothing tested)");
	tap(n > 0 && bad == 0, what);
	for (int i = 0; i < bad; i++)
		printf("# crashed on %s/%s\n", dir, names[failed[i]]);
	snprintf(dir, sizeof(dir), "%s/regressions/%s", FUZZ_DIR, FUZZ_TARGET);
	names = list_dir(dir, &n);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(what, sizeof(what), "regression %s", names[i]);
		tap(replay_one(path) == 0, what);
	}
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
