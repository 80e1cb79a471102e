/* Glue between the files of the HugeTLB pools (mm/hugetlb*.c). */
#ifndef MM_HUGETLB_INTERNAL_H
#define MM_HUGETLB_INTERNAL_H
#include <pagoda/list.h>
#include "mm/hugetlb.h"

/* Name the pools and set up their lists (idempotent). */
void hugetlb_init_hstates(void);
/* Make every page on list (fresh frames: head refcount 1 and order 0, the
 * other struct pages plain) a free huge page of h: vmemmap optimized first
 * when hugetlb_optimize_vmemmap is 1, compound set up, on h's free list. */
void hugetlb_add_fresh_batch(struct hstate *h, struct list_head *list);
/* Register /sys/kernel/mm/hugepages/hugepages-<KB>kB/ files: 0 or -errno. */
int hugetlb_sysfs_init(void);
#endif
