/* The link-time table of boot parameters (KERNEL_PARAM entries collected
 * in section pagoda_params) and /proc/cmdline, which shows the command
 * line as the loader passed it, like Linux. */
#include <pagoda/cmdline.h>
#include <pagoda/bootinfo.h>
#include <pagoda/pseudofs.h>

extern const struct kernel_param __start_pagoda_params[], __stop_pagoda_params[];

/* Parse cmdline against every KERNEL_PARAM linked into the kernel. */
int cmdline_parse(const char *cmdline)
{
	return cmdline_parse_table(cmdline, __start_pagoda_params,
				   __stop_pagoda_params - __start_pagoda_params);
}

static int proc_cmdline_show(struct seq *s, void *priv)
{
	return seq_printf(s, "%s\n", bootinfo.cmdline) ? -ENOMEM : 0;
}
PSEUDO_FILE("/proc/cmdline", proc_cmdline_show, NULL);
