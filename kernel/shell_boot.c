/* pagoda.run="CMD;CMD;...": shell lines run at boot before the prompt.
 *
 *   pagoda.run="selftest;cat /proc/meminfo;poweroff"
 *     -> pagoda> selftest            each line is echoed after a prompt so
 *        ok 1 - ...                  the log reads like a typed session
 *        pagoda> cat /proc/meminfo
 *        ...
 *
 * ';' inside double quotes does not split.  A `selftest` line that fails
 * ends QEMU through arch_debug_exit(1): an automated run reports failure
 * by exit status.  A panic during the run does the same (panic.c). */
#include <pagoda/shell.h>
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/arch.h>
#include <pagoda/bootinfo.h>

static char boot_run[BOOT_CMDLINE_MAX];
static bool boot_run_active;

static int shell_param_run(const char *val)
{
	if (!val || !*val) {
		printk("cmdline: pagoda.run needs a value, e.g. pagoda.run=\"selftest;poweroff\"\n");
		return -EINVAL;
	}
	strlcpy(boot_run, val, sizeof(boot_run));
	boot_run_active = true;
	return 0;
}
KERNEL_PARAM("pagoda.run", shell_param_run);

bool shell_boot_run_active(void)
{
	return boot_run_active;
}

/* Cut the next ';'-separated line off *sp (in place, outside quotes) and
 * return it with surrounding spaces trimmed; NULL when none is left. */
static char *shell_boot_next_line(char **sp)
{
	char *s = *sp, *line, *end;
	bool quoted = false;

	if (!*s)
		return NULL;
	line = s;
	for (; *s && (quoted || *s != ';'); s++)
		if (*s == '"')
			quoted = !quoted;
	*sp = *s ? s + 1 : s;
	*s = '\0';
	while (*line == ' ')
		line++;
	end = line + strlen(line);
	while (end > line && end[-1] == ' ')
		*--end = '\0';
	return line;
}

/* True if the line's first word is `selftest`. */
static bool shell_boot_is_selftest(const char *line)
{
	return strncmp(line, "selftest", 8) == 0 && (line[8] == '\0' || line[8] == ' ');
}

void shell_run_boot_commands(void)
{
	char *rest = boot_run, *line;

	while (boot_run_active && (line = shell_boot_next_line(&rest)) != NULL) {
		if (!*line)
			continue;
		printk_ensure_newline();
		printk("pagoda> %s\n", line);
		if (shell_exec_line(line) != 0 && shell_boot_is_selftest(line)) {
			printk("pagoda.run: '%s' failed, ending the run\n", line);
			arch_debug_exit(1);
		}
	}
	boot_run_active = false;
}
