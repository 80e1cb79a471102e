/* Host test seams for mm/: boot the real mm_init() on simulated memory,
 * catch panics, read pseudo-files and run shell verbs and selftests.
 *
 *   host_mm_boot(mem_bytes, opts)
 *     memfd (sparse file) = physical memory [0, max end of the map), every
 *       byte HOST_PHYS_JUNK before first use (filled lazily, host_arch.c)
 *     bootinfo: usable [0, mem_bytes) (or opts->map), kernel image reserved
 *       at opts->kernel_base (default 2 MiB, 2 MiB long; its first page is
 *       the root page table, its second a 1 GiB-block "direct map" table)
 *     cmdline_parse(opts->cmdline); mm_init(&bootinfo)
 *
 * mm state is global and boots once per process: run each configuration
 * in its own child with host_scenario(). */
#ifndef HOST_MM_H
#define HOST_MM_H
#include <setjmp.h>
#include <pagoda/types.h>
#include <pagoda/bootinfo.h>
#include "mm/page.h"

#define HOST_MAP_MAX 16
#define HOST_PHYS_JUNK 0x6b   /* every byte of simulated RAM before its first use */

struct host_mm_opts {
	const char *cmdline;                       /* e.g. "mem=256M page_poison=off" */
	struct boot_mem_range map[HOST_MAP_MAX];   /* firmware map; empty: usable [0, mem) */
	int nr_map;
	struct boot_mem_range reserved[HOST_MAP_MAX];   /* extra bootinfo.reserved */
	int nr_reserved;
	phys_addr_t kernel_base;                   /* 0: 2 MiB */
	u64 kernel_size;                           /* 0: 2 MiB */
	bool quiet;                                /* suppress printk during boot */
	bool memblock_only;                        /* stop after memblock_init() */
	u64 direct_map_size;                       /* 0: the whole memfd (DIRECT_MAP_SIZE) */
};

void host_mm_boot(u64 mem_bytes, const struct host_mm_opts *opts);
/* Bring section nr up in zone zt as a hot-add without memmap-on-memory
 * does (host_hotadd.c); false if it was present or memory ran out. */
bool host_hot_add_section(unsigned long nr, enum zone_type zt);
/* Bytes arch_add_memory() added and arch_remove_memory() did not remove yet. */
extern u64 host_arch_added_bytes;
/* Put two never-merged order-0 buddies on the Normal free list; first pfn. */
unsigned long host_plant_unmerged_buddies(void);

/* printk capture: when non-NULL, printk appends here instead of stdout. */
extern char *host_printk_buf;
extern size_t host_printk_size;
extern bool host_printk_quiet;

/* Panic catching: HOST_EXPECT_PANIC(stmt) is true if stmt panicked; the
 * message is in host_panic_msg. */
extern jmp_buf *host_panic_jmp;
extern char host_panic_msg[512];
#define HOST_EXPECT_PANIC(stmt) ({ jmp_buf __jb; volatile bool __p = false; \
	host_panic_jmp = &__jb; if (setjmp(__jb) == 0) { stmt; } else { __p = true; } \
	host_panic_jmp = NULL; __p; })

/* Print pseudo-file path into buf (NUL-terminated).  0 or -ENOENT. */
int host_cat(const char *path, char *buf, size_t size);
/* Value of "name value" or "Name:  value kB" line in text, or -1. */
long host_field(const char *text, const char *name);
/* Run one shell line against the SHELL_CMD table, output captured in buf. */
int host_shell(const char *line, char *buf, size_t size);
/* Does vm_check pass?  If not, its message is printed as a TAP comment. */
bool host_vm_check(void);
/* Run the SELFTESTs whose name starts with prefix (all for ""); returns
 * failures.  Each SELFTEST_SKIP() adds one to host_selftest_skips. */
int host_selftests(const char *prefix, int *ran);
extern int host_selftest_skips;
/* Is the byte at va writable / readable right now (probes in a child)? */
bool host_probe_write(unsigned long va);
bool host_probe_read(unsigned long va);

/* TAP across forked children (counters in shared memory). */
void host_tap_init(void);
void host_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int host_tap_done(void);
/* Run fn in a child process; a crash or panic is reported as "not ok". */
void host_scenario(const char *name, void (*fn)(void));
/* Nanoseconds from a monotonic clock. */
u64 host_now_ns(void);
#endif
