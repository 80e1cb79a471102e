/* Basic shell commands: help, peek, poke, poweroff.
 *
 * peek/poke go through arch_probe_read64/write64, which catch the fault
 * (exception fixup) instead of panicking, so a bad address costs one
 * "error: fault at ..." line and the shell goes on. */
#include <pagoda/shell.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/arch.h>

#define HELP_MAX_CMDS 128

extern const struct shell_cmd __start_pagoda_cmds[], __stop_pagoda_cmds[];

/* `help`: every command, sorted by name: usage and one line of help. */
static int cmd_help(int argc, char **argv)
{
	const struct shell_cmd *sorted[HELP_MAX_CMDS];
	int n = 0;

	if (argc != 1)
		return shell_error("help: usage: help");
	for (const struct shell_cmd *c = __start_pagoda_cmds;
	     c < __stop_pagoda_cmds && n < HELP_MAX_CMDS; c++) {
		int i = n++;
		while (i > 0 && strcmp(sorted[i - 1]->name, c->name) > 0) {
			sorted[i] = sorted[i - 1];
			i--;
		}
		sorted[i] = c;
	}
	for (int i = 0; i < n; i++)
		printk("  %-32s%s%s\n", sorted[i]->usage,
		       strlen(sorted[i]->usage) < 32 ? " " : "  ", sorted[i]->help);
	return 0;
}
SHELL_CMD("help", "help", "list every command", cmd_help);

/* Parse an 8-byte-aligned kernel virtual address for peek/poke. */
static int cmd_parse_addr(const char *cmd, const char *s, unsigned long *addr)
{
	u64 v;

	if (kstrtou64(s, 0, &v))
		return shell_error("%s: bad address '%s'", cmd, s);
	if (!IS_ALIGNED(v, 8))
		return shell_error("%s: address 0x%llx is not 8-byte aligned", cmd,
				   (unsigned long long)v);
	*addr = (unsigned long)v;
	return 0;
}

/* Print the one error line for a caught fault, e.g.
 * "error: fault at 0xffffea0000001000: write to read-only mapping". */
static int cmd_fault_error(const struct fault_info *fi)
{
	const char *what;

	if (!fi->protection)
		what = fi->write ? "write to unmapped address" : "read from unmapped address";
	else
		what = fi->write ? "write to read-only mapping" : "read not permitted";
	return shell_error("fault at 0x%lx: %s", fi->addr, what);
}

/* `peek ADDR`: print the 8 bytes at ADDR as "0x<addr>: 0x<value>". */
static int cmd_peek(int argc, char **argv)
{
	struct fault_info fi;
	unsigned long addr;
	u64 val;

	if (argc != 2)
		return shell_error("peek: usage: peek ADDR");
	if (cmd_parse_addr("peek", argv[1], &addr))
		return -1;
	if (arch_probe_read64(addr, &val, &fi))
		return cmd_fault_error(&fi);
	printk("0x%lx: 0x%016llx\n", addr, (unsigned long long)val);
	return 0;
}
SHELL_CMD("peek", "peek ADDR", "read 8 bytes at a kernel virtual address", cmd_peek);

/* `poke ADDR VALUE`: write the 8-byte VALUE at ADDR; silent on success. */
static int cmd_poke(int argc, char **argv)
{
	struct fault_info fi;
	unsigned long addr;
	u64 val;

	if (argc != 3)
		return shell_error("poke: usage: poke ADDR VALUE");
	if (cmd_parse_addr("poke", argv[1], &addr))
		return -1;
	if (kstrtou64(argv[2], 0, &val))
		return shell_error("poke: bad value '%s'", argv[2]);
	if (arch_probe_write64(addr, val, &fi))
		return cmd_fault_error(&fi);
	return 0;
}
SHELL_CMD("poke", "poke ADDR VALUE", "write 8 bytes at a kernel virtual address", cmd_poke);

/* `poweroff`: ACPI S5 / PSCI SYSTEM_OFF; QEMU exits with status 0. */
static int cmd_poweroff(int argc, char **argv)
{
	if (argc != 1)
		return shell_error("poweroff: usage: poweroff");
	printk("reboot: Power down\n");
	arch_poweroff();
	return shell_error("poweroff failed");
}
SHELL_CMD("poweroff", "poweroff", "power the machine off", cmd_poweroff);
