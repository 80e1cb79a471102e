/* The kernel command line parser (Linux rules, kernel/params.c).
 *
 *   mem=512M  pagoda.run="cat /proc/meminfo;poweroff"  "name=a b"  flag
 *   \_name=value_/ \______ quoted value ______________/  \quoted/  no '='
 *
 * Parameters are separated by spaces outside double quotes.  A quote may
 * wrap the value or the whole parameter (GRUB quotes an argument that
 * contains spaces that way); the quotes are removed.  '-' and '_' match
 * each other in names.  "--" ends the kernel's part, as in Linux.
 * Bootloader noise is skipped silently: a first word that is a path (some
 * loaders pass the image path) and BOOT_IMAGE= (GRUB's linux loader). */
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/bootinfo.h>

static char cmdline_copy[BOOT_CMDLINE_MAX];

static bool cmdline_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char *cmdline_skip_spaces(char *s)
{
	while (cmdline_isspace(*s))
		s++;
	return s;
}

/* Split the parameter at args in place into *param and *val (NULL when
 * there is no '='), removing its quotes.  Returns the next parameter. */
static char *cmdline_next_arg(char *args, char **param, char **val)
{
	size_t i, equals = 0;
	bool in_quote = false, quoted = false;

	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (cmdline_isspace(args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	*val = NULL;
	if (equals) {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i])
		args[i++] = '\0';
	return cmdline_skip_spaces(args + i);
}

/* Names are equal when they differ only in '-' versus '_'. */
static bool cmdline_name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char ca = *a == '-' ? '_' : *a, cb = *b == '-' ? '_' : *b;
		if (ca != cb)
			return false;
	}
	return *a == *b;
}

/* Hand one parameter to every handler of that name (hugepagesz= and
 * hugepages= come in pairs and may repeat, so order matters and all
 * matches run).  Returns false if no handler knows the name. */
static bool cmdline_dispatch(const char *param, const char *val,
			     const struct kernel_param *table, size_t n)
{
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		if (!cmdline_name_eq(param, table[i].name))
			continue;
		found = true;
		table[i].set(val);
	}
	return found;
}

/* Loader words that are not parameters: a leading image path (first word,
 * no '=', starting with '/' or a GRUB device "(hd0)") and BOOT_IMAGE=. */
static bool cmdline_is_loader_word(const char *param, const char *val, bool first)
{
	if (first && !val && (param[0] == '/' || param[0] == '('))
		return true;
	return val && strcmp(param, "BOOT_IMAGE") == 0;
}

int cmdline_parse_table(const char *cmdline, const struct kernel_param *table, size_t n)
{
	char *args, *param, *val;
	int unknown = 0;
	bool first = true;
	size_t len;

	if (!cmdline)
		return 0;
	len = strnlen(cmdline, sizeof(cmdline_copy));
	if (len == sizeof(cmdline_copy)) {
		len--;
		printk("cmdline: command line truncated to %zu bytes\n", len);
	}
	memcpy(cmdline_copy, cmdline, len);
	cmdline_copy[len] = '\0';
	args = cmdline_skip_spaces(cmdline_copy);
	while (*args) {
		args = cmdline_next_arg(args, &param, &val);
		if (!val && strcmp(param, "--") == 0)
			break;
		if (*param && !cmdline_is_loader_word(param, val, first) &&
		    !cmdline_dispatch(param, val, table, n)) {
			printk("cmdline: unknown parameter '%s' ignored\n", param);
			unknown++;
		}
		first = false;
	}
	return unknown;
}
