/* /proc/version: which kernel this is, in Linux's shape:
 *   Pagoda version 0.1 (x86_64) (gcc 12.2.0) #1 Nov 22 2025 02:31:00 */
#include <pagoda/pseudofs.h>
#include <asm/vmparam.h>

#define PAGODA_VERSION "0.1"

static int proc_version_show(struct seq *s, void *priv)
{
	return seq_printf(s, "Pagoda version " PAGODA_VERSION " (" ARCH_NAME ") (gcc "
			  __VERSION__ ") #1 " __DATE__ " " __TIME__ "\n") ? -ENOMEM : 0;
}
PSEUDO_FILE("/proc/version", proc_version_show, NULL);
