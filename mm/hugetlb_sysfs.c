/* The pools' user interface files, as in Linux:
 *
 *   /sys/kernel/mm/hugepages/
 *     hugepages-2048kB/      nr_hugepages (rw)  free_hugepages  surplus_hugepages
 *     hugepages-32768kB/     (arm64: contiguous-PMD size)
 *     hugepages-1048576kB/
 *   /proc/sys/vm/nr_hugepages               nr_hugepages of the default size (rw)
 *   /proc/sys/vm/hugetlb_optimize_vmemmap   0|1 (rw), applies to pages
 *                                           allocated afterwards; its boot
 *                                           value is hugetlb_free_vmemmap=
 *                                           (mm/hugetlb_vmemmap.c, default on)
 *
 * /proc/meminfo's HugePages_* lines come from struct hugetlb_meminfo,
 * which the pool code refreshes on every change (mm/hugetlb.c). */
#include <pagoda/kernel.h>
#include <pagoda/pseudofs.h>
#include <pagoda/shell.h>
#include "mm/hugetlb.h"
#include "mm/hugetlb_internal.h"
#include "mm/hugetlb_vmemmap.h"

#define HUGETLB_SYSFS_DIR "/sys/kernel/mm/hugepages"

static int hugetlb_nr_show(struct seq *s, void *priv)
{
	return seq_printf(s, "%lu\n", ((struct hstate *)priv)->nr_huge_pages) ? -ENOMEM : 0;
}

static int hugetlb_free_show(struct seq *s, void *priv)
{
	return seq_printf(s, "%lu\n", ((struct hstate *)priv)->free_huge_pages) ? -ENOMEM : 0;
}

static int hugetlb_surplus_show(struct seq *s, void *priv)
{
	return seq_printf(s, "%lu\n", ((struct hstate *)priv)->surplus_huge_pages) ? -ENOMEM : 0;
}

/* echo N > nr_hugepages: resize the pool; a grow that runs out of memory
 * leaves what was possible (not an error, as in Linux). */
static int hugetlb_nr_store(const char *val, void *priv)
{
	u64 n;

	if (kstrtou64(val, 0, &n))
		return shell_error("nr_hugepages: '%s' is not a number of pages", val);
	hugetlb_set_pool(priv, (unsigned long)n);
	return 0;
}

int hugetlb_sysfs_init(void)
{
	static const struct {
		const char *file;
		int (*show)(struct seq *, void *);
		int (*store)(const char *, void *);
	} files[] = {
		{ "nr_hugepages", hugetlb_nr_show, hugetlb_nr_store },
		{ "free_hugepages", hugetlb_free_show, NULL },
		{ "surplus_hugepages", hugetlb_surplus_show, NULL },
	};
	char path[PSEUDO_PATH_MAX];

	for (int i = 0; i < NR_HUGEPAGE_SIZES; i++)
		for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			int rc;

			ksnprintf(path, sizeof(path), HUGETLB_SYSFS_DIR "/%s/%s", hstates[i].name,
				  files[f].file);
			rc = pseudofs_register(path, files[f].show, files[f].store, &hstates[i]);
			if (rc)
				return rc;
		}
	return 0;
}

/* /proc/sys/vm/nr_hugepages: the default size's nr_hugepages, as in Linux. */
static int hugetlb_default_nr_show(struct seq *s, void *priv)
{
	return hugetlb_nr_show(s, &hstates[0]);
}

static int hugetlb_default_nr_store(const char *val, void *priv)
{
	return hugetlb_nr_store(val, &hstates[0]);
}
PSEUDO_FILE("/proc/sys/vm/nr_hugepages", hugetlb_default_nr_show, hugetlb_default_nr_store);

static int hugetlb_hvo_show(struct seq *s, void *priv)
{
	return seq_printf(s, "%d\n", hugetlb_optimize_vmemmap) ? -ENOMEM : 0;
}

static int hugetlb_hvo_store(const char *val, void *priv)
{
	if (strcmp(val, "0") && strcmp(val, "1"))
		return shell_error("hugetlb_optimize_vmemmap: '%s' is not 0 or 1", val);
	hugetlb_optimize_vmemmap = val[0] - '0';
	return 0;
}
PSEUDO_FILE("/proc/sys/vm/hugetlb_optimize_vmemmap", hugetlb_hvo_show, hugetlb_hvo_store);
